"""The Indeks Kepuasan Masyarakat (IKM) exactly as PermenPAN-RB No. 14 Tahun 2017 computes it: pure functions
of the answers' sums, no database.

- per element, NRR = the sum of its values / the number of respondents;
- weighted NRR = NRR x 1/9: the regulation prints the weight as 0,111, which is 1/9 rounded; 1/9 is used, so
  that nine elements all answered 4 give exactly 4,00 (0,111 would give 3,996);
- the IKM of the unit = the sum of the nine weighted NRRs (1 to 4), converted = that x 25 (25 to 100);
- the category is read from the converted value rounded to two decimals, as it is printed, so the figure and
  its letter never disagree (88,31 and above A, from 76,61 B, from 65,00 C, below D);
- the minimum sample is Krejcie and Morgan's, the regulation's table of population and sample.

Values are exact fractions until they are shown.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from portal.survey.elements import ELEMENTS

WEIGHT = Fraction(1, len(ELEMENTS))  # 1/9: the regulation's "0,111"
CONVERSION = 25


@dataclass(frozen=True)
class Category:
    letter: str
    performance: str
    lowest: Decimal  # the lowest converted value of the category, as the regulation's table prints it
    highest: Decimal
    unit_range: str  # the table's range of the unit's IKM


# Highest first: a value belongs to the first category whose lowest it reaches.
CATEGORIES = (
    Category("A", _("Sangat Baik"), Decimal("88.31"), Decimal("100.00"), "3,5324 - 4,00"),
    Category("B", _("Baik"), Decimal("76.61"), Decimal("88.30"), "3,0644 - 3,532"),
    Category("C", _("Kurang Baik"), Decimal("65.00"), Decimal("76.60"), "2,60 - 3,064"),
    Category("D", _("Tidak Baik"), Decimal("25.00"), Decimal("64.99"), "1,00 - 2,5996"),
)


def shown(value: Fraction, places: int) -> Decimal:
    """`value` rounded half up to `places` decimals, as the regulation's worked examples print it."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def nrr(total: int, respondents: int) -> Fraction:
    """The element's average value (nilai rata-rata): the sum of its answers over the respondents."""
    return Fraction(total, respondents)


def weighted_nrr(value: Fraction) -> Fraction:
    return value * WEIGHT


def unit_index(nrrs) -> Fraction:
    """The unit's IKM (1 to 4): the sum of the elements' weighted NRR."""
    return sum((weighted_nrr(value) for value in nrrs), Fraction(0))


def converted(unit_value: Fraction) -> Fraction:
    """The IKM converted to 25 to 100."""
    return unit_value * CONVERSION


def category(converted_value: Fraction) -> Category:
    printed = shown(converted_value, 2)
    return next((c for c in CATEGORIES if printed >= c.lowest), CATEGORIES[-1])


@dataclass(frozen=True)
class ElementScore:
    element: object  # portal.survey.elements.Element
    total: int
    nrr: Fraction

    @property
    def weighted(self) -> Fraction:
        return weighted_nrr(self.nrr)


@dataclass(frozen=True)
class Index:
    respondents: int
    scores: tuple  # ElementScore per element, in the regulation's order

    @property
    def unit_value(self) -> Fraction:
        return unit_index(score.nrr for score in self.scores)

    @property
    def converted(self) -> Fraction:
        return converted(self.unit_value)

    @property
    def category(self) -> Category:
        return category(self.converted)


def index(totals: dict, respondents: int) -> Index | None:
    """The IKM from the sum of each element's answers ({element code: sum}) and the number of respondents; None
    without respondents."""
    if not respondents:
        return None
    return Index(respondents, tuple(
        ElementScore(element, totals[element.code], nrr(totals[element.code], respondents)) for element in ELEMENTS
    ))


# Krejcie and Morgan's formula, from which the regulation's table is drawn: X² = 3,841 (chi-square, 1 degree of
# freedom, 95%), P = 0,5, d = 0,05.
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


def minimum_sample(population: int) -> int:
    """The least number of respondents for `population` people served: s = X²NP(1-P) / (d²(N-1) + X²P(1-P)),
    rounded to the nearest whole number. Rounded so, it gives every value of the regulation's table (50 -> 44,
    1000 -> 278); rounded up, it would not (50 -> 45)."""
    if population <= 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    sample = spread * population / (MARGIN**2 * (population - 1) + spread)
    return math.floor(sample + Fraction(1, 2))
