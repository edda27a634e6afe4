"""The admin site: each agency's Admin keeps its own master data, and cannot reach further."""

from datetime import date
from itertools import count

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import DayOff, Membership, TransitionLog, Unit
from portal.roles import Role
from portal.services import workflow_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_agency(government):
    return Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)


def changelist(client, model):
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


@pytest.mark.parametrize("name", ["portal_unit", "portal_membership", "portal_dayoff", "portal_service", "auth_user"])
def test_the_admin_role_can_open_the_master_data_lists_and_add_forms(portal_admin_client, name):
    assert portal_admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert portal_admin_client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_an_officer_cannot_enter_the_admin(client, division, make_user):
    client.force_login(make_user(division, Role.OFFICER))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# No escalation.


def test_the_admin_role_never_sees_the_escalating_fields(portal_admin_client, division, make_user):
    officer = make_user(division, Role.OFFICER)
    page = portal_admin_client.get(reverse("admin:auth_user_change", args=[officer.pk])).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page


def test_posting_is_superuser_does_not_make_a_superuser(portal_admin_client, division, make_user):
    officer = make_user(division, Role.OFFICER)
    response = portal_admin_client.post(reverse("admin:auth_user_change", args=[officer.pk]), {
        "username": officer.username, "first_name": "Baru", "last_name": "", "email": "", "is_active": "on",
        "is_superuser": "on", "is_staff": "on", "groups": [Group.objects.get(name=Role.ADMIN).pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    officer.refresh_from_db()
    assert officer.first_name == "Baru"
    assert not officer.is_superuser and not officer.is_staff and not officer.groups.exists()


def test_the_admin_role_cannot_open_its_own_or_another_staff_account(portal_admin_client, portal_admin, admin_user):
    for user in (portal_admin, admin_user):
        response = portal_admin_client.get(reverse("admin:auth_user_change", args=[user.pk]))
        assert response.status_code == 302  # "does not exist", back to the admin index
        assert response["Location"] == reverse("admin:index")
    assert portal_admin not in changelist(portal_admin_client, "auth_user")


def test_the_admin_role_cannot_grant_the_admin_role(portal_admin_client, division, make_user):
    officer = make_user(division, Role.OFFICER)
    response = portal_admin_client.post(reverse("admin:portal_membership_add"), {
        "user": officer.pk, "unit": division.pk, "role": Group.objects.get(name=Role.ADMIN).pk, "title": "", "nip": "",
    })
    assert response.status_code == 200  # the form again, with the error
    assert not Membership.objects.filter(user=officer, role__name=Role.ADMIN).exists()


def test_the_admin_role_gives_a_user_a_role_in_its_own_units(portal_admin_client, division):
    user = User.objects.create_user("baru", password="sandi-panjang-sekali")
    Membership.objects.create(user=user, unit=division, role=Group.objects.get(name=Role.OFFICER))
    response = portal_admin_client.post(reverse("admin:portal_membership_add"), {
        "user": user.pk, "unit": division.pk, "role": Group.objects.get(name=Role.HEAD).pk, "title": "", "nip": "",
    })
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, unit=division, role__name=Role.HEAD).exists()


def test_a_new_account_gets_its_first_role_in_one_of_the_admins_units(portal_admin_client, division, other_agency):
    data = {
        "username": "petugas.baru", "usable_password": "true", "password1": "sandi-panjang-sekali-9",
        "password2": "sandi-panjang-sekali-9", "role": Group.objects.get(name=Role.OFFICER).pk,
    }
    portal_admin_client.post(reverse("admin:auth_user_add"), {**data, "unit": other_agency.pk})
    assert not User.objects.filter(username="petugas.baru").exists()
    response = portal_admin_client.post(reverse("admin:auth_user_add"), {**data, "unit": division.pk})
    assert response.status_code == 302
    user = User.objects.get(username="petugas.baru")
    assert list(user.memberships.values_list("unit", "role__name")) == [(division.pk, Role.OFFICER)]
    assert not user.is_staff and not user.is_superuser


# Scoped by unit.


def test_another_agencys_rows_are_neither_listed_nor_opened(
    portal_admin_client, agency, division, other_agency, make_user
):
    theirs = make_user(other_agency, Role.OFFICER)
    ours = make_user(division, Role.OFFICER)
    assert set(changelist(portal_admin_client, "portal_unit")) == {agency, division}
    assert [m.user for m in changelist(portal_admin_client, "portal_membership")] == [ours]
    listed = changelist(portal_admin_client, "auth_user")
    assert ours in listed and theirs not in listed
    for name, pk in [("portal_unit", other_agency.pk), ("auth_user", theirs.pk),
                     ("portal_membership", theirs.memberships.get().pk)]:
        response = portal_admin_client.get(reverse(f"admin:{name}_change", args=[pk]))
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
        if name != "auth_user":  # users keep Django's own history page, which reads the scoped queryset
            assert portal_admin_client.get(reverse(f"admin:{name}_history", args=[pk])).status_code == 404
    version = Unit.history.filter(id=other_agency.pk).first().history_id
    revert = reverse("admin:portal_unit_simple_history", args=[other_agency.pk, version])
    assert portal_admin_client.get(revert).status_code == 404
    assert portal_admin_client.post(revert, {"code": "dirampas", "name": "x", "kind": "dinas"}).status_code == 404
    other_agency.refresh_from_db()
    assert other_agency.code == "dinas-lain"


def test_a_user_who_also_works_for_another_agency_is_left_to_a_superuser(
    portal_admin_client, division, other_agency, make_user
):
    shared = make_user(division, Role.OFFICER)
    Membership.objects.create(user=shared, unit=other_agency, role=Group.objects.get(name=Role.OFFICER))
    assert shared not in changelist(portal_admin_client, "auth_user")


def test_the_admin_role_cannot_move_its_own_unit(portal_admin_client, agency, other_agency):
    page = portal_admin_client.get(reverse("admin:portal_unit_change", args=[agency.pk])).content.decode()
    assert 'name="parent"' not in page


def test_a_unit_cannot_become_its_own_ancestor(client, admin_user, agency, division):
    client.force_login(admin_user)
    response = client.post(reverse("admin:portal_unit_change", args=[agency.pk]), {
        "code": agency.code, "name": agency.name, "short_name": "", "kind": agency.kind, "parent": division.pk,
        "hours-TOTAL_FORMS": "0", "hours-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "tidak boleh unit ini sendiri atau unit di bawahnya" in response.content.decode()
    agency.refresh_from_db()
    assert agency.parent_id != division.pk


# The audit trail.


def test_nobody_can_add_change_or_delete_the_step_history(client, admin_user, ticket_service, division, officer, new_ticket):
    ticket = workflow_start(new_ticket(division), actor=officer)
    log = TransitionLog.objects.get(object_id=ticket.pk)
    client.force_login(admin_user)
    assert client.get(reverse("admin:portal_transitionlog_add")).status_code == 403
    assert client.post(reverse("admin:portal_transitionlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    assert TransitionLog.objects.filter(pk=log.pk).exists()


def test_the_admin_role_has_no_business_with_the_step_history(portal_admin_client):
    assert portal_admin_client.get(reverse("admin:portal_transitionlog_changelist")).status_code == 403
    assert portal_admin_client.get(reverse("admin:portal_attachment_changelist")).status_code == 403


def test_staff_allowed_the_step_history_see_only_the_records_they_may_see(
    client, ticket_service, division, uptd, officer, new_ticket, make_user
):
    ours = workflow_start(new_ticket(division), actor=officer, note="catatan")
    workflow_start(new_ticket(uptd), actor=make_user(uptd, Role.OFFICER), note="catatan unit lain")
    head = make_user(division, Role.HEAD)
    head.is_staff = True
    head.save()
    Group.objects.get(name=Role.HEAD).permissions.add(Permission.objects.get(codename="view_transitionlog"))
    client.force_login(head)
    assert [log.object_id for log in changelist(client, "portal_transitionlog")] == [ours.pk]


def test_every_admin_list_and_add_form_opens_for_a_superuser(client, admin_user):
    client.force_login(admin_user)
    opened = 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200, info
        if model_admin.has_add_permission(type("R", (), {"user": admin_user})()):
            assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 200, info
        opened += 1
    assert opened >= 10


def test_master_data_lists_offer_no_bulk_delete(portal_admin_client, division, make_user):
    make_user(division, Role.OFFICER)
    for name in ("portal_unit", "portal_membership", "auth_user"):
        page = portal_admin_client.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert 'name="_selected_action"' not in page and 'value="delete_selected"' not in page, name



@pytest.mark.parametrize(
    "name", ["admin:portal_unit_changelist", "admin:auth_user_changelist", "admin:portal_membership_changelist"]
)
def test_a_master_data_list_costs_the_same_queries_however_many_units_and_users(
    portal_admin_client, agency, make_user, name
):
    units = count()

    def grow(n):
        for _ in range(n):
            number = next(units)
            unit = Unit.objects.create(code=f"uptd-{number}", name=f"UPTD {number}", kind=Unit.Kind.TECHNICAL_UNIT, parent=agency)
            make_user(unit, Role.OFFICER)

    grow(3)
    portal_admin_client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        portal_admin_client.get(reverse(name))
    grow(60)
    with CaptureQueriesContext(connection) as many:
        response = portal_admin_client.get(reverse(name))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(response.context["cl"].result_list) == 50  # one page of 50 rows, not 100


def test_the_history_page_of_a_model_without_simple_history_opens(portal_admin_client, agency):
    day_off = DayOff.objects.create(date=date(2026, 12, 24), name="Cuti bersama daerah", unit=agency)
    response = portal_admin_client.get(reverse("admin:portal_dayoff_history", args=[day_off.pk]))
    assert response.status_code == 200


def test_a_superuser_picks_groups_and_permissions_from_plain_labelled_lists(
    client, django_user_model, division, make_user
):
    # Django's two-box filter names a non-interactive icon (axe aria-prohibited-attr).
    client.force_login(django_user_model.objects.create_superuser("super", password="sandi-uji-panjang"))
    officer = make_user(division, Role.OFFICER)
    for url in (
        reverse("admin:auth_user_change", args=[officer.pk]),
        reverse("admin:auth_group_change", args=[Group.objects.get(name=Role.OFFICER).pk]),
    ):
        page = client.get(url).content.decode()
        assert 'class="selectfilter"' not in page and "SelectFilter2.js" not in page, url
        assert '<select name="' in page and 'multiple' in page
