"""The ledger's invariants under random sequences of writes (hypothesis).

Each example is a list of operations on one warehouse: receipts, FEFO issues (through the ledger, or a whole
SBBK), issues of a chosen lot, returns and adjustments (some back-dated, some into a closed month), reversals,
month closes, and quantities that are not numbers of units. A small model of the books, written apart from
alokon.services, says which operations must be accepted; after every step the test checks:

- the operation was accepted exactly when the model says so, and a refused one changed nothing;
- no StockBalance is negative, each equals the ledger's sum for its lot and the model's;
- no lot's balance goes below zero on any day of its history (the back-dating rule);
- the stock card's last running balance, the month summary's closing and stock on hand agree per item.

Every example runs in a savepoint rolled back at its end, so examples do not see each other's rows.
"""

import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from alokon import stock
from alokon.models import ClosedPeriod, Distribution, Lot, Movement, StockBalance, month_end
from alokon.services import allocation, dispatch, ledger
from alokon.services.ledger import MAX_QUANTITY
from portal.clock import add_months
from portal.workflow import TransitionError

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 3, 18)
ITEMS = ("pill", "condom", "untracked")
# The warehouse's lots: item, number, expiry. Pill X expired ten days ago: quarantined, never taken by FEFO.
LOTS = {
    "pill-A": ("pill", "A", TODAY + timedelta(days=100)),
    "pill-B": ("pill", "B", TODAY + timedelta(days=300)),
    "pill-X": ("pill", "X", TODAY - timedelta(days=10)),
    "condom-K1": ("condom", "K1", TODAY + timedelta(days=50)),
    "condom-K2": ("condom", "K2", TODAY + timedelta(days=200)),
    "iud": ("untracked", Lot.NO_LOT, None),
}

lot_keys = st.sampled_from(sorted(LOTS))
days_back = st.integers(0, 80)  # as far back as 28 December 2025
units = st.integers(1, 300)
few = st.integers(1, 60)  # what leaves: small enough that the stock usually suffices
receipts = st.tuples(st.just("receive"), lot_keys, units, days_back)
# Stock to start from, received 40 to 80 days ago, so that later writes have a history to be back-dated into.
opening_receipts = st.lists(st.tuples(st.just("receive"), lot_keys, units, st.integers(40, 80)), min_size=1, max_size=4)
operations = st.one_of(
    receipts,
    st.tuples(st.just("issue"), st.sampled_from(ITEMS), st.one_of(few, st.sampled_from([144, 288, 432]))),
    st.tuples(st.just("sbbk"), st.sampled_from(ITEMS), st.integers(1, 3)),
    st.tuples(st.just("issue_lot"), lot_keys, few, days_back),
    st.tuples(st.just("return"), lot_keys, units, days_back),
    st.tuples(st.just("adjust"), lot_keys, st.one_of(st.integers(-60, -1), units), days_back,
              st.sampled_from(["rusak", "selisih", ""])),
    st.tuples(st.just("reverse"), st.integers(0, 10_000)),
    # Rarer: a month closed (most back-dated writes are refused after it), or a quantity that is no number of units.
    st.one_of(
        st.tuples(st.just("close"), st.integers(1, 3)),
        st.tuples(st.just("bad"), st.sampled_from([0, -3, 1.5, Decimal("4"), True, MAX_QUANTITY + 1])),
    ),
)


class Model:
    """What the books must hold, by plain arithmetic: each lot's rows (date, order, quantity), the closed month."""

    def __init__(self, pack_sizes):
        self.pack_sizes = pack_sizes
        self.rows = defaultdict(list)
        self.order = itertools.count()
        self.closed_until = None
        self.movements = []  # (movement id, kind, lot key, quantity)
        self.reversed = set()

    def balance(self, key):
        return sum(quantity for _on, _n, quantity in self.rows[key])

    def date_open(self, on):
        return on <= TODAY and (self.closed_until is None or on > self.closed_until)

    def never_negative_with(self, key, on, quantity):
        """Would the lot stay at or above zero on every day, with this row written last on its date?"""
        running = 0
        for _on, _n, row_quantity in sorted([*self.rows[key], (on, next(self.order), quantity)]):
            running += row_quantity
            if running < 0:
                return False
        return True

    def fefo(self, item, quantity):
        """[(lot key, quantity)] earliest expiry first, whole packs, expired lots left out; None when short."""
        pack = self.pack_sizes[item]
        if quantity % pack:
            return None
        usable = sorted(
            (expiry or date.max, number, key)
            for key, (lot_item, number, expiry) in LOTS.items()
            if lot_item == item and (expiry is None or expiry >= TODAY)
        )
        allocation, remaining = [], quantity
        for _expiry, _number, key in usable:
            take = min(self.balance(key) // pack * pack, remaining)
            if take:
                allocation.append((key, take))
                remaining -= take
        return allocation if not remaining else None

    def post(self, key, on, quantity, movement_id, kind):
        self.rows[key].append((on, next(self.order), quantity))
        self.movements.append((movement_id, kind, key, quantity))


def books():
    return {
        "movements": list(Movement.objects.order_by("pk").values_list("pk", "lot_id", "quantity", "occurred_on")),
        "balances": sorted(StockBalance.objects.values_list("lot_id", "quantity")),
        "lots": Lot.objects.count(),
        "closed": list(ClosedPeriod.objects.values_list("month", flat=True)),
        "distributions": sorted(Distribution.objects.values_list("pk", "status", "sbbk_sequence")),
    }


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 18, 10, 0, tzinfo=JAKARTA))


