"""What a faskes is given: the request page (1a) and the routine plan for many faskes (1b), with its SPMBs and SBBKs
in one go. The SPMB of one distribution is taken on its page (alokon.views.dispatch)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alokon import documents, stock
from alokon.forms import PlanForm, PlanLinesForm, RequestForm
from alokon.models import Distribution, Facility, Item, RoutinePlan
from alokon.services import allocation, dispatch
from alokon.views import scoping
from portal.forms import submission_token
from portal.models import Service
from portal.pdf import pdf_response
from portal.roles import Role
from portal.views import post_only
from portal.workflow import TransitionError


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
                scoping.refused(request, error)
            else:
                messages.success(request, _("Permintaan terkirim dan menunggu SPMB."))
                return redirect(distribution)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."))
        return render(request, "alokon/request.html", {"service": service, "form": form}, status=400)
    return render(request, "alokon/request.html", {"service": service, "form": form})


def _plan(request, pk):
    service = scoping.warehouse(request)
    plan = get_object_or_404(RoutinePlan.objects.select_related("service__unit"), pk=pk, service=service)
    return service, plan


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_list(request):
    service = scoping.warehouse(request)
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
                scoping.refused(request, error)
            else:
                messages.success(request, _("Usulan rencana dibuat; periksa dan ubah jumlahnya sebelum diajukan."))
                return redirect(f"{reverse('alokon:plan', args=[plan.pk])}?layanan={service.slug}")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai."))
    return render(request, "alokon/plans.html", {
        "service": service, "form": form,
        "plans": RoutinePlan.objects.filter(service=service).select_related("created_by")[:24],
        "is_storekeeper": scoping.holds(request.user, service, [Role.STOREKEEPER]),
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
                scoping.refused(request, error)
            else:
                messages.success(request, _("Rencana diajukan: %(count)d penyaluran menunggu SPMB.") % {"count": len(created)})
                return redirect(f"{reverse('alokon:plan', args=[plan.pk])}?layanan={service.slug}")
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai."))
    distributions = list(plan.distributions.select_related("facility").order_by("facility__name"))
    return render(request, "alokon/plan.html", {
        "service": service, "plan": plan, "form": form, "distributions": distributions,
        "is_storekeeper": scoping.holds(request.user, service, [Role.STOREKEEPER]),
        "is_head": scoping.holds(request.user, service, [Role.HEAD]),
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
