"""A record past its time standard, on its page: the section, the reason, the head's decision and the e-mail."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from identitas.models import Facilitation, Notes, Person, PpksCategory, Reporter
from portal.complaints.models import Complaint
from portal.complaints.workflow import TEAM_REVIEW
from portal.guarantee.models import MissedStandard, Promise
from portal.models import Service
from portal.roles import Office, Role
from tests.guarantee.conftest import NAMES, wib

pytestmark = pytest.mark.django_db

LATE, DONE_LATE = wib(2026, 8, 14, 10, 0), wib(2026, 8, 18, 9, 0)
GIVEN = {
    "kompensasi-decision": "diberikan", "kompensasi-compensation": "Voucher layanan prioritas",
    "kompensasi-given_on": "20/08/2026", "kompensasi-given_to": "penerima", "kompensasi-no_compensation_reason": "",
    "kompensasi-notified_via": "",
}


def urls(record):
    app = record._meta.app_label
    return reverse("guarantee:reason", args=[app, record.pk]), reverse("guarantee:decision", args=[app, record.pk])


def post(client, user, url, data):
    client.force_login(user)
    response = client.post(url, data, follow=True)
    return response, [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context["messages"]
    ]


def rows():
    return list(MissedStandard.objects.values())


def test_the_record_page_shows_the_section_only_when_the_standard_is_missed(client, ticket, officer):
    client.force_login(officer)
    late = client.get(ticket(LATE, DONE_LATE).get_absolute_url()).content.decode()
    assert "Melewati standar waktu" in late and "Simpan alasan" in late and "14 Agustus 2026" in late
    in_time = client.get(ticket(LATE, wib(2026, 8, 14, 9, 0)).get_absolute_url()).content.decode()
    assert "Melewati standar waktu" not in in_time


def test_an_officer_writes_the_reason_once_and_it_is_shown_escaped(client, ticket, officer, head):
    record = ticket(LATE, DONE_LATE)
    reason_url, _ = urls(record)
    response, messages = post(client, officer, reason_url, {"alasan-reason": "Server <script>alert(1)</script> mati"})
    assert "Alasan melewati standar waktu tersimpan." in messages
    entry = MissedStandard.objects.get()
    assert (entry.reason_by, entry.record_number, entry.due_at) == (officer, str(record.pk), LATE)
    text = response.content.decode()
    assert "Server &lt;script&gt;alert(1)&lt;/script&gt; mati" in text and "<script>alert(1)" not in text
    before = rows()
    _response, messages = post(client, head, reason_url, {"alasan-reason": "Alasan kedua"})
    assert rows() == before and any("tidak dicatat dua kali" in m for m in messages)


@pytest.mark.parametrize("data, message", [
    ({"alasan-reason": "   "}, "Tuliskan alasan melewati standar waktu."),
    ({}, "Tuliskan alasan melewati standar waktu."),
])
def test_an_empty_reason_is_refused_and_changes_nothing(client, ticket, officer, data, message):
    reason_url, _ = urls(ticket(LATE, DONE_LATE))
    _response, messages = post(client, officer, reason_url, data)
    assert rows() == [] and message in messages


def test_a_record_within_its_standard_takes_no_reason(client, ticket, officer):
    reason_url, _ = urls(ticket(LATE, wib(2026, 8, 14, 9, 0)))
    _response, messages = post(client, officer, reason_url, {"alasan-reason": "Tidak perlu"})
    assert rows() == [] and "Berkas ini tidak melewati standar waktu layanan." in messages


def test_a_get_goes_back_to_the_record(client, ticket, officer):
    record = ticket(LATE, DONE_LATE)
    client.force_login(officer)
    response = client.get(urls(record)[0])
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()


def test_an_outsider_finds_no_record(client, government, make_user, ticket):
    from portal.models import Unit

    other = Unit.objects.create(code="lain", name="Lain", kind=Unit.Kind.AGENCY, parent=government)
    record = ticket(LATE, DONE_LATE)
    for url in urls(record):
        client.force_login(make_user(other, Role.HEAD))
        assert client.post(url, {"alasan-reason": "x", **GIVEN}).status_code == 404
    assert rows() == []


def _reasoned(client, ticket, officer):
    record = ticket(LATE, DONE_LATE)
    post(client, officer, urls(record)[0], {"alasan-reason": "Petugas dinas luar"})
    return record


def test_a_decision_waits_for_the_reason(client, ticket, promise, head):
    record = ticket(LATE, DONE_LATE)
    _response, messages = post(client, head, urls(record)[1], GIVEN)
    assert rows() == [] and any("belum dituliskan" in m for m in messages)


@pytest.mark.parametrize("changes, message", [
    ({"kompensasi-decision": ""}, "Pilih apakah kompensasi diberikan."),
    ({"kompensasi-compensation": ""}, "Tuliskan kompensasi yang diberikan."),
    ({"kompensasi-given_on": ""}, "Isi tanggal pemberian kompensasi, seperti 07/12/2026."),
    ({"kompensasi-given_on": "2026-13-45"}, "Tanggal tidak valid. Tulis seperti 07/12/2026."),
    ({"kompensasi-given_to": ""}, "Pilih kepada siapa kompensasi diberikan."),
    ({"kompensasi-decision": "tidak"}, "Tuliskan mengapa tidak diberikan kompensasi."),
])
def test_an_incomplete_decision_is_refused_and_changes_nothing(client, ticket, promise, officer, head, changes, message):
    record = _reasoned(client, ticket, officer)
    before = rows()
    _response, messages = post(client, head, urls(record)[1], {**GIVEN, **changes})
    assert rows() == before and any(message in m for m in messages)


def test_an_officer_may_not_decide(client, ticket, promise, officer):
    record = _reasoned(client, ticket, officer)
    before = rows()
    _response, messages = post(client, officer, urls(record)[1], GIVEN)
    assert rows() == before and any("Kepala Bidang atau Kepala Dinas" in m for m in messages)


def test_no_decision_where_the_standard_promises_no_compensation(client, ticket, service, officer, head):
    Promise.objects.create(service=service, compensation=False)
    record = _reasoned(client, ticket, officer)
    before = rows()
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Simpan keputusan" not in page
    _response, messages = post(client, head, urls(record)[1], GIVEN)
    assert rows() == before and any("tidak menjanjikan kompensasi" in m for m in messages)


def test_a_head_decides_once_and_a_record_without_a_contact_sends_nothing(
    client, ticket, promise, officer, head, django_capture_on_commit_callbacks
):
    record = _reasoned(client, ticket, officer)
    with django_capture_on_commit_callbacks(execute=True):
        _response, messages = post(client, head, urls(record)[1], {**GIVEN, "kompensasi-notified_via": "telepon"})
    assert "Keputusan kompensasi tersimpan." in messages
    entry = MissedStandard.objects.get()
    assert (entry.decision, entry.compensation, str(entry.given_on), entry.given_to, entry.decided_by) == (
        "diberikan", "Voucher layanan prioritas", "2026-08-20", "penerima", head
    )
    assert entry.notified_via == "telepon" and mail.outbox == []
    before = rows()
    _response, messages = post(client, head, urls(record)[1], {**GIVEN, "kompensasi-compensation": "Lain"})
    assert rows() == before and any("tidak diputuskan dua kali" in m for m in messages)


@pytest.fixture
def complaint(agency, division, officer):
    desk = Service.objects.create(slug="pengaduan", name="Pengaduan Dinas", unit=agency, app="complaints")
    Promise.objects.create(service=desk, compensation=True)
    return Complaint.objects.create(
        service=desk, unit=division, status=TEAM_REVIEW, due_at=LATE, created_at=wib(2026, 8, 12, 9, 0), year=2026,
        sequence=7, channel=Complaint.Channel.PORTAL, text="Lambat", name="Bagus Prakoso", email="pengadu@example.org",
        follow_up_digest="x",
    )


def test_the_contact_is_told_after_the_commit_without_a_name(
    client, complaint, officer, head, django_capture_on_commit_callbacks
):
    reason_url, decision_url = urls(complaint)
    post(client, officer, reason_url, {"alasan-reason": "Menunggu data"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, head, decision_url, GIVEN)
    assert mail.outbox == [] and len(callbacks) == 1  # nothing goes before the commit
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == ["pengadu@example.org"]
    assert "Pengaduan Dinas" in message.body and "0007/2026" in message.body and "Voucher layanan prioritas" in message.body
    text = message.subject + message.body
    assert not any(name in text for name in ("Bagus", "Prakoso", NAMES["first_name"], NAMES["last_name"]))
    assert MissedStandard.objects.get().notified_via == "email"


@pytest.fixture
def facilitation(division, make_user):
    service = Service.objects.create(slug="ppks", name="Fasilitasi PPKS", unit=division, app="identitas")
    Promise.objects.create(service=service, compensation=True)
    team = make_user(division, Role.OFFICER)
    record = Facilitation.objects.create(
        service=service, unit=division, status="record", due_at=LATE, year=2026, sequence=3,
        channel=Facilitation.Channel.PHONE, received_at=wib(2026, 8, 14, 8, 0),
        category=PpksCategory.objects.create(code="uji", name="Uji"), officer=team,
    )
    Notes.objects.create(facilitation=record, missed_reason="Tim menunggu kendaraan")
    Person.objects.create(facilitation=record, name="Bagus Prakoso", sex="L", estimated_age=70)
    Reporter.objects.create(facilitation=record, name="Warga", contact="0812")
    return record, team


def test_identitas_keeps_its_own_reason_and_is_not_asked_twice(client, facilitation, division, make_user):
    record, team = facilitation
    client.force_login(team)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Tim menunggu kendaraan" in page and "Simpan alasan" not in page
    _response, messages = post(client, team, urls(record)[0], {"alasan-reason": "Lagi"})
    assert rows() == [] and any("sudah tercatat" in m for m in messages)
    kabid = make_user(division, Role.HEAD, office=Office.DIVISION_HEAD)
    _response, messages = post(client, kabid, urls(record)[1], {**GIVEN, "kompensasi-notified_via": "surat"})
    assert "Keputusan kompensasi tersimpan." in messages
    assert MissedStandard.objects.get().reason == ""  # the reason stays where identitas keeps it


def test_identitas_reason_is_kept_from_whom_does_not_read_the_identity(client, facilitation, agency, make_user):
    record, _team = facilitation
    client.force_login(make_user(agency, Role.AGENCY_HEAD))
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Tim menunggu kendaraan" not in page and "dibaca oleh yang menangani" in page


def test_an_observer_writes_no_reason(client, facilitation, agency, make_user):
    record, _team = facilitation
    Notes.objects.filter(facilitation=record).update(missed_reason="")
    observer = make_user(agency, Role.AGENCY_HEAD)
    _response, messages = post(client, observer, urls(record)[0], {"alasan-reason": "Saya mengamati"})
    assert rows() == [] and any("pelaksana layanan" in m for m in messages)


def test_the_start_page_tag_lists_what_waits_for_the_user(client, ticket, promise, officer, head):
    now = timezone.now()
    record = ticket(now - timedelta(days=2))
    ticket(now - timedelta(days=800))  # of a quarter long past: the register's, not the start page's
    template = Template("{% load guarantee %}{% missed_waiting %}")

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return template.render(RequestContext(request))

    text = render(officer)
    assert text.count("Menunggu alasan Anda") == 1 and f"{record.get_absolute_url()}#melewati-standar" in text
    assert "Menunggu keputusan kompensasi" not in render(head)  # no reason yet: the head waits
    post(client, officer, urls(record)[0], {"alasan-reason": "Menunggu data"})
    assert "Menunggu alasan Anda" not in render(officer)
    assert render(head).count("Menunggu keputusan kompensasi") == 1


def test_a_refused_decision_comes_back_as_typed_with_the_reason_beside_its_field(client, ticket, promise, officer, head):
    record = _reasoned(client, ticket, officer)
    typed = {**GIVEN, "kompensasi-compensation": "Pengantaran dokumen ke rumah", "kompensasi-given_on": ""}
    response, _messages = post(client, head, urls(record)[1], typed)
    page = response.content.decode()
    assert "Pengantaran dokumen ke rumah</textarea>" in page
    assert "invalid-feedback" in page and "Isi tanggal pemberian kompensasi" in page
    # Shown once: the page asked again is the empty form.
    assert "Pengantaran dokumen ke rumah" not in client.get(record.get_absolute_url()).content.decode()


def test_a_refused_reason_comes_back_as_typed(client, ticket, officer):
    late = ticket(LATE, DONE_LATE)
    response, _messages = post(client, officer, urls(late)[0], {"alasan-reason": "x" * 2001})
    assert "x" * 2001 in response.content.decode()
    assert MissedStandard.objects.count() == 0
