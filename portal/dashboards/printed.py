"""The dashboard as a page prints it: each figure as printed, linked to the register rows behind it where the
register lists exactly those (portal.dashboards.registers), and the charts drawn from the same printed figures.

For a service whose records are victims' (policy.hides_small_counts) every count goes through the monthly recap's
rule (portal.small_counts): a column printed with its total through `suppress`, a count alone through `shown`;
and a figure worked out from counts (a share, a median, the IKM) is printed only when none of the counts it comes
from is from 1 to 4. The figures of any other service are printed as counted.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.dashboards import charts
from portal.dashboards.policy import hides_small_counts
from portal.dashboards.registers import Register
from portal.small_counts import SMALLEST_SHOWN, shown, suppress

NOT_SHOWN = "–"


@dataclass
class Figure:
    """One figure as printed (a number, "<5", "*" or "–"), and the register rows behind it (None: no link)."""

    text: object
    url: str | None = None

    def __html__(self):
        if self.url:
            return format_html('<a href="{}">{}</a>', self.url, self.text)
        return format_html("{}", self.text)

    # A template prints str(): the figure, with its link.
    __str__ = __html__

    @property
    def value(self):
        """The number, for a chart's bar; None when it is not printed as one."""
        return self.text if isinstance(self.text, int) else None


class Counts:
    """How one service's counts are printed."""

    def __init__(self, service):
        self.hides = hides_small_counts(service)

    def column(self, counts):
        """A column printed with its total: the counts, then the total."""
        if not self.hides:
            return [*counts, sum(counts)]
        return [*suppress(counts, total_printed=True), shown(sum(counts))]

    def one(self, count):
        return shown(count) if self.hides else count

    def enough(self, *counts):
        """Whether a figure worked out from `counts` may be printed: none of them from 1 to 4 where small counts
        are hidden."""
        return not self.hides or not any(0 < count < SMALLEST_SHOWN for count in counts)


def decimal(value, places=1):
    return NOT_SHOWN if value is None else number_format(value, places)


@dataclass
class StepRow:
    label: str
    open: Figure
    due_soon: Figure
    overdue: Figure


@dataclass
class WaitRow:
    label: str
    waits: Figure
    median_hours: float | None  # None: none, or not printed

    @property
    def median(self):
        return decimal(self.median_hours)


@dataclass
class MonthRow:
    label: str
    completed: Figure
    within_share: float | None  # within the time standard, in percent; None: none, or not printed

    @property
    def share(self):
        return decimal(self.within_share)


def _share(counts, month):
    """The month's share within the time standard, where it may be printed."""
    return month.within_share if counts.enough(month.within_standard, month.late) else None


def month_label(start, pattern="F Y"):
    return date_format(start.date(), pattern)


def _step_rows(figures, counts, register):
    """The open records per step, then their total: a StepRow each."""
    steps = figures.steps
    columns = [counts.column([getattr(step, name) for step in steps]) for name in ("open", "due_soon", "overdue")]
    rows = [
        StepRow(step.label, Figure(opened, register.step(step.status)), Figure(soon), Figure(late))
        for step, opened, soon, late in zip(steps, *columns)
    ]
    opened, soon, late = (column[-1] for column in columns)
    return rows, StepRow(_("Jumlah"), Figure(opened, register.open()), Figure(soon), Figure(late, register.overdue()))


def _month_rows(figures, counts):
    """The months, then the twelve together: a MonthRow each."""
    completed = counts.column([month.completed for month in figures.months])
    rows = [
        MonthRow(month_label(month.start), Figure(printed), _share(counts, month))
        for month, printed in zip(figures.months, completed)
    ]
    return rows, MonthRow(_("12 bulan"), Figure(completed[-1]), _share(counts, figures.year))


def _rounded(value, places):
    """A value as printed, for its bar: a bar as long as the figure beside it reads."""
    return None if value is None else round(value, places)


