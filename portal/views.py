from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal import documents, selectors, services
from portal.models import Decree, Service
from portal.pdf import cached_pdf, pdf_response
from portal.workflow import TransitionError, registered_workflows


@login_required
def home(request):
    return render(request, "portal/home.html", {"services": selectors.services_for(request.user)})


def fire_transition(request, record, *, redirect_to):
    """Fire the transition a workflow panel posted, for an app's thin view.

    The app's view fetches the record through its unit-scoped helper first and
    decorates itself with require_POST and login_required.
    """
    name = request.POST.get("transition", "")
    expected_status = request.POST.get("expected_status", "")
    note = request.POST.get("note", "").strip()[:2000]
    try:
        services.transition_fire(record, name=name, actor=request.user, expected_status=expected_status, note=note)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Langkah tersimpan."))
    return redirect(redirect_to)


# The published documents (UU 25/2009): open to everyone, no login. A `?versi=<ISO date-time>`
# shows a document as it stood then; see portal.documents.


def _versioned(request, build, *args):
    """(build(*args, moment), note) for the `?versi=` moment; the current version, with a note, when there is none."""
    value = request.GET.get("versi", "")
    try:
        moment = documents.parse_moment(value)
    except documents.InvalidVersion:
        return build(*args), _("Versi “%(value)s” tidak dikenali; yang ditampilkan versi terkini.") % {"value": value[:40]}
    if moment is None:
        return build(*args), ""
    try:
        return build(*args, moment), ""
    except ObjectDoesNotExist:
        when = date_format(timezone.localtime(moment), "j F Y H.i")
        return build(*args), _("Dokumen ini belum ada pada %(when)s WIB; yang ditampilkan versi terkini.") % {"when": when}


def _version_links(context):
    """The context's moment and change moments as `?versi=` query strings for links."""
    moment = context["moment"]
    return {
        "version_query": f"?{urlencode({'versi': documents.version_param(moment)})}" if moment else "",
        "change_links": [
            (change, f"?{urlencode({'versi': documents.version_param(change)})}") for change in context["changes"]
        ],
        "current_change": context["changes"][-1] if context["changes"] else None,
    }


def _versioned_pdf(request, *, key, stem, version, render, missing):
    """A published sheet as PDF, as of `?versi=`, from the cache for its version."""
    try:
        moment = documents.parse_moment(request.GET.get("versi", ""))
    except documents.InvalidVersion:
        raise Http404(_("Versi tidak dikenali."))
    sheet_version = version(moment)
    try:
        pdf = cached_pdf(key, sheet_version.key, lambda: render(moment))
    except ObjectDoesNotExist:
        raise Http404(missing)
    name = stem
    if moment and sheet_version.changed_at:
        name = f"{stem}-versi-{timezone.localtime(sheet_version.changed_at):%Y%m%d-%H%M}"
    return pdf_response(pdf, name)


def _public_service(slug):
    return get_object_or_404(Service.objects.select_related("unit"), slug=slug)


@require_safe
def public_index(request):
    return render(request, "portal/public/index.html", {"agencies": documents.public_agencies()})


@require_safe
def public_standard(request, slug):
    service = _public_service(slug)
    context, note = _versioned(request, documents.standard_context, service)
    return render(request, "portal/public/standard.html", {
        **context, **_version_links(context), "version_note": note, "agency": service.unit.letterhead_unit(),
    })


@require_safe
def public_standard_pdf(request, slug):
    service = _public_service(slug)
    return _versioned_pdf(
        request,
        key=f"public:standard:{slug}",
        stem=f"standar-pelayanan-{slug}",
        version=lambda moment: documents.standard_version(service, moment),
        render=lambda moment: documents.render_standard_pdf(service, moment),
        missing=_("Standar pelayanan ini belum ada pada versi itu."),
    )


def _sop_context(service, moment=None):
    try:
        return documents.sop_context(service, moment)
    except ObjectDoesNotExist:
        if moment:
            raise
        raise Http404(_("Layanan ini belum memiliki lembar SOP."))


@require_safe
def public_sop(request, slug):
    service = _public_service(slug)
    context, note = _versioned(request, _sop_context, service)
    agency = service.unit.letterhead_unit()
    return render(request, "portal/public/sop.html", {
        **context, **_version_links(context), "version_note": note,
        "agency": agency, "agency_logo": agency.logo.url if agency.logo else "",
    })


@require_safe
def public_sop_pdf(request, slug):
    service = _public_service(slug)
    return _versioned_pdf(
        request,
        key=f"public:sop:{slug}",
        stem=f"sop-{slug}",
        version=lambda moment: documents.sop_version(service, registered_workflows().get(service.app), moment),
        render=lambda moment: documents.render_sop_pdf(service, moment),
        missing=_("Lembar SOP ini belum ada pada versi itu."),
    )


def _decree_context(pk, moment=None):
    try:
        return documents.decree_context(pk, moment)
    except ObjectDoesNotExist:
        if moment:
            raise
        raise Http404(_("Keputusan tidak ditemukan."))


@require_safe
def public_decree(request, pk):
    context, note = _versioned(request, _decree_context, pk)
    return render(request, "portal/public/decree.html", {**context, **_version_links(context), "version_note": note})


@require_safe
def public_decree_pdf(request, pk):
    decree = get_object_or_404(Decree.objects.select_related("unit"), pk=pk)
    return _versioned_pdf(
        request,
        key=f"public:decree:{pk}",
        stem=f"keputusan-bupati-{decree.unit_id}-{pk}",
        version=lambda moment: documents.decree_version(decree, moment),
        render=lambda moment: documents.render_decree_pdf(decree, moment),
        missing=_("Keputusan ini belum ada pada versi itu."),
    )
