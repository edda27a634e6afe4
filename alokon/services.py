"""Writes of the ALOKON warehouse: the ledger, and each step of a distribution.

The ledger's rules live in `_post`, the one function that writes a Movement:
it locks the lot's StockBalance row, refuses a movement while the warehouse
is being counted (stock opname), dated in a closed month, in the future, or
one that would take the lot's balance below zero at any point after its date
(a back-dated issue), then writes the row and the new balance in the same
transaction.

Lock order, everywhere: the distribution's row (portal.services.record_locked),
then balance rows in lot order, then the service's row (document numbers). Two
storekeepers issuing the last units of a lot at once queue on its balance
row; the second then sees the stock short and is refused.
"""

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alokon.models import (
    ClosedPeriod,
    Distribution,
    DistributionLine,
    Facility,
    Item,
    Lot,
    Method,
    Monitoring,
    MonthlyReport,
    Movement,
    PlanLine,
    Receipt,
    ReceiptConfirmation,
    ReportService,
    ReportStock,
    RoutinePlan,
    StockBalance,
    StockCount,
    StockCountLine,
    month_end,
)
from alokon.stock import open_count
from portal.clock import add_months
from portal.models import Service, access_for, next_number
from portal.roles import Role
from portal.services import record_locked, refuse_resubmission, transition_fire, workflow_start
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


def _refuse_while_counting(warehouse):
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


def _post(*, warehouse, lot, kind, quantity, on, actor, locked_balance=None, **fields):
    """Write one ledger row and move the lot's balance with it; refuse what would make any balance negative.

    `locked_balance`: the lot's balance row when this transaction already holds it locked (an SBBK locks all its
    items' rows first, in lot order), to spare reading it again; the checks below run all the same.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_post() must run inside transaction.atomic()")
    if locked_balance is None:
        balance = _balance_locked(warehouse, lot)
    elif (locked_balance.warehouse_id, locked_balance.lot_id) != (warehouse.pk, lot.pk):
        raise RuntimeError("_post(): locked_balance is not the balance of this lot in this warehouse")
    else:
        balance = locked_balance
    # Read after the lock: a month closed, or a count started, while this waited for the row is seen (period_close
    # and count_start lock the rows).
    _refuse_while_counting(warehouse)
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


# The ledger: receipts, adjustments, returns, reversals, month close.


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
        _post(
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
    return _post(
        warehouse=warehouse, lot=lot, kind=Movement.Kind.ADJUSTMENT, quantity=quantity, on=on, actor=actor,
        reason=reason, note=note,
    )


@transaction.atomic
def return_post(*, warehouse, actor, lot, quantity, facility, on, note=""):
    """Stock a faskes sends back to the warehouse."""
    require_role(actor, warehouse, STOCK_ROLES)
    check_quantity(quantity)
    return _post(
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
            return _post(
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
    # into the month commits before the close, or waits for it and is then refused (see _post).
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


def _lock_item_balances(warehouse, item_ids):
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


def sbbk_write(distribution, *, actor, on, preferred_lots, choice_reason):
    """Step 3's data, on the distribution locked by its step (portal.services.step_take, or sbbk_issue): the SBBK's
    number and date, and the stock out of the lots FEFO picks (or the ones chosen, with a reason)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sbbk_write() must run inside the step's transaction")
    if distribution.sbbk_sequence is not None:
        raise StockError(_("SBBK penyaluran ini sudah terbit."))
    warehouse = distribution.service.unit
    lines = list(distribution.lines.select_related("item").filter(approved__gt=0))
    balances = _lock_item_balances(warehouse, [line.item_id for line in lines])
    _refuse_while_counting(warehouse)  # before the lots are picked: a shortage would tell what the books hold
    distribution.sbbk_year = on.year
    distribution.sbbk_sequence = next_number(
        Distribution.objects.filter(service_id=distribution.service_id, sbbk_year=on.year),
        lock=distribution.service, field="sbbk_sequence",
    )
    distribution.sbbk_issued_on = on
    # Written without a history row of its own: the step's transition saves the record with its label next.
    Distribution.objects.filter(pk=distribution.pk).update(
        sbbk_year=on.year, sbbk_sequence=distribution.sbbk_sequence, sbbk_issued_on=on
    )
    movements = []
    for line in lines:
        preferred = preferred_lots.get(line.item_id)
        allocation = fefo_allocate(balances[line.item_id], line.item, line.approved, on=on, preferred_lot=preferred)
        fefo_first = fefo_allocate(balances[line.item_id], line.item, line.approved, on=on)[0][0].lot_id
        note = ""
        if preferred is not None and preferred.pk != fefo_first:
            if not choice_reason.strip():
                raise StockError(
                    _("Lot %(lot)s bukan yang paling awal kedaluwarsa: tuliskan alasan memilihnya.")
                    % {"lot": preferred.number}
                )
            note = _("Lot dipilih: %(reason)s") % {"reason": choice_reason.strip()}
        for balance, quantity in allocation:
            movements.append(_post(
                warehouse=warehouse, lot=balance.lot, kind=Movement.Kind.ISSUE, quantity=-quantity, on=on,
                actor=actor, locked_balance=balance, document=distribution.sbbk_number,
                facility=distribution.facility, party=distribution.facility.name, distribution=distribution,
                note=note,
            ))
    return movements


