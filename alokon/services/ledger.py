"""The warehouse's books: every Movement is written here, by `post`, and nowhere else.

`post` locks the lot's StockBalance row, refuses a movement while the warehouse is being counted (stock opname),
dated in a closed month, in the future, or one that would take the lot's balance below zero at any point after its
date (a back-dated issue), then writes the row and the new balance in the same transaction. Receipts from the
province (SBBM), adjustments, returns, reversals, the month's close, FEFO picking and the physical count are its
writers; an SBBK's issue (alokon.services.dispatch) posts through it too.

Lock order, everywhere: the distribution's row (portal.services.record_locked), then balance rows in lot order,
then the service's or warehouse's row (document numbers, portal.models.next_number). Two storekeepers issuing the
last units of a lot at once queue on its balance row; the second then sees the stock short and is refused.
"""

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alokon.models import ClosedPeriod, Lot, Movement, Receipt, StockBalance, StockCount, StockCountLine, month_end
from alokon.stock import open_count
from portal.models import access_for, next_number
from portal.roles import Role
from portal.services import refuse_resubmission
from portal.workflow import TransitionError


# More than this in one line is a typing slip (an extra zero or two), not a delivery.
MAX_QUANTITY = 1_000_000


# Who keeps the warehouse's books; heads approve counts.
STOCK_ROLES = (Role.STOREKEEPER,)


APPROVER_ROLES = (Role.HEAD,)


class StockError(TransitionError):
    """A stock movement refused; the message says why, in Indonesian."""


# Checks shared by every write.


def check_quantity(quantity, *, label=None):
    """A whole number of units, more than zero and not absurd."""
    label = label or _("Jumlah")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise StockError(_("%(label)s harus bilangan bulat.") % {"label": label})
    if quantity <= 0:
        raise StockError(_("%(label)s harus lebih dari nol.") % {"label": label})
    if quantity > MAX_QUANTITY:
        raise StockError(
            _("%(label)s %(quantity)s tidak wajar (lebih dari %(max)s). Periksa kembali angkanya.")
            % {"label": label, "quantity": f"{quantity:,}".replace(",", "."), "max": f"{MAX_QUANTITY:,}".replace(",", ".")}
        )


def require_role(actor, unit, roles):
    if not access_for(actor).roles_in(unit.pk) & set(roles):
        raise StockError(_("Langkah ini hanya dapat dilakukan oleh: %(roles)s.") % {"roles": ", ".join(roles)})


def closed_until(warehouse) -> datetime.date | None:
    """The last day of the warehouse's latest closed month, or None."""
    month = ClosedPeriod.objects.filter(warehouse=warehouse).aggregate(last=Max("month"))["last"]
    return month_end(month) if month else None


def _check_date(warehouse, on):
    if on > timezone.localdate():
        raise StockError(_("Tanggal mutasi tidak boleh di masa depan."))
    closed = closed_until(warehouse)
    if closed is not None and on <= closed:
        raise StockError(
            _("Buku sampai %(date)s sudah ditutup; mutasi tidak dapat dicatat pada tanggal itu.")
            % {"date": f"{closed:%d-%m-%Y}"}
        )


def refuse_while_counting(warehouse):
    """A count being counted freezes its warehouse: nothing comes in or goes out until its figures are submitted,
    so the book read then is the book at its start. Read after the caller locked the balance rows it moves, which
    count_start locks too: a movement either commits before a count starts or sees it."""
    count = open_count(warehouse)
    if count is not None:
        raise StockError(
            _("Stok opname %(date)s sedang berlangsung: gudang dibekukan sampai hasil hitungnya diajukan. "
              "Penerimaan, SBBK, pengembalian, penyesuaian dan pembatalan mutasi belum dapat dicatat.")
            % {"date": date_format(count.counted_on, "j F Y")}
        )


