"""The PPKS identity facilitation in the admin: the national list of PPKS types, kept by a superuser and read by
an agency's Admin, and the identity access log, read-only and held to the Admin's units; no facilitation or
any part of it is reached there."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from identitas.admin import AccessLogAdmin
from identitas.models import AccessLog, PpksCategory
from portal import identity
from portal.models import Unit
from portal.roles import Role

pytestmark = pytest.mark.django_db



@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("super", password="x")


@pytest.fixture
def other_agency(db):
    regency = Unit.objects.create(code="pemkab-lain", name="Pemerintah Kabupaten Lain", kind=Unit.Kind.GOVERNMENT)
    return Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=regency)


def url(name, model, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def test_a_superuser_keeps_the_ppks_types_and_deactivates_instead_of_deleting(client, superuser):
    client.force_login(superuser)
    entry = PpksCategory.objects.get(code="pengemis")
    page = client.get(url("changelist", PpksCategory)).content.decode()
    assert "Lanjut usia telantar" in page and 'name="form-0-is_active"' in page and 'name="form-0-order"' in page
    response = client.post(url("change", PpksCategory, entry.pk), {"code": "pengemis", "name": "Pengemis", "order": 3})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.order, entry.is_active) == (3, False)
    assert client.post(url("delete", PpksCategory, entry.pk), {"post": "yes"}).status_code == 403
    assert PpksCategory.objects.filter(pk=entry.pk).exists()


def test_an_portal_admin_may_not_change_the_ppks_types(client, portal_admin):
    client.force_login(portal_admin)
    entry = PpksCategory.objects.get(code="pengemis")
    assert client.get(url("add", PpksCategory)).status_code == 403
    assert client.post(url("change", PpksCategory, entry.pk), {"code": "pengemis", "name": "Diganti", "order": 1}).status_code == 403
    entry.refresh_from_db()
    assert entry.name == "Pengemis"


def test_an_portal_admin_reads_the_ppks_types(client, portal_admin):
    client.force_login(portal_admin)
    assert client.get(url("changelist", PpksCategory)).status_code == 200


def test_the_access_log_is_held_to_the_admins_units_and_shows_no_person(new_facilitation, kabid, portal_admin, other_agency, make_user):
    record = new_facilitation()
    identity.log_access(record, kabid, AccessLog.Action.VIEW, what="Halaman fasilitasi", reason="Ditanyakan Bu Sumirah")
    AccessLog.objects.create(unit=other_agency, user=make_user(other_agency, Role.HEAD), action=AccessLog.Action.EXPORT, what="Evaluasi")
    request = RequestFactory().get("/admin/")
    request.user = portal_admin
    model_admin = AccessLogAdmin(AccessLog, admin.site)
    logs = list(model_admin.get_queryset(request))
    assert logs and {log.unit_id for log in logs} == {record.unit_id}
    assert "reason" not in model_admin.fields
    assert model_admin.record_number(logs[0]) == record.number


def test_the_access_log_is_read_only_and_names_the_facilitation_by_its_number(client, new_facilitation, kabid, superuser):
    record = new_facilitation()
    identity.log_access(record, kabid, AccessLog.Action.VIEW, what="Halaman fasilitasi", reason="Ditanyakan Bu Sumirah")
    entry = AccessLog.objects.filter(facilitation=record).first()
    client.force_login(superuser)
    for page in (url("changelist", AccessLog), url("change", AccessLog, entry.pk)):
        response = client.get(page)
        content = response.content.decode()
        assert response.status_code == 200 and record.number in content
        assert "Mbah Karta" not in content and "Sumirah" not in content
    assert client.get(url("add", AccessLog)).status_code == 403
    assert client.post(url("change", AccessLog, entry.pk), {"what": "diubah"}).status_code == 403
    assert client.post(url("delete", AccessLog, entry.pk), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.what == "Halaman fasilitasi"


def test_an_portal_admin_reads_its_access_log_in_the_admin(client, new_facilitation, portal_admin):
    new_facilitation()
    client.force_login(portal_admin)
    assert client.get(url("changelist", AccessLog)).status_code == 200


def test_no_facilitation_or_any_part_of_it_is_in_the_admin(client, superuser):
    registered = {model for model in admin.site._registry if model._meta.app_label == "identitas"}
    assert registered == {PpksCategory, AccessLog}
    for name in ("facilitation", "historicalfacilitation", "person", "reporter", "notes", "issueddocument",
                 "disdukcapilwait", "followup"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:identitas_{name}_changelist")
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert url("changelist", PpksCategory) in index and url("changelist", AccessLog) in index