def sbbk_issue(distribution, *, actor, expected_status, preferred_lots=None, choice_reason="", issued_on=None):
    """Step 3: check stock, pick lots FEFO, issue the SBBK and take the stock out, in one transaction.

    The distribution's row and its items' balance rows are locked together: if the stock is short, or the
    step is refused, neither the ledger nor the distribution changes. `issued_on`: the SBBK's date when the
    paper one is entered later (default today): not in a closed month, and never making a balance negative
    afterwards. The transition log keeps when it was entered.
    """
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic(), record_locked(distribution, expected_status=expected_status) as locked:
        require_role(actor, locked.unit, STOCK_ROLES)
        if locked.status != "packing":
            raise StockError(_("SBBK hanya diterbitkan setelah SPMB disetujui."))
        sbbk_write(locked, actor=actor, on=issued_on, preferred_lots=preferred_lots or {}, choice_reason=choice_reason)
        return transition_fire(locked, name="packing", actor=actor, expected_status="packing")


def sbbk_issue_many(distributions, *, actor):
    """The SBBKs of a routine plan in one go: each in its own transaction, so a short item stops only its own
    faskes. Returns (issued, [(distribution, message)])."""
    issued, refused = [], []
    for distribution in distributions:
        try:
            issued.append(sbbk_issue(distribution, actor=actor, expected_status="packing"))
        except TransitionError as error:
            refused.append((distribution, str(error)))
    return issued, refused


def spmb_approve_plan(plan, *, actor):
    """The Sekretaris approves every SPMB of a routine plan as planned (in whole packs, rounded down), each in its
    own transaction. Returns (approved, [(distribution, message)])."""
    approved, refused = [], []
    for distribution in plan.distributions.filter(status="spmb").select_related("service__unit", "unit", "facility"):
        try:
            lines = {line.pk: line.most_approvable for line in distribution.lines.select_related("item")}
            approved.append(spmb_approve(distribution, actor=actor, expected_status="spmb", approved=lines))
        except TransitionError as error:
            refused.append((distribution, str(error)))
    return approved, refused


# The distribution's steps.


def _check_facility(service, facility, items):
    if facility.unit_id not in access_tree_above(service):
        raise StockError(_("Faskes ini tidak dilayani oleh gudang %(unit)s.") % {"unit": service.unit})
    if not facility.is_active:
        raise StockError(_("Faskes %(name)s tidak aktif: tidak dapat menerima alokon.") % {"name": facility.name})
    long_acting = [item for item in items if item.method in (Method.IMPLANT, Method.IUD)]
    if long_acting and not facility.mkjp_mou:
        raise StockError(
            _("%(name)s belum memiliki MoU MKJP: tidak dapat menerima %(items)s.")
            % {"name": facility.name, "items": ", ".join(str(item) for item in long_acting)}
        )


def access_tree_above(service):
    """The service's unit and the units above it: a facility registered at any of them is served."""
    return {service.unit_id, *(unit.pk for unit in service.unit.ancestors())}


