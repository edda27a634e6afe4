"""The warehouse's pages: its dashboard and books (stock, stock card, receipts, adjustments, reversals, the month
and its close, the physical count). While a count is open they show no book figure (alokon.stock.open_count)."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from alokon import documents, selectors, stock
from alokon.forms import (
    AdjustmentForm,
    CountApproveForm,
    CountForm,
    PeriodCloseForm,
    ReceiptLineFormSet,
    ReceiptPostForm,
    ReverseForm,
    parse_month,
)
from alokon.models import (
    ClosedPeriod,
    Distribution,
    Item,
    Lot,
    Movement,
    Receipt,
    StockCount,
)
from alokon.services import ledger
from alokon.views import scoping
from alokon.views.scoping import PAGE_SIZE
from portal.clock import add_months
from portal.forms import submission_token
from portal.pdf import pdf_response
from portal.roles import Role
from portal.views import post_only
from portal.workflow import TransitionError


@require_safe
@login_required
def dashboard(request):
    if not scoping.warehouse_services(request.user):
        if scoping.alokon_services(request.user):  # a faskes or a UPTD P5A: its distributions
            return redirect("alokon:distributions")
        raise PermissionDenied(_("Anda tidak memiliki peran pada layanan alokon."))
    service = scoping.warehouse(request)
    warehouse = service.unit
    today = timezone.localdate()
    counting = stock.open_count(warehouse)
    lots = stock.lots_on_hand(warehouse, today=today)
    open_distributions = (
        Distribution.objects.visible_to(request.user).open().filter(service=service)
        .select_related("facility", "unit").order_by("due_at", "step_due_at", "pk")
    )
    return render(request, "alokon/dashboard.html", {
        "service": service,
        "services": scoping.warehouse_services(request.user),
        "counting": counting,
        "items": None if counting else stock.stock_by_item(warehouse, today=today),
        "expired": [b for b in lots if b.expired],
        "near_expiry": [b for b in lots if b.near_expiry],
        "open_distributions": open_distributions[:20],
        "open_count": open_distributions.count(),
        "not_reported": selectors.not_reported(scoping.last_month(today))
        .filter(unit=warehouse).select_related("kecamatan")[:50],
        "last_month": scoping.last_month(today),
        "stockout_risk": selectors.stockout_risk(warehouse, today=today),
        "risk_months": selectors.RISK_MONTHS,
        "use_reports": selectors.USE_REPORTS,
        "is_storekeeper": scoping.holds(request.user, service, [Role.STOREKEEPER]),
        "warning_months": settings.ALOKON_EXPIRY_WARNING_MONTHS,
    })


@require_safe
@login_required
def stock_lots(request):
    service = scoping.warehouse(request)
    return render(request, "alokon/stock.html", {
        "service": service,
        "counting": stock.open_count(service.unit),
        "lots": stock.lots_on_hand(service.unit),
        "items": Item.objects.filter(is_active=True),
        "is_storekeeper": scoping.holds(request.user, service, [Role.STOREKEEPER]),
        "closed_until": ledger.closed_until(service.unit),
    })


def _refuse_printing_while_counting(service):
    count = stock.open_count(service.unit)
    if count is not None:
        raise PermissionDenied(
            _("Angka buku tidak dicetak selama stok opname %(date)s berlangsung; cetak setelah hasil hitungnya "
              "diajukan.") % {"date": date_format(count.counted_on, "j F Y")}
        )


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


# The stock card goes back no further: an older ?bulan= is a mistyped one.
FIRST_CARD_MONTH = datetime.date(2000, 1, 1)


def _card_month(request):
    """The month of the stock card (?bulan=YYYY-MM), this month without one; 404 for one not yet begun, one before
    2000 or a malformed one."""
    this_month = timezone.localdate().replace(day=1)
    value = request.GET.get("bulan")
    month = parse_month(value) if value else this_month
    if month is None or not FIRST_CARD_MONTH <= month <= this_month:
        raise Http404(_("Bulan tidak dikenali: kartu stok dibuka per bulan, dari Januari 2000 sampai bulan ini."))
    return month


@require_safe
@login_required
def stock_card(request, item):
    service = scoping.warehouse(request)
    item, lot = _card_filter(request)
    return _stock_card_page(request, service, item, lot, month=_card_month(request), number=request.GET.get("page"))


def _stock_card_page(request, service, item, lot, *, month, number=None, reverse_form=None, reversing=None,
                     status=200):
    """The stock card of one month, opening on its latest rows, with the balance carried from the month before:
    what it reads does not grow with the years of ledger. `reverse_form`: a refused reversal of movement
    `reversing`, shown again as typed on page `number`."""
    counting = stock.open_count(service.unit)
    page = opening = None
    months, parts = [], []
    if counting is None:
        card = stock.card_movements(service.unit, item, lot=lot, month=month)
        paginator = Paginator(card, PAGE_SIZE)
        page = paginator.get_page(number or paginator.num_pages)  # the month's latest rows first
        opening, parts = card.opening, documents.stock_card_parts(paginator.count)
        months = _card_months(service.unit, item, lot, month)
    card_query = {"layanan": service.slug, **({"lot": lot.pk} if lot else {})}
    return render(request, "alokon/stock_card.html", {
        "service": service,
        "counting": counting,
        "item": item,
        "lot": lot,
        "lots": stock.card_lots(service.unit, item, month, chosen=lot),
        "month": month,
        "months": months,
        "previous_month": add_months(month, -1) if months and month > months[-1] else None,
        "next_month": add_months(month, 1) if months and month < months[0] else None,
        "opening": opening,
        "page": page,
        "parts": parts,
        "card_query": urlencode(card_query),
        "query": urlencode({**card_query, "bulan": f"{month:%Y-%m}"}),
        "is_storekeeper": scoping.holds(request.user, service, [Role.STOREKEEPER]),
        "reverse_form": reverse_form,
        "reversing": reversing,
    }, status=status)


def _card_months(warehouse, item, lot, month):
    """The months the card may be opened on, newest first: from this month back to that of its first movement
    (or to `month`, if earlier)."""
    this_month = timezone.localdate().replace(day=1)
    first = stock.card_ledger(warehouse, item, lot=lot).order_by("occurred_on").values_list("occurred_on").first()
    oldest = min(month, first[0].replace(day=1) if first else this_month)
    count = (this_month.year - oldest.year) * 12 + this_month.month - oldest.month + 1
    return [add_months(this_month, -back) for back in range(count)]


@require_GET
@login_required
def stock_card_pdf(request, item):
    """The stock card of one month (?bulan=YYYY-MM, this month without one), in part ?bagian= of a long month."""
    service = scoping.warehouse(request)
    item, lot = _card_filter(request)
    _refuse_printing_while_counting(service)
    month = _card_month(request)
    part = _int(request.GET.get("bagian", 1))
    parts = len(documents.stock_card_parts(stock.card_ledger(service.unit, item, lot=lot, month=month).count()))
    if part is None or not 1 <= part <= parts:
        raise Http404(_("Bagian kartu stok tidak dikenali."))
    name = f"kartu-stok-{item.code}-{month:%Y-%m}" + (f"-lot-{lot.number}" if lot else "")
    name += f"-bagian-{part}" if parts > 1 else ""
    return pdf_response(documents.stock_card_pdf(
        service.unit, item, lot, month=month, part=part, printed_by=request.user
    ), name)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def receipt_new(request):
    service = scoping.warehouse(request)
    if not scoping.holds(request.user, service, [Role.STOREKEEPER]):
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
                scoping.refused(request, error)
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
    service = scoping.warehouse(request)
    receipt = get_object_or_404(Receipt.objects.select_related("warehouse", "posted_by"), pk=pk,
                                warehouse=service.unit)
    return pdf_response(documents.sbbm_pdf(receipt), f"sbbm-{receipt.sequence}-{receipt.year}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def adjustment_new(request):
    service = scoping.warehouse(request)
    if not scoping.holds(request.user, service, [Role.STOREKEEPER]):
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
                scoping.refused(request, error)
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
    service = scoping.warehouse(request)
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
    # The card shown again where the movement is: its month, the page of that month that lists it.
    month = movement.occurred_on.replace(day=1)
    before = stock.card_ledger(service.unit, movement.item, month=month).filter(
        Q(occurred_on__lt=movement.occurred_on) | Q(occurred_on=movement.occurred_on, id__lt=movement.pk)
    )
    return _stock_card_page(request, service, movement.item, None, month=month, number=before.count() // PAGE_SIZE + 1,
                            reverse_form=form, reversing=movement.pk, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def month_report(request):
    """The warehouse's month: opening, receipts, issues, returns, adjustments, closing; and closing the books."""
    service = scoping.warehouse(request)
    today = timezone.localdate()
    month = parse_month(request.GET.get("bulan"), scoping.last_month(today))
    form = PeriodCloseForm(request.POST or None, initial={"month": month})
    status = 400 if request.method == "POST" else 200  # a POST that comes back to the page was refused
    if request.method == "POST":
        if form.is_valid():
            try:
                ledger.period_close(warehouse=service.unit, month=form.cleaned_data["month"], actor=request.user)
            except TransitionError as error:
                scoping.refused(request, error)
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
        "may_close": scoping.holds(request.user, service, ledger.STOCK_ROLES + ledger.APPROVER_ROLES),
        "this_month": today.replace(day=1),
    }, status=status)


