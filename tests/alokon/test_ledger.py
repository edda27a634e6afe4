"""The stock ledger's rules (alokon.services, from receipts to the SBBK) and the reads of the books (alokon.stock).

Fixtures: tests/alokon/conftest.py. The clock stands on Wednesday 18 March 2026, 10.00 WIB, so "last month"
is February. Every refused write is checked to leave the books as they were: the ledger, the balances, the
lots, the receipts, the closed months and the distributions.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alokon import stock
from alokon.models import ClosedPeriod, Distribution, Item, Lot, Movement, Receipt, StockBalance
from alokon.services import allocation, dispatch, ledger
from alokon.services.ledger import MAX_QUANTITY, StockError
from portal.models import TransitionLog, Unit
from portal.roles import Role

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 3, 18)


@pytest.fixture(autouse=True)
def now(monkeypatch):
    """Freeze django.utils.timezone.now (and so localdate) at `now.value`; set it to move time."""

    class Clock:
        value = datetime(2026, 3, 18, 10, 0, tzinfo=JAKARTA)

    monkeypatch.setattr(timezone, "now", lambda: Clock.value)
    return Clock


def days_ago(days):
    return TODAY - timedelta(days=days)


def books():
    """Everything a refused write must leave as it was."""
    return {
        "movements": list(Movement.objects.order_by("pk").values_list("pk", "lot_id", "kind", "quantity")),
        "balances": sorted(StockBalance.objects.values_list("warehouse_id", "lot_id", "quantity")),
        "lots": sorted(Lot.objects.values_list("pk", "number", "expiry_date")),
        "receipts": sorted(Receipt.objects.values_list("pk", "sequence")),
        "closed": sorted(ClosedPeriod.objects.values_list("warehouse_id", "month")),
        "distributions": sorted(Distribution.objects.values_list("pk", "status", "sbbk_sequence", "sbbk_issued_on")),
        "transitions": TransitionLog.objects.count(),
    }


def assert_refused(write, message, exception=StockError):
    """`write()` raises `exception` matching `message` and changes nothing in the books."""
    before = books()
    with pytest.raises(exception, match=message) as refusal:
        write()
    assert books() == before
    return refusal.value


def assert_balances_equal_ledger():
    sums = Movement.objects.values("warehouse_id", "lot_id").annotate(total=Sum("quantity"))
    balances = StockBalance.objects.exclude(quantity=0)
    assert {(b.warehouse_id, b.lot_id): b.quantity for b in balances} == {
        (row["warehouse_id"], row["lot_id"]): row["total"] for row in sums if row["total"]
    }


def issue(lot, quantity, on=TODAY, *, actor, warehouse, facility=None):
    """An issue straight through the ledger's one writer, `_post`, dated `on`."""
    with transaction.atomic():
        return ledger.post(
            warehouse=warehouse, lot=lot, kind=Movement.Kind.ISSUE, quantity=-quantity, on=on, actor=actor,
            facility=facility,
        )


@pytest.fixture
def issue_(agency, storekeeper, facility):
    def issue_lot(lot, quantity, on=TODAY):
        return issue(lot, quantity, on, actor=storekeeper, warehouse=agency, facility=facility)

    return issue_lot


def lot_of(item, number="L1"):
    return Lot.objects.get(item=item, number=number)


def receipt_line(item, quantity=10, lot="L1", expiry=TODAY + timedelta(days=400)):
    return {"item": item, "lot_number": lot, "expiry_date": expiry, "quantity": quantity}


@pytest.fixture
def post_receipt(agency, storekeeper):
    """post_receipt(*lines, on=TODAY, actor=storekeeper, warehouse=agency): receipt_post with these lines."""

    def post(*lines, on=TODAY, actor=None, warehouse=None):
        return ledger.receipt_post(
            warehouse=warehouse or agency, actor=actor or storekeeper, received_on=on, source_document="BKKBN/01",
            supplier="Perwakilan BKKBN Provinsi", funding="apbn", lines=list(lines),
        )

    return post


# Receipts and lots.