def _check_lines(lines):
    """[(item, quantity)]: each item once, active, with a sound quantity in whole packs: the warehouse issues
    whole packs, and an SPMB never gives more than was asked, so a request for part of a pack could only be
    approved as nothing."""
    if not lines:
        raise StockError(_("Isi paling sedikit satu barang dengan jumlahnya."))
    seen = set()
    for item, quantity in lines:
        if item.pk in seen:
            raise StockError(_("%(item)s tercantum dua kali.") % {"item": item})
        seen.add(item.pk)
        if not item.is_active:
            raise StockError(_("%(item)s tidak aktif.") % {"item": item})
        check_quantity(quantity, label=str(item))
        _require_whole_packs(item, quantity)


def _require_whole_packs(item, quantity):
    if quantity % item.pack_size:
        raise StockError(
            _("%(item)s diminta per kemasan isi %(pack)s: %(quantity)s bukan kelipatannya.")
            % {"item": item, "pack": item.pack_size, "quantity": quantity}
        )


def _may_request_for(actor, facility):
    return Facility.objects.acted_for(actor).filter(pk=facility.pk).exists()


def request_create(*, service, facility, actor, lines, request_letter="", submission=None):
    """Step 1a: a faskes' (or its UPTD P5A's) request; it goes straight to the SPMB. `lines`: [(item, qty)]."""
    if service.app != "alokon":
        raise StockError(_("Layanan ini bukan layanan alokon."))
    _check_lines(lines)
    _check_facility(service, facility, [item for item, _qty in lines])
    if not _may_request_for(actor, facility):
        raise StockError(_("Anda tidak dapat membuat permintaan untuk faskes ini."))
    with transaction.atomic():
        # Orders concurrent requests for the double-submit check. No key update, as for the SBBK numbers.
        Service.objects.select_for_update(no_key=True).get(pk=service.pk)
        refuse_resubmission(Distribution, submission)
        distribution = Distribution(
            service=service, unit_id=facility.uptd_id or service.unit_id, facility=facility,
            request_letter=request_letter, submission=submission,
        )
        workflow_start(distribution, actor=actor, status="request")
        DistributionLine.objects.bulk_create(
            DistributionLine(distribution=distribution, item=item, requested=quantity) for item, quantity in lines
        )
        return transition_fire(distribution, name="request", actor=actor, expected_status="request")


def spmb_write(distribution, *, approved, take_number):
    """Step 2's data, on the distribution locked by its step: each line's approved quantity ({line id: units, or
    None while not decided}) in whole packs, never more than the line asked for (DistributionLine.most_approvable);
    with `take_number`, the SPMB's number (an approval)."""
    lines = {line.pk: line for line in distribution.lines.select_related("item")}
    if not set(approved) <= set(lines):
        raise StockError(_("Isi jumlah yang disetujui untuk setiap barang."))
    for pk, quantity in approved.items():
        line = lines[pk]
        if quantity is not None and (isinstance(quantity, bool) or quantity != 0):
            check_quantity(quantity, label=str(line.item))
        if quantity is not None and quantity > line.requested:
            raise StockError(
                _("%(item)s: disetujui %(quantity)s, padahal diminta %(requested)s. SPMB tidak boleh melebihi "
                  "permintaan: paling banyak %(most)s.")
                % {"item": line.item, "quantity": quantity, "requested": line.requested, "most": line.most_approvable}
            )
        if quantity is not None and quantity % line.item.pack_size:
            raise StockError(
                _("%(item)s disetujui per kemasan isi %(pack)s: %(quantity)s bukan kelipatannya.")
                % {"item": line.item, "pack": line.item.pack_size, "quantity": quantity}
            )
        line.approved = quantity
    DistributionLine.objects.bulk_update(lines.values(), ["approved"])
    if take_number and distribution.spmb_sequence is None:
        year = timezone.localdate().year
        sequence = next_number(
            Distribution.objects.filter(service_id=distribution.service_id, spmb_year=year),
            lock=distribution.service, field="spmb_sequence",
        )
        # Written without a history row of its own: the step's transition saves the record with its label next.
        Distribution.objects.filter(pk=distribution.pk).update(spmb_year=year, spmb_sequence=sequence)


