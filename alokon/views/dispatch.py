"""The distributions: their list, and each one's page, where its steps are taken (portal.views.record_page), with
its SPMB and SBBK printed."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from alokon import documents, stock
from alokon.models import Distribution, Monitoring, Movement
from alokon.services import ledger
from alokon.views import scoping
from alokon.views.scoping import PAGE_SIZE
from portal.access import get_record_or_404
from portal.models import access_for
from portal.pdf import pdf_response
from portal.selectors import WAITING_QUERY
from portal.services import available_transitions
from portal.views import list_query, record_page
from portal.workflow import TransitionError

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
    page = Paginator(rows.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
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
