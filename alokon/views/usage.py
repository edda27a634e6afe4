"""Use at the faskes: the monthly reports (steps 7-9) and the month's figures for New SIGA."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from alokon import siga
from alokon.forms import ReportForm, parse_month
from alokon.models import Facility, MonthlyReport, month_end
from alokon.services import usage
from alokon.views import scoping
from portal.exports import xlsx_response
from portal.workflow import TransitionError


@require_safe
@login_required
def report_list(request):
    facilities = Facility.objects.handled_by(request.user)
    warehouse_services = scoping.warehouse_services(request.user)
    if not facilities.exists() and not warehouse_services:
        raise PermissionDenied(_("Laporan bulanan untuk faskes, UPTD P5A dan gudang alokon."))
    today = timezone.localdate()
    month = parse_month(request.GET.get("bulan"), scoping.last_month(today))
    reports = MonthlyReport.objects.filter(facility__in=facilities, month=month).select_related("facility")
    by_facility = {report.facility_id: report for report in reports}
    rows = [(facility, by_facility.get(facility.pk)) for facility in facilities.order_by("name")[:500]]
    acted_for = set(Facility.objects.acted_for(request.user).values_list("pk", flat=True))
    return render(request, "alokon/reports.html", {
        "month": month, "rows": rows, "last_month": scoping.last_month(today),
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
                scoping.refused(request, error)
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
    service, month = scoping.warehouse_month(request)
    return xlsx_response(siga.month_xlsx(service.unit, month), f"new-siga-{month:%Y-%m}")