def _charts(figures, step_rows, month_rows, wait_rows):
    months = [month_label(m.start, "M") for m in figures.months]
    # The year under the first month and under January.
    years = [month_label(m.start, "Y") if i == 0 or m.start.month == 1 else "" for i, m in enumerate(figures.months)]
    return {
        "open": charts.horizontal(
            "grafik-berjalan", _("Berjalan per langkah"),
            [(row.label, row.open.value, row.open.text) for row in step_rows],
        ),
        "completed": charts.vertical(
            "grafik-selesai", _("Selesai per bulan"),
            [(label, row.completed.value, row.completed.text) for label, row in zip(months, month_rows)],
            sublabels=years,
        ),
        "share": charts.vertical(
            "grafik-standar", _("Selesai dalam standar waktu per bulan (%)"),
            # Whole percents: "100,0%" is wider than a month's column.
            [(label, _rounded(row.within_share, 0), decimal(row.within_share, 0))
             for label, row in zip(months, month_rows)],
            maximum=100, unit="%", sublabels=years,
        ),
        "waits": charts.horizontal(
            "grafik-median", _("Median waktu per langkah (jam)"),
            [(row.label, _rounded(row.median_hours, 1), row.median) for row in wait_rows],
        ),
    }


def service_page(figures) -> dict:
    """What templates/dashboards/service.html shows of `figures` (figures.ServiceFigures)."""
    service = figures.service
    counts = Counts(service)
    step_rows, total = _step_rows(figures, counts, Register(service))
    month_rows, year = _month_rows(figures, counts)
    wait_rows = [
        WaitRow(step.label, Figure(counts.one(step.waits)), step.median_hours if counts.enough(step.waits) else None)
        for step in figures.steps if step.waits
    ]
    return {
        "hides_small_counts": counts.hides,
        "waits_period": f"{month_label(figures.waits_since)} – {month_label(figures.months[-1].start)}",
        "steps": step_rows,
        "steps_total": total,
        "open": total.open,
        "due_soon": total.due_soon,
        "overdue": total.overdue,
        "waits": wait_rows,
        "months": month_rows,
        "year": year,
        "complaints": {
            "received": Figure(counts.one(figures.complaints_received)),
            "open": Figure(counts.one(figures.complaints_open)),
            "overdue": Figure(counts.one(figures.complaints_overdue)),
        },
        "ikm": [_ikm_row(counts, service, row) for row in figures.ikm],
        "charts": _charts(figures, step_rows, month_rows, wait_rows),
    }


def _ikm_row(counts, service, row):
    printed = counts.enough(row.respondents) and row.value is not None
    return {
        "quarter": row.quarter,
        "respondents": Figure(counts.one(row.respondents)),
        "value": f"{decimal(row.value, 2)} ({row.letter}, {row.performance})" if printed else NOT_SHOWN,
        "url": f"{reverse('survey:index')}?layanan={service.slug}&periode={row.quarter.code}",
    }


@dataclass
class SummaryRow:
    service: object
    url: str
    open: Figure
    due_soon: Figure
    overdue: Figure
    completed: Figure
    within_share: float | None
    complaints_open: Figure
    ikm: str

    @property
    def share(self):
        return decimal(self.within_share)


def summary_rows(all_figures) -> list[SummaryRow]:
    """A row per service of the overview of several (figures.ServiceFigures each), each linking to its dashboard."""
    rows = []
    for figures in all_figures:
        service = figures.service
        counts = Counts(service)
        register = Register(service)
        # The latest quarter whose IKM may be printed.
        latest = next((row for row in figures.ikm if row.value is not None and counts.enough(row.respondents)), None)
        ikm = f"{decimal(latest.value, 2)} ({latest.letter}, {latest.quarter.label})" if latest else NOT_SHOWN
        rows.append(SummaryRow(
            service=service,
            url=f"{reverse('dashboards:index')}?layanan={service.slug}",
            open=Figure(counts.one(figures.open), register.open()),
            due_soon=Figure(counts.one(figures.due_soon)),
            overdue=Figure(counts.one(figures.overdue), register.overdue()),
            completed=Figure(counts.one(figures.year.completed)),
            within_share=_share(counts, figures.year),
            complaints_open=Figure(counts.one(figures.complaints_open)),
            ikm=ikm,
        ))
    return rows


def summary_chart(rows):
    return charts.horizontal(
        "grafik-layanan", _("Berjalan per layanan"), [(row.service.name, row.open.value, row.open.text) for row in rows]
    )
