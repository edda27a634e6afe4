"""The narrative notes keep their earlier versions, and each is written by whom and when NOTE_RULES says.

Fixtures: tests/cases/conftest.py. Every refused write is checked to leave the case, its notes and their
versions as they were.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import resolve_url
from django.urls import reverse

from cases import services
from cases.models import Case, CaseNotes, NoteVersion
from tests.cases.conftest import BLIND, SIGHTED, case_state, current, take_step

pytestmark = pytest.mark.django_db

FIRST = "Korban dipukul tetangganya di halaman rumah."
SECOND = "Korban dipukul tetangganya di dapur rumah neneknya."


def versions(case, note):
    return list(NoteVersion.objects.filter(case=case, note=note).values_list("text", "written_by"))


def test_every_change_of_a_note_keeps_the_earlier_text_as_a_version(new_case, officers, chair):
    case = new_case(chronology=FIRST)
    data = officers["data"]
    services.notes_update(case, actor=data, expected_status="report", field="chronology", text=SECOND)
    services.notes_update(case, actor=chair, expected_status="report", field="chronology", text="Diringkas.")

    assert CaseNotes.objects.get(case=case).chronology == "Diringkas."
    assert versions(case, "chronology") == [(FIRST, data.pk), (SECOND, data.pk), ("Diringkas.", chair.pk)]


def test_the_same_text_again_is_no_change_and_no_version(new_case, officers):
    case = new_case(chronology=FIRST)
    services.notes_update(case, actor=officers["data"], expected_status="report", field="chronology", text=FIRST)
    assert versions(case, "chronology") == [(FIRST, officers["data"].pk)]


def test_a_rewritten_assessment_keeps_its_earlier_version(case_at, officers):
    case = case_at("assessment")
    worker = officers["social_worker"]
    for text in ("Perlu pendampingan.", "Perlu visum."):
        take_step(case, worker, assessment=text, risk=Case.Risk.HIGH, needs_medical="ya", needs_psychological="tidak", needs_legal="tidak")
    assert versions(case, "assessment") == [("Perlu pendampingan.", worker.pk), ("Perlu visum.", worker.pk)]


def test_a_version_can_be_neither_changed_nor_deleted(new_case, officers):
    case = new_case(chronology=FIRST)
    version = NoteVersion.objects.get(case=case)
    version.text = "Diubah diam-diam."
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        NoteVersion.objects.filter(case=case).update(text="Diubah diam-diam.")
    with pytest.raises(ValidationError):
        NoteVersion.objects.filter(case=case).delete()
    assert versions(case, "chronology") == [(FIRST, officers["data"].pk)]


# Who writes which note, and when (cases.services.NOTE_RULES).

WRITES = [
    # (status, note, who, refusal or None)
    ("report", "chronology", "data", None),
    ("assessment", "chronology", "data", None),  # a finished step's note, corrected
    ("report", "chronology", "social_worker", "ditulis oleh Divisi Data"),
    ("intake", "missing_documents_reason", "data", None),
    ("intake", "missing_documents_reason", "companion", "ditulis oleh Divisi Data"),
    ("outreach", "outreach_result", "social_worker", None),
    ("outreach", "outreach_result", "data", "ditulis oleh Pekerja sosial"),
    ("outreach", "outreach_result", "legal", "ditulis oleh Pekerja sosial"),
    ("intake", "outreach_result", "social_worker", "ditulis mulai langkah 3"),
    ("medical", "outreach_result", "social_worker", None),
    ("medical", "outreach_result", "chair", None),
    ("outreach", "reintegration_result", "social_worker", "ditulis mulai langkah 8"),
    ("reintegration", "reintegration_result", "psychologist", "ditulis oleh Pekerja sosial"),
    ("reintegration", "closure_summary", "social_worker", None),
    ("closure", "closure_summary", "chair", None),
    ("legal", "closure_summary", "chair", "ditulis mulai langkah 8"),
]


@pytest.mark.parametrize(("status", "note", "who", "refusal"), WRITES, ids=[f"{w[1]}-{w[0]}-{w[2]}" for w in WRITES])
def test_each_note_is_written_by_its_function_or_a_head_from_its_step_on(
    case_at, officers, chair, refused, status, note, who, refusal
):
    case = case_at(status, needs_legal=status == "legal")
    actor = chair if who == "chair" else officers[who]
    text = f"Catatan baru untuk {note}."
    if refusal:
        with refused(case, match=refusal):
            services.notes_update(case, actor=actor, expected_status=status, field=note, text=text)
        return
    services.notes_update(case, actor=actor, expected_status=status, field=note, text=text)
    assert getattr(CaseNotes.objects.get(case=case), note) == text
    assert versions(case, note)[-1] == (text, actor.pk)


def test_no_note_is_written_once_the_case_is_closed(case_at, officers, chair, refused):
    case = case_at("selesai")
    for note, actor in [("chronology", officers["data"]), ("closure_summary", chair), ("outreach_result", chair)]:
        with refused(case, match="sudah ditutup"):
            services.notes_update(case, actor=actor, expected_status=case.status, field=note, text="Diubah.")


# The case page.


def test_the_team_and_the_heads_read_each_notes_earlier_versions_with_who_and_when(client, new_case, officers, chair):
    case = new_case(chronology=FIRST)
    services.notes_update(case, actor=officers["data"], expected_status="report", field="chronology", text=SECOND)
    officers["data"].first_name = "Dina"
    officers["data"].save()
    for reader in (officers["data"], chair):
        client.force_login(reader)
        page = client.get(case.get_absolute_url()).content.decode()
        assert SECOND in page and FIRST in page
        assert "1 versi sebelumnya" in page and "Ditulis oleh Dina" in page


def test_the_agency_head_who_opens_the_identity_reads_the_notes_but_not_their_earlier_versions(
    client, new_case, officers, agency_head
):
    case = new_case(chronology=FIRST)
    services.notes_update(case, actor=officers["data"], expected_status="report", field="chronology", text=SECOND)
    client.force_login(agency_head)
    page = client.post(reverse("cases:reveal", args=[case.pk]), {"reason": "Pemeriksaan berkas oleh atasan."}).content.decode()
    assert SECOND in page
    assert FIRST not in page and "versi sebelumnya" not in page


def test_a_finished_steps_note_is_offered_for_correction_and_the_current_ones_for_writing(client, case_at, officers):
    case = case_at("assessment")
    client.force_login(officers["social_worker"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:notes_edit", args=[case.pk, "outreach_result"]) in page
    assert "Koreksi catatan ini" in page and "Simpan koreksi" in page
    # The data officer's notes are not the social worker's to write.
    assert reverse("cases:notes_edit", args=[case.pk, "chronology"]) not in page
    client.force_login(officers["data"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:notes_edit", args=[case.pk, "chronology"]) in page
    assert reverse("cases:notes_edit", args=[case.pk, "outreach_result"]) not in page


TYPED = "Korban ditemui di rumah bibinya di kampung sebelah."
REFUSED_EDITS = {
    # the reason: (who posts, the note, the status they saw, the message)
    "wrong_person": ("legal", "outreach_result", "outreach", "ditulis oleh Pekerja sosial"),
    "wrong_step": ("social_worker", "reintegration_result", "outreach", "ditulis mulai langkah 8"),
    "concurrent_change": ("social_worker", "outreach_result", "intake", "baru saja diubah oleh pengguna lain"),
}


@pytest.mark.parametrize("reason", REFUSED_EDITS)
def test_a_refused_edit_keeps_the_typed_text_on_the_form_and_changes_nothing(client, case_at, officers, reason):
    who, note, seen, message = REFUSED_EDITS[reason]
    case = case_at("outreach")
    client.force_login(officers[who])
    before = stored_but_the_access_log(case)

    response = client.post(reverse("cases:notes_edit", args=[case.pk, note]), {"expected_status": seen, "text": TYPED})

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert f"{TYPED}</textarea>" in page
    assert stored_but_the_access_log(case) == before


def stored_but_the_access_log(case):
    """case_state without the access log: the page shown again with the identity logs that view, as it must."""
    return {name: rows for name, rows in case_state(case).items() if name != "access_log"}


def test_the_versions_have_no_history_and_no_admin(client, django_user_model):
    assert not hasattr(NoteVersion, "history")
    assert not [model for model in apps.get_models() if model.__name__ == "HistoricalNoteVersion"]
    assert not admin.site.is_registered(NoteVersion)
    client.force_login(django_user_model.objects.create_superuser("super", "super@example.org", "sandi-uji-panjang"))
    assert client.get("/admin/cases/noteversion/").status_code == 404


@pytest.mark.parametrize("who", [*SIGHTED, *BLIND, "anonymous"])
def test_no_stranger_reads_a_version_or_writes_a_note(client, new_case, officers, strangers, who):
    case = new_case(chronology=FIRST)
    services.notes_update(case, actor=officers["data"], expected_status="report", field="chronology", text=SECOND)
    user = strangers[who]
    if user is not None:
        client.force_login(user)
    before = case_state(case)

    shown = client.get(case.get_absolute_url())
    posted = client.post(
        reverse("cases:notes_edit", args=[case.pk, "chronology"]), {"expected_status": "report", "text": "Ditimpa."}
    )

    if user is None:
        login = resolve_url(settings.LOGIN_URL)
        assert shown.status_code == posted.status_code == 302 and shown["Location"].startswith(login)
    elif who in SIGHTED:
        assert shown.status_code == 200 and posted.status_code == 400
    else:
        assert shown.status_code == posted.status_code == 404
    for response in (shown, posted):
        page = response.content.decode()
        assert FIRST not in page and SECOND not in page and "Korban Uji" not in page
    assert case_state(case) == before
    assert current(case).status == "report"
