"""ALOKON's own reminders at the reminder round (alokon.reminders, issue 22): a faskes' monthly report due, a lot near
expiry, a stock count waiting for approval; each to the users whose job it is, once per event, and in words that
name the faskes, the lot and the warehouse only.

The round runs at NOW, 12 November 2026 (a report of October 2026 is due on the 15th), with the expiry warning window
at its default six months (to 12 May 2027).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alokon.models import Distribution, Facility, FacilityAccount, Item, Lot, StockCount
from alokon.services import ledger, usage
from portal.models import Service, Unit
from portal.notifications import reminders
from portal.notifications.models import Kind, Notification
from portal.roles import Role

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 12, 9, 0, tzinfo=WIB)
SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)
RECEIVED_ON = date(2026, 11, 2)
NEAR = date(2027, 3, 1)  # within the window
WINDOW_END = date(2027, 5, 12)  # the window's last day: still within it
FAR = date(2027, 5, 13)  # a day past it


@pytest.fixture(autouse=True)
def warning_months(settings):
    settings.ALOKON_EXPIRY_WARNING_MONTHS = 6


def told(kind):
    """{username: [text, ...]} of the notifications of `kind`."""
    result = {}
    for username, text in Notification.objects.filter(kind=kind).order_by("pk").values_list("user__username", "text"):
        result.setdefault(username, []).append(text)
    return result


def of_kind(kind, now=NOW):
    return [reminder for reminder in Distribution.reminders(now) if reminder.kind == kind]


@pytest.fixture
def named(faskes_user, storekeeper, secretary):
    """The users told carry names, which no text may hold."""
    for user, (first, last) in [
        (faskes_user, ("Sulastri", "Wiraatmaja")), (storekeeper, ("Asep", "Kurniadi")),
        (secretary, ("Ratna", "Permana")),
    ]:
        user.first_name, user.last_name = first, last
        user.save()


@pytest.fixture
def other_agency(government, make_user):
    """Another Dinas with its own ALOKON warehouse, storekeeper and head."""
    unit = Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    Service.objects.create(slug="alokon-lain", name="Penyaluran Alokon Lain", unit=unit, app="alokon")
    make_user(unit, Role.STOREKEEPER, username="pengelola_lain")
    make_user(unit, Role.HEAD, username="kepala_lain")
    return unit


@pytest.fixture
def receive_on(storekeeper, agency):
    def receive(item, quantity, lot, expiry, *, warehouse=agency, actor=storekeeper):
        ledger.receipt_post(
            warehouse=warehouse, actor=actor, received_on=RECEIVED_ON, source_document="BKKBN/uji",
            supplier="Perwakilan BKKBN Provinsi", funding="apbn",
            lines=[{"item": item, "lot_number": lot, "expiry_date": expiry, "quantity": quantity}],
        )
        return Lot.objects.get(item=item, number=lot)

    return receive


class TestTheMonthlyReport:
    @pytest.fixture
    def faskes(self, alokon_service, facility, faskes_user, other_facility, other_faskes_user, named):
        """`facility` has reported September, not October; `other_facility` has reported October."""
        usage.report_submit(facility=facility, month=SEPTEMBER, actor=faskes_user, used={}, services={})
        usage.report_submit(facility=other_facility, month=OCTOBER, actor=other_faskes_user, used={}, services={})

    def test_a_faskes_that_has_not_reported_hears_of_it_from_the_10th_once(
        self, faskes, facility, storekeeper, uptd_officer, secretary
    ):
        reminders.run(NOW.replace(day=9))
        assert told(Kind.REPORT_DUE) == {}

        reminders.run(NOW)
        reminders.run(NOW + timedelta(minutes=10))
        reminders.run(NOW.replace(day=15, hour=23))
        assert told(Kind.REPORT_DUE) == {
            "faskes_kawali": ["Laporan pemakaian alokon Puskesmas Kawali bulan Oktober 2026 jatuh tempo 15 November 2026."],
        }
        assert Notification.objects.get(kind=Kind.REPORT_DUE).url == f"/alokon/laporan/{facility.pk}/2026-10/baru/"

    def test_the_day_after_the_15th_it_hears_once_more_that_it_is_late(self, faskes):
        reminders.run(NOW)
        reminders.run(datetime(2026, 11, 16, 0, 10, tzinfo=WIB))
        reminders.run(datetime(2026, 11, 20, 9, 0, tzinfo=WIB))
        assert told(Kind.REPORT_DUE) == {"faskes_kawali": [
            "Laporan pemakaian alokon Puskesmas Kawali bulan Oktober 2026 jatuh tempo 15 November 2026.",
            "Laporan pemakaian alokon Puskesmas Kawali bulan Oktober 2026 terlambat: jatuh tempo 15 November 2026.",
        ]}

    def test_a_filed_report_ends_the_reminders(self, faskes, facility, faskes_user):
        reminders.run(NOW)
        usage.report_submit(facility=facility, month=OCTOBER, actor=faskes_user, used={}, services={})
        late = datetime(2026, 11, 16, 9, 0, tzinfo=WIB)
        assert of_kind(Kind.REPORT_DUE, late) == []
        reminders.run(late)
        assert Notification.objects.filter(kind=Kind.REPORT_DUE).count() == 1

    def test_every_active_account_of_the_faskes_hears_an_inactive_one_and_an_inactive_faskes_do_not(
        self, faskes, facility, agency, kecamatan, django_user_model
    ):
        colleague = django_user_model.objects.create_user(username="faskes_kawali_2")
        FacilityAccount.objects.create(user=colleague, facility=facility)
        gone = django_user_model.objects.create_user(username="faskes_kawali_lama", is_active=False)
        FacilityAccount.objects.create(user=gone, facility=facility)
        closed = Facility.objects.create(
            unit=agency, registration_number="32070899", name="Klinik Tutup", kind=Facility.Kind.CLINIC,
            kecamatan=kecamatan, is_active=False,
        )
        FacilityAccount.objects.create(user=django_user_model.objects.create_user(username="faskes_tutup"),
                                       facility=closed)
        reminders.run(NOW)
        assert sorted(told(Kind.REPORT_DUE)) == ["faskes_kawali", "faskes_kawali_2"]


class TestALotNearExpiry:
    def test_it_reaches_the_storekeepers_of_its_warehouse_once(
        self, alokon_service, receive_on, pill, injectable, storekeeper, secretary, faskes_user, other_agency, named
    ):
        near = receive_on(pill, 100, "PK-DEKAT", NEAR)
        edge = receive_on(injectable, 50, "ST-BATAS", WINDOW_END)
        receive_on(pill, 100, "PK-JAUH", FAR)
        reminders.run(NOW)
        reminders.run(NOW + timedelta(minutes=10))
        assert told(Kind.EXPIRY) == {"pengelola": [
            "Lot PK-DEKAT Pil KB Kombinasi di gudang alokon Dinas kedaluwarsa 1 Maret 2027.",
            "Lot ST-BATAS Suntik KB 3 Bulanan di gudang alokon Dinas kedaluwarsa 12 Mei 2027.",
        ]}
        urls = list(Notification.objects.filter(kind=Kind.EXPIRY).order_by("pk").values_list("url", flat=True))
        assert urls == [
            f"/alokon/stok/barang/{pill.pk}/?layanan=alokon&lot={near.pk}",
            f"/alokon/stok/barang/{injectable.pk}/?layanan=alokon&lot={edge.pk}",
        ]

    def test_each_warehouse_s_storekeepers_hear_of_their_own_lots(
        self, alokon_service, receive_on, pill, other_agency, django_user_model
    ):
        receive_on(pill, 100, "PK-DEKAT", NEAR)
        other_storekeeper = django_user_model.objects.get(username="pengelola_lain")
        receive_on(pill, 30, "PK-LAIN", NEAR, warehouse=other_agency, actor=other_storekeeper)
        reminders.run(NOW)
        assert told(Kind.EXPIRY) == {
            "pengelola": ["Lot PK-DEKAT Pil KB Kombinasi di gudang alokon Dinas kedaluwarsa 1 Maret 2027."],
            "pengelola_lain": ["Lot PK-LAIN Pil KB Kombinasi di gudang alokon Dinas Lain kedaluwarsa 1 Maret 2027."],
        }

    def test_a_lot_used_up_or_already_expired_is_not_reminded(
        self, alokon_service, receive_on, pill, storekeeper, agency
    ):
        lot = receive_on(pill, 100, "PK-DEKAT", NEAR)
        receive_on(pill, 10, "PK-LEWAT", date(2026, 11, 11))  # expired yesterday: quarantined, not "near"
        assert [r.text for r in of_kind(Kind.EXPIRY)] == [
            "Lot PK-DEKAT Pil KB Kombinasi di gudang alokon Dinas kedaluwarsa 1 Maret 2027."
        ]
        ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=lot, quantity=-100, reason="rusak", on=RECEIVED_ON,
        )
        assert of_kind(Kind.EXPIRY) == []


class TestACountWaitingForApproval:
    @pytest.fixture
    def submitted(self, alokon_service, agency, receive_on, pill, make_user):
        """A count started and submitted by a storekeeper who is also a head: she may not approve it."""
        receive_on(pill, 100, "PK-1", FAR)
        counter = make_user(agency, Role.STOREKEEPER, username="penghitung")
        counter.memberships.create(unit=agency, role=Group.objects.get(name=Role.HEAD))
        count = ledger.count_start(warehouse=agency, actor=counter, on=date(2026, 11, 11))
        return ledger.count_submit(count, actor=counter, counted={line.pk: 100 for line in count.lines.all()})

    def test_it_reaches_the_heads_who_may_approve_it_once(
        self, submitted, storekeeper, secretary, second_head, agency_head, head, uptd_officer, outside_officer,
        faskes_user, other_agency, named, government, make_user,
    ):
        # A head above the Dinas may approve too (ledger.require_role: a role held in the unit or above it); the
        # head of a Bidang below it (`head`), the Kepala Dinas (an observer) and the officers may not.
        make_user(government, Role.HEAD, username="kepala_pemkab")
        reminders.run(NOW)
        reminders.run(NOW + timedelta(minutes=10))
        text = "Stok opname gudang alokon Dinas tanggal 11 November 2026 menunggu persetujuan Anda."
        assert told(Kind.COUNT) == {"kabid": [text], "kepala_pemkab": [text], "sekretaris": [text]}
        assert set(Notification.objects.filter(kind=Kind.COUNT).values_list("url", flat=True)) == {
            f"/alokon/stok/opname/{submitted.pk}/?layanan=alokon"
        }

    def test_an_approved_count_is_not_reminded(self, submitted, secretary):
        assert len(of_kind(Kind.COUNT)) == 1
        ledger.count_approve(submitted, actor=secretary, reasons={})
        assert StockCount.objects.get().status == StockCount.Status.APPROVED
        assert of_kind(Kind.COUNT) == []

    def test_a_count_still_being_counted_is_not_reminded(self, alokon_service, agency, receive_on, pill, storekeeper,
                                                         secretary):
        receive_on(pill, 100, "PK-1", FAR)
        ledger.count_start(warehouse=agency, actor=storekeeper, on=date(2026, 11, 11))
        assert of_kind(Kind.COUNT) == []


def test_the_round_reads_as_many_queries_for_20_faskes_and_lots_as_for_2(
    alokon_service, agency, uptd, kecamatan, storekeeper, secretary, django_user_model
):
    item = Item.objects.create(code="pil", method="pil", name="Pil", unit_of_issue="strip")

    def grow_to(size):
        for number in range(Facility.objects.count(), size):
            facility = Facility.objects.create(
                unit=agency, registration_number=f"3207{number:04d}", name=f"Faskes {number}",
                kind=Facility.Kind.CLINIC, kecamatan=kecamatan, uptd=uptd,
            )
            user = django_user_model.objects.create_user(username=f"faskes{number}")
            FacilityAccount.objects.create(user=user, facility=facility)
            ledger.receipt_post(
                warehouse=agency, actor=storekeeper, received_on=RECEIVED_ON, source_document=f"BKKBN/{number}",
                supplier="Perwakilan BKKBN Provinsi", funding="apbn",
                lines=[{"item": item, "lot_number": f"L{number}", "expiry_date": NEAR, "quantity": 10}],
            )
        with CaptureQueriesContext(connection) as queries:
            found = Distribution.reminders(NOW)
        return len(found), len(queries)

    # Services, unit tree, memberships, faskes accounts, the warehouse's lots, counts.
    assert grow_to(2) == (4, 6)
    assert grow_to(20) == (40, 6)
