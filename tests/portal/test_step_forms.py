"""A record's page takes its current step (portal.views.record_page, the test app's ticket page): one submit of
the step's form saves its data and completes the step; refused, the same page comes back at the same address
with everything typed and each reason beside its field, and nothing is kept."""

import dataclasses

import pytest
from django.core.files.base import ContentFile

from portal.models import TransitionLog
from portal.selectors import worklist
from portal.services import attachment_add, pending_tasks, transition_fire, workflow_start
from tests.testapp.forms import CheckForm
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(division, officer, new_ticket):
    ticket = workflow_start(new_ticket(division, title="Tiket pertama"), actor=officer)
    return transition_fire(ticket, name="received", actor=officer, expected_status="received")


def take(client, user, ticket, transition="checked", **fields):
    client.force_login(user)
    data = {"langkah-transition": transition, "langkah-expected_status": "checked", **{f"langkah-{k}": v for k, v in fields.items()}}
    return client.post(ticket.get_absolute_url(), data)


def attach_spt(ticket, officer):
    attachment_add(ticket, kind="spt", file=ContentFile(b"%PDF-1.4", name="spt.pdf"), actor=officer)


def state(ticket):
    ticket.refresh_from_db()
    return ticket.status, ticket.summary, TransitionLog.objects.filter(object_id=ticket.pk).count()


def test_one_submit_saves_the_steps_data_and_completes_it(client, officer, ticket):
    attach_spt(ticket, officer)
    response = take(client, officer, ticket, summary="Berkas lengkap", note="Diperiksa pagi ini")
    assert response.status_code == 302 and response.url == ticket.get_absolute_url()
    assert state(ticket) == ("decided", "Berkas lengkap", 3)
    assert TransitionLog.objects.get(object_id=ticket.pk, transition="checked").note == "Diperiksa pagi ini"
    # The message says what was done, in the button's words, and where the ticket stands now.
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert messages == ["Langkah tercatat: Pemeriksaan selesai. Status sekarang: Menunggu keputusan."]


def test_a_refused_step_comes_back_at_the_same_address_with_everything_typed(client, officer, ticket):
    before = state(ticket)
    response = take(client, officer, ticket, summary="Berkas lengkap", note="Catatan saya")
    assert response.status_code == 400
    assert response.request["PATH_INFO"] == ticket.get_absolute_url()
    page = response.content.decode()
    assert "Lampirkan Surat perintah tugas." in page
    assert ">\nBerkas lengkap</textarea>" in page and ">\nCatatan saya</textarea>" in page
    assert state(ticket) == before  # the summary was saved, then rolled back with the refused step


def test_a_checks_message_stands_beside_its_field_and_the_summary_links_to_it(client, officer, ticket):
    attach_spt(ticket, officer)
    page = take(client, officer, ticket, summary="  ").content.decode()
    assert 'href="#id_langkah-summary"' in page  # the error summary
    field = page[page.index('id="id_langkah-summary"'):]
    assert "Tuliskan ringkasan pemeriksaan." in field[: field.index("</div>") + 200]
    assert state(ticket)[0] == "checked"


def test_a_draft_is_saved_and_the_step_stays(client, officer, ticket):
    response = take(client, officer, ticket, transition="simpan", summary="Separuh jalan")
    assert response.status_code == 302
    assert state(ticket) == ("checked", "Separuh jalan", 2)
    assert [str(m) for m in client.get(response.url).context["messages"]] == [
        "Isian tersimpan; langkah belum diselesaikan."
    ]


def test_someone_without_the_step_is_refused_and_nothing_changes(client, head, ticket):
    before = state(ticket)
    for transition in ("checked", "simpan"):
        response = take(client, head, ticket, transition=transition, summary="Diubah kepala")
        assert response.status_code == 400
        assert "dilakukan oleh Petugas" in response.content.decode()
    assert state(ticket) == before


def test_a_stale_page_is_refused_and_nothing_changes(client, officer, ticket):
    attach_spt(ticket, officer)
    client.force_login(officer)
    data = {"langkah-transition": "received", "langkah-expected_status": "received"}
    response = client.post(ticket.get_absolute_url(), data)
    assert response.status_code == 400 and "baru saja diubah" in response.content.decode()
    assert state(ticket)[0] == "checked"


