"""ALOKON pages: the warehouse's dashboard and books, each distribution's steps, and the faskes' reports.

A distribution is fetched through portal.access.get_record_or_404; the warehouse's own rows (receipts,
movements, plans, counts) through `_warehouse`, which answers only for a user holding a warehouse role in
the service's unit or above; a faskes' reports through `Facility.objects.handled_by`. Every write goes through
alokon.services, which decides; a refusal comes back as a message and changes nothing.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from alokon import documents, siga, stock
from alokon.forms import (
    AdjustmentForm,
    CountApproveForm,
    CountForm,
    PeriodCloseForm,
    PlanForm,
    PlanLinesForm,
    ReceiptLineFormSet,
    ReceiptPostForm,
    ReportForm,
    RequestForm,
    ReverseForm,
    parse_month,
)
from alokon.models import (
    WAREHOUSE_ROLES,
    ClosedPeriod,
    Distribution,
    Facility,
    Item,
    Lot,
    Monitoring,
    MonthlyReport,
    Movement,
    Receipt,
    RoutinePlan,
    StockCount,
    month_end,
)
from alokon.services import allocation, dispatch, ledger, usage
from portal.access import get_record_or_404
from portal.exports import xlsx_response
from portal.forms import submission_token
from portal.models import Service, access_for
from portal.pdf import pdf_response
from portal.roles import Role
from portal.selectors import WAITING_QUERY
from portal.services import available_transitions
from portal.views import post_only, record_page
from portal.workflow import TransitionError

PAGE_SIZE = 50
WAITING_KEY, WAITING_VALUE = WAITING_QUERY.split("=")

# Scoping.


def _warehouse_services(user):
    """The ALOKON services whose warehouse the user may open, by a warehouse role in its unit or above."""
    access = access_for(user)
    return [
        service for service in Service.objects.filter(app="alokon").select_related("unit")
        if access.roles_in(service.unit_id) & WAREHOUSE_ROLES
    ]


def _warehouse(request):
    """The service (and so the warehouse: its unit) this page is about: ?layanan=<slug>, or the user's first."""
    services_ = _warehouse_services(request.user)
    if not services_:
        raise PermissionDenied(_("Halaman gudang alokon hanya untuk pengelola barang dan pimpinan."))
    slug = request.GET.get("layanan") or request.POST.get("layanan")
    for service in services_:
        if service.slug == slug:
            return service
    return services_[0]


def _alokon_services(user):
    """The ALOKON services the user has any part in: a role of the workflow held in the service's unit, above
    it or in a UPTD P5A covering its faskes, or a faskes account of the agency."""
    access = access_for(user)
    roles = Distribution.workflow.access_roles
    return [
        service for service in Service.objects.filter(app="alokon").select_related("unit")
        if access.service_roles(service.unit_id, lambda: Distribution.handling_units(service)) & roles
    ]


def _holds(user, service, roles):
    return bool(access_for(user).roles_in(service.unit_id) & set(roles))


def _distribution(request, pk):
    return get_record_or_404(request, Distribution, pk, select_related=("service__unit", "unit", "facility__kecamatan"))


def _refused(request, error):
    messages.error(request, str(error))


# The dashboard.


@require_safe
@login_required
def dashboard(request):
    if not _warehouse_services(request.user):
        if _alokon_services(request.user):  # a faskes or a UPTD P5A: its distributions
            return redirect("alokon:distributions")
        raise PermissionDenied(_("Anda tidak memiliki peran pada layanan alokon."))
    service = _warehouse(request)
    warehouse = service.unit
    today = timezone.localdate()
    counting = stock.open_count(warehouse)
    lots = stock.lots_on_hand(warehouse, today=today)
    reported = MonthlyReport.objects.filter(facility=OuterRef("pk"), month=_last_month(today))
    open_distributions = (
        Distribution.objects.visible_to(request.user).open().filter(service=service)
        .select_related("facility", "unit").order_by("due_at", "step_due_at", "pk")
    )
    return render(request, "alokon/dashboard.html", {
        "service": service,
        "services": _warehouse_services(request.user),
        "counting": counting,
        "items": None if counting else stock.stock_by_item(warehouse, today=today),
        "expired": [b for b in lots if b.expired],
        "near_expiry": [b for b in lots if b.near_expiry],
        "open_distributions": open_distributions[:20],
        "open_count": open_distributions.count(),
        "not_reported": Facility.objects.filter(unit=warehouse, is_active=True)
        .exclude(Exists(reported)).select_related("kecamatan")[:50],
        "last_month": _last_month(today),
        "is_storekeeper": _holds(request.user, service, [Role.STOREKEEPER]),
        "warning_months": settings.ALOKON_EXPIRY_WARNING_MONTHS,
    })


