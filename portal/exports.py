"""Spreadsheet downloads: every app's XLSX export is answered here."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An XLSX attachment; `filename` (without .xlsx) is slugified, so it carries no stray characters."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{slugify(filename) or 'data'}.xlsx")
    return response
