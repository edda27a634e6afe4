"""Scoping: who sees which records, from unit, role and service (portal.access), and permissions through memberships."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import Q

from portal import access
from portal.access import OrgTree
from portal.models import Membership, Service, Unit, access_for
from portal.roles import Role
from portal.selectors import services_where
from portal.workflow import DONE
from tests.testapp.models import Ticket
from tests.testapp.workflow import REJECTED

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def ticket_in(new_ticket):
    def make(unit, status="received", due_at=None):
        ticket = new_ticket(unit, status=status, title=f"Tiket {unit.code}", due_at=due_at)
        ticket.save()
        return ticket

    return make


# Units


def test_a_member_sees_their_unit_and_everything_below_it(government, agency, division, uptd, make_user):
    user = make_user(agency, Role.HEAD)
    assert set(Unit.objects.visible_to(user)) == {agency, division, uptd}


def test_a_member_sees_no_unit_beside_or_above_their_unit(government, agency, division, uptd, make_user):
    assert list(Unit.objects.visible_to(make_user(division, Role.OFFICER))) == [division]


def test_memberships_in_two_units_see_both_subtrees(division, uptd, make_user):
    user = make_user(division, Role.OFFICER)
    Membership.objects.create(user=user, unit=uptd, role=Group.objects.get(name=Role.OFFICER))
    assert set(Unit.objects.visible_to(user)) == {division, uptd}


def test_a_user_without_membership_or_login_sees_no_unit(division):
    assert not Unit.objects.visible_to(get_user_model().objects.create_user(username="tanpa-unit")).exists()
    assert not Unit.objects.visible_to(AnonymousUser()).exists()


def test_the_tree_walks_end_on_a_cycle_in_the_data():
    tree = OrgTree({1: 2, 2: 1, 3: None})
    assert tree.above(1) == [1, 2]
    assert set(tree.below([1])) == {1, 2}


@pytest.fixture
def wide_tree(agency, division, uptd):
    """60 more units: 30 under the agency, each with one below it, so that the agency's subtree passes as a walk."""
    tops = Unit.objects.bulk_create(Unit(code=f"atas-{i}", name=f"Atas {i}", parent=agency) for i in range(30))
    Unit.objects.bulk_create(Unit(code=f"bawah-{i}", name=f"Bawah {i}", parent=top) for i, top in enumerate(tops))
    return OrgTree(dict(Unit.objects.values_list("pk", "parent_id")))


def test_a_large_subtree_is_walked_by_the_database_and_gives_the_units_the_tree_gives(wide_tree, agency, make_user):
    units = wide_tree.below([agency.pk])
    assert len(units) > access.LISTED_UNITS
    sql = str(Unit.objects.filter(pk__in=units).query)
    assert "WITH RECURSIVE" in sql and str(sorted(units)[-1]) not in sql  # the roots go in, not the ids
    assert set(Unit.objects.filter(pk__in=units).values_list("pk", flat=True)) == set(units)
    user = make_user(agency, Role.HEAD)
    assert set(Unit.objects.visible_to(user).values_list("pk", flat=True)) == set(units)


def test_a_walked_subtree_less_another_leaves_out_that_whole_branch(wide_tree, agency, division, uptd):
    branch = Unit.objects.get(code="atas-3")
    units = wide_tree.below([agency.pk]) - wide_tree.below([branch.pk, division.pk])
    expected = set(wide_tree.below([agency.pk])) - set(wide_tree.below([branch.pk, division.pk]))
    assert {branch.pk, division.pk, Unit.objects.get(code="bawah-3").pk}.isdisjoint(expected) and uptd.pk in expected
    assert set(units) == expected
    assert set(Unit.objects.filter(pk__in=units).values_list("pk", flat=True)) == expected
    assert set(Unit.objects.exclude(pk__in=units).values_list("pk", flat=True)) == set(wide_tree.parents) - expected


def test_a_small_or_empty_set_of_units_is_listed(agency, division, uptd):
    tree = OrgTree(dict(Unit.objects.values_list("pk", "parent_id")))
    sql = str(Unit.objects.filter(pk__in=tree.below([agency.pk])).query)
    assert "WITH RECURSIVE" not in sql
    assert set(Unit.objects.filter(pk__in=tree.below([agency.pk]))) == {agency, division, uptd}
    assert not Unit.objects.filter(pk__in=tree.below([])).exists()
    assert Unit.objects.exclude(pk__in=tree.below([])).count() == Unit.objects.count()


def test_roles_held_above_a_unit_count_in_it(agency, division, make_user):
    user = make_user(agency, Role.HEAD)
    assert access_for(user).roles_in(division.pk) == {Role.HEAD}
    assert access_for(make_user(division, Role.OFFICER)).roles_in(agency.pk) == set()


def test_the_users_memberships_and_the_tree_are_read_once_per_user_object(division, make_user, django_assert_num_queries):
    user = make_user(division, Role.OFFICER)
    with django_assert_num_queries(3):  # memberships, the tree, then the list itself
        access_for(user)
        access_for(user)
        list(Unit.objects.visible_to(user).values_list("pk"))


