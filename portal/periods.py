"""The period of the pages that report on a service by quarter (the survey's index, the register of missed
standards): a quarter in local time (WIB), asked as ?periode=2026-Q4, beside the service, ?layanan=<slug>."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import Http404
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


@dataclass
class Report:
    """What a quarterly page of a service shows: the service chosen among those the user reads (None when they
    read none), the quarter, the recent quarters to choose from, and why a period asked was not understood."""

    service: object
    services: list
    quarter: Quarter
    quarters: list = field(default_factory=list)
    error: str = ""


def report_request(asked, services) -> Report:
    """The service (`layanan`, default the first of `services`) and the quarter (`periode`, default this one) that
    `asked` (a request's GET, or a form's POST) names for a quarterly page. A service not among `services` is a
    404, as if it did not exist; a period not understood gives this quarter and `error` in words."""
    slug = asked.get("layanan")
    service = next((s for s in services if s.slug == slug), None) if slug else next(iter(services), None)
    if slug and service is None:
        raise Http404(_("Layanan tidak dikenal."))
    today = timezone.localdate()
    value = asked.get("periode", "")
    error = ""
    try:
        quarter = parse(value, today)
    except ValueError:
        quarter = Quarter.of(today)
        error = _(
            "Periode “%(value)s” tidak dikenali: tulis TTTT-QN, misalnya %(example)s, sampai triwulan ini. "
            "Yang ditampilkan triwulan ini."
        ) % {"value": value[:20], "example": quarter.code}
    quarters = recent(today)
    if quarter not in quarters:
        quarters.append(quarter)
    return Report(service, services, quarter, quarters, error)
