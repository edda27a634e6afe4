"""The quarterly performance evaluation (identitas.evaluation): figures the test recomputes from the stored rows.

The records are walked through the real services with the services' clock set into the past (`now_is`, as in
test_services.py: django.utils.timezone.now is what they read), so the agency's times are the ones the clock
measured; no stored field is edited afterwards. The project has neither time-machine nor freezegun.
"""

import math
from datetime import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from identitas import services
from identitas.policy import agency_minutes
from identitas.evaluation import evaluation_pdf, quarter_evaluation
from identitas.models import DocumentKind, Facilitation, FollowUp, IssuedDocument
from portal.models import TransitionLog
from portal.periods import Quarter
from tests.identitas.conftest import WIB, current, now_is, wib, take

# The quarter under test, Triwulan III 2026, in local time.
START, END = datetime(2026, 7, 1, tzinfo=WIB), datetime(2026, 10, 1, tzinfo=WIB)
KK = "3214012345678901"
BIRTH_CERTIFICATE = "3214-LT-07072026-0001"


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


@pytest.fixture
def officers(team):
    """The Tim Kerja with names, so the per-officer table sorts by them: Rina, Agus, Dedi."""
    for user, (first, last) in zip(team, [("Rina", "Marlina"), ("Agus", "Setiawan"), ("Dedi", "Kurniawan")]):
        user.first_name, user.last_name = first, last
        user.save()
    return team


@pytest.fixture
def handle(facilitation_at, new_facilitation, fire, officers, kabid):
    """handle(received, by=, reported=None, declined=None, documents=()): one facilitation as the team handles it.

    Reported: walked to step 7 at `received`, its result reported at `reported` (with a reason past the 300
    minutes), its follow-ups done and archived then; `documents` ((kind, number)) issued on that day too.
    Declined: recorded at `received`, declined by the Kabid at `declined`. Neither: left open in step 5.
    """
    worker = officers[0]

    def run(received, *, by, reported=None, declined=None, documents=()):
        if declined is not None:
            with now_is(received):
                record = new_facilitation(received_at=received, by=by)
                fire(record, "report", worker)
            with now_is(declined):
                fire(record, "review.decline", kabid, note="Bukan PPKS terlantar.")
            return current(record)
        if reported is None:
            with now_is(received):
                return facilitation_at("analysis", received_at=received, by=by)
        with now_is(received):
            record = facilitation_at("result_report", received_at=received, by=by)
        with now_is(reported):
            for kind, number in documents:
                services.document_add(
                    current(record), actor=worker, expected_status="result_report", kind=kind, number=number,
                    issued_on=reported.date(),
                )
            record = current(record)
            late = agency_minutes(record) > Facilitation.TIME_STANDARD_MINUTES
            take(record, worker, "result_report", summary="Dokumen terbit.",
                missed_reason="Antrean Disdukcapil panjang." if late else "",
            )
            for follow_up in FollowUp.objects.filter(facilitation=record):
                services.follow_up_update(
                    current(record), actor=worker, expected_status="archive", kind=follow_up.kind,
                    state=FollowUp.State.DONE, done_on=reported.date(),
                )
            fire(record, "archive", worker)
        return current(record)

    return run


