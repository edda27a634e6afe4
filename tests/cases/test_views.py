"""The P2TP2A pages as an officer uses them: recording a report, the register, the case page's forms.

Who may see identities is tested in test_confidentiality.py; the rules behind each form in test_services.py.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, Case, TeamMember, Victim
from portal import pagination
from portal.models import Kecamatan

def report_form(client, service, **overrides):
    """A valid POST of the intake form, as the browser sends it, with the page's own submission token."""
    page = client.get(reverse("cases:create", args=[service.slug])).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]+)"', page).group(1)
    data = {
        "submission": token,
        "korban-name": "Nur Aini",
        "korban-nik": "3207014107100003",
        "korban-sex": "P",
        "korban-birth_date": "2010-07-01",
        "korban-disability": "tidak",
        "pelapor-name": "Ibu Aminah",
        "pelapor-relation": "Tetangga",
        "kasus-channel": "masyarakat",
        "kasus-risk": "sedang",
        "kasus-violence_types": [],
        "kasus-chronology": "Korban dipukul di rumah.",
        "pelaku-TOTAL_FORMS": "1",
        "pelaku-INITIAL_FORMS": "0",
        "pelaku-MIN_NUM_FORMS": "0",
        "pelaku-MAX_NUM_FORMS": "10",
    }
    data.update(overrides)
    return data


@pytest.fixture
def recorder(client, officers):
    client.force_login(officers["data"])
    return client