def test_a_receipt_creates_its_lots_and_an_sbbm_numbered_per_warehouse_and_year(
    post_receipt, agency, government, make_user, pill, condom, balance
):
    first = post_receipt(receipt_line(pill, 100, "P-01"), receipt_line(condom, 1440, "K-01", TODAY + timedelta(days=90)))

    assert first.number == "0001/SBBM/2026" and str(first) == "SBBM 0001/SBBM/2026"
    pill_lot, condom_lot = lot_of(pill, "P-01"), lot_of(condom, "K-01")
    assert (pill_lot.expiry_date, condom_lot.expiry_date) == (TODAY + timedelta(days=400), TODAY + timedelta(days=90))
    rows = list(first.movements.order_by("pk").values_list("lot", "kind", "quantity", "occurred_on", "document"))
    assert rows == [
        (pill_lot.pk, "terima", 100, TODAY, "BKKBN/01"),
        (condom_lot.pk, "terima", 1440, TODAY, "BKKBN/01"),
    ]
    assert (balance(pill_lot), balance(condom_lot)) == (100, 1440)

    assert post_receipt(receipt_line(pill, 5, "P-01")).number == "0002/SBBM/2026"
    assert lot_of(pill, "P-01") == pill_lot and balance(pill_lot) == 105  # the same lot, received again
    # Numbered per year of the receipt's date: a December delivery entered in March is the year's first.
    assert post_receipt(receipt_line(pill, 5, "P-01"), on=date(2025, 12, 30)).number == "0001/SBBM/2025"
    # ... and per warehouse.
    other = Unit.objects.create(code="dinas2", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    other_keeper = make_user(other, Role.STOREKEEPER)
    assert post_receipt(receipt_line(pill, 7, "P-01"), warehouse=other, actor=other_keeper).number == "0001/SBBM/2026"
    assert post_receipt(receipt_line(pill, 1, "P-01")).number == "0003/SBBM/2026"
    assert StockBalance.objects.get(warehouse=other, lot=pill_lot).quantity == 7
    assert_balances_equal_ledger()


@pytest.mark.parametrize(
    "number, expiry, message",
    [
        ("", TODAY + timedelta(days=100), "isi nomor lot/batch"),
        ("   ", TODAY + timedelta(days=100), "isi nomor lot/batch"),
        ("-", TODAY + timedelta(days=100), "isi nomor lot/batch"),
        ("P-01", None, "isi tanggal kedaluwarsa"),
    ],
)
def test_an_item_tracked_by_lot_needs_its_lot_number_and_expiry(post_receipt, pill, number, expiry, message):
    assert_refused(lambda: post_receipt(receipt_line(pill, 10, number, expiry)), message)


def test_the_same_lot_number_with_another_expiry_is_refused(post_receipt, pill, balance):
    post_receipt(receipt_line(pill, 10, "P-01", date(2027, 5, 31)))
    assert_refused(
        lambda: post_receipt(receipt_line(pill, 10, "P-01", date(2027, 6, 30))),
        "Lot P-01 Pil KB Kombinasi sudah tercatat dengan kedaluwarsa 31-05-2027",
    )
    assert balance(lot_of(pill, "P-01")) == 10


def test_an_untracked_item_is_kept_in_lot_dash(post_receipt, untracked, balance):
    post_receipt(receipt_line(untracked, 3, "ABC", date(2030, 1, 1)))
    post_receipt({"item": untracked, "quantity": 4})

    lot = Lot.objects.get(item=untracked)  # one lot only, whatever was typed
    assert (lot.number, lot.expiry_date, str(lot)) == ("-", None, "IUD Kit")
    assert balance(lot) == 7


def test_a_receipt_with_one_bad_line_writes_none_of_its_lines(post_receipt, pill, condom):
    assert_refused(lambda: post_receipt(receipt_line(pill, 10), receipt_line(condom, 0)), "harus lebih dari nol")
    assert_refused(lambda: post_receipt(), "paling sedikit satu barang")


# Quantities: whole, above zero, not absurd. Every writer, nothing written.

BAD_QUANTITIES = [
    (0, "Jumlah harus lebih dari nol."),
    (-5, "Jumlah harus lebih dari nol."),
    (1.5, "Jumlah harus bilangan bulat."),
    (2.0, "Jumlah harus bilangan bulat."),
    (Decimal("2"), "Jumlah harus bilangan bulat."),
    (Decimal("1.5"), "Jumlah harus bilangan bulat."),
    (True, "Jumlah harus bilangan bulat."),
    ("10", "Jumlah harus bilangan bulat."),
    (None, "Jumlah harus bilangan bulat."),
    (MAX_QUANTITY + 1, r"Jumlah 1\.000\.001 tidak wajar \(lebih dari 1\.000\.000\)"),
]


@pytest.mark.parametrize("quantity, message", BAD_QUANTITIES)
def test_a_receipt_refuses_a_quantity_that_is_not_a_sane_whole_number(post_receipt, pill, quantity, message):
    assert_refused(lambda: post_receipt(receipt_line(pill, quantity)), message)


@pytest.mark.parametrize("quantity, message", BAD_QUANTITIES)
def test_a_return_refuses_a_quantity_that_is_not_a_sane_whole_number(
    agency, storekeeper, facility, receive, pill, quantity, message
):
    receive(pill, 100)
    assert_refused(
        lambda: ledger.return_post(
            warehouse=agency, actor=storekeeper, lot=lot_of(pill), quantity=quantity, facility=facility, on=TODAY
        ),
        message,
    )


@pytest.mark.parametrize(
    "quantity, message",
    [(q, m) for q, m in BAD_QUANTITIES if q != -5]  # an adjustment may be negative: a write-off
    + [(-MAX_QUANTITY - 1, r"Jumlah 1\.000\.001 tidak wajar"), (-1.5, "bilangan bulat"), (Decimal("-2"), "bulat")],
)
def test_an_adjustment_refuses_a_quantity_that_is_not_a_sane_whole_number(
    agency, storekeeper, receive, pill, quantity, message
):
    receive(pill, 100)
    assert_refused(
        lambda: ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=lot_of(pill), quantity=quantity, reason="selisih", on=TODAY
        ),
        message,
    )


def test_the_largest_sane_quantity_is_accepted(post_receipt, pill, balance):
    post_receipt(receipt_line(pill, MAX_QUANTITY))
    assert balance(lot_of(pill)) == MAX_QUANTITY


# Adjustments and returns.


@pytest.mark.parametrize("reason", ["", "bogus", None])
def test_an_adjustment_needs_a_reason(agency, storekeeper, receive, pill, reason):
    receive(pill, 100)
    assert_refused(
        lambda: ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=lot_of(pill), quantity=-3, reason=reason, on=TODAY
        ),
        "Pilih alasan penyesuaian",
    )


def test_an_adjustment_writes_off_or_adds_with_its_reason(agency, storekeeper, receive, pill, balance):
    receive(pill, 100)
    lot = lot_of(pill)
    lost = ledger.adjustment_post(
        warehouse=agency, actor=storekeeper, lot=lot, quantity=-3, reason="hilang", on=TODAY, note="Dus sobek"
    )
    found = ledger.adjustment_post(warehouse=agency, actor=storekeeper, lot=lot, quantity=2, reason="selisih", on=TODAY)

    assert (lost.kind, lost.quantity, lost.reason, lost.note) == ("penyesuaian", -3, "hilang", "Dus sobek")
    assert (found.quantity, found.reason) == (2, "selisih")
    assert balance(lot) == 99
    assert_refused(
        lambda: ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=lot, quantity=-100, reason="rusak", on=TODAY
        ),
        "tidak cukup: tersedia 99, dibutuhkan 100",
    )


