"""The workflow panel on a record's page (the test app's ticket page): steps, history, documents, buttons."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from portal.models import Membership
from portal.roles import Role
from portal.services import attachment_add, transition_fire, workflow_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(division, officer, new_ticket):
    return workflow_start(new_ticket(division, title="Tiket pertama", summary="Ringkasan"), actor=officer)


def page_of(client, user, ticket):
    client.force_login(user)
    response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_current_step_and_the_officers_button(client, officer, ticket):
    page = page_of(client, officer, ticket)
    assert 'aria-current="step"' in page
    assert "Permohonan diterima" in page
    assert 'name="langkah-transition" value="received"' in page
    assert 'name="langkah-expected_status" value="received"' in page
    assert f'action="{ticket.get_absolute_url()}"' in page
    assert ">Teruskan untuk diperiksa</button>" in page
    assert "Layanan dimulai" in page  # the history


def test_it_shows_no_button_to_a_role_that_may_not_act(client, head, ticket):
    page = page_of(client, head, ticket)
    assert 'name="langkah-transition"' not in page
    assert "Menunggu Petugas." in page


def test_the_panel_shows_the_service_due_time(client, officer, ticket):
    page = page_of(client, officer, ticket)
    assert "Batas waktu layanan" in page
    assert "sisa" in page


def test_it_tells_the_person_who_did_the_step_before_why_they_may_not_approve(client, division, officer, ticket):
    Membership.objects.create(user=officer, unit=division, role=Group.objects.get(name=Role.HEAD))
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    attachment_add(ticket, kind="spt", file=ContentFile(b"%PDF-1.4", name="spt.pdf"), actor=officer)
    ticket = transition_fire(ticket, name="checked", actor=officer, expected_status="checked")
    page = page_of(client, officer, ticket)
    assert "harus dilakukan oleh pejabat lain" in page
    assert 'name="langkah-transition"' not in page


def test_it_lists_the_documents_needed_and_offers_the_executor_an_upload(client, officer, ticket):
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    page = page_of(client, officer, ticket)
    assert "Dibutuhkan untuk langkah ini: Surat perintah tugas" in page
    assert f'action="/layanan/testapp/{ticket.pk}/lampiran/"' in page
    assert 'enctype="multipart/form-data"' in page


def test_it_offers_no_upload_to_a_role_without_the_step(client, officer, head, ticket):
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    assert "/lampiran/" not in page_of(client, head, ticket)


def test_it_links_each_attachment_by_its_kind_not_its_file_name(client, officer, ticket):
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    attachment = attachment_add(ticket, kind="spt", file=ContentFile(b"%PDF-1.4", name="Surat Budi.pdf"), actor=officer)
    page = page_of(client, officer, ticket)
    assert f'href="/lampiran/{attachment.pk}/">Surat perintah tugas</a>' in page
    assert "Budi" not in page


def test_the_steps_say_which_are_done_and_which_is_now(client, officer, ticket):
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received")
    page = page_of(client, officer, ticket)
    steps = page[page.index('<ol class="list-group'):page.index("</ol>")]
    done, current = steps.split('aria-current="step"', 1)
    assert done.count("selesai") == 1 and "sekarang" not in done
    assert "sekarang" in current.split("</li>")[0]
    assert "selesai" not in current
