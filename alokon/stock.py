"""Reads of the warehouse's books: stock on hand, the stock card, the month's summary, expiry.

Everything here is derived from the ledger (Movement) or from the balances kept in step with it
(StockBalance); nothing here writes.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, Sum, Value, Window
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alokon.models import Item, Lot, Movement, StockBalance, StockCount, month_end
from portal.clock import add_months

# How many months of issues the dashboard's "months of stock" averages over.
USE_MONTHS = 3


def open_count(warehouse):
    """The warehouse's count being counted now (started, not yet submitted), or None.

    While it is open the count is blind for everyone who can open the warehouse's books, not only its counter:
    any storekeeper may enter the figures, and a head or the agency head beside them could read them out or
    print them. No page, document or message then gives a book figure (stock on hand, a stock card, a month's
    balances, an SBBK's lots) until the figures are submitted. Nothing moves meanwhile (alokon.services), so
    nobody needs them.
    """
    return StockCount.objects.filter(warehouse=warehouse, status=StockCount.Status.COUNTING).first()


def sbbk_held(distribution):
    """Why the distribution's SBBK waits (Step.hold), or "": while its warehouse is counted nothing leaves it
    (alokon.services.ledger.refuse_while_counting)."""
    count = open_count(distribution.service.unit)
    if count is None:
        return ""
    return _("Stok opname %(date)s sedang berlangsung: SBBK menunggu sampai hasil hitungnya diajukan.") % {
        "date": date_format(count.counted_on, "j F Y")
    }


def received_after(count):
    """The receipts posted in the count's warehouse after its figures were submitted (up to its approval): lots
    that are not in it, listed on its sheet. None can be posted while it is counted: the warehouse is frozen."""
    if count.submitted_at is None:
        return Movement.objects.none()
    rows = Movement.objects.filter(
        warehouse=count.warehouse_id, kind=Movement.Kind.RECEIPT, posted_at__gt=count.submitted_at
    )
    if count.approved_at is not None:
        rows = rows.filter(posted_at__lte=count.approved_at)
    return rows.select_related("lot__item", "receipt").order_by("posted_at", "pk")


def expiry_window_end(today=None):
    """Lots expiring on or before this date are flagged (ALOKON_EXPIRY_WARNING_MONTHS, default 6)."""
    today = today or timezone.localdate()
    return add_months(today, settings.ALOKON_EXPIRY_WARNING_MONTHS)


def average_monthly_issues(warehouse, *, today=None, months=USE_MONTHS):
    """{item id: units issued per month}, over the `months` whole months before this one."""
    today = today or timezone.localdate()
    start = add_months(today.replace(day=1), -months)
    rows = (
        Movement.objects.filter(
            warehouse=warehouse, kind=Movement.Kind.ISSUE, occurred_on__gte=start, occurred_on__lt=today.replace(day=1)
        )
        .values("item_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["item_id"]: -row["total"] / months for row in rows}


@dataclass
class ItemStock:
    item: Item
    on_hand: int  # every lot, quarantined ones included
    usable: int  # lots not expired
    expired: int
    near_expiry: int  # usable, but expiring within the warning window
    monthly_use: float

    @property
    def months_of_stock(self):
        return round(self.usable / self.monthly_use, 1) if self.monthly_use else None


def stock_by_item(warehouse, *, today=None):
    """Each active item, and any inactive one still held, with its stock in the warehouse: on hand, usable,
    expired, near expiry, months of stock. Stock on hand is never hidden: an item taken out of use keeps its row
    (marked by `item.is_active`) until its last units are gone.

    Three queries, however many lots and movements there are.
    """
    today = today or timezone.localdate()
    warning = expiry_window_end(today)
    sums = {
        row["item_id"]: row
        for row in StockBalance.objects.filter(warehouse=warehouse)
        .values("item_id")
        .annotate(
            on_hand=Sum("quantity"),
            expired=Sum("quantity", filter=Q(lot__expiry_date__lt=today)),
            near=Sum("quantity", filter=Q(lot__expiry_date__gte=today, lot__expiry_date__lte=warning)),
        )
    }
    use = average_monthly_issues(warehouse, today=today)
    result = []
    held = [item_id for item_id, row in sums.items() if row["on_hand"]]
    for item in Item.objects.filter(Q(is_active=True) | Q(pk__in=held)):
        row = sums.get(item.pk, {})
        on_hand, expired = row.get("on_hand") or 0, row.get("expired") or 0
        result.append(ItemStock(
            item=item, on_hand=on_hand, usable=on_hand - expired, expired=expired,
            near_expiry=row.get("near") or 0, monthly_use=round(use.get(item.pk, 0), 1),
        ))
    return result


def usable_by_item(warehouse, *, today=None):
    """{item id: units on hand in lots not expired}: what the warehouse could issue, shown where quantities are
    typed. None while a count is open: the count is blind (open_count)."""
    if open_count(warehouse) is not None:
        return None
    today = today or timezone.localdate()
    rows = (
        StockBalance.objects.filter(warehouse=warehouse, quantity__gt=0)
        .exclude(lot__expiry_date__lt=today)
        .values("item_id")
        .annotate(usable=Sum("quantity"))
    )
    return {row["item_id"]: row["usable"] for row in rows}


def lots_on_hand(warehouse, *, item=None, today=None):
    """The balances above zero, earliest expiry first, each marked `expired` and `near_expiry`."""
    today = today or timezone.localdate()
    warning = expiry_window_end(today)
    balances = StockBalance.objects.filter(warehouse=warehouse, quantity__gt=0).select_related("lot__item")
    if item is not None:
        balances = balances.filter(item=item)
    balances = list(balances.order_by(F("lot__expiry_date").asc(nulls_last=True), "lot__item__name", "lot__number"))
    for balance in balances:
        expiry = balance.lot.expiry_date
        balance.expired = expiry is not None and expiry < today
        balance.near_expiry = expiry is not None and today <= expiry <= warning
    return balances


class CardRows:
    """The stock card's rows, oldest first, each with `balance`: the running sum through it, counted on from
    `opening`.

    The running sum is a window over the item's (or the lot's) ledger in date order, summed before any slice
    (a page) is cut, so a page's sums are right. A slice sums the narrow (id, quantity) rows, which the card's
    index covers, and reads whole, with lot and faskes, only the rows it returns: summing over the joined rows
    sorted every wide row of the item's history (benchmarks/alokon_stock.py). A Paginator takes it as a list.
    """

    def __init__(self, movements, running, opening=0):
        self.movements = movements
        self.opening = opening
        ordered = movements.annotate(balance=running).order_by("occurred_on", "id")
        self.rows = ordered.select_related("lot", "facility")
        self.balances = ordered.values_list("id", "balance")

    def count(self):
        return self.movements.count()

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, page):
        if not isinstance(page, slice):
            raise TypeError("a stock card is read a slice at a time")
        balances = list(self.balances[page])
        rows = Movement.objects.select_related("lot", "facility").in_bulk([pk for pk, _ in balances])
        for pk, balance in balances:
            rows[pk].balance = balance
        return [rows[pk] for pk, _ in balances]


def card_ledger(warehouse, item, *, lot=None, month=None):
    """The movements on the stock card of `item`, or of one lot of it (read by the lot alone, so that the lot's
    index covers the sums); with `month`, only that month's."""
    if lot is not None:
        movements = Movement.objects.filter(warehouse=warehouse, lot=lot)
    else:
        movements = Movement.objects.filter(warehouse=warehouse, item=item)
    if month is not None:
        movements = movements.filter(occurred_on__range=(month.replace(day=1), month_end(month)))
    return movements


