from pathlib import Path

import pytest
from django.test import override_settings

from portal.models import TransitionLog
from portal.roles import Role
from portal.services import workflow_start
from tests.testapp.models import Ticket

TEMPLATES_DIR = Path(__file__).parent / "templates"

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.workflow_urls")]


@pytest.fixture(autouse=True)
def test_templates(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}]


@pytest.fixture
def ticket(division, officer):
    return workflow_start(Ticket(unit=division, title="Tiket pertama"), actor=officer)


def test_it_shows_the_current_step_and_the_officers_button(client, officer, ticket):
    client.force_login(officer)
    page = client.get(f"/tiket/{ticket.pk}/").content.decode()
    assert 'aria-current="step"' in page
    assert "Permohonan diterima" in page
    assert 'name="transition" value="received"' in page
    assert 'name="expected_status" value="received"' in page
    assert "Layanan dimulai" in page  # the history


def test_it_shows_no_button_to_a_role_that_may_not_act(client, head, ticket):
    client.force_login(head)
    page = client.get(f"/tiket/{ticket.pk}/").content.decode()
    assert 'name="transition"' not in page
    assert "Langkah berikutnya dilakukan oleh peran lain." in page


def test_posting_a_button_moves_the_record_and_says_so(client, officer, ticket):
    client.force_login(officer)
    response = client.post(
        f"/tiket/{ticket.pk}/transisi/",
        {"transition": "received", "expected_status": "received", "note": "diterima lengkap"},
        follow=True,
    )
    ticket.refresh_from_db()
    assert ticket.status == "checked"
    assert "Langkah tersimpan." in response.content.decode()
    assert TransitionLog.objects.filter(object_id=ticket.pk, note="diterima lengkap").count() == 1


def test_a_double_submit_is_refused_with_a_message_and_changes_nothing(client, officer, ticket):
    client.force_login(officer)
    data = {"transition": "received", "expected_status": "received"}
    client.post(f"/tiket/{ticket.pk}/transisi/", data)
    response = client.post(f"/tiket/{ticket.pk}/transisi/", data, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == "checked"
    assert "diubah oleh pengguna lain" in response.content.decode()
    assert TransitionLog.objects.filter(object_id=ticket.pk).count() == 2  # start + one step


def test_a_malformed_post_is_refused_with_a_message(client, officer, ticket):
    client.force_login(officer)
    response = client.post(f"/tiket/{ticket.pk}/transisi/", {"transition": "nonsense"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == "received"
    assert "diubah oleh pengguna lain" in response.content.decode()


def test_a_user_of_another_unit_gets_404(client, uptd, make_user, ticket):
    client.force_login(make_user(uptd, Role.OFFICER))
    assert client.get(f"/tiket/{ticket.pk}/").status_code == 404
    response = client.post(f"/tiket/{ticket.pk}/transisi/", {"transition": "received", "expected_status": "received"})
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == "received"


def test_the_panel_shows_the_service_due_time(client, officer, ticket):
    client.force_login(officer)
    page = client.get(f"/tiket/{ticket.pk}/").content.decode()
    assert "Batas waktu layanan" in page
    assert "sisa" in page