def test_a_return_comes_back_into_its_lot_from_the_facility(agency, storekeeper, facility, receive, pill, balance):
    receive(pill, 100)
    returned = ledger.return_post(
        warehouse=agency, actor=storekeeper, lot=lot_of(pill), quantity=6, facility=facility, on=days_ago(2)
    )
    assert (returned.kind, returned.quantity, returned.facility, returned.party) == (
        "kembali", 6, facility, "Puskesmas Kawali"
    )
    assert balance(lot_of(pill)) == 106


# Reversals.


def test_a_reversal_posts_the_opposite_quantity_linked_both_ways(agency, storekeeper, post_receipt, pill, balance, now):
    receipt = post_receipt(receipt_line(pill, 100), on=days_ago(10))
    original = receipt.movements.get()
    now.value += timedelta(hours=1)

    reversal = ledger.movement_reverse(original, actor=storekeeper, note="Salah ketik jumlah")

    assert (reversal.kind, reversal.quantity, reversal.occurred_on, reversal.reverses) == ("pembalik", -100, TODAY, original)
    assert (reversal.lot, reversal.document, reversal.note) == (original.lot, "BKKBN/01", "Salah ketik jumlah")
    original = Movement.objects.get(pk=original.pk)
    assert original.reversed_by == reversal
    assert original.quantity == 100  # the original row stays as it was written
    assert balance(lot_of(pill)) == 0
    assert_balances_equal_ledger()


@pytest.mark.parametrize("kind", ["adjustment", "return"])
def test_an_adjustment_or_a_return_is_reversed_too(agency, storekeeper, facility, receive, pill, balance, kind):
    receive(pill, 100)
    lot = lot_of(pill)
    if kind == "adjustment":
        original = ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=lot, quantity=-30, reason="rusak", on=TODAY
        )
    else:
        original = ledger.return_post(warehouse=agency, actor=storekeeper, lot=lot, quantity=30, facility=facility, on=TODAY)
    reversal = ledger.movement_reverse(original, actor=storekeeper, note="Salah lot")
    assert reversal.quantity == -original.quantity
    assert balance(lot) == 100


def test_a_reversal_needs_its_reason(storekeeper, receive, pill):
    original = receive(pill, 100).movements.get()
    assert_refused(lambda: ledger.movement_reverse(original, actor=storekeeper, note="  "), "alasan pembatalan")


def test_a_movement_is_reversed_once_only(storekeeper, post_receipt, pill, balance):
    post_receipt(receipt_line(pill, 40))
    original = post_receipt(receipt_line(pill, 60)).movements.get()
    reversal = ledger.movement_reverse(original, actor=storekeeper, note="Dobel input")

    assert_refused(lambda: ledger.movement_reverse(original, actor=storekeeper, note="Lagi"), "sudah dibatalkan")
    assert_refused(
        lambda: ledger.movement_reverse(reversal, actor=storekeeper, note="Batal pembatalan"),
        "tidak dapat dibatalkan dari sini",
    )
    assert balance(lot_of(pill)) == 40


def test_an_sbbk_issue_cannot_be_reversed_here(storekeeper, distribution_at):
    distribution = distribution_at("delivery")
    issued = distribution.movements.get(kind="keluar")
    assert_refused(
        lambda: ledger.movement_reverse(issued, actor=storekeeper, note="Batal kirim"), "tidak dapat dibatalkan dari sini"
    )


def test_a_receipt_whose_stock_was_issued_cannot_be_reversed(storekeeper, receive, pill, issue_, balance):
    original = receive(pill, 100).movements.get()
    issue_(lot_of(pill), 30)
    assert_refused(
        lambda: ledger.movement_reverse(original, actor=storekeeper, note="Salah"), "tersedia 70, dibutuhkan 100"
    )


# Dates: not in the future, not in a closed month.


def test_a_movement_dated_in_the_future_is_refused(agency, storekeeper, facility, post_receipt, receive, pill, issue_):
    receive(pill, 100)
    lot = lot_of(pill)
    tomorrow = TODAY + timedelta(days=1)
    message = "tidak boleh di masa depan"
    assert_refused(lambda: post_receipt(receipt_line(pill, 10), on=tomorrow), message)
    assert_refused(
        lambda: ledger.adjustment_post(warehouse=agency, actor=storekeeper, lot=lot, quantity=1, reason="selisih", on=tomorrow),
        message,
    )
    assert_refused(
        lambda: ledger.return_post(warehouse=agency, actor=storekeeper, lot=lot, quantity=1, facility=facility, on=tomorrow),
        message,
    )
    assert_refused(lambda: issue_(lot, 1, tomorrow), message)


def test_a_movement_in_a_closed_month_is_refused(agency, storekeeper, secretary, post_receipt, pill, balance):
    post_receipt(receipt_line(pill, 100), on=date(2026, 1, 20))
    closed = ledger.period_close(warehouse=agency, month=date(2026, 2, 14), actor=secretary)
    assert (closed.month, closed.closed_by, str(closed)) == (date(2026, 2, 1), secretary, "02-2026")

    lot = lot_of(pill)
    message = "Buku sampai 28-02-2026 sudah ditutup"
    for day in (date(2026, 2, 28), date(2026, 2, 1), date(2026, 1, 31), date(2025, 12, 1)):
        assert_refused(lambda: post_receipt(receipt_line(pill, 10), on=day), message)
        assert_refused(
            lambda: ledger.adjustment_post(
                warehouse=agency, actor=storekeeper, lot=lot, quantity=-1, reason="rusak", on=day
            ),
            message,
        )
    post_receipt(receipt_line(pill, 10), on=date(2026, 3, 1))
    assert balance(lot) == 110