def _last_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


# Distributions.


@require_safe
@login_required
def distribution_list(request):
    alokon_services = _alokon_services(request.user)
    if not alokon_services:
        raise PermissionDenied(_("Anda tidak memiliki peran pada layanan alokon."))
    rows = Distribution.objects.visible_to(request.user).select_related("facility", "unit", "service")
    waiting = request.GET.get(WAITING_KEY) == WAITING_VALUE
    if waiting:  # the start page's "all waiting for you": what waits for a step the user may do now
        rows = rows.filter(access_for(request.user).waiting_filter(Distribution))
    status = request.GET.get("status", "" if waiting else "terbuka")
    if status == "terbuka":
        rows = rows.open()
    elif status in dict(Distribution.workflow.status_choices):
        rows = rows.filter(status=status)
    if request.GET.get("terlambat") == "1":
        rows = rows.overdue()
    order = (F("due_at").asc(nulls_last=True), "step_due_at", "pk") if waiting else ("-created_at", "-pk")
    page = Paginator(rows.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    start_services = [s for s in alokon_services if Distribution.may_start(s, request.user)]
    return render(request, "alokon/distribution_list.html", {
        "page": page,
        "status": status,
        "waiting": waiting,
        "waiting_query": WAITING_QUERY,
        "statuses": Distribution.workflow.status_choices,
        "start_services": start_services,
        "has_warehouse": bool(_warehouse_services(request.user)),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def request_new(request, service):
    service = get_object_or_404(Service.objects.select_related("unit"), slug=service, app="alokon")
    facilities = Facility.objects.acted_for(request.user).filter(unit=service.unit)
    if not facilities.exists():
        raise PermissionDenied(_("Permintaan dibuat oleh faskes atau UPTD P5A yang membinanya."))
    items = Item.objects.filter(is_active=True)
    form = RequestForm(request.POST or None, facilities=facilities, items=items)
    if request.method == "POST":
        token = submission_token(form.data.get("submission"))
        saved = Distribution.objects.visible_to(request.user).filter(submission=token).first() if token else None
        if saved is not None:
            messages.info(request, _("Permintaan ini sudah tersimpan sebelumnya; tidak dikirim dua kali."))
            return redirect(saved)
        if form.is_valid():
            try:
                distribution = allocation.request_create(
                    service=service, facility=form.cleaned_data["facility"], actor=request.user,
                    lines=form.lines(), request_letter=form.cleaned_data["request_letter"],
                    submission=form.cleaned_data["submission"],
                )
            except TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Permintaan terkirim dan menunggu SPMB."))
                return redirect(distribution)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
        return render(request, "alokon/request.html", {"service": service, "form": form}, status=400)
    return render(request, "alokon/request.html", {"service": service, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def distribution_detail(request, pk):
    """The distribution's page, where its steps are taken (portal.views.record_page): the SPMB and the delivery
    through the step form at the top; the SBBK, the monitoring and the receipt, which write everything at once,
    through their own form right under it (Step.own_form), posted to this page all the same."""
    distribution = _distribution(request, pk)
    return record_page(request, distribution, lambda *, step_form, status: _detail(
        request, distribution, step_form=step_form, status=status
    ))


def _detail(request, distribution, *, step_form, status):
    issues = list(
        distribution.movements.filter(kind=Movement.Kind.ISSUE).select_related("lot__item", "confirmation")
    )
    step = distribution.step
    context = {
        "distribution": distribution,
        "step_form": step_form,
        "lines": list(distribution.lines.select_related("item")),
        "issues": issues,
        "returns": list(distribution.movements.exclude(kind=Movement.Kind.ISSUE).select_related("lot__item")),
        "monitoring": Monitoring.objects.filter(distribution=distribution).first(),
        "own_form": None,
    }
    if distribution.status == "packing":
        # While the warehouse is counted the SBBK waits, and its lots' stock is not shown (alokon.stock.open_count).
        context["counting"] = stock.open_count(distribution.service.unit)
    own = [t for t in available_transitions(distribution, request.user) if t.own_form and step.form]
    if own and not context.get("counting"):
        form = step_form or distribution.workflow.step_form(step)(record=distribution, user=request.user)
        context.update(own_form=form, own_transition=own[0])
        if distribution.status == "packing":
            context["fefo"] = _fefo_preview(context["lines"], form.lots_by_item)
    return render(request, "alokon/distribution.html", context, status=status)


def _fefo_preview(lines, lots_by_item):
    """What the SBBK would take, lot by lot, if issued now; or the shortage, in words."""
    lots = {item.pk: balances for item, balances in lots_by_item}
    preview = []
    for line in lines:
        if not line.approved:
            continue
        try:
            picked = ledger.fefo_allocate(lots[line.item_id], line.item, line.approved, on=timezone.localdate())
        except TransitionError as error:
            preview.append((line, [], str(error)))
        else:
            preview.append((line, picked, ""))
    return preview


@require_GET
@login_required
def spmb_pdf(request, pk):
    distribution = _distribution(request, pk)
    if not distribution.spmb_sequence:
        raise Http404(_("SPMB belum diterbitkan."))
    return pdf_response(documents.spmb_pdf(distribution), f"spmb-{distribution.spmb_sequence}-{distribution.spmb_year}")


@require_GET
@login_required
def sbbk_pdf(request, pk):
    distribution = _distribution(request, pk)
    if not distribution.sbbk_sequence:
        raise Http404(_("SBBK belum diterbitkan."))
    return pdf_response(documents.sbbk_pdf(distribution), f"sbbk-{distribution.sbbk_sequence}-{distribution.sbbk_year}")


# The warehouse's books. While a count is open they show no book figure (alokon.stock.open_count).


def _refuse_printing_while_counting(service):
    count = stock.open_count(service.unit)
    if count is not None:
        raise PermissionDenied(
            _("Angka buku tidak dicetak selama stok opname %(date)s berlangsung; cetak setelah hasil hitungnya "
              "diajukan.") % {"date": date_format(count.counted_on, "j F Y")}
        )


@require_safe
@login_required
def stock_lots(request):
    service = _warehouse(request)
    return render(request, "alokon/stock.html", {
        "service": service,
        "counting": stock.open_count(service.unit),
        "lots": stock.lots_on_hand(service.unit),
        "items": Item.objects.filter(is_active=True),
        "is_storekeeper": _holds(request.user, service, [Role.STOREKEEPER]),
        "closed_until": ledger.closed_until(service.unit),
    })


def _card_filter(request):
    item = get_object_or_404(Item, pk=request.resolver_match.kwargs["item"])
    lot = None
    if request.GET.get("lot"):
        lot = Lot.objects.filter(item=item, pk=_int(request.GET["lot"])).first()
        if lot is None:
            raise Http404(_("Lot tidak dikenal."))
    return item, lot


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_safe
@login_required
def stock_card(request, item):
    service = _warehouse(request)
    item, lot = _card_filter(request)
    return _stock_card_page(request, service, item, lot)


def _stock_card_page(request, service, item, lot, *, reverse_form=None, reversing=None, status=200):
    """The stock card; `reverse_form`: a refused reversal of movement `reversing`, shown again as typed."""
    counting = stock.open_count(service.unit)
    page = None
    if counting is None:
        paginator = Paginator(stock.card_movements(service.unit, item, lot=lot), PAGE_SIZE)
        number = request.GET.get("page") or (paginator.num_pages if paginator.count else 1)  # latest page first
        page = paginator.get_page(number)
    return render(request, "alokon/stock_card.html", {
        "service": service,
        "counting": counting,
        "item": item,
        "lot": lot,
        "lots": Lot.objects.filter(item=item).order_by("expiry_date", "number"),
        "page": page,
        "is_storekeeper": _holds(request.user, service, [Role.STOREKEEPER]),
        "reverse_form": reverse_form,
        "reversing": reversing,
    }, status=status)


@require_GET
@login_required
def stock_card_pdf(request, item):
    service = _warehouse(request)
    item, lot = _card_filter(request)
    _refuse_printing_while_counting(service)
    year = _int(request.GET.get("tahun")) or timezone.localdate().year
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404(_("Tahun tidak dikenali."))
    name = f"kartu-stok-{item.code}-{year}" + (f"-lot-{lot.number}" if lot else "")
    return pdf_response(
        documents.stock_card_pdf(service.unit, item, lot, year=year, printed_by=request.user), name
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def receipt_new(request):
    service = _warehouse(request)
    if not _holds(request.user, service, [Role.STOREKEEPER]):
        raise PermissionDenied(_("Penerimaan dicatat oleh pengelola barang."))
    form = ReceiptPostForm(request.POST or None, initial={"received_on": timezone.localdate()})
    lines = ReceiptLineFormSet(request.POST or None, prefix="baris")
    if request.method == "POST":
        token = submission_token(form.data.get("submission"))
        saved = Receipt.objects.filter(warehouse=service.unit, submission=token).first() if token else None
        if saved is not None:
            messages.info(request, _("Penerimaan ini sudah tersimpan sebelumnya; tidak dicatat dua kali."))
            return redirect(f"{reverse('alokon:stock')}?layanan={service.slug}")
        if form.is_valid() and lines.is_valid():
            try:
                receipt = ledger.receipt_post(
                    warehouse=service.unit, actor=request.user,
                    received_on=form.cleaned_data["received_on"],
                    source_document=form.cleaned_data["source_document"],
                    supplier=form.cleaned_data["supplier"], funding=form.cleaned_data["funding"],
                    lines=[line.cleaned_data for line in lines.forms if line.has_changed() and line.cleaned_data],
                    submission=form.cleaned_data["submission"],
                )
            except TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Penerimaan tercatat: %(number)s.") % {"number": receipt.number})
                return redirect(f"{reverse('alokon:stock')}?layanan={service.slug}")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
        status = 400
    else:
        status = 200
    return render(request, "alokon/receipt_new.html", {
        "service": service, "form": form, "lines": lines,
        "receipts": Receipt.objects.filter(warehouse=service.unit).select_related("posted_by")[:10],
    }, status=status)


@require_GET
@login_required
def receipt_pdf(request, pk):
    service = _warehouse(request)
    receipt = get_object_or_404(Receipt.objects.select_related("warehouse", "posted_by"), pk=pk,
                                warehouse=service.unit)
    return pdf_response(documents.sbbm_pdf(receipt), f"sbbm-{receipt.sequence}-{receipt.year}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def adjustment_new(request):
    service = _warehouse(request)
    if not _holds(request.user, service, [Role.STOREKEEPER]):
        raise PermissionDenied(_("Penyesuaian dicatat oleh pengelola barang."))
    lots = Lot.objects.filter(balances__warehouse=service.unit).select_related("item").distinct()
    form = AdjustmentForm(request.POST or None, lots=lots)
    if request.method == "POST":
        if form.is_valid():
            try:
                ledger.adjustment_post(
                    warehouse=service.unit, actor=request.user, lot=form.cleaned_data["lot"],
                    quantity=form.signed_quantity(), reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["occurred_on"], note=form.cleaned_data["note"],
                )
            except TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Penyesuaian tercatat."))
                return redirect(f"{reverse('alokon:stock')}?layanan={service.slug}")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai."))
        return render(request, "alokon/adjustment_new.html", {"service": service, "form": form}, status=400)
    return render(request, "alokon/adjustment_new.html", {"service": service, "form": form})


@login_required
@post_only(lambda request, pk: reverse("alokon:stock"))
def movement_reverse(request, pk):
    service = _warehouse(request)
    movement = get_object_or_404(
        Movement.objects.select_related("warehouse", "item"), pk=pk, warehouse=service.unit
    )
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            ledger.movement_reverse(movement, actor=request.user, note=form.cleaned_data["note"])
        except TransitionError as error:
            form.add_error("note", str(error))
        else:
            messages.success(request, _("Mutasi dibatalkan dengan mutasi pembalik."))
            return redirect(f"{reverse('alokon:stock_card', args=[movement.item_id])}?layanan={service.slug}")
    return _stock_card_page(request, service, movement.item, None, reverse_form=form, reversing=movement.pk, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def month_report(request):
    """The warehouse's month: opening, receipts, issues, returns, adjustments, closing; and closing the books."""
    service = _warehouse(request)
    today = timezone.localdate()
    month = parse_month(request.GET.get("bulan"), _last_month(today))
    form = PeriodCloseForm(request.POST or None, initial={"month": month})
    status = 400 if request.method == "POST" else 200  # a POST that comes back to the page was refused
    if request.method == "POST":
        if form.is_valid():
            try:
                ledger.period_close(warehouse=service.unit, month=form.cleaned_data["month"], actor=request.user)
            except TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Buku bulan %(month)s ditutup.") % {
                    "month": f"{form.cleaned_data['month']:%m-%Y}"})
                return redirect(f"{reverse('alokon:month')}?layanan={service.slug}&bulan={form.cleaned_data['month']:%Y-%m}")
        else:
            messages.error(request, next(iter(form.errors.values()))[0])
    counting = stock.open_count(service.unit)
    return render(request, "alokon/month.html", {
        "service": service,
        "month": month,
        "counting": counting,
        "rows": None if counting else stock.month_summary(service.unit, month),
        "closed": ClosedPeriod.objects.filter(warehouse=service.unit).select_related("closed_by")[:12],
        "closed_until": ledger.closed_until(service.unit),
        "form": form,
        "may_close": _holds(request.user, service, ledger.STOCK_ROLES + ledger.APPROVER_ROLES),
        "this_month": today.replace(day=1),
    }, status=status)


@require_GET
@login_required
def month_report_pdf(request):
    service = _warehouse(request)
    month = parse_month(request.GET.get("bulan"))
    if month is None:
        raise Http404(_("Bulan tidak dikenali."))
    _refuse_printing_while_counting(service)
    return pdf_response(
        documents.month_report_pdf(service.unit, month, printed_by=request.user), f"laporan-stok-{month:%Y-%m}"
    )


# The routine plan (1b).


def _plan(request, pk):
    service = _warehouse(request)
    plan = get_object_or_404(RoutinePlan.objects.select_related("service__unit"), pk=pk, service=service)
    return service, plan


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_list(request):
    service = _warehouse(request)
    form = PlanForm(request.POST or None, initial={"month": timezone.localdate().replace(day=1)})
    status = 400 if request.method == "POST" else 200  # a POST that comes back to the page was refused
    if request.method == "POST":
        if form.is_valid():
            facilities = list(Facility.objects.filter(unit=service.unit, is_active=True))
            try:
                plan = allocation.plan_propose(
                    service=service, actor=request.user, month=form.cleaned_data["month"],
                    facilities=facilities, items=list(Item.objects.filter(is_active=True)),
                    min_months=form.cleaned_data["min_months"], max_months=form.cleaned_data["max_months"],
                )
            except TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Usulan rencana dibuat; periksa dan ubah jumlahnya sebelum diajukan."))
                return redirect(f"{reverse('alokon:plan', args=[plan.pk])}?layanan={service.slug}")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai."))
    return render(request, "alokon/plans.html", {
        "service": service, "form": form,
        "plans": RoutinePlan.objects.filter(service=service).select_related("created_by")[:24],
        "is_storekeeper": _holds(request.user, service, [Role.STOREKEEPER]),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_detail(request, pk):
    service, plan = _plan(request, pk)
    lines = plan.lines.select_related("facility", "item")
    form = PlanLinesForm(request.POST or None, lines=lines, usable=stock.usable_by_item(service.unit))
    status = 400 if request.method == "POST" else 200  # a POST that comes back to the page was refused
    if request.method == "POST":
        if form.is_valid():
            try:
                created = allocation.plan_submit(plan, actor=request.user, quantities=form.quantities())
            except TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Rencana diajukan: %(count)d penyaluran menunggu SPMB.") % {"count": len(created)})
                return redirect(f"{reverse('alokon:plan', args=[plan.pk])}?layanan={service.slug}")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai."))
    distributions = list(plan.distributions.select_related("facility").order_by("facility__name"))
    return render(request, "alokon/plan.html", {
        "service": service, "plan": plan, "form": form, "distributions": distributions,
        "is_storekeeper": _holds(request.user, service, [Role.STOREKEEPER]),
        "is_head": _holds(request.user, service, [Role.HEAD]),
        "waiting_spmb": sum(d.status == "spmb" for d in distributions),
        "waiting_sbbk": sum(d.status == "packing" for d in distributions),
    }, status=status)


# A reload of the address a plan's bulk step was posted to: back to the plan.
plan_write = post_only(lambda request, pk: reverse("alokon:plan", args=[pk]))


@login_required
@plan_write
def plan_spmb(request, pk):
    """The Sekretaris approves every SPMB of the plan as planned."""
    service, plan = _plan(request, pk)
    approved, refused = allocation.spmb_approve_plan(plan, actor=request.user)
    _report_many(request, approved, refused, _("%(count)d SPMB disetujui."))
    return redirect(f"{reverse('alokon:plan', args=[plan.pk])}?layanan={service.slug}")


@login_required
@plan_write
def plan_sbbk(request, pk):
    """The storekeeper issues every SBBK of the plan in one go."""
    service, plan = _plan(request, pk)
    waiting = plan.distributions.filter(status="packing").select_related("service__unit", "facility", "unit")
    issued, refused = dispatch.sbbk_issue_many(list(waiting), actor=request.user)
    _report_many(request, issued, refused, _("%(count)d SBBK terbit."))
    return redirect(f"{reverse('alokon:plan', args=[plan.pk])}?layanan={service.slug}")


def _report_many(request, done, refused, success):
    if done:
        messages.success(request, success % {"count": len(done)})
    for distribution, message in refused[:10]:
        messages.error(request, f"{distribution.facility.name}: {message}")
    if not done and not refused:
        messages.info(request, _("Tidak ada yang menunggu langkah ini."))


@require_GET
@login_required
def plan_pdf(request, pk):
    _service, plan = _plan(request, pk)
    return pdf_response(documents.plan_pdf(plan), f"rencana-distribusi-{plan.month:%Y-%m}-{plan.pk}")


# Physical count (stock opname).


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def count_list(request):
    service = _warehouse(request)
    status = 200
    if request.method == "POST":
        status = 400  # unless started below
        try:
            count = ledger.count_start(warehouse=service.unit, actor=request.user, on=timezone.localdate())
        except TransitionError as error:
            _refused(request, error)
        else:
            return redirect(f"{reverse('alokon:count', args=[count.pk])}?layanan={service.slug}")
    return render(request, "alokon/counts.html", {
        "service": service,
        "counts": StockCount.objects.filter(warehouse=service.unit).select_related("started_by", "approved_by")[:24],
        "is_storekeeper": _holds(request.user, service, [Role.STOREKEEPER]),
    }, status=status)


def _count(request, pk):
    service = _warehouse(request)
    return service, get_object_or_404(StockCount.objects.select_related("warehouse"), pk=pk, warehouse=service.unit)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def count_detail(request, pk):
    service, count = _count(request, pk)
    lines = list(count.lines.select_related("lot__item"))
    counting = count.status == StockCount.Status.COUNTING
    form_class = CountForm if counting else CountApproveForm
    form = form_class(request.POST or None, lines=lines)
    status = 400 if request.method == "POST" else 200  # a POST that comes back to the page was refused
    if request.method == "POST" and count.status != StockCount.Status.APPROVED:
        if form.is_valid():
            try:
                if counting:
                    ledger.count_submit(count, actor=request.user, counted=form.counted())
                else:
                    ledger.count_approve(count, actor=request.user, reasons=form.reasons())
            except TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Hasil hitung diajukan.") if counting else _("Selisih dibukukan."))
                return redirect(f"{reverse('alokon:count', args=[count.pk])}?layanan={service.slug}")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai."))
    return render(request, "alokon/count.html", {
        "service": service, "count": count, "form": form, "lines": lines,
        "received_after": stock.received_after(count),
        # Blind: the book figures appear only once the count is submitted.
        "show_book": not counting,
        "may_count": counting and _holds(request.user, service, [Role.STOREKEEPER]),
        "may_approve": count.status == StockCount.Status.SUBMITTED and _holds(request.user, service, [Role.HEAD]),
    }, status=status)


@require_GET
@login_required
def count_pdf(request, pk):
    _service, count = _count(request, pk)
    return pdf_response(documents.count_pdf(count, printed_by=request.user), f"stok-opname-{count.counted_on:%Y-%m-%d}")


# The faskes' monthly reports, and the month's figures for New SIGA.


@require_safe
@login_required
def report_list(request):
    facilities = Facility.objects.handled_by(request.user)
    warehouse_services = _warehouse_services(request.user)
    if not facilities.exists() and not warehouse_services:
        raise PermissionDenied(_("Laporan bulanan untuk faskes, UPTD P5A dan gudang alokon."))
    today = timezone.localdate()
    month = parse_month(request.GET.get("bulan"), _last_month(today))
    reports = MonthlyReport.objects.filter(facility__in=facilities, month=month).select_related("facility")
    by_facility = {report.facility_id: report for report in reports}
    rows = [(facility, by_facility.get(facility.pk)) for facility in facilities.order_by("name")[:500]]
    acted_for = set(Facility.objects.acted_for(request.user).values_list("pk", flat=True))
    return render(request, "alokon/reports.html", {
        "month": month, "rows": rows, "last_month": _last_month(today),
        "may_report": month_end(month) < today,
        "acted_for": acted_for,
        "warehouse": bool(warehouse_services),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_new(request, facility, month):
    facility = get_object_or_404(Facility.objects.acted_for(request.user), pk=facility)
    month = parse_month(month)
    if month is None:
        raise Http404(_("Bulan tidak dikenali."))
    existing = MonthlyReport.objects.filter(facility=facility, month=month).first()
    if existing is not None:
        return redirect("alokon:report", existing.pk)
    rows, first = usage.report_prefill(facility, month)
    form = ReportForm(request.POST or None, stock_rows=rows, first=first)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = usage.report_submit(
                    facility=facility, month=month, actor=request.user, used=form.used(), services=form.services(),
                    coordination_note=form.cleaned_data["coordination_note"], opening=form.opening(),
                )
            except TransitionError as error:
                existing = MonthlyReport.objects.filter(facility=facility, month=month).first()
                if existing is not None:  # the same report, sent by a click a moment earlier
                    return redirect("alokon:report", existing.pk)
                _refused(request, error)
            else:
                messages.success(request, _("Laporan bulanan terkirim."))
                return redirect("alokon:report", report.pk)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
        status = 400
    return render(request, "alokon/report_new.html", {
        "facility": facility, "month": month, "form": form, "due_on": MonthlyReport(month=month).due_on,
    }, status=status)


@require_safe
@login_required
def report_detail(request, pk):
    report = get_object_or_404(
        MonthlyReport.objects.filter(facility__in=Facility.objects.handled_by(request.user))
        .select_related("facility", "submitted_by"),
        pk=pk,
    )
    return render(request, "alokon/report.html", {
        "report": report,
        "stock": report.stock.select_related("item"),
        "services": report.services.all(),
    })


@require_GET
@login_required
def siga_xlsx(request):
    """The month's faskes reports in New SIGA's layout: a row per faskes, methods then items."""
    service = _warehouse(request)
    month = parse_month(request.GET.get("bulan"))
    if month is None:
        raise Http404(_("Bulan tidak dikenali."))
    return xlsx_response(siga.month_xlsx(service.unit, month), f"new-siga-{month:%Y-%m}")
