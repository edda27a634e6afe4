"""What ALOKON reminds of at the reminder round (portal.notifications.reminders, through Distribution.reminders):

- a faskes' monthly report: to the faskes' accounts, from the REPORT_REMINDER_DAY of the month for last month's
  report while it is not filed, and once more the day after it was due (the 15th) if it still is not;
- a lot near expiry: to the warehouse's storekeepers, when a lot it holds comes within the warning window;
- a stock count waiting for approval: to the heads who may approve it.

Each reminder's key names its event, so the round, meeting it every ten minutes, tells each user once. The rules
are the pages' own: who has not reported (`not_reported`, the dashboard's list), which lots are near expiry
(alokon.stock.lots_on_hand) and who approves a count (alokon.services.ledger). The texts name a faskes, a lot and
a warehouse, never a person. A round reads a fixed few queries, and one per warehouse for its lots, however many
faskes and lots there are.
"""

from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alokon import stock
from alokon.selectors import not_reported
from alokon.models import FacilityAccount, MonthlyReport, StockCount
from alokon.services.ledger import APPROVER_ROLES, STOCK_ROLES
from portal.clock import add_months
from portal.models import Membership, Service, Unit
from portal.notifications.models import Kind
from portal.notifications.reminders import Reminder

# A faskes hears of last month's report from this day on: five days before it is due (the 15th) leave time to
# gather the month's stock cards and acceptors, and a reminder sooner would come before the month's figures are in.
REPORT_REMINDER_DAY = 10


def due(now) -> list[Reminder]:
    """Every ALOKON reminder at `now`."""
    today = timezone.localdate(now)
    services = {}  # warehouse (unit id): its ALOKON service, whose pages the reminders lead to
    for service in Service.objects.filter(app="alokon").select_related("unit").order_by("pk"):
        services.setdefault(service.unit_id, service)
    holders = _holders(services)
    return [
        *reports_due(today),
        *lots_near_expiry(today, services, holders[STOCK_ROLES]),
        *counts_waiting(services, holders[APPROVER_ROLES]),
    ]


def reports_due(today) -> list[Reminder]:
    """Last month's report, to the active accounts of each faskes that has not filed it: "due" up to the 15th,
    "late" after it, each once. One query."""
    if today.day < REPORT_REMINDER_DAY:
        return []
    month = add_months(today.replace(day=1), -1)
    due_on = MonthlyReport(month=month).due_on
    late = today > due_on
    accounts = (
        FacilityAccount.objects.filter(facility__in=not_reported(month), user__is_active=True)
        .select_related("facility", "user").order_by("facility_id", "user_id")
    )
    users = defaultdict(list)
    facilities = {}
    for account in accounts:
        users[account.facility_id].append(account.user)
        facilities[account.facility_id] = account.facility
    words = {"month": date_format(month, "F Y"), "due": date_format(due_on, "j F Y")}
    text = (_("Laporan pemakaian alokon %(facility)s bulan %(month)s terlambat: jatuh tempo %(due)s.") if late
            else _("Laporan pemakaian alokon %(facility)s bulan %(month)s jatuh tempo %(due)s."))
    return [
        Reminder(
            users=users[pk], kind=Kind.REPORT_DUE, text=text % {**words, "facility": facility.name},
            url=reverse("alokon:report_new", args=[pk, f"{month:%Y-%m}"]),
            key=f"alokon-report-{'late' if late else 'due'}:{pk}:{month:%Y-%m}",
        )
        for pk, facility in facilities.items()
    ]


def lots_near_expiry(today, services, storekeepers) -> list[Reminder]:
    """Each lot a warehouse holds that expires within the warning window, to its storekeepers, once per lot and
    expiry date. One query per warehouse that has a storekeeper."""
    reminders = []
    for warehouse, service in services.items():
        if not storekeepers[warehouse]:
            continue
        for balance in stock.lots_on_hand(warehouse, today=today):
            if not balance.near_expiry:
                continue
            lot = balance.lot
            query = urlencode({"layanan": service.slug, "lot": lot.pk})
            reminders.append(Reminder(
                users=storekeepers[warehouse], kind=Kind.EXPIRY,
                text=_("Lot %(lot)s %(item)s di gudang alokon %(warehouse)s kedaluwarsa %(expiry)s.") % {
                    "lot": lot.number, "item": lot.item.name, "warehouse": service.unit,
                    "expiry": date_format(lot.expiry_date, "j F Y"),
                },
                url=f"{reverse('alokon:stock_card', args=[lot.item_id])}?{query}",
                key=f"alokon-expiry:{warehouse}:{lot.pk}:{lot.expiry_date.isoformat()}",
            ))
    return reminders


def counts_waiting(services, heads) -> list[Reminder]:
    """Each count submitted and not yet approved, to the heads who may approve it: not its counters
    (alokon.services.ledger.count_approve). One query."""
    reminders = []
    counts = StockCount.objects.filter(status=StockCount.Status.SUBMITTED, warehouse__in=services).order_by("pk")
    for count in counts:
        service = services[count.warehouse_id]
        counters = {count.started_by_id, count.submitted_by_id}
        reminders.append(Reminder(
            users=[user for user in heads[count.warehouse_id] if user.pk not in counters], kind=Kind.COUNT,
            text=_("Stok opname gudang alokon %(warehouse)s tanggal %(date)s menunggu persetujuan Anda.") % {
                "warehouse": service.unit, "date": date_format(count.counted_on, "j F Y"),
            },
            url=f"{reverse('alokon:count', args=[count.pk])}?{urlencode({'layanan': service.slug})}",
            key=f"alokon-count:{count.pk}",
        ))
    return reminders


def _holders(services) -> dict:
    """{roles: {warehouse: its active users holding one of `roles` in it or a unit above it}}, for the storekeepers
    (STOCK_ROLES) and the approvers (APPROVER_ROLES): whom alokon.services.ledger.require_role lets act on the
    warehouse's books. Two queries."""
    tree = Unit.objects.tree()
    chains = {warehouse: tree.above(warehouse) for warehouse in services}
    wanted = {*STOCK_ROLES, *APPROVER_ROLES}
    memberships = Membership.objects.filter(
        unit__in={unit for chain in chains.values() for unit in chain}, role__name__in=wanted, user__is_active=True,
    ).select_related("user", "role").order_by("user_id")
    by_unit = defaultdict(list)
    for membership in memberships:
        by_unit[membership.unit_id, membership.role.name].append(membership.user)
    return {
        roles: {
            warehouse: list(dict.fromkeys(
                user for unit in chain for role in roles for user in by_unit[unit, role]
            ))
            for warehouse, chain in chains.items()
        }
        for roles in (STOCK_ROLES, APPROVER_ROLES)
    }