def test_period_close_refuses_a_month_not_ended(agency, secretary, now):
    assert_refused(lambda: ledger.period_close(warehouse=agency, month=TODAY, actor=secretary), "belum berakhir")
    assert_refused(
        lambda: ledger.period_close(warehouse=agency, month=date(2026, 4, 1), actor=secretary), "belum berakhir"
    )
    # On the last day of a month the month has not ended yet; the next morning it has.
    now.value = datetime(2026, 3, 31, 23, 0, tzinfo=JAKARTA)
    assert_refused(lambda: ledger.period_close(warehouse=agency, month=TODAY, actor=secretary), "belum berakhir")
    now.value = datetime(2026, 4, 1, 0, 30, tzinfo=JAKARTA)
    assert ledger.period_close(warehouse=agency, month=TODAY, actor=secretary).month == date(2026, 3, 1)


def test_period_close_refuses_a_month_already_closed(agency, secretary, storekeeper):
    ledger.period_close(warehouse=agency, month=date(2026, 2, 1), actor=secretary)
    assert_refused(
        lambda: ledger.period_close(warehouse=agency, month=date(2026, 2, 1), actor=storekeeper), "02-2026 sudah ditutup"
    )
    # An earlier month went with it.
    assert_refused(
        lambda: ledger.period_close(warehouse=agency, month=date(2026, 1, 1), actor=storekeeper), "01-2026 sudah ditutup"
    )


def test_period_close_is_the_storekeepers_or_a_heads(agency, faskes_user, outside_officer, agency_head):
    for user in (faskes_user, outside_officer, agency_head):
        assert_refused(
            lambda: ledger.period_close(warehouse=agency, month=date(2026, 2, 1), actor=user), "hanya dapat dilakukan oleh"
        )


# Back-dating: the balance must stay at or above zero on every later day too.


@pytest.fixture
def dated_history(post_receipt, pill, issue_):
    """Lot L1 of pill: +100 ten days ago, -80 five days ago, +100 two days ago; 120 on hand today."""
    post_receipt(receipt_line(pill, 100), on=days_ago(10))
    issue_(lot_of(pill), 80, days_ago(5))
    post_receipt(receipt_line(pill, 100), on=days_ago(2))
    return lot_of(pill)


def test_a_back_dated_issue_that_would_make_a_later_balance_negative_is_refused(
    dated_history, issue_, balance, agency, storekeeper
):
    assert balance(dated_history) == 120  # today's balance would suffice

    # 100 - 50 = 50 seven days ago, then 50 - 80 = -30 five days ago.
    refusal = assert_refused(lambda: issue_(dated_history, 50, days_ago(7)), "minus pada tanggal sesudahnya")
    assert str(refusal) == "Mutasi bertanggal 11-03-2026 membuat stok Pil KB Kombinasi lot L1 minus pada tanggal sesudahnya."
    # Before the first receipt there was nothing to issue.
    assert_refused(lambda: issue_(dated_history, 1, days_ago(11)), "minus pada tanggal sesudahnya")
    # A back-dated write-off is held to the same rule.
    assert_refused(
        lambda: ledger.adjustment_post(
            warehouse=agency, actor=storekeeper, lot=dated_history, quantity=-21, reason="hilang", on=days_ago(6)
        ),
        "minus pada tanggal sesudahnya",
    )


def test_an_acceptable_back_dated_issue_is_accepted(dated_history, issue_, balance, agency, pill):
    issue_(dated_history, 20, days_ago(7))  # 80 seven days ago, 0 five days ago, 100 two days ago

    assert balance(dated_history) == 100
    running = [row.balance for row in stock.card_movements(agency, pill)]
    assert running == [100, 80, 0, 100]
    # The back-dated row sits at its date on the card, though written last.
    assert [row.occurred_on for row in stock.card_movements(agency, pill)] == [
        days_ago(10), days_ago(7), days_ago(5), days_ago(2)
    ]
    # Now the lot is at zero five days ago: not one more unit may leave on or before that day.
    assert_refused(lambda: issue_(dated_history, 1, days_ago(5)), "minus pada tanggal sesudahnya")
    issue_(dated_history, 100, days_ago(2))
    assert balance(dated_history) == 0


def test_issuing_never_takes_a_balance_below_zero(receive, pill, issue_, balance):
    receive(pill, 100)
    lot = lot_of(pill)
    refusal = assert_refused(lambda: issue_(lot, 101), "tidak cukup")
    assert str(refusal) == "Stok Pil KB Kombinasi lot L1 tidak cukup: tersedia 100, dibutuhkan 101."
    issue_(lot, 100)
    assert_refused(lambda: issue_(lot, 1), "tersedia 0, dibutuhkan 1")
    assert balance(lot) == 0


