"""The SOP workflow engine: how an app declares its steps.

An SOP app's workflow.py builds one `Workflow` from `Step`s, in the seed's
order, and its record model (a portal.models.WorkflowRecord) names it: that
model is the app's one registration. The declaration is the single source of
the steps: the engine derives the status values and the allowed transitions
from it (portal.services fires them), the user's buttons and worklist follow
it, and the printed SOP sheet draws its activity table from it.

A record's status is the code of the step waiting to be done. Completing a
step moves the record to the step's `next` (by default the step after it);
a decision step offers one transition per branch instead. Completing a step
whose `next` is DONE closes the record.

`Workflow.problems()` lists what is wrong with a declaration; the system check
(portal.checks) reports it when the project starts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.roles import Office, Role

DONE = "selesai"
# The step form's second button (portal.forms.StepForm): save what is typed, complete the step later.
SAVE_ONLY = "simpan"


class TransitionError(Exception):
    """A transition that may not happen; the message says why, in Indonesian."""


@dataclass(frozen=True)
class TimeStandard:
    """How long a step or a service may take (Waktu Penyelesaian / Jangka Waktu).

    Minutes, hours and days count working time in the unit's service hours;
    months count calendar months ("maksimal 3 bulan sejak berkas diterima") and end at closing time of the
    working day they reach, or of the next one when that day is a holiday or a weekend.
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
            return calendar.closing_on_or_after(clock.add_months(start, self.amount))
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
class Actor:
    """Who may act: holders of `role`, or, when `offices` are named, only the holders of one of those offices
    (portal.roles.Office) in the service's unit."""

    role: str
    offices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Executor:
    """A Pelaksana column of the SOP sheet, and who acts for it."""

    code: str
    label: str
    roles: tuple[str, ...]
    # The offices, held in the service's unit, through which holders of `roles` act (the Ketua P2TP2A); empty:
    # any holder of the role in the record's unit or above.
    offices: tuple[str, ...] = ()
    # Other executors (their codes) who may also take this column's steps when needed (a P2TP2A head doing a
    # team member's step), without the steps filling their worklist.
    standins: tuple[str, ...] = ()

    @property
    def actors(self) -> tuple[Actor, ...]:
        return tuple(Actor(role, self.offices) for role in self.roles)


@dataclass(frozen=True)
class Identity:
    """Who reads the identity a workflow's records keep (portal.identity)."""

    readers: tuple[str, ...]  # executor codes: their holders in the service's unit read every record's
    revealers: tuple[str, ...] = ()  # offices, held above the service's unit, whose holder may open one with a reason
    # The record's one-to-one relation to the person it keeps (a model with `name` and `nik`): lists mask it,
    # searches by name or NIK read it.
    person: str = ""


@dataclass(frozen=True)
class Check:
    """What a step needs before it completes: `test(record)` holds, or the user reads `message`, beside `field` of
    the step's form when the check is about one of its fields. The test reads the record as just saved by the
    step's form, inside the step's transaction."""

    test: Callable
    message: str
    field: str = ""


@dataclass(frozen=True)
class Task:
    """Work someone other than the step's executor does while the step waits (the Ketua assigning the team or
    signing the SPT while the outreach waits): `pending()` is a filter on the record model for the records still
    waiting for it, so each such record reaches the worklist of the task's executor. The task is done on the
    record's page, in its section `anchor`, by its own form."""

    code: str
    action: str  # what the holder does, as a link: "Terbitkan SPT penjangkauan"
    executor: str
    statuses: tuple[str, ...]
    pending: Callable[[], Q]
    anchor: str


@dataclass(frozen=True)
class Branch:
    """One way out of a decision step, e.g. Ya / Tidak."""

    code: str
    label: str
    next: str
    note_required: bool = False  # e.g. a refusal, which must say why
    checks: tuple[Check, ...] = ()  # what this way out needs (an approval, not a refusal)


