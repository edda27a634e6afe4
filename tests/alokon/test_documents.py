"""The printed documents of the warehouse (alokon.documents), on stock moved through alokon.services as the pages do."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from alokon.documents import month_report_pdf, plan_pdf, sbbk_pdf, sbbm_pdf, spmb_pdf, stock_card_pdf
from alokon.models import Lot, PlanLine, RoutinePlan, StockBalance
from alokon.services import allocation, dispatch, ledger
from portal.models import Membership
from tests.alokon.conftest import last_month

CARD_HEADER = "No Tanggal No. Dokumen Dari/Kepada Masuk Keluar Sisa Keterangan"


def texts_of(pdf: bytes) -> list[str]:
    """Each page's text with whitespace collapsed, so a phrase wrapped over two lines is still found."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(texts_of(pdf))


def day(value) -> str:
    return date_format(value, "j F Y")


def assert_in_order(text, parts):
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} not found after position {position} in {text!r}"
        position = found + len(part)


def person(user, first_name, last_name, title, nip):
    user.first_name, user.last_name = first_name, last_name
    user.save()
    Membership.objects.filter(user=user).update(title=title, nip=nip)
    return user


@pytest.fixture(autouse=True)
def letterhead(agency):
    agency.government_name, agency.agency_name = "Pemerintah Kabupaten Contoh", "Dinas Pengendalian Penduduk Contoh"
    agency.save()


@pytest.fixture
def secretary(secretary):
    return person(secretary, "Yani", "Mulyani", "Sekretaris Dinas", "197601012000032002")


@pytest.fixture
def storekeeper(storekeeper):
    return person(storekeeper, "Asep", "Saepudin", "Pengelola Barang", "198505052010011004")


def issue_to(service, facility, actor, lines, *, secretary, storekeeper, request_letter="SP/02"):
    """A request of `facility` approved in full and its SBBK issued."""
    distribution = allocation.request_create(
        service=service, facility=facility, actor=actor, lines=lines, request_letter=request_letter
    )
    approved = {line.pk: line.requested for line in distribution.lines.all()}
    distribution = allocation.spmb_approve(distribution, actor=secretary, expected_status="spmb", approved=approved)
    return dispatch.sbbk_issue(distribution, actor=storekeeper, expected_status="packing")


def test_spmb_names_the_faskes_the_request_and_the_head_who_approved_it(
    alokon_service, facility, faskes_user, secretary, pill, injectable, receive
):
    receive(pill, 100)
    distribution = allocation.request_create(
        service=alokon_service, facility=facility, actor=faskes_user, lines=[(pill, 30), (injectable, 10)],
        request_letter="440/PKM-KWL/XI/2026",
    )
    lines = {line.item_id: line.pk for line in distribution.lines.all()}
    distribution = allocation.spmb_approve(
        distribution, actor=secretary, expected_status="spmb", approved={lines[pill.pk]: 20, lines[injectable.pk]: 0}
    )

    text = text_of(spmb_pdf(distribution))

    assert "DINAS PENGENDALIAN PENDUDUK CONTOH" in text  # the warehouse's letterhead
    assert f"SURAT PERINTAH MENGELUARKAN BARANG Nomor: {distribution.spmb_number}" in text
    assert distribution.spmb_number == f"0001/SPMB/{timezone.localdate().year}"
    assert f"Tanggal : {day(timezone.localdate())} Kepada : Pengelola Barang Dinas Contoh" in text
    assert "Fasilitas kesehatan : Puskesmas Kawali" in text
    assert "Nomor registrasi K/0/KB : 32070801" in text and "Kecamatan : Kawali" in text
    assert "Surat permohonan nomor 440/PKM-KWL/XI/2026" in text
    # Item, unit, requested, approved.
    assert_in_order(text, ["1 Pil KB Kombinasi strip 30 20", "2 Suntik KB 3 Bulanan vial 10 0"])
    assert f"Contoh, {day(timezone.localdate())} Sekretaris Dinas Yani Mulyani NIP. 197601012000032002" in text


def test_spmb_is_refused_before_it_is_approved(distribution_at):
    with pytest.raises(ValueError):
        spmb_pdf(distribution_at("spmb"))