def test_the_database_refuses_a_negative_balance(receive, pill, agency):
    receive(pill, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(warehouse=agency, lot=lot_of(pill)).update(quantity=-1)


# Issuing an SBBK: FEFO, whole packs, quarantine, the storekeeper's choice.


def allocated(distribution):
    return list(distribution.movements.order_by("pk").values_list("lot__number", "quantity"))


def test_fefo_takes_the_earliest_expiry_first_across_lots(receive, pill, distribution_at, balance):
    receive(pill, 10, "LATE", TODAY + timedelta(days=300))  # received first, expires last
    receive(pill, 10, "EARLY", TODAY + timedelta(days=100))
    receive(pill, 10, "MID", TODAY + timedelta(days=200))

    distribution = distribution_at("delivery", lines=[(pill, 25)])

    assert allocated(distribution) == [("EARLY", -10), ("MID", -10), ("LATE", -5)]
    assert distribution.sbbk_number == "0001/SBBK/2026" and distribution.sbbk_issued_on == TODAY
    assert [balance(lot_of(pill, n)) for n in ("EARLY", "MID", "LATE")] == [0, 0, 5]
    issued = distribution.movements.first()
    assert (issued.kind, issued.document, issued.facility, issued.occurred_on) == (
        "keluar", "0001/SBBK/2026", distribution.facility, TODAY
    )
    assert_balances_equal_ledger()


def test_condoms_leave_in_whole_packs_only(receive, condom, distribution_at, agency, balance, storekeeper, secretary):
    receive(condom, 200, "K-EARLY", TODAY + timedelta(days=60))  # one whole box and 56 loose
    receive(condom, 1000, "K-LATE", TODAY + timedelta(days=500))

    waiting = distribution_at("spmb", lines=[(condom, 288)])
    line = waiting.lines.get()
    assert_refused(
        lambda: allocation.spmb_approve(waiting, actor=secretary, expected_status="spmb", approved={line.pk: 200}),
        "per kemasan isi 144: 200 bukan kelipatannya",
    )
    balances = ledger.lock_item_balances(agency, [condom.pk])[condom.pk]
    with pytest.raises(StockError, match="dikeluarkan per kemasan isi 144: jumlah 200 bukan kelipatannya"):
        ledger.fefo_allocate(balances, condom, 200, on=TODAY)

    distribution = allocation.spmb_approve(waiting, actor=secretary, expected_status="spmb", approved={line.pk: 288})
    distribution = dispatch.sbbk_issue(distribution, actor=storekeeper, expected_status="packing")

    # The early lot gives its one whole box; the 56 loose pieces stay.
    assert allocated(distribution) == [("K-EARLY", -144), ("K-LATE", -144)]
    assert (balance(lot_of(condom, "K-EARLY")), balance(lot_of(condom, "K-LATE"))) == (56, 856)


def test_loose_pieces_that_make_no_whole_pack_are_not_issuable(receive, condom, agency):
    receive(condom, 100, "K-A", TODAY + timedelta(days=60))
    receive(condom, 100, "K-B", TODAY + timedelta(days=90))
    balances = ledger.lock_item_balances(agency, [condom.pk])[condom.pk]
    with pytest.raises(StockError, match="dibutuhkan 144, tersedia 0 yang dapat dikeluarkan"):
        ledger.fefo_allocate(balances, condom, 144, on=TODAY)


def test_expired_lots_are_quarantined(receive, pill, distribution_at, storekeeper, balance, agency):
    receive(pill, 100, "OLD", TODAY - timedelta(days=1))
    receive(pill, 50, "NEW", TODAY + timedelta(days=100))
    receive(pill, 5, "TODAY", TODAY)  # usable through its expiry date

    short = distribution_at("packing", lines=[(pill, 60)])
    assert_refused(
        lambda: dispatch.sbbk_issue(short, actor=storekeeper, expected_status="packing"),
        "dibutuhkan 60, tersedia 55 yang dapat dikeluarkan",
    )

    chosen = distribution_at("packing", lines=[(pill, 30)])
    assert_refused(
        lambda: dispatch.sbbk_issue(
            chosen, actor=storekeeper, expected_status="packing", preferred_lots={pill.pk: lot_of(pill, "OLD")},
            choice_reason="Habiskan stok lama",
        ),
        "Lot OLD sudah kedaluwarsa dan dikarantina",
    )

    issued = dispatch.sbbk_issue(chosen, actor=storekeeper, expected_status="packing")
    assert allocated(issued) == [("TODAY", -5), ("NEW", -25)]
    assert balance(lot_of(pill, "OLD")) == 100
    lots = stock.lots_on_hand(agency, item=pill)
    assert [(b.lot.number, b.quantity, b.expired) for b in lots] == [("OLD", 100, True), ("NEW", 25, False)]


def test_choosing_a_lot_other_than_fefo_needs_a_reason(receive, pill, distribution_at, storekeeper, balance):
    receive(pill, 50, "EARLY", TODAY + timedelta(days=100))
    receive(pill, 50, "LATE", TODAY + timedelta(days=300))
    late = lot_of(pill, "LATE")

    distribution = distribution_at("packing", lines=[(pill, 20)])
    assert_refused(
        lambda: dispatch.sbbk_issue(
            distribution, actor=storekeeper, expected_status="packing", preferred_lots={pill.pk: late},
            choice_reason="  ",
        ),
        "Lot LATE bukan yang paling awal kedaluwarsa: tuliskan alasan memilihnya",
    )

    issued = dispatch.sbbk_issue(
        distribution, actor=storekeeper, expected_status="packing", preferred_lots={pill.pk: late},
        choice_reason="Permintaan faskes: kemasan baru",
    )
    assert allocated(issued) == [("LATE", -20)]
    assert issued.movements.get().note == "Lot dipilih: Permintaan faskes: kemasan baru"
    assert (balance(lot_of(pill, "EARLY")), balance(late)) == (50, 30)

    # Choosing the FEFO lot itself needs no reason.
    again = distribution_at("packing", lines=[(pill, 10)])
    issued = dispatch.sbbk_issue(
        again, actor=storekeeper, expected_status="packing", preferred_lots={pill.pk: lot_of(pill, "EARLY")}
    )
    assert allocated(issued) == [("EARLY", -10)] and issued.movements.get().note == ""


def test_a_chosen_lot_without_enough_stock_is_refused_not_replaced_by_fefo(
    receive, pill, condom, distribution_at, storekeeper, issue_, balance
):
    receive(pill, 100, "EARLY", TODAY + timedelta(days=100))
    receive(pill, 10, "LATE", TODAY + timedelta(days=300))
    receive(pill, 5, "EMPTIED", TODAY + timedelta(days=200))
    issue_(lot_of(pill, "EMPTIED"), 5)  # its balance row is at zero now
    never_held = Lot.objects.create(item=pill, number="NEVER", expiry_date=TODAY + timedelta(days=250))
    distribution = distribution_at("packing", lines=[(pill, 20)])

    def issue_with(lot):
        return lambda: dispatch.sbbk_issue(
            distribution, actor=storekeeper, expected_status="packing", preferred_lots={pill.pk: lot},
            choice_reason="Permintaan faskes: kemasan baru",
        )

    # Neither FEFO's lot nor a mix: the chosen lot gives all of the line, or the SBBK waits.
    assert_refused(
        issue_with(lot_of(pill, "LATE")),
        r"Stok lot LATE Pil KB Kombinasi tidak cukup: tersedia 10 yang dapat dikeluarkan, dibutuhkan 20\. "
        r"Pilih lot lain, atau Otomatis \(FEFO\)\.",
    )
    assert_refused(issue_with(lot_of(pill, "EMPTIED")), "Stok lot EMPTIED .* tersedia 0 yang dapat dikeluarkan")
    assert_refused(issue_with(never_held), "Stok lot NEVER .* tersedia 0 yang dapat dikeluarkan")
    assert (balance(lot_of(pill, "EARLY")), balance(lot_of(pill, "LATE"))) == (100, 10)

    # In whole packs: 200 condoms in the late lot make one box of 144, not the two asked.
    receive(condom, 1440, "K-EARLY", TODAY + timedelta(days=60))
    receive(condom, 200, "K-LATE", TODAY + timedelta(days=500))
    boxes = distribution_at("packing", lines=[(condom, 288)])
    assert_refused(
        lambda: dispatch.sbbk_issue(
            boxes, actor=storekeeper, expected_status="packing", preferred_lots={condom.pk: lot_of(condom, "K-LATE")},
            choice_reason="Kemasan lama dibuka",
        ),
        "Stok lot K-LATE Kondom tidak cukup: tersedia 144 yang dapat dikeluarkan, dibutuhkan 288",
    )

    # Choosing FEFO's own lot is the automatic pick: it may run on into the next lot.
    receive(pill, 15, "FIRST", TODAY + timedelta(days=50))
    issued = dispatch.sbbk_issue(
        distribution, actor=storekeeper, expected_status="packing", preferred_lots={pill.pk: lot_of(pill, "FIRST")}
    )
    assert allocated(issued) == [("FIRST", -15), ("EARLY", -5)]


def test_an_sbbk_reads_its_balance_rows_once_however_many_lots_it_takes(
    receive, pill, injectable, condom, distribution_at, storekeeper
):
    for item, quantity in ((pill, 10), (injectable, 10), (condom, 144)):
        for number, days in (("A", 100), ("B", 200), ("C", 300)):
            receive(item, quantity, f"{item.code}-{number}", TODAY + timedelta(days=days))
    distribution = distribution_at("packing", lines=[(pill, 30), (injectable, 20), (condom, 432)])

    with CaptureQueriesContext(connection) as queries:
        issued = dispatch.sbbk_issue(distribution, actor=storekeeper, expected_status="packing")

    assert len(allocated(issued)) == 8
    # One locking read of every balance row the SBBK may take, in lot order; each posting uses the row held.
    balance_reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and '"alokon_stockbalance"' in q["sql"]]
    assert len(balance_reads) == 1, balance_reads
    assert_balances_equal_ledger()