@dataclass(frozen=True)
class Step:
    code: str
    number: str
    name: str
    executor: str
    printed_requirements: str = ""  # Persyaratan / Kelengkapan, as printed on the sheet
    time: TimeStandard | None = None  # Waktu Penyelesaian
    output: str = ""  # Out put
    remarks: str = ""  # Keterangan
    section: str = ""  # a heading row such as "I. Penyimpanan dan Penyaluran ..."
    required_documents: tuple[str, ...] = ()  # attachment kinds (Workflow.documents) that must exist
    next: str | None = None  # default: the step after this one
    branches: tuple[Branch, ...] = ()  # a decision step
    # The button that completes the step, saying what it does ("Terbitkan SBBK"), also printed in the history.
    action: str = ""
    # The record's status while the step waits, in a few words ("Menunggu SBBK"): badges, worklists, history and
    # PDFs. The SOP's full sentence (`name`) is for the printed sheet.
    status_label: str = ""
    # The form that carries the step's data (a portal.forms.StepForm, by dotted path; default: a note only). The
    # record's page shows it under "Langkah Anda"; one submit saves it and completes the step.
    form: str = ""
    checks: tuple[Check, ...] = ()  # what must hold before the step completes (a decision: per branch)
    # Done on another page than the record's (a faskes' monthly report completes its distributions' steps 7-9):
    # `done_at(record)` is that page's URL. The record's page links there with the step's action.
    done_at: Callable | None = None
    # What holds the step although it is its executor's turn: a function, by dotted path as `form`, that reads
    # something outside the record (a stock count under way in the warehouse) and returns why the step waits, or
    # "". While it holds, the step's buttons are not offered and the page says why.
    hold: str = ""
    # Whether taking the step approves what the step before produced, so whoever brought the record to it may
    # not take it; None: a decision, or a step only heads take, approves (Workflow.transitions). False for a
    # decision the same officer makes on a record they started (answering a complaint they recorded).
    approval: bool | None = None

    @property
    def is_decision(self):
        return bool(self.branches)


@dataclass(frozen=True)
class Transition:
    """A way from one status to another. The engine builds one per step (per branch of a decision); an app
    declares the others (`Workflow.extra_transitions`: skipping a step, closing early) naming their executor,
    and the workflow fills in `actors` from it."""

    name: str
    label: str
    source: str
    target: str
    # The executor column that takes it; "": the source step's. Its stand-ins may take it too.
    executor: str = ""
    actors: tuple[Actor, ...] = ()
    # Whose worklist counts it: the executor's own actors, never its stand-ins'.
    worklist_actors: tuple[Actor, ...] = ()
    required_documents: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    # An approval may not be made by whoever moved the record into its source status.
    approval: bool = False
    # A transition that needs its reason written down (skipping a step, closing early, voiding).
    note_required: bool = False
    # False for a way out that is always open but never expected (closing early, voiding): it does not
    # put every record in its role's worklist.
    in_worklist: bool = True
    done_at: Callable | None = None  # see Step.done_at
    hold: str = ""  # see Step.hold
    form: str = ""  # the source step's (Step.form)
    # A sentence the user ticks before a way out that cannot be undone (voiding a case), so one click never does it.
    confirm: str = ""

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(actor.role for actor in self.actors))


