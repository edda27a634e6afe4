"""Two storekeepers writing the same stock at the same moment, on real separate PostgreSQL connections.

Each write runs in its own thread and connection; a barrier releases them together once each is inside its
transaction and has read the stock it is about to take. The row locks of alokon.services must then let
exactly one through and refuse the other with the stock as it is after the first, leaving the balances equal
to the ledger. Needs real row locks, so it runs on PostgreSQL (see the require_postgresql fixture).
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from alokon.models import ClosedPeriod, Distribution, Lot, MonthlyReport, Movement, Receipt, StockBalance, StockCount
from alokon.services import allocation, dispatch, ledger, usage
from alokon.services.ledger import StockError
from portal.models import TransitionLog
from portal.roles import Role
from portal.workflow import TransitionError
from tests.concurrency import committed_while_held, together, waits_while_held

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("require_postgresql")]

ROUNDS = 5


def split(outcomes, success_type):
    succeeded = [o for o in outcomes if isinstance(o, success_type)]
    refused = [o for o in outcomes if isinstance(o, TransitionError)]
    assert (len(succeeded), len(refused)) == (1, 1), outcomes
    return succeeded[0], refused[0]


def ledger_sum(lot):
    return Movement.objects.filter(lot=lot).aggregate(total=Sum("quantity"))["total"] or 0


@pytest.fixture
def second_storekeeper(agency, make_user):
    return make_user(agency, Role.STOREKEEPER, username="pengelola2")


def test_of_two_storekeepers_issuing_the_last_units_of_a_lot_one_is_refused(
    agency, storekeeper, second_storekeeper, facility, pill, receive
):
    for round_number in range(ROUNDS):
        receive(pill, 10, lot=f"L{round_number}")
        lot = Lot.objects.get(item=pill, number=f"L{round_number}")

        def issue_last_ten(actor):
            def write():
                return ledger.post(
                    warehouse=agency, lot=lot, kind=Movement.Kind.ISSUE, quantity=-10, on=timezone.localdate(),
                    actor=actor, facility=facility,
                )

            def prepare():  # both read 10 on hand, without a lock, before either takes it
                assert StockBalance.objects.get(warehouse=agency, lot=lot).quantity == 10

            write.prepare = prepare
            return write

        issued, refused = split(together(issue_last_ten(storekeeper), issue_last_ten(second_storekeeper)), Movement)

        assert isinstance(refused, StockError)
        assert str(refused) == f"Stok Pil KB Kombinasi lot L{round_number} tidak cukup: tersedia 0, dibutuhkan 10."
        assert list(Movement.objects.filter(lot=lot).values_list("kind", "quantity")) == [("terima", 10), ("keluar", -10)]
        assert issued.quantity == -10
        assert StockBalance.objects.get(warehouse=agency, lot=lot).quantity == 0 == ledger_sum(lot)


def packing(distribution_at, pill, quantity):
    return distribution_at("packing", lines=[(pill, quantity)])


def test_of_two_sbbks_taking_the_same_last_stock_one_issues_and_the_other_waits(
    agency, storekeeper, second_storekeeper, pill, receive, distribution_at
):
    for round_number in range(ROUNDS):
        receive(pill, 20, lot=f"S{round_number}")
        lot = Lot.objects.get(item=pill, number=f"S{round_number}")
        first, second = packing(distribution_at, pill, 20), packing(distribution_at, pill, 20)

        def issue(distribution, actor):
            def write():
                return dispatch.sbbk_issue(distribution, actor=actor, expected_status="packing")

            def prepare():
                assert Distribution.objects.get(pk=distribution.pk).status == "packing"
                assert StockBalance.objects.get(warehouse=agency, lot=lot).quantity == 20

            write.prepare = prepare
            return write

        outcomes = together(issue(first, storekeeper), issue(second, second_storekeeper))
        issued, refused = split(outcomes, Distribution)

        assert isinstance(refused, StockError)
        assert str(refused) == "Stok Pil KB Kombinasi tidak cukup: dibutuhkan 20, tersedia 0 yang dapat dikeluarkan."
        waiting = second if issued.pk == first.pk else first
        waiting.refresh_from_db()
        # The refused SBBK left no trace: no number, no movement, no step.
        assert (waiting.status, waiting.sbbk_sequence, waiting.sbbk_issued_on) == ("packing", None, None)
        assert not waiting.movements.exists()
        assert not TransitionLog.objects.filter(object_id=waiting.pk, transition="packing").exists()
        issued.refresh_from_db()
        assert issued.status == "delivery" and issued.sbbk_sequence == round_number + 1
        assert list(issued.movements.values_list("lot", "quantity")) == [(lot.pk, -20)]
        assert StockBalance.objects.get(warehouse=agency, lot=lot).quantity == 0 == ledger_sum(lot)


def test_a_double_submitted_sbbk_is_issued_once(agency, storekeeper, pill, receive, distribution_at):
    for round_number in range(ROUNDS):
        receive(pill, 20, lot=f"D{round_number}")  # earlier rounds left nothing: FEFO must take this lot
        lot = Lot.objects.get(item=pill, number=f"D{round_number}")
        distribution = packing(distribution_at, pill, 20)

        def submit():
            # The same form posted twice: both carry the status the page showed.
            return dispatch.sbbk_issue(distribution, actor=storekeeper, expected_status="packing")

        issued, refused = split(together(submit, submit), Distribution)

        assert "diubah oleh pengguna lain" in str(refused)
        assert list(issued.movements.values_list("lot", "quantity")) == [(lot.pk, -20)]
        assert StockBalance.objects.get(warehouse=agency, lot=lot).quantity == 0 == ledger_sum(lot)
        logs = TransitionLog.objects.filter(object_id=distribution.pk, transition="packing")
        assert logs.count() == 1


def test_a_movement_reversed_twice_at_once_is_reversed_once(agency, storekeeper, second_storekeeper, pill, receive):
    for round_number in range(ROUNDS):
        receive(pill, 100, lot=f"R{round_number}")
        original = receive(pill, 50, lot=f"R{round_number}").movements.get()

        def reverse(actor):
            return lambda: ledger.movement_reverse(original, actor=actor, note="Dokumen ganda")

        reversal, refused = split(together(reverse(storekeeper), reverse(second_storekeeper)), Movement)

        assert str(refused) == "Mutasi ini sudah dibatalkan."
        assert reversal.quantity == -50
        assert Movement.objects.get(pk=original.pk).reversed_by == reversal
        assert StockBalance.objects.get(warehouse=agency, lot=original.lot).quantity == 100 == ledger_sum(original.lot)


def test_two_receipts_at_once_get_consecutive_sbbm_numbers(agency, storekeeper, second_storekeeper, pill):
    def receipt(actor, lot):
        return lambda: ledger.receipt_post(
            warehouse=agency, actor=actor, received_on=timezone.localdate(), source_document="BKKBN/02",
            supplier="Perwakilan BKKBN Provinsi", funding="apbn",
            lines=[{"item": pill, "lot_number": lot, "expiry_date": timezone.localdate().replace(year=2030),
                    "quantity": 10}],
        )

    for round_number in range(ROUNDS):
        outcomes = together(receipt(storekeeper, "A"), receipt(second_storekeeper, "A"))
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert sorted(o.sequence for o in outcomes) == [2 * round_number + 1, 2 * round_number + 2]
    lot = Lot.objects.get(item=pill, number="A")
    assert StockBalance.objects.get(warehouse=agency, lot=lot).quantity == 10 * 2 * ROUNDS == ledger_sum(lot)


def test_two_returns_into_a_lot_without_a_balance_row_both_count(
    agency, storekeeper, second_storekeeper, facility, pill
):
    for round_number in range(ROUNDS):
        # A lot the warehouse never held: the first write creates its balance row, the other must find it.
        lot = Lot.objects.create(item=pill, number=f"B{round_number}", expiry_date=timezone.localdate().replace(year=2030))

        def give_back(actor):
            return lambda: ledger.return_post(
                warehouse=agency, actor=actor, lot=lot, quantity=7, facility=facility, on=timezone.localdate()
            )

        outcomes = together(give_back(storekeeper), give_back(second_storekeeper))
        assert all(isinstance(o, Movement) for o in outcomes), outcomes
        assert StockBalance.objects.get(warehouse=agency, lot=lot).quantity == 14 == ledger_sum(lot)


def test_a_receipt_locks_its_lots_balances_in_lot_order(agency, storekeeper, pill, condom, receive):
    """Every writer takes balance rows in lot order: an SBBK locks all its items' balances so, and a receipt
    listing a later lot before an earlier one must not hold the later while it waits for the earlier (two
    writers taking the same two rows in opposite orders deadlock, and one of them fails with a database error).
    """
    receive(pill, 10, lot="P")
    receive(condom, 144, lot="K")
    pill_lot, condom_lot = Lot.objects.get(number="P"), Lot.objects.get(number="K")
    assert pill_lot.pk < condom_lot.pk
    def hold_pill_balance():  # as an SBBK of pill and condom does, between its two row locks
        return StockBalance.objects.select_for_update().get(warehouse=agency, lot=pill_lot)

    def receive_condom_then_pill():
        expiry = {lot.pk: lot.expiry_date for lot in (pill_lot, condom_lot)}
        return ledger.receipt_post(
            warehouse=agency, actor=storekeeper, received_on=timezone.localdate(), source_document="BKKBN/03",
            supplier="Perwakilan BKKBN Provinsi", funding="apbn",
            lines=[
                {"item": condom, "lot_number": "K", "expiry_date": expiry[condom_lot.pk], "quantity": 288},
                {"item": pill, "lot_number": "P", "expiry_date": expiry[pill_lot.pk], "quantity": 5},
            ],
        )

    def condom_balance_is_free():
        # The receipt waits for the pill's row without holding the condom's: an SBBK could take it now.
        with transaction.atomic():
            StockBalance.objects.select_for_update(nowait=True).get(warehouse=agency, lot=condom_lot)

    _held, receipt = waits_while_held(hold_pill_balance, receive_condom_then_pill, condom_balance_is_free)
    assert isinstance(receipt, Receipt), receipt
    # The receipt's rows stay in the order they were entered, for its printed SBBM.
    assert list(receipt.movements.order_by("pk").values_list("lot", "quantity")) == [
        (condom_lot.pk, 288), (pill_lot.pk, 5)
    ]
    assert StockBalance.objects.get(lot=condom_lot).quantity == 432 == ledger_sum(condom_lot)
    assert StockBalance.objects.get(lot=pill_lot).quantity == 15 == ledger_sum(pill_lot)


@pytest.fixture
def last_month_day(agency, pill, receive):
    """A day of last month, and lot L1 of pill holding 100 from before it."""
    day = timezone.localdate().replace(day=1) - timedelta(days=3)
    receive(pill, 100, on=day - timedelta(days=5))
    return day


def write_off(agency, actor, day):
    return ledger.adjustment_post(
        warehouse=agency, actor=actor, lot=Lot.objects.get(number="L1"), quantity=-5, reason="rusak", on=day
    )


def test_a_month_closed_while_a_movement_waits_for_its_row_refuses_it(
    agency, storekeeper, secretary, last_month_day
):
    _closed, refusal = waits_while_held(
        lambda: ledger.period_close(warehouse=agency, month=last_month_day, actor=secretary),
        lambda: write_off(agency, storekeeper, last_month_day),
    )
    assert isinstance(refusal, StockError) and "sudah ditutup" in str(refusal), refusal
    assert not Movement.objects.filter(kind="penyesuaian").exists()


def test_a_month_is_closed_only_after_a_movement_being_written_into_it(
    agency, storekeeper, secretary, last_month_day
):
    movement, closed = waits_while_held(
        lambda: write_off(agency, storekeeper, last_month_day),
        lambda: ledger.period_close(warehouse=agency, month=last_month_day, actor=secretary),
    )
    assert isinstance(movement, Movement) and isinstance(closed, ClosedPeriod), (movement, closed)
    # The write-off is in the month's books, committed before the month closed on them.
    movement = Movement.objects.get(kind="penyesuaian")
    assert movement.occurred_on == last_month_day and movement.posted_at < closed.closed_at


def test_a_receipt_waiting_for_a_lots_balance_does_not_deadlock_the_writer_holding_it(
    agency, storekeeper, second_storekeeper, facility, pill, receive
):
    """The warehouse's row orders receipts, but must not stop other writers from committing rows that point at
    the warehouse: PostgreSQL checks each foreign key at commit with FOR KEY SHARE on the row pointed at, which
    a plain FOR UPDATE blocks (FOR NO KEY UPDATE does not)."""
    receive(pill, 100)
    lot = Lot.objects.get(number="L1")
    def issue():  # an issue written, its transaction kept open
        return ledger.post(
            warehouse=agency, lot=lot, kind=Movement.Kind.ISSUE, quantity=-10, on=timezone.localdate(),
            actor=storekeeper, facility=facility,
        )

    def receipt():
        return ledger.receipt_post(
            warehouse=agency, actor=second_storekeeper, received_on=timezone.localdate(),
            source_document="BKKBN/04", supplier="Perwakilan BKKBN Provinsi", funding="apbn",
            lines=[{"item": pill, "lot_number": "L1", "expiry_date": lot.expiry_date, "quantity": 50}],
        )

    issued, received = waits_while_held(issue, receipt)
    assert isinstance(issued, Movement) and isinstance(received, Receipt), (issued, received)
    assert StockBalance.objects.get(lot=lot).quantity == 140 == ledger_sum(lot)


@pytest.mark.parametrize("step", ["request", "spmb", "sbbk"])
def test_a_document_number_taken_does_not_hold_up_rows_pointing_at_the_service(
    step, alokon_service, facility, faskes_user, secretary, storekeeper, pill, distribution_at
):
    """The service's row orders its requests and its SPMB and SBBK numbers, and must not stop other writers from
    committing rows that point at the service (a routine plan here): PostgreSQL checks a foreign key with FOR KEY
    SHARE on the row pointed at, which FOR UPDATE blocks and FOR NO KEY UPDATE does not."""
    waiting = distribution_at("packing" if step == "sbbk" else "spmb")
    line = waiting.lines.get()
    take_number = {
        "request": lambda: allocation.request_create(
            service=alokon_service, facility=facility, actor=faskes_user, lines=[(pill, 10)]
        ),
        "spmb": lambda: allocation.spmb_approve(
            waiting, actor=secretary, expected_status="spmb", approved={line.pk: line.requested}
        ),
        "sbbk": lambda: dispatch.sbbk_issue(waiting, actor=storekeeper, expected_status="packing"),
    }[step]

    def propose_plan():
        return allocation.plan_propose(
            service=alokon_service, actor=storekeeper, month=timezone.localdate(), facilities=[facility],
            items=[pill], min_months=1, max_months=3,
        )

    committed, plan = committed_while_held(take_number, propose_plan)
    assert committed, f"a routine plan waited for the service's row locked by the {step} step"
    assert plan.service_id == alokon_service.pk and plan.lines.count() == 1


def test_a_monthly_report_being_filed_does_not_hold_up_a_request_of_its_faskes(
    alokon_service, facility, faskes_user, pill, receive
):
    """The faskes' row makes its report for a month unique; a request of the same faskes (a row pointing at it)
    commits meanwhile."""
    receive(pill, 100)
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)

    def file_report():
        return usage.report_submit(facility=facility, month=month, actor=faskes_user, used={}, services={})

    def ask():
        return allocation.request_create(
            service=alokon_service, facility=facility, actor=faskes_user, lines=[(pill, 10)]
        )

    committed, distribution = committed_while_held(file_report, ask)
    assert committed, "the faskes' request waited for its monthly report"
    assert isinstance(distribution, Distribution) and distribution.facility_id == facility.pk
    assert MonthlyReport.objects.filter(facility=facility, month=month).count() == 1


def test_a_movement_waiting_for_a_lot_a_count_is_starting_on_is_refused_naming_the_count(
    agency, storekeeper, second_storekeeper, pill, receive
):
    receive(pill, 10, lot="L1")
    count, refusal = waits_while_held(
        lambda: ledger.count_start(warehouse=agency, actor=storekeeper, on=timezone.localdate()),
        lambda: ledger.adjustment_post(
            warehouse=agency, actor=second_storekeeper, lot=Lot.objects.get(number="L1"), quantity=-1, reason="rusak",
            on=timezone.localdate(),
        ),
    )
    assert isinstance(count, StockCount), count
    assert isinstance(refusal, StockError) and "sedang berlangsung: gudang dibekukan" in str(refusal), refusal
    assert list(Movement.objects.values_list("kind", "quantity")) == [("terima", 10)]


def test_a_count_started_while_a_receipt_is_written_waits_for_it_and_counts_its_lot(
    agency, storekeeper, second_storekeeper, pill, receive
):
    receive(pill, 10, lot="L1")

    def receipt():
        return ledger.receipt_post(
            warehouse=agency, actor=storekeeper, received_on=timezone.localdate(), source_document="BKKBN/2",
            supplier="BKKBN", funding="apbn",
            lines=[{"item": pill, "lot_number": "L2", "expiry_date": timezone.localdate() + timedelta(days=300),
                    "quantity": 5}],
        )

    received, count = waits_while_held(
        receipt, lambda: ledger.count_start(warehouse=agency, actor=second_storekeeper, on=timezone.localdate())
    )
    assert isinstance(received, Receipt) and isinstance(count, StockCount), (received, count)
    assert sorted(count.lines.values_list("lot__number", flat=True)) == ["L1", "L2"]
