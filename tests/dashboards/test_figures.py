"""The dashboard's figures of a service (portal.dashboards.figures), each written here by hand from the seeded
records: the PPKS facilitation service of the agency, at Thursday 10 December 2026 10.00 WIB."""

from datetime import timedelta
from decimal import Decimal

import pytest

from portal.dashboards.figures import service_figures
from portal.evaluation.figures import quarter_figures
from portal.periods import Quarter
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response
from portal.survey.services import address_hash
from tests.dashboards.conftest import wib

pytestmark = pytest.mark.django_db
NOW = wib(2026, 12, 10, 10, 0)


@pytest.fixture
def seeded(record, log):
    """Open facilitations around their due times, facilitations completed in the year and just outside it, and
    the steps each went through."""
    open_ = {
        "soon": record("identitas", "record", wib(2026, 12, 9, 9), due=NOW + timedelta(hours=2)),
        "late": record("identitas", "record", wib(2026, 12, 8, 9), due=NOW - timedelta(hours=1)),
        "later": record("identitas", "outreach", wib(2026, 12, 8, 10), due=NOW + timedelta(days=3)),
        "no_due": record("identitas", "report", wib(2026, 12, 10, 8)),
        "almost_a_day": record("identitas", "outreach", wib(2026, 12, 9, 11), due=NOW + timedelta(hours=23)),
        "due_now": record("identitas", "review", wib(2026, 12, 9, 12), due=NOW),  # due, not yet past it
    }
    done = {
        # March: within, late, declined without a due time.
        "within": record("identitas", "selesai", wib(2026, 3, 9, 8), wib(2026, 3, 10, 8), due=wib(2026, 3, 11, 8)),
        "late": record("identitas", "selesai", wib(2026, 3, 19, 8), wib(2026, 3, 20, 10), due=wib(2026, 3, 20, 9)),
        "declined": record("identitas", "ditolak", wib(2026, 3, 24, 8), wib(2026, 3, 25, 8)),
        # The first moment of the window, without a due time.
        "new_year": record("identitas", "selesai", wib(2025, 12, 30, 8), wib(2026, 1, 1, 0)),
        # On its due time to the minute: within.
        "on_time": record("identitas", "selesai", wib(2026, 11, 30, 8), wib(2026, 11, 30, 23, 30),
                          due=wib(2026, 11, 30, 23, 30)),
        "december": record("identitas", "selesai", wib(2026, 11, 30, 8), wib(2026, 12, 1, 8), due=wib(2026, 12, 2, 8)),
        # Completed on the first moment of the steps' window (October to December), without a due time.
        "autumn": record("identitas", "selesai", wib(2026, 9, 30, 8), wib(2026, 10, 1, 0)),
        # Closed before the window: not counted, and its steps not read.
        "last_year": record("identitas", "selesai", wib(2025, 12, 1, 8), wib(2025, 12, 31, 23), due=wib(2026, 1, 5, 8)),
    }
    log(done["within"], [("", "report", wib(2026, 3, 9, 8)), ("report", "review", wib(2026, 3, 9, 10)),
                         ("review", "record", wib(2026, 3, 9, 14)), ("record", "selesai", wib(2026, 3, 10, 8))])
    log(done["late"], [("", "report", wib(2026, 3, 19, 8)), ("report", "review", wib(2026, 3, 19, 12)),
                       ("review", "record", wib(2026, 3, 19, 13)), ("record", "selesai", wib(2026, 3, 20, 10))])
    log(done["december"], [("", "report", wib(2026, 11, 30, 8)), ("report", "review", wib(2026, 11, 30, 14)),
                           ("review", "selesai", wib(2026, 12, 1, 8))])
    log(done["new_year"], [("", "report", wib(2025, 12, 30, 8)), ("report", "review", wib(2025, 12, 30, 18)),
                           ("review", "selesai", wib(2026, 1, 1, 0))])
    # Its first wait ended before the steps' window; its second ends on the window's first moment.
    log(done["autumn"], [("", "report", wib(2026, 9, 30, 8)), ("report", "review", wib(2026, 9, 30, 20)),
                         ("review", "selesai", wib(2026, 10, 1, 0))])
    log(open_["later"], [("", "report", wib(2026, 12, 8, 10)), ("report", "outreach", wib(2026, 12, 9, 10))])
    log(done["last_year"], [("", "report", wib(2025, 12, 1, 8)), ("report", "selesai", wib(2025, 12, 31, 23))])
    return open_, done