def _balance_locked(warehouse, lot):
    """The lot's balance row in the warehouse, locked for this transaction (created at zero when new)."""
    balance = StockBalance.objects.select_for_update().filter(warehouse=warehouse, lot=lot).first()
    if balance is None:
        try:
            with transaction.atomic():
                StockBalance.objects.create(warehouse=warehouse, lot=lot, item_id=lot.item_id, quantity=0)
        except IntegrityError:  # created by a concurrent transaction meanwhile
            pass
        balance = StockBalance.objects.select_for_update().get(warehouse=warehouse, lot=lot)
    return balance


def _lowest_balance_from(warehouse, lot, on, current):
    """The lowest balance the lot reaches from the end of day `on` to now, as the ledger stands."""
    later = Movement.objects.filter(warehouse=warehouse, lot=lot, occurred_on__gt=on).order_by("occurred_on", "pk")
    later_quantities = list(later.values_list("quantity", flat=True))
    if not later_quantities:
        return current
    running = current - sum(later_quantities)  # the balance at the end of day `on`
    lowest = running
    for quantity in later_quantities:
        running += quantity
        lowest = min(lowest, running)
    return lowest


def post(*, warehouse, lot, kind, quantity, on, actor, locked_balance=None, **fields):
    """Write one ledger row and move the lot's balance with it; refuse what would make any balance negative.

    `locked_balance`: the lot's balance row when this transaction already holds it locked (an SBBK locks all its
    items' rows first, in lot order), to spare reading it again; the checks below run all the same.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post() must run inside transaction.atomic()")
    if locked_balance is None:
        balance = _balance_locked(warehouse, lot)
    elif (locked_balance.warehouse_id, locked_balance.lot_id) != (warehouse.pk, lot.pk):
        raise RuntimeError("post(): locked_balance is not the balance of this lot in this warehouse")
    else:
        balance = locked_balance
    # Read after the lock: a month closed, or a count started, while this waited for the row is seen (period_close
    # and count_start lock the rows).
    refuse_while_counting(warehouse)
    _check_date(warehouse, on)
    if quantity < 0 and _lowest_balance_from(warehouse, lot, on, balance.quantity) + quantity < 0:
        if balance.quantity + quantity < 0:
            raise StockError(
                _("Stok %(item)s lot %(lot)s tidak cukup: tersedia %(available)s, dibutuhkan %(needed)s.")
                % {"item": lot.item, "lot": lot.number, "available": balance.quantity, "needed": -quantity}
            )
        raise StockError(
            _("Mutasi bertanggal %(date)s membuat stok %(item)s lot %(lot)s minus pada tanggal sesudahnya.")
            % {"date": f"{on:%d-%m-%Y}", "item": lot.item, "lot": lot.number}
        )
    balance.quantity += quantity
    balance.save(update_fields=["quantity"])
    return Movement.objects.create(
        warehouse=warehouse, item_id=lot.item_id, lot=lot, kind=kind, quantity=quantity, occurred_on=on,
        posted_by=actor, **fields,
    )


# Receipts, adjustments, returns, reversals, month close.


def lot_for(item, number, expiry_date=None, production_date=None) -> Lot:
    """The item's lot of that number, created on its first receipt; an item kept without lots has one lot "-"."""
    if not item.tracks_lots:
        return Lot.objects.get_or_create(item=item, number=Lot.NO_LOT)[0]
    number = (number or "").strip()
    if not number or number == Lot.NO_LOT:
        raise StockError(_("%(item)s dicatat per lot: isi nomor lot/batch.") % {"item": item})
    if expiry_date is None:
        raise StockError(_("%(item)s dicatat per lot: isi tanggal kedaluwarsa.") % {"item": item})
    lot, created = Lot.objects.get_or_create(
        item=item, number=number, defaults={"expiry_date": expiry_date, "production_date": production_date}
    )
    if not created and lot.expiry_date != expiry_date:
        raise StockError(
            _("Lot %(lot)s %(item)s sudah tercatat dengan kedaluwarsa %(date)s.")
            % {"lot": number, "item": item, "date": f"{lot.expiry_date:%d-%m-%Y}"}
        )
    return lot


