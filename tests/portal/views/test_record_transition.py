import pytest
from django.contrib.auth.models import Group

from portal.models import Membership, TransitionLog
from portal.roles import Role

pytestmark = pytest.mark.django_db


def url(ticket, app="testapp"):
    return f"/layanan/{app}/{ticket.pk}/langkah/"


def post(client, ticket, **data):
    return client.post(url(ticket), {"transition": "received", "expected_status": "received", **data}, follow=True)


def status_and_log_count(ticket):
    ticket.refresh_from_db()
    return ticket.status, TransitionLog.objects.filter(object_id=ticket.pk).count()


def test_it_requires_login(client, ticket):
    response = client.post(url(ticket), {"transition": "received", "expected_status": "received"})
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert status_and_log_count(ticket) == ("received", 1)


def test_a_get_goes_back_to_the_record_and_changes_nothing(client, officer, ticket, make_user, division):
    """A reload of the address a post went to asks it by GET: the record's page, never a bare 405."""
    client.force_login(officer)
    response = client.get(url(ticket))
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert client.head(url(ticket)).status_code == 302
    assert client.put(url(ticket)).status_code == 405
    assert status_and_log_count(ticket) == ("received", 1)
    # Whoever may not see the record learns nothing from it.
    client.force_login(make_user(division.parent, Role.FASKES))
    assert client.get(url(ticket)).status_code == 404


def test_it_moves_the_record_and_says_so(client, officer, ticket):
    client.force_login(officer)
    response = post(client, ticket, note="diterima lengkap")
    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert "Langkah tersimpan." in response.content.decode()
    assert status_and_log_count(ticket) == ("checked", 2)
    assert TransitionLog.objects.filter(object_id=ticket.pk, note="diterima lengkap").count() == 1


def test_a_double_submit_is_refused_with_a_message_and_changes_nothing(client, officer, ticket):
    client.force_login(officer)
    post(client, ticket)
    response = post(client, ticket)
    assert "diubah oleh pengguna lain" in response.content.decode()
    assert status_and_log_count(ticket) == ("checked", 2)


@pytest.mark.parametrize(
    "data",
    [{"transition": "nonsense"}, {"expected_status": "nonsense"}, {"transition": ""}, {"expected_status": ""}],
)
def test_a_malformed_post_says_the_transition_is_unknown_and_changes_nothing(client, officer, ticket, data):
    client.force_login(officer)
    page = post(client, ticket, **data).content.decode()
    assert "Transisi tidak dikenal." in page
    assert "diubah oleh pengguna lain" not in page
    assert status_and_log_count(ticket) == ("received", 1)


def test_a_note_over_2000_characters_is_refused_and_changes_nothing(client, officer, ticket):
    client.force_login(officer)
    page = post(client, ticket, note="x" * 2001).content.decode()
    assert "Catatan paling banyak 2000 karakter." in page
    assert status_and_log_count(ticket) == ("received", 1)


def test_it_refuses_the_wrong_role_with_a_message(client, head, ticket):
    client.force_login(head)
    assert "tidak dapat melakukan langkah ini: langkah ini dilakukan oleh Petugas" in post(client, ticket).content.decode()
    assert status_and_log_count(ticket) == ("received", 1)


def test_it_hides_another_units_record(client, outsider, ticket):
    client.force_login(outsider)
    assert client.post(url(ticket), {"transition": "received", "expected_status": "received"}).status_code == 404
    assert status_and_log_count(ticket) == ("received", 1)


def test_it_hides_the_record_from_a_role_with_no_business_there(client, storekeeper, ticket):
    client.force_login(storekeeper)
    assert client.post(url(ticket), {"transition": "received", "expected_status": "received"}).status_code == 404
    assert status_and_log_count(ticket) == ("received", 1)


def test_an_unknown_app_is_404(client, officer, ticket):
    client.force_login(officer)
    assert client.post(url(ticket, app="tidakada"), {"transition": "received"}).status_code == 404


def test_the_same_person_may_not_approve_their_own_step(client, division, officer, ticket):
    from django.core.files.base import ContentFile

    from portal.services import attachment_add, transition_fire

    Membership.objects.create(user=officer, unit=division, role=Group.objects.get(name=Role.HEAD))
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    attachment_add(ticket, kind="spt", file=ContentFile(b"%PDF-1.4", name="spt.pdf"), actor=officer)
    ticket = transition_fire(ticket, name="checked", actor=officer, expected_status="checked")
    client.force_login(officer)
    page = post(client, ticket, transition="decided.approve", expected_status="decided").content.decode()
    assert "harus dilakukan oleh pejabat lain" in page
    assert status_and_log_count(ticket) == ("decided", 3)

