"""The agency's clock around a wait for Disdukcapil (identitas.services.wait_start / wait_end), for any wait.

Rounding rule under test: a wait counts the whole working minutes it lasted, rounded down as the clock rounds the
agency's own minutes, and the due time moves on by exactly those minutes of working time. So the agency never
gains time from a wait (it is never counted longer than it lasted) and the due time never moves earlier: a wait
shorter than a working minute moves it by nothing. A record already late when the wait began stays late.

Each example runs in a savepoint rolled back at its end, on one facilitation waiting in step 6; the agency works
Mon-Thu 08.00-14.45 and Fri 08.00-11.00, and the window holds the Christmas holidays (24-25 December 2026, a
Thursday and a Friday) and New Year's Day (Friday 1 January 2027).
"""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from identitas import services
from identitas.models import DisdukcapilWait, Facilitation
from tests.identitas.conftest import current, now_is, wib

pytestmark = pytest.mark.django_db

WINDOW_START = wib(2026, 12, 17)  # a Thursday
WINDOW_SECONDS = 22 * 24 * 3600  # to Friday 8 January 2027

moments = st.integers(0, WINDOW_SECONDS).map(lambda second: WINDOW_START + timedelta(seconds=second))
waits = st.one_of(
    st.integers(0, 59),  # under a minute
    st.integers(60, 3 * 3600),  # within a day's hours, or across closing time
    st.integers(0, 10 * 24 * 3600),  # across nights, weekends and holidays
).map(lambda seconds: timedelta(seconds=seconds))
# Where the due time stood when the wait began, from long before it (late) to days after it.
due_offsets = st.integers(-3 * 24 * 3600, 6 * 24 * 3600).map(lambda seconds: timedelta(seconds=seconds))


@pytest.fixture
def waiting_record(facilitation_at):
    return facilitation_at("accompaniment")


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# A wait of no time, begun 40 seconds into a minute while the due time stood 30 seconds into one: the minutes left
# were floored from the wait's start and the due time moved from 13.00.30 to 12.59.40.
@example(start=wib(2026, 12, 21, 10, 0, 40), wait=timedelta(0), due_offset=timedelta(hours=2, minutes=59, seconds=50))
@example(start=wib(2026, 12, 21, 10, 0, 40), wait=timedelta(seconds=59), due_offset=timedelta(hours=3, seconds=-10))
# Begun a minute before closing on the Wednesday, ended after the Christmas holidays and the weekend.
@example(start=wib(2026, 12, 23, 14, 44, 1), wait=timedelta(days=5, hours=17, seconds=30), due_offset=timedelta(days=1, seconds=17))
@given(start=moments, wait=waits, due_offset=due_offsets)
def test_a_wait_never_moves_the_due_time_earlier_and_moves_it_by_its_working_minutes(
    waiting_record, team, start, wait, due_offset
):
    calendar = waiting_record.unit.working_calendar()
    due_before, end = start + due_offset, start + wait
    with transaction.atomic():
        Facilitation.objects.filter(pk=waiting_record.pk).update(due_at=due_before, waited_minutes=7)
        with now_is(start):
            services.wait_start(current(waiting_record), actor=team[0], expected_status="accompaniment")
        with now_is(end):
            services.wait_end(current(waiting_record), actor=team[0], expected_status="accompaniment")
        record = current(waiting_record)
        minutes = DisdukcapilWait.objects.get(facilitation=record).minutes
        transaction.set_rollback(True)

    assert minutes == calendar.working_minutes_between(start, end)  # whole working minutes, rounded down
    assert record.waited_minutes == 7 + minutes
    assert record.due_at >= due_before
    if due_before > start:
        # Moved on by the wait's minutes of working time, and not a second more.
        assert calendar.working_minutes_between(due_before, record.due_at) == minutes
        if minutes:
            assert calendar.working_minutes_between(due_before, record.due_at - timedelta(seconds=1)) == minutes - 1
        else:
            assert record.due_at == due_before
    else:
        assert record.due_at == due_before  # late when the wait began: it stays late
