"""The figures of a service's quarter (portal.evaluation.figures), each recomputed here from the seeded records by
hand or by a different walk than the module's, and what they cost."""

import math
import statistics
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.evaluation.figures import Figures, median, percentile, quarter_figures
from portal.guarantee.models import MissedStandard, Promise
from portal.guarantee.policy import record_key
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response
from portal.survey.services import address_hash
from portal.workflow import DONE
from tests.evaluation.conftest import END, Q3, START, VICTIM, wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 12, 1, 9, 0)


@pytest.fixture
def seeded(make_ticket, log, worker, kabid):
    """The records of the quarter and around it, with the working minutes each took counted by hand."""
    tickets = {
        # Friday 14 August 10.00 to Tuesday 18 August 09.00: Fri 10-11, Mon 17 Aug a holiday, Tue 08-09: 120.
        "late": make_ticket(wib(2026, 8, 14, 10), wib(2026, 8, 18, 9), due=wib(2026, 8, 14, 11)),
        # Monday 7 September 08.00 to 12.00: 240.
        "quick": make_ticket(wib(2026, 9, 7, 8), wib(2026, 9, 7, 12), due=wib(2026, 9, 9, 14, 45)),
        # Declined, without a due time: Tuesday 1 September 08.00 to Wednesday 08.00: 405.
        "declined": make_ticket(wib(2026, 9, 1, 8), wib(2026, 9, 2, 8), status="ditolak"),
        # Received in the quarter before, closed in this one: Mon 29 Jun, Tue 30 Jun, Wed 1 Jul, 405 each: 1215.
        "carried": make_ticket(wib(2026, 6, 29, 8), wib(2026, 7, 2, 8), due=wib(2026, 7, 3, 11)),
        "open": make_ticket(wib(2026, 9, 28, 9), due=wib(2026, 10, 5, 14, 45)),
        # Closed after the quarter: open at its end, missed its due time.
        "closed_later": make_ticket(wib(2026, 9, 20, 9), wib(2026, 10, 2, 9), due=wib(2026, 9, 25, 14, 45)),
        "next_quarter": make_ticket(wib(2026, 10, 2, 9), wib(2026, 10, 3, 9), due=wib(2026, 10, 9, 9)),
        "before": make_ticket(wib(2026, 6, 1, 9), wib(2026, 6, 10, 9), due=wib(2026, 6, 5, 9)),
    }
    working_minutes = {"late": 120, "quick": 240, "declined": 405, "carried": 1215}
    steps = {
        "quick": [("", "received", wib(2026, 9, 7, 8), worker), ("received", "checked", wib(2026, 9, 7, 9), worker),
                  ("checked", "decided", wib(2026, 9, 7, 10), worker),
                  ("decided", "processed", wib(2026, 9, 7, 11, 30), kabid),
                  ("processed", DONE, wib(2026, 9, 7, 12), worker)],
        "late": [("", "received", wib(2026, 8, 14, 10), worker),
                 ("received", "checked", wib(2026, 8, 14, 10, 30), worker),
                 ("checked", "decided", wib(2026, 8, 17, 10, 30), worker),
                 ("decided", "processed", wib(2026, 8, 18, 8), kabid),
                 ("processed", DONE, wib(2026, 8, 18, 9), worker)],
        "carried": [("", "received", wib(2026, 6, 29, 8), worker),
                    ("received", "checked", wib(2026, 6, 30, 8), worker),
                    ("checked", "decided", wib(2026, 7, 1, 8), worker),
                    ("decided", "processed", wib(2026, 7, 2, 7), kabid),
                    ("processed", DONE, wib(2026, 7, 2, 8), worker)],
        "declined": [("", "received", wib(2026, 9, 1, 8), worker),
                     ("received", "checked", wib(2026, 9, 1, 8, 30), worker),
                     ("checked", "decided", wib(2026, 9, 1, 10), worker),
                     ("decided", "ditolak", wib(2026, 9, 2, 8), kabid)],
    }
    for name, rows in steps.items():
        log(tickets[name], rows)
    return tickets, working_minutes, steps


def nearest_rank(values, percent):
    ordered = sorted(values)
    return ordered[math.ceil(percent / 100 * len(ordered)) - 1]


