"""NIK (Nomor Induk Kependudukan): the 16-digit population number, checked as Dukcapil builds it.

Digits 1-2 are the province, 3-4 the regency, 5-6 the kecamatan, 7-12 the date of birth as DDMMYY
(a woman's day plus 40), 13-16 a sequence number. A number that breaks this is a typing error.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Kode wilayah of the provinces (Permendagri 58/2021 and the Papua provinces of 2022).
PROVINCES = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
    "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
    "91", "92", "93", "94", "95", "96",
}


def parse_nik(value: str, *, today=None) -> tuple[date, str]:
    """The date of birth and sex ("L" or "P") a NIK encodes; ValidationError with the reason when it is not a NIK."""
    value = (value or "").strip()
    if len(value) != 16 or not (value.isascii() and value.isdigit()):
        raise ValidationError(_("NIK harus 16 angka."), code="nik_format")
    if value[:2] not in PROVINCES or value[2:4] == "00" or value[4:6] == "00":
        raise ValidationError(_("Enam angka pertama NIK bukan kode wilayah yang ada."), code="nik_region")
    day, month, year = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex = "P" if day > 40 else "L"
    day = day - 40 if day > 40 else day
    today = today or timezone.localdate()
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        born = date(century + year, month, day)
    except ValueError:
        raise ValidationError(_("Angka ke-7 sampai ke-12 NIK bukan tanggal lahir yang ada."), code="nik_birth") from None
    if born > today:
        raise ValidationError(_("Tanggal lahir dalam NIK ada di masa depan."), code="nik_birth")
    if value[12:] == "0000":
        raise ValidationError(_("Empat angka terakhir NIK tidak boleh 0000."), code="nik_sequence")
    return born, sex


def validate_nik(value):
    parse_nik(value)


def mask_nik(value: str) -> str:
    """A NIK for lists: the province and regency, and the last four digits; region and birth date hidden."""
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def made_up_nik(regency: str, kecamatan: int, born: date, sex: str, number: int) -> str:
    """A well-formed NIK that is nobody's, for demo data: `regency` the four digits of province and regency
    (3207 Ciamis), `kecamatan` stands for the kecamatan's two digits (its place in a list, not its Dukcapil
    code), `number` (1-9999) for the last four."""
    day = born.day + (40 if sex == "P" else 0)
    return f"{regency}{kecamatan:02d}{day:02d}{born:%m%y}{number:04d}"
