"""Script typed into the guarantee's fields never runs or leaks: the reason, the compensation and the reason for
none are kept as typed, shown escaped on the record's page and in the register, printed as text in the register's
PDF, and e-mailed as plain text, under a one-line subject, to the record's contact alone.

Fields: the reason; the decision's compensation, date, recipient, reason for none, notice and the decision itself;
the promise's words (the agency's Admin, in the admin); the register's period."""

import email
import re
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from portal.complaints.models import Complaint
from portal.complaints.workflow import TEAM_REVIEW
from portal.guarantee.models import MissedStandard, Promise
from portal.models import Service
from tests.guarantee.conftest import wib

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
# A second header smuggled after a line break, wherever a field could reach an e-mail's headers.
HEADER = "Voucher\r\nBcc: x@example.com"
CONTACT = "pengadu@example.org"
LATE, DONE_LATE = wib(2026, 8, 14, 10, 0), wib(2026, 8, 18, 9, 0)
QUARTER = {"layanan": "tiket-dinas", "periode": "2026-Q3"}
GIVEN = {
    "kompensasi-decision": "diberikan", "kompensasi-compensation": "Voucher layanan prioritas",
    "kompensasi-given_on": "20/08/2026", "kompensasi-given_to": "penerima", "kompensasi-no_compensation_reason": "",
    "kompensasi-notified_via": "",
}
NONE = {**GIVEN, "kompensasi-decision": "tidak", "kompensasi-no_compensation_reason": "Pemohon menolak"}
# A typed field of the decision, and the decision it is sent with.
DECISIONS = [("compensation", GIVEN), ("no_compensation_reason", NONE)]


def assert_escaped(page, typed=SCRIPT):
    """What was typed shows on the page as text, and no tag of it is left for the browser."""
    assert escape(typed) in page
    assert_no_raw_tags(page)


def assert_no_raw_tags(page):
    assert "<script>alert" not in page and "<img src=x" not in page


def squash(text):
    return re.sub(r"\s+", "", text)


def assert_printed_as_text(pdf, typed=SCRIPT):
    """The PDF prints the markup as the characters typed: WeasyPrint laid it out as text, not as a tag."""
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert squash(typed) in squash(text)


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


def urls(record):
    app = record._meta.app_label
    return reverse("guarantee:reason", args=[app, record.pk]), reverse("guarantee:decision", args=[app, record.pk])


def post(client, user, url, data):
    """Post as `user`; the record's page it comes back to, and the messages said."""
    client.force_login(user)
    response = client.post(url, data, follow=True)
    return response.content.decode(), [str(m) for m in get_messages(response.wsgi_request)]


def rows():
    return list(MissedStandard.objects.values())


def register_page(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("guarantee:register"), {**QUARTER, **query})
    assert response.status_code == 200
    return response.content.decode()


def register_pdf(client, user):
    client.force_login(user)
    response = client.get(reverse("guarantee:register_pdf"), QUARTER)
    assert response.status_code == 200
    return response.content


def test_a_script_reason_is_kept_as_typed_shown_escaped_and_printed_as_text(client, ticket, officer, head, leader):
    record = ticket(LATE, DONE_LATE)
    page, messages = post(client, officer, urls(record)[0], {"alasan-reason": SCRIPT})
    assert "Alasan melewati standar waktu tersimpan." in messages
    assert MissedStandard.objects.get().reason == SCRIPT
    assert_escaped(page)
    client.force_login(head)
    assert_escaped(client.get(record.get_absolute_url()).content.decode())
    assert_escaped(register_page(client, leader))
    assert_printed_as_text(register_pdf(client, leader))


@pytest.mark.parametrize("field, decision", DECISIONS)
def test_a_script_decision_is_kept_as_typed_shown_escaped_and_printed_as_text(
    client, ticket, promise, officer, head, leader, field, decision,
):
    record = ticket(LATE, DONE_LATE)
    post(client, officer, urls(record)[0], {"alasan-reason": "Server mati"})
    page, messages = post(client, head, urls(record)[1], {**decision, f"kompensasi-{field}": SCRIPT})
    assert "Keputusan kompensasi tersimpan." in messages
    assert getattr(MissedStandard.objects.get(), field) == SCRIPT
    assert_escaped(page)
    assert_escaped(register_page(client, leader))
    assert_printed_as_text(register_pdf(client, leader))


