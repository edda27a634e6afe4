"""An agency's Admin against every way to the victims' identities: it may not move the P2TP2A's service, change
its app, take over an account that reads or reveals identities, make a new one, give a head's role above the
P2TP2A or an office, move the P2TP2A in the unit tree, or read a hidden reason through the admin's filters.
Each refusal changes nothing."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from cases.models import AccessLog
from portal.models import Membership, Service, Unit
from portal.roles import Office, Role

pytestmark = pytest.mark.django_db


def url(name, model, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


@pytest.fixture
def alokon_service(agency):
    return Service.objects.create(slug="alokon", name="Penyaluran Alokon", unit=agency, app="alokon")


@pytest.fixture
def dinas_heads(agency, make_user):
    """The heads of the Dinas above the P2TP2A: the Sekretaris Dinas, a Kabid without an office, a Plt."""
    return {
        "sekretaris_dinas": make_user(agency, Role.HEAD, username="sekdis", office=Office.AGENCY_SECRETARY),
        "kabid": make_user(agency, Role.HEAD, username="kabid_kb"),
    }


@pytest.fixture
def storekeeper(agency, make_user):
    """An account the Admin keeps: no head's role, no unit that reads identities."""
    return make_user(agency, Role.STOREKEEPER, username="gudang")


def state():
    return (
        list(Service.objects.order_by("pk").values_list("pk", "unit_id", "app", "name")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "unit_id", "role_id", "office", "acting")),
        list(User.objects.order_by("pk").values_list("pk", "username", "password", "is_staff", "is_superuser")),
        list(Unit.objects.order_by("pk").values_list("pk", "parent_id")),
    )


def service_form(service, **changes):
    return {"slug": service.slug, "name": service.name, "unit": service.unit_id, "app": service.app, **changes}


def test_the_admin_moves_neither_the_unit_nor_the_app_of_the_p2tp2a_service(
    portal_admin_client, case_service, agency, alokon_service
):
    before = state()
    for changes in ({"unit": agency.pk}, {"app": "alokon"}, {"unit": agency.pk, "app": "alokon"}):
        portal_admin_client.post(url("change", Service, case_service.pk), service_form(case_service, **changes))
        assert state() == before, changes
    page = portal_admin_client.get(url("change", Service, case_service.pk)).content.decode()
    assert 'name="unit"' not in page and 'name="app"' not in page
    assert portal_admin_client.post(url("delete", Service, case_service.pk), {"post": "yes"}).status_code == 403
    assert state() == before


def test_the_admin_turns_no_service_into_one_with_identities(portal_admin_client, alokon_service, p2tp2a):
    before = state()
    portal_admin_client.post(url("change", Service, alokon_service.pk), service_form(alokon_service, app="cases"))
    assert state() == before
    response = portal_admin_client.post(
        url("add", Service), {"slug": "p2tp2a-kedua", "name": "P2TP2A kedua", "unit": p2tp2a.pk, "app": "cases"}
    )
    assert response.status_code == 200 and "app" in response.context["adminform"].form.errors
    assert state() == before
    # The app of a service without identities stays too, once its records point at it; a new one is made freely.
    portal_admin_client.post(url("change", Service, alokon_service.pk), service_form(alokon_service, app="identitas"))
    assert state() == before
    response = portal_admin_client.post(
        url("add", Service), {"slug": "alokon-2", "name": "Alokon kedua", "unit": p2tp2a.pk, "app": "alokon"}
    )
    assert response.status_code == 302 and Service.objects.filter(slug="alokon-2").exists()


def test_a_superuser_still_moves_the_p2tp2a_service(client, django_user_model, case_service, agency):
    client.force_login(django_user_model.objects.create_superuser("super", password="x"))
    response = client.post(url("change", Service, case_service.pk), service_form(case_service, unit=agency.pk))
    assert response.status_code == 302
    case_service.refresh_from_db()
    assert case_service.unit == agency


def test_the_admin_takes_over_no_account_that_reads_or_reveals(
    portal_admin_client, case_service, chair, officers, agency_head, dinas_heads, storekeeper
):
    before = state()
    guarded = [chair, officers["data"], agency_head, *dinas_heads.values()]
    for user in guarded:
        assert portal_admin_client.get(url("change", User, user.pk)).status_code == 302, user.username  # "no such"
        response = portal_admin_client.post(
            url("password_change", User, user.pk), {"password1": "SandiBaru-2026!", "password2": "SandiBaru-2026!"}
        )
        assert response.status_code in (302, 404), user.username
        assert state() == before, user.username
    listed = set(portal_admin_client.get(url("changelist", User)).context["cl"].queryset)
    assert listed == {storekeeper}


