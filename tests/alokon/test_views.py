"""The ALOKON pages: a request walked from (1a) to the monthly report by each role through the pages, what each
role may open, and bad input answered with a message that changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alokon.models import Distribution, MonthlyReport, Movement, ReceiptConfirmation, StockBalance
from alokon.services import allocation
from alokon.services.ledger import StockError
from portal.models import TransitionLog
from portal.selectors import WAITING_QUERY, worklist
from tests.alokon.conftest import current, last_month, take_step


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def ledger_state():
    return (
        list(Movement.objects.order_by("pk").values_list("pk", "quantity")),
        list(StockBalance.objects.order_by("pk").values_list("pk", "quantity")),
    )


@pytest.fixture
def stocked(receive, pill, condom):
    receive(pill, 100, lot="PIL-A", expiry=timezone.localdate() + timedelta(days=300))
    receive(pill, 100, lot="PIL-B", expiry=timezone.localdate() + timedelta(days=90))
    receive(condom, 1440, lot="KON-1")


def test_a_request_walks_from_the_faskes_through_spmb_sbbk_delivery_and_receipt(
    client, alokon_service, facility, faskes_user, secretary, storekeeper, uptd_officer, stocked, pill, condom
):
    # 1a: the faskes asks.
    form = page(client, faskes_user, reverse("alokon:request", args=[alokon_service.slug])).context["form"]
    response = post(client, faskes_user, reverse("alokon:request", args=[alokon_service.slug]), {
        "facility": facility.pk, "request_letter": "440/12/PKM",
        f"item_{pill.pk}": "30", f"item_{condom.pk}": "288",
        "submission": form["submission"].initial,
    })
    distribution = Distribution.objects.get()
    assert response.status_code == 302 and response["Location"] == distribution.get_absolute_url()
    assert distribution.status == "spmb" and distribution.unit == facility.uptd

    # 2: the Sekretaris approves, in whole packs.
    detail = reverse("alokon:distribution", args=[distribution.pk])
    assert "Setujui SPMB" in page(client, secretary, detail).content.decode()
    lines = {line.item_id: line.pk for line in distribution.lines.all()}
    response = take_step(client, secretary, distribution, "spmb.approve", **{
        f"line_{lines[pill.pk]}": "30", f"line_{lines[condom.pk]}": "288",
    })
    assert response.status_code == 302 and current(distribution).status == "packing"
    assert page(client, secretary, reverse("alokon:spmb_pdf", args=[distribution.pk]))["Content-Type"] == "application/pdf"

    # 3: the storekeeper sees FEFO's choice (PIL-B expires first) and issues the SBBK.
    response = page(client, storekeeper, detail)
    assert "PIL-B" in response.content.decode()
    response = take_step(client, storekeeper, distribution, "packing")
    assert response.status_code == 302 and current(distribution).status == "delivery"
    issued = {m.lot.number: m.quantity for m in Movement.objects.filter(kind="keluar").select_related("lot")}
    assert issued == {"PIL-B": -30, "KON-1": -288}
    assert page(client, storekeeper, reverse("alokon:sbbk_pdf", args=[distribution.pk])).status_code == 200

    # 4: delivered; 5: the UPTD P5A records its monitoring on the page.
    response = take_step(client, storekeeper, distribution, "delivery", delivered_on=f"{timezone.localdate():%d/%m/%Y}")
    assert current(distribution).status == "monitoring"
    response = take_step(client, uptd_officer, distribution, "monitoring", **{
        "mode": "kunjungan", "monitored_on": f"{timezone.localdate():%d/%m/%Y}",
        "monitored_by": "Petugas UPTD dan bidan desa", "findings": "Kartu stok faskes sesuai SBBK.",
    })
    assert response.status_code == 302 and current(distribution).status == "receipt"

    # 6: the faskes confirms, with 144 condoms rejected as damaged.
    issues = {m.lot.number: m.pk for m in Movement.objects.filter(kind="keluar").select_related("lot")}
    response = take_step(client, faskes_user, distribution, "receipt", **{
        f"accepted_{issues['PIL-B']}": "30", f"rejected_{issues['PIL-B']}": "0",
        f"accepted_{issues['KON-1']}": "144", f"rejected_{issues['KON-1']}": "144",
        f"reason_{issues['KON-1']}": "rusak",
    })
    assert response.status_code == 302 and current(distribution).status == "service"
    assert ReceiptConfirmation.objects.get(issue_id=issues["KON-1"]).reason == "rusak"
    kinds = list(Movement.objects.filter(distribution=distribution).exclude(kind="keluar").values_list("kind", "quantity"))
    assert kinds == [("kembali", 144), ("penyesuaian", -144)]  # came back, written off: never issued again


def test_the_monthly_report_completes_steps_7_to_9(client, distribution_at, facility, faskes_user, pill):
    distribution = distribution_at("service")
    Distribution.objects.filter(pk=distribution.pk).update(delivered_on=last_month())  # delivered last month
    month = f"{last_month():%Y-%m}"
    url = reverse("alokon:report_new", args=[facility.pk, month])
    form = page(client, faskes_user, url).context["form"]
    rows = {row["item"]: row for row in form.stock_rows}
    assert rows[pill]["received"] == 20
    data = {"submission": form["submission"].initial, f"used_{pill.pk}": "12",
            "coordination_note": "Rapat bulanan di UPTD."}
    for field in form.fields:
        if field.startswith(("new_", "repeat_", "switching_")):
            data[field] = "3"
        elif field.startswith("opening_"):  # its first report: it states its opening stock
            data[field] = "0"
    data[f"opening_{pill.pk}"] = "4"
    response = post(client, faskes_user, url, data)
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("alokon:report", args=[report.pk])
    assert (report.stock.get(item=pill).opening, report.stock.get(item=pill).remaining) == (4, 12)
    assert current(distribution).status == "selesai"
    steps = list(TransitionLog.objects.filter(object_id=distribution.pk).values_list("transition", flat=True))
    assert steps[-3:] == ["service", "coordination", "reporting"]
    # The same form posted again: one report.
    assert post(client, faskes_user, url, data).status_code == 302
    assert MonthlyReport.objects.count() == 1


@pytest.mark.parametrize("value, message", [
    ("0", "Isi jumlah paling sedikit satu barang"),
    ("-5", "tidak boleh kurang dari 0"),
    ("1.5", "Isi bilangan bulat"),
    ("abc", "Isi bilangan bulat"),
    ("99999999", "tidak wajar"),
])
def test_a_bad_quantity_in_a_request_is_refused_with_a_message(client, alokon_service, facility, faskes_user, pill,
                                                               value, message):
    url = reverse("alokon:request", args=[alokon_service.slug])
    form = page(client, faskes_user, url).context["form"]
    response = post(client, faskes_user, url, {
        "facility": facility.pk, f"item_{pill.pk}": value,
        "submission": form["submission"].initial,
    })
    assert response.status_code == 400 and message in response.content.decode()
    assert not Distribution.objects.exists()


def test_a_request_is_in_whole_packs_and_keeps_what_was_typed(client, alokon_service, facility, faskes_user, pill, condom):
    """An SPMB never gives more than was asked and the warehouse issues whole packs: 44 condoms in boxes of 144
    could only be approved as none, so the request asks in boxes."""
    url = reverse("alokon:request", args=[alokon_service.slug])
    form = page(client, faskes_user, url).context["form"]
    response = post(client, faskes_user, url, {
        "facility": facility.pk, "request_letter": "440/9/PKM", f"item_{pill.pk}": "30", f"item_{condom.pk}": "44",
        "submission": form["submission"].initial,
    })
    html = response.content.decode()
    assert response.status_code == 400 and "Diminta dalam kemasan utuh isi 144, misalnya 144." in html
    assert 'value="440/9/PKM"' in html and 'value="30"' in html and 'value="44"' in html
    assert not Distribution.objects.exists()
    with pytest.raises(StockError, match="diminta per kemasan isi 144: 44 bukan kelipatannya"):
        allocation.request_create(service=alokon_service, facility=facility, actor=faskes_user, lines=[(condom, 44)])
    assert not Distribution.objects.exists()


def test_a_faskes_may_not_ask_for_another_faskes_or_for_long_acting_methods_without_mou(
    client, alokon_service, facility, other_facility, faskes_user, other_faskes_user, implant
):
    url = reverse("alokon:request", args=[alokon_service.slug])
    form = page(client, faskes_user, url).context["form"]
    assert list(form.fields["facility"].queryset) == [facility]
    response = post(client, faskes_user, url, {
        "facility": other_facility.pk, f"item_{implant.pk}": "2",
        "submission": form["submission"].initial,
    })
    assert response.status_code == 400 and "tidak terdaftar atau tidak aktif" in response.content.decode()
    form = page(client, other_faskes_user, url).context["form"]
    response = post(client, other_faskes_user, url, {
        "facility": other_facility.pk, f"item_{implant.pk}": "2",
        "submission": form["submission"].initial,
    })
    assert response.status_code == 400 and "belum memiliki MoU MKJP" in response.content.decode()
    assert not Distribution.objects.exists()


def test_an_sbbk_for_more_than_is_on_hand_is_refused_and_changes_nothing(client, distribution_at, storekeeper, pill,
                                                                        receive):
    receive(pill, 10, lot="KECIL")
    distribution = distribution_at("packing", lines=[(pill, 40)])
    before = ledger_state()
    response = take_step(client, storekeeper, distribution, "packing")
    assert response.status_code == 400 and "tidak cukup" in response.content.decode()
    assert ledger_state() == before and current(distribution).status == "packing"


def test_an_expired_lot_is_not_offered_and_a_forged_choice_of_it_is_refused(client, distribution_at, storekeeper,
                                                                           pill, receive, agency):
    receive(pill, 50, lot="BARU")
    old = receive(pill, 50, lot="LAMA", expiry=timezone.localdate() + timedelta(days=5)).movements.get().lot
    from alokon.models import Lot
    Lot.objects.filter(pk=old.pk).update(expiry_date=timezone.localdate() - timedelta(days=1))  # it expired since
    distribution = distribution_at("packing", lines=[(pill, 20)])
    form = page(client, storekeeper, reverse("alokon:distribution", args=[distribution.pk])).context["form"]
    assert str(old.pk) not in [str(value) for value, _label in form.fields[f"lot_{pill.pk}"].choices]
    response = take_step(client, storekeeper, distribution, "packing", **{f"lot_{pill.pk}": old.pk})
    assert response.status_code == 400 and "kedaluwarsa" in response.content.decode()
    assert current(distribution).status == "packing"


def test_a_chosen_lot_short_of_the_line_is_refused_with_a_message_and_changes_nothing(
    client, distribution_at, storekeeper, pill, receive
):
    receive(pill, 100, lot="AWAL", expiry=timezone.localdate() + timedelta(days=90))
    late = receive(pill, 10, lot="AKHIR", expiry=timezone.localdate() + timedelta(days=300)).movements.get().lot
    distribution = distribution_at("packing", lines=[(pill, 20)])
    before = ledger_state()
    response = take_step(client, storekeeper, distribution, "packing", **{
        f"lot_{pill.pk}": late.pk, "choice_reason": "Permintaan faskes",
    })
    assert response.status_code == 400
    assert "Stok lot AKHIR Pil KB Kombinasi tidak cukup: tersedia 10 yang dapat dikeluarkan, dibutuhkan 20." in (
        response.content.decode()
    )
    assert response.context["form"][f"lot_{pill.pk}"].value() == str(late.pk)  # shown again as chosen
    assert ledger_state() == before
    assert (current(distribution).status, current(distribution).sbbk_sequence) == ("packing", None)


def test_a_double_click_on_the_sbbk_issues_once(client, distribution_at, storekeeper):
    distribution = distribution_at("packing")
    take_step(client, storekeeper, distribution, "packing")
    before = ledger_state()
    response = take_step(client, storekeeper, distribution, "packing", expected_status="packing")
    assert response.status_code == 400 and "baru saja diubah oleh pengguna lain" in response.content.decode()
    assert ledger_state() == before
    assert Movement.objects.filter(kind="keluar").count() == 1


def test_a_receipt_that_does_not_add_up_is_refused(client, distribution_at, faskes_user):
    distribution = distribution_at("receipt")
    issue = Movement.objects.get(kind="keluar")
    before = ledger_state()
    response = take_step(client, faskes_user, distribution, "receipt", **{
        f"accepted_{issue.pk}": "15", f"rejected_{issue.pk}": "2", f"reason_{issue.pk}": "kurang",
    })
    assert response.status_code == 400 and "harus sama dengan dikirim (20)" in response.content.decode()
    response = take_step(client, faskes_user, distribution, "receipt", **{
        f"accepted_{issue.pk}": "15", f"rejected_{issue.pk}": "5",
    })
    assert response.status_code == 400 and "Pilih alasan penolakan" in response.content.decode()
    assert ledger_state() == before and not ReceiptConfirmation.objects.exists()


def test_the_sekretaris_may_not_approve_an_spmb_she_requested_herself(client, alokon_service, facility, uptd, make_user,
                                                                   pill, stocked):
    from portal.models import Membership
    from django.contrib.auth.models import Group
    from portal.roles import Role

    head = make_user(facility.unit, Role.HEAD, username="kabid_ganda")
    Membership.objects.create(user=head, unit=uptd, role=Group.objects.get(name=Role.OFFICER))
    head = type(head).objects.get(pk=head.pk)
    distribution = allocation.request_create(service=alokon_service, facility=facility, actor=head, lines=[(pill, 10)])
    line = distribution.lines.get()
    response = take_step(client, head, distribution, "spmb.approve", **{f"line_{line.pk}": "10"})
    assert current(distribution).status == "spmb"
    assert response.status_code == 400


# Who may open what.


def test_an_officer_of_another_unit_under_the_agency_is_not_given_the_alokon_service(
    client, alokon_service, facility, outside_officer, uptd_officer
):
    # The division is below the agency as the UPTD P5A is, but covers no faskes: ALOKON is none of its work.
    assert [work.service for work in worklist(outside_officer)] == []
    response = page(client, outside_officer, reverse("home"))
    assert alokon_service.name not in response.content.decode()
    refused = page(client, outside_officer, reverse("alokon:distributions"))
    assert refused.status_code == 403
    assert "Anda tidak memiliki peran pada layanan alokon." in refused.content.decode()  # templates/403.html
    assert [work.service for work in worklist(uptd_officer)] == [alokon_service]
    assert page(client, uptd_officer, reverse("alokon:distributions")).status_code == 200


@pytest.mark.parametrize("name", ["dashboard", "stock", "month", "plans", "counts", "receipt_new", "adjustment_new"])
def test_the_warehouse_pages_are_closed_to_faskes_and_other_units(client, faskes_user, outside_officer, storekeeper,
                                                                  name, alokon_service):
    url = reverse(f"alokon:{name}")
    assert page(client, storekeeper, url).status_code == 200
    response = page(client, faskes_user, url)
    assert response.status_code in (302, 403) and (response.status_code == 403 or "penyaluran" in response["Location"])
    response = page(client, outside_officer, url)
    assert response.status_code in (302, 403)
    client.logout()
    assert client.get(url).status_code == 302 and "/masuk/" in client.get(url)["Location"]


def test_a_faskes_sees_only_its_own_distributions(client, distribution_at, faskes_user, other_faskes_user):
    distribution = distribution_at("receipt")
    url = reverse("alokon:distribution", args=[distribution.pk])
    assert page(client, faskes_user, url).status_code == 200
    assert page(client, other_faskes_user, url).status_code == 404
    listing = page(client, other_faskes_user, reverse("alokon:distributions"))
    assert list(listing.context["page"]) == []
    assert page(client, other_faskes_user, reverse("alokon:sbbk_pdf", args=[distribution.pk])).status_code == 404


def test_the_distribution_list_costs_the_same_queries_for_5_and_60(client, storekeeper, alokon_service, facility, pill,
                                                                  django_assert_max_num_queries, faskes_user):

    def make(n):
        for _ in range(n):
            allocation.request_create(service=alokon_service, facility=facility, actor=faskes_user, lines=[(pill, 10)])

    client.force_login(storekeeper)
    make(5)
    client.get(reverse("alokon:distributions"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("alokon:distributions"))
    make(55)
    with CaptureQueriesContext(connection) as large:
        listing = client.get(reverse("alokon:distributions"))
    assert len(large) == len(small)
    assert len(listing.context["page"]) == 50 and listing.context["page"].paginator.count == 60


def test_an_sbbk_keeps_no_draft(client, distribution_at, storekeeper):
    distribution = distribution_at("packing")
    before = ledger_state()
    response = take_step(client, storekeeper, distribution, "simpan")
    assert response.status_code == 400 and "tidak ada simpan dulu" in response.content.decode()
    assert current(distribution).status == "packing" and ledger_state() == before


def test_the_stock_card_page_shows_running_balances(client, storekeeper, receive, pill, distribution_at):
    distribution_at("delivery")  # receives 100, issues 20
    response = page(client, storekeeper, reverse("alokon:stock_card", args=[pill.pk]))
    rows = list(response.context["page"])
    assert [row.balance for row in rows] == [100, 80]
    assert page(client, storekeeper, reverse("alokon:stock_card_pdf", args=[pill.pk]))["Content-Type"] == "application/pdf"


def test_an_sbbk_entered_after_the_paper_one_carries_its_date(client, distribution_at, storekeeper, pill, receive):
    receive(pill, 100, on=last_month())
    distribution = distribution_at("packing", lines=[(pill, 20)])
    paper_date = last_month() + timedelta(days=9)
    response = take_step(client, storekeeper, distribution, "packing", issued_on=f"{paper_date:%d/%m/%Y}")
    assert response.status_code == 302
    assert current(distribution).sbbk_issued_on == paper_date
    assert Movement.objects.get(kind="keluar").occurred_on == paper_date


def test_an_sbbk_dated_before_its_stock_arrived_is_refused(client, distribution_at, storekeeper, pill, receive):
    receive(pill, 100)  # today
    distribution = distribution_at("packing", lines=[(pill, 20)])
    before = ledger_state()
    response = take_step(client, storekeeper, distribution, "packing", issued_on=f"{last_month():%d/%m/%Y}")
    assert response.status_code == 400 and "minus pada tanggal sesudahnya" in response.content.decode()
    assert ledger_state() == before


def test_a_reload_of_a_refused_step_shows_the_distribution(client, secretary, distribution_at):
    distribution = distribution_at("spmb")
    line = distribution.lines.get()
    response = take_step(client, secretary, distribution, "spmb.approve", **{f"line_{line.pk}": "abc"})
    assert response.status_code == 400
    client.force_login(secretary)
    assert client.get(response.request["PATH_INFO"]).status_code == 200


def test_a_delivery_without_its_date_is_refused_beside_the_field_and_changes_nothing(client, distribution_at,
                                                                                    storekeeper):
    distribution = distribution_at("delivery")
    response = take_step(client, storekeeper, distribution, "delivery", delivered_on="", note="Diantar kurir.")
    assert response.status_code == 400
    assert response.request["PATH_INFO"] == distribution.get_absolute_url()
    form = response.context["step_form"]
    assert form.errors == {"delivered_on": ["Isi tanggal diterima faskes."]}
    assert form["note"].value() == "Diantar kurir."
    assert (current(distribution).status, current(distribution).delivered_on) == ("delivery", None)


def test_a_delivery_dated_before_its_sbbk_is_refused_beside_the_field(client, distribution_at, storekeeper):
    distribution = distribution_at("delivery")
    day = current(distribution).sbbk_issued_on - timedelta(days=1)
    response = take_step(client, storekeeper, distribution, "delivery", delivered_on=f"{day:%d/%m/%Y}")
    assert response.status_code == 400 and list(response.context["step_form"].errors) == ["delivered_on"]
    assert current(distribution).status == "delivery"


def test_the_storekeepers_start_page_leads_to_the_warehouse_in_one_click(client, alokon_service, storekeeper,
                                                                         faskes_user, outside_officer):
    [work] = worklist(storekeeper)
    warehouse = f"{reverse('alokon:dashboard')}?layanan={alokon_service.slug}"
    assert ("Gudang alokon", warehouse) in work.work_areas
    home = page(client, storekeeper, reverse("home")).content.decode()
    assert f'href="{warehouse}"' in home.replace("&amp;", "&")
    [work] = worklist(faskes_user)
    assert work.work_areas == [("Laporan bulanan faskes", reverse("alokon:reports"))]


def test_the_list_of_what_waits_for_me_holds_only_my_steps(client, distribution_at, storekeeper, secretary, pill,
                                                           receive):
    receive(pill, 200)
    for_secretary = distribution_at("spmb", lines=[(pill, 10)])
    for_storekeeper = distribution_at("packing", lines=[(pill, 10)])
    url = f"{reverse('alokon:distributions')}?{WAITING_QUERY}"
    for user, waiting in ((secretary, for_secretary), (storekeeper, for_storekeeper)):
        listed = page(client, user, url).context["page"]
        assert [d.pk for d in listed] == [waiting.pk], user.username
    everything = page(client, storekeeper, reverse("alokon:distributions")).context["page"]
    assert {d.pk for d in everything} == {for_secretary.pk, for_storekeeper.pk}


def test_the_steps_done_by_the_monthly_report_lead_there_from_the_distribution(client, distribution_at, faskes_user,
                                                                              storekeeper):
    distribution = distribution_at("service")
    month = f"{distribution.delivered_on:%Y-%m}"
    report_url = reverse("alokon:report_new", args=[distribution.facility_id, month])
    response = page(client, faskes_user, distribution.get_absolute_url())
    action = response.context["elsewhere"]
    assert action == [("Kirim laporan bulanan", report_url)]
    html = response.content.decode()
    assert f'href="{report_url}"' in html and ">Langkah Anda</h2>" in html
    assert response.context["form"] is None  # no bare button that would complete steps 7-9 without the report
    # The storekeeper reads whose turn it is.
    response = page(client, storekeeper, distribution.get_absolute_url())
    assert response.context["elsewhere"] == [] and "Menunggu" in response.content.decode()


@pytest.mark.parametrize(("status", "user", "heading"), [
    ("packing", "storekeeper", "Terbitkan SBBK dan keluarkan stok"),
    ("monitoring", "uptd_officer", "Simpan hasil monitoring"),
    ("receipt", "faskes_user", "Konfirmasi penerimaan"),
])
def test_the_stock_steps_are_taken_in_langkah_anda(client, distribution_at, request, status, user, heading):
    distribution = distribution_at(status)
    html = page(client, request.getfixturevalue(user), distribution.get_absolute_url()).content.decode()
    section = html[html.index('id="langkah-anda"'):html.index("</section>", html.index('id="langkah-anda"'))]
    assert f">{heading}</button>" in section and "Simpan dulu" not in section
