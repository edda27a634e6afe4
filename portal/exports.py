"""Spreadsheets: every XLSX and CSV the portal writes is written here, text as text.

Text beginning with "=", "+", "-", "@", a tab or a carriage return is read by Excel, LibreOffice or Google
Sheets as (the start of) a formula: a faskes or kecamatan name could then compute, fetch a link or run a command
on the computer of whoever opens the file (OWASP, "CSV Injection"). So every row of a file is written through
`append_row` (XLSX) or `csv_text` (CSV), and imports refuse such text with `formula_refusal`.
"""

import csv
from io import BytesIO, StringIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.cell import Cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """`value` as a CSV cell: text that would start a formula gets a leading "'", which every spreadsheet program
    reads as "this is text"; numbers and anything else stay as they are."""
    return "'" + value if starts_like_formula(value) else value


def csv_text(rows) -> str:
    """`rows` (lists of values) as CSV text, every cell through safe_cell."""
    output = StringIO()
    writer = csv.writer(output)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return output.getvalue()


def _text_cell(sheet, value: str) -> Cell:
    cell = Cell(sheet, value=value)
    # A string cell of an XLSX is never evaluated, so the text is kept as it is (no "'" that would show in the
    # name and come back on import). openpyxl would make "=..." a formula and "#N/A" an error: the type is forced.
    # quotePrefix is how Excel itself stores a typed "'": the cell stays text even when someone edits it.
    cell.data_type = "s"
    cell.quotePrefix = starts_like_formula(value)
    return cell


def append_row(sheet, values):
    """`sheet.append(values)` on an openpyxl worksheet, every str written as text, whatever it begins with."""
    sheet.append([_text_cell(sheet, value) if isinstance(value, str) else value for value in values])


def workbook_bytes(workbook) -> bytes:
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def formula_refusal(text: str) -> str:
    """Why `text` may not be imported or saved where the portal's files will write it, in Indonesian; "" when it may.

    A "'" before such a start is refused too: it is how csv_text wrote a name already stored, and taking it back
    would rename the record rather than say what is wrong.
    """
    if not starts_like_formula(text.removeprefix("'")):
        return ""
    return _(
        "\u201c%(value)s\u201d diawali tanda yang dibaca program spreadsheet sebagai rumus. Nama dan teks lain tidak "
        "boleh diawali =, +, -, @, tab atau enter."
    ) % {"value": text[:40]}


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An XLSX attachment; `filename` (without .xlsx) is slugified, so it carries no stray characters."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{slugify(filename) or 'data'}.xlsx")
    return response
