"""The stock count (stock opname): blind, and the warehouse frozen while it is counted.

From the count's start until its figures are submitted, no page, PDF or message shows anyone who can open the
warehouse's books a book figure, and every movement (receipt, SBBK, return, adjustment, reversal) is refused
naming the count. The differences are then counted - book, the book being the book at the start."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from alokon.models import Lot, Movement, StockBalance, StockCount
from alokon.services import dispatch, ledger
from tests.alokon.conftest import current

FIGURE = "4321"  # the book quantity of the counted lot: found on no page while it is counted


@pytest.fixture(autouse=True)
def warehouse(alokon_service):
    return alokon_service


@pytest.fixture
def counted_lot(receive, pill):
    return receive(pill, int(FIGURE), lot="OP-1").movements.get().lot


def start(agency, storekeeper):
    return ledger.count_start(warehouse=agency, actor=storekeeper, on=timezone.localdate())


def submit(count, storekeeper, figures):
    """Submit `figures`, {lot: units counted}."""
    lines = {line.lot_id: line.pk for line in count.lines.all()}
    return ledger.count_submit(count, actor=storekeeper, counted={lines[lot.pk]: n for lot, n in figures.items()})


def ledger_state():
    return (
        list(Movement.objects.order_by("pk").values_list("pk", "quantity")),
        list(StockBalance.objects.order_by("pk").values_list("pk", "quantity")),
    )


def pdf_text(response):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages)


def open_count_notice():
    return f"Stok opname {date_format(timezone.localdate(), 'j F Y')} sedang berlangsung"


PAGES = {
    "stock": lambda lot: reverse("alokon:stock"),
    "stock_card": lambda lot: reverse("alokon:stock_card", args=[lot.item_id]),
    "lot_card": lambda lot: f"{reverse('alokon:stock_card', args=[lot.item_id])}?lot={lot.pk}",
    "dashboard": lambda lot: reverse("alokon:dashboard"),
    "month": lambda lot: f"{reverse('alokon:month')}?bulan={timezone.localdate():%Y-%m}",
}


@pytest.mark.parametrize("who", ["storekeeper", "secretary", "agency_head"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_warehouse_page_shows_the_book_while_a_count_is_open(client, request, agency, storekeeper, counted_lot,
                                                               who, name):
    client.force_login(request.getfixturevalue(who))
    url = PAGES[name](counted_lot)
    assert FIGURE in client.get(url).content.decode()  # the page gives the book figure, before and after
    count = start(agency, storekeeper)

    page = client.get(url)
    assert page.status_code == 200
    assert FIGURE not in page.content.decode()
    assert open_count_notice() in page.content.decode()

    submit(count, storekeeper, {counted_lot: 4300})
    assert FIGURE in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["storekeeper", "secretary", "agency_head"])
@pytest.mark.parametrize("name", ["stock_card_pdf", "month_pdf"])
def test_no_book_is_printed_while_a_count_is_open(client, request, agency, storekeeper, counted_lot, who, name):
    client.force_login(request.getfixturevalue(who))
    url = {
        "stock_card_pdf": reverse("alokon:stock_card_pdf", args=[counted_lot.item_id]),
        "month_pdf": f"{reverse('alokon:month_pdf')}?bulan={timezone.localdate():%Y-%m}",
    }[name]
    assert FIGURE in pdf_text(client.get(url))
    count = start(agency, storekeeper)

    refused = client.get(url)
    assert refused.status_code == 403 and refused["Content-Type"].startswith("text/html")
    assert "Angka buku tidak dicetak selama stok opname" in refused.content.decode()
    assert FIGURE not in refused.content.decode()

    submit(count, storekeeper, {counted_lot: 4300})
    assert FIGURE in pdf_text(client.get(url))


def test_the_sbbk_waits_and_shows_no_lot_stock_while_a_count_is_open(client, agency, storekeeper, counted_lot,
                                                                    distribution_at, pill):
    distribution = distribution_at("packing", lines=[(pill, 20)])
    url = reverse("alokon:distribution", args=[distribution.pk])
    client.force_login(storekeeper)
    assert FIGURE in client.get(url).content.decode()  # the lot offered with its stock
    start(agency, storekeeper)
    before = ledger_state()

    page = client.get(url)
    assert FIGURE not in page.content.decode() and open_count_notice() in page.content.decode()
    held = "sedang berlangsung: SBBK menunggu sampai hasil hitungnya diajukan."
    assert page.context["form"] is None and held in page.content.decode()  # no SBBK button, and why
    response = client.post(distribution.get_absolute_url(), {
        "langkah-transition": "packing", "langkah-expected_status": "packing",
    })
    assert response.status_code == 400
    assert FIGURE not in response.content.decode() and held in response.content.decode()
    assert ledger_state() == before and current(distribution).status == "packing"


def test_the_count_sheet_is_blind_until_submitted_and_states_how_stock_moves(client, agency, storekeeper,
                                                                             secretary, counted_lot):
    count = start(agency, storekeeper)
    client.force_login(storekeeper)
    page = client.get(reverse("alokon:count", args=[count.pk])).content.decode()
    sheet = pdf_text(client.get(reverse("alokon:count_pdf", args=[count.pk])))
    for text in (page, sheet):
        assert FIGURE not in text and "OP-1" in text
        assert "gudang dibekukan" in " ".join(text.split())
        assert "selisih = jumlah fisik" in " ".join(text.split())

    submit(count, storekeeper, {counted_lot: 4300})
    client.force_login(secretary)
    sheet = pdf_text(client.get(reverse("alokon:count_pdf", args=[count.pk])))
    assert "OP-1" in sheet and "4300 4321 -21" in sheet


@pytest.fixture
def moving(agency, storekeeper, receive, pill, counted_lot, distribution_at, facility):
    """Stock and records of every kind a movement starts from, made before a count starts: a receipt that may be
    reversed, a distribution waiting for its SBBK and one waiting for the faskes' confirmation."""
    earlier = receive(pill, 30, lot="OP-2").movements.get()
    return {
        "reversible": earlier,
        "packing": distribution_at("packing", lines=[(pill, 10)]),
        "receipt": distribution_at("receipt", lines=[(pill, 10)]),
    }