@pytest.fixture
def quarter(handle, officers):
    """Triwulan III 2026 and what lies around it. Agency hours: Mon-Thu 08.00-14.45, Fri 08.00-11.00."""
    rina, agus, dedi = officers
    return {
        # Received and completed in the quarter: 240 and 435 minutes (Monday 405 + Tuesday 30), 120, 180.
        "a": handle(wib(2026, 7, 6, 8), by=rina, reported=wib(2026, 7, 6, 12), documents=[("kk", KK)]),
        "b": handle(wib(2026, 7, 6, 8), by=agus, reported=wib(2026, 7, 7, 8, 30),
                    documents=[("akta", BIRTH_CERTIFICATE)]),
        "c": handle(wib(2026, 7, 14, 8), by=rina, reported=wib(2026, 7, 14, 10)),
        "d": handle(wib(2026, 7, 15, 8), by=agus, reported=wib(2026, 7, 15, 11)),
        # Received in Triwulan II (its NIK issued then), completed in the quarter: 45 + 60 minutes.
        "e": handle(wib(2026, 6, 30, 14), by=rina, reported=wib(2026, 7, 1, 9)),
        # Received in the quarter, completed in Triwulan IV: open at the quarter's end.
        "f": handle(wib(2026, 9, 28, 8), by=dedi, reported=wib(2026, 10, 5, 9)),
        # Still in step 5.
        "g": handle(wib(2026, 7, 16, 9), by=dedi),
        # Declined in the quarter; declined only in Triwulan IV (open at the end); declined in Triwulan II.
        "h": handle(wib(2026, 7, 16, 9), by=agus, declined=wib(2026, 7, 16, 10)),
        "i": handle(wib(2026, 9, 30, 14), by=rina, declined=wib(2026, 10, 1, 8, 30)),
        "j": handle(wib(2026, 6, 10, 9), by=rina, declined=wib(2026, 6, 10, 10)),
        # All done in Triwulan II.
        "k": handle(wib(2026, 6, 10, 8), by=agus, reported=wib(2026, 6, 10, 12)),
    }


def in_quarter(moment):
    return moment is not None and START <= moment < END


def in_quarter_days(day):
    return START.date() <= day < END.date()


def nearest_rank(values, percent):
    return sorted(values)[math.ceil(percent / 100 * len(values)) - 1]


def middle(values):
    values, n = sorted(values), len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def recomputed(service):
    """Every figure of Triwulan III 2026, from the stored rows by the definitions, without identitas.evaluation."""
    declined_at = {
        entry.object_id: entry.at for entry in TransitionLog.objects.filter(transition="review.decline")
    }
    records = list(Facilitation.objects.filter(service=service).select_related("officer"))
    documents = IssuedDocument.objects.filter(facilitation__service=service)
    follow_ups_done = FollowUp.objects.filter(facilitation__service=service, state=FollowUp.State.DONE)
    completed = [r for r in records if in_quarter(r.result_reported_at)]
    minutes = [r.agency_minutes for r in completed]
    figures = {
        "received": sum(in_quarter(r.received_at) for r in records),
        "completed": len(completed),
        "declined": sum(in_quarter(declined_at.get(r.pk)) for r in records),
        "open_at_end": sum(
            r.received_at < END
            and not (r.result_reported_at and r.result_reported_at < END)
            and not (r.pk in declined_at and declined_at[r.pk] < END)
            for r in records
        ),
        "within_standard": sum(m <= 300 for m in minutes),
        "missed": sum(m > 300 for m in minutes),
        "median_minutes": middle(minutes),
        "p90_minutes": nearest_rank(minutes, 90),
        "documents": [
            (str(label), sum(d.kind == kind and in_quarter_days(d.issued_on) for d in documents))
            for kind, label in DocumentKind.choices
        ],
        "follow_ups_done": [
            (str(label), sum(f.kind == kind and in_quarter_days(f.done_on) for f in follow_ups_done))
            for kind, label in FollowUp.Kind.choices
        ],
    }
    officers = {}
    for record in records:
        name = record.officer.get_full_name()
        row = officers.setdefault(name, {"received": 0, "minutes": []})
        row["received"] += in_quarter(record.received_at)
        if record in completed:
            row["minutes"].append(record.agency_minutes)
    figures["officers"] = sorted(
        (
            name, row["received"], len(row["minutes"]),
            middle(row["minutes"]) if row["minutes"] else None,
            100 * sum(m <= 300 for m in row["minutes"]) / len(row["minutes"]) if row["minutes"] else None,
        )
        for name, row in officers.items()
        if row["received"] or row["minutes"]
    )
    return figures


def as_figures(evaluation):
    names = ("received", "completed", "declined", "open_at_end", "within_standard", "missed", "median_minutes",
             "p90_minutes", "documents", "follow_ups_done")
    figures = {name: getattr(evaluation, name) for name in names}
    figures["officers"] = [
        (o.name, o.received, o.completed, o.median_minutes, o.within_share) for o in evaluation.officers
    ]
    return figures