def card_lots(warehouse, item, month, *, chosen=None):
    """The lots the stock card of `month` can be narrowed to: those the warehouse holds now or moved that month,
    and the one chosen. Not every lot the item ever had: the years of ledger would fill the list."""
    moved = card_ledger(warehouse, item, month=month).values("lot_id")
    on_hand = StockBalance.objects.filter(warehouse=warehouse, item=item, quantity__gt=0).values("lot_id")
    condition = Q(pk__in=moved) | Q(pk__in=on_hand)
    if chosen is not None:
        condition |= Q(pk=chosen.pk)
    return Lot.objects.filter(condition, item=item).order_by("expiry_date", "number")


def card_movements(warehouse, item, *, lot=None, month=None, opening=None):
    """The stock card of `item` (or of one lot of it), as CardRows: its whole ledger, or with `month` that month's
    rows, their balances counted on from the balance the month opened with (`opening`, counted when not given)."""
    running = Window(Sum("quantity"), order_by=[F("occurred_on").asc(), F("id").asc()])
    if month is None:
        return CardRows(card_ledger(warehouse, item, lot=lot), running)
    if opening is None:
        opening = card_opening(warehouse, item, month, lot=lot)
    return CardRows(card_ledger(warehouse, item, lot=lot, month=month), running + Value(opening), opening)


def _on_hand(warehouse, item, lot=None):
    balances = StockBalance.objects.filter(warehouse=warehouse)
    balances = balances.filter(lot=lot) if lot is not None else balances.filter(item=item)
    return balances.aggregate(total=Sum("quantity"))["total"] or 0


