"""The printed documents of the ALOKON warehouse: SPMB, SBBK, SBBM, the routine plan, the stock card, the
monthly stock report and the stock count sheet.

Each function returns PDF bytes under the letterhead of the warehouse (the alokon service's unit). A letter
is signed by whoever did the step it records, as the ledger and the transition log say: the SPMB by the head
who approved it, the SBBK by the storekeeper who issued it, the SBBM by the storekeeper who posted the
receipt. Which of them a user may print is the views' part.
"""

from itertools import groupby

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alokon.models import Movement, month_end
from alokon.services.ledger import closed_until
from alokon.stock import card_movements, card_year, month_summary, received_after
from portal.clock import add_months
from portal.letters import letter_place, person_name, signature, signing_memberships
from portal.pdf import render_pdf
from portal.roles import Role
from portal.selectors import transition_log


def _signature_of(user, warehouse, role, *, date, title_prefix=""):
    """The signature block of `user` on a warehouse's document: their jabatan and NIP in the warehouse's
    unit or above (one held in `role` first), placed at the regency as its letters are."""
    units = [warehouse, *warehouse.ancestors()]
    membership = signing_memberships([user], units, role).get(user.pk)
    block = signature(user, membership, place=letter_place(units), date=date)
    if membership is not None and not membership.title and membership.role.name not in Role.HEADS:
        # signature() falls back to "Pimpinan <unit>", a head's title: a storekeeper without one signs as such.
        block["title"] = membership.role.name
    if title_prefix:
        block["title"] = f"{title_prefix}\n{block['title']}".strip()
    return block


def _render(template, warehouse, context):
    return render_pdf(f"alokon/documents/{template}.html", {"warehouse": warehouse, **context}, unit=warehouse)


def _log_entry(distribution, transition):
    """The latest transition log entry of `transition` on the distribution: who did it, and when."""
    entry = transition_log(distribution).filter(transition=transition).last()
    if entry is None:
        raise ValueError(f"distribution {distribution.pk} has no {transition!r} in its log")
    return entry


def spmb_pdf(distribution) -> bytes:
    """Surat Perintah Mengeluarkan Barang: the items and quantities the head approved for one faskes."""
    if not distribution.spmb_number:
        raise ValueError(f"distribution {distribution.pk} has no approved SPMB")
    warehouse = distribution.service.unit
    approval = _log_entry(distribution, "spmb.approve")
    context = {
        "distribution": distribution,
        "facility": distribution.facility,
        "lines": list(distribution.lines.select_related("item")),
        "approved_on": approval.at,
        "signature": _signature_of(approval.actor, warehouse, Role.HEAD, date=approval.at),
    }
    return _render("spmb", warehouse, context)


def sbbk_pdf(distribution) -> bytes:
    """Surat Bukti Barang Keluar: each lot issued to the faskes under this distribution, with totals per item."""
    if not distribution.sbbk_number:
        raise ValueError(f"distribution {distribution.pk} has no SBBK issued")
    warehouse = distribution.service.unit
    issuer = _log_entry(distribution, "packing").actor
    issues = (
        distribution.movements.filter(kind=Movement.Kind.ISSUE)
        .select_related("item", "lot")
        .order_by("item__method", "item__name", "lot__expiry_date", "lot__number", "pk")
    )
    items = []
    for item, rows in groupby(issues, key=lambda movement: movement.item):
        rows = list(rows)
        for row in rows:
            row.shipped = -row.quantity  # the ledger stores an issue as units out, negative
        items.append({"item": item, "rows": rows, "total": sum(row.shipped for row in rows)})
    context = {
        "distribution": distribution,
        "facility": distribution.facility,
        "items": items,
        "signature": _signature_of(
            issuer, warehouse, Role.STOREKEEPER, date=distribution.sbbk_issued_on, title_prefix=_("Yang menyerahkan,")
        ),
    }
    return _render("sbbk", warehouse, context)


def sbbm_pdf(receipt) -> bytes:
    """Surat Bukti Barang Masuk: the lots received from the supplier under one of their documents."""
    warehouse = receipt.warehouse
    lines = list(
        receipt.movements.filter(kind=Movement.Kind.RECEIPT)
        .select_related("item", "lot")
        .order_by("item__method", "item__name", "lot__expiry_date", "pk")
    )
    # A line entered in error is cancelled by a reversal row, not removed: the SBBM says so beside it.
    reversals = {reversal.reverses_id: reversal for reversal in Movement.objects.filter(reverses__in=lines)}
    for line in lines:
        line.reversal = reversals.get(line.pk)
    context = {
        "receipt": receipt,
        "lines": lines,
        "signature": _signature_of(
            receipt.posted_by, warehouse, Role.STOREKEEPER, date=receipt.received_on, title_prefix=_("Yang menerima,")
        ),
    }
    return _render("sbbm", warehouse, context)


def plan_pdf(plan) -> bytes:
    """Rencana Distribusi Rutin: per faskes, per item, its use, its stock, the proposal and the figure sent."""
    warehouse = plan.service.unit
    lines = plan.lines.select_related("facility__kecamatan", "item")
    facilities = [
        {"facility": facility, "lines": list(rows)} for facility, rows in groupby(lines, key=lambda line: line.facility)
    ]
    context = {
        "plan": plan,
        "facilities": facilities,
        "signature": _signature_of(
            plan.created_by, warehouse, Role.STOREKEEPER, date=plan.submitted_at or plan.created_at
        ),
    }
    return _render("plan", warehouse, context)