def spmb_approve(distribution, *, actor, expected_status, approved):
    """Step 2 approved in one go (a routine plan's SPMBs): spmb_write, then the step, in one transaction."""
    with transaction.atomic(), record_locked(distribution, expected_status=expected_status) as locked:
        if set(approved) != set(locked.lines.values_list("pk", flat=True)):
            raise StockError(_("Isi jumlah yang disetujui untuk setiap barang."))
        spmb_write(locked, approved=approved, take_number=True)
        return transition_fire(locked, name="spmb.approve", actor=actor, expected_status="spmb")


def spmb_reject(distribution, *, actor, expected_status, reason):
    if not reason.strip():
        raise StockError(_("Tuliskan alasan penolakan."))
    return transition_fire(distribution, name="spmb.reject", actor=actor, expected_status=expected_status, note=reason)


def delivery_write(distribution, *, delivered_on):
    """Step 4's data, on the distribution locked by its step: the day the stock reached the faskes (not before the
    SBBK, not in the future)."""
    if delivered_on is not None and (
        delivered_on > timezone.localdate()
        or (distribution.sbbk_issued_on and delivered_on < distribution.sbbk_issued_on)
    ):
        raise StockError(_("Tanggal penyerahan harus antara tanggal SBBK dan hari ini."))
    Distribution.objects.filter(pk=distribution.pk).update(delivered_on=delivered_on)


def delivery_record(distribution, *, actor, expected_status, delivered_on):
    """Step 4 in one go: delivery_write, then the step."""
    with transaction.atomic(), record_locked(distribution, expected_status=expected_status) as locked:
        delivery_write(locked, delivered_on=delivered_on)
        return transition_fire(locked, name="delivery", actor=actor, expected_status="delivery")


def monitoring_write(distribution, *, actor, mode, monitored_on, monitored_by, findings, follow_up=""):
    """Step 5's data, on the distribution locked by its step: how the UPTD P5A coordinated and monitored the faskes'
    use, recording and reporting of what was delivered (`mode`: Monitoring.Mode), on a day from the delivery to
    today."""
    if mode not in Monitoring.Mode.values:
        raise StockError(_("Pilih cara monitoring."))
    if not findings.strip() or not monitored_by.strip():
        raise StockError(_("Tuliskan temuan monitoring dan siapa yang melakukannya."))
    if not distribution.delivered_on <= monitored_on <= timezone.localdate():
        raise StockError(
            _("Tanggal monitoring harus antara tanggal diterima faskes (%(date)s) dan hari ini.")
            % {"date": date_format(distribution.delivered_on, "j F Y")}
        )
    Monitoring.objects.create(
        distribution=distribution, mode=mode, monitored_on=monitored_on, monitored_by=monitored_by.strip(),
        findings=findings.strip(), follow_up=follow_up.strip(), recorded_by=actor,
    )


def monitoring_record(distribution, *, actor, expected_status, **fields):
    """Step 5 in one go: monitoring_write, then the step."""
    with transaction.atomic(), record_locked(distribution, expected_status=expected_status) as locked:
        monitoring_write(locked, actor=actor, **fields)
        return transition_fire(locked, name="monitoring", actor=actor, expected_status="monitoring")


