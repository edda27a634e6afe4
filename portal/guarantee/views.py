"""The guarantee's pages: the reason and the decision, sent from a record's page (the workflow panel's section,
templatetags.guarantee), and the register of a service and quarter with its PDF."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from portal.access import get_record_or_404
from portal.guarantee import documents, policy, selectors, services
from portal.guarantee.forms import DecisionForm, ReasonForm
from portal.models import sop_models
from portal.pdf import pdf_response
from portal import periods
from portal.views import post_only
from portal.workflow import TransitionError

ANCHOR = "melewati-standar"
# The session's key for a refused form of the section, shown again as typed (templatetags.guarantee).
REFUSED = "guarantee_refused"


def _record(request, app, pk):
    model = sop_models().get(app)
    if model is None:
        raise Http404(_("Layanan tidak dikenal."))
    return get_record_or_404(request, model, pk)


def _record_page(request, app, pk):
    return _record(request, app, pk).get_absolute_url()


def _write(request, record, name, form, write, success):
    """Write a part of the record's section; refused, the record's page comes back with the form `name` as typed
    and the reasons beside its fields (templatetags.guarantee reads it from the session once): the section is on
    every app's record page, which only the app renders."""
    refusal = ""
    if not form.is_valid():
        refusal = " ".join(str(error) for errors in form.errors.values() for error in errors)
    else:
        try:
            write(form.cleaned_data)
        except TransitionError as error:
            refusal = str(error)
    if refusal:
        messages.error(request, refusal)
        typed = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
        request.session[REFUSED] = {"record": policy.record_label(record), "form": name, "data": typed}
    else:
        messages.success(request, success)
    return redirect(f"{record.get_absolute_url()}#{ANCHOR}")


@login_required
@post_only(_record_page)
def reason(request, app, pk):
    record = _record(request, app, pk)
    return _write(
        request, record, "reason", ReasonForm(request.POST),
        lambda data: services.reason_record(record, reason=data["reason"], actor=request.user),
        _("Alasan melewati standar waktu tersimpan."),
    )


@login_required
@post_only(_record_page)
def decision(request, app, pk):
    record = _record(request, app, pk)
    return _write(
        request, record, "decision", DecisionForm(request.POST),
        lambda data: services.compensation_decide(record, data=data, actor=request.user),
        _("Keputusan kompensasi tersimpan."),
    )


def _report(request):
    """The service and quarter asked (portal.periods.report_request): 403 for whom reads no register."""
    if not selectors.reads_any(request.user):
        raise PermissionDenied(_("Register jaminan pelayanan dibaca oleh petugas dan pimpinan layanan."))
    return periods.report_request(request.GET, selectors.register_services(request.user))


@require_safe
@login_required
def register(request):
    """The records of a service due in a quarter that missed their standard (?layanan=<slug>&periode=2026-Q4)."""
    report = _report(request)
    service, quarter = report.service, report.quarter
    if report.error:
        messages.error(request, report.error)
    query = urlencode({"layanan": service.slug, "periode": quarter.code}) if service else ""
    return render(request, "guarantee/register.html", {
        "register": selectors.register(service, quarter, request.user) if service else None,
        "service": service,
        "services": report.services,
        "quarter": quarter,
        "quarters": report.quarters,
        "pdf_url": f"{reverse('guarantee:register_pdf')}?{query}",
    })


@require_GET
@login_required
def register_pdf(request):
    report = _report(request)
    if report.error or report.service is None:
        # The page links only the period it shows: another file under a name the user did not ask for would mislead.
        raise Http404(report.error or _("Layanan tidak dikenal."))
    register = selectors.register(report.service, report.quarter, request.user)
    return pdf_response(documents.register_pdf(register), documents.register_file_stem(register))