def test_an_sbbk_short_of_stock_leaves_the_distribution_waiting(receive, pill, implant, distribution_at, storekeeper):
    receive(pill, 100)
    receive(implant, 5, "IMP")
    distribution = distribution_at("packing", lines=[(pill, 20), (implant, 6)])  # pill enough, implant short

    assert_refused(
        lambda: dispatch.sbbk_issue(distribution, actor=storekeeper, expected_status="packing"),
        "Stok Implan 1 Batang tidak cukup: dibutuhkan 6, tersedia 5",
    )
    distribution.refresh_from_db()
    assert (distribution.status, distribution.sbbk_sequence, distribution.sbbk_issued_on) == ("packing", None, None)


def test_an_sbbk_entered_late_keeps_its_paper_date_under_the_ledgers_rules(
    post_receipt, pill, distribution_at, storekeeper, secretary, agency, issue_, balance
):
    post_receipt(receipt_line(pill, 20), on=days_ago(10))
    issue_(lot_of(pill), 20, days_ago(5))
    post_receipt(receipt_line(pill, 20), on=days_ago(2))  # 20 on hand today, but none five to two days ago

    late = distribution_at("packing", lines=[(pill, 20)])
    # Seven days ago the 20 were there, but taking them leaves the issue of five days ago short.
    assert_refused(
        lambda: dispatch.sbbk_issue(late, actor=storekeeper, expected_status="packing", issued_on=days_ago(7)),
        "Mutasi bertanggal 11-03-2026 membuat stok Pil KB Kombinasi lot L1 minus pada tanggal sesudahnya",
    )
    assert_refused(
        lambda: dispatch.sbbk_issue(
            late, actor=storekeeper, expected_status="packing", issued_on=TODAY + timedelta(days=1)
        ),
        "tidak boleh di masa depan",
    )
    ledger.period_close(warehouse=agency, month=date(2026, 2, 1), actor=secretary)
    assert_refused(
        lambda: dispatch.sbbk_issue(late, actor=storekeeper, expected_status="packing", issued_on=date(2026, 2, 27)),
        "Buku sampai 28-02-2026 sudah ditutup",
    )

    issued = dispatch.sbbk_issue(late, actor=storekeeper, expected_status="packing", issued_on=days_ago(1))
    assert (issued.sbbk_issued_on, issued.sbbk_number) == (days_ago(1), "0001/SBBK/2026")
    assert list(issued.movements.values_list("occurred_on", "quantity")) == [(days_ago(1), -20)]
    assert balance(lot_of(pill)) == 0
    assert [row.balance for row in stock.card_movements(agency, pill)] == [20, 0, 20, 0]


# Who may post.


