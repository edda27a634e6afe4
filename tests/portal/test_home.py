from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import Service
from portal.roles import Role
from portal.services import workflow_start
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_testapp(settings):
    """Let the start page count Tickets: the test app's workflow joins the SOP apps."""
    settings.PORTAL_SOP_APPS = [*settings.PORTAL_SOP_APPS, "tests.testapp"]


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_it_lists_the_services_of_the_users_units_and_above(client, division, agency, uptd, make_user):
    Service.objects.create(slug="a", name="Layanan Dinas", unit=agency, app="alokon")
    Service.objects.create(slug="b", name="Layanan Bidang", unit=division, app="identitas")
    Service.objects.create(slug="c", name="Layanan UPTD", unit=uptd, app="cases")
    client.force_login(make_user(division, Role.OFFICER))
    page = client.get("/").content.decode()
    assert "Layanan Dinas" in page
    assert "Layanan Bidang" in page
    assert "Layanan UPTD" not in page


def test_it_tells_a_user_without_units_to_ask_the_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("tanpa-unit", password="x-long-password"))
    assert "Hubungi admin portal" in client.get("/").content.decode()


def test_it_counts_open_and_overdue_records_the_user_may_see(
    client, registered_testapp, division, uptd, make_user, django_assert_max_num_queries
):
    officer = make_user(division, Role.OFFICER)
    other = make_user(uptd, Role.OFFICER)
    Service.objects.create(slug="t", name="Layanan Tiket", unit=division, app="tests.testapp")
    for number in range(3):
        workflow_start(Ticket(unit=division, title=f"t{number}"), actor=officer)
    workflow_start(Ticket(unit=uptd, title="lain"), actor=other)
    late = Ticket.objects.filter(unit=division).first()
    late.due_at = timezone.now() - timedelta(hours=1)
    late.save()
    closed = Ticket.objects.filter(unit=division).last()
    closed.status = "selesai"
    closed.save()

    client.force_login(officer)
    with django_assert_max_num_queries(9):
        response = client.get("/")
    summary = {item.service.slug: item for item in response.context["services"]}["t"]
    assert (summary.open_count, summary.overdue_count) == (2, 1)


def test_each_service_links_to_its_public_standard_and_sop(client, division, make_user):
    Service.objects.create(slug="layanan-b", name="Layanan Bidang", unit=division, app="identitas")
    client.force_login(make_user(division, Role.OFFICER))
    page = client.get("/").content.decode()
    assert 'href="/publik/layanan/layanan-b/"' in page
    assert 'href="/publik/layanan/layanan-b/sop/"' in page
    assert 'href="/publik/"' in page  # the navigation