def _card_note(movement, *, lot_column):
    """The Keterangan of a stock card row: the lot (on an item's card), what kind of movement it was unless the
    columns already say so, its reason and its note."""
    parts = []
    lot = movement.lot
    if lot_column and lot.number != lot.NO_LOT:
        expiry = date_format(lot.expiry_date, "j F Y") if lot.expiry_date else "-"
        parts.append(_("Lot %(number)s, ED %(expiry)s") % {"number": lot.number, "expiry": expiry})
    if movement.kind not in (Movement.Kind.RECEIPT, Movement.Kind.ISSUE):
        parts.append(movement.get_kind_display())
    if movement.reason:
        parts.append(movement.get_reason_display())
    if movement.note:
        parts.append(movement.note)
    return "; ".join(parts)


# A printed stock card holds at most this many rows. WeasyPrint lays out a card's row in 10 to 20 ms on this
# 2-core server (300 rows: about 5 s), so a month of the busiest item (1,000 to 3,000 movements, 60 s and more
# in one piece) prints in parts, each well within a request.
STOCK_CARD_PART_ROWS = 300


def stock_card_parts(rows):
    """The parts a month's stock card of `rows` movements prints in, as (first row, last row): one at least."""
    starts = range(0, max(rows, 1), STOCK_CARD_PART_ROWS)
    return [(first + 1, min(first + STOCK_CARD_PART_ROWS, rows)) for first in starts]


def stock_card_pdf(warehouse, item, lot=None, *, month, part=1, printed_by) -> bytes:
    """Kartu Stok Barang Habis Pakai of an item (or one lot of it) in the warehouse for one month, as a paper
    card is kept: the balance carried from the month before, then every movement of the month, oldest first,
    with the running balance; under it the year so far, month by month. A month of more than
    STOCK_CARD_PART_ROWS movements prints in parts, each carrying the balance of the part before. No signature:
    the card says who printed it, and when."""
    if lot is not None and lot.item_id != item.pk:
        raise ValueError(f"lot {lot.pk} is not a lot of item {item.pk}")
    month = month.replace(day=1)
    year = card_year(warehouse, item, month, lot=lot)
    card = card_movements(warehouse, item, lot=lot, month=month, opening=year[-1].opening)
    parts = len(stock_card_parts(len(card)))
    if not 1 <= part <= parts:
        raise ValueError(f"the stock card of {month:%Y-%m} prints in {parts} part(s), not {part}")
    first = (part - 1) * STOCK_CARD_PART_ROWS
    rows = card[first:first + STOCK_CARD_PART_ROWS]
    for number, row in enumerate(rows, start=first + 1):
        row.number = number
        row.quantity_in, row.quantity_out = max(row.quantity, 0), max(-row.quantity, 0)
        row.card_note = _card_note(row, lot_column=lot is None)
    context = {
        "item": item,
        "lot": lot,
        "month": month,
        "previous_month": add_months(month, -1),
        "part": part,
        "parts": parts,
        "first_row": first + 1,
        "last_row": first + len(rows),
        "opening": rows[0].balance - rows[0].quantity if rows else card.opening,
        "rows": rows,
        "year": year,
        "printed_by": person_name(printed_by),
        "printed_at": timezone.now(),
    }
    return _render("stock_card", warehouse, context)


def month_report_pdf(warehouse, month, *, printed_by, head=None) -> bytes:
    """Laporan Bulanan Mutasi Alokon: per item, the month's opening stock, receipts, issues, returns,
    adjustments and closing stock. With `head`, a "Mengetahui" block for that head to sign."""
    month = month.replace(day=1)
    closed = closed_until(warehouse)
    context = {
        "month": month,
        "rows": month_summary(warehouse, month),
        "is_closed": closed is not None and closed >= month_end(month),
        "printed_by": person_name(printed_by),
        "printed_at": timezone.now(),
        "signature": (
            _signature_of(head, warehouse, Role.HEAD, date=timezone.localdate(), title_prefix=_("Mengetahui,"))
            if head is not None
            else None
        ),
    }
    return _render("month_report", warehouse, context)


def count_pdf(count, *, printed_by) -> bytes:
    """Lembar Stok Opname: every lot of the count. While it is counted, a sheet to count on, with no book figure
    (blind); once submitted, the figures counted, the book and the differences, the lots received since, and the
    signatures of who counted and of the head who approved."""
    warehouse = count.warehouse
    counting = count.status == count.Status.COUNTING
    counter = count.submitted_by or count.started_by
    context = {
        "count": count,
        "counting": counting,
        "lines": list(count.lines.select_related("lot__item")),
        "received_after": list(received_after(count)),
        "counter": _signature_of(
            counter, warehouse, Role.STOREKEEPER, date=count.counted_on, title_prefix=_("Yang menghitung,")
        ),
        "approver": (
            _signature_of(
                count.approved_by, warehouse, Role.HEAD, date=count.approved_at, title_prefix=_("Menyetujui,")
            )
            if count.approved_by_id
            else None
        ),
        "printed_by": person_name(printed_by),
        "printed_at": timezone.now(),
    }
    return _render("count", warehouse, context)