@transaction.atomic
def receipt_post(*, warehouse, actor, received_on, source_document, supplier, funding, lines, submission=None):
    """Receive stock from the province under one document: `lines` are dicts with item, lot_number,
    expiry_date, production_date, quantity. Prints as an SBBM numbered per warehouse and year."""
    require_role(actor, warehouse, STOCK_ROLES)
    if not lines:
        raise StockError(_("Isi paling sedikit satu barang yang diterima."))
    # The SBBM number's lock, on the warehouse's row, also orders concurrent receipts for the double-submit check.
    sequence = next_number(Receipt.objects.filter(warehouse=warehouse, year=received_on.year), lock=warehouse)
    refuse_resubmission(Receipt, submission)
    receipt = Receipt.objects.create(
        warehouse=warehouse, year=received_on.year, sequence=sequence, received_on=received_on, source_document=source_document, supplier=supplier, funding=funding,
        posted_by=actor, submission=submission,
    )
    lots = []
    for line in lines:
        check_quantity(line["quantity"])
        lots.append(lot_for(line["item"], line.get("lot_number"), line.get("expiry_date"), line.get("production_date")))
    # Balance rows in lot order, as every writer takes them; the rows are still written in the order entered.
    for lot in sorted(set(lots), key=lambda lot: lot.pk):
        _balance_locked(warehouse, lot)
    for line, lot in zip(lines, lots):
        post(
            warehouse=warehouse, lot=lot, kind=Movement.Kind.RECEIPT, quantity=line["quantity"], on=received_on,
            actor=actor, document=source_document, party=supplier, receipt=receipt,
        )
    return receipt


@transaction.atomic
def adjustment_post(*, warehouse, actor, lot, quantity, reason, on, note=""):
    """An adjustment with its reason (damaged, expired, lost, count difference): + found, - written off."""
    require_role(actor, warehouse, STOCK_ROLES)
    if reason not in Movement.Reason.values:
        raise StockError(_("Pilih alasan penyesuaian."))
    check_quantity(abs(quantity) if isinstance(quantity, int) and not isinstance(quantity, bool) else quantity)
    return post(
        warehouse=warehouse, lot=lot, kind=Movement.Kind.ADJUSTMENT, quantity=quantity, on=on, actor=actor,
        reason=reason, note=note,
    )


@transaction.atomic
def return_post(*, warehouse, actor, lot, quantity, facility, on, note=""):
    """Stock a faskes sends back to the warehouse."""
    require_role(actor, warehouse, STOCK_ROLES)
    check_quantity(quantity)
    return post(
        warehouse=warehouse, lot=lot, kind=Movement.Kind.RETURN, quantity=quantity, on=on, actor=actor,
        facility=facility, party=facility.name, note=note,
    )


@transaction.atomic
def movement_reverse(movement, *, actor, note):
    """Cancel a receipt, return or adjustment entered in error: a new row of the opposite quantity, dated
    today and linked both ways. An SBBK's issue is not reversed here: its distribution says what came back."""
    require_role(actor, movement.warehouse, STOCK_ROLES)
    if not note.strip():
        raise StockError(_("Tuliskan alasan pembatalan."))
    if movement.kind in (Movement.Kind.ISSUE, Movement.Kind.REVERSAL):
        raise StockError(_("Mutasi ini tidak dapat dibatalkan dari sini."))
    if Movement.objects.filter(reverses=movement).exists():
        raise StockError(_("Mutasi ini sudah dibatalkan."))
    try:
        with transaction.atomic():
            return post(
                warehouse=movement.warehouse, lot=movement.lot, kind=Movement.Kind.REVERSAL,
                quantity=-movement.quantity, on=timezone.localdate(), actor=actor, reverses=movement,
                document=movement.document, facility=movement.facility, party=movement.party, note=note,
            )
    except IntegrityError:  # reversed by someone else at the same moment
        raise StockError(_("Mutasi ini sudah dibatalkan.")) from None


