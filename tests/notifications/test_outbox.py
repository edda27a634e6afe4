"""The outbox: an e-mail is written in the event's transaction, sent after the commit by a task, once, retried with
backoff when the mail server refuses it, and given up to the admin after its last attempt."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from portal.notifications import services
from portal.notifications.models import Email

pytestmark = pytest.mark.django_db

NOW = timezone.now()


class RefusingBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def queue(**fields):
    return services.email_queue(**{"to": ["warga@example.org"], "subject": "Jawaban", "body": "Isi", **fields})


def test_an_email_is_sent_once_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue(subject="Jawaban\nBcc: x@example.org")
        assert mail.outbox == []  # nothing before the commit
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Jawaban Bcc: x@example.org" and mail.outbox[0].to == ["warga@example.org"]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    # The task run again (a redelivery) sends nothing more.
    assert services.email_send(email.pk) is False
    assert len(mail.outbox) == 1


def test_a_rollback_queues_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the event failed")
        except RuntimeError:
            pass
    assert mail.outbox == [] and not Email.objects.exists()


def test_the_same_event_queues_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue(key="notification:7") is not None
        assert queue(key="notification:7") is None
    assert len(mail.outbox) == 1 and Email.objects.count() == 1


def test_no_address_no_email():
    assert queue(to=["", ""]) is None and not Email.objects.exists()


def test_a_refused_email_is_retried_later_each_time_and_then_given_up(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert email.attempts == 1 and "mail server down" in email.last_error and email.sent_at is None
    waits = [email.next_attempt_at - email.created_at]
    moment = email.next_attempt_at
    assert services.emails_due(moment - timedelta(seconds=1)) == []
    while email.failed_at is None:
        assert services.emails_due(moment) == [email.pk]
        services.email_send(email.pk, now=moment)
        email.refresh_from_db()
        if email.next_attempt_at:
            waits.append(email.next_attempt_at - moment)
            moment = email.next_attempt_at
    assert email.attempts == Email.MAX_ATTEMPTS and email.failed_at == moment
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 2, 4, 8, 16]
    assert services.emails_due(moment + timedelta(days=1)) == []  # given up: only the admin sends it again

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.email_retry(email.pk)
    email.refresh_from_db()
    assert email.sent_at is not None and email.failed_at is None and len(mail.outbox) == 1


def test_an_email_whose_task_was_lost_is_sent_by_the_retry_round():
    email = Email.objects.create(key="lost", to=["warga@example.org"], subject="s", body="b", created_at=NOW)
    assert services.emails_due(NOW + timedelta(minutes=4)) == []
    assert services.emails_due(NOW + timedelta(minutes=5)) == [email.pk]
