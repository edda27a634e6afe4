"""Unit scoping: who sees which records, and permissions that come through memberships."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission

from portal.models import Membership, Unit, unit_ids_visible_to
from portal.roles import Role
from portal.workflow import DONE
from tests.testapp.models import Ticket
from tests.testapp.workflow import REJECTED

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def ticket_in(unit, status="received", due_at=None):
    return Ticket.objects.create(unit=unit, status=status, title=f"Tiket {unit.code}", due_at=due_at)


# unit_ids_visible_to


def test_a_member_sees_their_unit_and_everything_below_it(government, agency, division, uptd, make_user):
    user = make_user(agency, Role.HEAD)
    assert unit_ids_visible_to(user) == {agency.pk, division.pk, uptd.pk}


def test_a_member_sees_nothing_beside_or_above_their_unit(government, agency, division, uptd, make_user):
    user = make_user(division, Role.OFFICER)
    assert unit_ids_visible_to(user) == {division.pk}


def test_a_member_of_the_government_sees_the_whole_tree(government, agency, division, uptd, make_user):
    user = make_user(government, Role.ADMIN)
    assert unit_ids_visible_to(user) == {government.pk, agency.pk, division.pk, uptd.pk}


def test_memberships_in_two_units_see_both_subtrees(division, uptd, make_user):
    user = make_user(division, Role.OFFICER)
    Membership.objects.create(user=user, unit=uptd, role=Group.objects.get(name=Role.OFFICER))
    assert unit_ids_visible_to(user) == {division.pk, uptd.pk}


def test_a_user_without_membership_sees_no_unit(division):
    user = get_user_model().objects.create_user(username="tanpa-unit")
    assert unit_ids_visible_to(user) == set()
    assert not Unit.objects.visible_to(user).exists()


def test_an_anonymous_user_sees_no_unit(division):
    assert unit_ids_visible_to(AnonymousUser()) == set()


def test_unit_visible_to_lists_the_same_units(agency, division, uptd, make_user):
    user = make_user(division, Role.OFFICER)
    assert list(Unit.objects.visible_to(user)) == [division]


# Records


def test_records_visible_to_a_member_never_include_another_units(division, uptd, make_user):
    mine, theirs = ticket_in(division), ticket_in(uptd)
    assert list(Ticket.objects.visible_to(make_user(division, Role.OFFICER))) == [mine]
    assert list(Ticket.objects.visible_to(make_user(uptd, Role.OFFICER))) == [theirs]


def test_records_of_a_parent_unit_are_hidden_from_a_child_units_member(agency, division, make_user):
    ticket_in(agency)
    assert not Ticket.objects.visible_to(make_user(division, Role.HEAD)).exists()


def test_records_of_child_units_are_visible_to_the_parent_units_member(agency, division, uptd, make_user):
    tickets = {ticket_in(agency), ticket_in(division), ticket_in(uptd)}
    assert set(Ticket.objects.visible_to(make_user(agency, Role.HEAD))) == tickets


def test_records_are_hidden_from_a_user_without_membership(division, uptd):
    ticket_in(division)
    ticket_in(uptd)
    assert not Ticket.objects.visible_to(get_user_model().objects.create_user(username="tanpa-unit")).exists()
    assert not Ticket.objects.visible_to(AnonymousUser()).exists()


# Open and overdue records


def test_open_records_exclude_every_final_status(division):
    waiting = ticket_in(division, "received")
    deciding = ticket_in(division, "decided")
    ticket_in(division, DONE)
    ticket_in(division, REJECTED)
    assert set(Ticket.objects.open()) == {waiting, deciding}


def test_overdue_records_are_open_records_past_their_due_time(division):
    late = ticket_in(division, "processed", due_at=NOW - timedelta(minutes=1))
    ticket_in(division, "processed", due_at=NOW + timedelta(minutes=1))
    ticket_in(division, "processed", due_at=None)
    ticket_in(division, DONE, due_at=NOW - timedelta(days=3))
    ticket_in(division, REJECTED, due_at=NOW - timedelta(days=3))
    assert list(Ticket.objects.overdue(NOW)) == [late]
    assert late.is_overdue(NOW)


def test_overdue_records_compose_with_visibility(division, uptd, make_user):
    late_here = ticket_in(division, due_at=NOW - timedelta(hours=1))
    ticket_in(uptd, due_at=NOW - timedelta(hours=1))
    assert list(Ticket.objects.visible_to(make_user(division, Role.OFFICER)).overdue(NOW)) == [late_here]


# Permissions through memberships (portal.backends.MembershipBackend)


@pytest.fixture
def officers_may_view_tickets(db):
    permission = Permission.objects.get(content_type__app_label="testapp", codename="view_ticket")
    Group.objects.get(name=Role.OFFICER).permissions.add(permission)


def fresh(user):
    """The user without its cached permissions, as the next request would load it."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_role_groups_permission_reaches_the_member_through_the_membership(
    officers_may_view_tickets, division, make_user
):
    officer = make_user(division, Role.OFFICER)
    assert not officer.groups.exists()  # not through Django's own user.groups
    assert fresh(officer).has_perm("testapp.view_ticket")


def test_another_roles_member_does_not_get_the_permission(officers_may_view_tickets, division, make_user):
    assert not fresh(make_user(division, Role.HEAD)).has_perm("testapp.view_ticket")


def test_a_user_without_membership_does_not_get_the_permission(officers_may_view_tickets):
    assert not get_user_model().objects.create_user(username="tanpa-unit").has_perm("testapp.view_ticket")


def test_the_permission_goes_when_the_membership_goes(officers_may_view_tickets, division, make_user):
    officer = make_user(division, Role.OFFICER)
    Membership.objects.filter(user=officer).delete()
    assert not fresh(officer).has_perm("testapp.view_ticket")


def test_an_inactive_member_does_not_get_the_permission(officers_may_view_tickets, division, make_user):
    officer = make_user(division, Role.OFFICER)
    get_user_model().objects.filter(pk=officer.pk).update(is_active=False)
    assert not fresh(officer).has_perm("testapp.view_ticket")
