from datetime import date

import pytest

from portal.periods import Quarter, parse, recent

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("value", ["2026-Q5", "2026-Q0", "2027-Q1", "1999-Q4", "2026-3", "abc", "2026-Q03"])
def test_a_quarter_that_cannot_be_asked_is_refused(value):
    with pytest.raises(ValueError):
        parse(value, TODAY)


def test_a_quarter_is_parsed_and_none_means_the_current_one():
    assert parse("2026-Q3", TODAY) == Quarter(2026, 3)
    assert parse("2026-q4", TODAY) == Quarter(2026, 4)
    assert parse("2000-Q1", TODAY) == Quarter(2000, 1)
    assert parse("", TODAY) == Quarter(2026, 4)


def test_the_recent_quarters_run_back_across_the_year_newest_first():
    assert [q.code for q in recent(TODAY, count=5)] == ["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"]
    assert Quarter(2025, 4).label == "Triwulan IV 2025"


def test_a_quarter_runs_from_its_first_day_to_the_next_quarter_s_in_local_time():
    start, end = Quarter(2026, 4).bounds()
    assert (start.date(), end.date()) == (date(2026, 10, 1), date(2027, 1, 1))
    assert start.utcoffset().total_seconds() == 7 * 3600
