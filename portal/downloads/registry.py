"""The kinds of document made off the request, each declared once by its app: `DOWNLOADS` in `<app>/documents.py`,
a list of Kind. A kind says what its file is made from, who may have it (the check of the source's own page, asked
again at every download), how it is made, and what names it (its label and file name, never a person).
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from portal import identity
from portal.access import get_record_or_404
from portal.models import IdentityAccessLog


def _nothing(request, source):
    return None


@dataclass(frozen=True)
class Kind:
    """One kind of document made off the request, as its app declares it."""

    name: str  # "<app label>.<document>", e.g. "cases.closure_report"
    # The request's form (its POST) -> the parameters kept on the row, which name the source; ValueError if malformed.
    params: Callable[[Mapping], dict]
    # (request, params) -> the source (a record, a report asked), for request.user, by the check of the source's own
    # page: Http404 or PermissionDenied for anyone else. Asked when the document is asked for, when it is made (as
    # the asker) and at every download.
    fetch: Callable[[HttpRequest, dict], Any]
    # (source, user) -> a text that changes whenever the document would: a new version is a new file.
    version: Callable[[Any, Any], str]
    # (source, user) -> the file's bytes. The slow part: it runs in the task.
    render: Callable[[Any, Any], bytes]
    label: Callable[[Any], str]  # source -> what the pages call the document, e.g. "Laporan ... 0012/2026"
    file_name: Callable[[Any], str]  # source -> the downloaded file's name, e.g. "laporan-kasus-0012-2026.pdf"
    page: Callable[[Any], str]  # source -> the address of the source's page, to go back to
    # (request, source) at each download: writing it to the record's access log where the source keeps one.
    served: Callable[[HttpRequest, Any], None] = _nothing
    content_type: str = "application/pdf"


@cache
def kinds() -> dict[str, Kind]:
    """Every declared kind by name, read once from each installed app's `documents` module."""
    found = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "documents"):
            continue
        for kind in getattr(import_module(f"{config.name}.documents"), "DOWNLOADS", ()):
            if kind.name in found:
                raise ValueError(f"two document kinds are named {kind.name!r}")
            found[kind.name] = kind
    return found


def kind_or_404(name) -> Kind:
    kind = kinds().get(name)
    if kind is None:
        raise Http404(_("Jenis dokumen tidak dikenal."))
    return kind


def printed_text(template_name, context, *, unit) -> str:
    """A PDF template's text before its layout, under the letterhead portal.pdf prints it with: what a document's
    version is read from. The emblem counts by its file name (a new emblem is a new file), not its bytes. Every
    variable the template reads is given: Django logs a missing one with the whole context, a victim's name too."""
    letterhead = unit.letterhead_unit()
    return render_to_string(
        template_name, {**context, "letterhead": letterhead, "letterhead_logo": letterhead.logo.name}
    )


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def json_digest(value) -> str:
    return digest(json.dumps(value, sort_keys=True, default=str))


# A record's PDF that names the person the record keeps (portal.identity): the same for every such app.


def record_params(data) -> dict:
    value = data.get("pk", "")
    if not str(value).isdigit():
        raise ValueError(value)
    return {"pk": int(value)}


def record_document(*, name, model, select_related, what, file_prefix, html, pdf, missing=None) -> Kind:
    """A printed document of a record that keeps a person's identity, as portal.views.identity_pdf prints one: for
    whoever may open the record's page (portal.access) and reads its identity (portal.identity), each download
    written to the record's access log as a print of `what`, the file named `<file_prefix>-<record.file_stem>.pdf`.

    `html(record, user)`: the document's text before layout, whose digest is its version (the layout is the slow
    part); `pdf(record, user)`: the PDF. `missing(record)`: why the record has no such document yet, or "".
    """

    def fetch(request, params):
        record = get_record_or_404(request, model, params["pk"], select_related=select_related)
        reason = missing(record) if missing else ""
        if reason:
            raise Http404(reason)
        if not identity.reads_identity(request.user, record):
            raise PermissionDenied(_("Dokumen ini dicetak oleh yang menangani berkas ini dan pimpinannya."))
        return record

    def served(request, record):
        identity.log_access(record, request.user, IdentityAccessLog.Action.PRINT, what=what)

    return Kind(
        name=name,
        params=record_params,
        fetch=fetch,
        version=lambda record, user: digest(html(record, user)),
        render=pdf,
        label=lambda record: f"{what} {record.number}",
        file_name=lambda record: f"{file_prefix}-{record.file_stem}.pdf",
        page=lambda record: record.get_absolute_url(),
        served=served,
    )