def test_sbbk_lists_each_issued_lot_with_totals_and_only_its_own_faskes(
    alokon_service, distribution_at, other_facility, other_faskes_user, secretary, storekeeper, pill, injectable,
    receive,
):
    receive(pill, 15, lot="A1", expiry=date(2027, 5, 31))
    receive(pill, 100, lot="B2", expiry=date(2028, 1, 15))
    receive(injectable, 50, lot="S1", expiry=date(2027, 8, 17))
    distribution = distribution_at("delivery", lines=[(pill, 20), (injectable, 10)])
    # Another faskes' SBBK takes from the same lot after it.
    other = issue_to(
        alokon_service, other_facility, other_faskes_user, [(pill, 7)], secretary=secretary, storekeeper=storekeeper
    )

    text = text_of(sbbk_pdf(distribution))

    assert f"SURAT BUKTI BARANG KELUAR Nomor: {distribution.sbbk_number}" in text
    assert f"Tanggal : {day(distribution.sbbk_issued_on)}" in text
    assert f"Nomor SPMB : {distribution.spmb_number}" in text
    assert "Fasilitas kesehatan : Puskesmas Kawali" in text and "Nomor registrasi K/0/KB : 32070801" in text
    # Earliest expiry first: the 15 of A1, then 5 of B2; each item's total under its lots.
    assert_in_order(text, [
        "1 Pil KB Kombinasi A1 31 Mei 2027 15 strip",
        "B2 15 Januari 2028 5 strip",
        "Jumlah Pil KB Kombinasi 20 strip",
        "2 Suntik KB 3 Bulanan S1 17 Agustus 2027 10 vial",
        "Jumlah Suntik KB 3 Bulanan 10 vial",
    ])
    assert "Yang menerima, Puskesmas Kawali" in text
    assert "Yang menyerahkan, Pengelola Barang Asep Saepudin NIP. 198505052010011004" in text
    assert "Klinik Panjalu" not in text and other.sbbk_number not in text
    assert " 7 strip" not in text

    other_text = text_of(sbbk_pdf(other))

    assert "Klinik Panjalu" in other_text and "B2 15 Januari 2028 7 strip" in other_text
    assert "Puskesmas Kawali" not in other_text and "A1" not in other_text and "S1" not in other_text


def test_sbbk_is_refused_before_it_is_issued(distribution_at):
    with pytest.raises(ValueError):
        sbbk_pdf(distribution_at("packing"))


def test_sbbm_lists_the_lots_received_under_the_suppliers_document(agency, storekeeper, pill, untracked):
    received_on = timezone.localdate() - timedelta(days=2)
    receipt = ledger.receipt_post(
        warehouse=agency, actor=storekeeper, received_on=received_on, source_document="B-123/KB.203/XI/2026",
        supplier="Perwakilan BKKBN Provinsi Jawa Barat", funding="apbn",
        lines=[
            {"item": pill, "lot_number": "PL2611", "expiry_date": date(2028, 11, 30), "quantity": 1200},
            {"item": untracked, "lot_number": "", "expiry_date": None, "quantity": 25},
        ],
    )

    text = text_of(sbbm_pdf(receipt))

    assert f"SURAT BUKTI BARANG MASUK Nomor: {receipt.number}" in text
    assert receipt.number == f"0001/SBBM/{received_on.year}"
    assert f"Tanggal terima : {day(received_on)}" in text
    assert "Diterima dari : Perwakilan BKKBN Provinsi Jawa Barat" in text
    assert "Nomor dokumen pengirim : B-123/KB.203/XI/2026" in text
    assert "Sumber dana : APBN (BKKBN)" in text
    # Items in method order; an item kept without lots prints "-" for its lot and expiry.
    assert_in_order(text, ["1 IUD Kit - - 25 set", "2 Pil KB Kombinasi PL2611 30 November 2028 1200 strip"])
    assert "Dibatalkan" not in text
    assert f"Contoh, {day(received_on)} Yang menerima, Pengelola Barang Asep Saepudin" in text


def test_sbbm_marks_a_line_cancelled_by_a_reversal(agency, storekeeper, pill, receive):
    receipt = receive(pill, 100, lot="A1", expiry=date(2027, 5, 31))
    ledger.movement_reverse(receipt.movements.get(), actor=storekeeper, note="Salah input jumlah")
    # A storekeeper without a jabatan signs as what they are, not as a head ("Pimpinan ...").
    Membership.objects.filter(user=storekeeper).update(title="")

    text = text_of(sbbm_pdf(receipt))

    cancelled = f"Dibatalkan {day(timezone.localdate())}: Salah input jumlah"
    assert f"1 Pil KB Kombinasi A1 31 Mei 2027 100 strip {cancelled}" in text
    assert "Yang menerima, Pengelola Barang Asep Saepudin" in text and "Pimpinan" not in text


