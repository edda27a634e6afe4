"""The one PDF renderer: a Django template in, A4 PDF bytes out (WeasyPrint).

Every app prints its official sheets and letters through `render_pdf`. A document
template extends "portal/pdf/base.html"; passing `unit=` prints that unit's
letterhead (kop surat) at the top of the first page. Rendering never touches the
network: resources are read only from the project's static/ dir and MEDIA_ROOT, and
a unit's emblem from the file storage, inline. Relative URLs in a template
(e.g. <img src="img/stamp.png">) resolve against static/.
"""

import base64
import logging
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(settings.BASE_DIR) / "static"

logger = logging.getLogger(__name__)

# Long enough that nearly every request for a sheet is a cache hit; short enough that a
# changed letterhead (address, logo), which does not bump a sheet's version, shows up.
CACHED_PDF_TIMEOUT = 24 * 60 * 60


class LocalFileFetcher(URLFetcher):
    """Serves file:// URLs under static/ and MEDIA_ROOT and inline data: URLs; refuses everything else.

    WeasyPrint logs a refused resource as a warning and renders without it.
    """

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":  # inline content, e.g. the SOP flowchart's line pixels
            return super().fetch(url, headers)
        # A file URL with a host would make urllib fall back to FTP; we never open it.
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Only local files are served to the PDF renderer: {url}")
        path = Path(url2pathname(parts.path)).resolve()
        roots = [STATIC_DIR.resolve(), Path(settings.MEDIA_ROOT).resolve()]
        if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
            raise ValueError(f"Not a file under static/ or MEDIA_ROOT: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


url_fetcher = LocalFileFetcher()


# Parsing the stylesheet and loading the @font-face fonts costs more than laying out a
# short document, so both are built once per process and reused by every render.
@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheets(landscape: bool) -> list[CSS]:
    sheets = [CSS(filename=STATIC_DIR / "css" / "pdf.css", url_fetcher=url_fetcher, font_config=_font_config())]
    if landscape:
        sheets.append(CSS(string="@page { size: A4 landscape; }", font_config=_font_config()))
    return sheets


def logo_url(unit) -> str:
    """The unit's emblem (Unit.logo) as a data: URL, or "" when it has none.

    Read through the storage rather than as a local path, so that it prints from any storage.
    """
    if not unit.logo:
        return ""
    try:
        with unit.logo.open("rb") as file:
            data = file.read()
    except OSError:  # the file is gone: the letterhead prints without it rather than not at all
        logger.warning("Lambang unit %s tidak dapat dibaca: %s", unit.code, unit.logo.name)
        return ""
    content_type = mimetypes.guess_type(unit.logo.name)[0] or "application/octet-stream"
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def render_document(template_name: str, context: dict, *, unit=None, landscape: bool = False):
    """Lay out a template extending portal/pdf/base.html as A4 pages: a WeasyPrint Document.

    With `unit`, the letterhead of `unit.letterhead_unit()` heads the first page; the
    template sees it as `letterhead` (a Unit) and `letterhead_logo` (a data: URL, or "" without an emblem).
    """
    context = dict(context)
    if unit is not None:
        letterhead = unit.letterhead_unit()
        context["letterhead"] = letterhead
        context["letterhead_logo"] = logo_url(letterhead)
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=url_fetcher)
    return document.render(stylesheets=_stylesheets(landscape), font_config=_font_config())


# A layout that still moves after this many passes is printed as the last pass laid it out.
MAX_PASSES = 3


def render_pdf(template_name: str, context: dict, *, unit=None, landscape: bool = False, settle=None) -> bytes:
    """Render a template extending portal/pdf/base.html to A4 PDF bytes (see render_document).

    `settle(document)` lets a template print where its pages break: it is called with each layout and
    returns True when that layout is final, or else updates what the template reads (e.g. marks in the
    context's objects) and returns False to lay the template out again, at most MAX_PASSES times in all.
    """
    for _ in range(MAX_PASSES):
        document = render_document(template_name, context, unit=unit, landscape=landscape)
        if settle is None or settle(document):
            break
    return document.write_pdf()


def attribute_by_page(document, name: str) -> list[list[str]]:
    """Per page of a laid-out Document, the values of attribute `name` of the elements laid out on it, in order.

    A template marks the elements whose page it needs to know, e.g. <tr data-row="3">.
    """
    pages = []
    for page in document.pages:
        # WeasyPrint has no public API for which element is on which page: its box tree is the only record.
        values, boxes = [], [page._page_box]
        while boxes:
            box = boxes.pop()
            value = box.element.get(name) if box.element is not None else None
            if value is not None and value not in values:
                values.append(value)
            boxes.extend(reversed(getattr(box, "children", [])))
        pages.append(values)
    return pages


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An application/pdf response; `filename` is slugified, e.g. "SOP Layanan KB" -> sop-layanan-kb.pdf."""
    stem = filename[:-4] if filename.lower().endswith(".pdf") else filename
    name = f"{slugify(stem) or 'dokumen'}.pdf"
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    return response


def cached_pdf(key: str, version, render) -> bytes:
    """The PDF for `key` at `version` from the default cache, calling `render()` on a miss.

    Bump `version` (e.g. a standard's revision number) whenever the sheet's content changes.
    """
    return django_cache.get_or_set(f"portal.pdf:{key}", render, timeout=CACHED_PDF_TIMEOUT, version=version)