@pytest.fixture
def warehouse(
    agency, storekeeper, secretary, facility, faskes_user, alokon_service, pill, condom, untracked
):
    items = {"pill": pill, "condom": condom, "untracked": untracked}
    return {
        "agency": agency, "storekeeper": storekeeper, "secretary": secretary, "facility": facility,
        "faskes_user": faskes_user, "service": alokon_service, "items": items,
    }


def expect(accepted, rows):
    return rows if accepted else None


class Run:
    """One example: the operations applied to the real books and to the model side by side."""

    def __init__(self, warehouse, record=event):
        self.__dict__.update(warehouse)
        self.record = record  # hypothesis' event(): --hypothesis-show-statistics counts what was refused
        self.model = Model({name: item.pack_size for name, item in self.items.items()})
        self.lots = {}
        for key, (item, number, expiry) in LOTS.items():
            self.lots[key] = Lot.objects.create(item=self.items[item], number=number, expiry_date=expiry)
        self.key_of = {lot.pk: key for key, lot in self.lots.items()}

    def new_movements(self, since):
        rows = Movement.objects.filter(pk__gt=since).order_by("pk")
        return [(row.pk, row.kind, self.key_of[row.lot_id], row.quantity, row.occurred_on) for row in rows]

    def apply(self, operation):
        """(the rows the model expects written, [(lot key, quantity, date)], or None: refused; the write)."""
        name, *args = operation
        model, agency, keeper = self.model, self.agency, self.storekeeper
        if name == "receive":
            key, quantity, back = args
            item, number, expiry = LOTS[key]
            on = TODAY - timedelta(days=back)
            line = {"item": self.items[item], "lot_number": number, "expiry_date": expiry, "quantity": quantity}
            return expect(model.date_open(on), [(key, quantity, on)]), lambda: ledger.receipt_post(
                warehouse=agency, actor=keeper, received_on=on, source_document="BKKBN/uji",
                supplier="Perwakilan BKKBN Provinsi", funding="apbn", lines=[line],
            )
        if name == "issue":
            item, quantity = args
            picked = model.fefo(item, quantity)
            return expect(picked, [(key, -q, TODAY) for key, q in picked or []]), lambda: self.issue_fefo(item, quantity)
        if name == "sbbk":
            item, packs = args
            quantity = packs * self.items[item].pack_size
            picked = model.fefo(item, quantity)
            distribution = self.distribution_waiting(item, quantity)
            return expect(picked, [(key, -q, TODAY) for key, q in picked or []]), lambda: dispatch.sbbk_issue(
                distribution, actor=keeper, expected_status="packing"
            )
        if name == "issue_lot":
            key, quantity, back = args
            on = TODAY - timedelta(days=back)
            accepted = model.date_open(on) and model.never_negative_with(key, on, -quantity)
            return expect(accepted, [(key, -quantity, on)]), lambda: self.issue_lot(key, quantity, on)
        if name == "return":
            key, quantity, back = args
            on = TODAY - timedelta(days=back)
            return expect(model.date_open(on), [(key, quantity, on)]), lambda: ledger.return_post(
                warehouse=agency, actor=keeper, lot=self.lots[key], quantity=quantity, facility=self.facility, on=on
            )
        if name == "adjust":
            key, quantity, back, reason = args
            on = TODAY - timedelta(days=back)
            accepted = bool(reason) and model.date_open(on) and model.never_negative_with(key, on, quantity)
            return expect(accepted, [(key, quantity, on)]), lambda: ledger.adjustment_post(
                warehouse=agency, actor=keeper, lot=self.lots[key], quantity=quantity, reason=reason, on=on
            )
        if name == "reverse":
            (index,) = args
            if not model.movements:
                return None, None  # nothing to reverse yet
            # Counted from the latest: hypothesis draws small numbers often, so the last rows written come up most.
            movement_id, kind, key, quantity = model.movements[-1 - index % len(model.movements)]
            accepted = (
                kind not in (Movement.Kind.ISSUE, Movement.Kind.REVERSAL)
                and movement_id not in model.reversed
                and model.never_negative_with(key, TODAY, -quantity)
            )
            if accepted:
                model.reversed.add(movement_id)
            movement = Movement.objects.get(pk=movement_id)
            return expect(accepted, [(key, -quantity, TODAY)]), lambda: ledger.movement_reverse(
                movement, actor=keeper, note="Salah catat"
            )
        if name == "close":
            (months,) = args
            month = add_months(TODAY.replace(day=1), -months)
            accepted = model.closed_until is None or month > model.closed_until
            if accepted:
                model.closed_until = month_end(month)
            return expect(accepted, []), lambda: ledger.period_close(warehouse=agency, month=month, actor=self.secretary)
        if name == "bad":
            (quantity,) = args
            line = {"item": self.items["pill"], "lot_number": "A", "expiry_date": LOTS["pill-A"][2], "quantity": quantity}
            return None, lambda: ledger.receipt_post(
                warehouse=agency, actor=keeper, received_on=TODAY, source_document="BKKBN/uji",
                supplier="Perwakilan BKKBN Provinsi", funding="apbn", lines=[line],
            )
        raise ValueError(name)

    def issue_fefo(self, item_name, quantity):
        """An issue the way an SBBK takes its stock: the item's balances locked, lots FEFO, each through _post."""
        item = self.items[item_name]
        with transaction.atomic():
            balances = ledger.lock_item_balances(self.agency, [item.pk])[item.pk]
            for balance, taken in ledger.fefo_allocate(balances, item, quantity, on=TODAY):
                ledger.post(
                    warehouse=self.agency, lot=balance.lot, kind=Movement.Kind.ISSUE, quantity=-taken, on=TODAY,
                    actor=self.storekeeper, facility=self.facility,
                )

    def issue_lot(self, key, quantity, on):
        with transaction.atomic():
            ledger.post(
                warehouse=self.agency, lot=self.lots[key], kind=Movement.Kind.ISSUE, quantity=-quantity, on=on,
                actor=self.storekeeper, facility=self.facility,
            )

    def distribution_waiting(self, item_name, quantity):
        """A request of the facility, its SPMB approved: it waits for its SBBK (no stock moves before)."""
        distribution = allocation.request_create(
            service=self.service, facility=self.facility, actor=self.faskes_user,
            lines=[(self.items[item_name], quantity)],
        )
        line = distribution.lines.get()
        return allocation.spmb_approve(
            distribution, actor=self.secretary, expected_status="spmb", approved={line.pk: quantity}
        )

    def step(self, operation):
        expected, write = self.apply(operation)
        if write is None:
            return
        before = books()
        last_id = Movement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            write()
        except TransitionError:
            self.record(f"refused: {operation[0]}")
            assert expected is None, f"{operation} was refused, but the model accepts it: {expected}"
            assert books() == before, f"{operation} was refused but changed the books"
            return
        self.record(f"accepted: {operation[0]}")
        assert expected is not None, f"{operation} was accepted, but the model refuses it"
        written = self.new_movements(last_id)
        assert [(key, quantity, on) for _pk, _kind, key, quantity, on in written] == expected, operation
        for pk, kind, key, quantity, on in written:
            self.model.post(key, on, quantity, pk, kind)

    def check_books(self):
        agency = self.agency
        rows = StockBalance.objects.filter(warehouse=agency).values_list("lot_id", "item_id", "quantity")
        balances = {lot_id: quantity for lot_id, _item_id, quantity in rows}
        assert all(quantity >= 0 for quantity in balances.values()), balances
        sums = dict(
            Movement.objects.filter(warehouse=agency).values("lot_id").annotate(total=Sum("quantity"))
            .values_list("lot_id", "total")
        )
        assert set(sums) <= set(balances), "a lot with movements has no balance row"
        for lot_id, quantity in balances.items():
            assert quantity == sums.get(lot_id, 0), (self.key_of[lot_id], quantity, sums.get(lot_id))
            assert quantity == self.model.balance(self.key_of[lot_id])
        for key in LOTS:
            assert self.model.balance(key) == balances.get(self.lots[key].pk, 0), key

        running = defaultdict(int)
        for lot_id, quantity in Movement.objects.order_by("occurred_on", "pk").values_list("lot_id", "quantity"):
            running[lot_id] += quantity
            assert running[lot_id] >= 0, f"lot {self.key_of[lot_id]} below zero in its history"

        on_hand = {item.pk: 0 for item in self.items.values()}
        for _lot_id, item_id, quantity in rows:
            on_hand[item_id] += quantity
        for item in self.items.values():
            card = list(stock.card_movements(agency, item))
            assert (card[-1].balance if card else 0) == on_hand[item.pk], item
            assert [row.balance for row in card] == list(itertools.accumulate(row.quantity for row in card))
        for row in stock.month_summary(agency, TODAY):
            assert row.closing == on_hand[row.item.pk], row
            assert row.opening + row.receipts - row.issues + row.returns + row.adjustments == row.closing, row
        for row in stock.stock_by_item(agency, today=TODAY):
            assert row.on_hand == on_hand[row.item.pk], row

    def check_months(self):
        """Each month's closing is the next month's opening, and the ledger's balance at its end."""
        for months_back in (3, 2, 1):
            month = add_months(TODAY.replace(day=1), -months_back)
            following = {row.item.pk: row for row in stock.month_summary(self.agency, add_months(month, 1))}
            for row in stock.month_summary(self.agency, month):
                assert row.opening + row.receipts - row.issues + row.returns + row.adjustments == row.closing
                assert row.closing == following[row.item.pk].opening
                assert row.closing == stock.balance_on(self.agency, row.item, month_end(month))


