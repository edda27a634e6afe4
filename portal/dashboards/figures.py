"""The figures of a head's dashboard for one service, as counted: what portal.dashboards.printed prints. Counts and
times only: no person served is named.

With the evaluation's definitions (portal.evaluation.figures), in local time (WIB):
- open: not in a final status, now; per step (its status). Due soon: due within DUE_SOON from now; overdue: past
  its due time (`due_at`), as the registers' "lewat waktu" filter counts;
- completed in a month, for the current month and the eleven before it: a final status reached in it; within the
  time standard when reached by `due_at`, a record without a due time left out of the share;
- a step's wait, over the current month and the WAIT_MONTHS - 1 before it: from a record entering the step's
  status to leaving it (TransitionLog), counted when it ended; its median in hours;
- complaints about the service: received in the twelve months, and open now, and overdue among those;
- the IKM (portal.survey.ikm) of this quarter so far and of the one before.

Queries do not grow with the records, and neither do the rows read but the steps' waits: the open records are
counted per status, the completed ones per month, the complaints and the survey's answers each in one aggregate;
the transitions of the records that touch the last WAIT_MONTHS months are read in one pass (medians are no
portable SQL aggregate), the evaluation's own walk (portal.evaluation.figures.steps_waited).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.clock import add_months
from portal.complaints.models import Complaint
from portal.evaluation import figures as evaluation_figures
from portal.evaluation.figures import share
from portal.periods import Quarter
from portal.survey import ikm
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response

MONTHS = 12
WAIT_MONTHS = 3
DUE_SOON = timedelta(days=1)


@dataclass
class StepFigures:
    status: str
    label: str
    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    waits: int = 0  # records that left the step since ServiceFigures.waits_since
    median_hours: float | None = None


@dataclass
class MonthFigures:
    start: datetime  # the month's first moment, local time
    completed: int
    within_standard: int
    without_due: int

    @property
    def completed_with_due(self):
        return self.completed - self.without_due

    @property
    def late(self):
        return self.completed_with_due - self.within_standard

    @property
    def within_share(self):
        return share(self.within_standard, self.completed_with_due)


@dataclass
class IkmFigures:
    quarter: Quarter
    respondents: int
    value: Decimal | None  # the converted IKM (25-100), two decimals, as the survey rounds it
    letter: str
    performance: str


@dataclass
class ServiceFigures:
    service: object
    made_at: datetime
    steps: list  # [StepFigures], every step of the workflow in its order
    months: list  # [MonthFigures], oldest first, this month last
    waits_since: datetime  # the steps' waits ended from then to `made_at`
    complaints_received: int
    complaints_open: int
    complaints_overdue: int
    ikm: list  # [IkmFigures]: this quarter, the one before

    @property
    def open(self):
        return sum(step.open for step in self.steps)

    @property
    def due_soon(self):
        return sum(step.due_soon for step in self.steps)

    @property
    def overdue(self):
        return sum(step.overdue for step in self.steps)

    @property
    def year(self) -> MonthFigures:
        """The twelve months summed, as one MonthFigures starting with the first."""
        return MonthFigures(
            self.months[0].start, sum(m.completed for m in self.months),
            sum(m.within_standard for m in self.months), sum(m.without_due for m in self.months),
        )


def month_starts(now, count=MONTHS) -> list[datetime]:
    """The first moments of the `count` months to the one of `now`, oldest first, and the next month's: local time."""
    first = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return [add_months(first, offset) for offset in range(1 - count, 2)]


def _open_steps(model, service, now):
    """A StepFigures per step with the open records counted: one aggregate over the open records."""
    workflow = model.workflow
    rows = (
        model.objects.filter(service=service).open().order_by().values("status").annotate(
            open=Count("pk"),
            due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + DUE_SOON)),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
        )
    )
    counted = {row["status"]: row for row in rows}
    labels = dict(workflow.status_choices)  # numbered, as the registers list them
    # A status no step has any more (a record of an older SOP) still counts, under its code.
    statuses = [step.code for step in workflow.steps] + sorted(set(counted) - set(labels))
    empty = {"open": 0, "due_soon": 0, "overdue": 0}
    return [
        StepFigures(status, str(labels.get(status, status)), **{
            name: counted.get(status, empty)[name] for name in empty
        })
        for status in statuses
    ]


