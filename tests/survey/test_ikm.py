"""The index as PermenPAN-RB 14/2017 computes it (portal.survey.ikm), checked against figures worked by hand."""

from fractions import Fraction

import pytest

from portal.survey import ikm
from portal.survey.elements import ELEMENT_CODES, ELEMENTS

# The regulation's Lampiran: population (N) -> minimum sample (S), Krejcie and Morgan's table, every row.
KREJCIE_MORGAN = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48, 60: 52, 65: 56, 70: 59,
    75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86, 120: 92, 130: 97, 140: 103, 150: 108, 160: 113,
    170: 118, 180: 123, 190: 127, 200: 132, 210: 136, 220: 140, 230: 144, 240: 148, 250: 152, 260: 155,
    270: 159, 280: 162, 290: 165, 300: 169, 320: 175, 340: 181, 360: 186, 380: 191, 400: 196, 420: 201,
    440: 205, 460: 210, 480: 214, 500: 217, 550: 226, 600: 234, 650: 242, 700: 248, 750: 254, 800: 260,
    850: 265, 900: 269, 950: 274, 1000: 278, 1100: 285, 1200: 291, 1300: 297, 1400: 302, 1500: 306,
    1600: 310, 1700: 313, 1800: 317, 1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338,
    3000: 341, 3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364, 8000: 367, 9000: 368,
    10000: 370, 15000: 375, 20000: 377, 30000: 379, 40000: 380, 50000: 381, 75000: 382, 1000000: 384,
}

# Three respondents, by hand: element sums 10, 9, 10, 11, 10, 10, 11, 9, 10 (90 in all).
THREE = [
    (4, 4, 4, 4, 4, 4, 4, 4, 4),
    (3, 3, 3, 3, 3, 3, 3, 3, 3),
    (3, 2, 3, 4, 3, 3, 4, 2, 3),
]


def totals_of(rows):
    return {code: sum(row[i] for row in rows) for i, code in enumerate(ELEMENT_CODES)}


def test_the_elements_are_the_regulations_nine_in_order_with_four_answers_each():
    assert [e.code for e in ELEMENTS] == [
        "persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan", "sarana",
    ]
    assert all(len(e.answers) == 4 for e in ELEMENTS)
    assert [str(a) for a in ELEMENTS[3].answers] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert str(ELEMENTS[7].answers[0]) == "Tidak ada" and str(ELEMENTS[7].answers[3]) == "Dikelola dengan baik"


def test_three_respondents_give_the_figures_worked_by_hand():
    index = ikm.index(totals_of(THREE), 3)
    assert index.respondents == 3
    assert [score.total for score in index.scores] == [10, 9, 10, 11, 10, 10, 11, 9, 10]
    assert index.scores[0].nrr == Fraction(10, 3)
    assert index.scores[1].nrr == 3
    assert index.scores[3].weighted == Fraction(11, 27)  # 11/3 x 1/9
    # 90 / 3 / 9 = 3,3333; x 25 = 83,33: B, Baik.
    assert index.unit_value == Fraction(10, 3)
    assert str(ikm.shown(index.unit_value, 4)) == "3.3333"
    assert str(ikm.shown(index.converted, 2)) == "83.33"
    assert (index.category.letter, str(index.category.performance)) == ("B", "Baik")


def test_the_weight_is_one_ninth_so_all_fours_make_exactly_four_and_a_hundred():
    index = ikm.index(totals_of([(4,) * 9]), 1)
    assert index.unit_value == 4 and index.converted == 100
    assert index.category.letter == "A"
    lowest = ikm.index(totals_of([(1,) * 9]), 1)
    assert (lowest.unit_value, lowest.converted, lowest.category.letter) == (1, 25, "D")


def test_a_category_boundary_65_is_c_and_just_below_is_d():
    # Five respondents whose answers add up to 117: 117 / 5 / 9 x 25 = 65,00 exactly.
    rows = [(3, 3, 3, 3, 3, 3, 3, 3, 3)] * 3 + [(2, 2, 2, 2, 2, 2, 2, 2, 2)] * 2
    assert sum(map(sum, rows)) == 117
    at_boundary = ikm.index(totals_of(rows), 5)
    assert at_boundary.converted == 65
    assert at_boundary.category.letter == "C"
    rows[-1] = (2, 2, 2, 2, 2, 2, 2, 2, 1)  # 116: 64,44
    assert ikm.index(totals_of(rows), 5).category.letter == "D"


@pytest.mark.parametrize("converted, letter", [
    ("100", "A"), ("88.31", "A"), ("88.305", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("76.6049", "C"), ("65.00", "C"), ("64.99", "D"), ("25", "D"),
])
def test_the_category_is_read_from_the_converted_value_as_printed(converted, letter):
    assert ikm.category(Fraction(converted)).letter == letter


def test_the_unit_ranges_match_the_converted_ranges():
    # The table's lowest unit values x 25 are its lowest converted values.
    for category, lowest_unit in zip(ikm.CATEGORIES, ("3.5324", "3.0644", "2.60", "1.00"), strict=True):
        assert ikm.shown(Fraction(lowest_unit) * 25, 2) == category.lowest


def test_no_respondents_make_no_index():
    assert ikm.index(dict.fromkeys(ELEMENT_CODES, 0), 0) is None


@pytest.mark.parametrize("population, sample", sorted(KREJCIE_MORGAN.items()))
def test_the_minimum_sample_is_the_regulations_table(population, sample):
    assert ikm.minimum_sample(population) == sample


def test_the_minimum_sample_of_small_and_odd_populations():
    assert ikm.minimum_sample(0) == 0
    assert ikm.minimum_sample(1) == 1
    assert ikm.minimum_sample(5) == 5
    assert KREJCIE_MORGAN[100] <= ikm.minimum_sample(105) <= KREJCIE_MORGAN[110]
