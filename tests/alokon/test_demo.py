"""The ALOKON demo (alokon/demo.py), loaded by load_demo in demo mode. Loading takes seconds, so the tests share
one load (`demo_loaded`) and each looks at several things."""

from collections import Counter
from io import StringIO
from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from alokon import stock
from alokon.demo import (
    DISTRIBUTIONS,
    FACILITIES,
    HISTORY,
    NOT_REPORTED,
    STOREKEEPER,
    faskes_username,
)
from alokon.models import (
    Distribution,
    Facility,
    FacilityAccount,
    Item,
    MonthlyReport,
    Movement,
    ReceiptConfirmation,
    RoutinePlan,
    StockBalance,
    StockCount,
    month_end,
)
from portal.clock import add_months
from portal.management.commands.load_demo import DEMO_PASSWORD
from portal.models import Membership, TransitionLog, Unit
from portal.roles import Role

pytestmark = pytest.mark.django_db

# Where a distribution of this month waits on the day the demo loads; those of past months are done.
WAITING = {"spmb", "packing", "delivery", "monitoring", "receipt", "service", "ditolak"}
# The steps a faskes takes: its start page lists its distributions waiting in them.
FASKES_STEPS = {"receipt", "service"}


@pytest.fixture
def demo(demo_loaded, settings):
    """The moment the demo began loading: every step it enters is logged after it."""
    settings.DEMO_MODE = True
    return demo_loaded


def not_reported_numbers():
    return {FACILITIES[number - 1][0] for number in NOT_REPORTED}


