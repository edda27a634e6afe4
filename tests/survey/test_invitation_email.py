"""The survey link e-mailed when a record is completed (portal.services.transition_fire calls
services.invitation_mail): once per record, to the address its person left, naming no one."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.complaints.models import Complaint, Desk
from portal.complaints.services import complaint_submit
from portal.models import Service
from portal.services import transition_fire
from portal.survey.models import Invitation
from portal.survey.services import invitation_mail
from portal.workflow import DONE, TransitionError
from tests.testapp.models import Ticket
from tests.testapp.workflow import REJECTED

pytestmark = pytest.mark.django_db

CONTACT = "pemohon@example.org"
# Who the record is about, as an app would keep them: neither may reach the e-mail.
NAME, NIK = "Sulastri Wiraatmaja", "3214015708900003"


class Interrupted(Exception):
    pass


@pytest.fixture
def with_contact(monkeypatch):
    """Tickets give an address, as a record of an app that keeps one would (WorkflowRecord.contact_email)."""
    monkeypatch.setattr(Ticket, "contact_email", lambda ticket: CONTACT)


@pytest.fixture
def signing(service, division):
    """A ticket of the survey's service waiting for its last step (the head's signature), about a named person."""
    return Ticket.objects.create(
        service=service, unit=division, title=NAME, summary=f"NIK {NIK}", status="signed",
        status_changed_at=timezone.now(), created_at=timezone.now(),
    )


def sign(ticket, head):
    return transition_fire(ticket, name="signed", actor=head, expected_status="signed")


def survey_mails():
    return [message for message in mail.outbox if "Survei" in message.subject]


def test_a_completed_record_is_mailed_one_working_link(
    client, service, signing, head, officer, with_contact, django_capture_on_commit_callbacks
):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signing.get_absolute_url(), {
            "langkah-transition": "signed", "langkah-expected_status": "signed",
        })
    assert response.status_code == 302
    signing.refresh_from_db()
    assert signing.status == DONE
    [message] = mail.outbox
    invitation = Invitation.objects.get()
    assert message.to == [CONTACT] and invitation.emailed_at is not None
    assert service.name in message.subject
    assert service.name in message.body and f"nomor {invitation.record_number}" in message.body
    assert "beberapa menit" in message.body and "anonim" in message.body
    [link] = re.findall(r"https?://\S+", message.body)
    assert link == settings.PORTAL_PUBLIC_URL + reverse("survey:answer", args=[invitation.token])

    client.logout()
    form = client.get(link.removeprefix(settings.PORTAL_PUBLIC_URL))
    assert form.status_code == 200
    assert "Survei Kepuasan Masyarakat" in form.content.decode() and service.name in form.content.decode()
    assert 'name="persyaratan"' in form.content.decode()

    client.force_login(officer)
    assert "Tautan survei telah dikirim ke surel pemohon" in client.get(signing.get_absolute_url()).content.decode()


def test_the_mail_names_no_one(signing, head, with_contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign(signing, head)
    [message] = mail.outbox
    text = message.subject + message.body
    assert not any(word in text for word in (*NAME.split(), NIK))


def test_a_record_without_an_address_is_mailed_nothing(
    client, signing, head, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign(signing, head)
    assert mail.outbox == [] and not Invitation.objects.filter(emailed_at__isnull=False).exists()
    client.force_login(officer)
    page = client.get(signing.get_absolute_url()).content.decode()
    assert "/survei/isi/" in page and "telah dikirim ke surel" not in page  # the officer hands the link over


def test_a_refused_request_is_mailed_nothing(service, division, head, with_contact, django_capture_on_commit_callbacks):
    ticket = Ticket.objects.create(service=service, unit=division, title="Tiket", status="decided")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = transition_fire(ticket, name="decided.reject", actor=head, expected_status="decided", note="Tidak lengkap")
    assert ticket.status == REJECTED and mail.outbox == [] and not Invitation.objects.exists()


def test_a_completion_sent_twice_mails_once(signing, head, with_contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        completed = sign(signing, head)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
        sign(signing, head)  # a second click, from the page that still showed the last step
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_mail(record=completed) is None  # the completion's hook run again
    assert len(mail.outbox) == 1 and Invitation.objects.count() == 1


def test_a_completion_rolled_back_mails_nothing_and_its_retry_mails_once(
    signing, head, with_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Interrupted), transaction.atomic():
            sign(signing, head)
            raise Interrupted  # e.g. a later write of the same step failed
    assert mail.outbox == [] and not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sign(signing, head)
    assert len(survey_mails()) == 1 and Invitation.objects.get().emailed_at is not None


def test_a_completed_complaint_is_mailed_no_survey(client, agency, division, officer, django_capture_on_commit_callbacks):
    desk = Desk.objects.create(
        service=Service.objects.create(slug="pengaduan", name="Pengaduan Dinas", unit=agency, app="complaints"),
        procedure=Desk.Procedure.OFFICER_RESPONSE, general_unit=division,
    )
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _code = complaint_submit(
            desk=desk, complaint=Complaint(text="Antrean lama.", email=CONTACT), client_address="10.0.0.1"
        )
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:detail", args=[complaint.pk]), {
            "langkah-transition": "respond.settled", "langkah-expected_status": complaint.status,
            "langkah-reply": "Antrean sudah ditambah loketnya.",
        })
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == DONE and complaint.contact_email() == CONTACT
    assert len(mail.outbox) == 2 and survey_mails() == []  # the receipt and the answer, nothing more
    assert not Invitation.objects.exists()