def test_plan_lists_each_faskes_with_its_use_stock_proposal_and_quantity(
    alokon_service, facility, other_facility, storekeeper, pill, implant
):
    plan = RoutinePlan.objects.create(service=alokon_service, month=date(2026, 12, 1), created_by=storekeeper)
    PlanLine.objects.bulk_create([
        PlanLine(plan=plan, facility=facility, item=pill, average_use=Decimal("12.5"), on_hand=5, proposed=35,
                 quantity=40),
        PlanLine(plan=plan, facility=facility, item=implant, average_use=Decimal("2"), on_hand=6, proposed=0,
                 quantity=0),
        PlanLine(plan=plan, facility=other_facility, item=pill, average_use=Decimal("4"), on_hand=30, proposed=0,
                 quantity=0),
    ])

    text = text_of(plan_pdf(plan))

    assert "RENCANA DISTRIBUSI RUTIN Bulan Desember 2026" in text
    assert "Draf, belum diajukan" in text
    # Per faskes (by name), per item: average use, faskes stock, proposed, quantity.
    assert_in_order(text, [
        "Klinik Panjalu (K/0/KB 32070902), Kec. Panjalu",
        "1 Pil KB Kombinasi strip 4,0 30 0 0",
        "Puskesmas Kawali (K/0/KB 32070801), Kec. Kawali",
        "1 Implan 1 Batang set 2,0 6 0 0",
        "2 Pil KB Kombinasi strip 12,5 5 35 40",
    ])
    assert "Pengelola Barang Asep Saepudin NIP. 198505052010011004" in text


def card_day(days_ago):
    """`days_ago` days before today, but not before this month: the stock card prints a month."""
    today = timezone.localdate()
    return max(today - timedelta(days=days_ago), today.replace(day=1))


@pytest.fixture
def card_ledger(agency, storekeeper, facility, pill, receive, distribution_at):
    """Pill: 100 of A1 three days ago, 50 of B2 yesterday (this month's first day, if that is later), 30 issued
    to Puskesmas Kawali today (from A1), 4 of B2 written off as damaged, 3 of A1 returned by the faskes."""
    today = timezone.localdate()
    receive(pill, 100, lot="A1", expiry=date(2027, 5, 31), on=card_day(3))
    receive(pill, 50, lot="B2", expiry=date(2028, 1, 15), on=card_day(1))
    distribution = distribution_at("delivery", lines=[(pill, 30)])
    a1, b2 = Lot.objects.get(item=pill, number="A1"), Lot.objects.get(item=pill, number="B2")
    ledger.adjustment_post(
        warehouse=agency, actor=storekeeper, lot=b2, quantity=-4, reason="rusak", on=today, note="Kemasan sobek"
    )
    ledger.return_post(warehouse=agency, actor=storekeeper, lot=a1, quantity=3, facility=facility, on=today)
    return distribution, a1, b2


def test_stock_card_of_an_item_runs_its_balance_to_the_stock_on_hand(agency, storekeeper, pill, card_ledger):
    distribution, _a1, _b2 = card_ledger
    today = timezone.localdate()
    on_hand = StockBalance.objects.filter(warehouse=agency, item=pill).aggregate(total=Sum("quantity"))["total"]

    text = text_of(stock_card_pdf(agency, pill, month=today, printed_by=storekeeper))

    assert "KARTU STOK BARANG HABIS PAKAI" in text
    assert "Nama barang : Pil KB Kombinasi Satuan : strip Gudang : Dinas Contoh" in text
    assert f"Gudang : Dinas Contoh Bulan : {date_format(today, 'F Y')}" in text
    assert "Nomor lot/batch" not in text  # the item's card, every lot
    assert CARD_HEADER in text
    assert on_hand == 119
    assert_in_order(text, [
        f"{day(today.replace(day=1))} - - 0 Saldo dari {date_format(today.replace(day=1) - timedelta(days=1), 'F Y')}",
        f"1 {day(card_day(3))} BKKBN/uji Perwakilan BKKBN Provinsi 100 100 Lot A1, ED 31 Mei 2027",
        f"2 {day(card_day(1))} BKKBN/uji Perwakilan BKKBN Provinsi 50 150 Lot B2, ED 15 Januari 2028",
        f"3 {day(today)} {distribution.sbbk_number} Puskesmas Kawali 30 120 Lot A1, ED 31 Mei 2027",
        f"4 {day(today)} - - 4 116 Lot B2, ED 15 Januari 2028; Penyesuaian; Rusak; Kemasan sobek",
        f"5 {day(today)} - Puskesmas Kawali 3 {on_hand} Lot A1, ED 31 Mei 2027; Pengembalian",
    ])
    assert f"Dicetak oleh Asep Saepudin pada {day(today)}" in text
    assert "NIP." not in text  # no signature on a stock card


def test_stock_card_of_a_lot_shows_the_lot_and_only_its_rows(agency, balance, secretary, pill, card_ledger):
    _distribution, a1, b2 = card_ledger

    text = text_of(stock_card_pdf(agency, pill, a1, month=timezone.localdate(), printed_by=secretary))

    assert "Nomor lot/batch : A1 Kedaluwarsa : 31 Mei 2027" in text
    assert_in_order(text, ["1 ", " 100 100 ", "2 ", " 30 70 ", "3 ", f" 3 {balance(a1)} Pengembalian"])
    assert balance(a1) == 73
    assert " 150 " not in text and "B2" not in text and "Lot A1" not in text
    assert "Dicetak oleh Yani Mulyani" in text

    with pytest.raises(ValueError):
        stock_card_pdf(agency, pill, Lot(pk=0, item_id=0), month=date(2026, 1, 1), printed_by=secretary)