# The figures.


def test_every_figure_of_a_quarter_is_what_the_rows_say(quarter, identitas_service):
    evaluation = quarter_evaluation(identitas_service, Quarter(2026, 3))

    assert as_figures(evaluation) == recomputed(identitas_service)


def test_the_quarter_holds_the_times_the_clock_measured(quarter, identitas_service):
    evaluation = quarter_evaluation(identitas_service, Quarter(2026, 3))

    completed = Facilitation.objects.filter(pk__in=[quarter[key].pk for key in "abcde"])
    assert sorted(completed.values_list("agency_minutes", flat=True)) == [105, 120, 180, 240, 435]
    assert (evaluation.received, evaluation.completed, evaluation.declined, evaluation.open_at_end) == (8, 5, 1, 3)
    assert (evaluation.within_standard, evaluation.missed, evaluation.within_share) == (4, 1, 80.0)
    assert (evaluation.median_minutes, evaluation.p90_minutes) == (180, 435)
    assert dict(evaluation.documents) == {
        "Perekaman NIK": 5, "KTP-el": 0, "Kartu Keluarga": 1, "Akta Kelahiran": 1, "Kartu Identitas Anak": 0,
    }
    assert evaluation.documents_total == 7
    assert dict(evaluation.follow_ups_done) == {
        "Pendaftaran DTKS/DTSEN": 5, "Jaminan kesehatan (PBI JK)": 5, "Bantuan sosial (PKH/BPNT)": 0,
        "Rehabilitasi sosial / panti": 0,
    }
    # An even count per officer: Agus's 180 and 435 give 307.5.
    assert [(o.name, o.received, o.completed, o.median_minutes, o.within_share) for o in evaluation.officers] == [
        ("Agus Setiawan", 3, 2, 307.5, 50.0),
        ("Dedi Kurniawan", 2, 0, None, None),
        ("Rina Marlina", 3, 3, 120, 100.0),
    ]
    assert (evaluation.quarter.code, evaluation.quarter.label) == ("2026-Q3", "Triwulan III 2026")


def test_the_quarters_around_it_count_their_own(quarter, identitas_service):
    before = quarter_evaluation(identitas_service, Quarter(2026, 2))
    after = quarter_evaluation(identitas_service, Quarter(2026, 4))

    # Triwulan II: e, j and k received; j declined; k completed; e open at its end.
    assert (before.received, before.completed, before.declined, before.open_at_end) == (3, 1, 1, 1)
    # Triwulan IV: f completed, i declined, nothing received; g still in step 5 at its end.
    assert (after.received, after.completed, after.declined, after.open_at_end) == (0, 1, 1, 1)
    assert after.missed == 1 and after.p90_minutes == after.median_minutes > 300


def test_an_empty_quarter(identitas_service):
    evaluation = quarter_evaluation(identitas_service, Quarter(2026, 1))

    assert (evaluation.received, evaluation.completed, evaluation.declined, evaluation.open_at_end) == (0, 0, 0, 0)
    assert (evaluation.median_minutes, evaluation.p90_minutes, evaluation.within_share) == (None, None, None)
    assert [label for label, _count in evaluation.documents] == [str(label) for _kind, label in DocumentKind.choices]
    assert evaluation.documents_total == evaluation.follow_ups_done_total == 0
    assert evaluation.officers == []
    assert evaluation_pdf(evaluation).startswith(b"%PDF")


def test_another_service_is_not_counted(quarter, identitas_service, rehdayasos):
    other = type(identitas_service).objects.create(slug="lain", name="Layanan lain", unit=rehdayasos, app="identitas")

    evaluation = quarter_evaluation(other, Quarter(2026, 3))

    assert (evaluation.received, evaluation.completed, evaluation.documents_total) == (0, 0, 0)


