"""What a faskes is given: its request (1a), the storekeeper's routine plan for many faskes (1b), and the
Sekretaris' SPMB (2), in whole packs, never more than was asked."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alokon.models import Distribution, DistributionLine, Facility, Method, PlanLine, ReportStock, RoutinePlan
from alokon.services.ledger import STOCK_ROLES, StockError, check_quantity, require_role
from portal.clock import add_months
from portal.models import Service, next_number
from portal.services import record_locked, refuse_resubmission, transition_fire, workflow_start
from portal.workflow import TransitionError


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


def request_create(*, service, facility, actor, lines, request_letter="", submission=None):
    """Step 1a: a faskes' (or its UPTD P5A's) request; it goes straight to the SPMB. `lines`: [(item, qty)]."""
    if service.app != "alokon":
        raise StockError(_("Layanan ini bukan layanan alokon."))
    _check_lines(lines)
    _check_facility(service, facility, [item for item, _qty in lines])
    if not Facility.objects.acted_for(actor).filter(pk=facility.pk).exists():
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
