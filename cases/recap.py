"""The monthly recap of P2TP2A cases: counts that name no one, laid out to be typed into SIMFONI-PPA.

A recap counts the cases received in a month (created in that month, WIB), leaving out the cases voided as
entered in error. Each table lists every active entry of its list (and every kecamatan of the regency) even at
0, in the list's order, so the numbers can be typed into SIMFONI-PPA row by row; an entry no longer active
still shows while a case of the month names it, and "Belum diisi" counts the cases that lack the value.

The recap leaves the case team, so no victim may be singled out from it: a count from 1 to 4 is printed "<5"
(`suppress`). Where a table's total would give a lone "<5" away, a larger count is hidden too and printed "*",
with a note under its table: printed "<5" it would read as a small count. `monthly_recap` returns the tables as
printed, and the page, the PDF and the XLSX all render those same tables. The rule is portal.small_counts', which
the heads' dashboards print the P2TP2A's counts by too.

Services: a case counts once under each service type of its referrals that is not voided, whenever the
referral was made (a recap made later shows what the month's cases received since). "Pengaduan" is not taken
from the referrals: referrals are recorded from the assessment on (steps 5-8), while every case received was
itself a complaint handled (steps 1-2), so Pengaduan counts every case of the month.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cases.models import AGE_BANDS, PerpetratorRelation, PlaceType, Referral, ServiceType, ViolenceType
from cases.workflow import VOIDED
from portal.exports import append_row, workbook_bytes
from portal.models import Kecamatan, Sex
from portal.pdf import render_pdf
from portal.small_counts import HIDDEN_FOR_TOTAL, SUPPRESSED, shown, suppress  # noqa: F401 (SUPPRESSED: for importers)

# The ServiceType every case received (see the module's docstring).
INTAKE_SERVICE = "pengaduan"
# The earliest month a recap is asked for: no case is older, and it keeps the month's bounds in range.
FIRST_MONTH = "2000-01"


@dataclass(frozen=True)
class Table:
    """One table: `rows` are (label, count); once printed (Recap.tables) a count may be SUPPRESSED or
    HIDDEN_FOR_TOTAL."""

    caption: str
    heading: str  # of the label column
    rows: list[tuple[str, int | str]]
    # None where a case may count in several rows: their sum is then no number of cases, so none is printed.
    total: int | str | None
    note: str = ""

    @property
    def footnote(self):
        """What a "*" means, printed under a table that has one."""
        if any(value == HIDDEN_FOR_TOTAL for _label, value in self.rows):
            return _("* disembunyikan agar angka <5 di tabel ini tidak dapat dihitung dari jumlahnya.")
        return ""


@dataclass(frozen=True)
class Recap:
    """A month's recap as printed: every count suppressed."""

    year: int
    month: int
    total: int | str
    tables: list[Table]
    # The counts of a past month still change (a case voided, a service given later): every output says when.
    made_at: datetime

    @property
    def month_code(self):
        """YYYY-MM, as ?bulan= takes it and as the files are named."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def month_label(self):
        return date_format(date(self.year, self.month, 1), "F Y")

    @property
    def made_label(self):
        return date_format(timezone.localtime(self.made_at), "j F Y H.i") + " WIB"

    @property
    def legend(self):
        return _("Kasus yang dibatalkan karena salah input tidak dihitung. <5: kurang dari 5.")


def parse_month(value, today):
    """(year, month) of ?bulan=: "YYYY-MM" from 2000-01 to the month of `today`; that month when `value` is empty.

    Raises ValueError for anything else.
    """
    if not value:
        return today.year, today.month
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
    if match is None:
        raise ValueError(value)
    # Months written YYYY-MM sort as text.
    if not 1 <= int(match[2]) <= 12 or not FIRST_MONTH <= value <= f"{today:%Y-%m}":
        raise ValueError(value)
    return int(match[1]), int(match[2])


def _counts(cases, field):
    """{value of `field`: number of cases}; None for the cases without one (a blank, or no related row)."""
    rows = cases.values(field).annotate(n=Count("pk", distinct=True)).order_by()
    return {row[field] or None: row["n"] for row in rows}


def _entry_counts(model, listed, counts):
    """(entry's name, count) for each entry of `model` that `listed` selects, or that `counts` names."""
    counted = [pk for pk in counts if pk is not None]
    return [(str(entry), counts.get(entry.pk, 0)) for entry in model.objects.filter(listed | Q(pk__in=counted))]


def _table(caption, heading, rows, *, unknown=None, one_row_per_case=True, note=""):
    """A Table of (label, count) rows; `unknown`: the count of the "Belum diisi" row."""
    if unknown is not None:
        rows = [*rows, (_("Belum diisi"), unknown)]
    total = sum(count for _label, count in rows) if one_row_per_case else None
    return Table(caption=caption, heading=heading, rows=rows, total=total, note=note)


def month_counts(cases, year, month, *, kecamatan):
    """(number of cases, tables) of the `cases` received in `month` of `year`, as counted: not to be printed.

    `kecamatan`: the Kecamatan listed even at 0 (the regency's). A fixed number of queries, however many cases.
    """
    wib = timezone.get_default_timezone()
    start = datetime(year, month, 1, tzinfo=wib)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=wib)
    received = cases.filter(created_at__gte=start, created_at__lt=end).exclude(status=VOIDED)
    total = received.count()
    several = _("Satu kasus dapat terhitung pada lebih dari satu baris, sehingga barisnya tidak dijumlahkan.")

    violence = _counts(received, "violence_types")
    sexes = _counts(received, "victim_sex")
    ages = _counts(received, "victim_age_band")
    in_kecamatan = _counts(received, "kecamatan")
    places = _counts(received, "place_type")
    relations = _counts(received, "perpetrators__relation")
    referrals = Referral.objects.filter(case__in=received, void_reason="")
    services = {
        row["service_type"]: row["n"]
        for row in referrals.values("service_type").annotate(n=Count("case", distinct=True)).order_by()
    }
    service_rows = [
        (str(entry), total if entry.code == INTAKE_SERVICE else services.get(entry.pk, 0))
        for entry in ServiceType.objects.filter(Q(is_active=True) | Q(pk__in=list(services)))
    ]

    active = Q(is_active=True)
    return total, [
        _table(
            _("Jenis kekerasan"), _("Jenis kekerasan"), _entry_counts(ViolenceType, active, violence),
            unknown=violence.get(None, 0), one_row_per_case=False, note=several,
        ),
        _table(
            _("Jenis kelamin korban"), _("Jenis kelamin"),
            [(str(label), sexes.get(code, 0)) for code, label in Sex.choices], unknown=sexes.get(None, 0),
        ),
        _table(
            _("Kelompok umur korban"), _("Umur (tahun)"),
            [(label, ages.get(code, 0)) for code, label, *_bounds in AGE_BANDS], unknown=ages.get(None, 0),
        ),
        _table(
            _("Kecamatan tempat kejadian"), _("Kecamatan"),
            _entry_counts(Kecamatan, Q(pk__in=kecamatan), in_kecamatan), unknown=in_kecamatan.get(None, 0),
        ),
        _table(
            _("Tempat kejadian"), _("Tempat kejadian"), _entry_counts(PlaceType, active, places),
            unknown=places.get(None, 0),
        ),
        _table(
            _("Hubungan pelaku dengan korban"), _("Hubungan"), _entry_counts(PerpetratorRelation, active, relations),
            unknown=relations.get(None, 0), one_row_per_case=False, note=several,
        ),
        _table(
            _("Layanan yang diterima korban"), _("Jenis layanan"), service_rows, one_row_per_case=False,
            note=several + " " + _("Pengaduan dihitung untuk setiap kasus yang diterima."),
        ),
    ]


