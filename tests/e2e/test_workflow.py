"""A ticket of the test SOP (tests/testapp) walked through the browser: upload, complete, self-approval, approval.

The ticket waits at step 2 (needs a summary and an SPT); step 3 is the head's decision, an approval.
"""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from portal.models import Attachment, Membership, TransitionLog
from portal.roles import Role
from portal.services import transition_fire, workflow_start
from tests.e2e.conftest import check_page, step_done

pytestmark = pytest.mark.e2e

PASSWORD = "sandi-uji-panjang"  # tests/conftest.py's make_user
SELF_APPROVAL = "Anda yang mengerjakan langkah sebelumnya, sehingga persetujuan ini harus dilakukan oleh pejabat lain."
SPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"  # small, and a PDF


@pytest.fixture
def ticket(division, officer, new_ticket):
    ticket = workflow_start(new_ticket(division, title="Permohonan Bu Sari", summary="Ringkasan"), actor=officer)
    return transition_fire(ticket, name="received", actor=officer, expected_status="received")


@pytest.fixture
def acting_head(officer, division):
    """The officer also acts as the division's head (Plt.): the role may approve, but not their own step."""
    Membership.objects.create(user=officer, unit=division, role=Group.objects.get(name=Role.HEAD))
    return officer


def status_of(page):
    return page.locator("#langkah-anda dd").first


def log_rows(ticket):
    return list(TransitionLog.objects.filter(object_id=ticket.pk).order_by("pk").values_list("transition", "actor"))


def open_from_worklist(page, ticket):
    expect(page.get_by_role("heading", name="Pekerjaan Anda")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=ticket.title).click()
    expect(page.get_by_role("heading", level=1, name=ticket.title)).to_be_visible()
    check_page(page)


def test_an_officer_completes_a_step_and_only_another_head_approves_it(page, login, ticket, acting_head, head):
    # The officer attaches the SPT that step 2 needs and completes it.
    login(page, acting_head.username, PASSWORD)
    open_from_worklist(page, ticket)
    expect(status_of(page)).to_have_text("Permohonan diperiksa")
    expect(page.get_by_text("Dibutuhkan untuk langkah ini: Surat perintah tugas")).to_be_visible()

    page.get_by_label("Jenis dokumen").select_option(label="Surat perintah tugas")
    page.get_by_label("Berkas (PDF, JPG atau PNG)").set_input_files(
        files=[{"name": "spt.pdf", "mimeType": "application/pdf", "buffer": SPT}]
    )
    page.get_by_role("button", name="Unggah lampiran").click()
    expect(page.get_by_role("alert")).to_have_text("Lampiran tersimpan.")
    expect(page.get_by_role("link", name="Surat perintah tugas")).to_be_visible()
    expect(page.get_by_text("Dibutuhkan untuk langkah ini")).to_have_count(0)
    assert Attachment.objects.get().uploaded_by == acting_head
    check_page(page)

    page.get_by_role("button", name="Pemeriksaan selesai").click()
    expect(page.get_by_role("alert")).to_have_text(step_done("Pemeriksaan selesai", "Menunggu keputusan"))
    expect(status_of(page)).to_have_text("Menunggu keputusan")
    check_page(page)

    # Holding the head role too, they are told someone else must decide, and offered no button for it.
    expect(page.get_by_role("status")).to_have_text(SELF_APPROVAL)
    expect(page.get_by_role("button", name="Setujui")).to_have_count(0)
    page.get_by_role("link", name="Layanan", exact=True).click()
    expect(page.get_by_text("Tidak ada yang menunggu langkah Anda.")).to_be_visible()
    check_page(page)

    # An approval posted anyway (a stale or forged form) is refused with the same words, answered 400, and changes
    # nothing.
    before = log_rows(ticket)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/tiket/{ticket.pk}/",
        form={"langkah-transition": "decided.approve", "langkah-expected_status": "decided", "langkah-note": ""},
        headers={"X-CSRFToken": csrf},
        max_redirects=0,
    )
    assert response.status == 400
    assert SELF_APPROVAL in response.text()
    page.goto(f"/tiket/{ticket.pk}/")
    expect(status_of(page)).to_have_text("Menunggu keputusan")
    check_page(page)
    ticket.refresh_from_db()
    assert (ticket.status, log_rows(ticket)) == ("decided", before)

    # Another head approves.
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk ke Layanan")).to_be_visible()
    login(page, head.username, PASSWORD)
    open_from_worklist(page, ticket)
    page.get_by_label("Catatan untuk riwayat langkah (opsional)").fill("Disetujui, lanjutkan.")
    page.get_by_role("button", name="Setujui").click()
    expect(page.get_by_role("alert")).to_have_text(step_done("Setujui", "Permohonan diproses"))
    expect(status_of(page)).to_have_text("Permohonan diproses")
    expect(page.get_by_text("Disetujui, lanjutkan.")).to_be_visible()
    check_page(page)
    ticket.refresh_from_db()
    assert ticket.status == "processed"
    assert log_rows(ticket) == [*before, ("decided.approve", head.pk)]