def test_the_admin_gives_no_heads_role_above_the_p2tp2a_to_a_new_or_kept_account(
    portal_admin_client, case_service, agency, p2tp2a, storekeeper
):
    head = Group.objects.get(name=Role.HEAD)
    before = state()
    response = portal_admin_client.post(url("add", User), {
        "username": "kabid_baru", "usable_password": "true", "password1": "SandiBaru-2026!",
        "password2": "SandiBaru-2026!", "unit": agency.pk, "role": head.pk,
    })
    assert response.status_code == 200 and "Peran pimpinan di" in response.content.decode()
    for unit, role in ((agency, head), (agency, Group.objects.get(name=Role.AGENCY_HEAD)), (p2tp2a, head)):
        response = portal_admin_client.post(url("add", Membership), {
            "user": storekeeper.pk, "unit": unit.pk, "role": role.pk, "title": "", "nip": "", "office": "",
        })
        assert response.status_code == 200, (unit.code, role.name)
        assert state() == before, (unit.code, role.name)


def test_the_admin_gives_no_office_that_acts_for_the_p2tp2a(portal_admin_client, case_service, agency, storekeeper):
    before = state()
    membership = Membership.objects.get(user=storekeeper)
    response = portal_admin_client.post(url("change", Membership, membership.pk), {
        "user": storekeeper.pk, "unit": agency.pk, "role": membership.role_id, "title": "", "nip": "",
        "office": Office.CHAIR,
    })
    assert response.status_code == 200  # a Ketua is held as a Kepala Bidang: refused by the membership's rule
    assert state() == before


def test_a_uptd_head_is_still_the_admins_to_name(portal_admin_client, case_service, uptd):
    """A unit neither running nor above a service with identities: the Admin keeps its heads."""
    response = portal_admin_client.post(url("add", User), {
        "username": "kepala_uptd", "usable_password": "true", "password1": "SandiBaru-2026!",
        "password2": "SandiBaru-2026!", "unit": uptd.pk, "role": Group.objects.get(name=Role.HEAD).pk,
    })
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="kepala_uptd", unit=uptd, role__name=Role.HEAD).exists()


def test_the_admin_moves_no_unit_around_the_p2tp2a(portal_admin_client, case_service, agency, p2tp2a, uptd, division):
    before = state()
    for unit, parent in ((p2tp2a, uptd), (uptd, p2tp2a)):
        portal_admin_client.post(url("change", Unit, unit.pk), {
            "code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "parent": parent.pk, "hours-TOTAL_FORMS": "0", "hours-INITIAL_FORMS": "0",
        })
    after = state()
    units = dict(Unit.objects.values_list("pk", "parent_id"))
    assert units[p2tp2a.pk] == agency.pk  # the P2TP2A stays where the superuser put it
    assert units[uptd.pk] == agency.pk  # no unit goes under it, where its accounts would read identities
    assert after[:3] == before[:3]
    parents = portal_admin_client.get(url("add", Unit)).context["adminform"].form.fields["parent"].queryset
    assert p2tp2a not in parents and division in parents


def test_the_admin_reads_no_hidden_reason_through_a_filter(portal_admin_client, case_service, new_case, agency_head):
    case = new_case()
    AccessLog.objects.create(
        case=case, unit_id=case.unit_id, user=agency_head, action=AccessLog.Action.REVEAL, what="Identitas",
        reason="Rahasia: nama korban",
    )
    changelist = url("changelist", AccessLog)
    assert len(portal_admin_client.get(changelist).context["cl"].queryset) >= 1
    for lookup in ("reason__startswith=R", "reason__startswith=X", "reason__contains=nama", "user__password__startswith=m"):
        response = portal_admin_client.get(f"{changelist}?{lookup}")
        # A refused lookup is a bad request (DisallowedModelAdminLookup), never the rows it filters.
        assert response.status_code == 400, lookup
    assert portal_admin_client.get(f"{changelist}?action__exact=buka").status_code == 200


def test_the_admin_reads_no_password_hash_through_a_filter(portal_admin_client, storekeeper):
    changelist = url("changelist", User)
    for lookup in ("password__startswith=md5", "password__startswith=pbkdf2", "password__regex=."):
        response = portal_admin_client.get(f"{changelist}?{lookup}")
        assert response.status_code == 400, lookup
    assert portal_admin_client.get(f"{changelist}?is_active__exact=1").status_code == 200
