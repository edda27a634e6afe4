"""What a user who does not read a case's identity sees of it (cases.disclosure): the incident's month and no
place type, and in the register no kecamatan or violence type whose count the month's recap hides.

Fixtures: tests/cases/conftest.py. March 2026 holds 6 cases in Ciamis (physical violence), 2 in Cikoneng
(sexual) and 3 in Sukadana (psychological); April 5 in Ciamis and 1 in Cikoneng (all physical). So March's recap
prints Ciamis and physical violence as numbers and hides the rest; April's hides Cikoneng and, beside it, Ciamis.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from cases.models import Case, PlaceType, ViolenceType
from cases.recap import monthly_recap
from portal.models import Kecamatan
from tests.cases.conftest import BLIND, SIGHTED

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MARCH = datetime(2026, 3, 10, 9, 0, tzinfo=WIB)
APRIL = datetime(2026, 4, 14, 9, 0, tzinfo=WIB)
HIDDEN = "(disembunyikan)"


@pytest.fixture
def kecamatan(government):
    return {name: Kecamatan.objects.create(regency=government, name=name) for name in ("Ciamis", "Cikoneng", "Sukadana")}


@pytest.fixture
def types(violence_type):
    return {
        "Fisik": violence_type,
        "Seksual": ViolenceType.objects.get_or_create(code="seksual", defaults={"name": "Seksual"})[0],
        "Psikis": ViolenceType.objects.get_or_create(code="psikis", defaults={"name": "Psikis"})[0],
    }


@pytest.fixture
def received(new_case, kecamatan, types):
    """received(when, n, kecamatan, violence="Fisik", **fields): n cases received at `when`, in that kecamatan."""

    def make(when, n, where, violence="Fisik", **fields):
        cases = [new_case(kecamatan=kecamatan[where], violence_types=[types[violence]], **fields) for _ in range(n)]
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(created_at=when)
        return cases

    return make


@pytest.fixture
def two_months(received):
    """{(month, kecamatan): [Case]}: the cases of the module's docstring."""
    return {
        ("03", "Ciamis"): received(MARCH, 6, "Ciamis"),
        ("03", "Cikoneng"): received(MARCH, 2, "Cikoneng", "Seksual"),
        ("03", "Sukadana"): received(MARCH, 3, "Sukadana", "Psikis"),
        ("04", "Ciamis"): received(APRIL, 5, "Ciamis"),
        ("04", "Cikoneng"): received(APRIL, 1, "Cikoneng"),
    }