@settings(
    max_examples=30,
    deadline=None,
    database=None,  # nothing written into the checkout; a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(opening=opening_receipts, steps=st.lists(operations, min_size=1, max_size=12))
def test_the_books_stay_balanced_whatever_the_order_of_writes(warehouse, opening, steps):
    with transaction.atomic():
        run = Run(warehouse)
        for operation in [*opening, *steps]:
            run.step(operation)
            run.check_books()
        run.check_months()
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    history=st.lists(st.tuples(st.integers(-60, 60), st.integers(0, 40)), min_size=1, max_size=12),
    back=st.integers(0, 40),
    quantity=st.integers(1, 80),
)
def test_a_back_dated_issue_is_accepted_exactly_when_no_later_day_goes_negative(warehouse, history, back, quantity):
    """Many rows of one lot over 40 days, then one issue dated among them."""
    with transaction.atomic():
        run = Run(warehouse)
        for change, days in history:
            if change > 0:
                run.step(("receive", "pill-A", change, days))
            elif change < 0:
                run.step(("issue_lot", "pill-A", -change, days))
        run.step(("issue_lot", "pill-A", quantity, back))
        run.check_books()
        transaction.set_rollback(True)


NO_STOCK = dict.fromkeys(LOTS, 0)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Always tried: loose condoms in the earliest lot (100, not a box) must be skipped for a whole box in the next.
@example(stock={**NO_STOCK, "condom-K1": 100, "condom-K2": 300}, item="condom", quantity=144, sbbk=False)
@example(stock={**NO_STOCK, "condom-K1": 200, "condom-K2": 300}, item="condom", quantity=288, sbbk=True)
@example(stock={**NO_STOCK, "pill-X": 50, "pill-B": 10}, item="pill", quantity=20, sbbk=False)
@given(
    stock=st.fixed_dictionaries({key: st.integers(0, 400) for key in LOTS}),
    item=st.sampled_from(ITEMS),
    quantity=st.one_of(st.integers(1, 500), st.sampled_from([144, 288, 432, 576])),
    sbbk=st.booleans(),
)
def test_fefo_takes_whole_packs_from_the_earliest_usable_lots(warehouse, stock, item, quantity, sbbk):
    """Whatever each lot holds (loose condoms included), an issue takes what the model's FEFO takes, or is refused."""
    with transaction.atomic():
        run = Run(warehouse)
        for key, units in stock.items():
            if units:
                run.step(("receive", key, units, 30))
        if sbbk:  # through a whole SBBK, whose SPMB approves whole packs only
            run.step(("sbbk", item, -(-quantity // run.items[item].pack_size)))
        else:
            run.step(("issue", item, quantity))
        run.step(("reverse", 0))  # the issue, which is never reversed here; else the last receipt
        run.check_books()
        transaction.set_rollback(True)