@transaction.atomic
def period_close(*, warehouse, month, actor):
    """Close a month that has ended: no movement may be dated in it, or before it, any more."""
    require_role(actor, warehouse, STOCK_ROLES + APPROVER_ROLES)
    month = month.replace(day=1)
    if month_end(month) >= timezone.localdate():
        raise StockError(_("Bulan yang belum berakhir tidak dapat ditutup."))
    # The warehouse's row, then its balance rows in lot order, as receipts take them: a movement being written
    # into the month commits before the close, or waits for it and is then refused (see post).
    type(warehouse).objects.select_for_update(no_key=True).get(pk=warehouse.pk)
    list(StockBalance.objects.select_for_update().filter(warehouse=warehouse).order_by("lot_id").values_list("pk"))
    closed = closed_until(warehouse)
    if closed is not None and month <= closed:
        raise StockError(_("Bulan %(month)s sudah ditutup.") % {"month": f"{month:%m-%Y}"})
    try:
        with transaction.atomic():
            return ClosedPeriod.objects.create(warehouse=warehouse, month=month, closed_by=actor)
    except IntegrityError:
        raise StockError(_("Bulan %(month)s sudah ditutup.") % {"month": f"{month:%m-%Y}"}) from None


# Issuing: lots earliest-expiry-first, in whole packs.


