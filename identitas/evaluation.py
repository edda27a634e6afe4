"""The standard's quarterly performance evaluation ("Evaluasi Kinerja Pelaksana ... dilaksanakan setiap triwulan
oleh pimpinan"): what a service received and finished in a quarter, the agency's time against the 300 minutes,
the documents issued, the follow-ups done, and the same per officer. Counts and times only: it names no PPKS
person, so the Kepala Dinas may read it.

A quarter runs in local time (WIB). A facilitation counts as
- received in the quarter by its `received_at`;
- completed by its `result_reported_at` (step 7, where the 300 minutes end), whenever it was received;
- declined by the moment it was declined (its status changed to "ditolak", a final status);
- open at the quarter's end when received before the end and neither completed nor declined by then.
The agency's time is `agency_minutes` as measured at step 7 (the waits for Disdukcapil left out), and a
completed facilitation is within the standard unless `standard_missed`. Documents count by
`IssuedDocument.issued_on`, follow-ups done by `FollowUp.done_on`.

At most four queries however many records: the facilitations that touch the quarter are read in one pass over
values() rows, because medians and percentiles are no portable SQL aggregate (SQLite has none).
"""

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from identitas.models import DocumentKind, Facilitation, FollowUp, IssuedDocument
from identitas.workflow import REJECTED
from portal.letters import person_name
from portal.models import Service
from portal.pdf import render_pdf

ROMAN = ("I", "II", "III", "IV")
# The earliest year ?triwulan= may name: it keeps a quarter's bounds in range.
FIRST_YEAR = 2000


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_code(year, quarter):
    """"2026-3": as ?triwulan= takes it and as the files are named."""
    return f"{year}-{quarter}"


def quarter_label(year, quarter):
    return _("Triwulan %(roman)s %(year)d") % {"roman": ROMAN[quarter - 1], "year": year}


def quarter_bounds(year, quarter) -> tuple[datetime, datetime]:
    """The quarter's first moment and the next quarter's, in local time."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"no quarter {quarter}")
    local = timezone.get_default_timezone()
    return (
        datetime(year, 3 * quarter - 2, 1, tzinfo=local),
        datetime(year + quarter // 4, 3 * quarter % 12 + 1, 1, tzinfo=local),
    )


def parse_quarter(value, today) -> tuple[int, int]:
    """(year, quarter) of ?triwulan=: "YYYY-Q" from 2000 to the quarter of `today`; that quarter when `value` is
    empty. Raises ValueError for anything else."""
    if not value:
        return quarter_of(today)
    match = re.fullmatch(r"([0-9]{4})-([1-4])", value)
    if match is None or not (FIRST_YEAR, 1) <= (int(match[1]), int(match[2])) <= quarter_of(today):
        raise ValueError(value)
    return int(match[1]), int(match[2])


def quarter_choices(service) -> list[tuple[str, str]]:
    """("2026-3", "Triwulan III 2026") from the quarter of the service's first report to the current one, newest
    first; the current quarter alone while it has none."""
    first = Facilitation.objects.filter(service=service).aggregate(first=Min("received_at"))["first"]
    year, quarter = quarter_of(timezone.localdate())
    oldest = quarter_of(timezone.localtime(first).date()) if first else (year, quarter)
    choices = []
    while (year, quarter) >= oldest:
        choices.append((quarter_code(year, quarter), quarter_label(year, quarter)))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return choices


def median(minutes):
    """The middle time; for an even count the mean of the two middle ones, as a spreadsheet's MEDIAN(). None
    without times."""
    return statistics.median(minutes) if minutes else None


def percentile(minutes, percent):
    """The nearest-rank percentile: the smallest time with at least `percent`% of the times at or below it, that is
    the ceil(percent/100 * n)-th of the n times sorted (1-based). Always a time that was measured, never one
    interpolated between two. None without times."""
    if not minutes:
        return None
    rank = -(-percent * len(minutes) // 100)  # ceil, in integers
    return sorted(minutes)[rank - 1]


def share(part, whole):
    """`part` of `whole` in percent; None of nothing."""
    return 100 * part / whole if whole else None


@dataclass(frozen=True)
class OfficerFigures:
    """One officer's row: the facilitations they are responsible for (Facilitation.officer)."""

    name: str
    received: int
    completed: int
    within_standard: int
    median_minutes: float | None

    @property
    def within_share(self):
        return share(self.within_standard, self.completed)