@pytest.fixture
def writes(agency, facility, pill, receive, post_receipt, distribution_at):
    """Each ledger write, as a function of the actor."""
    receive(pill, 100)
    lot = lot_of(pill)
    original = Movement.objects.get(lot=lot)
    waiting = distribution_at("packing", lines=[(pill, 10)])
    return {
        "receipt": lambda actor: post_receipt(receipt_line(pill, 10), actor=actor),
        "adjustment": lambda actor: ledger.adjustment_post(
            warehouse=agency, actor=actor, lot=lot, quantity=-1, reason="rusak", on=TODAY
        ),
        "return": lambda actor: ledger.return_post(
            warehouse=agency, actor=actor, lot=lot, quantity=1, facility=facility, on=TODAY
        ),
        "reversal": lambda actor: ledger.movement_reverse(original, actor=actor, note="Salah"),
        "sbbk": lambda actor: dispatch.sbbk_issue(waiting, actor=actor, expected_status="packing"),
    }


@pytest.mark.parametrize("user", ["faskes_user", "outside_officer", "uptd_officer", "secretary", "agency_head"])
@pytest.mark.parametrize("write", ["receipt", "adjustment", "return", "reversal", "sbbk"])
def test_only_the_storekeeper_posts_to_the_ledger(request, writes, write, user):
    actor = request.getfixturevalue(user)
    assert_refused(lambda: writes[write](actor), "Langkah ini hanya dapat dilakukan oleh: Pengelola Barang.")