class TestTheDemo:
    def test_months_of_history_done_through_the_steps_the_books_add_up_and_loading_again_adds_nothing(
        self, demo, client
    ):
        today = timezone.localdate()
        this_month = today.replace(day=1)
        history = [add_months(this_month, index - HISTORY) for index in range(HISTORY)]
        last_month = history[-1]

        # This month's distributions wait at every step; those of past months are done, but for what a faskes that
        # has not reported last month received then.
        this_months = Distribution.objects.exclude(sbbk_issued_on__lt=this_month)
        assert set(this_months.values_list("status", flat=True)) == WAITING
        assert this_months.count() == len(DISTRIBUTIONS)
        past = Distribution.objects.filter(sbbk_issued_on__lt=this_month).select_related("facility")
        statuses = Counter(past.values_list("status", flat=True))
        assert set(statuses) == {"selesai", "service"} and statuses["selesai"] >= 3 * len(FACILITIES) // 2
        for distribution in past:
            month = distribution.sbbk_issued_on.replace(day=1)
            assert month in history
            assert distribution.sbbk_issued_on <= distribution.delivered_on <= month_end(month)
            reported = MonthlyReport.objects.filter(facility=distribution.facility, month=month).exists()
            assert (distribution.status == "selesai") == reported, distribution
            if not reported:
                assert month == last_month and distribution.facility.registration_number in not_reported_numbers()
        for month in history:  # most faskes supplied every month
            supplied = past.filter(sbbk_issued_on__range=(month, month_end(month))).values("facility").distinct()
            assert supplied.count() > len(FACILITIES) // 2, month

        # Every step by the account whose job it is, logged when it was entered; documents carry their paper dates.
        logs = TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(Distribution))
        assert not logs.filter(at__lt=demo).exists() and not logs.filter(at__gt=timezone.now()).exists()
        for log in logs.filter(transition="monitoring").select_related("actor"):
            assert Membership.objects.filter(user=log.actor, unit_id=log.unit_id, role__name=Role.OFFICER).exists()
        for log in logs.filter(transition__in=["receipt", "service", "coordination", "reporting"]):
            assert FacilityAccount.objects.filter(user=log.actor_id, facility__distributions=log.object_id).exists()
        assert Distribution.objects.filter(plan__isnull=False).exists()  # 1b, the routine plan
        assert logs.filter(transition="start", actor__username__startswith="petugas.uptd-p5a-").exists()
        # Every SPMB is the Sekretaris Dinas's; the Kabid KB, a head without her office, approves none.
        approvers = set(logs.filter(transition="spmb.approve").values_list("actor__username", flat=True))
        assert approvers == {"kepala.dppkbpppa-ciamis"}
        assert ReceiptConfirmation.objects.filter(rejected__gt=0, issue__distribution__status="service").count() == 2

        # The monthly reports: every faskes every month, but NOT_REPORTED last month; the first states the stock
        # the faskes held, the later ones carry the one before on.
        for number, (registration, *_rest) in enumerate(FACILITIES, start=1):
            reports = list(MonthlyReport.objects.filter(facility__registration_number=registration).order_by("month"))
            assert [r.month for r in reports] == (history[:-1] if number in NOT_REPORTED else history), number
            stock_rows = [{row.item_id: row for row in report.stock.all()} for report in reports]
            assert sum(row.opening for row in stock_rows[0].values()) > 0
            for earlier, later in pairwise(stock_rows):
                assert {i: row.remaining for i, row in earlier.items()} == {i: row.opening for i, row in later.items()}
            for rows in stock_rows:
                assert all(row.remaining == row.opening + row.received - row.used >= 0 for row in rows.values())
            assert any(row.used for rows in stock_rows for row in rows.values())
        assert Facility.objects.filter(
            kecamatan__name="Ciamis", accounts__isnull=False, registration_number__in=not_reported_numbers()
        ).exists()  # the browser test's faskes, to report last month

        # The ledger: every balance its sum; the province's receipts months back and last month; issues every month.
        warehouse = Unit.objects.get(code="dppkbpppa-ciamis")
        for balance in StockBalance.objects.all():
            ledger = Movement.objects.filter(warehouse=balance.warehouse, lot=balance.lot).aggregate(
                total=Sum("quantity")
            )
            assert balance.quantity == ledger["total"], balance.lot
        received = {
            m.replace(day=1) for m in Movement.objects.filter(kind="terima").values_list("occurred_on", flat=True)
        }
        assert received & {add_months(this_month, -4), add_months(this_month, -3)} and last_month in received
        for month in history:
            assert Movement.objects.filter(kind="keluar", occurred_on__range=(month, month_end(month))).exists()
        assert not Movement.objects.filter(occurred_on__gt=today).exists()
        lots = stock.lots_on_hand(warehouse)
        assert any(b.expired for b in lots) and any(b.near_expiry for b in lots)
        assert {"rusak", "selisih"} <= set(Movement.objects.filter(kind="penyesuaian").values_list("reason", flat=True))
        assert Movement.objects.filter(kind="pembalik", reverses__isnull=False).count() == 1
        # The browser test asks for 60 strips of pills and two boxes of condoms, and gets them.
        usable = {b.item.code: 0 for b in lots}
        for b in lots:
            if not b.expired:
                usable[b.item.code] += b.quantity // b.item.pack_size * b.item.pack_size
        assert usable["pil-kombinasi"] >= 60 and usable["kondom"] >= 288

        # The dashboard: months of stock from three whole months of issues; the faskes yet to report.
        client.force_login(get_user_model().objects.get(username=STOREKEEPER))
        response = client.get(reverse("alokon:dashboard"))
        assert response.status_code == 200
        items = {row.item.code: row for row in response.context["items"]}
        assert all(items[code].months_of_stock > 0 for code in ("pil-kombinasi", "pil-progestin", "kondom"))
        assert {f.registration_number for f in response.context["not_reported"]} == not_reported_numbers()

        # The routine plans: this month's sent to the SPMB as the reports' average use proposed, next month's a draft
        # proposing from them too.
        sent = RoutinePlan.objects.get(month=this_month, submitted_at__isnull=False)
        assert sent.lines.filter(proposed__gt=0).exists()
        assert all(line.quantity == line.proposed for line in sent.lines.all())
        assert set(sent.distributions.values_list("status", flat=True)) == {"spmb", "packing"}
        draft = RoutinePlan.objects.get(month=add_months(this_month, 1), submitted_at=None)
        proposed = draft.lines.filter(proposed__gt=0)
        assert proposed.count() >= 5
        assert all(0 < line.average_use and line.on_hand < line.average_use * draft.min_months for line in proposed)
        count = StockCount.objects.get()
        assert count.status == StockCount.Status.SUBMITTED  # not left open: that would freeze the warehouse
        assert [line.difference for line in count.lines.all() if line.difference] == [-2]

        models = [*apps.get_app_config("alokon").get_models(), get_user_model(), Membership, Unit, TransitionLog]
        counts = {model: model.objects.count() for model in models}
        call_command("load_demo", stdout=StringIO())
        assert {model: model.objects.count() for model in models} == counts

    def test_each_faskes_logs_in_and_sees_only_its_own_distributions(self, demo, client):
        assert Facility.objects.count() == FacilityAccount.objects.count() == len(FACILITIES) == 20
        assert Item.objects.filter(is_active=True).count() == 7
        distributions = list(Distribution.objects.select_related("facility"))
        for number, (registration, *_rest) in enumerate(FACILITIES, start=1):
            user = get_user_model().objects.get(username=faskes_username(number))
            assert user.facility_account.facility.registration_number == registration
            response = client.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
            assert response.status_code == 302 and response["Location"] == reverse("home"), user
            own = {d for d in distributions if d.facility.registration_number == registration}
            assert set(Distribution.objects.visible_to(user)) == own
            page = client.get(reverse("home")).content.decode()
            for distribution in distributions:
                listed = f'href="{distribution.get_absolute_url()}"' in page
                assert listed == (distribution in own and distribution.status in FASKES_STEPS), (user, distribution)
            client.logout()
