"""Reads shared by the portal's pages."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Service, TransitionLog, access_for, sop_models
from portal.pagination import bounded_count
from portal.roles import Role

# Records listed per service on the start page; the count says how many more wait, and the app's list shows
# them all under this query (each app's list filters on it with Access.waiting_filter).
WORKLIST_LENGTH = 10
WAITING_QUERY = "tugas=saya"
# The start page counts up to this many records per service ("lebih dari 100"): beyond it the number tells an
# officer nothing more, and counting further would read every open record of the years kept.
WORKLIST_COUNT_LIMIT = 100


@dataclass
class ServiceWork:
    """One service on a user's start page: what waits for them, and how they start a new record.

    For an observer (the Kepala Dinas), who has no step of their own, the service's open records instead.
    """

    service: Service
    start_label: str
    start_url: str | None  # None: the user may not start one, or the app has no page for it yet
    list_url: str | None = None  # the app's list of the service's records

    @property
    def waiting_url(self):
        """The app's list of every record waiting for the user (WAITING_QUERY)."""
        if self.list_url is None:
            return None
        return f"{self.list_url}{'&' if '?' in self.list_url else '?'}{WAITING_QUERY}"
    # Counts go up to WORKLIST_COUNT_LIMIT; `*_more`: there are more.
    waiting_count: int = 0
    waiting_more: bool = False
    overdue_count: int = 0  # of the waiting records; an observer's: of the open ones
    overdue_more: bool = False
    waiting: list = field(default_factory=list)
    alerts: list = field(default_factory=list)  # (text, url): WorkflowRecord.alerts
    work_areas: list = field(default_factory=list)  # (label, url): WorkflowRecord.work_areas
    # (label, url): the service's quarterly reports its heads read (the survey's index, the missed standards)
    reports: list = field(default_factory=list)
    own_standard: bool = True  # WorkflowRecord.own_standard: its published standard and SOP are linked
    observing: bool = False
    open_count: int = 0  # an observer's: the open records they see
    open_more: bool = False


def worklist(user) -> list[ServiceWork]:
    """The services where the user's roles have a step, each with the records waiting for one they may do now,
    and the services they observe, each with its open records counted.

    A role counts for a service when it is held in the service's unit, above it
    or below it in a unit that handles its records (an UPTD P5A officer works in
    the Dinas's ALOKON service; WorkflowRecord.handling_units). Records
    are listed earliest due first, so overdue ones lead. Neither the query count
    nor the rows read grow with the records kept: two queries per service, the
    first bounded, over open records only (each app's partial index of open
    records by service and due time serves it).
    """
    access = access_for(user)
    if not access.grants:
        return []
    models = sop_models()
    now = timezone.now()
    result = []
    guest_services = {}  # app -> the services where the user is named on a record (read once per app)
    for service in Service.objects.select_related("unit").order_by("name"):
        model = models.get(service.app)
        if model is None:
            continue
        workflow = model.workflow
        roles = access.service_roles(service.unit_id, lambda: model.handling_units(service)) & workflow.access_roles
        if not roles:
            if service.app not in guest_services:
                guest_services[service.app] = named_services(user, model)
            if service.pk in guest_services[service.app]:
                roles = {model.guest_role}
        if not roles:
            continue
        # A role that acts only through an office the user does not hold here (the Kabid KB on the P2TP2A) observes.
        observing = not any(access.satisfies(actor, roles, service.unit_id) for actor in workflow.actors)
        can_start = any(access.satisfies(actor, roles, service.unit_id) for actor in workflow.start_actors())
        can_start = can_start and model.may_start(service, user)
        work = ServiceWork(
            service=service,
            start_label=workflow.start_action,
            start_url=model.get_start_url(service) if can_start else None,
            list_url=model.get_list_url(service),
            alerts=model.alerts(service, user),
            work_areas=model.work_areas(service, user),
            observing=observing,
            own_standard=model.own_standard,
            reports=_reports(service, model, access),
        )
        if observing:
            open_records = model.objects.visible_to(user).filter(service=service).open()
            work.open_count, work.open_more = bounded_count(open_records, WORKLIST_COUNT_LIMIT)
            work.overdue_count, work.overdue_more = bounded_count(
                open_records.filter(due_at__lt=now), WORKLIST_COUNT_LIMIT
            )
            result.append(work)
            continue
        # The keys and due times of the waiting records, up to the count's limit and earliest due first, give both
        # counts (the overdue ones lead) and the rows shown, read then by key: the waiting filter's access rules
        # are compiled and planned by PostgreSQL once, not for a list and each count.
        waiting = model.objects.open().filter(access.waiting_filter(model), service=service)
        ordered = waiting.order_by(F("due_at").asc(nulls_last=True), F("step_due_at").asc(nulls_last=True), "pk")
        keys = list(ordered.values_list("pk", "due_at")[:WORKLIST_COUNT_LIMIT + 1])
        overdue = sum(1 for _pk, due_at in keys if due_at and due_at < now)
        work.waiting_count, work.waiting_more = min(len(keys), WORKLIST_COUNT_LIMIT), len(keys) > WORKLIST_COUNT_LIMIT
        work.overdue_count, work.overdue_more = min(overdue, WORKLIST_COUNT_LIMIT), overdue > WORKLIST_COUNT_LIMIT
        shown = [pk for pk, _due_at in keys[:WORKLIST_LENGTH]]
        if shown:
            rows = model.objects.select_related("unit").in_bulk(shown)
            work.waiting = [rows[pk] for pk in shown]
        result.append(work)
    return result


def _reports(service, model, access):
    """The quarterly reports of a service with a standard of its own, for its heads (in its unit or above): its
    satisfaction index, its missed standards, its performance evaluation and its dashboard."""
    if not model.own_standard or not access.roles_in(service.unit_id) & set(Role.HEADS):
        return []
    query = f"?{urlencode({'layanan': service.slug})}"
    return [
        (_("Indeks kepuasan (IKM)"), reverse("survey:index") + query),
        (_("Jaminan pelayanan"), reverse("guarantee:register") + query),
        (_("Evaluasi kinerja"), reverse("evaluation:index") + query),
        (_("Dasbor"), reverse("dashboards:index") + query),
    ]


def services_where(user, app, roles, *, below=False) -> list[Service]:
    """The services of `app` for which `user` holds one of `roles`: in the service's unit or above it, and with
    `below` also in a unit below it that handles its records (WorkflowRecord.handling_units: a UPTD P5A in the
    Dinas's ALOKON service). The one way an app's page finds "the user's services" for a job."""
    access = access_for(user)
    model = sop_models()[app]
    roles = set(roles)
    services = Service.objects.filter(app=app).select_related("unit").order_by("name")
    if below:
        return [s for s in services if access.service_roles(s.unit_id, lambda s=s: model.handling_units(s)) & roles]
    return [s for s in services if access.roles_in(s.unit_id) & roles]


def named_services(user, model) -> set[int]:
    """The services of `model` in which `user` works only by being named on open records (WorkflowRecord.guest_role:
    a social worker of another agency on a case's team), holding that role in a unit of their own. One query for
    every service of the app: asking service by service read each service's records."""
    guest_role = model.guest_role
    if guest_role is None or guest_role not in {role for _unit, role in access_for(user).grants}:
        return set()
    # Open records only: a team on closed cases brings no work, and the open ones are the partial index's few.
    return set(model.objects.open().filter(model.named_filter(user)).values_list("service_id", flat=True).distinct())


def transition_log(record):
    """A record's status changes, oldest first, with who made them."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("actor")
