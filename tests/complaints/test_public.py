"""The public form and follow-up page: no sign-in, a ticket and a secret code, nothing else of anyone's complaint."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from portal.complaints import services
from portal.complaints.models import Complaint


def post_complaint(client, desk, **fields):
    data = {
        "layanan": desk.services().first().slug, "kind": "pengaduan", "text": "Antrean terlalu lama.",
        "email": "warga@example.org", "submission": str(uuid.uuid4()), **fields,
    }
    return client.post(reverse("complaints:new"), data, REMOTE_ADDR=fields.pop("address", "10.1.1.1"))


def test_the_form_is_public_and_in_indonesian(client, team_desk):
    response = client.get(reverse("complaints:new"), {"layanan": "layanan-bidang"})
    assert response.status_code == 200
    assert "Sampaikan pengaduan" in response.content.decode()
    assert "SAPA 129" in response.content.decode()


def test_a_complaint_gets_a_ticket_and_a_code_shown_once(client, team_desk, about, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_complaint(client, team_desk, about=about.pk)
    assert response.status_code == 302 and response.url == reverse("complaints:sent")
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.status, complaint.unit, complaint.service) == (
        "portal", "check", about.unit, team_desk.service
    )
    page = client.get(reverse("complaints:sent")).content.decode()
    assert complaint.number in page
    code = page.split('font-monospace">')[1].split("<")[0]
    assert complaint.opens_with(code) and code not in complaint.follow_up_digest
    assert code not in client.get(reverse("complaints:sent")).content.decode()  # once
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body and mail.outbox[0].to == ["warga@example.org"]


def test_a_double_click_files_one_complaint(client, team_desk):
    token = str(uuid.uuid4())
    post_complaint(client, team_desk, submission=token)
    post_complaint(client, team_desk, submission=token)
    assert Complaint.objects.count() == 1


def test_the_honeypot_saves_nothing(client, team_desk):
    response = post_complaint(client, team_desk, website="http://spam.example")
    assert response.status_code == 302
    assert not Complaint.objects.exists() and not mail.outbox


def test_a_flood_from_one_address_is_refused(client, team_desk):
    for _ in range(services.PUBLIC_LIMIT_PER_HOUR):
        assert post_complaint(client, team_desk, address="10.9.9.9").status_code == 302
    response = post_complaint(client, team_desk, address="10.9.9.9", text="Isian yang tetap ada.")
    assert response.status_code == 429
    assert "Isian yang tetap ada." in response.content.decode()
    assert Complaint.objects.count() == services.PUBLIC_LIMIT_PER_HOUR
    assert post_complaint(client, team_desk, address="10.9.9.10").status_code == 302


@pytest.mark.parametrize("fields, message", [
    ({"text": ""}, "Tuliskan isi pengaduan"),
    ({"text": "x" * 4001}, "Paling banyak 4000 karakter"),
    ({"email": "bukan-email"}, "Alamat e-mail tidak sah"),
    ({"phone": "<script>"}, "Nomor telepon hanya berisi angka"),
    ({"about": "999999"}, "Pilih layanan dari daftar"),
    ({"kind": "lain"}, "Pilih jenisnya"),
])
def test_bad_input_saves_nothing_and_keeps_what_was_typed(client, team_desk, fields, message):
    response = post_complaint(client, team_desk, **{"name": "Nama Saya", **fields})
    assert response.status_code == 400
    assert message in response.content.decode() and "Nama Saya" in response.content.decode()
    assert not Complaint.objects.exists()


def test_without_a_contact_the_form_says_where_the_answer_is(client, team_desk):
    page = client.get(reverse("complaints:new")).content.decode()
    assert "Tanpa e-mail, jawaban hanya dapat dilihat di halaman tindak lanjut" in page


def follow(client, number, code, address="10.2.2.2"):
    return client.post(reverse("complaints:follow_up"), {"number": number, "code": code}, REMOTE_ADDR=address)


def test_the_follow_up_page_shows_status_and_answers_only(client, team_desk, about, submit, officer):
    complaint, code = submit(team_desk, about=about, text="Rahasia isi aduan", name="Nama Pengadu")
    services.reply_send(complaint, text="Jawaban <b>kami</b>", actor=officer)
    response = follow(client, complaint.number, code.lower())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jawaban &lt;b&gt;kami&lt;/b&gt;" in page and "Sedang ditangani" in page
    assert "Rahasia isi aduan" not in page and "Nama Pengadu" not in page and "pengadu@example.org" not in page


def test_a_wrong_code_or_number_tells_nothing(client, team_desk, submit):
    complaint, code = submit(team_desk)
    other, other_code = submit(team_desk)
    wrong_code = follow(client, complaint.number, other_code)
    wrong_number = follow(client, "9999/2026", code)
    malformed = follow(client, "abc", code)
    for response in (wrong_code, wrong_number, malformed):
        assert response.status_code == 404
        assert "Nomor atau kode tidak cocok" in response.content.decode()


def test_guessing_codes_is_limited_per_address(client, team_desk, submit):
    complaint, code = submit(team_desk)
    for _ in range(services.FOLLOW_UP_LIMIT_PER_HOUR):
        follow(client, complaint.number, "AAAAAA-BBBBBB-CCCCCC", address="10.3.3.3")
    assert follow(client, complaint.number, code, address="10.3.3.3").status_code == 429
    assert follow(client, complaint.number, code, address="10.3.3.4").status_code == 200


def test_the_code_never_goes_in_an_address(client, team_desk, submit):
    complaint, code = submit(team_desk)
    response = client.get(reverse("complaints:follow_up"), {"number": complaint.number, "code": code})
    assert response.status_code == 200 and "Sedang ditangani" not in response.content.decode()


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def test_evidence_sent_with_the_form_is_attached_for_the_handling_unit(client, team_desk, about, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.models import Attachment

    post_complaint(client, team_desk, about=about.pk, evidence=SimpleUploadedFile("foto.png", PNG, "image/png"))
    complaint = Complaint.objects.get()
    attachment = Attachment.objects.get()
    assert (attachment.object_id, attachment.kind, attachment.uploaded_by) == (complaint.pk, "bukti", None)
    assert "foto" not in attachment.file.name
    client.force_login(officer)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Bukti pendukung" in page and "Publik (formulir daring)" in page
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 200


@pytest.mark.parametrize("name, content, message", [
    ("skrip.exe", b"MZ", "Hanya berkas PDF, JPG atau PNG."),
    ("besar.png", PNG + b"0" * 2048, "Berkas paling besar"),
])
def test_evidence_follows_the_portals_upload_rules(client, team_desk, settings, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024
    response = post_complaint(client, team_desk, evidence=SimpleUploadedFile(name, content), text="Tetap ada.")
    assert response.status_code == 400 and message in response.content.decode()
    assert "Tetap ada." in response.content.decode() and not Complaint.objects.exists()
