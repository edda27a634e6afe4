"""Working time: due times counted in service hours.

Days off are Indonesian public holidays and the government's joint leave days
(cuti bersama), both known to the `holidays` package, plus the extra days an
admin enters for local decisions (portal.models.DayOff). A unit builds its
calendar with `Unit.working_calendar()`; this module knows nothing of models.
"""

import calendar as calendar_module
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

# A schedule with no working period at all would never reach a due time.
MAX_DAYS_AHEAD = 3 * 366


class NoServiceHours(ValueError):
    """A calendar without a single working period: no due time can be reached."""


@lru_cache(maxsize=1)
def _national_holidays():
    # "government" is the joint leave (cuti bersama) the government decrees each year.
    # Lazily expands to each year it is asked about.
    return holidays.country_holidays("ID", categories=("public", "government"))


class WorkingCalendar:
    def __init__(self, periods: dict[int, list[tuple[time, time]]], days_off: set[date] = frozenset()):
        """periods: weekday (Monday 0) to its (opens, closes) pairs, local time."""
        self.periods = {day: sorted(pairs) for day, pairs in periods.items() if pairs}
        self.days_off = set(days_off)
        if not self.periods:
            raise NoServiceHours("a working calendar needs service hours")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.periods and day not in self.days_off and day not in _national_holidays()

    def _periods_on(self, day: date):
        if not self.is_working_day(day):
            return []
        tz = timezone.get_current_timezone()
        return [
            (datetime.combine(day, opens, tzinfo=tz), datetime.combine(day, closes, tzinfo=tz))
            for opens, closes in self.periods[day.weekday()]
        ]

    def _days_from(self, day: date):
        for offset in range(MAX_DAYS_AHEAD):
            yield day + timedelta(days=offset)
        raise ValueError("no working time within three years")

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of service hours after `start`."""
        start = timezone.localtime(start)
        remaining = timedelta(minutes=minutes)
        for day in self._days_from(start.date()):
            for opens, closes in self._periods_on(day):
                begin = max(opens, start)
                if begin >= closes:
                    continue
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Closing time of the `days`-th working day after the day the clock starts.

        The clock starts on the day of `start` if it is a working day and `start`
        is before closing time, otherwise on the next working day. So a request
        received Monday 10.00 with 2 days is due Wednesday at closing time.
        """
        start = timezone.localtime(start)
        counted = -1
        for day in self._days_from(start.date()):
            periods = self._periods_on(day)
            if not periods or (counted < 0 and start >= periods[-1][1]):
                continue
            counted += 1
            if counted == days:
                return periods[-1][1]

    def closing_on_or_after(self, moment: datetime) -> datetime:
        """Closing time of the day of `moment` if it is a working day, else of the next working day."""
        for day in self._days_from(timezone.localtime(moment).date()):
            periods = self._periods_on(day)
            if periods:
                return periods[-1][1]

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole minutes of service hours from start to end; negative when end is earlier."""
        if end < start:
            return -self.working_minutes_between(end, start)
        start, end = timezone.localtime(start), timezone.localtime(end)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            for opens, closes in self._periods_on(day):
                overlap = min(closes, end) - max(opens, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)


def add_months(start, months: int):
    """The same local time (or date) `months` calendar months later (31 January + 1 = end of February)."""
    local = timezone.localtime(start) if isinstance(start, datetime) else start
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar_module.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)