# Records: unit and role


def test_records_visible_to_a_member_never_include_another_units(division, uptd, make_user, ticket_in):
    mine, theirs = ticket_in(division), ticket_in(uptd)
    assert list(Ticket.objects.visible_to(make_user(division, Role.OFFICER))) == [mine]
    assert list(Ticket.objects.visible_to(make_user(uptd, Role.OFFICER))) == [theirs]


def test_records_of_a_parent_unit_are_hidden_from_a_child_units_member(agency, division, make_user, ticket_in):
    ticket_in(agency)
    assert not Ticket.objects.visible_to(make_user(division, Role.HEAD)).exists()


def test_records_of_child_units_are_visible_to_the_parent_units_member(agency, division, uptd, make_user, ticket_in):
    tickets = {ticket_in(agency), ticket_in(division), ticket_in(uptd)}
    assert set(Ticket.objects.visible_to(make_user(agency, Role.HEAD))) == tickets


def test_records_are_hidden_from_a_user_without_membership(division, uptd, ticket_in):
    ticket_in(division)
    ticket_in(uptd)
    assert not Ticket.objects.visible_to(get_user_model().objects.create_user(username="tanpa-unit")).exists()
    assert not Ticket.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("role", [Role.FASKES, Role.STOREKEEPER, Role.ADMIN, Role.AGENCY_HEAD])
def test_a_role_the_workflow_gives_no_access_sees_no_record_even_at_the_top(government, division, make_user, ticket_in, role):
    ticket_in(division)
    assert not Ticket.objects.visible_to(make_user(government, role)).exists()


def test_an_observer_role_sees_the_records_without_a_step(government, division, make_user, ticket_in, monkeypatch):
    monkeypatch.setattr(Ticket.workflow, "observers", (Role.AGENCY_HEAD,))
    monkeypatch.delattr(Ticket.workflow, "access_roles", raising=False)  # a cached property: recomputed
    ticket = ticket_in(division)
    assert list(Ticket.objects.visible_to(make_user(government, Role.AGENCY_HEAD))) == [ticket]


def test_a_record_model_narrows_what_one_role_sees(division, make_user, ticket_in, monkeypatch):
    own, other = ticket_in(division), ticket_in(division)
    head = make_user(division, Role.HEAD)
    monkeypatch.setattr(
        Ticket, "role_filter", classmethod(lambda cls, role, user: Q(pk=own.pk) if role == Role.OFFICER else Q())
    )
    assert list(Ticket.objects.visible_to(make_user(division, Role.OFFICER))) == [own]
    assert set(Ticket.objects.visible_to(head)) == {own, other}


# Open and overdue records


def test_open_records_exclude_every_final_status(division, ticket_in):
    waiting = ticket_in(division, "received")
    deciding = ticket_in(division, "decided")
    ticket_in(division, DONE)
    ticket_in(division, REJECTED)
    assert set(Ticket.objects.open()) == {waiting, deciding}


def test_overdue_records_are_open_records_past_their_due_time(division, ticket_in):
    late = ticket_in(division, "processed", due_at=NOW - timedelta(minutes=1))
    ticket_in(division, "processed", due_at=NOW + timedelta(minutes=1))
    ticket_in(division, "processed", due_at=None)
    ticket_in(division, DONE, due_at=NOW - timedelta(days=3))
    ticket_in(division, REJECTED, due_at=NOW - timedelta(days=3))
    assert list(Ticket.objects.overdue(NOW)) == [late]
    assert late.is_overdue(NOW)


def test_overdue_records_compose_with_visibility(division, uptd, make_user, ticket_in):
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


def test_a_django_group_of_the_user_still_gives_its_permissions(officers_may_view_tickets, division, make_user):
    user = get_user_model().objects.create_user(username="anggota-grup")
    user.groups.add(Group.objects.get(name=Role.OFFICER))
    assert fresh(user).has_perm("testapp.view_ticket")
    assert not fresh(make_user(division, Role.HEAD)).has_perm("testapp.view_ticket")


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


# An app's services for a job (portal.selectors.services_where)


def test_services_where_a_role_is_held_in_the_service_unit_or_above(government, agency, division, make_user):
    dinas_service = Service.objects.create(slug="tiket-dinas", name="Tiket Dinas", unit=agency, app="testapp")
    division_service = Service.objects.create(slug="tiket-bidang", name="Tiket Bidang", unit=division, app="testapp")
    agency_head = make_user(agency, Role.HEAD)
    division_officer = make_user(division, Role.OFFICER)

    assert services_where(agency_head, "testapp", {Role.HEAD}) == [division_service, dinas_service]
    assert services_where(agency_head, "testapp", {Role.OFFICER}) == []
    assert services_where(division_officer, "testapp", {Role.OFFICER}) == [division_service]
    # Below the Dinas's service: only with `below`, where the app says the unit handles its records (every unit
    # below, for the test app).
    assert services_where(division_officer, "testapp", {Role.OFFICER}, below=True) == [division_service, dinas_service]