def test_the_volumes_and_times_are_what_the_records_say(seeded, service, superior):
    tickets, working_minutes, _steps = seeded
    records = list(tickets.values())
    final = ("selesai", "ditolak")
    completed = [t for t in records if t.status in final and START <= t.status_changed_at < END]
    with_due = [t for t in completed if t.due_at]
    figures = quarter_figures(service, Q3, superior, now=NOW)

    assert figures.received == len([t for t in records if START <= t.created_at < END]) == 5
    assert figures.completed == len(completed) == 4
    assert dict(figures.closed_by_status) == {"Selesai": 3, "Ditolak": 1}
    open_at_end = [t for t in records if t.created_at < END and not (t.status in final and t.status_changed_at < END)]
    assert figures.open_at_end == len(open_at_end) == 2
    within = [t for t in with_due if t.status_changed_at <= t.due_at]
    assert (figures.within_standard, figures.without_due) == (len(within), 1) == (2, 1)
    assert round(figures.within_share, 1) == round(100 * 2 / 3, 1)

    elapsed = [(t.status_changed_at - t.created_at).total_seconds() / 3600 for t in completed]
    assert sorted(elapsed) == [4, 24, 72, 95]
    assert figures.median_hours == statistics.median(elapsed) == 48
    assert figures.p90_hours == nearest_rank(elapsed, 90) == 95
    working = [minutes / 60 for minutes in working_minutes.values()]
    assert figures.working_time
    assert figures.median_working_hours == statistics.median(working) == (4 + 6.75) / 2
    assert figures.p90_working_hours == nearest_rank(working, 90) == 20.25


def test_the_steps_that_waited_longest_come_from_the_transitions(seeded, service, superior):
    _tickets, _minutes, steps = seeded
    waits = {}
    for rows in steps.values():
        for (_f, entered, at, _a), (left, _t, left_at, _b) in zip(rows, rows[1:]):
            assert entered == left
            if START <= left_at < END:
                waits.setdefault(entered, []).append((left_at - at).total_seconds() / 3600)
    medians = sorted(((statistics.median(v), k) for k, v in waits.items()), reverse=True)[:3]
    figures = quarter_figures(service, Q3, superior, now=NOW)
    assert [(s.status, s.median_hours) for s in figures.longest_steps] == [(k, m) for m, k in medians]
    assert [(s.label, s.median_hours, s.waits) for s in figures.longest_steps] == [
        ("Menunggu keputusan", 21.75, 4), ("Permohonan diperiksa", 12.75, 4), ("Permohonan diproses", 1, 3),
    ]


def test_per_officer_counts_the_steps_each_took_in_the_quarter(seeded, service, superior, worker, kabid):
    _tickets, _minutes, steps = seeded
    rows = [row for rows in steps.values() for row in rows if START <= row[2] < END]
    taken = Counter(actor.pk for _f, _t, _at, actor in rows)
    closed = Counter(actor.pk for _f, to, _at, actor in rows if to in ("selesai", "ditolak"))
    figures = quarter_figures(service, Q3, superior, per_officer=True, now=NOW)
    assert [(o.name, o.steps, o.closed) for o in figures.officers] == [
        ("Agus Setiawan", taken[kabid.pk], closed[kabid.pk]), ("Nining Sumarni", taken[worker.pk], closed[worker.pk]),
    ]
    assert quarter_figures(service, Q3, superior, now=NOW).officers is None


def test_complaints_about_the_service_count_with_their_response_times(service, superior, complaint, agency):
    other = type(service).objects.create(slug="lain", name="Layanan Lain", unit=agency, app="testapp")
    rows = [
        complaint(service, wib(2026, 8, 3, 9), wib(2026, 8, 4, 9), wib(2026, 8, 5, 14, 45), wib(2026, 8, 4, 10)),
        complaint(service, wib(2026, 9, 1, 8), wib(2026, 9, 3, 20), wib(2026, 9, 3, 14, 45), wib(2026, 9, 4, 8)),
        complaint(service, wib(2026, 9, 29, 8), None, wib(2026, 10, 1, 14, 45)),
        complaint(other, wib(2026, 8, 3, 9)),
        complaint(service, wib(2026, 6, 3, 9)),
    ]
    about = [c for c in rows if c.about_id == service.pk and START <= c.created_at < END]
    responses = [(c.first_response_at - c.created_at).total_seconds() / 3600 for c in about if c.first_response_at]
    overdue = [c for c in about if c.due_at and (
        (c.status == DONE and c.status_changed_at > c.due_at) or (c.status != DONE and c.due_at < NOW))]
    figures = quarter_figures(service, Q3, superior, now=NOW)
    assert (figures.complaints, figures.complaints_answered) == (len(about), len(responses)) == (3, 2)
    assert figures.complaints_median_response_hours == statistics.median(responses) == (24 + 60) / 2
    assert figures.complaints_overdue == len(overdue) == 2


