"""Script typed into any text field of the complaint desk never runs or leaks: every page that shows it escapes it,
and every e-mail carries it as plain text, under a one-line subject, to the complainant alone.

Fields: the public form's text, name, e-mail, phone, service, kind and hidden `layanan`; the officer's recording
form (the same, and the channel); the follow-up page's number and code; the steps' reply (sent, and kept as a
draft), findings and note (the escalation's reason); the head's instruction; the register's search."""

import email
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from portal.complaints.models import Complaint, Reply
from portal.roles import Role

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
# A second header smuggled after a line break, wherever a field could reach an e-mail's headers.
HEADER = "Warga\r\nBcc: x@example.com"
CONTACT = "warga@example.org"
WIB = ZoneInfo("Asia/Jakarta")


def assert_escaped(page, typed=SCRIPT):
    """What was typed shows on the page as text, and no tag of it is left for the browser."""
    assert escape(typed) in page
    assert_no_raw_tags(page)


def assert_no_raw_tags(page):
    assert "<script>alert" not in page and "<img src=x" not in page


def assert_clean_mail(message, to=CONTACT):
    """To `to` alone, a subject of one line, no header but the ones Django writes; an HTML part, if one is ever
    added, escapes what was typed (the plain text may hold it as typed: text/plain runs nothing)."""
    assert message.recipients() == [to] and message.cc == [] and message.bcc == []
    assert "\n" not in message.subject and "\r" not in message.subject
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed.get_all("To") == [to] and parsed.get_all("Bcc") is None and parsed.get_all("Cc") is None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            assert_no_raw_tags(content)


def post_public(client, desk, **fields):
    data = {
        "layanan": desk.services().first().slug, "kind": "pengaduan", "text": "Antrean terlalu lama.",
        "email": CONTACT, "submission": str(uuid.uuid4()), **fields,
    }
    return client.post(reverse("complaints:new"), data)


def take(client, complaint, transition, **fields):
    """The step's form as the record's page sends it."""
    data = {"langkah-transition": transition, "langkah-expected_status": complaint.status,
            **{f"langkah-{name}": value for name, value in fields.items()}}
    return client.post(reverse("complaints:detail", args=[complaint.pk]), data)


