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

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from identitas.models import DocumentKind, Facilitation, FollowUp, IssuedDocument
from identitas.workflow import REJECTED
from portal.evaluation.figures import median, percentile, share
from portal.letters import person_name
from portal.models import Service
from portal.pdf import render_pdf
from portal.periods import Quarter

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
    quarter: Quarter
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
    def period_label(self):
        start, end = self.quarter.bounds()
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


def quarter_evaluation(service, quarter: Quarter) -> Evaluation:
    """The evaluation of `service` in `quarter`; see the module's docstring for what counts."""
    start, end = quarter.bounds()
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