def fefo_allocate(balances, item, quantity, *, on, preferred_lot=None):
    """[(balance, quantity)] covering `quantity` of `item` from `balances` (its lots' balance rows, locked).

    Lots are taken earliest expiry first (FEFO). A `preferred_lot` other than FEFO's first pick, chosen by the
    storekeeper, gives the whole quantity or is refused: never silently replaced or topped up by other lots.
    An expired lot is quarantined and never taken. Each lot gives whole packs only.
    """
    if quantity % item.pack_size:
        raise StockError(
            _("%(item)s dikeluarkan per kemasan isi %(pack)s: jumlah %(quantity)s bukan kelipatannya.")
            % {"item": item, "pack": item.pack_size, "quantity": quantity}
        )
    usable = [b for b in balances if b.quantity > 0 and not b.lot.is_expired(on)]
    usable.sort(key=lambda b: (b.lot.expiry_date or datetime.date.max, b.lot.number))
    if preferred_lot is not None:
        if preferred_lot.is_expired(on):
            raise StockError(_("Lot %(lot)s sudah kedaluwarsa dan dikarantina.") % {"lot": preferred_lot.number})
        if preferred_lot.pk != _fefo_pick(usable, item):
            chosen = next((b for b in usable if b.lot_id == preferred_lot.pk), None)
            issuable = chosen.quantity // item.pack_size * item.pack_size if chosen else 0
            if issuable < quantity:
                raise StockError(
                    _("Stok lot %(lot)s %(item)s tidak cukup: tersedia %(available)s yang dapat dikeluarkan, "
                      "dibutuhkan %(needed)s. Pilih lot lain, atau Otomatis (FEFO).")
                    % {"lot": preferred_lot.number, "item": item, "available": issuable, "needed": quantity}
                )
            return [(chosen, quantity)]
    allocation, remaining = [], quantity
    for balance in usable:
        take = min(balance.quantity // item.pack_size * item.pack_size, remaining)
        if take:
            allocation.append((balance, take))
            remaining -= take
        if not remaining:
            return allocation
    available = sum(b.quantity // item.pack_size * item.pack_size for b in usable)
    raise StockError(
        _("Stok %(item)s tidak cukup: dibutuhkan %(needed)s, tersedia %(available)s yang dapat dikeluarkan.")
        % {"item": item, "needed": quantity, "available": available}
    )


def _fefo_pick(usable, item):
    """The lot FEFO takes first from `usable` (unexpired balances, earliest expiry first): the first holding a
    whole pack."""
    return next((b.lot_id for b in usable if b.quantity >= item.pack_size), None)


def lock_item_balances(warehouse, item_ids):
    """The balance rows of these items in the warehouse, locked in lot order (one order for every writer)."""
    rows = (
        StockBalance.objects.select_for_update(of=("self",))
        .filter(warehouse=warehouse, item_id__in=item_ids)
        .select_related("lot")
        .order_by("lot_id")
    )
    by_item = defaultdict(list)
    for balance in rows:
        by_item[balance.item_id].append(balance)
    return by_item


# Physical count (stock opname): blind, then the differences posted with a head's approval.


@transaction.atomic
def count_start(*, warehouse, actor, on):
    """Start a count of every lot the warehouse holds, and freeze the warehouse until its figures are submitted
    (see refuse_while_counting): no lot can come in uncounted, and none can move while it is counted."""
    require_role(actor, warehouse, STOCK_ROLES)
    # The warehouse's row, then its balance rows in lot order, as receipts and period_close take them: a movement
    # being written commits before the count starts (and is counted), or waits for it and is then refused.
    type(warehouse).objects.select_for_update(no_key=True).get(pk=warehouse.pk)
    list(StockBalance.objects.select_for_update().filter(warehouse=warehouse).order_by("lot_id").values_list("pk"))
    if StockCount.objects.filter(warehouse=warehouse).exclude(status=StockCount.Status.APPROVED).exists():
        raise StockError(_("Masih ada stok opname yang belum selesai."))
    count = StockCount.objects.create(warehouse=warehouse, counted_on=on, started_by=actor)
    lots = StockBalance.objects.filter(warehouse=warehouse, quantity__gt=0).values_list("lot_id", flat=True)
    StockCountLine.objects.bulk_create(StockCountLine(count=count, lot_id=lot_id) for lot_id in lots)
    return count


@transaction.atomic
def count_submit(count, *, actor, counted):
    """The counters' figures, {line id: units}; the book figures are read now, and shown only after. Nothing moved
    since the count started, so they are the book at its start; the warehouse moves again from now on."""
    require_role(actor, count.warehouse, STOCK_ROLES)
    count = StockCount.objects.select_for_update().get(pk=count.pk)
    if count.status != StockCount.Status.COUNTING:
        raise StockError(_("Stok opname ini sudah diajukan."))
    lines = list(count.lines.all())
    if set(counted) != {line.pk for line in lines}:
        raise StockError(_("Isi jumlah fisik setiap lot."))
    balances = dict(
        StockBalance.objects.filter(warehouse=count.warehouse, lot_id__in=[line.lot_id for line in lines])
        .values_list("lot_id", "quantity")
    )
    for line in lines:
        value = counted[line.pk]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
            raise StockError(_("Jumlah fisik harus bilangan bulat, nol atau lebih."))
        line.counted, line.book = value, balances.get(line.lot_id, 0)
    StockCountLine.objects.bulk_update(lines, ["counted", "book"])
    count.status, count.submitted_by, count.submitted_at = StockCount.Status.SUBMITTED, actor, timezone.now()
    count.save(update_fields=["status", "submitted_by", "submitted_at"])
    return count


@transaction.atomic
def count_approve(count, *, actor, reasons):
    """A head (not the one who submitted) approves; each difference is posted as an adjustment with its
    reason ({line id: reason}), dated today."""
    require_role(actor, count.warehouse, APPROVER_ROLES)
    count = StockCount.objects.select_for_update().get(pk=count.pk)
    if count.status != StockCount.Status.SUBMITTED:
        raise StockError(_("Stok opname ini tidak menunggu persetujuan."))
    if actor.pk in (count.submitted_by_id, count.started_by_id):
        raise StockError(_("Persetujuan stok opname harus oleh pejabat lain, bukan penghitungnya."))
    on = timezone.localdate()
    for line in count.lines.select_related("lot__item").order_by("lot_id"):
        if not line.difference:
            continue
        reason = reasons.get(line.pk, "")
        if reason not in Movement.Reason.values:
            raise StockError(_("Lot %(lot)s: pilih alasan selisih.") % {"lot": line.lot})
        line.reason = reason
        line.save(update_fields=["reason"])
        post(
            warehouse=count.warehouse, lot=line.lot, kind=Movement.Kind.ADJUSTMENT, quantity=line.difference,
            on=on, actor=actor, reason=reason, document=str(count),
            note=_("Stok opname %(date)s") % {"date": f"{count.counted_on:%d-%m-%Y}"},
        )
    count.status, count.approved_by, count.approved_at = StockCount.Status.APPROVED, actor, timezone.now()
    count.save(update_fields=["status", "approved_by", "approved_at"])
    return count
