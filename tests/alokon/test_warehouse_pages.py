"""The warehouse's own pages: receipts (SBBM), adjustments, reversals, the month and its close, the routine plan
for many faskes at once, the blind stock count, the dashboard and the New SIGA export."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from alokon.models import (
    ClosedPeriod,
    Distribution,
    Facility,
    FacilityAccount,
    Item,
    Lot,
    MonthlyReport,
    Movement,
    Receipt,
    ReportStock,
    RoutinePlan,
    StockBalance,
    StockCount,
)
from alokon.services import allocation, ledger
from portal.clock import add_months
from tests.alokon.conftest import last_month


@pytest.fixture(autouse=True)
def warehouse(alokon_service):
    """Every page here is the agency's ALOKON warehouse's."""
    return alokon_service


def login(client, user):
    client.force_login(user)
    return client


def test_the_storekeeper_records_a_receipt_of_several_lots_once(client, storekeeper, pill, condom, untracked):
    url = reverse("alokon:receipt_new")
    form = login(client, storekeeper).get(url).context["form"]
    expiry = (timezone.localdate() + timedelta(days=500)).isoformat()
    data = {
        "submission": form["submission"].initial, "received_on": timezone.localdate().isoformat(),
        "source_document": "BKKBN-JABAR/2026/77", "supplier": "Perwakilan BKKBN Provinsi Jawa Barat",
        "funding": "apbn",
        "baris-TOTAL_FORMS": "4", "baris-INITIAL_FORMS": "0", "baris-MIN_NUM_FORMS": "1", "baris-MAX_NUM_FORMS": "1000",
        "baris-0-item": pill.pk, "baris-0-lot_number": "P-77", "baris-0-expiry_date": expiry, "baris-0-quantity": "500",
        "baris-1-item": condom.pk, "baris-1-lot_number": "K-9", "baris-1-expiry_date": expiry, "baris-1-quantity": "1440",
        "baris-2-item": untracked.pk, "baris-2-quantity": "12",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.number.endswith("/SBBM/%d" % timezone.localdate().year)
    assert sorted(receipt.movements.values_list("quantity", flat=True)) == [12, 500, 1440]
    assert client.post(url, data).status_code == 302  # the same form again: nothing more
    assert Receipt.objects.count() == 1 and Movement.objects.count() == 3
    assert client.get(reverse("alokon:receipt_pdf", args=[receipt.pk]))["Content-Type"] == "application/pdf"


def test_a_receipt_line_of_a_lot_item_without_lot_or_expiry_is_refused(client, storekeeper, pill):
    url = reverse("alokon:receipt_new")
    form = login(client, storekeeper).get(url).context["form"]
    response = client.post(url, {
        "submission": form["submission"].initial, "received_on": timezone.localdate().isoformat(),
        "source_document": "X/1", "supplier": "BKKBN", "funding": "apbn",
        "baris-TOTAL_FORMS": "1", "baris-INITIAL_FORMS": "0", "baris-MIN_NUM_FORMS": "1", "baris-MAX_NUM_FORMS": "1000",
        "baris-0-item": pill.pk, "baris-0-quantity": "10",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "isi nomor lot" in page and "Isi tanggal kedaluwarsa" in page
    assert not Movement.objects.exists()


def test_an_adjustment_and_its_reversal_from_the_stock_card(client, storekeeper, receive, pill, balance):
    lot = receive(pill, 50, lot="A1").movements.get().lot
    url = reverse("alokon:adjustment_new")
    form = login(client, storekeeper).get(url).context["form"]
    response = client.post(url, {
        "submission": form["submission"].initial, "lot": lot.pk, "direction": "-1", "quantity": "4",
        "reason": "rusak", "occurred_on": timezone.localdate().isoformat(), "note": "Kemasan basah",
    })
    assert response.status_code == 302 and balance(lot) == 46
    adjustment = Movement.objects.get(kind="penyesuaian")
    response = client.post(reverse("alokon:movement_reverse", args=[adjustment.pk]), {"note": "Salah hitung"})
    assert response.status_code == 302 and balance(lot) == 50
    assert adjustment.reversed_by.quantity == 4
    client.post(reverse("alokon:movement_reverse", args=[adjustment.pk]), {"note": "Lagi"})
    assert Movement.objects.filter(kind="pembalik").count() == 1


def test_an_adjustment_that_would_go_below_zero_is_refused(client, storekeeper, receive, pill, balance):
    lot = receive(pill, 5, lot="A1").movements.get().lot
    url = reverse("alokon:adjustment_new")
    form = login(client, storekeeper).get(url).context["form"]
    response = client.post(url, {
        "submission": form["submission"].initial, "lot": lot.pk, "direction": "-1", "quantity": "6",
        "reason": "hilang", "occurred_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 400 and "tidak cukup" in response.content.decode()
    assert balance(lot) == 5


def test_closing_last_month_refuses_movements_dated_in_it(client, storekeeper, receive, pill):
    month = last_month()
    response = login(client, storekeeper).post(reverse("alokon:month"), {"month": f"{month:%Y-%m}"})
    assert response.status_code == 302 and ClosedPeriod.objects.filter(month=month).exists()
    with pytest.raises(ledger.StockError, match="sudah ditutup"):
        receive(pill, 10, on=month + timedelta(days=3))
    response = client.post(reverse("alokon:month"), {"month": f"{timezone.localdate():%Y-%m}"})
    assert "belum berakhir tidak dapat ditutup" in response.content.decode()


def test_the_month_page_balances(client, storekeeper, distribution_at, pill):
    distribution_at("delivery")
    response = login(client, storekeeper).get(reverse("alokon:month"), {"bulan": f"{timezone.localdate():%Y-%m}"})
    row = next(row for row in response.context["rows"] if row.item == pill)
    assert (row.opening, row.receipts, row.issues, row.closing) == (0, 100, 20, 80)
    assert client.get(reverse("alokon:month_pdf"), {"bulan": f"{timezone.localdate():%Y-%m}"}).status_code == 200


@pytest.fixture
def twenty_faskes(agency, kecamatan, receive, pill, storekeeper):
    """20 faskes, each having reported using 30 strips of pill a month for the last 3 months and 10 left."""
    facilities = [
        Facility.objects.create(unit=agency, registration_number=f"3207{n:04d}", name=f"Faskes {n:02d}",
                                kind=Facility.Kind.MIDWIFE, kecamatan=kecamatan)
        for n in range(20)
    ]
    today = timezone.localdate().replace(day=1)
    months = [add_months(today, -k) for k in (3, 2, 1)]
    for facility in facilities:
        for index, month in enumerate(months):
            report = MonthlyReport.objects.create(facility=facility, month=month, submitted_by=storekeeper)
            opening = 100 - 30 * index
            ReportStock.objects.create(report=report, item=pill, opening=opening, received=0, used=30,
                                       remaining=opening - 30)
    receive(pill, 5000, lot="RUTIN")
    return facilities


def test_a_routine_plan_for_20_faskes_gives_20_sbbks_in_one_go(client, storekeeper, secretary, twenty_faskes, pill,
                                                              alokon_service):
    month = timezone.localdate().replace(day=1)
    response = login(client, storekeeper).post(reverse("alokon:plans"), {
        "month": f"{month:%Y-%m}", "min_months": "1", "max_months": "3",
    })
    plan = RoutinePlan.objects.get()
    assert response.status_code == 302
    line = plan.lines.get(facility=twenty_faskes[0], item=pill)
    # Average use 30 a month, 10 left: below 1 month, so topped up to 3 months: 90 - 10 = 80.
    assert (line.average_use, line.on_hand, line.proposed) == (Decimal("30.0"), 10, 80)
    form = client.get(reverse("alokon:plan", args=[plan.pk])).context["form"]
    data = {f"line_{line.pk}": str(line.quantity) for line in form.lines}
    data[f"line_{line.pk}"] = "60"  # the officer edits one figure
    assert client.post(reverse("alokon:plan", args=[plan.pk]), data).status_code == 302
    assert Distribution.objects.filter(plan=plan, status="spmb").count() == 20

    login(client, secretary).post(reverse("alokon:plan_spmb", args=[plan.pk]))
    assert Distribution.objects.filter(plan=plan, status="packing").count() == 20
    login(client, storekeeper).post(reverse("alokon:plan_sbbk", args=[plan.pk]))
    issued = Distribution.objects.filter(plan=plan, status="delivery")
    assert issued.count() == 20 and len({d.sbbk_number for d in issued}) == 20
    assert StockBalance.objects.get(lot__number="RUTIN").quantity == 5000 - 19 * 80 - 60
    assert client.get(reverse("alokon:plan_pdf", args=[plan.pk]))["Content-Type"] == "application/pdf"


def test_a_plan_is_submitted_once(client, storekeeper, twenty_faskes):
    login(client, storekeeper).post(reverse("alokon:plans"), {
        "month": f"{timezone.localdate():%Y-%m}", "min_months": "1", "max_months": "3",
    })
    plan = RoutinePlan.objects.get()
    data = {f"line_{line.pk}": str(line.quantity) for line in plan.lines.all()}
    client.post(reverse("alokon:plan", args=[plan.pk]), data)
    client.post(reverse("alokon:plan", args=[plan.pk]), data)
    assert Distribution.objects.count() == 20


def test_a_stock_count_is_blind_and_approved_by_another_head(client, storekeeper, secretary, receive, pill, balance):
    lot = receive(pill, 40, lot="OP-1").movements.get().lot
    login(client, storekeeper).post(reverse("alokon:counts"))
    count = StockCount.objects.get()
    page = client.get(reverse("alokon:count", args=[count.pk]))
    assert page.context["show_book"] is False and ">40<" not in page.content.decode()
    line = count.lines.get()
    client.post(reverse("alokon:count", args=[count.pk]), {f"line_{line.pk}": "37"})
    count.refresh_from_db()
    assert count.status == StockCount.Status.SUBMITTED
    line.refresh_from_db()
    assert (line.book, line.difference) == (40, -3)
    login(client, secretary).post(reverse("alokon:count", args=[count.pk]), {f"reason_{line.pk}": "selisih"})
    count.refresh_from_db()
    assert count.status == StockCount.Status.APPROVED and balance(lot) == 37
    assert Movement.objects.filter(kind="penyesuaian", reason="selisih").get().quantity == -3


def test_the_counter_may_not_approve_their_own_count(agency, storekeeper, make_user, receive, pill):
    from portal.roles import Role

    receive(pill, 10)
    both = make_user(agency, Role.HEAD, username="pengelola_dan_kepala")
    from django.contrib.auth.models import Group

    from portal.models import Membership
    Membership.objects.create(user=both, unit=agency, role=Group.objects.get(name=Role.STOREKEEPER))
    both = type(both).objects.get(pk=both.pk)
    count = ledger.count_start(warehouse=agency, actor=both, on=timezone.localdate())
    line = count.lines.get()
    ledger.count_submit(count, actor=both, counted={line.pk: 9})
    with pytest.raises(ledger.StockError, match="bukan penghitungnya"):
        ledger.count_approve(count, actor=both, reasons={line.pk: "hilang"})


def test_the_dashboard_shows_stock_expiry_open_requests_and_who_has_not_reported(
    client, storekeeper, receive, pill, distribution_at, facility, other_facility, agency
):
    receive(pill, 30, lot="HAMPIR", expiry=timezone.localdate() + timedelta(days=40))
    expired = receive(pill, 7, lot="LEWAT", expiry=timezone.localdate() + timedelta(days=2)).movements.get().lot
    Lot.objects.filter(pk=expired.pk).update(expiry_date=timezone.localdate() - timedelta(days=1))
    distribution_at("spmb")
    MonthlyReport.objects.create(facility=facility, month=last_month(), submitted_by=storekeeper)
    response = login(client, storekeeper).get(reverse("alokon:dashboard"))
    row = next(row for row in response.context["items"] if row.item == pill)
    assert (row.usable, row.expired, row.near_expiry) == (130, 7, 30)
    assert [b.lot.number for b in response.context["expired"]] == ["LEWAT"]
    assert "HAMPIR" in [b.lot.number for b in response.context["near_expiry"]]
    assert response.context["open_count"] == 1
    assert list(response.context["not_reported"]) == [other_facility]


def test_the_dashboard_shows_the_stock_of_an_inactive_item_marked_inactive(client, storekeeper, receive, pill, condom):
    receive(pill, 30)
    receive(condom, 144, lot="K1")
    Item.objects.filter(pk=pill.pk).update(is_active=False)
    response = login(client, storekeeper).get(reverse("alokon:dashboard"))
    rows = {row.item: row for row in response.context["items"]}
    assert (rows[pill].usable, rows[condom].usable) == (30, 144)
    html = response.content.decode()
    pill_row = html[html.index(">Pil KB Kombinasi</a>"):]
    pill_row = pill_row[:pill_row.index("</tr>")]
    condom_row = html[html.index(">Kondom</a>"):]
    condom_row = condom_row[:condom_row.index("</tr>")]
    assert "Tidak aktif" in pill_row and "Tidak aktif" not in condom_row


def test_the_new_siga_export_has_a_row_per_faskes(client, storekeeper, facility, other_facility, pill, faskes_user):
    report = MonthlyReport.objects.create(facility=facility, month=last_month(), submitted_by=faskes_user)
    ReportStock.objects.create(report=report, item=pill, opening=10, received=20, used=12, remaining=18)
    response = login(client, storekeeper).get(reverse("alokon:siga_xlsx"), {"bulan": f"{last_month():%Y-%m}"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    heading = rows[3]
    facilities = {row[1]: row for row in rows[4:]}
    assert set(facilities) == {facility.registration_number, other_facility.registration_number}
    ours = facilities[facility.registration_number]
    assert ours[heading.index("Pil KB Kombinasi - Dipakai")] == 12
    assert facilities[other_facility.registration_number][4] == "Belum lapor"


def test_the_new_siga_export_heads_its_row_numbers_no_not_the_answer_tidak(client, storekeeper, facility):
    response = login(client, storekeeper).get(reverse("alokon:siga_xlsx"), {"bulan": f"{last_month():%Y-%m}"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[3][:3] == ("No", "No. Registrasi K/0/KB", "Nama faskes")
    assert rows[4][0] == 1


def test_a_faskes_files_only_its_own_reports(client, facility, other_facility, faskes_user):
    month = f"{last_month():%Y-%m}"
    assert login(client, faskes_user).get(reverse("alokon:report_new", args=[facility.pk, month])).status_code == 200
    assert client.get(reverse("alokon:report_new", args=[other_facility.pk, month])).status_code == 404
    listing = client.get(reverse("alokon:reports"))
    assert [row[0] for row in listing.context["rows"]] == [facility]
    this_month = f"{timezone.localdate():%Y-%m}"
    form = client.get(reverse("alokon:report_new", args=[facility.pk, this_month])).context["form"]
    response = client.post(reverse("alokon:report_new", args=[facility.pk, this_month]), {
        "submission": form["submission"].initial,
        **{name: "0" for name in form.fields if name != "submission" and name != "coordination_note"},
    })
    assert "setelah bulannya berakhir" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_a_faskes_account_sees_its_start_action_and_an_officer_elsewhere_does_not(
    client, faskes_user, outside_officer, alokon_service
):
    page = login(client, faskes_user).get(reverse("home")).content.decode()
    assert reverse("alokon:request", args=[alokon_service.slug]) in page
    page = login(client, outside_officer).get(reverse("home")).content.decode()
    assert reverse("alokon:request", args=[alokon_service.slug]) not in page


def test_an_inactive_faskes_account_holds_no_role(client, facility, faskes_user, distribution_at):
    distribution = distribution_at("receipt")
    Facility.objects.filter(pk=facility.pk).update(is_active=False)
    client.force_login(faskes_user)
    assert client.get(reverse("alokon:distribution", args=[distribution.pk])).status_code == 404
    assert FacilityAccount.objects.filter(user=faskes_user).exists()


def test_the_storekeeper_neither_asks_nor_reports_for_a_faskes(client, storekeeper, facility, alokon_service):
    login(client, storekeeper)
    assert client.get(reverse("alokon:request", args=[alokon_service.slug])).status_code == 403
    assert reverse("alokon:request", args=[alokon_service.slug]) not in client.get(reverse("home")).content.decode()
    month = f"{last_month():%Y-%m}"
    assert client.get(reverse("alokon:report_new", args=[facility.pk, month])).status_code == 404
    assert "Isi laporan" not in client.get(reverse("alokon:reports")).content.decode()


def test_an_uptd_officer_asks_for_the_faskes_it_covers_only(client, uptd_officer, facility, other_facility,
                                                           alokon_service):
    form = login(client, uptd_officer).get(reverse("alokon:request", args=[alokon_service.slug])).context["form"]
    assert list(form.fields["facility"].queryset) == [facility]


def test_every_plan_figure_not_in_whole_packs_is_refused_at_once_beside_its_pack_and_stock(
    client, warehouse, storekeeper, facility, condom, receive
):
    receive(condom, 1440, lot="K1")
    plan = allocation.plan_propose(
        service=warehouse, actor=storekeeper, month=timezone.localdate(), facilities=[facility], items=[condom], min_months=1,
        max_months=3,
    )
    line = plan.lines.get()
    page = login(client, storekeeper).get(reverse("alokon:plan", args=[plan.pk]))
    assert "Isi per kemasan 144 buah; stok gudang 1.440." in page.content.decode()
    response = client.post(reverse("alokon:plan", args=[plan.pk]), {f"line_{line.pk}": "200"})
    assert response.status_code == 400
    assert response.context["form"].errors == {f"line_{line.pk}": ["Bukan kemasan utuh (isi 144): isi 144 atau 288."]}
    assert response.context["form"][f"line_{line.pk}"].value() == "200"
    assert not Distribution.objects.exists()


def test_a_refused_reversal_comes_back_with_its_reason_as_typed(client, storekeeper, receive, pill):
    movement = receive(pill, 100, lot="R1").movements.get()
    url = reverse("alokon:movement_reverse", args=[movement.pk])
    login(client, storekeeper)
    assert client.get(url)["Location"] == reverse("alokon:stock")  # a reload goes to the stock page
    response = client.post(url, {"note": "  "})
    assert response.status_code == 400 and "Tuliskan alasan pembatalan." in response.content.decode()
    ledger.movement_reverse(movement, actor=storekeeper, note="Dobel input")
    response = client.post(url, {"note": "Salah ketik"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "sudah dibatalkan" in text and 'value="Salah ketik"' in text
    assert Movement.objects.filter(reverses=movement).count() == 1


def test_a_reload_of_a_plans_bulk_step_goes_back_to_the_plan(client, warehouse, secretary, storekeeper):
    plan = RoutinePlan.objects.create(
        service=warehouse, month=timezone.localdate().replace(day=1), created_by=storekeeper
    )
    login(client, secretary)
    for name in ("alokon:plan_spmb", "alokon:plan_sbbk"):
        response = client.get(reverse(name, args=[plan.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("alokon:plan", args=[plan.pk])

