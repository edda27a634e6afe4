"""The reminder round: records due soon reach whoever may act on them now, overdue ones reach them and then the
heads of their unit, each once however many rounds meet them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from identitas.workflow import WORKFLOW as IDENTITAS
from portal.notifications import reminders
from portal.notifications.models import Kind, Notification
from portal.roles import Role
from portal.services import workflow_start
from portal.workflow import DONE
from tests.testapp.models import Ticket
from tests.testapp.workflow import WORKFLOW as TICKETS

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def colleague(division, make_user):
    return make_user(division, Role.OFFICER)


@pytest.fixture
def ticket(officer, new_ticket, division):
    """A ticket started by the officer; the start's own notifications are cleared."""

    def make(due_in, status=None):
        record = workflow_start(new_ticket(division), actor=officer)
        Ticket.objects.filter(pk=record.pk).update(due_at=NOW + due_in, **({"status": status} if status else {}))
        Notification.objects.all().delete()
        return Ticket.objects.get(pk=record.pk)

    return make


def told():
    return sorted((n.user_id, n.kind) for n in Notification.objects.all())


def test_a_record_due_within_a_day_reaches_its_officers_once(ticket, officer, colleague, head):
    due = ticket(timedelta(hours=20))
    ticket(timedelta(hours=30))  # not yet
    assert reminders.run(NOW) == 2
    assert told() == sorted([(officer.pk, Kind.DUE_SOON), (colleague.pk, Kind.DUE_SOON)])
    assert Notification.objects.filter(user=officer).get().url == due.get_absolute_url()
    assert reminders.run(NOW + timedelta(minutes=10)) == 0 and len(told()) == 2


def test_an_overdue_record_reaches_its_officers_and_a_day_later_its_head(ticket, officer, colleague, head):
    ticket(-timedelta(hours=2))
    reminders.run(NOW)
    assert told() == sorted([(officer.pk, Kind.OVERDUE), (colleague.pk, Kind.OVERDUE)])
    reminders.run(NOW + timedelta(hours=21))
    assert (head.pk, Kind.OVERDUE) not in told()
    reminders.run(NOW + timedelta(hours=22, minutes=1))
    assert told().count((head.pk, Kind.OVERDUE)) == 1
    reminders.run(NOW + timedelta(days=3))
    assert len(told()) == 3


def test_closed_and_long_forgotten_records_remind_no_one(ticket, officer):
    ticket(-timedelta(hours=2), status=DONE)
    ticket(-timedelta(days=31))
    assert reminders.run(NOW) == 0


def test_a_moved_due_time_is_a_new_reminder(ticket, officer, colleague):
    record = ticket(timedelta(hours=5))
    reminders.run(NOW)
    Ticket.objects.filter(pk=record.pk).update(due_at=NOW + timedelta(hours=6))
    reminders.run(NOW)
    assert told().count((officer.pk, Kind.DUE_SOON)) == 2


def test_a_standard_in_minutes_reminds_at_its_declared_share():
    assert reminders.lead(IDENTITAS) == timedelta(minutes=60)  # 240 of 300 minutes
    assert reminders.lead(TICKETS) == timedelta(days=1)


def test_reminders_name_the_service_and_number_only(ticket, officer):
    record = ticket(timedelta(hours=3))
    Ticket.objects.filter(pk=record.pk).update(title="Sulastri Wiraatmaja")
    reminders.run(NOW)
    text = Notification.objects.filter(user=officer).get().text
    assert text.startswith(f"Layanan Tiket nomor {record.pk}: batas waktu layanan ") and "Sulastri" not in text


def test_a_round_over_records_already_met_reads_their_keys_only(ticket, officer, colleague, make_user, uptd,
                                                                django_assert_max_num_queries):
    for _ in range(3):
        ticket(-timedelta(hours=2))
    # A ticket of a unit where no one may act on it: met once like the others, with no one to tell.
    lonely = ticket(-timedelta(hours=2))
    Ticket.objects.filter(pk=lonely.pk).update(unit=uptd)
    reminders.run(NOW)
    with django_assert_max_num_queries(20) as few:
        assert reminders.run(NOW) == 0
    # No record is read again, nor asked whom it waits for (the lonely one included).
    assert not any('"testapp_ticket"."title"' in q["sql"] or "auth_user" in q["sql"] for q in few.captured_queries)
    for _ in range(27):
        ticket(-timedelta(hours=2))
    reminders.run(NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert reminders.run(NOW) == 0