def test_the_ikm_and_the_missed_standards_with_their_compensation(seeded, service, superior):
    tickets, _minutes, _steps = seeded
    Response.objects.bulk_create(
        Response(service=service, submitted_at=wib(2026, 8, 1, 10), client_hash=address_hash(f"10.0.0.{n}"),
                 sex="L", age_band="20-29", education="s1", occupation="pns", **dict.fromkeys(ELEMENT_CODES, 3))
        for n in range(4)
    )
    Promise.objects.create(service=service, compensation=True, words="Kompensasi")
    late = tickets["late"]
    MissedStandard.objects.create(
        **record_key(late), service=service, unit=late.unit, record_number=str(late.pk), due_at=late.due_at,
        decision=MissedStandard.Decision.GIVEN, compensation="Layanan antar", given_on=wib(2026, 8, 20).date(),
        given_to=MissedStandard.Recipient.SERVED, decided_at=timezone.now(),
    )
    figures = quarter_figures(service, Q3, superior, now=NOW)
    assert (figures.ikm_respondents, figures.ikm_value, figures.ikm_letter) == (4, "75.00", "C")
    due = [t for t in tickets.values() if t.due_at and START <= t.due_at < END]
    missed = [t for t in due if (t.status_changed_at > t.due_at if t.status in ("selesai", "ditolak") else t.due_at < NOW)]
    assert (figures.missed_due, figures.missed_count) == (len(due), len(missed)) == (4, 2)
    assert [row.number for row in figures.missed] == [str(t.pk) for t in sorted(missed, key=lambda t: t.due_at)]
    assert figures.missed[0].decision.startswith("Layanan antar, diberikan kepada penerima layanan")
    assert figures.compensation_promised


def test_the_figures_name_no_person_served_and_survive_json(seeded, service, superior):
    figures = quarter_figures(service, Q3, superior, per_officer=True, now=NOW)
    data = figures.as_json()
    assert VICTIM not in str(data)
    assert Figures.from_json(data) == figures


def test_an_empty_quarter(service, superior):
    figures = quarter_figures(service, Q3, superior, now=NOW)
    assert (figures.received, figures.completed, figures.open_at_end) == (0, 0, 0)
    assert figures.median_hours is None and figures.within_share is None and figures.longest_steps == []


@pytest.mark.parametrize("count", [5, 60])
def test_the_queries_do_not_grow_with_the_records(count, service, superior, make_ticket, log, worker, complaint,
                                                  django_assert_num_queries):
    for number in range(count):
        created = wib(2026, 8, 3, 9) + timedelta(hours=number)
        ticket = make_ticket(created, created + timedelta(hours=5), due=created + timedelta(hours=4))
        log(ticket, [("", "received", created, worker), ("received", DONE, created + timedelta(hours=5), worker)])
        complaint(service, created, created + timedelta(hours=3), created + timedelta(days=2))
    superior.refresh_from_db()  # a fresh user: access read inside the count
    with django_assert_num_queries(EXPECTED_QUERIES):
        figures = quarter_figures(service, Q3, superior, per_officer=True, now=NOW)
    assert figures.completed == count


# The records; the division's calendar (its unit walked up, the hours of each level, the days off); the
# transitions; the officers; the complaints; the IKM (three); the register (access, counts, rows, entries, calendar, promise).
EXPECTED_QUERIES = 24


@pytest.mark.parametrize(
    ("minutes", "expected_median", "expected_p90"),
    [
        ([240], 240, 240),
        ([120, 240, 435], 240, 435),  # odd: the middle one; rank ceil(2.7) = 3
        ([60, 120, 180, 240], 150, 240),  # even: the mean of the middle two; rank ceil(3.6) = 4, not 222 interpolated
        (list(range(10, 110, 10)), 55, 90),  # rank ceil(9.0) = 9
        (list(range(10, 120, 10)), 60, 100),  # rank ceil(9.9) = 10
        ([], None, None),
    ],
)
def test_the_median_and_the_nearest_rank_percentile(minutes, expected_median, expected_p90):
    assert median(minutes) == expected_median
    assert percentile(list(reversed(minutes)), 90) == expected_p90