def test_what_was_typed_on_a_page_the_record_has_moved_past_comes_back_beside_the_current_form(client, officer, ticket):
    attach_spt(ticket, officer)
    ticket.summary = "Ringkasan rekan"
    ticket.save()
    transition_fire(ticket, name="checked", actor=officer, expected_status="checked")  # a colleague, meanwhile
    response = take(client, officer, ticket, summary="Ringkasan saya\nbaris kedua", note="Catatan saya")
    assert response.status_code == 400
    page = response.content.decode()
    assert "baru saja diubah" in page
    kept = page[page.index("Yang Anda isi belum tersimpan"):]
    assert "Ringkasan saya\nbaris kedua" in kept and "Catatan saya" in kept
    assert state(ticket) == ("decided", "Ringkasan rekan", 3)


def test_a_double_submit_completes_the_step_once(client, officer, ticket):
    attach_spt(ticket, officer)
    assert take(client, officer, ticket, summary="Sekali").status_code == 302
    second = take(client, officer, ticket, summary="Dua kali")
    assert second.status_code == 400
    assert state(ticket) == ("decided", "Sekali", 3)


def test_a_transition_the_page_could_not_send_is_refused(client, officer, ticket):
    response = take(client, officer, ticket, transition="terbang")
    assert response.status_code == 400 and "Transisi tidak dikenal." in response.content.decode()


def test_anonymous_is_sent_to_log_in_and_nothing_changes(client, ticket):
    before = state(ticket)
    response = client.post(ticket.get_absolute_url(), {"langkah-transition": "simpan", "langkah-summary": "x"})
    assert response.status_code == 302 and "next=" in response.url
    assert state(ticket) == before


def test_the_page_opens_with_what_is_saved_and_names_the_steps_action(client, officer, ticket):
    ticket.summary = "Tersimpan sebelumnya"
    ticket.save()
    client.force_login(officer)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert ">\nTersimpan sebelumnya</textarea>" in page
    assert ">Pemeriksaan selesai</button>" in page
    assert ">Simpan dulu, selesaikan nanti</button>" in page


def test_a_task_reaches_its_executors_worklist_while_it_is_pending(client, officer, head, ticket):
    def listed(user):
        return [record.pk for work in worklist(user) for record in work.waiting]

    assert pending_tasks(ticket, head) == [] and ticket.pk not in listed(head)
    ticket.summary = "Siap dibaca"
    ticket.save()
    assert [task.code for task in pending_tasks(ticket, head)] == ["read"]
    assert ticket.pk in listed(head)
    assert pending_tasks(ticket, officer) == []
    client.force_login(head)
    assert 'href="#ringkasan">Baca ringkasan</a>' in client.get(ticket.get_absolute_url()).content.decode()


def test_a_step_without_drafts_offers_no_draft_and_refuses_one(client, officer, ticket, monkeypatch):
    monkeypatch.setattr(CheckForm, "drafts", False)
    client.force_login(officer)
    assert "Simpan dulu, selesaikan nanti" not in client.get(ticket.get_absolute_url()).content.decode()
    before = state(ticket)
    response = take(client, officer, ticket, transition="simpan", summary="Separuh jalan")
    assert response.status_code == 400 and "tidak ada simpan dulu" in response.content.decode()
    assert state(ticket) == before


def test_a_held_step_offers_no_button_says_why_and_refuses_a_post(client, officer, ticket, monkeypatch):
    held = dataclasses.replace(Ticket.workflow, steps=tuple(
        dataclasses.replace(step, hold="tests.testapp.workflow.held_while_on_leave") if step.code == "checked" else step
        for step in Ticket.workflow.steps
    ))
    monkeypatch.setattr(Ticket, "workflow", held)
    attach_spt(ticket, officer)
    client.force_login(officer)
    assert ">Pemeriksaan selesai</button>" in client.get(ticket.get_absolute_url()).content.decode()  # not held yet
    Ticket.objects.filter(pk=ticket.pk).update(title="Kantor tutup")
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Kantor tutup: pemeriksaan menunggu." in page and ">Pemeriksaan selesai</button>" not in page
    before = state(ticket)
    response = take(client, officer, ticket, summary="Berkas lengkap")
    assert response.status_code == 400 and "Kantor tutup: pemeriksaan menunggu." in response.content.decode()
    assert state(ticket) == before
