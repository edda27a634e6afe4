"""The published documents (UU 25/2009): open to everyone, without login.

The current version of each page and PDF is served from its stored rendering
(publications.publishing), with ETag and Last-Modified so a browser's repeat
visit costs a 304. `?versi=<ISO date-time>` shows a document as it stood then,
rendered on request.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.models import Service, Unit
from portal.pdf import cached_pdf, pdf_response
from publications import versions
from publications.models import Decree, SOPDocument, StandardComponent
from publications.publishing import DecreeDocument, Index, SOPSheet, Standard, current, stored
from publications.steps import StepsNotKept


def _conditional(request, response_for, *, etag, changed_at):
    """A 304 when the browser holds this version already; else the response, with its validators."""
    etag = quote_etag(etag)
    last_modified = int(changed_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = response_for()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Public, but asked again each time: a corrected document shows at once.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def _moment(request):
    """(moment, note) for `?versi=`: (None, "") for the current version; a note when the value names no moment."""
    value = request.GET.get("versi", "")
    try:
        return versions.parse_moment(value), ""
    except versions.InvalidVersion:
        return None, _("Versi “%(value)s” tidak dikenali; yang ditampilkan versi terkini.") % {"value": value[:40]}


def _page(request, key, document):
    """A document's page; `document` builds it (or raises Http404). The current version is served
    from its stored rendering by `key` alone, in one query."""
    moment, note = _moment(request)
    if moment is not None:
        try:
            return HttpResponse(document().page(moment))
        except StepsNotKept:
            note = _("Tabel kegiatan SOP yang berlaku pada %(when)s WIB tidak tersimpan; yang ditampilkan versi terkini.")
        except ObjectDoesNotExist:
            note = _("Dokumen ini belum ada pada %(when)s WIB; yang ditampilkan versi terkini.")
        note %= {"when": date_format(timezone.localtime(moment), "j F Y H.i")}
    if note:
        return HttpResponse(document().page(note=note))
    row = stored(key) or current(document())
    return _conditional(request, lambda: HttpResponse(row.html), etag=row.version, changed_at=row.rendered_at)


def _pdf(request, key, document):
    value = request.GET.get("versi", "")
    try:
        moment = versions.parse_moment(value)
    except versions.InvalidVersion:
        raise Http404(_("Versi tidak dikenali."))
    if moment is None:
        row = stored(key, with_pdf=True) or current(document(), with_pdf=True)
        return _conditional(
            request, lambda: pdf_response(bytes(row.pdf), row.file_stem),
            etag=f"{row.version}-pdf", changed_at=row.rendered_at,
        )
    document = document()
    try:
        version = document.version(moment)
        pdf = cached_pdf(document.key, version.key, lambda: document.pdf(moment))
    except (ObjectDoesNotExist, StepsNotKept):
        raise Http404(_("Dokumen ini belum ada pada versi itu."))
    stem = document.file_stem
    if version.changed_at:
        stem = f"{stem}-versi-{timezone.localtime(version.changed_at):%Y%m%d-%H%M}"
    return pdf_response(pdf, stem)


def _service(slug, documents_model):
    """A service that has the document asked for; 404 otherwise."""
    # The unit's parents too: the page finds the letterhead (and its contact) up the tree (Pemkab > Dinas > unit).
    service = get_object_or_404(Service.objects.select_related("unit__parent__parent"), slug=slug)
    if not documents_model.objects.filter(service_id=slug).exists():
        raise Http404(_("Layanan ini belum memiliki dokumen tersebut."))
    return service


def _decree(pk):
    return get_object_or_404(Decree.objects.select_related("unit"), pk=pk)


@require_safe
def public_index(request):
    return _page(request, Index.key, Index)


@require_safe
def public_standard(request, slug):
    return _page(request, Standard.key_of(slug), lambda: Standard(_service(slug, StandardComponent)))


@require_safe
def public_standard_pdf(request, slug):
    return _pdf(request, Standard.key_of(slug), lambda: Standard(_service(slug, StandardComponent)))


@require_safe
def public_sop(request, slug):
    return _page(request, SOPSheet.key_of(slug), lambda: SOPSheet(_service(slug, SOPDocument)))


@require_safe
def public_sop_pdf(request, slug):
    return _pdf(request, SOPSheet.key_of(slug), lambda: SOPSheet(_service(slug, SOPDocument)))


@require_safe
def public_decree(request, pk):
    return _page(request, DecreeDocument.key_of(pk), lambda: DecreeDocument(_decree(pk)))


@require_safe
def public_decree_pdf(request, pk):
    return _pdf(request, DecreeDocument.key_of(pk), lambda: DecreeDocument(_decree(pk)))


@require_safe
def public_logo(request, code):
    """A unit's logo, public as its letterhead is; the rest of the media folder is never served."""
    unit = get_object_or_404(Unit, code=code)
    if not unit.logo:
        raise Http404(_("Unit ini belum memiliki logo."))
    return FileResponse(unit.logo.open("rb"))