def card_opening(warehouse, item, month, *, lot=None):
    """The item's (or lot's) balance as `month` opened. Counted back from the stock on hand (StockBalance, kept
    equal to the ledger's sums) over the movements since the month began, as month_summary does: a recent month
    reads its own rows and those after it, not the years of ledger before it."""
    since = card_ledger(warehouse, item, lot=lot).filter(occurred_on__gte=month.replace(day=1))
    return _on_hand(warehouse, item, lot) - (since.aggregate(total=Sum("quantity"))["total"] or 0)


@dataclass
class CardMonth:
    month: datetime.date
    opening: int
    incoming: int  # the card's "Masuk" column, summed
    outgoing: int  # its "Keluar" column: a positive number, units out
    closing: int


def card_year(warehouse, item, month, *, lot=None):
    """The stock card's year so far, as CardMonths: each month from January of `month`'s year through `month`,
    with its opening balance, units in, units out and closing balance.

    Two aggregate queries, however many movements the months hold: the stock on hand, and the sums per month of
    the movements since January, counted back from it (card_opening).
    """
    month = month.replace(day=1)
    since_january = card_ledger(warehouse, item, lot=lot).filter(occurred_on__gte=month.replace(month=1))
    sums = {
        row["month"]: row
        for row in since_january.annotate(month=TruncMonth("occurred_on")).order_by().values("month").annotate(
            incoming=Sum("quantity", filter=Q(quantity__gt=0)), outgoing=Sum("quantity", filter=Q(quantity__lt=0))
        )
    }
    balance = _on_hand(warehouse, item, lot) - sum(
        (row["incoming"] or 0) + (row["outgoing"] or 0) for row in sums.values()
    )
    result = []
    for first_day in (month.replace(month=number) for number in range(1, month.month + 1)):
        row = sums.get(first_day, {})
        incoming, outgoing = row.get("incoming") or 0, -(row.get("outgoing") or 0)
        result.append(CardMonth(first_day, balance, incoming, outgoing, balance + incoming - outgoing))
        balance += incoming - outgoing
    return result


def balance_on(warehouse, item, day, *, lot=None):
    """The item's (or lot's) balance at the end of `day`."""
    movements = Movement.objects.filter(warehouse=warehouse, item=item, occurred_on__lte=day)
    if lot is not None:
        movements = movements.filter(lot=lot)
    return movements.aggregate(total=Sum("quantity"))["total"] or 0


@dataclass
class MonthFigures:
    item: Item
    opening: int
    receipts: int
    issues: int  # a positive number: units out
    returns: int
    adjustments: int  # signed, reversals included
    closing: int


def month_summary(warehouse, month: datetime.date):
    """Per active item, and any other item held or moved: opening balance, receipts, issues, returns,
    adjustments and closing balance of a month. opening + receipts - issues + returns + adjustments = closing.

    Counted back from the stock on hand (StockBalance, kept equal to the ledger's sums): the closing balance is
    on hand now less what moved after the month, so only the movements since the month began are read, not
    the years of ledger before it. Three queries for every item.
    """
    start, end = month.replace(day=1), month_end(month)
    on_hand = dict(
        StockBalance.objects.filter(warehouse=warehouse).values("item_id").annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    in_month = Q(occurred_on__lte=end)
    rows = {
        row["item_id"]: row
        for row in Movement.objects.filter(warehouse=warehouse, occurred_on__gte=start)
        .values("item_id")
        .annotate(
            moved=Sum("quantity", filter=in_month),
            receipts=Sum("quantity", filter=in_month & Q(kind=Movement.Kind.RECEIPT)),
            issues=Sum("quantity", filter=in_month & Q(kind=Movement.Kind.ISSUE)),
            returns=Sum("quantity", filter=in_month & Q(kind=Movement.Kind.RETURN)),
            adjustments=Sum(
                "quantity", filter=in_month & Q(kind__in=[Movement.Kind.ADJUSTMENT, Movement.Kind.REVERSAL])
            ),
            later=Sum("quantity", filter=Q(occurred_on__gt=end)),
        )
    }
    result = []
    held = [item_id for item_id, total in on_hand.items() if total]
    for item in Item.objects.filter(Q(is_active=True) | Q(pk__in=rows) | Q(pk__in=held)):
        row = rows.get(item.pk, {})
        closing = on_hand.get(item.pk, 0) - (row.get("later") or 0)
        figures = MonthFigures(
            item=item,
            opening=closing - (row.get("moved") or 0),
            receipts=row.get("receipts") or 0,
            issues=-(row.get("issues") or 0),
            returns=row.get("returns") or 0,
            adjustments=row.get("adjustments") or 0,
            closing=closing,
        )
        if item.is_active or figures.opening or figures.closing or row.get("moved") is not None:
            result.append(figures)
    return result