def receipt_write(distribution, *, actor, confirmations):
    """Step 6's data, on the distribution locked by its step: the faskes confirms each issued lot, accepted +
    rejected = shipped, a rejection with its reason.

    A rejected quantity comes back into the warehouse's books as a return (short, damaged or expired); a
    damaged one is written off at once, so it is never issued again. `confirmations`:
    {issue movement id: (accepted, rejected, reason)}.
    """
    issues = {m.pk: m for m in distribution.movements.filter(kind=Movement.Kind.ISSUE).select_related("lot__item")}
    if set(confirmations) != set(issues):
        raise StockError(_("Konfirmasi setiap baris SBBK."))
    warehouse = distribution.service.unit
    for pk, (accepted, rejected, reason) in sorted(confirmations.items(), key=lambda c: issues[c[0]].lot_id):
        issue = issues[pk]
        shipped = -issue.quantity
        for value in (accepted, rejected):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise StockError(_("Jumlah diterima dan ditolak harus bilangan bulat, nol atau lebih."))
        if accepted + rejected != shipped:
            raise StockError(
                _("%(item)s lot %(lot)s: diterima %(accepted)s + ditolak %(rejected)s harus sama dengan dikirim %(shipped)s.")
                % {"item": issue.lot.item, "lot": issue.lot.number, "accepted": accepted, "rejected": rejected,
                   "shipped": shipped}
            )
        if rejected and reason not in ReceiptConfirmation.Reason.values:
            raise StockError(
                _("%(item)s lot %(lot)s: pilih alasan penolakan.") % {"item": issue.lot.item, "lot": issue.lot.number}
            )
        ReceiptConfirmation.objects.create(
            issue=issue, accepted=accepted, rejected=rejected, reason=reason if rejected else "", confirmed_by=actor
        )
        if rejected:
            label = ReceiptConfirmation.Reason(reason).label
            on = timezone.localdate()
            _post(
                warehouse=warehouse, lot=issue.lot, kind=Movement.Kind.RETURN, quantity=rejected, on=on,
                actor=actor, document=distribution.sbbk_number, facility=distribution.facility,
                party=distribution.facility.name, distribution=distribution, reason=reason,
                note=_("Ditolak faskes: %(reason)s") % {"reason": label},
            )
            if reason == ReceiptConfirmation.Reason.DAMAGED:
                _post(
                    warehouse=warehouse, lot=issue.lot, kind=Movement.Kind.ADJUSTMENT, quantity=-rejected, on=on,
                    actor=actor, document=distribution.sbbk_number, distribution=distribution,
                    reason=Movement.Reason.DAMAGED, note=_("Dihapus dari stok: dikembalikan rusak oleh faskes"),
                )


def receipt_confirm(distribution, *, actor, expected_status, confirmations):
    """Step 6 in one go: receipt_write, then the step."""
    with transaction.atomic(), record_locked(distribution, expected_status=expected_status) as locked:
        receipt_write(locked, actor=actor, confirmations=confirmations)
        return transition_fire(locked, name="receipt", actor=actor, expected_status="receipt")


def received_in(facility, month):
    """{item id: units the facility accepted from deliveries made in `month`}."""
    rows = (
        ReceiptConfirmation.objects.filter(
            issue__distribution__facility=facility,
            issue__distribution__delivered_on__range=(month, month_end(month)),
        )
        .values("issue__item_id")
        .annotate(total=Sum("accepted"))
    )
    return {row["issue__item_id"]: row["total"] for row in rows}


def report_prefill(facility, month):
    """The stock rows of a new monthly report, and whether it is the facility's first.

    Opening stock comes from the last report's remaining; on a first report the faskes states it, so every
    active item is listed. Received comes from the deliveries confirmed. [{item, opening, received}].
    """
    month = month.replace(day=1)
    last = MonthlyReport.objects.filter(facility=facility, month__lt=month).order_by("-month").first()
    opening = {row.item_id: row.remaining for row in last.stock.all()} if last else {}
    received = received_in(facility, month)
    items = Item.objects.filter(pk__in=set(opening) | set(received)) if last else Item.objects.filter(
        Q(is_active=True) | Q(pk__in=received)
    )
    rows = [{"item": item, "opening": opening.get(item.pk, 0), "received": received.get(item.pk, 0)} for item in items]
    return rows, last is None


