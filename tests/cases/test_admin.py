"""The P2TP2A in the admin: an agency's Admin keeps the SIMFONI-PPA lists, its partners and its regency's
kecamatan, and reads its access log; no one reaches a case or a victim there."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from cases.models import (
    AccessLog,
    Partner,
    PerpetratorRelation,
    PlaceType,
    ServiceType,
    ViolenceType,
)
from portal import identity
from portal.models import Desa, Kecamatan, Unit
from portal.roles import Role

pytestmark = pytest.mark.django_db

MASTER_LISTS = [ViolenceType, PlaceType, PerpetratorRelation, ServiceType]


@pytest.fixture
def other_agency(db):
    """An agency of another regency."""
    regency = Unit.objects.create(code="pemkab-lain", name="Pemerintah Kabupaten Lain", kind=Unit.Kind.GOVERNMENT)
    return Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=regency)


def url(name, model, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def listed(client, model):
    response = client.get(url("changelist", model))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


@pytest.mark.parametrize("model", MASTER_LISTS)
def test_an_agency_admin_reads_the_national_master_lists_but_may_not_change_them(portal_admin_client, model):
    entry = model.objects.create(code="uji", name="Entri uji", order=90)
    assert entry in listed(portal_admin_client, model)
    assert portal_admin_client.get(url("add", model)).status_code == 403
    response = portal_admin_client.post(url("change", model, entry.pk), {"code": "uji", "name": "Diganti", "order": 3})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.name, entry.order) == ("Entri uji", 90)


@pytest.mark.parametrize("model", MASTER_LISTS)
def test_a_superuser_keeps_a_master_list_and_deactivates_instead_of_deleting(
    portal_admin_client, model, django_user_model
):
    portal_admin_client.force_login(django_user_model.objects.create_superuser("super", password="x"))
    entry = model.objects.create(code="uji", name="Entri uji", order=90)
    page = portal_admin_client.get(url("changelist", model)).content.decode()
    assert 'name="form-0-is_active"' in page and 'name="form-0-order"' in page  # edited in the list
    assert 'aria-label="Urutan Entri uji"' in page  # each row's inputs name their row: the list labels columns only
    assert portal_admin_client.get(url("add", model)).status_code == 200
    response = portal_admin_client.post(
        url("change", model, entry.pk), {"code": "uji", "name": "Entri uji", "order": 3}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.order, entry.is_active) == (3, False)
    assert portal_admin_client.post(url("delete", model, entry.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=entry.pk).exists()


def test_partners_are_listed_and_offered_within_the_admins_units(portal_admin_client, p2tp2a, other_agency):
    ours = Partner.objects.create(unit=p2tp2a, name="RSUD Contoh", kind=Partner.Kind.HOSPITAL)
    theirs = Partner.objects.create(unit=other_agency, name="RSUD Lain", kind=Partner.Kind.HOSPITAL)
    assert listed(portal_admin_client, Partner) == [ours]
    response = portal_admin_client.get(url("change", Partner, theirs.pk))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    units = portal_admin_client.get(url("add", Partner)).context["adminform"].form.fields["unit"].queryset
    assert p2tp2a in units and other_agency not in units
    response = portal_admin_client.post(url("add", Partner), {
        "unit": p2tp2a.pk, "name": "LBH Contoh", "kind": Partner.Kind.LEGAL_AID, "address": "", "phone": "",
        "is_active": "on",
    })
    assert response.status_code == 302
    assert Partner.objects.filter(unit=p2tp2a, name="LBH Contoh").exists()
    assert portal_admin_client.post(url("delete", Partner, ours.pk), {"post": "yes"}).status_code == 403


def test_the_access_log_is_read_only_scoped_and_shows_neither_the_victim_nor_the_reason(
    portal_admin_client, new_case, chair, other_agency, make_user
):
    case = new_case()
    identity.log_access(case, chair, AccessLog.Action.REVEAL, what="Identitas korban", reason="Ditanyakan Bu Sumirah")
    ours = AccessLog.objects.get(case=case, action=AccessLog.Action.REVEAL)
    AccessLog.objects.create(
        unit=other_agency, user=make_user(other_agency, Role.HEAD), action=AccessLog.Action.EXPORT, what="Rekap"
    )
    logs = listed(portal_admin_client, AccessLog)
    assert ours in logs and {log.unit_id for log in logs} == {case.unit_id}
    for page in (url("changelist", AccessLog), url("change", AccessLog, ours.pk)):
        response = portal_admin_client.get(page)
        assert response.status_code == 200
        content = response.content.decode()
        assert case.number in content and "Identitas korban" in content
        assert "Korban Uji" not in content and "Sumirah" not in content
    assert portal_admin_client.get(url("add", AccessLog)).status_code == 403
    assert portal_admin_client.post(url("change", AccessLog, ours.pk), {"what": "diubah"}).status_code == 403
    assert portal_admin_client.post(url("delete", AccessLog, ours.pk), {"post": "yes"}).status_code == 403
    ours.refresh_from_db()
    assert ours.what == "Identitas korban"


def test_no_case_or_any_part_of_it_is_in_the_admin(portal_admin_client):
    registered = {model for model in admin.site._registry if model._meta.app_label == "cases"}
    assert registered == {*MASTER_LISTS, Partner, AccessLog}
    for name in ("case", "historicalcase", "victim", "reporter", "perpetrator", "casenotes", "teammember", "consent",
                 "referral", "legalmilestone"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:cases_{name}_changelist")
    index = portal_admin_client.get(reverse("admin:index")).content.decode()
    assert url("changelist", Partner) in index and url("changelist", AccessLog) in index
    assert "/admin/cases/case/" not in index and "/admin/cases/victim/" not in index


def test_the_admin_keeps_the_kecamatan_of_its_regency_with_their_desa(portal_admin_client, government, other_agency):
    ours = Kecamatan.objects.create(regency=government, name="Kecamatan Kita")
    theirs = Kecamatan.objects.create(regency=other_agency.parent, name="Kecamatan Lain")
    assert listed(portal_admin_client, Kecamatan) == [ours]
    response = portal_admin_client.get(url("change", Kecamatan, theirs.pk))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    regencies = portal_admin_client.get(url("add", Kecamatan)).context["adminform"].form.fields["regency"].queryset
    assert list(regencies) == [government]
    response = portal_admin_client.post(url("add", Kecamatan), {
        "regency": government.pk, "name": "Kecamatan Baru", "code": "",
        "desa_set-TOTAL_FORMS": "1", "desa_set-INITIAL_FORMS": "0", "desa_set-0-name": "Desa Baru",
    })
    assert response.status_code == 302
    assert Desa.objects.filter(kecamatan__name="Kecamatan Baru", kecamatan__regency=government, name="Desa Baru").exists()
    response = portal_admin_client.post(url("add", Kecamatan), {
        "regency": other_agency.parent.pk, "name": "Dirampas", "code": "",
        "desa_set-TOTAL_FORMS": "0", "desa_set-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200  # the form again: that regency is not on offer
    assert not Kecamatan.objects.filter(name="Dirampas").exists()