@require_GET
@login_required
def month_report_pdf(request):
    service, month = scoping.warehouse_month(request)
    _refuse_printing_while_counting(service)
    return pdf_response(
        documents.month_report_pdf(service.unit, month, printed_by=request.user), f"laporan-stok-{month:%Y-%m}"
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def count_list(request):
    service = scoping.warehouse(request)
    status = 200
    if request.method == "POST":
        status = 400  # unless started below
        try:
            count = ledger.count_start(warehouse=service.unit, actor=request.user, on=timezone.localdate())
        except TransitionError as error:
            scoping.refused(request, error)
        else:
            return redirect(f"{reverse('alokon:count', args=[count.pk])}?layanan={service.slug}")
    return render(request, "alokon/counts.html", {
        "service": service,
        "counts": StockCount.objects.filter(warehouse=service.unit).select_related("started_by", "approved_by")[:24],
        "is_storekeeper": scoping.holds(request.user, service, [Role.STOREKEEPER]),
    }, status=status)


def _count(request, pk):
    service = scoping.warehouse(request)
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
                scoping.refused(request, error)
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
        "may_count": counting and scoping.holds(request.user, service, [Role.STOREKEEPER]),
        "may_approve": count.status == StockCount.Status.SUBMITTED and scoping.holds(request.user, service, [Role.HEAD]),
    }, status=status)


@require_GET
@login_required
def count_pdf(request, pk):
    _service, count = _count(request, pk)
    return pdf_response(documents.count_pdf(count, printed_by=request.user), f"stok-opname-{count.counted_on:%Y-%m-%d}")
