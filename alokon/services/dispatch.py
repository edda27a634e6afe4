"""From the warehouse to the faskes: the SBBK with the stock leaving (3), the delivery (4), and the faskes'
receipt per lot (6), a rejection posted back to the books."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alokon.models import Distribution, Movement, ReceiptConfirmation
from alokon.services import ledger
from alokon.services.ledger import STOCK_ROLES, StockError, require_role
from portal.models import next_number
from portal.services import record_locked, transition_fire
from portal.workflow import TransitionError


def sbbk_write(distribution, *, actor, on, preferred_lots, choice_reason):
    """Step 3's data, on the distribution locked by its step (portal.services.step_take, or sbbk_issue): the SBBK's
    number and date, and the stock out of the lots FEFO picks (or the ones chosen, with a reason)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sbbk_write() must run inside the step's transaction")
    if distribution.sbbk_sequence is not None:
        raise StockError(_("SBBK penyaluran ini sudah terbit."))
    warehouse = distribution.service.unit
    lines = list(distribution.lines.select_related("item").filter(approved__gt=0))
    balances = ledger.lock_item_balances(warehouse, [line.item_id for line in lines])
    ledger.refuse_while_counting(warehouse)  # before the lots are picked: a shortage would tell what the books hold
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
        picked = ledger.fefo_allocate(balances[line.item_id], line.item, line.approved, on=on, preferred_lot=preferred)
        fefo_first = ledger.fefo_allocate(balances[line.item_id], line.item, line.approved, on=on)[0][0].lot_id
        note = ""
        if preferred is not None and preferred.pk != fefo_first:
            if not choice_reason.strip():
                raise StockError(
                    _("Lot %(lot)s bukan yang paling awal kedaluwarsa: tuliskan alasan memilihnya.")
                    % {"lot": preferred.number}
                )
            note = _("Lot dipilih: %(reason)s") % {"reason": choice_reason.strip()}
        for balance, quantity in picked:
            movements.append(ledger.post(
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
            ledger.post(
                warehouse=warehouse, lot=issue.lot, kind=Movement.Kind.RETURN, quantity=rejected, on=on,
                actor=actor, document=distribution.sbbk_number, facility=distribution.facility,
                party=distribution.facility.name, distribution=distribution, reason=reason,
                note=_("Ditolak faskes: %(reason)s") % {"reason": label},
            )
            if reason == ReceiptConfirmation.Reason.DAMAGED:
                ledger.post(
                    warehouse=warehouse, lot=issue.lot, kind=Movement.Kind.ADJUSTMENT, quantity=-rejected, on=on,
                    actor=actor, document=distribution.sbbk_number, distribution=distribution,
                    reason=Movement.Reason.DAMAGED, note=_("Dihapus dari stok: dikembalikan rusak oleh faskes"),
                )


def receipt_confirm(distribution, *, actor, expected_status, confirmations):
    """Step 6 in one go: receipt_write, then the step."""
    with transaction.atomic(), record_locked(distribution, expected_status=expected_status) as locked:
        receipt_write(locked, actor=actor, confirmations=confirmations)
        return transition_fire(locked, name="receipt", actor=actor, expected_status="receipt")