def test_nothing_moves_in_the_warehouse_while_a_count_is_open(agency, storekeeper, faskes_user, facility, pill, condom,
                                                              counted_lot, moving):
    count = start(agency, storekeeper)
    before = ledger_state()
    today = timezone.localdate()
    confirm = moving["receipt"]
    issue = confirm.movements.get(kind="keluar")
    attempts = {
        "receipt of a counted lot": lambda: ledger.receipt_post(
            warehouse=agency, actor=storekeeper, received_on=today, source_document="BKKBN/9", supplier="BKKBN",
            funding="apbn", lines=[{"item": pill, "lot_number": "OP-1", "expiry_date": counted_lot.expiry_date,
                                    "quantity": 10}],
        ),
        "receipt of a new lot": lambda: ledger.receipt_post(
            warehouse=agency, actor=storekeeper, received_on=today, source_document="BKKBN/10", supplier="BKKBN",
            funding="apbn", lines=[{"item": condom, "lot_number": "BARU", "expiry_date": today + timedelta(days=400),
                                    "quantity": 144}],
        ),
        "sbbk": lambda: dispatch.sbbk_issue(moving["packing"], actor=storekeeper, expected_status="packing"),
        "write-off": lambda: ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=counted_lot, quantity=-1, reason="rusak", on=today
        ),
        "stock found": lambda: ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=counted_lot, quantity=1, reason="selisih", on=today
        ),
        "return": lambda: ledger.return_post(
            warehouse=agency, actor=storekeeper, lot=counted_lot, quantity=2, facility=facility, on=today
        ),
        "reversal": lambda: ledger.movement_reverse(moving["reversible"], actor=storekeeper, note="Salah catat"),
        "rejected at the faskes": lambda: dispatch.receipt_confirm(
            confirm, actor=faskes_user, expected_status="receipt", confirmations={issue.pk: (8, 2, "kurang")}
        ),
    }
    notice = f"Stok opname {date_format(count.counted_on, 'j F Y')} sedang berlangsung: gudang dibekukan"
    for name, attempt in attempts.items():
        with pytest.raises(ledger.StockError, match=notice):
            attempt()
        assert ledger_state() == before, name
    assert not Lot.objects.filter(number="BARU").exists()
    assert (current(moving["packing"]).status, current(confirm).status) == ("packing", "receipt")
    assert count.lines.count() == 2  # OP-1 and OP-2: every lot held when it started, and no other


