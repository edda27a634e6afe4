"""The case page takes the case's step (portal.views.record_page): one form per step, its fields and its one button.
Refused, the page comes back at the same address (400) with everything typed and each message beside its field,
and nothing is kept. The Ketua's work (the team, the SPT, the approval) reaches her as tasks.

Fixtures: tests/cases/conftest.py.
"""

import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, CaseNotes, NoteVersion
from portal import services as engine
from portal.selectors import worklist
from portal.workflow import SAVE_ONLY
from tests.cases.conftest import case_state, current, take_step

pytestmark = pytest.mark.django_db


def post_step(client, user, case, transition=SAVE_ONLY, **fields):
    client.force_login(user)
    data = {
        "langkah-transition": transition, "langkah-expected_status": current(case).status,
        **{f"langkah-{name}": value for name, value in fields.items()},
    }
    return client.post(case.get_absolute_url(), data)


def checked(page, name, value):
    """Whether the step form's choice `value` of field `name` comes back ticked."""
    return re.search(rf'<input[^>]*name="langkah-{name}"[^>]*value="{value}"[^>]*checked', page) is not None


def stored(case):
    """case_state without the access log: the page shown again logs that view, as it must."""
    return {name: rows for name, rows in case_state(case).items() if name != "access_log"}


def beside(page, field_id, message):
    """Whether `message` stands right after the field `field_id` (its feedback), and the error summary links to an
    element of the page: the field, or a group's first radio or box ({field_id}_0)."""
    rest = page[page.index(f'id="{field_id}'):]  # a radio's inputs are {field_id}_0, _1
    link = re.search(rf'href="#({field_id}(?:_0)?)"', page)
    return message in rest[:1500] and link is not None and f'id="{link.group(1)}"' in page