def register_rows(client, **params):
    """{case number: (kecamatan, violence types)} as the register's rows show them, and the page."""
    page = client.get(reverse("cases:register"), {"status": "semua", **params}).content.decode()
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        cells = [" ".join(strip_tags(cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) == 8:
            rows[cells[0]] = (cells[3], cells[4])
    return rows, page


# The case page.


@pytest.fixture
def place(db):
    return PlaceType.objects.create(code="pondok-uji", name="Pondok Cendana Uji")


@pytest.mark.parametrize("who", SIGHTED)
def test_an_outsider_sees_the_incidents_month_in_indonesian_and_no_place_type(
    client, new_case, officers, strangers, place, who
):
    case = new_case(incident_date=date(2026, 3, 5), place_type=place)
    client.force_login(strangers[who])

    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Bulan kejadian" in page and "Maret 2026" in page
    for exact in ("5 Maret 2026", "2026-03-05", "05-03-2026", "5 March", "March"):
        assert exact not in page
    assert "Pondok Cendana" not in page and "Tempat kejadian" not in page
    # The team sees them as recorded.
    client.force_login(officers["data"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "5 Maret 2026" in page and "Pondok Cendana Uji" in page


def test_an_outsider_sees_a_cases_kecamatan_and_types_on_its_page_as_the_register_shows_them(client, two_months, agency_head):
    client.force_login(agency_head)
    shown = client.get(two_months[("03", "Ciamis")][0].get_absolute_url()).content.decode()
    hidden = client.get(two_months[("03", "Cikoneng")][0].get_absolute_url()).content.decode()
    assert "Ciamis" in shown and "Fisik" in shown
    assert "Cikoneng" not in hidden and "Seksual" not in hidden and HIDDEN in hidden


# The register.


def test_the_register_shows_an_outsider_a_kecamatan_only_where_the_months_recap_prints_its_count(
    client, two_months, agency_head, chair, kecamatan
):
    client.force_login(agency_head)
    rows, _page = register_rows(client)

    shown = {key for key, cases in two_months.items() if all(rows[case.number][0] == key[1] for case in cases)}
    hidden = {key for key, cases in two_months.items() if all(rows[case.number][0] == HIDDEN for case in cases)}
    assert shown == {("03", "Ciamis")}
    assert hidden == set(two_months) - shown
    # The same cells as the recaps print: a number where the register names the kecamatan, "<5" where it hides it.
    for month in (3, 4):
        recap = monthly_recap(Case.objects.visible_to(agency_head), 2026, month, kecamatan=Kecamatan.objects.all())
        table = next(table for table in recap.tables if table.heading == "Kecamatan")
        printed = {label for label, count in table.rows if isinstance(count, int) and count}
        assert printed == {name for m, name in shown if int(m) == month}
    # The heads see every kecamatan as recorded.
    client.force_login(chair)
    rows, _page = register_rows(client)
    for (_month, name), cases in two_months.items():
        assert {rows[case.number][0] for case in cases} == {name}


def test_the_register_shows_an_outsider_a_violence_type_only_where_the_months_recap_prints_its_count(
    client, two_months, agency_head, chair
):
    client.force_login(agency_head)
    rows, _page = register_rows(client)
    assert {rows[case.number][1] for case in two_months[("03", "Ciamis")] + two_months[("04", "Ciamis")]} == {"Fisik"}
    assert {rows[case.number][1] for case in two_months[("03", "Cikoneng")] + two_months[("03", "Sukadana")]} == {HIDDEN}
    client.force_login(chair)
    rows, _page = register_rows(client)
    assert {rows[case.number][1] for case in two_months[("03", "Cikoneng")]} == {"Seksual"}


@pytest.mark.parametrize(("param", "value", "found"), [
    ("kecamatan", "Cikoneng", []),
    ("kecamatan", "Ciamis", [("03", "Ciamis")]),
    ("jenis", "Seksual", []),
    ("jenis", "Psikis", []),
])
def test_a_filter_finds_an_outsider_only_the_rows_that_show_what_it_filters_by(
    client, two_months, agency_head, chair, kecamatan, types, param, value, found
):
    pk = (kecamatan if param == "kecamatan" else types)[value].pk
    client.force_login(agency_head)
    rows, page = register_rows(client, **{param: pk})
    expected = {case.number for key in found for case in two_months[key]}
    assert set(rows) == expected and f"{len(expected)} kasus" in page
    # The heads filter by what is recorded.
    client.force_login(chair)
    rows, _page = register_rows(client, **{param: pk})
    recorded = {case.number for (m, name), cases in two_months.items() for case in cases
                if (name == value if param == "kecamatan" else case.violence_types.filter(pk=pk).exists())}
    assert set(rows) == recorded


@pytest.mark.parametrize("who", ["agency_head", "legal"])
def test_the_register_costs_the_same_queries_for_3_and_30_rows_of_an_outsider(
    client, received, agency_head, officers, who
):
    # The legal officer records one case in three: those rows they read, the others they see as an outsider.
    user = agency_head if who == "agency_head" else officers["legal"]
    months = [datetime(2026, month, 10, 9, 0, tzinfo=WIB) for month in range(1, 11)]
    places = ["Ciamis", "Cikoneng", "Sukadana"]

    def add(start, n):
        for i in range(start, start + n):
            received(months[i % 10], 1, places[i % 3], actor=officers["legal"] if i % 3 == 0 else None)

    add(0, 3)
    client.force_login(user)
    client.get(reverse("cases:register"))  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cases:register"), {"status": "semua"}).status_code == 200
    add(3, 27)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("cases:register"), {"status": "semua"}).content.decode()
    assert "30 kasus" in page and HIDDEN in page
    assert len(many) == len(few)


# Strangers.


@pytest.mark.parametrize("who", [*SIGHTED, *BLIND, "anonymous"])
def test_no_stranger_learns_an_exact_date_a_place_or_a_hidden_kecamatan(client, received, strangers, place, who):
    case = received(MARCH, 1, "Cikoneng", incident_date=date(2026, 3, 5), place_type=place)[0]
    user = strangers[who]
    if user is not None:
        client.force_login(user)
    responses = [
        client.get(case.get_absolute_url()),
        client.get(reverse("cases:register"), {"status": "semua"}),
        client.get(reverse("cases:register"), {"status": "semua", "kecamatan": case.kecamatan_id}),
        client.get(reverse("cases:register"), {"status": "semua", "q": "05/03/2026"}),
        client.post(reverse("cases:register") + "?status=semua", {"q": "2026-03-05"}),
    ]
    for response in responses:
        page = response.content.decode().replace('value="2026-03-05"', "")  # the search box echoes what was typed
        if user is None:
            assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        elif who in BLIND and response.request["PATH_INFO"] == case.get_absolute_url():
            assert response.status_code == 404
        for secret in ("5 Maret 2026", "2026-03-05", "Pondok Cendana", "Cikoneng</td>", "Cikoneng</dd>", "Korban Uji"):
            assert secret not in page
        if user is not None and response.status_code == 200 and response.request["PATH_INFO"] == reverse("cases:register"):
            assert case.get_absolute_url() not in page or HIDDEN in page
    if who in SIGHTED:
        assert "Maret 2026" in responses[0].content.decode()
        assert case.number in responses[1].content.decode()
        for filtered_or_searched in responses[2:]:
            assert case.get_absolute_url() not in filtered_or_searched.content.decode()
