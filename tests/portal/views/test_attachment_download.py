import pytest
from django.core.files.base import ContentFile

from portal.services import attachment_add, transition_fire

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(ticket, officer):
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    return attachment_add(ticket, kind="spt", file=ContentFile(b"%PDF-1.4 isi", name="Surat Budi.pdf"), actor=officer)


def url(attachment):
    return f"/lampiran/{attachment.pk}/"


def test_it_requires_login(client, attachment):
    response = client.get(url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_it_serves_the_file_named_by_its_kind_and_number(client, head, attachment):
    client.force_login(head)  # not the uploader: anyone who may see the record
    response = client.get(url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 isi"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="spt-{attachment.pk}.pdf"'


def test_it_hides_another_units_attachment(client, outsider, attachment):
    client.force_login(outsider)
    assert client.get(url(attachment)).status_code == 404


def test_it_hides_the_attachment_from_a_role_with_no_business_there(client, storekeeper, attachment):
    client.force_login(storekeeper)
    assert client.get(url(attachment)).status_code == 404


def test_an_unknown_attachment_is_404(client, officer, attachment):
    client.force_login(officer)
    assert client.get(f"/lampiran/{attachment.pk + 1}/").status_code == 404
