"""The month's faskes reports in the layout New SIGA is keyed from: one row per faskes, in the order of
the registration numbers, acceptors by method (new, repeat, switching), then each item's stock."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from alokon.models import Facility, Item, Method, MonthlyReport, ReportService, ReportStock
from portal.exports import append_row, workbook_bytes

KINDS = (("new", gettext_lazy("Baru")), ("repeat", gettext_lazy("Ulang")), ("switching", gettext_lazy("Ganti cara")))
STOCK = (
    ("opening", gettext_lazy("Stok awal")), ("received", gettext_lazy("Diterima")),
    ("used", gettext_lazy("Dipakai")), ("remaining", gettext_lazy("Sisa")),
)


def month_rows(warehouse, month):
    """(heading, rows): a row per active faskes of the warehouse, its report's figures or blanks."""
    items = list(Item.objects.filter(is_active=True))
    reports = MonthlyReport.objects.filter(facility__unit=warehouse, month=month).prefetch_related(
        Prefetch("services", queryset=ReportService.objects.all()),
        Prefetch("stock", queryset=ReportStock.objects.all()),
    )
    by_facility = {report.facility_id: report for report in reports}
    # The row number, in a context of its own: Django's catalogue translates a plain "No" (the answer) "Tidak".
    heading = [
        pgettext("row number", "No"), _("No. Registrasi K/0/KB"), _("Nama faskes"), _("Kecamatan"), _("Status laporan"),
    ]
    heading += [f"{label} - {kind}" for _code, label in Method.choices for _field, kind in KINDS]
    heading += [f"{item.name} - {label}" for item in items for _field, label in STOCK]
    rows = []
    facilities = Facility.objects.filter(unit=warehouse, is_active=True).select_related("kecamatan")
    for number, facility in enumerate(facilities.order_by("registration_number"), start=1):
        report = by_facility.get(facility.pk)
        row = [number, facility.registration_number, facility.name, facility.kecamatan.name]
        if report is None:
            rows.append(row + [_("Belum lapor")])
            continue
        row.append(_("Dilaporkan %(date)s") % {"date": f"{report.submitted_at:%d-%m-%Y}"})
        services = {service.method: service for service in report.services.all()}
        for method in Method.values:
            service = services.get(method)
            row += [getattr(service, field) if service else 0 for field, _label in KINDS]
        stock = {line.item_id: line for line in report.stock.all()}
        for item in items:
            line = stock.get(item.pk)
            row += [getattr(line, field) if line else 0 for field, _label in STOCK]
        rows.append(row)
    return heading, rows


def month_xlsx(warehouse, month) -> bytes:
    heading, rows = month_rows(warehouse, month)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{month:%Y-%m}"
    append_row(sheet, [_("Laporan pelayanan KB dan alokon faskes, bulan %(month)s") % {"month": f"{month:%m-%Y}"}])
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, [warehouse.name])
    append_row(sheet, [])
    append_row(sheet, heading)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    sheet.column_dimensions["C"].width = 32
    return workbook_bytes(workbook)
