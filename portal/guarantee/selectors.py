"""The guarantee's reads: whose register a user reads, the register of a service and quarter, and what waits for
the user on their start page."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, Value, When
from django.utils import timezone

from portal import identity
from portal.guarantee import policy
from portal.guarantee.models import MissedStandard, Promise
from portal.models import Service, access_for
from portal.roles import Role
from portal.periods import Quarter

# Who reads a service's register: its officers and heads, holding the role in the service's unit or above.
READERS = frozenset({Role.OFFICER, Role.HEAD, Role.AGENCY_HEAD})
# The start page looks this far back for records still waiting for a reason or a decision: the quarter before
# the current one and this one. Records of older quarters are the register's.
WAITING_LIMIT = 10


def reads_any(user) -> bool:
    return any(role in READERS for _unit, role in access_for(user).grants)


def register_services(user) -> list[Service]:
    """The services whose register `user` reads (READERS, among the roles that see the service's records), by
    name."""
    access = access_for(user)
    services = Service.objects.select_related("unit").order_by("name")
    return [
        service for service in services
        if service.record_model is not None
        and access.roles_in(service.unit_id) & READERS & service.workflow.access_roles
    ]


@dataclass
class Row:
    record: object
    number: str
    url: str | None  # None: the user does not see the record itself
    received_at: object
    due_at: object
    done_at: object  # None: still open
    late_minutes: int
    working_time: bool
    reason: str
    reason_kept: bool  # a reason the app keeps beside the identity, which this user does not read
    entry: MissedStandard | None

    @property
    def late_words(self):
        return policy.lateness_words(self.late_minutes, self.working_time)

    @property
    def decision(self):
        return self.entry.decision_words() if self.entry else ""


@dataclass
class Register:
    service: Service
    quarter: Quarter
    promise: Promise | None
    rows: list
    due_count: int
    missed_count: int
    made_at: object = field(default_factory=timezone.now)

    @property
    def within_count(self):
        return self.due_count - self.missed_count

    @property
    def within_share(self):
        return 100 * self.within_count / self.due_count if self.due_count else None

    @property
    def compensation(self):
        return self.promise is not None and self.promise.compensation


def received(record):
    """When the record's clock started: the app's own receipt time where it keeps one, else its creation."""
    return getattr(record, "received_at", None) or record.created_at


def register(service, quarter, user, now=None) -> Register:
    """Every record of `service` due in `quarter` that missed its standard, with its reason and decision, and the
    quarter's counts. Queries do not grow with the rows: the counts, the rows, their MissedStandard rows, the
    reasons the app keeps (if it keeps any), the promise and the calendars of the units handling them."""
    now = now or timezone.now()
    model = service.record_model
    start, end = quarter.bounds()
    access = access_for(user)
    missed = policy.missed_filter(model, now)
    in_period = model.objects.filter(service=service, due_at__gte=start, due_at__lt=end)
    counts = in_period.aggregate(due=Count("pk"), missed=Count("pk", filter=missed))
    visible = Case(When(access.record_filter(model), then=Value(True)), default=Value(False), output_field=BooleanField())
    records = list(in_period.filter(missed).select_related("unit").annotate(visible=visible).order_by("due_at", "pk"))
    entries = {
        entry.object_id: entry
        for entry in MissedStandard.objects.filter(service=service, object_id__in=[r.pk for r in records])
    }
    kept = model.recorded_missed_reasons(records) if records else {}
    reads_kept = model.workflow.identity is None or service.unit_id in identity.reader_units(user, model.workflow)
    calendars = {}
    rows = []
    for record in records:
        if record.unit_id not in calendars:
            calendars[record.unit_id] = policy.unit_calendar(record.unit)
        done_at = None if record.is_open else record.status_changed_at
        minutes, working = policy.lateness(record.due_at, done_at or now, calendars[record.unit_id])
        entry = entries.get(record.pk)
        app_reason = kept.get(record.pk, "")
        rows.append(Row(
            record=record,
            number=policy.record_number(record),
            url=record.get_absolute_url() if record.visible and record.page_url_name else None,
            received_at=received(record),
            due_at=record.due_at,
            done_at=done_at,
            late_minutes=minutes,
            working_time=working,
            reason=(entry.reason if entry and entry.reason else (app_reason if reads_kept else "")),
            reason_kept=bool(app_reason) and not reads_kept and not (entry and entry.reason),
            entry=entry,
        ))
    return Register(
        service=service, quarter=quarter, promise=Promise.objects.filter(service=service).first(), rows=rows,
        due_count=counts["due"], missed_count=counts["missed"],
    )


@dataclass
class Waiting:
    record: object
    number: str
    service: Service
    needs_reason: bool
    needs_decision: bool


def waiting(user, now=None) -> list[Waiting]:
    """The records of the services the user works in (as the start page finds them: a role in the service's unit,
    above or in a unit below handling it), due since the start of the previous quarter, that missed their standard
    and wait for the user: a reason they may write, or a decision they may make. Up to WAITING_LIMIT per service,
    earliest due first."""
    now = now or timezone.now()
    since = Quarter.of(timezone.localdate(now)).previous().bounds()[0]
    access = access_for(user)
    services = [
        service for service in Service.objects.select_related("unit").order_by("name")
        if service.record_model is not None and service.workflow.access_roles & access.service_roles(
            service.unit_id, lambda service=service: service.record_model.handling_units(service)
        )
    ]
    promised = set(Promise.objects.filter(service__in=services, compensation=True).values_list("service_id", flat=True))
    result = []
    for service in services:
        model = service.record_model
        # Done with: decided where compensation is promised, else once the reason is written.
        done = MissedStandard.objects.filter(service=service).exclude(
            **({"decision": ""} if service.pk in promised else {"reason": ""})
        )
        records = list(
            model.objects.visible_to(user).filter(policy.missed_filter(model, now), service=service, due_at__gte=since)
            .exclude(pk__in=done.values("object_id"))
            .select_related("service", "unit").order_by("due_at", "pk")[:WAITING_LIMIT * 3]
        )
        if not records:
            continue
        entries = {
            e.object_id: e for e in MissedStandard.objects.filter(service=service, object_id__in=[r.pk for r in records])
        }
        kept = model.recorded_missed_reasons(records)
        found = []
        for record in records:
            entry = entries.get(record.pk)
            has_reason = bool((entry and entry.reason) or kept.get(record.pk))
            needs_reason = not has_reason and not policy.reason_refusal(record, user)
            needs_decision = has_reason and service.pk in promised and policy.is_head(record, user)
            if needs_reason or needs_decision:
                found.append(Waiting(record, policy.record_number(record), service, needs_reason, needs_decision))
        result += found[:WAITING_LIMIT]
    return result
