"""The survey's period: a quarter in local time (WIB), asked as ?periode=2026-Q4."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

ROMAN = ("I", "II", "III", "IV")
# The earliest year ?periode= may name: it keeps a quarter's bounds in range.
FIRST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self):
        return f"{self.year}-Q{self.number}"

    @property
    def label(self):
        return _("Triwulan %(roman)s %(year)d") % {"roman": ROMAN[self.number - 1], "year": self.year}

    def bounds(self) -> tuple[datetime, datetime]:
        """The quarter's first moment and the next quarter's, in local time."""
        local = timezone.get_default_timezone()
        return (
            datetime(self.year, 3 * self.number - 2, 1, tzinfo=local),
            datetime(self.year + self.number // 4, 3 * self.number % 12 + 1, 1, tzinfo=local),
        )

    def previous(self) -> "Quarter":
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)


def parse(value, today) -> Quarter:
    """The quarter of ?periode=: "YYYY-Qn" from 2000 to the quarter of `today`; that quarter when `value` is empty.
    Raises ValueError for anything else."""
    current = Quarter.of(today)
    if not value:
        return current
    match = re.fullmatch(r"([0-9]{4})-[Qq]([1-4])", value.strip())
    if match is None or not Quarter(FIRST_YEAR, 1) <= Quarter(int(match[1]), int(match[2])) <= current:
        raise ValueError(value)
    return Quarter(int(match[1]), int(match[2]))


def recent(today, count=8) -> list[Quarter]:
    """The quarter of `today` and the ones before it, newest first."""
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters
