import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Attachment
from portal.services import transition_fire

pytestmark = pytest.mark.django_db


@pytest.fixture
def checking(ticket, officer):
    """The ticket at its step that needs an SPT."""
    return transition_fire(ticket, name="received", actor=officer, expected_status="received")


def url(ticket):
    return f"/layanan/testapp/{ticket.pk}/lampiran/"


def upload(client, ticket, *, kind="spt", name="spt.pdf", content=b"%PDF-1.4 surat", follow=True):
    return client.post(url(ticket), {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=follow)


def test_it_requires_login(client, checking):
    response = upload(client, checking, follow=False)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert not Attachment.objects.exists()


def test_a_get_goes_back_to_the_record(client, officer, checking):
    client.force_login(officer)
    response = client.get(url(checking))
    assert response.status_code == 302 and response["Location"] == checking.get_absolute_url()


def test_it_stores_the_file_under_a_random_name_and_says_so(client, officer, checking):
    client.force_login(officer)
    response = upload(client, checking, name="Surat Tugas Budi Santoso.pdf")
    assert "Lampiran tersimpan." in response.content.decode()
    [attachment] = Attachment.objects.all()
    assert (attachment.kind, attachment.unit, attachment.uploaded_by, attachment.mime_type) == (
        "spt", checking.unit, officer, "application/pdf"
    )
    assert "Budi" not in attachment.file.name
    assert attachment.file.name.startswith("testapp/") and attachment.file.name.endswith(".pdf")
    assert attachment.file.read() == b"%PDF-1.4 surat"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "surat.exe"}, "Hanya berkas PDF, JPG atau PNG."),
        ({"kind": "ktp"}, "Jenis dokumen tidak dikenal."),
        ({"content": b""}, "Berkas ini kosong."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, officer, checking, kwargs, message):
    client.force_login(officer)
    assert message in upload(client, checking, **kwargs).content.decode()
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(client, officer, checking, settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(officer)
    assert "Berkas paling besar 1 MB." in upload(client, checking, content=b"x" * (1024 * 1024 + 1)).content.decode()
    assert not Attachment.objects.exists()


def test_a_role_without_the_current_step_may_not_upload(client, head, checking):
    client.force_login(head)
    assert "hanya dapat diunggah oleh pelaksananya" in upload(client, checking).content.decode()
    assert not Attachment.objects.exists()


def test_it_hides_another_units_record(client, outsider, checking):
    client.force_login(outsider)
    assert upload(client, checking, follow=False).status_code == 404
    assert not Attachment.objects.exists()


def test_it_hides_the_record_from_a_role_with_no_business_there(client, storekeeper, checking):
    client.force_login(storekeeper)
    assert upload(client, checking, follow=False).status_code == 404
    assert not Attachment.objects.exists()


def test_a_head_may_not_add_to_the_file_of_a_decision_on_their_own_work(client, division, officer, ticket):
    from django.contrib.auth.models import Group

    from portal.models import Membership
    from portal.roles import Role
    from portal.services import attachment_add

    Membership.objects.create(user=officer, unit=division, role=Group.objects.get(name=Role.HEAD))
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    attachment_add(ticket, kind="spt", file=SimpleUploadedFile("spt.pdf", b"%PDF-1.4"), actor=officer)
    ticket = transition_fire(ticket, name="checked", actor=officer, expected_status="checked")
    client.force_login(officer)
    page = upload(client, ticket).content.decode()
    assert "harus dilakukan oleh pejabat lain" in page
    assert Attachment.objects.count() == 1
    assert 'name="file"' not in client.get(ticket.get_absolute_url()).content.decode()