def test_open_records_are_counted_per_step_with_those_due_soon_and_overdue(seeded, identitas_service):
    figures = service_figures(identitas_service, now=NOW)
    counted = {step.status: (step.open, step.due_soon, step.overdue) for step in figures.steps}
    assert counted == {
        "report": (1, 0, 0), "review": (1, 1, 0), "record": (2, 1, 1), "outreach": (2, 1, 0), "analysis": (0, 0, 0),
        "accompaniment": (0, 0, 0), "result_report": (0, 0, 0), "archive": (0, 0, 0),
    }
    assert [step.label for step in figures.steps][:2] == ["1. Laporan masuk", "2. Menunggu kajian Kabid"]
    assert (figures.open, figures.due_soon, figures.overdue) == (6, 3, 1)


def test_completed_per_month_and_within_the_standard_over_the_twelve_months(seeded, identitas_service):
    figures = service_figures(identitas_service, now=NOW)
    assert [m.start for m in figures.months] == [wib(2026, month, 1) for month in range(1, 13)]
    by_month = {m.start.month: (m.completed, m.within_standard, m.without_due) for m in figures.months}
    assert by_month == {1: (1, 0, 1), 2: (0, 0, 0), 3: (3, 1, 1), 4: (0, 0, 0), 5: (0, 0, 0), 6: (0, 0, 0),
                        7: (0, 0, 0), 8: (0, 0, 0), 9: (0, 0, 0), 10: (1, 0, 1), 11: (1, 1, 0), 12: (1, 1, 0)}
    assert figures.months[0].within_share is None  # none had a due time
    assert figures.months[2].within_share == 50
    year = figures.year
    assert (year.completed, year.within_standard, year.without_due) == (7, 3, 3)
    assert year.within_share == 75


def test_each_step_waited_as_its_transitions_say_in_the_last_three_months(seeded, identitas_service):
    figures = service_figures(identitas_service, now=NOW)
    assert figures.waits_since == wib(2026, 10, 1)
    waited = {step.status: (step.waits, step.median_hours) for step in figures.steps if step.waits}
    # From 1 October: report 6 and 24 hours (12 ended on 30 September); review 18 and 4; March's are older.
    assert waited == {"report": (2, 15), "review": (2, 11)}
    assert all(step.median_hours is None for step in service_figures(identitas_service, now=NOW, waits=False).steps)


def test_complaints_about_the_service_and_its_ikm(seeded, identitas_service, case_service, complaint):
    complaint(identitas_service, wib(2026, 2, 1, 9), status="selesai")
    complaint(identitas_service, wib(2026, 12, 9, 9), due=NOW - timedelta(hours=1))
    complaint(identitas_service, wib(2026, 12, 10, 9), due=NOW + timedelta(hours=5))
    complaint(identitas_service, wib(2025, 11, 1, 9), due=wib(2025, 11, 3, 9))  # before the year, still open
    complaint(case_service, wib(2026, 12, 9, 9), due=NOW - timedelta(hours=1))
    Response.objects.bulk_create(
        Response(service=identitas_service, submitted_at=wib(2026, 10, 5, 10), client_hash=address_hash(f"10.0.0.{n}"),
                 sex="P", age_band="20-29", education="s1", occupation="pns", **dict.fromkeys(ELEMENT_CODES, answer))
        for n, answer in enumerate([4, 3])
    )
    figures = service_figures(identitas_service, now=NOW)
    assert (figures.complaints_received, figures.complaints_open, figures.complaints_overdue) == (3, 3, 2)
    this_quarter, last_quarter = figures.ikm
    # Every element answered 4 and 3: 3.5 on the scale of 4, times 25.
    assert (this_quarter.quarter.code, this_quarter.respondents, this_quarter.value, this_quarter.letter) == (
        "2026-Q4", 2, Decimal("87.50"), "B")
    assert (last_quarter.quarter.code, last_quarter.respondents, last_quarter.value) == ("2026-Q3", 0, None)


def test_a_quarters_months_and_waits_are_the_evaluations_of_that_quarter(seeded, identitas_service, kabid):
    """The dashboard counts in SQL what the evaluation counts in Python: both read the same records alike."""
    figures = service_figures(identitas_service, now=NOW)
    for quarter, months in ((Quarter(2026, 1), figures.months[:3]), (Quarter(2026, 4), figures.months[9:])):
        evaluation = quarter_figures(identitas_service, quarter, kabid, now=NOW)
        assert (evaluation.completed, evaluation.within_standard, evaluation.without_due) == (
            sum(m.completed for m in months), sum(m.within_standard for m in months),
            sum(m.without_due for m in months),
        )
    # The last quarter is the dashboard's window of the steps' waits.
    assert figures.waits_since == Quarter(2026, 4).bounds()[0]
    assert {(s.status, s.waits, s.median_hours) for s in evaluation.longest_steps} == {
        (s.status, s.waits, s.median_hours) for s in figures.steps if s.waits
    }
