"""A register's filters (portal.forms.RegisterFilterForm): what the page could not have offered is dropped, never
an error, and the start page's "tugas=saya" ticks the box."""

import pytest

from portal.forms import RegisterFilterForm
from portal.models import Kecamatan

pytestmark = pytest.mark.django_db

STATUSES = [("terbuka", "Masih berjalan"), ("semua", "Semua")]


def chosen(data):
    return RegisterFilterForm(data, status_choices=STATUSES, kecamatan=Kecamatan.objects.all()).filters


def test_no_filter_shows_the_first_status(government):
    assert chosen({}) == {"status": "terbuka"}


def test_valid_filters_are_kept_with_their_objects(government):
    kecamatan = Kecamatan.objects.create(regency=government, name="Baregbeg")
    data = {"status": "semua", "kecamatan": str(kecamatan.pk), "q": " 7/2026 ", "tugas": "saya"}
    assert chosen(data) == {"status": "semua", "kecamatan": kecamatan, "q": "7/2026", "tugas": True}


def test_a_value_the_page_could_not_offer_is_dropped(government):
    Kecamatan.objects.create(regency=government, name="Baregbeg")
    data = {"status": "hilang", "kecamatan": "\u0663", "q": "7" * 50, "tugas": ""}
    assert chosen(data) == {"status": "terbuka"}