def test_a_long_stock_card_spans_pages_and_repeats_its_header(agency, storekeeper, pill):
    # One receipt of 120 lines: 120 ledger rows, without 120 receipts' overhead.
    ledger.receipt_post(
        warehouse=agency, actor=storekeeper, received_on=timezone.localdate(), source_document="BKKBN/uji",
        supplier="Perwakilan BKKBN Provinsi", funding="apbn",
        lines=[{"item": pill, "lot_number": "A1", "expiry_date": date(2027, 5, 31), "quantity": 2}] * 120,
    )

    pages = texts_of(stock_card_pdf(agency, pill, month=timezone.localdate(), printed_by=storekeeper))

    assert len(pages) > 1
    assert all(CARD_HEADER in page for page in pages)
    assert "KARTU STOK BARANG HABIS PAKAI" not in pages[1]  # the heading is the first page's, the table head each's
    # Every row, numbered on from page to page, the last one with the stock on hand.
    assert f"120 {day(timezone.localdate())} BKKBN/uji Perwakilan BKKBN Provinsi 2 240" in pages[-1]
    assert "Dicetak oleh" in pages[-1]
    assert " ".join(pages).count("Perwakilan BKKBN Provinsi 2 ") == 120


def test_month_report_sums_the_months_movements_per_item(
    agency, storekeeper, secretary, facility, pill, injectable, receive, distribution_at
):
    month = last_month()
    a1 = ledger.receipt_post(
        warehouse=agency, actor=storekeeper, received_on=month, source_document="BKKBN/uji", supplier="BKKBN",
        funding="apbn", lines=[{"item": pill, "lot_number": "A1", "expiry_date": date(2027, 5, 31), "quantity": 100}],
    ).movements.get().lot
    ledger.adjustment_post(warehouse=agency, actor=storekeeper, lot=a1, quantity=-5, reason="hilang", on=month)
    # This month: 40 more in, 20 issued to a faskes, 3 returned.
    receive(pill, 40, lot="A1", expiry=date(2027, 5, 31))
    distribution_at("delivery", lines=[(pill, 20)])
    ledger.return_post(
        warehouse=agency, actor=storekeeper, lot=a1, quantity=3, facility=facility, on=timezone.localdate()
    )

    text = text_of(month_report_pdf(agency, timezone.localdate(), printed_by=storekeeper, head=secretary))

    assert f"LAPORAN BULANAN MUTASI ALOKON Dinas Contoh Bulan {date_format(timezone.localdate(), 'F Y')}" in text
    # Opening, receipts, issues, returns, adjustments, closing; an item that did not move shows zeros.
    assert_in_order(text, ["1 Pil KB Kombinasi strip 95 40 20 3 0 118", "2 Suntik KB 3 Bulanan vial 0 0 0 0 0 0"])
    assert "Buku bulan ini belum ditutup" in text
    assert "Dicetak oleh Asep Saepudin" in text
    assert "Mengetahui, Sekretaris Dinas Yani Mulyani NIP. 197601012000032002" in text

    ledger.period_close(warehouse=agency, month=month, actor=storekeeper)
    text = text_of(month_report_pdf(agency, month, printed_by=storekeeper))

    assert f"Bulan {date_format(month, 'F Y')}" in text
    assert "1 Pil KB Kombinasi strip 0 100 0 0 -5 95" in text
    assert "belum ditutup" not in text
    assert "Mengetahui" not in text and "NIP." not in text


def test_a_stock_card_is_printed_per_month_carrying_the_balance_of_the_month_before(
    agency, storekeeper, pill, receive
):
    this_month = timezone.localdate().replace(day=1)
    previous = this_month - timedelta(days=1)  # the last day of last month
    receive(pill, 40, lot="LAMA", on=previous)
    receive(pill, 10, lot="BARU", on=this_month)

    text = text_of(stock_card_pdf(agency, pill, month=this_month, printed_by=storekeeper))
    assert f"{day(this_month)} - - 40 Saldo dari {date_format(previous, 'F Y')}" in text
    assert "BARU" in text and " 10 50 " in text and "Lot LAMA" not in text

    text = text_of(stock_card_pdf(agency, pill, month=previous, printed_by=storekeeper))
    assert f"{day(previous.replace(day=1))} - - 0 Saldo dari " in text
    assert " 40 40 " in text and "BARU" not in text
