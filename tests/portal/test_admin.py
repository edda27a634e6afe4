import pytest
from django.contrib import admin
from django.urls import reverse

from portal.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_admin(agency, make_user):
    user = make_user(agency, Role.ADMIN)
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize(
    "name",
    ["portal_unit", "portal_membership", "portal_dayoff", "portal_service", "auth_user", "portal_transitionlog"],
)
def test_the_admin_role_can_open_the_master_data_lists(client, portal_admin, name):
    client.force_login(portal_admin)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


@pytest.mark.parametrize("name", ["portal_unit", "portal_membership", "auth_user", "portal_dayoff"])
def test_the_admin_role_can_open_the_add_forms(client, portal_admin, name):
    client.force_login(portal_admin)
    assert client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_the_admin_role_can_give_a_user_a_role_in_a_unit(client, portal_admin, division, django_user_model):
    from django.contrib.auth.models import Group

    from portal.models import Membership

    client.force_login(portal_admin)
    user = django_user_model.objects.create_user("baru", password="sandi-panjang-sekali")
    response = client.post(reverse("admin:portal_membership_add"), {
        "user": user.pk, "unit": division.pk, "role": Group.objects.get(name=Role.OFFICER).pk, "title": "", "nip": "",
    })
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, unit=division, role__name=Role.OFFICER).exists()


def test_an_officer_cannot_enter_the_admin(client, division, make_user):
    client.force_login(make_user(division, Role.OFFICER))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_nobody_can_edit_the_audit_trail(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:portal_transitionlog_add")).status_code == 403


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
