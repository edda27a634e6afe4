"""The distributions: their list, and each one's page, where its steps are taken (portal.views.record_page), with
its SPMB and SBBK printed."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from alokon import documents, stock
from alokon.models import Distribution, Monitoring, Movement
from alokon.views import scoping
from alokon.views.scoping import PAGE_SIZE
from portal.access import get_record_or_404
from portal.models import access_for
from portal.pagination import BoundedPaginator
from portal.pdf import pdf_response
from portal.selectors import WAITING_QUERY
from portal.views import list_query, record_page

WAITING_KEY, WAITING_VALUE = WAITING_QUERY.split("=")


@require_safe
@login_required
def distribution_list(request):
    alokon_services = scoping.alokon_services(request.user)
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
    page = BoundedPaginator(rows.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    start_services = [s for s in alokon_services if Distribution.may_start(s, request.user)]
    return render(request, "alokon/distribution_list.html", {
        "page": page,
        "query": list_query(request),
        "status": status,
        "waiting": waiting,
        "waiting_query": WAITING_QUERY,
        "statuses": Distribution.workflow.status_choices,
        "start_services": start_services,
        "has_warehouse": bool(scoping.warehouse_services(request.user)),
    })


def _distribution(request, pk):
    return get_record_or_404(request, Distribution, pk, select_related=("service__unit", "unit", "facility__kecamatan"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def distribution_detail(request, pk):
    """The distribution's page, where its steps are taken through the step form at the top
    (portal.views.record_page)."""
    distribution = _distribution(request, pk)
    return record_page(request, distribution, lambda *, step_form, status: _detail(
        request, distribution, step_form=step_form, status=status
    ))


def _detail(request, distribution, *, step_form, status):
    issues = list(
        distribution.movements.filter(kind=Movement.Kind.ISSUE).select_related("lot__item", "confirmation")
    )
    context = {
        "distribution": distribution,
        "step_form": step_form,
        "lines": list(distribution.lines.select_related("item")),
        "issues": issues,
        "returns": list(distribution.movements.exclude(kind=Movement.Kind.ISSUE).select_related("lot__item")),
        "monitoring": Monitoring.objects.filter(distribution=distribution).first(),
    }
    if distribution.status == "packing":
        # While the warehouse is counted the SBBK waits (Step.hold): the way to the count.
        context["counting"] = stock.open_count(distribution.service.unit)
    return render(request, "alokon/distribution.html", context, status=status)


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