@dataclass
class Workflow:
    """The steps of one SOP, in the seed's order."""

    name: str
    executors: tuple[Executor, ...]
    steps: tuple[Step, ...]
    time: TimeStandard | None = None  # the service's Jangka Waktu
    start_steps: tuple[str, ...] = ()  # where a record may start; default the first step
    extra_transitions: tuple[Transition, ...] = ()  # e.g. cancelling a request
    final_statuses: tuple[str, ...] = (DONE,)
    final_labels: dict = field(default_factory=lambda: {DONE: _("Selesai")})
    documents: dict = field(default_factory=dict)  # attachment kind -> label, e.g. {"spt": "SPT penjangkauan"}
    observers: tuple[str, ...] = ()  # roles that see the records without a step of their own
    start_action: str = ""  # the service's main action on the start page, e.g. "Catat laporan baru"
    # Set when the records keep a person's identity (portal.identity).
    identity: Identity | None = None
    # The steps the service's time standard (`time`) covers; empty: all. From a step outside them on, the
    # record's due time is that step's own ("2 days to the SBBK, then 3 days to deliver"), or none.
    time_covers: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    # For a time standard in minutes or hours: the share of it after which a record is "due soon" and its
    # executors are reminded (portal.notifications.reminders), e.g. 0.8 for 240 of 300 minutes; None: a day ahead.
    reminder_share: float | None = None

    # The declaration, checked.

    def problems(self) -> list[str]:
        """What is wrong with this declaration, in words; empty when it is sound."""
        problems = []
        codes = [s.code for s in self.steps]
        executor_codes = {e.code for e in self.executors}
        statuses = set(codes) | set(self.final_statuses)
        if not self.steps:
            problems.append("it declares no step")
        if len(set(codes)) != len(codes):
            problems.append("duplicate step codes")
        if self.identity is not None:
            for code in self.identity.readers:
                if code not in executor_codes:
                    problems.append(f"identity readers name unknown executor {code}")
            for office in self.identity.revealers:
                if office not in Office.ROLES:
                    problems.append(f"identity revealers name unknown office {office}")
        for executor in self.executors:
            if not executor.roles:
                problems.append(f"executor {executor.code} names no role")
            for office in executor.offices:
                if office not in Office.ROLES:
                    problems.append(f"executor {executor.code} names unknown office {office}")
                elif Office.ROLES[office] not in executor.roles:
                    problems.append(f"executor {executor.code}: office {office} is held as {Office.ROLES[office]}")
            for code in executor.standins:
                if code not in executor_codes or code == executor.code:
                    problems.append(f"executor {executor.code} names unknown stand-in {code}")
        for step in self.steps:
            if not step.status_label:
                problems.append(f"step {step.code} declares no status_label")
            if not step.is_decision and not step.action:
                problems.append(f"step {step.code} declares no action (its button's label)")
            if step.executor not in executor_codes:
                problems.append(f"step {step.code} names unknown executor {step.executor}")
            for target in [step.next, *(b.next for b in step.branches)]:
                if target is not None and target not in statuses:
                    problems.append(f"step {step.code} leads to unknown {target}")
            for kind in step.required_documents:
                if kind not in self.documents:
                    problems.append(f"step {step.code} requires document {kind!r}, which `documents` does not label")
        if self.steps and self.steps[-1].next is None and DONE not in self.final_statuses:
            problems.append(f"the last step leads to {DONE!r}, which is not a final status")
        if self.reminder_share is not None and not 0 < self.reminder_share < 1:
            problems.append("reminder_share is a share of the time standard, between 0 and 1")
        for code in (*self.start_steps, *self.time_covers):
            if code not in codes:
                problems.append(f"unknown step {code} in start_steps or time_covers")
        for step in self.steps:
            if step.is_decision and step.checks:
                problems.append(f"step {step.code} is a decision: its checks belong to its branches")
            for check in (*step.checks, *(check for branch in step.branches for check in branch.checks)):
                if not callable(check.test) or not check.message:
                    problems.append(f"step {step.code}: a check needs a test and a message")
        for task in self.tasks:
            if task.executor not in executor_codes:
                problems.append(f"task {task.code} names unknown executor {task.executor}")
            if not task.action or not task.anchor or not callable(task.pending):
                problems.append(f"task {task.code} needs an action, an anchor and a pending filter")
            for code in task.statuses:
                if code not in codes:
                    problems.append(f"task {task.code} names unknown step {code}")
        for transition in self.extra_transitions:
            for end in (transition.source, transition.target):
                if end not in statuses:
                    problems.append(f"transition {transition.name} names unknown status {end}")
            if transition.executor and transition.executor not in executor_codes:
                problems.append(f"transition {transition.name} names unknown executor {transition.executor}")
            if not transition.executor and transition.source not in codes:
                problems.append(f"transition {transition.name} names no executor and leaves no step")
            for kind in transition.required_documents:
                if kind not in self.documents:
                    problems.append(f"transition {transition.name} requires document {kind!r}, which `documents` does not label")
        return problems

    # The declaration, read.

    def step_form(self, step):
        """The form class of a step (Step.form)."""
        return import_string(step.form or "portal.forms.StepForm")

    def hold_reason(self, transition, record) -> str:
        """Why `transition`'s step is held on `record` now (Step.hold), or ""."""
        return import_string(transition.hold)(record) if transition.hold else ""

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
            return step.status_label or step.name  # a snapshot from before short labels has only the sentence
        return self.final_labels.get(status, status)

    @property
    def status_choices(self):
        return [(s.code, f"{s.number}. {self.status_label(s.code)}") for s in self.steps] + [
            (code, self.final_labels.get(code, code)) for code in self.final_statuses
        ]

    @property
    def initial_statuses(self):
        return self.start_steps or (self.steps[0].code,)

    @cached_property
    def access_roles(self) -> frozenset[str]:
        """The roles that may see this workflow's records: every executor's, and the observers'."""
        return frozenset(self.observers).union(*(e.roles for e in self.executors))

    def acting_actors(self, executor_code) -> tuple[Actor, ...]:
        """Who may take an executor's steps: its own actors, then its stand-ins'."""
        executor = self.executor(executor_code)
        standins = (actor for code in executor.standins for actor in self.executor(code).actors)
        return tuple(dict.fromkeys((*executor.actors, *standins)))

    @cached_property
    def actors(self) -> frozenset[Actor]:
        """Everyone who may take some step."""
        return frozenset(actor for executor in self.executors for actor in executor.actors)

    def start_actors(self, status=None) -> tuple[Actor, ...]:
        return self.acting_actors(self.step_for(status or self.initial_statuses[0]).executor)

    def document_label(self, kind):
        return self.documents.get(kind, kind)

    def next_of(self, step):
        if step.next is not None:
            return step.next
        index = self.steps.index(step)
        return self.steps[index + 1].code if index + 1 < len(self.steps) else DONE

    def path_from(self, step_code) -> "Workflow":
        """A copy of this workflow holding only the steps a record started at `step_code` can reach, following each
        step's next and each decision's branches: one way in of a workflow with several (`start_steps`), as the
        SOP sheet of a service that takes only that way prints it (complaints.models.Complaint.sop_start_step).

        A step keeps its implicit next: that step is always reached, and it stays right after it.
        """
        if self.step_for(step_code) is None:
            raise ValueError(f"unknown step {step_code}")
        reached, waiting = set(), [step_code]
        while waiting:
            step = self.step_for(waiting.pop())
            if step is None or step.code in reached:
                continue  # a final status, or a step reached already (a branch back to an earlier step)
            reached.add(step.code)
            waiting.extend([b.next for b in step.branches] if step.is_decision else [self.next_of(step)])
        tasks = []
        for task in self.tasks:
            statuses = tuple(code for code in task.statuses if code in reached)
            if statuses:
                tasks.append(replace(task, statuses=statuses))
        statuses = reached | set(self.final_statuses)
        time_covers = tuple(code for code in self.time_covers if code in reached)
        return replace(
            self,
            steps=tuple(step for step in self.steps if step.code in reached),
            start_steps=(step_code,),
            time_covers=time_covers,
            # No time_covers means that `time` covers every step: a way that reaches none of the steps it covered
            # has no time standard of its own.
            time=self.time if time_covers or not self.time_covers else None,
            tasks=tuple(tasks),
            extra_transitions=tuple(
                t for t in self.extra_transitions if t.source in statuses and t.target in statuses
            ),
        )

    @cached_property
    def transitions(self) -> dict[str, Transition]:
        result = {}
        for step in self.steps:
            executor = self.executor(step.executor)
            common = dict(
                source=step.code,
                executor=executor.code,
                actors=self.acting_actors(executor.code),
                worklist_actors=executor.actors,
                done_at=step.done_at,
                hold=step.hold,
                form=step.form,
                required_documents=step.required_documents,
                # A decision, or a step only heads do, approves what the step before it produced.
                approval=step.approval if step.approval is not None else (
                    step.is_decision or set(executor.roles) <= set(Role.HEADS)
                ),
            )
            if step.is_decision:
                for branch in step.branches:
                    name = f"{step.code}.{branch.code}"
                    result[name] = Transition(
                        name=name, label=branch.label, target=branch.next, note_required=branch.note_required,
                        checks=branch.checks, **common,
                    )
            else:
                label = step.action or _("Selesaikan")  # a snapshot from before actions were declared
                result[step.code] = Transition(
                    name=step.code, label=label, target=self.next_of(step), checks=step.checks, **common
                )
        for transition in self.extra_transitions:
            code = transition.executor or self.step_for(transition.source).executor
            result[transition.name] = replace(
                transition, executor=code, actors=self.acting_actors(code), worklist_actors=self.executor(code).actors
            )
        return result

    def transition_label(self, name):
        if name == "start":
            return _("Layanan dimulai")
        transition = self.transitions.get(name)
        return transition.label if transition else name

    def transitions_from(self, status):
        return [t for t in self.transitions.values() if t.source == status]

    @cached_property
    def worklist_statuses(self) -> dict[Actor, frozenset[str]]:
        """Per actor, the statuses in which it has work: a transition to fire that the worklist counts."""
        statuses = {}
        for transition in self.transitions.values():
            if transition.in_worklist:
                for actor in transition.worklist_actors:
                    statuses.setdefault(actor, set()).add(transition.source)
        return {actor: frozenset(codes) for actor, codes in statuses.items()}

    @cached_property
    def worklist_tasks(self) -> dict[Actor, tuple[Task, ...]]:
        """Per actor, the tasks (Workflow.tasks) that reach its worklist while they are pending."""
        tasks = {}
        for task in self.tasks:
            for actor in self.executor(task.executor).actors:
                tasks.setdefault(actor, []).append(task)
        return {actor: tuple(found) for actor, found in tasks.items()}

    @cached_property
    def approval_statuses(self) -> frozenset[str]:
        return frozenset(t.source for t in self.transitions.values() if t.approval)

    # The printed sheet: the flowchart symbol of each step.

    def symbol(self, step):
        if step.code in self.initial_statuses or step is self.steps[-1]:
            return "terminator"
        return "decision" if step.is_decision else "process"
