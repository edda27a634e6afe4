"""Reads shared by the portal's pages."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from portal.models import Membership, Service, TransitionLog, Unit, units_below
from portal.workflow import registered_workflows


@dataclass
class ServiceSummary:
    service: Service
    open_count: int | None  # None while the SOP app has no records yet
    overdue_count: int | None


def services_for(user) -> list[ServiceSummary]:
    """The services of the user's units, with counts of their open and overdue records.

    A service is listed when it belongs to a unit the user is a member of, a
    unit below it, or a unit above it (an UPTD officer works in the Dinas's
    ALOKON service). Counts cover only the records the user may see.
    """
    member_of = set(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
    if not member_of:
        return []
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    visible = units_below(member_of, parents)
    related = set(visible)
    for unit_id in member_of:
        while unit_id is not None:
            related.add(unit_id)
            unit_id = parents.get(unit_id)

    services = list(Service.objects.filter(unit_id__in=related).select_related("unit").order_by("name"))
    counts_by_app = {}
    now = timezone.now()
    workflows = registered_workflows()
    for app in {s.app for s in services}:
        try:
            model = workflows[app].get_model()
        except (LookupError, KeyError):
            continue
        counts_by_app[app] = {
            row["unit_id"]: row
            for row in model.objects.filter(unit_id__in=visible)
            .open()
            .values("unit_id")
            .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        }
    summaries = []
    for service in services:
        counts = counts_by_app.get(service.app)
        if counts is None:
            summaries.append(ServiceSummary(service, None, None))
            continue
        rows = [counts[u] for u in units_below({service.unit_id}, parents) & visible if u in counts]
        summaries.append(
            ServiceSummary(service, sum(r["open"] for r in rows), sum(r["overdue"] for r in rows))
        )
    return summaries


def transition_log(record):
    """A record's status changes, oldest first, with who made them."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("actor")
