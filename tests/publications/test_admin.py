"""Each agency's Admin keeps its own published documents in the admin, with history, and no one else's."""

import pytest
from django.urls import reverse

from portal.models import Unit
from portal.roles import Role
from publications.models import Decree, DecreeDecision, SOPDocument, StandardComponent

PPKS = "identitas-ppks-purwakarta"


@pytest.fixture
def purwakarta_admin(loaded, make_user):
    user = make_user(Unit.objects.get(code="dinsos-p3a-purwakarta"), Role.ADMIN)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def ciamis_admin(loaded, make_user):
    user = make_user(Unit.objects.get(code="dppkbpppa-ciamis"), Role.ADMIN)
    user.is_staff = True
    user.save()
    return user


def change_url(obj):
    return reverse(f"admin:publications_{obj._meta.model_name}_change", args=[obj.pk])


def sop_form(sop, **changes):
    fields = [
        "service", "sheet_title", "title", "name", "number", "made_on", "effective_on", "approved_on",
        "approver_title", "approver_name", "approver_nip", "legal_bases", "qualifications", "related_sops",
        "equipment", "warnings", "records",
    ]
    data = {name: getattr(sop, "service_id" if name == "service" else name) for name in fields}
    return {**data, **changes}


def test_the_agency_admin_fills_its_own_sop_header_and_the_change_is_kept_in_history(client, purwakarta_admin):
    sop = SOPDocument.objects.get(service=PPKS)
    client.force_login(purwakarta_admin)
    response = client.post(change_url(sop), sop_form(
        sop, number="400.9/123-Dinsos", made_on="2 Januari 2025", effective_on="2 Januari 2025",
        approved_on="2 Januari 2025", approver_name="Nama Kepala Bidang",
    ))
    assert response.status_code == 302, response.content.decode()[:3000]
    sop.refresh_from_db()
    assert sop.number == "400.9/123-Dinsos"
    latest = sop.history.latest()
    assert (latest.number, latest.history_user) == ("400.9/123-Dinsos", purwakarta_admin)


def test_the_agency_admin_lists_only_its_own_documents(client, purwakarta_admin):
    client.force_login(purwakarta_admin)
    for model in (StandardComponent, SOPDocument, Decree):
        response = client.get(reverse(f"admin:publications_{model._meta.model_name}_changelist"))
        assert response.status_code == 200
        shown = set(response.context["cl"].queryset)
        # Every unit of the Purwakarta tree has a code ending in "purwakarta".
        unit_code = "unit__code__endswith" if model is Decree else "service__unit__code__endswith"
        assert shown == set(model.objects.filter(**{unit_code: "purwakarta"})), model


def test_another_agencys_documents_cannot_be_opened_or_changed(client, purwakarta_admin):
    sop = SOPDocument.objects.filter(service__unit__code="dppkbpppa-ciamis").first()
    decree = Decree.objects.get()
    client.force_login(purwakarta_admin)
    for obj in (sop, decree, StandardComponent.objects.filter(service__unit__code="dppkbpppa-ciamis").first()):
        assert client.get(change_url(obj)).status_code == 302  # the admin's "does not exist" redirect
        history_url = reverse(f"admin:publications_{obj._meta.model_name}_history", args=[obj.pk])
        assert client.get(history_url).status_code == 404
    number = sop.number
    client.post(change_url(sop), sop_form(sop, number="diubah"))
    sop.refresh_from_db()
    assert sop.number == number


def test_the_choices_offer_only_the_agencys_own_services_and_sops(client, ciamis_admin):
    client.force_login(ciamis_admin)
    sop = SOPDocument.objects.filter(service__unit__code="dppkbpppa-ciamis").first()
    form = client.get(change_url(sop)).context["adminform"].form
    assert all(s.unit.code.endswith("ciamis") for s in form.fields["service"].queryset)
    assert SOPDocument.objects.filter(service__unit__code__endswith="purwakarta").exists()
    decree = Decree.objects.get()
    inline_form = client.get(change_url(decree)).context["inline_admin_formsets"][0].formset.forms[0]
    choices = inline_form.fields["sops"].queryset
    assert choices.exists() and all(s.service.unit.code.endswith("ciamis") for s in choices)
    assert DecreeDecision.objects.filter(decree=decree).exists()


def test_an_officer_cannot_open_the_documents_admin(client, loaded, make_user):
    officer = make_user(Unit.objects.get(code="dinsos-p3a-purwakarta"), Role.OFFICER)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    sop = SOPDocument.objects.get(service=PPKS)
    assert client.get(change_url(sop)).status_code == 403


def test_the_agency_admin_confirms_an_addition_of_its_own_documents_only(client, purwakarta_admin):
    from publications.models import DraftingNote

    own = DraftingNote.objects.get(code="ppks-sop-output")
    other = DraftingNote.objects.get(code="keputusan-penanda-tangan")
    client.force_login(purwakarta_admin)
    listed = set(client.get(reverse("admin:publications_draftingnote_changelist")).context["cl"].queryset)
    assert own in listed and other not in listed
    form = {
        "code": own.code, "document": own.document, "service": own.service_id, "decree": "", "kind": own.kind,
        "as_printed": own.as_printed, "as_shown": own.as_shown, "explanation": own.explanation, "order": own.order,
        "confirmed": "on",
    }
    assert client.post(change_url(own), form).status_code == 302
    own.refresh_from_db()
    assert (own.confirmed_by, own.listed) == (purwakarta_admin, False)
    assert client.post(change_url(other), {**form, "code": other.code}).status_code == 302  # "does not exist"
    other.refresh_from_db()
    assert other.confirmed_at is None


def test_the_standards_rows_outside_any_section_are_named_in_the_section_filter(client, purwakarta_admin):
    assert StandardComponent.objects.filter(service=PPKS, section="").exists()
    client.force_login(purwakarta_admin)
    page = client.get(reverse("admin:publications_standardcomponent_changelist")).content.decode()
    assert 'href="?section=">(tanpa bagian)</a>' in page
    assert 'href="?section="></a>' not in page  # an empty link names nothing to a screen reader
