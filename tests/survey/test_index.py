"""The heads' IKM page (survey:index): who reads it, what it shows, and what it costs."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Unit
from portal.roles import Role
from portal.periods import Quarter

pytestmark = pytest.mark.django_db

INDEX = reverse("survey:index")


@pytest.fixture
def agency_head(agency, make_user):
    return make_user(agency, Role.AGENCY_HEAD)


def page(client, user, **query):
    client.force_login(user)
    return client.get(INDEX, query)


def test_anonymous_visitors_go_to_the_login(client, db):
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.STOREKEEPER, Role.FASKES])
def test_users_who_lead_nothing_are_refused(client, agency, make_user, service, role):
    assert page(client, make_user(agency, role), layanan=service.slug).status_code == 403


def test_a_head_of_another_agency_does_not_find_the_service(client, government, make_user, service):
    other = Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)
    assert page(client, make_user(other, Role.AGENCY_HEAD), layanan=service.slug).status_code == 404
    assert page(client, make_user(other, Role.HEAD), layanan=service.slug).status_code == 404


def test_a_head_below_the_services_unit_does_not_find_it(client, head, service):
    assert page(client, head, layanan=service.slug).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENCY_HEAD, Role.HEAD, Role.ADMIN])
def test_the_heads_of_the_services_unit_and_above_read_it(client, agency, government, make_user, service, role):
    assert page(client, make_user(agency, role), layanan=service.slug).status_code == 200
    assert page(client, make_user(government, role), layanan=service.slug).status_code == 200


def test_it_shows_the_index_the_profile_and_the_sample(client, agency_head, service, make_responses, completed_ticket):
    make_responses(service, [
        (4, 4, 4, 4, 4, 4, 4, 4, 4),
        (3, 3, 3, 3, 3, 3, 3, 3, 3),
        (3, 2, 3, 4, 3, 3, 4, 2, 3),
    ], sex="P")
    for _ in range(10):
        completed_ticket()
    response = page(client, agency_head, layanan=service.slug)
    assert response.status_code == 200
    text = response.content.decode()
    assert "3,3333" in text and "83,33" in text  # the unit value and the converted, as worked by hand
    assert "3,33" in text and "3,67" in text and "0,407" in text  # NRRs and a weighted NRR (11/27)
    assert ">B<" in text and ">Baik<" in text
    figures = response.context["figures"]
    assert (figures.respondents, figures.population, figures.minimum_sample) == (3, 10, 10)
    assert "indikatif" in text and "kurang dari sampel minimum (10)" in text
    assert dict(figures.profile[0][1])["Perempuan"] == 3


def test_enough_respondents_are_not_indicative(client, agency_head, service, make_responses, completed_ticket):
    make_responses(service, [(3,) * 9] * 10)
    for _ in range(10):
        completed_ticket()
    response = page(client, agency_head, layanan=service.slug)
    assert not response.context["figures"].indicative
    assert "indikatif" not in response.content.decode()


def test_the_population_counts_the_records_completed_in_the_quarter(client, agency_head, service, completed_ticket, make_responses):
    make_responses(service, [(3,) * 9])
    completed_ticket()
    completed_ticket(status="ditolak")  # final too
    completed_ticket(at=timezone.make_aware(datetime(2026, 6, 30, 23, 59)))
    completed_ticket(status="received")  # open
    assert page(client, agency_head, layanan=service.slug).context["figures"].population == 2


def test_it_reads_the_quarter_asked_for(client, agency_head, service, make_responses):
    make_responses(service, [(2,) * 9], at=timezone.make_aware(datetime(2026, 8, 1, 10)))
    make_responses(service, [(4,) * 9, (4,) * 9])
    past = page(client, agency_head, layanan=service.slug, periode="2026-Q3")
    assert past.context["quarter"] == Quarter(2026, 3)
    assert past.context["figures"].respondents == 1
    current = page(client, agency_head, layanan=service.slug)
    assert current.context["quarter"] == Quarter.of(timezone.localdate())


@pytest.mark.parametrize("value", ["2026-Q5", "2026-4", "kemarin", "1999-Q4", "2999-Q1"])
def test_a_period_not_understood_says_so_and_shows_this_quarter(client, agency_head, service, value):
    response = page(client, agency_head, layanan=service.slug, periode=value)
    assert response.status_code == 200
    assert "tidak dikenali" in response.content.decode()
    assert response.context["quarter"] == Quarter.of(timezone.localdate())


def test_comments_are_escaped(client, agency_head, service, make_responses):
    make_responses(service, [(3,) * 9], comment="<script>alert('x')</script>")
    text = page(client, agency_head, layanan=service.slug).content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text


def test_a_head_without_services_is_told_so(client, make_user, division):
    other = Unit.objects.create(code="bidang-lain", name="Bidang Lain", kind=Unit.Kind.DIVISION, parent=division)
    response = page(client, make_user(other, Role.HEAD))
    assert response.status_code == 200 and "Belum ada layanan yang Anda awasi." in response.content.decode()


def test_the_queries_do_not_grow_with_the_answers(client, agency_head, service, make_responses, completed_ticket):
    completed_ticket()
    client.force_login(agency_head)
    client.get(INDEX)  # the session's first writes are not the page's

    def queries_with(more):
        make_responses(service, [(3, 4, 2, 4, 3, 3, 4, 1, 3)] * more, comment="Saran", education="sd")
        with CaptureQueriesContext(connection) as context:
            response = client.get(INDEX, {"layanan": service.slug})
        return response.context["figures"].respondents, len(context.captured_queries)

    five, sixty = queries_with(5), queries_with(55)
    assert (five[0], sixty[0]) == (5, 60)
    assert five[1] == sixty[1]
