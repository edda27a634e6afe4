"""The SOP workflow engine: how an app declares its steps.

An SOP app's workflow.py builds one `Workflow` from `Step`s, in the seed's
order. The declaration is the single source of the steps: the engine derives
the status values and the allowed transitions from it (portal.services fires
them), and the printed SOP sheet draws its activity table from it.

A record's status is the code of the step waiting to be done. Completing a
step moves the record to the step's `next` (by default the step after it);
a decision step offers one transition per branch instead. Completing a step
whose `next` is DONE closes the record.
"""

from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal import clock

DONE = "selesai"


class TransitionError(Exception):
    """A transition that may not happen; the message says why, in Indonesian."""


@dataclass(frozen=True)
class TimeStandard:
    """How long a step or a service may take (Waktu Penyelesaian / Jangka Waktu).

    Minutes, hours and days count working time in the unit's service hours;
    months count calendar months ("maksimal 3 bulan sejak berkas diterima").
    """

    amount: int
    unit: str  # "minutes", "hours", "days" or "months"

    LABELS = {"minutes": _("Menit"), "hours": _("Jam"), "days": _("Hari"), "months": _("Bulan")}

    def __post_init__(self):
        if self.unit not in self.LABELS or self.amount <= 0:
            raise ValueError(f"bad time standard: {self.amount} {self.unit}")

    def __str__(self):
        return f"{self.amount} {self.LABELS[self.unit]}"

    def due(self, start, calendar):
        if self.unit == "months":
            return clock.add_months(start, self.amount)
        if self.unit == "days":
            return calendar.add_working_days(start, self.amount)
        minutes = self.amount * (60 if self.unit == "hours" else 1)
        return calendar.add_working_minutes(start, minutes)


def minutes(n):
    return TimeStandard(n, "minutes")


def days(n):
    return TimeStandard(n, "days")


def months(n):
    return TimeStandard(n, "months")


@dataclass(frozen=True)
class Executor:
    """A Pelaksana column of the SOP sheet, and the roles that may act for it."""

    code: str
    label: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Branch:
    """One way out of a decision step, e.g. Ya / Tidak."""

    code: str
    label: str
    next: str


@dataclass(frozen=True)
class Step:
    code: str
    number: str
    name: str
    executor: str
    requirement: str = ""  # Persyaratan / Kelengkapan, as printed
    time: TimeStandard | None = None  # Waktu Penyelesaian
    output: str = ""  # Out put
    remarks: str = ""  # Keterangan
    section: str = ""  # a heading row such as "I. Penyimpanan dan Penyaluran ..."
    requires: tuple[str, ...] = ()  # record fields that must be filled before completing
    documents: tuple[str, ...] = ()  # attachment kinds that must exist before completing
    next: str | None = None  # default: the step after this one
    branches: tuple[Branch, ...] = ()  # a decision step
    action: str = ""  # button label; default "Selesaikan"

    @property
    def is_decision(self):
        return bool(self.branches)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: str
    target: str
    roles: tuple[str, ...]
    requires: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()


@dataclass
class Workflow:
    """The steps of one SOP, in the seed's order."""

    name: str
    model: str  # "app_label.ModelName" of the records it runs
    executors: tuple[Executor, ...]
    steps: tuple[Step, ...]
    time: TimeStandard | None = None  # the service's Jangka Waktu
    start_steps: tuple[str, ...] = ()  # where a record may start; default the first step
    extra_transitions: tuple[Transition, ...] = ()  # e.g. cancelling a request
    final_statuses: tuple[str, ...] = (DONE,)
    final_labels: dict = field(default_factory=lambda: {DONE: _("Selesai")})

    def __post_init__(self):
        codes = [s.code for s in self.steps]
        executor_codes = {e.code for e in self.executors}
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.name}: duplicate step codes")
        targets = set(codes) | set(self.final_statuses)
        for step in self.steps:
            if step.executor not in executor_codes:
                raise ValueError(f"{self.name}: step {step.code} names unknown executor {step.executor}")
            for target in [step.next, *(b.next for b in step.branches)]:
                if target is not None and target not in targets:
                    raise ValueError(f"{self.name}: step {step.code} leads to unknown {target}")
        if self.steps and self.steps[-1].next is None and DONE not in self.final_statuses:
            raise ValueError(f"{self.name}: the last step leads to {DONE!r}, which is not a final status")
        for code in self.start_steps:
            if code not in codes:
                raise ValueError(f"{self.name}: unknown start step {code}")

    # The declaration, read.

    @cached_property
    def _steps_by_code(self):
        return {s.code: s for s in self.steps}

    @cached_property
    def _executors_by_code(self):
        return {e.code: e for e in self.executors}

    def step_for(self, status):
        return self._steps_by_code.get(status)

    def executor(self, code):
        return self._executors_by_code[code]

    def status_label(self, status):
        step = self.step_for(status)
        if step is not None:
            return step.name if len(step.name) < 80 else f"{step.name[:77]}..."
        return self.final_labels.get(status, status)

    @property
    def status_choices(self):
        return [(s.code, f"{s.number}. {s.name[:60]}") for s in self.steps] + [
            (code, self.final_labels.get(code, code)) for code in self.final_statuses
        ]

    @property
    def initial_statuses(self):
        return self.start_steps or (self.steps[0].code,)

    def next_of(self, step):
        if step.next is not None:
            return step.next
        index = self.steps.index(step)
        return self.steps[index + 1].code if index + 1 < len(self.steps) else DONE

    @cached_property
    def transitions(self) -> dict[str, Transition]:
        result = {}
        for step in self.steps:
            roles = self.executor(step.executor).roles
            common = dict(source=step.code, roles=roles, requires=step.requires, documents=step.documents)
            if step.is_decision:
                for branch in step.branches:
                    name = f"{step.code}.{branch.code}"
                    result[name] = Transition(name=name, label=branch.label, target=branch.next, **common)
            else:
                label = step.action or _("Selesaikan")
                result[step.code] = Transition(name=step.code, label=label, target=self.next_of(step), **common)
        for transition in self.extra_transitions:
            result[transition.name] = transition
        return result

    def transition_label(self, name):
        if name == "start":
            return _("Layanan dimulai")
        transition = self.transitions.get(name)
        return transition.label if transition else name

    def transitions_from(self, status):
        return [t for t in self.transitions.values() if t.source == status]

    def get_model(self):
        return apps.get_model(self.model)

    # The printed sheet: the flowchart symbol of each step.

    def symbol(self, step):
        if step.code in self.initial_statuses or step is self.steps[-1]:
            return "terminator"
        return "decision" if step.is_decision else "process"


def registered_workflows() -> dict[str, Workflow]:
    """The WORKFLOW of each SOP app named in settings.PORTAL_SOP_APPS, by app label."""
    return {label: import_module(f"{label}.workflow").WORKFLOW for label in settings.PORTAL_SOP_APPS}


def sop_app_choices():
    return [(label, wf.name) for label, wf in registered_workflows().items()]
