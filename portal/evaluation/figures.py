"""The figures of a service's quarter, for its evaluation: what the page, the PDF, the XLSX and a signed evaluation
(frozen as JSON) show. Counts, times and staff names only: no person served is ever named.

A quarter (portal.periods.Quarter) runs in local time (WIB). A record of the service counts as
- received in the quarter by its `created_at`;
- completed when it reached a final status in the quarter (`status_changed_at`), whenever it was received;
- open at the quarter's end when received before the end and not closed by then;
- within its time standard when completed by its `due_at`; a completed record without a due time is counted apart.
Times run from receipt to closing, in hours, and in working hours of the record's unit where it has service hours.
A step's wait is the time between the record entering a status and leaving it (TransitionLog), counted in the
quarter it ended. Complaints count by the complaint's `created_at` (Complaint.about = the service); overdue: past
their due time while open, or closed after it.

Queries do not grow with the records: the records that touch the quarter are read in one pass over values() rows
(medians and percentiles are no portable SQL aggregate), their transitions in one, the units' calendars once per
unit, the complaints in one, then the IKM (portal.survey) and the register of missed standards (portal.guarantee).
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.complaints.models import Complaint
from portal.guarantee import policy as guarantee_policy
from portal.guarantee import selectors as guarantee_selectors
from portal.letters import person_name
from portal.models import TransitionLog, Unit
from portal.survey import ikm
from portal.survey import selectors as survey_selectors

LONGEST_STEPS = 3


def median(values):
    """The middle value; for an even count the mean of the two middle ones (a spreadsheet's MEDIAN()). None of
    nothing."""
    return statistics.median(values) if values else None


def percentile(values, percent):
    """Nearest rank: the ceil(percent/100 * n)-th of the n values sorted. None of nothing."""
    if not values:
        return None
    rank = -(-percent * len(values) // 100)
    return sorted(values)[rank - 1]


def share(part, whole):
    return 100 * part / whole if whole else None


def hours(delta):
    return delta.total_seconds() / 3600


@dataclass
class Step:
    status: str
    label: str
    waits: int
    median_hours: float


@dataclass
class Officer:
    name: str
    steps: int  # steps taken in the quarter (TransitionLog rows they wrote)
    closed: int  # of those, steps that closed a record


@dataclass
class MissedRow:
    number: str
    due_at: datetime
    done_at: datetime | None
    late: str
    decision: str


@dataclass
class Figures:
    service_name: str
    unit_name: str
    quarter_code: str
    quarter_label: str
    received: int
    completed: int
    closed_by_status: list  # [(label, count)] of the final statuses
    open_at_end: int
    within_standard: int
    without_due: int  # completed without a due time: not counted in the share
    median_hours: float | None
    p90_hours: float | None
    working_time: bool  # whether the records' units have service hours (the working-time figures below)
    median_working_hours: float | None
    p90_working_hours: float | None
    longest_steps: list  # [Step]
    complaints: int
    complaints_answered: int
    complaints_median_response_hours: float | None
    complaints_overdue: int
    ikm_respondents: int
    ikm_value: str | None  # the converted IKM (25-100), two decimals, as the survey prints it
    ikm_letter: str
    ikm_performance: str
    missed_due: int
    missed_count: int
    compensation_promised: bool
    missed: list  # [MissedRow]
    officers: list | None  # [Officer] when asked, else None
    made_at: datetime = field(default_factory=timezone.now)

    @property
    def completed_with_due(self):
        return self.completed - self.without_due

    @property
    def within_share(self):
        return share(self.within_standard, self.completed_with_due)

    @property
    def complaints_answered_share(self):
        return share(self.complaints_answered, self.complaints)

    def as_json(self) -> dict:
        data = asdict(self)
        data["made_at"] = self.made_at.isoformat()
        for row in data["missed"]:
            row["due_at"] = row["due_at"].isoformat()
            row["done_at"] = row["done_at"].isoformat() if row["done_at"] else None
        return data

    @classmethod
    def from_json(cls, data) -> "Figures":
        data = dict(data)
        data["made_at"] = datetime.fromisoformat(data["made_at"])
        data["closed_by_status"] = [tuple(pair) for pair in data["closed_by_status"]]
        data["longest_steps"] = [Step(**step) for step in data["longest_steps"]]
        data["missed"] = [
            MissedRow(**{**row, "due_at": datetime.fromisoformat(row["due_at"]),
                         "done_at": datetime.fromisoformat(row["done_at"]) if row["done_at"] else None})
            for row in data["missed"]
        ]
        if data["officers"] is not None:
            data["officers"] = [Officer(**officer) for officer in data["officers"]]
        return cls(**data)


def _calendars(unit_ids):
    """{unit id: its working calendar, or None without service hours}: one per unit."""
    return {unit.pk: guarantee_policy.unit_calendar(unit) for unit in Unit.objects.filter(pk__in=unit_ids)}


def touching_records(service, model, start, end):
    """The records of `service` that touch the period from `start` to before `end`: received before its end, and not
    closed before its start."""
    final = model.workflow.final_statuses
    return model.objects.filter(service=service, created_at__lt=end).exclude(
        status__in=final, status_changed_at__lt=start
    )


def _records(service, model, start, end):
    records = touching_records(service, model, start, end)
    rows = list(records.values("pk", "unit_id", "created_at", "status", "status_changed_at", "due_at"))
    return records, rows


def _times(rows, final, start, end):
    """The counts and times of the records (see the module's docstring)."""
    received = sum(start <= row["created_at"] < end for row in rows)
    completed = [row for row in rows if row["status"] in final and start <= row["status_changed_at"] < end]
    open_at_end = sum(
        row["created_at"] < end and not (row["status"] in final and row["status_changed_at"] < end) for row in rows
    )
    with_due = [row for row in completed if row["due_at"] is not None]
    calendars = _calendars({row["unit_id"] for row in completed})
    elapsed = [hours(row["status_changed_at"] - row["created_at"]) for row in completed]
    working = [
        calendars[row["unit_id"]].working_minutes_between(row["created_at"], row["status_changed_at"]) / 60
        for row in completed if calendars[row["unit_id"]] is not None
    ]
    return {
        "received": received,
        "completed": len(completed),
        "closed": Counter(row["status"] for row in completed),
        "open_at_end": open_at_end,
        "within_standard": sum(row["status_changed_at"] <= row["due_at"] for row in with_due),
        "without_due": len(completed) - len(with_due),
        "median_hours": median(elapsed),
        "p90_hours": percentile(elapsed, 90),
        "working_time": bool(working) or any(calendars.values()),
        "median_working_hours": median(working),
        "p90_working_hours": percentile(working, 90),
    }


def transition_rows(model, records):
    """The TransitionLog rows of `records` (a queryset of `model`), by record and time: one query."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=records.values("pk")
    ).order_by("object_id", "at", "pk").values("object_id", "from_status", "to_status", "at", "actor_id")


def steps_waited(logs, start, end, workflow) -> list[Step]:
    """A Step for each status but the final ones that a record left from `start` to before `end`, in no order: its
    waits, each from the record entering the status to leaving it, and their median. `logs`: transition_rows."""
    waits, entered = defaultdict(list), {}
    for log in logs:
        key = (log["object_id"], log["from_status"])
        if log["from_status"] and key in entered and start <= log["at"] < end:
            waits[log["from_status"]].append(hours(log["at"] - entered[key]))
        entered[(log["object_id"], log["to_status"])] = log["at"]
    return [
        Step(status, str(workflow.status_label(status)), len(times), median(times))
        for status, times in waits.items() if status not in workflow.final_statuses
    ]


def _transitions(model, touching, start, end, workflow, per_officer):
    """The steps that waited longest, and the steps each officer took, from the records' TransitionLog rows."""
    logs = list(transition_rows(model, touching))
    steps = sorted(
        steps_waited(logs, start, end, workflow), key=lambda step: (-step.median_hours, step.label)
    )[:LONGEST_STEPS]
    steps_by_actor, closed_by_actor = Counter(), Counter()
    for log in logs:
        if log["actor_id"] is not None and start <= log["at"] < end:
            steps_by_actor[log["actor_id"]] += 1
            closed_by_actor[log["actor_id"]] += log["to_status"] in workflow.final_statuses
    officers = None
    if per_officer:
        users = get_user_model().objects.filter(pk__in=list(steps_by_actor))
        officers = sorted(
            (Officer(person_name(user), steps_by_actor[user.pk], closed_by_actor[user.pk]) for user in users),
            key=lambda officer: officer.name.lower(),
        )
    return steps, officers


def _complaints(service, start, end, now):
    rows = Complaint.objects.filter(about=service, created_at__gte=start, created_at__lt=end).values(
        "created_at", "first_response_at", "due_at", "status", "status_changed_at"
    )
    final = Complaint.workflow.final_statuses
    count, responses, overdue = 0, [], 0
    for row in rows:
        count += 1
        if row["first_response_at"] is not None:
            responses.append(hours(row["first_response_at"] - row["created_at"]))
        if row["due_at"] is not None:
            closed = row["status"] in final
            overdue += (row["status_changed_at"] > row["due_at"]) if closed else (row["due_at"] < now)
    return count, len(responses), median(responses), overdue


def quarter_figures(service, quarter, user, *, per_officer=False, now=None) -> Figures:
    """The figures of `service` (an SOP service, not a complaint desk) in `quarter`, as `user` reads the register of
    missed standards; per officer when asked."""
    now = now or timezone.now()
    model = service.record_model
    workflow = model.workflow
    start, end = quarter.bounds()
    touching, rows = _records(service, model, start, end)
    times = _times(rows, workflow.final_statuses, start, end)
    steps, officers = _transitions(model, touching, start, end, workflow, per_officer)
    complaints, answered, response_median, overdue = _complaints(service, start, end, now)
    survey = survey_selectors.quarter_figures(service, quarter)
    index = survey.index
    register = guarantee_selectors.register(service, quarter, user, now=now)
    return Figures(
        service_name=service.name,
        unit_name=str(service.unit),
        quarter_code=quarter.code,
        quarter_label=str(quarter.label),
        received=times["received"],
        completed=times["completed"],
        closed_by_status=[
            (str(workflow.status_label(status)), times["closed"][status]) for status in workflow.final_statuses
        ],
        open_at_end=times["open_at_end"],
        within_standard=times["within_standard"],
        without_due=times["without_due"],
        median_hours=times["median_hours"],
        p90_hours=times["p90_hours"],
        working_time=times["working_time"],
        median_working_hours=times["median_working_hours"],
        p90_working_hours=times["p90_working_hours"],
        longest_steps=steps,
        complaints=complaints,
        complaints_answered=answered,
        complaints_median_response_hours=response_median,
        complaints_overdue=overdue,
        ikm_respondents=survey.respondents,
        ikm_value=str(ikm.shown(index.converted, 2)) if index else None,
        ikm_letter=index.category.letter if index else "",
        ikm_performance=str(index.category.performance) if index else "",
        missed_due=register.due_count,
        missed_count=register.missed_count,
        compensation_promised=bool(register.compensation),
        missed=[
            MissedRow(row.number, row.due_at, row.done_at, str(row.late_words), str(row.decision))
            for row in register.rows
        ],
        officers=officers,
        made_at=now,
    )
