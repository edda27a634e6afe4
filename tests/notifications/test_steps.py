"""A step taken tells whoever may take the next one now, in the step's transaction: the same users whose worklist
then holds the record, not the one who just acted, and in words that name the record's service and number only."""

import pytest
from django.core import mail
from django.db import transaction

from portal.notifications.models import Kind, Notification, Preference
from portal.notifications.services import acting_users, transition_notify
from portal.models import Unit
from portal.roles import Role
from portal.services import transition_fire, workflow_start
from portal.workflow import TransitionError
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db

# The ticket's title stands for the person a real record serves: it must reach no notification or e-mail.
PERSON = "Sulastri Wiraatmaja"


@pytest.fixture
def team(division, make_user):
    users = {
        "officer": make_user(division, Role.OFFICER),
        "colleague": make_user(division, Role.OFFICER),
        "head": make_user(division, Role.HEAD),
    }
    for name, user in users.items():
        user.email = f"{name}@dinas.example.org"
        user.save()
    return users


@pytest.fixture
def outsider(government, agency, make_user):
    other = Unit.objects.create(code="lain", name="Bidang Lain", kind=Unit.Kind.DIVISION, parent=agency)
    return make_user(other, Role.HEAD)


def at(ticket, status, by):
    """The ticket moved to `status` by `by`, as the steps before would have left it."""
    Ticket.objects.filter(pk=ticket.pk).update(status=status, status_changed_by=by)
    Notification.objects.all().delete()
    return Ticket.objects.get(pk=ticket.pk)


def told(user):
    return list(Notification.objects.filter(user=user).values_list("kind", "text"))


def test_a_new_record_reaches_the_other_officers_of_its_unit(team, new_ticket, division, outsider,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = workflow_start(new_ticket(division, title=PERSON), actor=team["officer"])
    number = ticket.pk
    assert told(team["colleague"]) == [
        (Kind.STEP, f"Layanan Tiket nomor {number} menunggu langkah Anda: Permohonan diterima.")
    ]
    assert told(team["officer"]) == [] and told(team["head"]) == [] and told(outsider) == []
    [email] = mail.outbox
    assert email.to == ["colleague@dinas.example.org"] and f"/tiket/{ticket.pk}/" in email.body
    assert PERSON not in email.subject + email.body


def test_a_decision_reaches_the_head_as_an_approval_and_no_officer(team, new_ticket, division, outsider):
    ticket = at(workflow_start(new_ticket(division), actor=team["officer"]), "processed", team["officer"])
    ticket = transition_fire(ticket, name="processed", actor=team["officer"], expected_status="processed")
    assert told(team["head"]) == [(Kind.APPROVAL, f"Layanan Tiket nomor {ticket.pk} menunggu persetujuan Anda: Menunggu tanda tangan.")]
    assert told(team["colleague"]) == [] and told(outsider) == []


def test_a_head_who_moved_a_record_into_an_approval_is_not_told_to_approve_it(team, new_ticket, division, make_user):
    other_head = make_user(division, Role.HEAD)
    ticket = at(workflow_start(new_ticket(division), actor=team["officer"]), "processed", team["officer"])
    # The head moves it into the signature (an extra transition a head may take would): the signature that
    # follows is someone else's, and only the other head is told.
    Ticket.objects.filter(pk=ticket.pk).update(status="signed", status_changed_by=team["head"])
    transition_notify(Ticket.objects.get(pk=ticket.pk), actor=team["head"])
    assert told(team["head"]) == [] and [kind for kind, _text in told(other_head)] == [Kind.APPROVAL]


def test_a_refused_step_tells_no_one(team, new_ticket, division):
    ticket = workflow_start(new_ticket(division), actor=team["officer"])
    before = Notification.objects.count()
    with pytest.raises(TransitionError):
        transition_fire(ticket, name="received", actor=team["head"], expected_status="received")
    with pytest.raises(TransitionError):
        transition_fire(ticket, name="received", actor=team["officer"], expected_status="checked")
    assert Notification.objects.count() == before


def test_a_rolled_back_step_leaves_neither_notification_nor_email(team, new_ticket, division,
                                                                  django_capture_on_commit_callbacks):
    ticket = workflow_start(new_ticket(division), actor=team["officer"])
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            transition_fire(ticket, name="received", actor=team["officer"], expected_status="received")
            raise RuntimeError("a later write of the same view failed")
    assert Notification.objects.count() == before and mail.outbox == []


def test_each_user_chooses_how_they_are_told(team, new_ticket, division, django_capture_on_commit_callbacks):
    Preference.objects.create(user=team["colleague"], kind=Kind.STEP, channel=Preference.Channel.PORTAL)
    with django_capture_on_commit_callbacks(execute=True):
        workflow_start(new_ticket(division), actor=team["officer"])
    assert len(told(team["colleague"])) == 1 and mail.outbox == []


def test_a_final_status_tells_no_one(team, new_ticket, division):
    ticket = at(workflow_start(new_ticket(division), actor=team["officer"]), "signed", team["officer"])
    transition_fire(ticket, name="signed", actor=team["head"], expected_status="signed")
    assert not Notification.objects.exists()


def test_finding_whom_to_tell_costs_the_same_queries_for_2_or_15_officers(team, new_ticket, division, make_user,
                                                                           django_assert_num_queries):
    ticket = workflow_start(new_ticket(division), actor=team["officer"])
    ticket = Ticket.objects.get(pk=ticket.pk)
    # The unit tree, the candidates, their memberships, and the record's row with a yes or no for each.
    with django_assert_num_queries(4) as few:
        assert len(acting_users(ticket)) == 2
    for _ in range(13):
        make_user(division, Role.OFFICER)
    ticket = Ticket.objects.get(pk=ticket.pk)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(acting_users(ticket)) == 15