def test_the_query_count_does_not_grow_with_the_records(facilitation_at, fire, kabid, team, identitas_service):
    def build(count):
        for n in range(count):
            by = team[n % 3]
            if n % 3 == 0:
                facilitation_at("selesai", by=by)
            elif n % 3 == 1:
                facilitation_at("outreach", by=by)
            else:
                record = facilitation_at("review", by=by)
                fire(record, "review.decline", kabid, note="Bukan PPKS terlantar.")

    def queries():
        with CaptureQueriesContext(connection) as context:
            evaluation = quarter_evaluation(identitas_service, Quarter(2026, 4))
        return len(context), evaluation

    with now_is(wib(2026, 11, 24, 9)):
        build(3)
        few, evaluation = queries()
        assert evaluation.received == 3
        build(17)
        many, evaluation = queries()
    assert (evaluation.received, evaluation.completed, evaluation.declined) == (20, 7, 6)
    assert few == many == 4  # the rows, their officers, the documents, the follow-ups


# The outputs.


@pytest.fixture
def letterhead(agency):
    agency.government_name, agency.agency_name = "Pemerintah Kabupaten Contoh", "Dinas Sosial Contoh"
    agency.address = "Jl. Taman Pahlawan No. 9"
    agency.save()
    return agency


def test_the_pdf_prints_the_figures_under_the_letterhead(quarter, identitas_service, letterhead):
    text = text_of(evaluation_pdf(quarter_evaluation(identitas_service, Quarter(2026, 3))))

    for expected in (
        "DINAS SOSIAL CONTOH", "Jl. Taman Pahlawan No. 9", "EVALUASI KINERJA PELAKSANA", "Triwulan III 2026",
        "1 Juli 2026 - 30 September 2026", "Laporan diterima 8", "Masih berjalan pada akhir triwulan 3",
        "Selesai dalam standar 300 menit 4 (80,0%)", "Persentil ke-90 waktu layanan Dinas (menit kerja) 435",
        "Perekaman NIK 5", "Agus Setiawan 3 2 307,5 50,0%", "Dedi Kurniawan 2 0 - -", "peringkat terdekat",
    ):
        assert expected in text
    # Counts and times only: no person, no reporter.
    assert "Mbah Karta" not in text and "Ketua RT" not in text


def test_the_page_offers_the_services_and_quarters_and_shows_the_figures(quarter, identitas_service, kabid):
    request = RequestFactory().get("/", {"layanan": identitas_service.slug, "periode": "2026-Q3"})
    request.user = kabid
    query = f"layanan={identitas_service.slug}&periode=2026-Q3"
    html = render_to_string("identitas/evaluation.html", {
        "evaluation": quarter_evaluation(identitas_service, Quarter(2026, 3)),
        "service": identitas_service,
        "services": [identitas_service],
        "quarter": Quarter(2026, 3),
        "quarters": [Quarter(2026, 4), Quarter(2026, 3), Quarter(2026, 2)],
        "query": query,
        "pdf_url": f"/identitas/evaluasi.pdf?{query}",
    }, request=request)

    assert '<label class="form-label" for="layanan">' in html
    assert '<select class="form-select" id="layanan" name="layanan">' in html
    assert '<label class="form-label" for="periode">' in html
    assert '<select class="form-select" id="periode" name="periode">' in html
    assert '<option value="2026-Q3" selected>Triwulan III 2026</option>' in html
    assert '<option value="2026-Q2">Triwulan II 2026</option>' in html
    assert f'<option value="{identitas_service.slug}" selected>' in html
    assert 'href="/identitas/evaluasi.pdf?layanan=identitas-ppks&amp;periode=2026-Q3"' in html
    assert html.count('scope="col"') == 2 + 2 + 2 + 5 and 'scope="row"' in html
    # The evaluation the leadership writes and signs is portal.evaluation's, for every service: linked from here.
    assert f'href="/evaluasi/?layanan={identitas_service.slug}&amp;periode=2026-Q3"' in html
    assert '<th scope="row" class="fw-normal">Agus Setiawan</th>' in html
    assert "307,5" in html and "80,0%" in html
    assert "Mbah Karta" not in html