@dataclass(frozen=True)
class Evaluation:
    """A service's quarter, as the page and the PDF print it."""

    service: Service
    year: int
    quarter: int
    received: int
    completed: int
    declined: int
    open_at_end: int
    within_standard: int
    missed: int
    median_minutes: float | None
    p90_minutes: int | None
    documents: list[tuple[str, int]]  # (DocumentKind label, issued in the quarter), every kind
    follow_ups_done: list[tuple[str, int]]  # (FollowUp.Kind label, done in the quarter), every kind
    officers: list[OfficerFigures]  # by name
    # A past quarter's figures still change (a report of it completed later): every output says when they were made.
    made_at: datetime

    @property
    def code(self):
        return quarter_code(self.year, self.quarter)

    @property
    def label(self):
        return quarter_label(self.year, self.quarter)

    @property
    def period_label(self):
        start, end = quarter_bounds(self.year, self.quarter)
        return f"{date_format(start.date(), 'j F Y')} - {date_format(end.date() - timedelta(days=1), 'j F Y')}"

    @property
    def made_label(self):
        return date_format(timezone.localtime(self.made_at), "j F Y H.i") + " WIB"

    @property
    def within_share(self):
        return share(self.within_standard, self.completed)

    @property
    def documents_total(self):
        return sum(count for _label, count in self.documents)

    @property
    def follow_ups_done_total(self):
        return sum(count for _label, count in self.follow_ups_done)

    @property
    def time_standard(self):
        return Facilitation.TIME_STANDARD_MINUTES

    @property
    def legend(self):
        return _(
            "Selesai: hasil layanan dilaporkan kepada Kabid (langkah 7) dalam triwulan ini, kapan pun laporannya "
            "diterima. Tidak dilanjutkan: ditolak Kabid dalam triwulan ini. Masih berjalan: diterima sampai akhir "
            "triwulan, tetapi pada akhir triwulan belum selesai dan tidak ditolak. Waktu layanan Dinas dihitung "
            "dalam menit kerja dari laporan diterima sampai hasil dilaporkan, di luar waktu menunggu Disdukcapil. "
            "Median: nilai tengah (untuk jumlah genap, rata-rata dua nilai tengah). Persentil ke-90: metode "
            "peringkat terdekat, yaitu waktu terkecil yang sama dengan atau lebih lama dari 90% waktu layanan yang "
            "selesai."
        )


def quarter_evaluation(service, year, quarter) -> Evaluation:
    """The evaluation of `service` in `quarter` (1-4) of `year`; see the module's docstring for what counts."""
    start, end = quarter_bounds(year, quarter)
    # Everything that was received, completed, declined or open in the quarter, and nothing finished before it.
    rows = (
        Facilitation.objects.filter(service=service, received_at__lt=end)
        .exclude(result_reported_at__lt=start)
        .exclude(status=REJECTED, status_changed_at__lt=start)
        .values("officer", "received_at", "result_reported_at", "status", "status_changed_at", "agency_minutes",
                "standard_missed")
    )
    received, declined, open_at_end = Counter(), 0, 0
    completed = defaultdict(list)  # officer -> (minutes, missed) of the facilitations completed
    for row in rows:
        reported = row["result_reported_at"]
        declined_at = row["status_changed_at"] if row["status"] == REJECTED else None
        if row["received_at"] >= start:
            received[row["officer"]] += 1
        if reported is not None and reported < end:
            completed[row["officer"]].append((row["agency_minutes"], row["standard_missed"]))
        elif declined_at is not None and declined_at < end:
            declined += 1
        else:
            open_at_end += 1
    results = [result for officer_results in completed.values() for result in officer_results]
    minutes = [m for m, _missed in results]
    missed = sum(was_missed for _m, was_missed in results)

    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=received.keys() | completed.keys())}
    officers = sorted(
        (
            OfficerFigures(
                name=person_name(user),
                received=received[user.pk],
                completed=len(completed[user.pk]),
                within_standard=sum(not was_missed for _m, was_missed in completed[user.pk]),
                median_minutes=median([m for m, _missed in completed[user.pk]]),
            )
            for user in users.values()
        ),
        key=lambda row: row.name.lower(),
    )

    day_range = (start.date(), end.date() - timedelta(days=1))
    documents = dict(
        IssuedDocument.objects.filter(facilitation__service=service, issued_on__range=day_range)
        .values_list("kind").annotate(n=Count("pk")).order_by()
    )
    follow_ups = dict(
        FollowUp.objects.filter(facilitation__service=service, state=FollowUp.State.DONE, done_on__range=day_range)
        .values_list("kind").annotate(n=Count("pk")).order_by()
    )
    return Evaluation(
        service=service,
        year=year,
        quarter=quarter,
        received=sum(received.values()),
        completed=len(minutes),
        declined=declined,
        open_at_end=open_at_end,
        within_standard=len(minutes) - missed,
        missed=missed,
        median_minutes=median(minutes),
        p90_minutes=percentile(minutes, 90),
        documents=[(str(label), documents.get(kind, 0)) for kind, label in DocumentKind.choices],
        follow_ups_done=[(str(label), follow_ups.get(kind, 0)) for kind, label in FollowUp.Kind.choices],
        officers=officers,
        made_at=timezone.now(),
    )


def evaluation_pdf(evaluation) -> bytes:
    """The evaluation as an A4 PDF under the letterhead of the service's unit."""
    return render_pdf(
        "identitas/documents/evaluation.html", {"evaluation": evaluation}, unit=evaluation.service.unit
    )