def test_an_officer_records_a_report_and_joins_its_team(recorder, case_service, officers, violence_type):
    data = report_form(recorder, case_service, **{"kasus-violence_types": [violence_type.pk]})
    response = recorder.post(reverse("cases:create", args=[case_service.slug]), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.status == "report" and case.number == f"0001/{timezone.localdate().year}"
    assert case.victim_sex == "P" and case.victim_age_band in ("13-17", "6-12")
    assert Victim.objects.get(case=case).name == "Nur Aini"
    assert TeamMember.objects.filter(case=case, user=officers["data"], function="data").exists()


def test_a_second_click_on_save_records_one_case(recorder, case_service, violence_type):
    data = report_form(recorder, case_service, **{"kasus-violence_types": [violence_type.pk]})
    url = reverse("cases:create", args=[case_service.slug])
    first = recorder.post(url, data)
    second = recorder.post(url, data, follow=True)
    assert Case.objects.count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "tidak dicatat dua kali" in second.content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("korban-nik", "32070141071000", "NIK harus 16 angka."),
        ("korban-nik", "9907014107100003", "bukan kode wilayah"),
        ("korban-nik", "3207010107100003", "Jenis kelamin dalam NIK"),
        ("korban-birth_date", "2011-07-01", "tidak sama dengan isian tanggal lahir"),
        ("kasus-incident_date", "2999-01-01", "tidak boleh di masa depan"),
        ("kasus-violence_types", [], "Pilih sedikitnya satu jenis kekerasan."),
        ("pelapor-name", "", "Isi nama pelapor"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(recorder, case_service, violence_type, field, value, message):
    data = report_form(recorder, case_service, **{"kasus-violence_types": [violence_type.pk]})
    data[field] = value
    response = recorder.post(reverse("cases:create", args=[case_service.slug]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert Case.objects.count() == 0
    # Nothing typed is lost: the chronology and the victim's name come back filled in.
    assert "Korban dipukul di rumah." in page and 'value="Nur Aini"' in page


def test_an_officer_of_another_unit_may_not_record(client, outside_officer, case_service):
    client.force_login(outside_officer)
    assert client.get(reverse("cases:create", args=[case_service.slug])).status_code == 403


def test_the_register_lists_cases_with_identity_only_on_the_users_own_rows(client, new_case, officers):
    theirs = new_case(victim=Victim(name="Rina Anggraini", sex="P", age=30))
    own = new_case(actor=officers["legal"], victim=Victim(name="Dewi Lestari", sex="P", age=20, nik="3207014107100003"))
    client.force_login(officers["legal"])
    page = client.get(reverse("cases:register")).content.decode()
    assert theirs.number in page and own.number in page
    # Masked even on the user's own rows, as every list masks names (the page of the case shows them whole).
    assert "D*** L***" in page and "3207********0003" in page and "3207014107100003" not in page
    assert "Dewi Lestari" not in page and "Rina Anggraini" not in page and "R*** A***" not in page


def test_the_register_costs_the_same_queries_for_5_and_60_cases(client, new_case, chair):
    client.force_login(chair)
    for _ in range(5):
        new_case()
    client.get(reverse("cases:register"))  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cases:register")).status_code == 200
    for _ in range(55):
        new_case()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("cases:register")).content.decode()
    assert len(many) == len(few)
    assert "60 kasus" in page and "Halaman 1 dari 3" in page


def test_the_register_filters_and_finds_by_number(client, new_case, chair, case_at):
    client.force_login(chair)
    waiting = new_case()
    moved = case_at("intake")
    page = client.get(reverse("cases:register"), {"status": "intake"}).content.decode()
    assert moved.number in page and waiting.number not in page
    page = client.get(reverse("cases:register"), {"q": str(waiting.sequence), "status": "semua"}).content.decode()
    assert waiting.number in page and moved.number not in page
    # A value that is not one of the choices is ignored, not an error.
    assert client.get(reverse("cases:register"), {"status": "<script>", "kecamatan": "x", "page": "999"}).status_code == 200


def test_overdue_cases_stand_out_in_the_register(client, new_case, chair):
    client.force_login(chair)
    late = new_case()
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    page = client.get(reverse("cases:register"), {"terlambat": "1"}).content.decode()
    assert late.number in page and "status-overdue" in page and "lewat 2 hari" in page


def test_a_step_completed_before_its_requirements_says_what_is_missing(client, case_at, officers):
    case = case_at("intake")
    client.force_login(officers["data"])
    response = client.post(case.get_absolute_url(), {"langkah-transition": "intake", "langkah-expected_status": "intake"})
    assert response.status_code == 400
    assert "Lampirkan surat pengantar RT/RW dan fotokopi KTP pelapor" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "intake"


def test_a_form_posted_from_a_stale_page_is_refused_and_keeps_the_text(client, case_at, officers, assign_team):
    case = case_at("outreach")
    client.force_login(officers["social_worker"])
    response = client.post(
        reverse("cases:notes_edit", args=[case.pk, "outreach_result"]),
        {"expected_status": "intake", "text": "Korban ditemui di rumah neneknya."},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "baru saja diubah oleh pengguna lain" in page
    assert "Korban ditemui di rumah neneknya." in page
    assert case.notes.__class__.objects.get(case=case).outreach_result == ""


def test_an_unknown_notes_field_is_404(client, case_at, officers):
    case = case_at("intake")
    client.force_login(officers["data"])
    url = reverse("cases:notes_edit", args=[case.pk, "assessed_by"])
    assert client.post(url, {"expected_status": "intake", "text": "x"}).status_code == 404


def test_the_head_reads_the_access_log_and_an_officer_may_not(client, new_case, chair, officers):
    case = new_case()
    client.force_login(officers["data"])
    client.get(case.get_absolute_url())
    assert client.get(reverse("access_log", args=["cases", case.pk])).status_code == 403
    client.force_login(chair)
    page = client.get(reverse("access_log", args=["cases", case.pk])).content.decode()
    assert AccessLog.objects.filter(case=case, user=officers["data"], action=AccessLog.Action.VIEW).exists()
    assert officers["data"].username in page or officers["data"].get_full_name() in page


def test_the_kecamatan_filter_offers_the_regency_of_the_users_unit(client, new_case, chair, government):
    Kecamatan.objects.create(regency=government, name="Cikoneng")
    client.force_login(chair)
    assert "Cikoneng" in client.get(reverse("cases:register")).content.decode()


def test_the_team_edits_the_identity_adds_a_perpetrator_and_the_register_follows(client, new_case, officers, perpetrator_relation):
    case = new_case()
    client.force_login(officers["data"])
    page = client.get(reverse("cases:identity_edit", args=[case.pk])).content.decode()
    assert 'value="Korban Uji"' in page
    data = {
        "expected_status": case.status,
        "korban-name": "Korban Uji", "korban-sex": "L", "korban-age": "45", "korban-disability": "tidak",
        "pelapor-is_anonymous": "on",
        "kasus-channel": "masyarakat", "kasus-risk": "tinggi", "kasus-violence_types": [v.pk for v in case.violence_types.all()],
        "pelaku-TOTAL_FORMS": "3", "pelaku-INITIAL_FORMS": "1", "pelaku-MIN_NUM_FORMS": "0", "pelaku-MAX_NUM_FORMS": "10",
        "pelaku-0-id": case.perpetrators.get().pk, "pelaku-0-relation": perpetrator_relation.pk, "pelaku-0-sex": "L", "pelaku-0-age": "41",
        "pelaku-1-relation": perpetrator_relation.pk, "pelaku-1-sex": "P", "pelaku-1-age": "38",
    }
    response = client.post(reverse("cases:identity_edit", args=[case.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.victim_sex, case.victim_age_band, case.risk) == ("L", "45-59", "tinggi")
    assert sorted(case.perpetrators.values_list("age", flat=True)) == [38, 41]
    assert case.reporter.is_anonymous
    assert AccessLog.objects.filter(case=case, action=AccessLog.Action.EDIT, user=officers["data"]).count() == 2


def test_an_identity_edit_from_a_stale_page_changes_nothing(client, new_case, officers, fire):
    case = new_case()
    client.force_login(officers["data"])
    fire(case, "report", officers["data"])
    data = {
        "expected_status": "report", "korban-name": "Nama Baru", "korban-sex": "P", "korban-age": "30", "korban-disability": "tidak",
        "pelapor-is_anonymous": "on", "kasus-channel": "masyarakat", "kasus-risk": "sedang",
        "kasus-violence_types": [v.pk for v in case.violence_types.all()],
        "pelaku-TOTAL_FORMS": "0", "pelaku-INITIAL_FORMS": "0", "pelaku-MIN_NUM_FORMS": "0", "pelaku-MAX_NUM_FORMS": "10",
    }
    response = client.post(reverse("cases:identity_edit", args=[case.pk]), data)
    assert response.status_code == 400
    assert "baru saja diubah" in response.content.decode() and 'value="Nama Baru"' in response.content.decode()
    assert Victim.objects.get(case=case).name == "Korban Uji"


def test_a_referral_posted_twice_is_saved_once(client, case_at, officers, service_type):
    case = case_at("medical", needs_medical=True)
    client.force_login(officers["companion"])
    page = client.get(case.get_absolute_url()).content.decode()
    token = re.search(r'action="[^"]*/rujukan/".*?name="submission" value="([0-9a-f-]+)"', page, re.S).group(1)
    for consent in ("layanan",):
        client.post(reverse("cases:consent", args=[case.pk]), {
            "expected_status": "medical", "scope": consent, "granted": "ya",
            "submission": "00000000-0000-4000-8000-000000000001",
        })
    data = {
        "expected_status": "medical", "submission": token, "step": "medical", "service_type": service_type.pk,
        "referred_on": timezone.localdate().isoformat(),
    }
    first = client.post(reverse("cases:referral_create", args=[case.pk]), data)
    second = client.post(reverse("cases:referral_create", args=[case.pk]), data)
    assert first.status_code == 302
    assert second.status_code == 400 and "tidak disimpan dua kali" in second.content.decode()
    assert case.referrals.count() == 1


def test_a_search_by_name_is_posted_and_finds_only_cases_whose_identity_the_user_reads(client, new_case, officers):
    own = new_case(actor=officers["legal"], victim=Victim(name="Dewi Lestari", sex="P", age=20))
    theirs = new_case(victim=Victim(name="Dewi Lestari", sex="P", age=25))
    client.force_login(officers["legal"])
    page = client.post(reverse("cases:register"), {"q": "dewi lest"}).content.decode()
    assert own.number in page and theirs.number not in page
    # By GET, the search reads case numbers only: a name never needs to be in a URL.
    page = client.get(reverse("cases:register"), {"q": "Dewi Lestari"}).content.decode()
    assert own.number not in page


@pytest.mark.parametrize("params", [{"kecamatan": "²"}, {"jenis": "٣"}, {"q": "1²/2026"}, {"q": "99999999999999999999"}])
def test_odd_digits_in_the_register_filters_are_ignored(client, chair, new_case, params):
    new_case()
    client.force_login(chair)
    assert client.get(reverse("cases:register"), params).status_code == 200


def test_high_risk_cases_reach_the_p2tp2a_heads_start_page_at_once(client, new_case, chair, officers, agency_head):
    new_case(risk=Case.Risk.HIGH)
    new_case(risk=Case.Risk.HIGH)
    new_case()
    client.force_login(chair)
    page = client.get(reverse("home")).content.decode()
    assert "2 kasus berisiko tinggi masih berjalan." in page
    assert "?status=terbuka&amp;risk=tinggi" in page
    for user in (officers["data"], agency_head):  # not a head of this P2TP2A: their worklist only
        client.force_login(user)
        assert "berisiko tinggi" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "name, extra",
    [("assessment_approve", []), ("spt_issue", []), ("team_assign", []), ("consent", []),
     ("referral_create", []), ("reveal", []), ("notes_edit", ["chronology"]), ("team_end", [1]),
     ("referral_update", [1]), ("milestone_add", [1])],
)
def test_a_reload_of_a_write_address_goes_back_to_the_case(client, new_case, officers, name, extra):
    """A refused form comes back at the address it was posted to; reloading it there asks that address by GET."""
    case = new_case()
    client.force_login(officers["data"])
    response = client.get(reverse(f"cases:{name}", args=[case.pk, *extra]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])


def test_voiding_a_case_needs_its_sentence_ticked_and_then_takes_one_click(client, new_case, chair):
    """A way out that cannot be undone sits behind a closed section and a ticked sentence, with its reason."""
    case = new_case()
    client.force_login(chair)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<summary" in page and "Saya mengerti: kasus dibatalkan sebagai salah input" in page
    url = case.get_absolute_url()
    data = {"langkah-transition": "void.report", "langkah-expected_status": "report", "langkah-note": "Salah input: kasus ganda."}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Centang pernyataan di bawah Batalkan: salah input" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "report"
    client.post(url, {**data, "langkah-confirmed": "on"})
    assert Case.objects.get(pk=case.pk).status == "dibatalkan"


def test_a_new_case_and_a_team_member_start_without_a_misleading_default(client, new_case, chair, officers, case_service):
    client.force_login(officers["data"])
    page = client.get(reverse("cases:create", args=[case_service.slug])).content.decode()
    assert '<option value="" selected>Pilih tingkat risiko</option>' in page
    client.force_login(chair)
    page = client.get(reverse("cases:detail", args=[new_case().pk])).content.decode()
    assert '<option value="" selected>Pilih fungsi</option>' in page


def test_a_register_beyond_its_count_limit_says_lebih_dari(client, chair, new_case, monkeypatch):
    monkeypatch.setattr(pagination, "REGISTER_COUNT_LIMIT", 2)
    for _number in range(3):
        new_case()
    client.force_login(chair)
    response = client.get(reverse("cases:register"))
    assert (response.context["page"].paginator.count, response.context["page"].paginator.more) == (2, True)
    assert "Lebih dari 2 kasus: saring atau cari untuk mempersempit" in response.content.decode()
