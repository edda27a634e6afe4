"""Survey links for completed records (survey:answer, services.invitation_create, the offer on the record page)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.services import workflow_start
from portal.survey.models import Invitation, Response
from portal.survey.services import invitation_create

pytestmark = pytest.mark.django_db


def test_a_completed_record_gets_one_link_however_often_asked(service, completed_ticket):
    ticket = completed_ticket()
    first = invitation_create(service=service, record=ticket)
    assert invitation_create(service=service, record=ticket) == first
    assert Invitation.objects.count() == 1
    assert (first.record_app, first.record_pk, first.record_number) == ("testapp", ticket.pk, str(ticket.pk))
    assert len(first.token) >= 40


def test_an_open_record_gets_no_link(service, officer, new_ticket, division):
    ticket = workflow_start(new_ticket(division), actor=officer)
    ticket.service = service
    with pytest.raises(ValidationError):
        invitation_create(service=service, record=ticket)
    assert not Invitation.objects.exists()


def test_a_link_answers_once(client, service, completed_ticket, answer_data):
    invitation = invitation_create(service=service, record=completed_ticket())
    url = reverse("survey:answer", args=[invitation.token])
    assert client.get(url).status_code == 200
    assert client.post(url, answer_data()).status_code == 302
    answer = Response.objects.get()
    assert answer.invitation == invitation and answer.service == service
    invitation.refresh_from_db()
    assert invitation.used_at is not None

    again = client.post(url, answer_data(persyaratan="1"))
    assert again.status_code == 410
    assert "sudah dipakai" in again.content.decode()
    assert client.get(url).status_code == 410
    assert Response.objects.count() == 1


def test_an_unknown_token_is_refused(client, db):
    response = client.get(reverse("survey:answer", args=["bukan-token-yang-ada"]))
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()
    assert client.post(reverse("survey:answer", args=["x"]), {}).status_code == 404


def test_a_link_is_not_held_to_the_address_limit(client, service, completed_ticket, answer_data, make_responses):
    make_responses(service, [(3,) * 9] * 10)  # other answers from elsewhere do not matter
    for _ in range(6):
        invitation = invitation_create(service=service)
        assert client.post(reverse("survey:answer", args=[invitation.token]), answer_data()).status_code == 302


def test_the_completed_records_page_offers_its_link_and_nothing_of_the_person(client, service, officer, completed_ticket):
    ticket = completed_ticket()
    ticket.title = "Budi Santoso"
    ticket.save()
    client.force_login(officer)
    page = client.get(ticket.get_absolute_url()).content.decode()
    invitation = Invitation.objects.get()
    link = f"http://testserver/survei/isi/{invitation.token}/"
    assert link in page
    assert "Survei Kepuasan Masyarakat" in page and "hanya dapat diisi satu kali" in page
    assert "Budi" not in invitation.token and "Budi" not in invitation.record_number
    # Asked again, the same link.
    assert link in client.get(ticket.get_absolute_url()).content.decode()
    assert Invitation.objects.count() == 1


def test_an_open_records_page_offers_no_link(client, officer, new_ticket, division):
    ticket = workflow_start(new_ticket(division), actor=officer)
    client.force_login(officer)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "/survei/isi/" not in page
    assert not Invitation.objects.exists()


def test_a_used_links_record_page_says_it_was_answered(client, service, officer, completed_ticket, answer_data):
    ticket = completed_ticket()
    invitation = invitation_create(service=service, record=ticket)
    client.post(reverse("survey:answer", args=[invitation.token]), answer_data())
    client.force_login(officer)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "sudah diisi pada" in page and invitation.token not in page
