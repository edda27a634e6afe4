"""Working time (portal.clock), in the agency's hours: Mon-Thu 08.00-14.45, Fri 08.00-11.00 WIB.

Dates used, checked against the calendar:
2026-03-02 is a Monday; 2026-08-17 (Independence Day) is a Monday;
2025-12-25 (Christmas) is a Thursday, 2025-12-26 cuti bersama.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from portal.clock import NoServiceHours, WorkingCalendar, add_months
from portal.models import DayOff, ServiceHours
from portal.workflow import TimeStandard
from tests.conftest import AGENCY_HOURS

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


@pytest.fixture
def calendar():
    periods = {}
    for weekday, opens, closes in AGENCY_HOURS:
        periods.setdefault(weekday, []).append((opens, closes))
    return WorkingCalendar(periods)


# add_working_minutes


def test_minutes_within_a_day_add_up_on_the_same_day(calendar):
    assert calendar.add_working_minutes(at(2026, 3, 2, 9), 90) == at(2026, 3, 2, 10, 30)


def test_minutes_before_opening_start_counting_at_opening(calendar):
    assert calendar.add_working_minutes(at(2026, 3, 2, 6), 30) == at(2026, 3, 2, 8, 30)


def test_minutes_ending_exactly_at_closing_are_due_at_closing(calendar):
    assert calendar.add_working_minutes(at(2026, 3, 6, 10), 60) == at(2026, 3, 6, 11)


def test_minutes_span_the_friday_close_into_monday(calendar):
    assert calendar.add_working_minutes(at(2026, 3, 6, 10, 30), 60) == at(2026, 3, 9, 8, 30)


def test_a_friday_afternoon_start_begins_monday_at_eight(calendar):
    assert calendar.add_working_minutes(at(2026, 3, 6, 13), 30) == at(2026, 3, 9, 8, 30)


def test_a_weekend_start_begins_monday_at_eight(calendar):
    assert calendar.add_working_minutes(at(2026, 3, 7, 10), 30) == at(2026, 3, 9, 8, 30)


def test_a_multi_day_span_of_300_minutes_crosses_thursday_friday_and_the_weekend(calendar):
    # Thursday 13.00-14.45 is 105, Friday 180, so 15 minutes remain for Monday.
    assert calendar.add_working_minutes(at(2026, 3, 5, 13), 300) == at(2026, 3, 9, 8, 15)


def test_independence_day_is_skipped(calendar):
    # Friday 10.30: 30 minutes on Friday, Monday 17 August is a holiday, 30 on Tuesday.
    assert not calendar.is_working_day(date(2026, 8, 17))
    assert calendar.add_working_minutes(at(2026, 8, 14, 10, 30), 60) == at(2026, 8, 18, 8, 30)


def test_christmas_and_its_joint_leave_day_are_skipped(calendar):
    # Friday 26 December 2025 is cuti bersama.
    assert not calendar.is_working_day(date(2025, 12, 25))
    assert calendar.add_working_minutes(at(2025, 12, 24, 14, 15), 60) == at(2025, 12, 29, 8, 30)


def test_an_ordinary_weekday_is_a_working_day_and_a_weekend_is_not(calendar):
    assert calendar.is_working_day(date(2026, 3, 2))
    assert not calendar.is_working_day(date(2026, 3, 7))
    assert not calendar.is_working_day(date(2026, 3, 8))


def test_a_given_day_off_is_skipped():
    periods = {weekday: [(opens, closes)] for weekday, opens, closes in AGENCY_HOURS}
    calendar = WorkingCalendar(periods, days_off={date(2026, 3, 3)})
    assert calendar.add_working_minutes(at(2026, 3, 2, 14, 15), 60) == at(2026, 3, 4, 8, 30)


def test_a_day_with_two_periods_skips_the_break():
    calendar = WorkingCalendar({0: [(time(13), time(15)), (time(8), time(12))]})
    assert calendar.add_working_minutes(at(2026, 3, 2, 11), 90) == at(2026, 3, 2, 13, 30)


# add_working_days


def test_working_days_are_due_at_closing_of_the_nth_day_after_the_clock_starts(calendar):
    # The docstring's example: Monday 10.00 with 2 days is due Wednesday at closing.
    assert calendar.add_working_days(at(2026, 3, 2, 10), 2) == at(2026, 3, 4, 14, 45)


def test_working_days_after_closing_start_the_clock_the_next_working_day(calendar):
    assert calendar.add_working_days(at(2026, 3, 2, 15), 2) == at(2026, 3, 5, 14, 45)


def test_working_days_from_a_friday_afternoon_start_the_clock_on_monday(calendar):
    assert calendar.add_working_days(at(2026, 3, 6, 13), 1) == at(2026, 3, 10, 14, 45)


def test_working_days_due_on_a_friday_are_due_at_the_friday_close(calendar):
    assert calendar.add_working_days(at(2026, 3, 4, 10), 2) == at(2026, 3, 6, 11)


def test_working_days_skip_a_public_holiday(calendar):
    # Friday 14 August starts the clock; Monday 17 is Independence Day, so Tuesday is day 1.
    assert calendar.add_working_days(at(2026, 8, 14, 10), 1) == at(2026, 8, 18, 14, 45)


# working_minutes_between


def test_working_minutes_between_two_times_of_one_day(calendar):
    assert calendar.working_minutes_between(at(2026, 3, 2, 9), at(2026, 3, 2, 10, 30)) == 90


def test_working_minutes_between_count_only_service_hours_over_a_weekend(calendar):
    assert calendar.working_minutes_between(at(2026, 3, 6, 10), at(2026, 3, 9, 9)) == 120


def test_working_minutes_between_are_negative_when_the_end_is_earlier(calendar):
    assert calendar.working_minutes_between(at(2026, 3, 9, 9), at(2026, 3, 6, 10)) == -120


def test_working_minutes_between_skip_a_public_holiday(calendar):
    assert calendar.working_minutes_between(at(2026, 8, 14, 10), at(2026, 8, 18, 9)) == 120


def test_working_minutes_between_outside_service_hours_are_zero(calendar):
    assert calendar.working_minutes_between(at(2026, 3, 7, 10), at(2026, 3, 8, 12)) == 0


@pytest.mark.parametrize("minutes", [1, 45, 180, 405, 600, 3000])
def test_working_minutes_between_undo_add_working_minutes(calendar, minutes):
    start = at(2026, 8, 13, 12, 10)
    assert calendar.working_minutes_between(start, calendar.add_working_minutes(start, minutes)) == minutes


# add_months


def test_add_months_from_31_january_ends_on_the_last_day_of_february():
    assert add_months(at(2026, 1, 31, 10), 1) == at(2026, 2, 28, 10)
    assert add_months(at(2028, 1, 31, 10), 1) == at(2028, 2, 29, 10)


def test_add_months_keeps_the_day_and_the_time_when_it_exists():
    assert add_months(at(2026, 3, 15, 9, 30), 3) == at(2026, 6, 15, 9, 30)


def test_add_months_crosses_the_year():
    assert add_months(at(2025, 11, 30, 10), 3) == at(2026, 2, 28, 10)


# Time standards, counted in a calendar.


def test_time_standards_count_minutes_hours_days_and_months(calendar):
    start = at(2026, 3, 6, 10)
    assert TimeStandard(30, "minutes").due(start, calendar) == at(2026, 3, 6, 10, 30)
    assert TimeStandard(2, "hours").due(start, calendar) == at(2026, 3, 9, 9)
    assert TimeStandard(1, "days").due(start, calendar) == at(2026, 3, 9, 14, 45)
    # 6 June 2026 is a Saturday: three months end at closing time of the next working day.
    assert TimeStandard(3, "months").due(start, calendar) == at(2026, 6, 8, 14, 45)


def test_months_end_at_closing_time_of_the_working_day_they_reach(calendar):
    assert TimeStandard(3, "months").due(at(2026, 3, 10, 10), calendar) == at(2026, 6, 10, 14, 45)
    # 1 June is Hari Lahir Pancasila, a national holiday.
    assert TimeStandard(3, "months").due(at(2026, 3, 1, 10), calendar) == at(2026, 6, 2, 14, 45)


@pytest.mark.parametrize("amount, unit", [(0, "days"), (-1, "hours"), (1, "weeks")])
def test_a_time_standard_refuses_a_bad_amount_or_unit(amount, unit):
    with pytest.raises(ValueError):
        TimeStandard(amount, unit)


# Building a calendar.


def test_an_empty_schedule_raises_no_service_hours():
    with pytest.raises(NoServiceHours):
        WorkingCalendar({})
    with pytest.raises(NoServiceHours):
        WorkingCalendar({0: [], 4: []})


def test_working_calendar_of_a_unit_without_hours_anywhere_up_the_tree_raises_no_service_hours(government):
    with pytest.raises(NoServiceHours):
        government.working_calendar()


def test_working_calendar_uses_the_nearest_ancestors_hours(agency, division):
    # The division has no hours of its own, so the agency's Friday close at 11.00 applies.
    assert division.working_calendar().add_working_minutes(at(2026, 3, 6, 10, 30), 60) == at(2026, 3, 9, 8, 30)


def test_working_calendar_prefers_the_units_own_hours(agency, division, uptd):
    for weekday in range(5):
        ServiceHours.objects.create(unit=division, weekday=weekday, opens=time(7, 30), closes=time(16))
    assert division.working_calendar().add_working_minutes(at(2026, 3, 6, 10, 30), 60) == at(2026, 3, 6, 11, 30)
    assert uptd.working_calendar().add_working_minutes(at(2026, 3, 6, 10, 30), 60) == at(2026, 3, 9, 8, 30)


def test_working_calendar_skips_a_day_off_for_every_unit(division):
    DayOff.objects.create(date=date(2026, 3, 3), name="Libur daerah")
    assert division.working_calendar().add_working_minutes(at(2026, 3, 2, 14, 15), 60) == at(2026, 3, 4, 8, 30)


def test_working_calendar_skips_a_day_off_of_the_units_parent(agency, division):
    DayOff.objects.create(date=date(2026, 3, 3), name="Libur dinas", unit=agency)
    assert division.working_calendar().add_working_minutes(at(2026, 3, 2, 14, 15), 60) == at(2026, 3, 4, 8, 30)


def test_working_calendar_ignores_a_day_off_of_a_sibling_unit(division, uptd):
    DayOff.objects.create(date=date(2026, 3, 3), name="Cuti UPTD", unit=uptd)
    assert division.working_calendar().add_working_minutes(at(2026, 3, 2, 14, 15), 60) == at(2026, 3, 3, 8, 30)


def test_the_governments_joint_leave_days_count_as_days_off_without_being_entered(calendar):
    # Monday 16 February 2026 is cuti bersama for the Lunar New Year of Tuesday 17 February.
    assert calendar.add_working_minutes(at(2026, 2, 13, 10, 30), 60) == at(2026, 2, 18, 8, 30)
    assert not calendar.is_working_day(date(2026, 2, 16))