def _months(model, service, starts):
    """A MonthFigures per month of `starts` but the last (the next month's first moment): one aggregate."""
    final = model.workflow.final_statuses
    rows = (
        model.objects.filter(
            service=service, status__in=final, status_changed_at__gte=starts[0], status_changed_at__lt=starts[-1]
        )
        .annotate(month=TruncMonth("status_changed_at", tzinfo=timezone.get_default_timezone()))
        .order_by().values("month").annotate(
            completed=Count("pk"),
            within_standard=Count("pk", filter=Q(due_at__gte=F("status_changed_at"))),
            without_due=Count("pk", filter=Q(due_at=None)),
        )
    )
    counted = {(row["month"].year, row["month"].month): row for row in rows}
    empty = {"completed": 0, "within_standard": 0, "without_due": 0}
    return [
        MonthFigures(start, **{name: counted.get((start.year, start.month), empty)[name] for name in empty})
        for start in starts[:-1]
    ]


def _waits(model, service, steps, start, now):
    """The steps' waits that ended from `start` to `now`, set on `steps` (StepFigures): one query."""
    records = evaluation_figures.touching_records(service, model, start, now)
    logs = evaluation_figures.transition_rows(model, records)
    waited = {step.status: step for step in evaluation_figures.steps_waited(logs, start, now, model.workflow)}
    for step in steps:
        if step.status in waited:
            step.waits, step.median_hours = waited[step.status].waits, waited[step.status].median_hours


def _complaints(service, start, now):
    """(received from `start`, open now, overdue now) of the complaints about `service`: one aggregate."""
    final = Complaint.workflow.final_statuses
    counts = Complaint.objects.filter(about=service).aggregate(
        received=Count("pk", filter=Q(created_at__gte=start, created_at__lt=now)),
        open=Count("pk", filter=~Q(status__in=final)),
        overdue=Count("pk", filter=~Q(status__in=final) & Q(due_at__lt=now)),
    )
    return counts["received"], counts["open"], counts["overdue"]


def _ikm(service, quarters):
    """An IkmFigures per quarter, from the sums of the answers to each element (portal.survey.ikm): one aggregate."""
    sums = {}
    for number, quarter in enumerate(quarters):
        start, end = quarter.bounds()
        within = Q(submitted_at__gte=start, submitted_at__lt=end)
        sums[f"respondents_{number}"] = Count("pk", filter=within)
        sums.update({f"{code}_{number}": Sum(code, filter=within) for code in ELEMENT_CODES})
    earliest = min(quarter.bounds()[0] for quarter in quarters)
    totals = Response.objects.filter(service=service, submitted_at__gte=earliest).aggregate(**sums)
    result = []
    for number, quarter in enumerate(quarters):
        respondents = totals[f"respondents_{number}"]
        index = ikm.index({code: totals[f"{code}_{number}"] for code in ELEMENT_CODES}, respondents)
        if index is None:
            result.append(IkmFigures(quarter, 0, None, "", ""))
        else:
            result.append(IkmFigures(
                quarter, respondents, ikm.shown(index.converted, 2), index.category.letter,
                str(index.category.performance),
            ))
    return result


def service_figures(service, *, now=None, waits=True) -> ServiceFigures:
    """The dashboard's figures of `service` (an SOP service with records) at `now`; without the steps' waits (one
    query and the rows it reads fewer) when `waits` is False, as the overview of several services shows none."""
    now = now or timezone.now()
    model = service.record_model
    steps = _open_steps(model, service, now)
    starts = month_starts(now)
    waits_since = starts[-1 - WAIT_MONTHS]
    if waits:
        _waits(model, service, steps, waits_since, now)
    received, opened, overdue = _complaints(service, starts[0], now)
    quarter = Quarter.of(timezone.localtime(now).date())
    return ServiceFigures(
        service=service, made_at=now, steps=steps, months=_months(model, service, starts), waits_since=waits_since,
        complaints_received=received, complaints_open=opened, complaints_overdue=overdue,
        ikm=_ikm(service, [quarter, quarter.previous()]),
    )