@pytest.mark.parametrize("field", ["text", "name"])
def test_script_sent_from_the_public_form_is_kept_as_typed_and_shown_escaped(
    client, team_desk, about, officer, field, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_public(client, team_desk, about=about.pk, **{field: SCRIPT}).status_code == 302
    complaint = Complaint.objects.get()
    assert getattr(complaint, field) == SCRIPT
    [receipt] = mail.outbox
    assert_clean_mail(receipt)
    assert_no_raw_tags(client.get(reverse("complaints:sent")).content.decode())
    client.force_login(officer)
    assert_escaped(client.get(complaint.get_absolute_url()).content.decode())


@pytest.mark.parametrize("field, shown", [
    # Refused by their own rule: the form comes back with what was typed, escaped.
    ("email", True), ("phone", True),
    # Kept, and shown again because another field was refused.
    ("text", True), ("name", True), ("layanan", True),
    # Choices: refused; the page says so without repeating the value.
    ("about", False), ("kind", False),
])
def test_script_in_a_refused_public_form_comes_back_escaped_and_saves_nothing(client, team_desk, field, shown):
    refused_by = {} if field in ("email", "phone", "about", "kind") else {"email": "bukan-email"}
    response = post_public(client, team_desk, **refused_by, **{field: SCRIPT})
    assert response.status_code == 400
    page = response.content.decode()
    if shown:
        assert_escaped(page)
    assert_no_raw_tags(page)
    assert not Complaint.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("address", [
    f"{CONTACT}\r\nBcc: x@example.com", f"{CONTACT}\nBcc: x@example.com", f"{CONTACT}, x@example.com",
    f"{CONTACT};x@example.com", f"Warga <{CONTACT}>, x@example.com",
])
def test_an_address_carrying_a_second_recipient_is_refused(client, team_desk, address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_public(client, team_desk, email=address)
    assert response.status_code == 400 and "Alamat e-mail tidak sah" in response.content.decode()
    assert not Complaint.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("field", ["text", "name"])
def test_a_line_break_in_a_field_adds_no_header_to_the_receipt(
    client, team_desk, about, field, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_public(client, team_desk, about=about.pk, **{field: HEADER}).status_code == 302
    [receipt] = mail.outbox
    assert_clean_mail(receipt)
    assert getattr(Complaint.objects.get(), field) == HEADER


@pytest.mark.parametrize("field", ["text", "name"])
def test_script_recorded_by_an_officer_is_shown_escaped(client, escalation, other_division, make_user, field):
    client.force_login(make_user(other_division, Role.OFFICER))
    response = client.post(reverse("complaints:record", args=[escalation.service.slug]), {
        "channel": "telepon", "kind": "pengaduan", "text": "Lewat telepon.", "submission": str(uuid.uuid4()),
        field: SCRIPT,
    })
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert getattr(complaint, field) == SCRIPT
    assert_escaped(client.get(complaint.get_absolute_url()).content.decode())


@pytest.mark.parametrize("field, shown", [
    ("email", True), ("phone", True), ("channel", False), ("kind", False), ("about", False),
])
def test_script_in_a_refused_recording_comes_back_escaped_and_saves_nothing(
    client, escalation, other_division, make_user, field, shown,
):
    client.force_login(make_user(other_division, Role.OFFICER))
    response = client.post(reverse("complaints:record", args=[escalation.service.slug]), {
        "channel": "telepon", "kind": "pengaduan", "text": "Lewat telepon.", "submission": str(uuid.uuid4()),
        field: SCRIPT,
    })
    assert response.status_code == 400
    page = response.content.decode()
    if shown:
        assert_escaped(page)
    assert_no_raw_tags(page)
    assert not Complaint.objects.exists()


def test_a_script_reply_is_escaped_for_the_officer_and_the_complainant_and_mailed_as_plain_text(
    client, team_desk, about, officer, submit, django_capture_on_commit_callbacks,
):
    complaint, code = submit(team_desk, about=about, email=CONTACT)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert take(client, complaint, "check", reply=SCRIPT, findings="Dicek.").status_code == 302
    assert Reply.objects.get().text == SCRIPT
    [answer] = mail.outbox
    assert_clean_mail(answer)
    assert SCRIPT in answer.body and SCRIPT not in answer.subject
    assert_escaped(client.get(complaint.get_absolute_url()).content.decode())
    client.logout()
    followed = client.post(reverse("complaints:follow_up"), {"number": complaint.number, "code": code})
    assert followed.status_code == 200
    assert_escaped(followed.content.decode())


def test_a_line_break_in_a_reply_adds_no_header_to_its_e_mail(
    client, team_desk, about, officer, submit, django_capture_on_commit_callbacks,
):
    complaint, _code = submit(team_desk, about=about, email=CONTACT)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert take(client, complaint, "check", reply=HEADER).status_code == 302
    [answer] = mail.outbox
    assert_clean_mail(answer)


@pytest.mark.parametrize("field, stored", [("reply", "draft_reply"), ("findings", "findings")])
def test_a_script_draft_and_findings_are_shown_escaped(client, team_desk, about, officer, submit, field, stored):
    complaint, _code = submit(team_desk, about=about)
    client.force_login(officer)
    assert take(client, complaint, "simpan", **{field: SCRIPT}).status_code == 302
    complaint.refresh_from_db()
    assert getattr(complaint, stored) == SCRIPT and not Reply.objects.exists()
    assert_escaped(client.get(complaint.get_absolute_url()).content.decode())


def test_script_in_a_refused_step_comes_back_escaped_and_changes_nothing(client, team_desk, about, officer, submit):
    complaint, _code = submit(team_desk, about=about)
    client.force_login(officer)
    response = take(client, complaint, "check", findings=SCRIPT)  # no reply: refused
    assert response.status_code == 400
    assert_escaped(response.content.decode())
    complaint.refresh_from_db()
    assert complaint.status == "check" and complaint.findings == "" and not Reply.objects.exists()


def test_a_script_note_passing_the_complaint_on_is_escaped_in_the_history(
    client, escalation, other_division, make_user, submit,
):
    complaint, _code = submit(escalation, about=escalation.services().first())
    client.force_login(make_user(other_division, Role.OFFICER))
    assert take(client, complaint, "respond.escalate", note=SCRIPT).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "official"
    client.force_login(make_user(other_division, Role.HEAD))
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert_escaped(page)


def test_a_script_instruction_is_shown_escaped(client, team_desk, about, head, submit):
    late, _code = submit(team_desk, about=about, now=datetime(2026, 11, 2, 9, tzinfo=WIB))
    client.force_login(head)
    assert client.post(reverse("complaints:instruct", args=[late.pk]), {"instruction": SCRIPT}).status_code == 302
    late.refresh_from_db()
    assert late.instruction == SCRIPT
    assert_escaped(client.get(late.get_absolute_url()).content.decode())


@pytest.mark.parametrize("field", ["number", "code"])
def test_script_on_the_follow_up_page_comes_back_escaped_and_opens_nothing(client, team_desk, submit, field):
    complaint, code = submit(team_desk)
    response = client.post(reverse("complaints:follow_up"), {"number": complaint.number, "code": code, field: SCRIPT})
    assert response.status_code in (400, 404)
    page = response.content.decode()
    assert_escaped(page)
    assert "Sedang ditangani" not in page


def test_script_in_the_registers_search_is_escaped(client, team_desk, head):
    client.force_login(head)
    response = client.get(reverse("complaints:register"), {"q": SCRIPT, "status": SCRIPT})
    assert response.status_code == 200
    assert_escaped(response.content.decode(), SCRIPT[:20])  # the search keeps its first 20 characters
