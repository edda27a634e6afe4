"""The evaluation of a service and quarter (?layanan=<slug>&periode=2026-Q4): its figures, the draft the heads
write, the signature by the signer the service's standard names, the signed ones; its XLSX. The figures' PDF is
made off the request (portal.evaluation.documents.DOWNLOADS, portal.downloads)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from portal import periods
from portal.evaluation import documents, policy, services
from portal.evaluation.figures import quarter_figures
from portal.evaluation.forms import EvaluationForm
from portal.evaluation.models import Evaluation
from portal.exports import xlsx_response
from portal.workflow import TransitionError


def _report(request, data=None):
    """The service and quarter asked (portal.periods.report_request): 403 for whom evaluates nothing, 404 for a
    service they do not evaluate. `data`: a POST's fields instead of the query."""
    if not policy.evaluates_any(request.user):
        raise PermissionDenied(_("Evaluasi kinerja pelayanan ditulis dan dibaca oleh pimpinan layanan."))
    return periods.report_request(request.GET if data is None else data, policy.evaluated_services(request.user))


def _per_officer(data):
    return data.get("per_petugas") == "1"


def _query(service, quarter, per_officer=False):
    query = {"layanan": service.slug, "periode": quarter.code}
    if per_officer:
        query["per_petugas"] = "1"
    return urlencode(query)


def _page(request, report, *, refused=None):
    """The page of the service and quarter of `report`. `refused`: the fields of a form sent back, shown as typed
    at the draft's version now (sending it again after reading is a deliberate overwrite), beside the text someone
    saved meanwhile."""
    service, quarter = report.service, report.quarter
    context = {"service": service, "services": report.services, "quarter": quarter, "quarters": report.quarters}
    if service is not None:
        per_officer = _per_officer(request.GET if refused is None else refused)
        evaluations = list(Evaluation.objects.filter(service=service, period=quarter.code).select_related("service"))
        draft = next((e for e in evaluations if not e.is_signed), None)
        form = EvaluationForm.for_draft(draft)
        if refused is not None:
            form = EvaluationForm({
                "findings": refused.get("findings", ""), "follow_up": refused.get("follow_up", ""),
                "version": form.initial["version"],
            })
        query = _query(service, quarter)
        context.update({
            "figures": quarter_figures(service, quarter, request.user, per_officer=per_officer),
            "per_officer": per_officer,
            "rule": policy.rule_of(service),
            "signer_words": policy.signer_words(service),
            "may_sign": policy.signs(request.user, service),
            "draft": draft,
            "saved_meanwhile": draft if refused is not None and draft and str(draft.version) != refused.get("version") else None,
            "signed": [e for e in evaluations if e.is_signed],
            "form": form,
            "query": query,
            "officer_url": f"{reverse('evaluation:index')}?{_query(service, quarter, not per_officer)}",
            "xlsx_url": f"{reverse('evaluation:xlsx')}?{_query(service, quarter, per_officer)}",
        })
    return render(request, "evaluation/index.html", context, status=400 if refused is not None else 200)


@require_safe
@login_required
def index(request):
    report = _report(request)
    if report.error:
        messages.error(request, report.error)
    return _page(request, report)


def _posted(request):
    report = _report(request, request.POST)
    if report.error or report.service is None:
        raise Http404(report.error or _("Layanan tidak dikenal."))
    return report


def _write(request, write, success):
    """Save or sign the form posted; refused, the page comes back with the text as typed and the reason."""
    report = _posted(request)
    form = EvaluationForm(request.POST)
    refusal = ""
    if not form.is_valid():
        refusal = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            write(report, form.cleaned_data)
        except TransitionError as error:
            refusal = str(error)
    if refusal:
        messages.error(request, refusal)
        return _page(request, report, refused=request.POST)
    messages.success(request, success)
    return redirect(f"{reverse('evaluation:index')}?{_query(report.service, report.quarter, _per_officer(request.POST))}")


@require_POST
@login_required
def save(request):
    return _write(request, lambda report, data: services.evaluation_save(
        service=report.service, quarter=report.quarter, findings=data["findings"], follow_up=data["follow_up"],
        version=data["version"], actor=request.user,
    ), _("Draf evaluasi tersimpan."))


@require_POST
@login_required
def sign(request):
    return _write(request, lambda report, data: services.evaluation_sign(
        service=report.service, quarter=report.quarter, findings=data["findings"], follow_up=data["follow_up"],
        version=data["version"], actor=request.user, per_officer=_per_officer(request.POST),
    ), _("Evaluasi ditandatangani dan disimpan. Evaluasi baru dapat dimulai."))


def _asked(request):
    report = _report(request)
    if report.error or report.service is None:
        # The page links only the period it shows: another file under a name the user did not ask for would mislead.
        raise Http404(report.error or _("Layanan tidak dikenal."))
    return report, quarter_figures(report.service, report.quarter, request.user, per_officer=_per_officer(request.GET))


@require_GET
@login_required
def xlsx(request):
    report, figures = _asked(request)
    return xlsx_response(documents.evaluation_xlsx(figures), documents.file_stem(report.service, report.quarter))


@require_GET
@login_required
def signed_pdf(request, pk):
    """A signed evaluation's PDF as it was signed, to whom evaluates its service."""
    if not policy.evaluates_any(request.user):
        raise PermissionDenied(_("Evaluasi kinerja pelayanan ditulis dan dibaca oleh pimpinan layanan."))
    services_read = policy.evaluated_services(request.user)
    evaluation = get_object_or_404(
        Evaluation, pk=pk, status=Evaluation.Status.SIGNED, service__in=[s.pk for s in services_read]
    )
    if not evaluation.pdf:
        raise Http404
    return FileResponse(
        evaluation.pdf.open("rb"), as_attachment=True, content_type="application/pdf",
        filename=f"evaluasi-kinerja-{evaluation.service.slug}-{evaluation.period}-{evaluation.pk}.pdf",
    )