def test_the_storekeeper_of_another_agency_does_not_post_here(writes, government, make_user):
    other = Unit.objects.create(code="dinas2", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    stranger = make_user(other, Role.STOREKEEPER)
    for write in ("receipt", "adjustment", "return", "reversal"):
        assert_refused(lambda: writes[write](stranger), "hanya dapat dilakukan oleh: Pengelola Barang")


# The ledger is append-only.


def test_a_movement_cannot_be_saved_again_nor_deleted(receive, pill):
    movement = receive(pill, 100).movements.get()
    movement.quantity = 1000
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        movement.save()
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        Movement(**{f.attname: getattr(movement, f.attname) for f in Movement._meta.concrete_fields}).save()
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        movement.delete()
    assert Movement.objects.get().quantity == 100


def test_the_ledger_refuses_queryset_update_and_delete(receive, pill):
    receive(pill, 100)
    with pytest.raises(ValidationError, match="tidak dapat diubah; koreksi dicatat sebagai mutasi pembalik"):
        Movement.objects.filter(lot__item=pill).update(quantity=1)
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        Movement.objects.all().delete()
    assert list(Movement.objects.values_list("quantity", flat=True)) == [100]


def test_on_postgresql_the_database_refuses_to_rewrite_the_ledger(require_postgresql, receive, pill):
    movement = receive(pill, 100).movements.get()
    statements = [
        ("UPDATE alokon_movement SET quantity = 1 WHERE id = %s", [movement.pk]),
        ("UPDATE alokon_movement SET note = 'diubah'", []),
        ("DELETE FROM alokon_movement WHERE id = %s", [movement.pk]),
        ("DELETE FROM alokon_movement", []),
    ]
    for sql, params in statements:
        with pytest.raises(ProgrammingError, match="pgtrigger: Cannot update or delete rows from alokon_movement"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert list(Movement.objects.values_list("quantity", "note")) == [(100, "")]


# The reads: month summary, stock card, stock on hand.


@pytest.fixture
def february(agency, storekeeper, facility, post_receipt, pill, issue_, now):
    """Pill movements from January to March, one of each kind in February (a reversal included)."""
    post_receipt(receipt_line(pill, 100, "L1"), on=date(2026, 1, 10))
    post_receipt(receipt_line(pill, 50, "L2", TODAY + timedelta(days=500)), on=date(2026, 2, 1))  # the month's first day
    issue_(lot_of(pill, "L1"), 30, date(2026, 2, 5))
    ledger.return_post(
        warehouse=agency, actor=storekeeper, lot=lot_of(pill, "L1"), quantity=5, facility=facility, on=date(2026, 2, 10)
    )
    ledger.adjustment_post(  # on the month's last day
        warehouse=agency, actor=storekeeper, lot=lot_of(pill, "L1"), quantity=-4, reason="rusak", on=date(2026, 2, 28)
    )
    mistaken = post_receipt(receipt_line(pill, 20, "L2", TODAY + timedelta(days=500)), on=date(2026, 2, 20))
    now.value = datetime(2026, 2, 25, 9, 0, tzinfo=JAKARTA)  # a reversal is dated the day it is made
    ledger.movement_reverse(mistaken.movements.get(), actor=storekeeper, note="Dokumen ganda")
    now.value = datetime(2026, 3, 18, 10, 0, tzinfo=JAKARTA)
    issue_(lot_of(pill, "L2"), 10, date(2026, 3, 2))


def test_the_month_summary_adds_up_from_opening_to_closing(february, agency, pill, condom, untracked, balance):
    untracked.is_active = False
    untracked.save()
    rows = {row.item: row for row in stock.month_summary(agency, date(2026, 2, 14))}

    feb = rows[pill]
    assert (feb.opening, feb.receipts, feb.issues, feb.returns, feb.adjustments, feb.closing) == (100, 70, 30, 5, -24, 121)
    assert feb.opening + feb.receipts - feb.issues + feb.returns + feb.adjustments == feb.closing
    assert (rows[condom].opening, rows[condom].closing) == (0, 0)
    assert untracked not in rows  # inactive and without movements

    march = {row.item: row for row in stock.month_summary(agency, TODAY)}[pill]
    assert (march.opening, march.issues, march.closing) == (121, 10, 111)
    assert march.closing == balance(lot_of(pill, "L1")) + balance(lot_of(pill, "L2"))
    january = {row.item: row for row in stock.month_summary(agency, date(2026, 1, 1))}[pill]
    assert (january.opening, january.receipts, january.closing) == (0, 100, 100)
    assert stock.balance_on(agency, pill, date(2026, 2, 28)) == 121
    assert stock.balance_on(agency, pill, date(2026, 2, 28), lot=lot_of(pill, "L2")) == 50


def test_an_inactive_item_with_movements_still_shows_in_its_month(february, agency, pill):
    pill.is_active = False
    pill.save()
    rows = {row.item: row for row in stock.month_summary(agency, date(2026, 2, 1))}
    assert rows[pill].closing == 121


def test_the_stock_cards_running_balance_ends_at_the_balance(february, agency, pill, balance):
    card = list(stock.card_movements(agency, pill))
    assert [row.balance for row in card] == [100, 150, 120, 125, 145, 125, 121, 111]
    assert card[-1].balance == balance(lot_of(pill, "L1")) + balance(lot_of(pill, "L2"))
    # A page of the card keeps the sums of the rows before it.
    assert [row.balance for row in stock.card_movements(agency, pill)[5:7]] == [125, 121]

    lot_card = list(stock.card_movements(agency, pill, lot=lot_of(pill, "L2")))
    assert [row.balance for row in lot_card] == [50, 70, 50, 40]
    assert lot_card[-1].balance == balance(lot_of(pill, "L2"))


def test_a_months_card_counts_on_from_the_balance_the_month_opened_with(february, agency, pill, balance):
    card = stock.card_movements(agency, pill, month=date(2026, 2, 14))
    assert card.opening == 100 and len(card) == 6
    assert [row.balance for row in card] == [150, 120, 125, 145, 125, 121]
    assert [row.balance for row in card[4:6]] == [125, 121]  # a page keeps the sums of the rows before it

    march = stock.card_movements(agency, pill, month=TODAY, lot=lot_of(pill, "L2"))
    assert march.opening == 50 and [row.balance for row in march] == [40] and balance(lot_of(pill, "L2")) == 40
    assert list(stock.card_movements(agency, pill, month=date(2025, 12, 1))) == []


def test_the_cards_year_so_far_agrees_with_the_month_summary(february, agency, pill):
    year = stock.card_year(agency, pill, TODAY)
    assert [(m.month, m.opening, m.incoming, m.outgoing, m.closing) for m in year] == [
        (date(2026, 1, 1), 0, 100, 0, 100),
        (date(2026, 2, 1), 100, 75, 54, 121),  # in: 50 + 20 received, 5 returned; out: 30, 20 reversed, 4
        (date(2026, 3, 1), 121, 0, 10, 111),
    ]
    for figures in year:
        summary = next(row for row in stock.month_summary(agency, figures.month) if row.item == pill)
        assert (figures.opening, figures.closing) == (summary.opening, summary.closing)
    lot_year = stock.card_year(agency, pill, date(2026, 2, 1), lot=lot_of(pill, "L2"))
    assert [(m.opening, m.incoming, m.outgoing, m.closing) for m in lot_year] == [(0, 0, 0, 0), (0, 70, 20, 50)]


def test_the_cards_year_reads_two_queries_however_many_months(february, agency, pill):
    with CaptureQueriesContext(connection) as queries:
        stock.card_year(agency, pill, TODAY)
    assert len(queries) == 2


def test_the_card_orders_by_date_then_entry(february, agency, pill):
    dates = [row.occurred_on for row in stock.card_movements(agency, pill)]
    assert dates == sorted(dates)


def test_stock_on_hand_marks_expired_and_near_expiry_stock(agency, post_receipt, pill, condom, issue_, settings):
    settings.ALOKON_EXPIRY_WARNING_MONTHS = 6  # flagged up to 18 September 2026
    post_receipt(
        receipt_line(pill, 10, "EXPIRED", TODAY - timedelta(days=1)),
        receipt_line(pill, 20, "TODAY", TODAY),  # usable today, and near
        receipt_line(pill, 30, "EDGE", date(2026, 9, 18)),
        receipt_line(pill, 100, "FAR", date(2026, 9, 19)),
        on=date(2025, 11, 3),
    )
    # The issues of December, January and February make the monthly use; November's and March's do not.
    for day, quantity in [(date(2025, 11, 30), 9), (date(2025, 12, 1), 3), (date(2026, 1, 15), 3),
                          (date(2026, 2, 28), 3), (date(2026, 3, 1), 5)]:
        issue_(lot_of(pill, "FAR"), quantity, day)

    rows = {row.item: row for row in stock.stock_by_item(agency)}
    pill_row = rows[pill]
    assert (pill_row.on_hand, pill_row.expired, pill_row.usable, pill_row.near_expiry) == (137, 10, 127, 50)
    assert (pill_row.monthly_use, pill_row.months_of_stock) == (3.0, 42.3)
    assert (rows[condom].on_hand, rows[condom].months_of_stock) == (0, None)

    settings.ALOKON_EXPIRY_WARNING_MONTHS = 1
    assert {row.item: row for row in stock.stock_by_item(agency)}[pill].near_expiry == 20


def test_stock_on_hand_keeps_an_inactive_item_while_it_is_held(agency, receive, pill, injectable, implant, issue_):
    receive(pill, 40)
    receive(injectable, 5, "S1")
    issue_(lot_of(injectable, "S1"), 5)  # none left
    Item.objects.filter(pk__in=[pill.pk, injectable.pk, implant.pk]).update(is_active=False)

    rows = {row.item: row for row in stock.stock_by_item(agency)}
    # Taken out of use, but 40 strips are still on the shelf: they stay in the books' view, marked.
    assert (rows[pill].on_hand, rows[pill].usable, rows[pill].item.is_active) == (40, 40, False)
    # An inactive item with nothing on hand, held before or never, is no longer listed.
    assert injectable not in rows and implant not in rows

