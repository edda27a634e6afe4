"""The register printed for the leadership: A4 landscape under the letterhead of the service's unit, as the
identitas evaluation prints. Numbers, times, reasons and decisions only: it names no one."""

from portal.pdf import render_pdf

TEMPLATE = "guarantee/register_pdf.html"


def register_pdf(register) -> bytes:
    return render_pdf(TEMPLATE, {"register": register}, unit=register.service.unit, landscape=True)


def register_file_stem(register) -> str:
    """The file's name: the service's slug and the period, nothing of a record or a person."""
    return f"register-jaminan-{register.service.slug}-{register.quarter.code}"
