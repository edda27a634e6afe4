"""Asking for a document, following it being made, and downloading it.

Every page here fetches the row of the user who asked (another user's is a 404, as if it did not exist) and asks
the kind's check again (portal.downloads.registry): an asker who can no longer open the record, or no longer reads
its identity, gets a 404 too, whatever was made for them before.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST, require_safe

from portal.downloads import registry, services
from portal.downloads.models import GeneratedFile

# Seconds between two loads of the status page while the file is being made (the Refresh header: no script).
REFRESH_SECONDS = 2


@login_required
@require_POST
def create(request, kind):
    """Ask for a document: the buttons on the records' and reports' pages post the source's fields here. The check
    refuses as the source's own PDF did (a 404, or a 403 for who sees the record but not its identity)."""
    kind = registry.kind_or_404(kind)
    try:
        params = kind.params(request.POST)
    except (KeyError, ValueError):
        raise Http404 from None
    source = kind.fetch(request, params)
    row = services.file_request(kind=kind, params=params, source=source, user=request.user)
    return redirect(row)


def _own_file(request, pk):
    """The user's own row `pk`, its kind and its source, by the kind's check now: 404 for anyone else."""
    row = get_object_or_404(GeneratedFile, pk=pk, user=request.user)
    kind = registry.kind_or_404(row.kind)
    try:
        source = kind.fetch(request, row.params)
    except PermissionDenied:
        raise Http404 from None
    return row, kind, source


def _status_page(request, row, kind, source):
    expired = row.is_expired()
    response = render(request, "downloads/status.html", {
        "file": row, "expired": expired, "back_url": kind.page(source), "refresh": REFRESH_SECONDS,
    }, status=410 if expired else 200)
    if row.is_pending:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_safe
@login_required
def status(request, pk):
    """Where the document is: waiting, being made, ready (with "Unduh"), failed, or expired (410)."""
    return _status_page(request, *_own_file(request, pk))


# GET only: a HEAD request sends no file, so it must not write a print to the record's access log.
@require_GET
@login_required
def download(request, pk):
    row, kind, source = _own_file(request, pk)
    if row.is_expired():
        return _status_page(request, row, kind, source)
    if row.status != GeneratedFile.Status.READY:
        return redirect(row)
    kind.served(request, source)
    return FileResponse(
        row.file.open("rb"), as_attachment=True, filename=row.file_name, content_type=kind.content_type,
    )