def report_submit(*, facility, month, actor, used, services, coordination_note="", opening=None):
    """Steps 7-9: the faskes' monthly report for a month that has ended. `used`: {item id: units used};
    `services`: {method: (new, repeat, switching)}; `opening`: {item id: units} the faskes held at the start of
    the month, stated on its first report only (later ones carry the last report's remaining). Completes
    services, coordination and reporting of the facility's distributions delivered up to that month and
    confirmed received, which are then done.
    """
    month = month.replace(day=1)
    if month_end(month) >= timezone.localdate():
        raise StockError(_("Laporan bulan ini baru dapat dikirim setelah bulannya berakhir."))
    if not _may_request_for(actor, facility):
        raise StockError(_("Anda tidak dapat melapor untuk faskes ini."))
    rows, first = report_prefill(facility, month)
    if opening and not first:
        raise StockError(_("Stok awal diambil dari laporan bulan sebelumnya; tidak diisi lagi."))
    for row in rows:
        stated = (opening or {}).get(row["item"].pk, 0)
        if isinstance(stated, bool) or not isinstance(stated, int) or not 0 <= stated <= MAX_QUANTITY:
            raise StockError(_("%(item)s: stok awal harus bilangan bulat, nol atau lebih.") % {"item": row["item"]})
        row["opening"] = row["opening"] or stated
    with transaction.atomic():
        # One report per faskes and month. No key update: the faskes' row is not changed here, and requests and
        # SBBK rows pointing at it (FOR KEY SHARE at their commit) need not wait for this report.
        Facility.objects.select_for_update(no_key=True).get(pk=facility.pk)
        if MonthlyReport.objects.filter(facility=facility, month=month).exists():
            raise StockError(_("Laporan %(month)s sudah dikirim.") % {"month": f"{month:%m-%Y}"})
        report = MonthlyReport.objects.create(
            facility=facility, month=month, submitted_by=actor, coordination_note=coordination_note
        )
        stock = []
        for row in rows:
            quantity = used.get(row["item"].pk, 0)
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
                raise StockError(_("%(item)s: jumlah dipakai harus bilangan bulat, nol atau lebih.") % {"item": row["item"]})
            available = row["opening"] + row["received"]
            if quantity > available:
                raise StockError(
                    _("%(item)s: dipakai %(used)s melebihi stok awal + diterima (%(available)s).")
                    % {"item": row["item"], "used": quantity, "available": available}
                )
            stock.append(ReportStock(
                report=report, item=row["item"], opening=row["opening"], received=row["received"], used=quantity,
                remaining=available - quantity,
            ))
        ReportStock.objects.bulk_create(stock)
        service_rows = []
        for method, counts in services.items():
            if method not in Method.values:
                raise StockError(_("Metode tidak dikenal."))
            if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > MAX_QUANTITY for n in counts):
                raise StockError(_("Jumlah peserta KB harus bilangan bulat, nol atau lebih."))
            service_rows.append(ReportService(report=report, method=method, new=counts[0], repeat=counts[1],
                                              switching=counts[2]))
        ReportService.objects.bulk_create(service_rows)
        note = _("Laporan bulanan %(month)s") % {"month": f"{month:%m-%Y}"}
        waiting = Distribution.objects.filter(
            facility=facility, status="service", delivered_on__lte=month_end(month)
        ).select_related("service", "unit")
        for distribution in waiting:
            for name in ("service", "coordination", "reporting"):
                distribution = transition_fire(
                    distribution, name=name, actor=actor, expected_status=name, note=note
                )
        return report


# The routine plan (1b): proposed from each faskes' average use and a target of months of stock.


def average_monthly_use(facility_ids, item_ids, *, before, months=3):
    """{(facility id, item id): average units used per month} over the `months` reports before `before`."""
    start = add_months(before.replace(day=1), -months)
    rows = (
        ReportStock.objects.filter(
            report__facility_id__in=facility_ids, item_id__in=item_ids,
            report__month__gte=start, report__month__lt=before.replace(day=1),
        )
        .values("report__facility_id", "item_id")
        .annotate(total=Sum("used"))
    )
    return {(r["report__facility_id"], r["item_id"]): r["total"] / months for r in rows}


def last_remaining(facility_ids):
    """{(facility id, item id): units remaining at the faskes by its latest report}."""
    latest = {}
    rows = ReportStock.objects.filter(report__facility_id__in=facility_ids).values_list(
        "report__facility_id", "item_id", "remaining", "report__month"
    ).order_by("report__month")
    for facility_id, item_id, remaining, _month in rows:
        latest[(facility_id, item_id)] = remaining
    return latest


