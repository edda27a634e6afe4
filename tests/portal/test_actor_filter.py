"""A record may narrow who acts beyond the role (a case: its assigned team); buttons, worklist and engine follow."""

import pytest
from django.db.models import Q

from portal.services import available_transitions, transition_fire, workflow_start
from portal.workflow import TransitionError
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned_by_title(monkeypatch):
    """Only the officer whose username is the ticket's title may act on it (a stand-in for a case team)."""
    monkeypatch.setattr(Ticket, "actor_filter", classmethod(lambda cls, role, user, statuses=None: Q(title=user.username)))


@pytest.fixture
def colleague(division, make_user):
    return make_user(division, "Petugas", username="rekan")


def test_an_officer_not_assigned_gets_no_button_and_is_refused_by_the_engine(
    division, officer, colleague, new_ticket, assigned_by_title
):
    ticket = workflow_start(new_ticket(division, title=colleague.username), actor=officer)
    assert available_transitions(ticket, officer) == []
    with pytest.raises(TransitionError, match="petugas yang ditugaskan"):
        transition_fire(ticket, name="received", actor=officer, expected_status="received")
    assert Ticket.objects.get(pk=ticket.pk).status == "received"
    assert [t.name for t in available_transitions(ticket, colleague)] == ["received"]
    transition_fire(ticket, name="received", actor=colleague, expected_status="received")


def test_the_worklist_lists_a_record_only_for_whom_it_waits(
    client, division, officer, colleague, new_ticket, assigned_by_title
):
    workflow_start(new_ticket(division, title=colleague.username), actor=officer)
    workflow_start(new_ticket(division, title=officer.username), actor=officer)
    for user, expected in ((officer, officer.username), (colleague, colleague.username)):
        client.force_login(user)
        work = {w.service.slug: w for w in client.get("/").context["worklist"]}["tiket"]
        assert [t.title for t in work.waiting] == [expected]


def test_a_record_without_a_narrower_filter_costs_no_extra_query(
    division, officer, new_ticket, django_assert_num_queries
):
    ticket = workflow_start(new_ticket(division), actor=officer)
    available_transitions(ticket, officer)  # the user's access is read once
    with django_assert_num_queries(0):
        assert available_transitions(ticket, officer)
