"""The NIK check (portal.nik): 16 digits built as Dukcapil builds them, and the masked form lists show.

A valid NIK used throughout: 32 (Jawa Barat) 07 (Ciamis) 01 (a kecamatan), born 10-05-90, sequence 0001.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Reporter, Victim
from portal.nik import mask_nik, parse_nik, validate_nik

TODAY = date(2026, 11, 28)
VALID = "3207011005900001"


def nik(region="320701", birth="100590", sequence="0001"):
    return f"{region}{birth}{sequence}"


def refusal(value, today=TODAY):
    with pytest.raises(ValidationError) as excinfo:
        parse_nik(value, today=today)
    return excinfo.value.code


def test_a_valid_nik_gives_the_birth_date_and_sex():
    assert nik() == VALID
    assert parse_nik(VALID, today=TODAY) == (date(1990, 5, 10), "L")
    validate_nik(VALID)  # no error


def test_a_woman_s_day_is_written_plus_40():
    assert parse_nik(nik(birth="500590"), today=TODAY) == (date(1990, 5, 10), "P")
    assert parse_nik(nik(birth="410190"), today=TODAY) == (date(1990, 1, 1), "P")
    assert parse_nik(nik(birth="710190"), today=TODAY) == (date(1990, 1, 31), "P")


@pytest.mark.parametrize(
    "value",
    [
        "320701100590000",  # 15 digits
        "32070110059000012",  # 17 digits
        "",
        "3207011005900OO1",  # letters O for zeros
        "3207 01100590001",
        "32.07.01.100590.0001",
        "-207011005900001",
    ],
)
def test_a_nik_is_16_digits_only(value):
    assert refusal(value) == "nik_format"
    with pytest.raises(ValidationError, match="16 angka"):
        validate_nik(value)


@pytest.mark.parametrize(
    "value",
    [
        "3207\uff10\uff111005900001",  # fullwidth digits: str.isdigit() says yes
        "32070110059\u00b20001",  # a superscript two: isdigit() says yes, int() fails
        "320701100590\u0660\u0660\u0660\u0661",  # Arabic-Indic digits
    ],
)
def test_only_ascii_digits_make_a_nik(value):
    assert refusal(value) == "nik_format"


@pytest.mark.parametrize("province", ["00", "10", "20", "30", "37", "54", "99"])
def test_an_unknown_province_is_refused(province):
    assert refusal(nik(region=f"{province}0701")) == "nik_region"


def test_every_known_province_code_passes():
    for province in ["11", "21", "31", "32", "36", "51", "65", "76", "82", "91", "96"]:
        assert parse_nik(nik(region=f"{province}0701"), today=TODAY) == (date(1990, 5, 10), "L")


@pytest.mark.parametrize("region", ["320001", "320700", "320000"])
def test_regency_or_kecamatan_00_is_refused(region):
    assert refusal(nik(region=region)) == "nik_region"


@pytest.mark.parametrize(
    "birth",
    [
        "310290",  # 31 February
        "300290",  # 30 February
        "290201",  # 29 February of a common year
        "720590",  # day 72 = a woman's 32 May
        "320590",  # 32 May
        "000590",  # day 00
        "400590",  # day 40: neither a man's day nor a woman's
        "101390",  # month 13
        "100090",  # month 00
        "710290",  # a woman's 31 February
    ],
)
def test_a_birth_date_that_does_not_exist_is_refused(birth):
    assert refusal(nik(birth=birth)) == "nik_birth"


def test_29_february_of_a_leap_year_passes():
    assert parse_nik(nik(birth="290200"), today=TODAY) == (date(2000, 2, 29), "L")
    assert parse_nik(nik(birth="690200"), today=TODAY) == (date(2000, 2, 29), "P")


def test_a_birth_date_after_today_is_refused():
    assert refusal(nik(birth="291126")) == "nik_birth"  # tomorrow
    assert refusal(nik(birth="691126")) == "nik_birth"  # a girl born tomorrow
    assert parse_nik(nik(birth="281126"), today=TODAY) == (date(2026, 11, 28), "L")  # born today


def test_a_two_digit_year_after_this_year_is_of_the_last_century():
    assert parse_nik(nik(birth="010127"), today=TODAY) == (date(1927, 1, 1), "L")
    assert parse_nik(nik(birth="010126"), today=TODAY) == (date(2026, 1, 1), "L")


def test_validate_nik_counts_from_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    with pytest.raises(ValidationError, match="masa depan"):
        validate_nik(nik(birth="291126"))
    validate_nik(nik(birth="281126"))


def test_sequence_0000_is_refused():
    assert refusal(nik(sequence="0000")) == "nik_sequence"
    assert parse_nik(nik(sequence="0001"), today=TODAY)


def test_the_messages_are_indonesian():
    for value, words in [
        ("123", "NIK harus 16 angka"),
        (nik(region="990701"), "bukan kode wilayah"),
        (nik(birth="310290"), "bukan tanggal lahir"),
        (nik(sequence="0000"), "tidak boleh 0000"),
    ]:
        with pytest.raises(ValidationError, match=words):
            parse_nik(value, today=TODAY)


def test_mask_shows_the_first_four_and_the_last_four_digits_only():
    masked = mask_nik(VALID)
    assert masked == "3207********0001"
    assert len(masked) == 16
    assert "100590" not in masked and "01100590" not in masked
    assert mask_nik(nik(region="327901", birth="650390", sequence="0042")) == "3279********0042"
    assert mask_nik("") == ""


@pytest.mark.parametrize("model", [Victim, Reporter])
def test_the_identity_models_check_the_nik(model):
    field = model._meta.get_field("nik")
    with pytest.raises(ValidationError):
        field.run_validators(nik(birth="310290"))
    field.run_validators(VALID)