def plan_propose(*, service, actor, month, facilities, items, min_months, max_months):
    """A routine plan for `facilities`: for each item, when the faskes' stock falls below `min_months` of its
    average use, top it up to `max_months`, in whole packs. The storekeeper edits the figures before it goes
    to the SPMB."""
    require_role(actor, service.unit, STOCK_ROLES)
    if not (0 < min_months <= max_months <= 24):
        raise StockError(_("Stok minimum dan maksimum (bulan) harus 0 < minimum ≤ maksimum ≤ 24."))
    facility_ids = [f.pk for f in facilities]
    item_ids = [i.pk for i in items]
    # The 3 whole months before this one: a plan for next month cannot count this month, which has no report yet.
    use = average_monthly_use(facility_ids, item_ids, before=min(month, timezone.localdate()))
    on_hand = last_remaining(facility_ids)
    with transaction.atomic():
        plan = RoutinePlan.objects.create(
            service=service, month=month.replace(day=1), min_months=min_months, max_months=max_months,
            created_by=actor,
        )
        lines = []
        for facility in facilities:
            for item in items:
                if item.method in (Method.IMPLANT, Method.IUD) and not facility.mkjp_mou:
                    continue
                average = use.get((facility.pk, item.pk), 0)
                stock = on_hand.get((facility.pk, item.pk), 0)
                proposed = 0
                if average and stock < average * float(min_months):
                    needed = average * float(max_months) - stock
                    proposed = -(-int(needed) // item.pack_size) * item.pack_size  # up to whole packs
                lines.append(PlanLine(
                    plan=plan, facility=facility, item=item, average_use=round(average, 1), on_hand=stock,
                    proposed=proposed, quantity=proposed,
                ))
        PlanLine.objects.bulk_create(lines)
    return plan


def plan_submit(plan, *, actor, quantities):
    """Step 1b: the plan, as edited, goes to the SPMB: one distribution per faskes with something to send.

    `quantities`: {plan line id: units}. Returns the distributions.
    """
    require_role(actor, plan.service.unit, STOCK_ROLES)
    with transaction.atomic():
        plan = RoutinePlan.objects.select_for_update().get(pk=plan.pk)
        if plan.submitted_at is not None:
            raise StockError(_("Rencana ini sudah diajukan."))
        lines = list(plan.lines.select_related("facility", "item"))
        by_facility = defaultdict(list)
        for line in lines:
            quantity = quantities.get(line.pk, line.quantity)
            if quantity:
                check_quantity(quantity, label=f"{line.facility.name} - {line.item}")
                _require_whole_packs(line.item, quantity)
            elif quantity != 0:
                raise StockError(_("Jumlah tidak boleh negatif."))
            line.quantity = quantity
            if quantity:
                by_facility[line.facility].append((line.item, quantity))
        PlanLine.objects.bulk_update(lines, ["quantity"])
        if not by_facility:
            raise StockError(_("Rencana tidak berisi barang untuk dikirim."))
        distributions = []
        for facility, facility_lines in by_facility.items():
            _check_facility(plan.service, facility, [item for item, _q in facility_lines])
            distribution = Distribution(
                service=plan.service, unit_id=facility.uptd_id or plan.service.unit_id, facility=facility,
                plan=plan,
            )
            workflow_start(distribution, actor=actor, status="routine_plan")
            DistributionLine.objects.bulk_create(
                DistributionLine(distribution=distribution, item=item, requested=q) for item, q in facility_lines
            )
            distributions.append(
                transition_fire(distribution, name="routine_plan", actor=actor, expected_status="routine_plan")
            )
        plan.submitted_at = timezone.now()
        plan.save(update_fields=["submitted_at"])
        return distributions


# Physical count (stock opname): blind, then the differences posted with a head's approval.


@transaction.atomic
def count_start(*, warehouse, actor, on):
    """Start a count of every lot the warehouse holds, and freeze the warehouse until its figures are submitted
    (see _refuse_while_counting): no lot can come in uncounted, and none can move while it is counted."""
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
        _post(
            warehouse=count.warehouse, lot=line.lot, kind=Movement.Kind.ADJUSTMENT, quantity=line.difference,
            on=on, actor=actor, reason=reason, document=str(count),
            note=_("Stok opname %(date)s") % {"date": f"{count.counted_on:%d-%m-%Y}"},
        )
    count.status, count.approved_by, count.approved_at = StockCount.Status.APPROVED, actor, timezone.now()
    count.save(update_fields=["status", "approved_by", "approved_at"])
    return count