def test_a_receipt_refused_during_a_count_is_shown_again_as_typed(client, agency, storekeeper, pill, counted_lot):
    start(agency, storekeeper)
    url = reverse("alokon:receipt_new")
    client.force_login(storekeeper)
    form = client.get(url).context["form"]
    before = ledger_state()
    response = client.post(url, {
        "submission": form["submission"].initial, "received_on": timezone.localdate().isoformat(),
        "source_document": "BKKBN-JABAR/2026/91", "supplier": "Perwakilan BKKBN Provinsi", "funding": "apbn",
        "baris-TOTAL_FORMS": "1", "baris-INITIAL_FORMS": "0", "baris-MIN_NUM_FORMS": "1", "baris-MAX_NUM_FORMS": "1000",
        "baris-0-item": pill.pk, "baris-0-lot_number": "P-91",
        "baris-0-expiry_date": (timezone.localdate() + timedelta(days=300)).isoformat(), "baris-0-quantity": "500",
    })
    assert response.status_code == 400 and "gudang dibekukan" in response.content.decode()
    assert response.context["form"]["source_document"].value() == "BKKBN-JABAR/2026/91"
    assert response.context["lines"].forms[0]["lot_number"].value() == "P-91"
    assert ledger_state() == before


def test_the_differences_are_counted_less_the_book_at_the_start(client, agency, storekeeper, secretary, receive, pill,
                                                                condom, balance):
    pills = receive(pill, 40, lot="A").movements.get().lot
    condoms = receive(condom, 288, lot="K").movements.get().lot
    count = start(agency, storekeeper)
    submit(count, storekeeper, {pills: 37, condoms: 290})
    lines = {line.lot_id: line for line in current(count).lines.all()}
    assert (lines[pills.pk].book, lines[pills.pk].difference) == (40, -3)
    assert (lines[condoms.pk].book, lines[condoms.pk].difference) == (288, 2)

    # Submitted: the warehouse moves again. A lot received now is not in the count, and its sheet lists it.
    late = receive(pill, 50, lot="B").movements.get()
    ledger.adjustment_post(warehouse=agency, actor=storekeeper, lot=pills, quantity=-5, reason="rusak",
                             on=timezone.localdate())
    client.force_login(secretary)
    page = client.get(reverse("alokon:count", args=[count.pk]))
    assert list(page.context["received_after"]) == [late]
    assert "Diterima sesudah hasil hitung diajukan" in page.content.decode()
    sheet = pdf_text(client.get(reverse("alokon:count_pdf", args=[count.pk])))
    assert "Diterima sesudah hasil hitung diajukan, tidak termasuk stok opname ini:" in sheet
    assert f"Pil KB Kombinasi B {date_format(late.occurred_on, 'j F Y')} {late.receipt.number} 50" in sheet

    ledger.count_approve(count, actor=secretary, reasons={lines[pills.pk].pk: "hilang",
                                                            lines[condoms.pk].pk: "selisih"})
    assert current(count).status == StockCount.Status.APPROVED
    assert (balance(pills), balance(condoms), balance(late.lot)) == (40 - 5 - 3, 290, 50)
    sheet = pdf_text(client.get(reverse("alokon:count_pdf", args=[count.pk])))
    assert "37 40 -3 Hilang" in sheet and "Yang menghitung," in sheet and "Menyetujui," in sheet


def test_the_stock_page_and_dashboard_cost_the_same_queries_for_2_and_20_lots_during_a_count(
    client, agency, storekeeper, secretary, receive, pill
):
    def measure():
        sizes = []
        for url in (reverse("alokon:stock"), reverse("alokon:dashboard")):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            sizes.append(len(queries))
        return sizes

    client.force_login(storekeeper)
    for number in range(2):
        receive(pill, 10, lot=f"S{number}")
    count = start(agency, storekeeper)
    measure()  # the session's first pages read more than any later one
    small = measure()
    ledger.count_submit(count, actor=storekeeper, counted={line.pk: 10 for line in count.lines.all()})
    ledger.count_approve(count, actor=secretary, reasons={})
    for number in range(2, 20):
        receive(pill, 10, lot=f"S{number}")
    start(agency, storekeeper)
    assert measure() == small