def test_the_intake_is_one_form_saved_and_done_with_its_one_button(client, case_at, officers, violence_type):
    case = case_at("intake", chronology="")
    client.force_login(officers["data"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'name="langkah-chronology"' in html and 'name="langkah-missing_documents_reason"' in html
    assert ">Berkas pengaduan lengkap</button>" in html and "Simpan catatan" not in html

    response = post_step(
        client, officers["data"], case, "intake", chronology="Korban dipukul di dapur.",
        violence_types=[violence_type.pk], missing_documents_reason="Pelapor datang tanpa KTP.", note="Berkas diterima.",
    )

    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case = current(case)
    assert case.status == "outreach"
    assert (case.notes.chronology, case.notes.missing_documents_reason) == ("Korban dipukul di dapur.", "Pelapor datang tanpa KTP.")
    assert NoteVersion.objects.filter(case=case, note="chronology").last().text == "Korban dipukul di dapur."


def test_a_refused_intake_comes_back_at_its_address_with_everything_typed_and_keeps_nothing(
    client, case_at, officers, violence_type
):
    case = case_at("intake", chronology="")
    before = stored(case)

    response = post_step(
        client, officers["data"], case, "intake", chronology="Korban dipukul di dapur.",
        violence_types=[violence_type.pk], missing_documents_reason="", note="Catatan saya.",
    )

    page = response.content.decode()
    assert response.status_code == 400 and response.request["PATH_INFO"] == case.get_absolute_url()
    assert beside(page, "id_langkah-missing_documents_reason", "tuliskan alasan belum lengkap")
    assert ">\nKorban dipukul di dapur.</textarea>" in page and ">\nCatatan saya.</textarea>" in page
    assert checked(page, "violence_types", violence_type.pk)
    assert stored(case) == before


@pytest.mark.parametrize(("status", "fields", "field", "message"), [
    ("outreach", {"outreach_result": ""}, "outreach_result", "Tuliskan hasil verifikasi/penjangkauan."),
    ("assessment", {"assessment": "Perlu visum.", "needs_medical": "ya"}, "needs_psychological",
     "Pilih apakah layanan psikologis diperlukan."),
    ("reintegration", {"reintegration_result": "", "closure_summary": "Ringkasan."}, "reintegration_result",
     "Tuliskan hasil reintegrasi/rehabilitasi."),
    ("closure", {"closure_summary": "  "}, "closure_summary", "Tuliskan ringkasan penanganan untuk laporan akhir."),
])
def test_each_step_s_missing_field_is_refused_beside_the_field(client, case_at, officers, chair, status, fields, field, message):
    case = case_at(status)
    actor = chair if status == "closure" else officers[case.step.executor]
    before = stored(case)

    response = post_step(client, actor, case, status, **fields)

    page = response.content.decode()
    assert response.status_code == 400
    assert beside(page, f"id_langkah-{field}", message)
    for name, value in fields.items():  # every value typed is there, field by field
        if name.startswith("needs_"):
            assert checked(page, name, value), name
        elif value.strip():
            assert f">\n{value}</textarea>" in page, name
    assert stored(case) == before


def test_a_draft_of_the_assessment_waits_for_the_ketua_who_approves_it_and_then_the_step_is_done(
    client, case_at, officers, chair
):
    case = case_at("assessment")
    worker = officers["social_worker"]
    answers = {"needs_medical": "tidak", "needs_psychological": "tidak", "needs_legal": "ya"}
    assert case not in waiting(chair)

    response = post_step(client, worker, case, SAVE_ONLY, assessment="Perlu pendampingan hukum.", risk="tinggi", **answers)

    assert response.status_code == 302
    assert current(case).status == "assessment" and current(case).risk == Case.Risk.HIGH
    assert case in waiting(chair)
    client.force_login(chair)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'href="#asesmen"' in page and "Setujui asesmen" in page

    approved = client.post(reverse("cases:assessment_approve", args=[case.pk]), {"expected_status": "assessment"})
    assert approved.status_code == 302 and current(case).assessment_approved_by == chair
    assert case not in waiting(chair)

    # The same assessment sent again with the step's button keeps the approval and completes the step.
    done = post_step(client, worker, case, "assessment", assessment="Perlu pendampingan hukum.", risk="tinggi", **answers)
    assert done.status_code == 302 and current(case).status == "medical"


def test_a_changed_assessment_withdraws_the_approval(case_at, officers, chair):
    case = case_at("assessment")
    worker = officers["social_worker"]
    take_step(case, worker, assessment="Perlu visum.", needs_medical="ya", needs_psychological="tidak", needs_legal="tidak")
    services.assessment_approve(case, actor=chair, expected_status="assessment")
    take_step(case, worker, assessment="Perlu visum dan psikolog.")
    assert current(case).assessment_approved_at is None
    assert CaseNotes.objects.get(case=case).assessed_by == worker


def waiting(user):
    return {record for work in worklist(user) for record in work.waiting}


def test_a_new_case_reaches_the_ketua_to_assign_its_team_and_leaves_once_a_social_worker_is_on_it(
    client, new_case, chair, assign_team
):
    case = new_case()  # low risk: no alert brings it to her
    assert case in waiting(chair)
    assert [task.code for task in engine.pending_tasks(current(case), chair)] == ["team"]
    client.force_login(chair)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'href="#tim">Tugaskan tim kasus</a>' in page
    assign_team(case, ["social_worker"])
    assert case not in waiting(chair)


def test_the_outreach_reaches_the_ketua_until_she_issues_the_spt(client, case_at, chair):
    case = case_at("outreach")
    assert [task.code for task in engine.pending_tasks(current(case), chair)] == ["spt"]
    client.force_login(chair)
    assert 'href="#dokumen">Terbitkan SPT penjangkauan</a>' in client.get(case.get_absolute_url()).content.decode()
    response = client.post(reverse("cases:spt_issue", args=[case.pk]), {"expected_status": "outreach"})
    assert response.status_code == 302 and current(case).spt_issued_by == chair
    assert case not in waiting(chair)


def test_a_refused_task_comes_back_on_the_page_with_its_reason(client, case_at, officers):
    case = case_at("outreach")
    before = stored(case)
    client.force_login(officers["social_worker"])
    response = client.post(reverse("cases:spt_issue", args=[case.pk]), {"expected_status": "outreach"})
    assert response.status_code == 400
    assert "Hanya Ketua atau Sekretaris P2TP2A yang dapat menandatangani SPT" in response.content.decode()
    assert stored(case) == before


def test_the_register_lists_what_waits_for_the_user(client, new_case, case_at, officers, chair):
    mine = new_case()  # the data officer's report step
    other = case_at("outreach")  # the social worker's
    client.force_login(officers["data"])
    page = client.get(reverse("cases:register") + "?tugas=saya").content.decode()
    assert mine.number in page and other.number not in page