@pytest.fixture
def complaint(agency, division):
    """A complaint past its response time, with the complainant's address: the decision is e-mailed there."""
    desk = Service.objects.create(slug="pengaduan", name="Pengaduan Dinas", unit=agency, app="complaints")
    Promise.objects.create(service=desk, compensation=True)
    return Complaint.objects.create(
        service=desk, unit=division, status=TEAM_REVIEW, due_at=LATE, created_at=wib(2026, 8, 12, 9, 0), year=2026,
        sequence=7, channel=Complaint.Channel.PORTAL, text="Lambat", email=CONTACT, follow_up_digest="x",
    )


@pytest.mark.parametrize("typed", [SCRIPT, HEADER])
@pytest.mark.parametrize("field, decision", DECISIONS)
def test_the_e_mailed_decision_carries_the_text_as_plain_text_to_the_contact_alone(
    client, complaint, officer, head, field, decision, typed, django_capture_on_commit_callbacks,
):
    reason_url, decision_url = urls(complaint)
    post(client, officer, reason_url, {"alasan-reason": SCRIPT})
    with django_capture_on_commit_callbacks(execute=True):
        _page, messages = post(client, head, decision_url, {**decision, f"kompensasi-{field}": typed})
    assert "Keputusan kompensasi tersimpan." in messages
    [message] = mail.outbox
    assert_clean_mail(message)
    assert typed in message.body and typed not in message.subject


@pytest.mark.parametrize("changes, shown", [
    # Refused for another field: what was typed comes back, escaped.
    ({"kompensasi-compensation": SCRIPT, "kompensasi-given_on": ""}, True),
    ({"kompensasi-decision": "tidak", "kompensasi-compensation": SCRIPT}, True),  # no reason for none
    # Refused as it is: not a date, not a choice.
    ({"kompensasi-given_on": SCRIPT}, True),
    ({"kompensasi-decision": SCRIPT}, False),
    ({"kompensasi-given_to": SCRIPT}, False),
    ({"kompensasi-notified_via": SCRIPT}, False),
])
def test_script_in_a_refused_decision_comes_back_escaped_and_changes_nothing(
    client, ticket, promise, officer, head, changes, shown,
):
    record = ticket(LATE, DONE_LATE)
    post(client, officer, urls(record)[0], {"alasan-reason": "Server mati"})
    before = rows()
    page, messages = post(client, head, urls(record)[1], {**GIVEN, **changes})
    assert rows() == before and "Keputusan kompensasi tersimpan." not in messages
    if shown:
        assert_escaped(page)
    assert_no_raw_tags(page)


def test_a_script_reason_too_long_comes_back_escaped_and_saves_nothing(client, ticket, officer):
    typed = SCRIPT * 40  # over the 2000 characters a reason may have
    page, _messages = post(client, officer, urls(ticket(LATE, DONE_LATE))[0], {"alasan-reason": typed})
    assert rows() == []
    assert_escaped(page, typed)


def test_script_in_the_promises_words_is_shown_escaped_and_printed_as_text(
    client, portal_admin_client, service, ticket, officer, leader,
):
    response = portal_admin_client.post(reverse("admin:guarantee_promise_add"), {
        "service": service.pk, "compensation": "on", "words": SCRIPT,
    })
    assert response.status_code == 302 and Promise.objects.get().words == SCRIPT
    record = ticket(LATE, DONE_LATE)
    client.force_login(officer)
    assert_escaped(client.get(record.get_absolute_url()).content.decode())
    assert_escaped(register_page(client, leader))
    assert_printed_as_text(register_pdf(client, leader))


def test_script_in_the_registers_period_is_escaped(client, service, leader):
    page = register_page(client, leader, periode=SCRIPT)
    assert "tidak dikenali" in page
    assert_escaped(page, SCRIPT[:20])  # the message repeats its first 20 characters
    client.force_login(leader)
    assert client.get(reverse("guarantee:register_pdf"), {**QUARTER, "periode": SCRIPT}).status_code == 404