def _printed(table):
    labels = [label for label, _count in table.rows]
    values = suppress([count for _label, count in table.rows], total_printed=table.total is not None)
    return replace(table, rows=list(zip(labels, values)), total=None if table.total is None else shown(table.total))


def monthly_recap(cases, year, month, *, kecamatan):
    """The recap of the `cases` (those the user may see) received in `month` of `year`, as every output prints it.

    See month_counts for `kecamatan`.
    """
    total, tables = month_counts(cases, year, month, kecamatan=kecamatan)
    return Recap(
        year=year, month=month, total=shown(total), tables=[_printed(table) for table in tables], made_at=timezone.now()
    )


def pdf_bytes(recap, *, unit):
    """The recap as an A4 PDF under the letterhead of `unit`, the P2TP2A's."""
    return render_pdf("cases/documents/recap.html", {"recap": recap, "unit": unit}, unit=unit)


def xlsx_bytes(recap, *, unit):
    """The recap as an XLSX workbook: one sheet, the tables one under another; "<5" and "*" as text, counts as
    numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = recap.month_code
    bold = Font(bold=True)
    append_row(sheet, [_("Rekap bulanan kasus P2TP2A %(month)s") % {"month": recap.month_label}])
    sheet["A1"].font = bold
    append_row(sheet, [unit.name])
    append_row(sheet, [_("Keadaan pada %(when)s.") % {"when": recap.made_label}])
    append_row(sheet, [recap.legend])
    append_row(sheet, [])
    append_row(sheet, [_("Jumlah kasus yang diterima"), recap.total])
    for table in recap.tables:
        append_row(sheet, [])
        append_row(sheet, [table.caption])
        sheet.cell(sheet.max_row, 1).font = bold
        append_row(sheet, [table.heading, _("Jumlah kasus")])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for label, value in table.rows:
            append_row(sheet, [label, value])
        if table.total is not None:
            append_row(sheet, [_("Jumlah"), table.total])
            sheet.cell(sheet.max_row, 1).font = bold
        if table.footnote:
            append_row(sheet, [table.footnote])
        if table.note:
            append_row(sheet, [table.note])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 14
    for row in sheet.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(horizontal="right")
    return workbook_bytes(workbook)
