"""The stock card of one month: its page (alokon.views.ledger.stock_card) and its PDF (stock_card_pdf), neither
of which reads more as the years of ledger grow.

The clock stands on Wednesday 18 March 2026, 10.00 WIB. The pill's ledger (`card`): 40 of lot LAMA on
20 December 2025; 100 of A1 on 10 January; in February 50 of B2 on the 1st, 5 of A1 returned by Puskesmas
Kawali on the 10th and 4 of B2 written off on the 28th; 10 of A1 lost on 2 March. Month ends: December 40,
January 140, February 191, March (so far) 181.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alokon import documents
from alokon.models import Lot, Movement
from alokon.services import ledger
from tests.alokon.test_documents import CARD_HEADER, assert_in_order, text_of

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 18, 10, 0, tzinfo=JAKARTA))


@pytest.fixture(autouse=True)
def warehouse(alokon_service):
    return alokon_service


def receipt(agency, storekeeper, item, on, lines):
    """One receipt dated `on` of `lines`: (lot number, quantity) pairs."""
    return ledger.receipt_post(
        warehouse=agency, actor=storekeeper, received_on=on, source_document="BKKBN/uji",
        supplier="Perwakilan BKKBN Provinsi", funding="apbn",
        lines=[{"item": item, "lot_number": lot, "expiry_date": date(2028, 1, 31), "quantity": quantity}
               for lot, quantity in lines],
    )


@pytest.fixture
def card(agency, storekeeper, facility, pill):
    receipt(agency, storekeeper, pill, date(2025, 12, 20), [("LAMA", 40)])
    receipt(agency, storekeeper, pill, date(2026, 1, 10), [("A1", 100)])
    receipt(agency, storekeeper, pill, date(2026, 2, 1), [("B2", 50)])
    a1, b2 = Lot.objects.get(number="A1"), Lot.objects.get(number="B2")
    posted = {"warehouse": agency, "actor": storekeeper}
    ledger.return_post(**posted, lot=a1, quantity=5, facility=facility, on=date(2026, 2, 10))
    ledger.adjustment_post(**posted, lot=b2, quantity=-4, reason="rusak", on=date(2026, 2, 28))
    ledger.adjustment_post(**posted, lot=a1, quantity=-10, reason="hilang", on=date(2026, 3, 2))
    return {"a1": a1, "b2": b2}


def pdf(client, user, item, **params):
    client.force_login(user)
    return client.get(reverse("alokon:stock_card_pdf", args=[item.pk]), params)


def card_page(client, user, item, **params):
    client.force_login(user)
    return client.get(reverse("alokon:stock_card", args=[item.pk]), params)


def file_name(response):
    return response["Content-Disposition"].split("filename=")[1].strip('"')


def test_it_prints_only_the_months_rows_with_the_balance_carried_in_and_the_year_so_far(
    client, storekeeper, pill, card
):
    response = pdf(client, storekeeper, pill, bulan="2026-02")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Gudang : Dinas Contoh Bulan : Februari 2026" in text
    assert_in_order(text, [
        CARD_HEADER,
        "1 Februari 2026 - - 140 Saldo dari Januari 2026",
        "1 1 Februari 2026 BKKBN/uji Perwakilan BKKBN Provinsi 50 190 Lot B2",
        "2 10 Februari 2026 - Puskesmas Kawali 5 195 Lot A1",
        "3 28 Februari 2026 - - 4 191 Lot B2, ED 31 Januari 2028; Penyesuaian; Rusak",
        "Ringkasan tahun 2026 Bulan Saldo awal Masuk Keluar Saldo akhir",
        "Januari 2026 40 100 0 140",
        "Februari 2026 140 55 4 191",
        "Dicetak oleh",
    ])
    # Neither the months before nor the month after: their rows, or March in the summary.
    assert "Lot LAMA" not in text and "10 Januari 2026" not in text and "Desember 2025" not in text
    assert "2 Maret 2026" not in text and "Maret 2026 191" not in text
    assert file_name(response) == "kartu-stok-pil-kb-2026-02.pdf"


def test_without_a_month_it_prints_this_month(client, secretary, pill, card):
    response = pdf(client, secretary, pill)

    text = text_of(response.content)
    assert_in_order(text, [
        "1 Maret 2026 - - 191 Saldo dari Februari 2026",
        "1 2 Maret 2026 - - 10 181 Lot A1",
        "Januari 2026 40 100 0 140", "Februari 2026 140 55 4 191", "Maret 2026 191 0 10 181",
    ])
    assert file_name(response) == "kartu-stok-pil-kb-2026-03.pdf"


def test_a_lots_card_prints_the_lots_rows_and_year(client, storekeeper, pill, card):
    response = pdf(client, storekeeper, pill, bulan="2026-02", lot=card["b2"].pk)

    text = text_of(response.content)
    assert "Nomor lot/batch : B2" in text
    assert_in_order(text, [
        "1 Februari 2026 - - 0 Saldo dari Januari 2026", "1 1 Februari 2026 BKKBN/uji Perwakilan BKKBN Provinsi 50 50",
        "2 28 Februari 2026 - - 4 46", "Januari 2026 0 0 0 0", "Februari 2026 0 50 4 46",
    ])
    assert "Puskesmas Kawali" not in text
    # Nothing personal in the name: the item's code, the month and the lot's number.
    assert file_name(response) == "kartu-stok-pil-kb-2026-02-lot-b2.pdf"


def test_the_oldest_month_it_opens_is_january_2000(client, storekeeper, pill, card):
    assert pdf(client, storekeeper, pill, bulan="2000-01").status_code == 200
    assert card_page(client, storekeeper, pill, bulan="2000-01").status_code == 200


@pytest.mark.parametrize("month", ["2026-04", "2027-01", "1999-12", "2026-13", "Maret", "2026"])
@pytest.mark.parametrize("view", [pdf, card_page])
def test_a_month_not_yet_begun_before_2000_or_malformed_is_not_found(client, storekeeper, pill, card, view, month):
    response = view(client, storekeeper, pill, bulan=month)
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "Bulan tidak dikenali" in response.context["exception"]


def test_a_lot_of_another_item_and_a_user_without_the_warehouse_are_refused(
    client, agency, storekeeper, outside_officer, pill, injectable, card
):
    other_lot = receipt(agency, storekeeper, injectable, date(2026, 3, 2), [("S1", 5)]).movements.get().lot
    for view in (pdf, card_page):
        assert view(client, storekeeper, pill, bulan="2026-03", lot=other_lot.pk).status_code == 404
        assert view(client, outside_officer, pill, bulan="2026-03").status_code == 403


def test_a_long_month_prints_in_parts_each_carrying_the_balance(client, storekeeper, pill, card, monkeypatch):
    monkeypatch.setattr(documents, "STOCK_CARD_PART_ROWS", 2)  # February's 3 rows: two parts

    first = pdf(client, storekeeper, pill, bulan="2026-02", bagian=1)
    second = pdf(client, storekeeper, pill, bulan="2026-02", bagian=2)

    text = text_of(first.content)
    assert "Bagian : 1 dari 2 (baris 1 sampai 2)" in text
    assert_in_order(text, ["Saldo dari Januari 2026", " 50 190 ", " 5 195 ", "Februari 2026 140 55 4 191"])
    assert " 4 191 Lot B2" not in text
    text = text_of(second.content)
    assert "Bagian : 2 dari 2 (baris 3 sampai 3)" in text
    assert_in_order(text, ["28 Februari 2026 - - 195 Saldo sampai baris 2", "3 28 Februari 2026 - - 4 191 Lot B2",
                           "Februari 2026 140 55 4 191"])
    assert " 50 190 " not in text
    assert (file_name(first), file_name(second)) == ("kartu-stok-pil-kb-2026-02-bagian-1.pdf",
                                                     "kartu-stok-pil-kb-2026-02-bagian-2.pdf")
    for part in ("3", "0", "x"):
        assert pdf(client, storekeeper, pill, bulan="2026-02", bagian=part).status_code == 404

    page = card_page(client, storekeeper, pill, bulan="2026-02").content.decode()
    url = reverse("alokon:stock_card_pdf", args=[pill.pk])
    assert f'href="{url}?layanan=alokon&amp;bulan=2026-02&amp;bagian=2">bagian 2 (baris 3-3)</a>' in page


def test_the_page_shows_one_month_from_its_opening_with_the_months_beside_it(client, storekeeper, pill, card):
    response = card_page(client, storekeeper, pill, bulan="2026-02")

    assert response.status_code == 200
    assert response.context["opening"] == 140
    assert [row.balance for row in response.context["page"]] == [190, 195, 191]
    page = response.content.decode()
    assert "Saldo awal Februari 2026" in page
    pdf_url = reverse("alokon:stock_card_pdf", args=[pill.pk])
    assert f'<a href="{pdf_url}?layanan=alokon&amp;bulan=2026-02">Cetak kartu stok Februari 2026 (PDF)</a>' in page
    assert 'href="?layanan=alokon&amp;bulan=2026-01">&laquo; Januari 2026</a>' in page
    assert 'href="?layanan=alokon&amp;bulan=2026-03">Maret 2026 &raquo;</a>' in page
    # Any month since the card began may be chosen, in Indonesian, the newest first.
    assert_in_order(page, [
        '<option value="2026-03">Maret 2026</option>', '<option value="2026-02" selected>Februari 2026</option>',
        '<option value="2026-01">Januari 2026</option>', '<option value="2025-12">Desember 2025</option>', "</select>",
    ])
    assert "November 2025" not in page


def test_the_page_opens_on_this_month_and_goes_back_to_the_cards_first(client, storekeeper, pill, card):
    response = card_page(client, storekeeper, pill)
    assert response.context["month"] == date(2026, 3, 1)
    assert [row.balance for row in response.context["page"]] == [181]
    page = response.content.decode()
    assert "bulan=2026-03" in page and "April 2026" not in page  # nothing after this month

    page = card_page(client, storekeeper, pill, bulan="2025-12").content.decode()
    assert "bulan=2025-11" not in page  # nothing before the first movement
    lot_page = card_page(client, storekeeper, pill, bulan="2026-02", lot=card["b2"].pk)
    assert lot_page.context["opening"] == 0 and [row.balance for row in lot_page.context["page"]] == [50, 46]
    lot_page = lot_page.content.decode()
    assert 'href="?layanan=alokon&amp;lot=%d&amp;bulan=2026-03"' % card["b2"].pk in lot_page
    assert "bulan=2026-01" not in lot_page  # the lot's card begins in February


def test_a_refused_reversal_is_shown_again_in_its_month(client, storekeeper, pill, card):
    returned = Movement.objects.get(kind="kembali")
    client.force_login(storekeeper)
    response = client.post(reverse("alokon:movement_reverse", args=[returned.pk]), {"layanan": "alokon", "note": ""})

    assert response.status_code == 400
    assert response.context["month"] == date(2026, 2, 1) and response.context["reversing"] == returned.pk
    assert returned in list(response.context["page"])
    assert "Tuliskan alasan pembatalan." in response.content.decode()
    assert not Movement.objects.filter(kind="pembalik").exists()


def grow(agency, storekeeper, pill):
    """60 more movements: 55 this month (60 in all), 5 in January."""
    receipt(agency, storekeeper, pill, date(2026, 3, 3), [("A1", 1)] * 55)
    receipt(agency, storekeeper, pill, date(2026, 1, 20), [("A1", 1)] * 5)


def test_the_pdf_reads_as_many_queries_for_5_movements_as_for_60(agency, storekeeper, pill):
    receipt(agency, storekeeper, pill, date(2026, 3, 3), [("A1", 1)] * 5)
    documents.stock_card_pdf(agency, pill, month=date(2026, 3, 1), printed_by=storekeeper)  # caches warmed
    with CaptureQueriesContext(connection) as small:
        documents.stock_card_pdf(agency, pill, month=date(2026, 3, 1), printed_by=storekeeper)
    grow(agency, storekeeper, pill)
    with CaptureQueriesContext(connection) as large:
        text = text_of(documents.stock_card_pdf(agency, pill, month=date(2026, 3, 1), printed_by=storekeeper))
    assert len(large) == len(small)
    assert_in_order(text, ["1 Maret 2026 - - 5 Saldo dari Februari 2026", "1 3 Maret 2026 BKKBN/uji", " 1 6 ",
                           "60 3 Maret 2026 BKKBN/uji Perwakilan BKKBN Provinsi 1 65"])


def test_the_page_reads_as_many_queries_for_5_movements_as_for_60(client, agency, storekeeper, pill):
    receipt(agency, storekeeper, pill, date(2026, 3, 3), [("A1", 1)] * 5)
    card_page(client, storekeeper, pill)
    with CaptureQueriesContext(connection) as small:
        card_page(client, storekeeper, pill)
    grow(agency, storekeeper, pill)
    with CaptureQueriesContext(connection) as large:
        response = card_page(client, storekeeper, pill)
    assert len(large) == len(small)
    # It opens on the month's latest rows, their balances counted on from the month's opening.
    page = response.context["page"]
    assert (response.context["opening"], page.number, page.paginator.count) == (5, 2, 60)
    assert [row.balance for row in page] == list(range(56, 66))


def test_the_lot_list_holds_the_lots_on_hand_or_moved_that_month_not_every_lot_of_the_years(
    client, agency, storekeeper, pill, card
):
    old = Lot.objects.get(number="LAMA")
    ledger.adjustment_post(warehouse=agency, actor=storekeeper, lot=old, quantity=-40, reason="rusak", on=date(2026, 1, 15))

    def lots(**params):
        return [lot.number for lot in card_page(client, storekeeper, pill, **params).context["lots"]]

    assert lots(bulan="2026-03") == ["A1", "B2"]  # LAMA is gone since January
    assert lots(bulan="2026-01") == ["A1", "B2", "LAMA"]  # written off in January: it moved that month
    assert lots(bulan="2026-03", lot=old.pk) == ["A1", "B2", "LAMA"]  # the one chosen stays choosable
