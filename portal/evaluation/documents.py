"""The evaluation printed under the letterhead of the service's unit (as identitas' evaluation prints), and its
spreadsheet. Counts, times and staff names only; files are named by the service's slug and the period. The
figures' PDF takes a moment to lay out: it is made off the request (DOWNLOADS, at the end: portal.downloads)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal import periods
from portal.downloads.registry import Kind, json_digest
from portal.evaluation import policy
from portal.evaluation.figures import quarter_figures
from portal.exports import append_row, workbook_bytes
from portal.letters import letter_place
from portal.pdf import render_pdf

TEMPLATE = "evaluation/evaluation_pdf.html"


def file_stem(service, quarter) -> str:
    return f"evaluasi-kinerja-{service.slug}-{quarter.code}"


def evaluation_pdf(service, figures, *, evaluation=None) -> bytes:
    """The figures, and with a signed `evaluation` its findings, follow-up and signature."""
    units = [service.unit, *service.unit.ancestors()]
    return render_pdf(TEMPLATE, {
        "service": service, "figures": figures, "evaluation": evaluation, "place": letter_place(units),
    }, unit=service.unit)


def _hours(value):
    return round(value, 1) if value is not None else None


def _local(moment):
    """A moment as the spreadsheet shows it: local time (WIB), without a zone."""
    return timezone.localtime(moment).replace(tzinfo=None)


def evaluation_xlsx(figures) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Evaluasi")
    append_row(sheet, [_("Evaluasi kinerja pelayanan"), figures.service_name])
    append_row(sheet, [_("Unit"), figures.unit_name])
    append_row(sheet, [_("Periode"), figures.quarter_label])
    append_row(sheet, [])
    append_row(sheet, [_("Uraian"), _("Nilai")])
    rows = [
        (_("Diterima"), figures.received),
        (_("Selesai"), figures.completed),
        *[(_("Selesai: %(status)s") % {"status": label}, count) for label, count in figures.closed_by_status],
        (_("Masih berjalan pada akhir triwulan"), figures.open_at_end),
        (_("Selesai dalam standar waktu"), figures.within_standard),
        (_("Selesai tanpa batas waktu"), figures.without_due),
        (_("Persentase dalam standar waktu"), _hours(figures.within_share)),
        (_("Median waktu penyelesaian (jam)"), _hours(figures.median_hours)),
        (_("Persentil ke-90 waktu penyelesaian (jam)"), _hours(figures.p90_hours)),
        (_("Median waktu penyelesaian (jam kerja)"), _hours(figures.median_working_hours)),
        (_("Persentil ke-90 waktu penyelesaian (jam kerja)"), _hours(figures.p90_working_hours)),
        (_("Pengaduan tentang layanan"), figures.complaints),
        (_("Pengaduan sudah ditanggapi"), figures.complaints_answered),
        (_("Median waktu tanggapan pertama (jam)"), _hours(figures.complaints_median_response_hours)),
        (_("Pengaduan melewati batas waktu"), figures.complaints_overdue),
        (_("Responden survei"), figures.ikm_respondents),
        (_("IKM (25-100)"), figures.ikm_value or "-"),
        (_("Layanan jatuh tempo dalam triwulan"), figures.missed_due),
        (_("Melewati standar waktu"), figures.missed_count),
    ]
    for label, value in rows:
        append_row(sheet, [str(label), value])
    append_row(sheet, [])
    append_row(sheet, [_("Langkah yang paling lama menunggu"), _("Jumlah"), _("Median (jam)")])
    for step in figures.longest_steps:
        append_row(sheet, [step.label, step.waits, _hours(step.median_hours)])
    append_row(sheet, [])
    append_row(sheet, [_("Nomor berkas"), _("Batas waktu"), _("Selesai"), _("Terlambat"), _("Kompensasi")])
    for row in figures.missed:
        append_row(sheet, [
            row.number, _local(row.due_at), _local(row.done_at) if row.done_at else "-",
            row.late, row.decision,
        ])
    if figures.officers is not None:
        append_row(sheet, [])
        append_row(sheet, [_("Petugas"), _("Langkah dikerjakan"), _("Berkas ditutup")])
        for officer in figures.officers:
            append_row(sheet, [officer.name, officer.steps, officer.closed])
    return workbook_bytes(workbook)


# The figures' PDF, made off the request (portal.downloads) for whom evaluates the service, as the page shows them.


@dataclass(frozen=True)
class Asked:
    """The figures' PDF asked: of a service, for a quarter, per officer or not."""

    service: object
    quarter: periods.Quarter
    per_officer: bool

    def figures(self, user):
        return quarter_figures(self.service, self.quarter, user, per_officer=self.per_officer)


def _params(data) -> dict:
    params = {"layanan": data["layanan"], "periode": data["periode"], "per_petugas": data.get("per_petugas", "")}
    # The page posts the service and quarter it shows: a file made for "this quarter" would change with the date.
    if not params["layanan"] or not params["periode"] or params["per_petugas"] not in ("", "1"):
        raise ValueError(params)
    return params


def _asked(request, params) -> Asked:
    """The check of the evaluation's page (portal.evaluation.views._report): 403 for whom evaluates nothing, 404
    for a service they do not evaluate or a period not understood."""
    if not policy.evaluates_any(request.user):
        raise PermissionDenied(_("Evaluasi kinerja pelayanan ditulis dan dibaca oleh pimpinan layanan."))
    report = periods.report_request(params, policy.evaluated_services(request.user))
    if report.error or report.service is None:
        raise Http404(report.error or _("Layanan tidak dikenal."))
    return Asked(report.service, report.quarter, params["per_petugas"] == "1")


def _version(asked, user) -> str:
    figures = asked.figures(user).as_json()
    figures.pop("made_at")  # when they were counted: the same figures counted again are the same file
    return json_digest(figures)


DOWNLOADS = [
    Kind(
        name="evaluation.figures",
        params=_params,
        fetch=_asked,
        version=_version,
        render=lambda asked, user: evaluation_pdf(asked.service, asked.figures(user)),
        label=lambda asked: _("Evaluasi kinerja %(service)s %(quarter)s") % {
            "service": asked.service.name, "quarter": asked.quarter.label},
        file_name=lambda asked: file_stem(asked.service, asked.quarter) + ".pdf",
        page=lambda asked: f"{reverse('evaluation:index')}?layanan={asked.service.slug}&periode={asked.quarter.code}",
    ),
]
