"""The PPKS identity pages attacked: who gets in, who sees the person, and who may write.

Every page and write is tried by an anonymous visitor (login), by users with no business with the service
(an officer of another division, a faskes: 404, as if nothing existed), and by the Kepala Dinas, an observer
who sees the facilitations without the person and takes no step. The demo person's name, NIK and reporter
must reach no page, URL or file name of anyone outside the Tim Kerja and the Kabid.
"""

import re
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from identitas.models import AccessLog, Facilitation
from portal.models import Attachment, Membership
from portal.roles import Office, Role
from tests.downloads.flow import fetch
from tests.identitas.conftest import NIK, current, record_state

pytestmark = pytest.mark.django_db

# What the conftest's person and reporter are called: none of it may reach a non-reader.
SECRETS = ("Mbah Karta", "Karta", NIK, "Ketua RT 02", "0812-0000-0000", "lansia tidur di emperan", "Pasar Rebo")


def record_urls(pk):
    """Every page (GET) and write (POST) of one facilitation."""
    return [
        ("get", reverse("identitas:detail", args=[pk])),
        ("get", reverse("identitas:identity_edit", args=[pk])),
        ("get", reverse("access_log", args=["identitas", pk])),
        # The result report is asked by posting the facilitation's id (portal.downloads): `write_data` carries it.
        ("post", reverse("downloads:create", args=["identitas.result_report"])),
        ("get", reverse("identitas:decline_letter_pdf", args=[pk])),
        ("post", reverse("identitas:detail", args=[pk])),
        ("post", reverse("identitas:identity_edit", args=[pk])),
        ("post", reverse("identitas:requirement_waive", args=[pk])),
        ("post", reverse("identitas:wait_start", args=[pk])),
        ("post", reverse("identitas:wait_end", args=[pk])),
        ("post", reverse("identitas:document_add", args=[pk])),
        ("post", reverse("identitas:follow_up", args=[pk])),
        ("post", reverse("attachment_upload", args=["identitas", pk])),
    ]


def service_urls(service):
    return [
        ("get", reverse("identitas:register")),
        ("post", reverse("identitas:register")),
        ("get", reverse("identitas:create", args=[service.slug])),
        ("post", reverse("identitas:create", args=[service.slug])),
        ("get", reverse("identitas:evaluation")),
        ("get", reverse("identitas:evaluation_pdf")),
    ]


def write_data(record):
    """A plausible POST for every write, so that a refusal is the guard's and not a malformed form's."""
    return {
        "pk": record.pk,
        "expected_status": record.status, "transition": record.status, "note": "", "kind": "nik", "number": NIK,
        "issued_on": timezone.localdate().isoformat(), "submission": "5f0c0b7e-0000-4000-8000-000000000002",
        "summary": "Selesai.", "missed_reason": "", "state": "dilaksanakan", "done_on": timezone.localdate().isoformat(),
        "report": "Disusupkan.", "needs_analysis": "Disusupkan.", "found_address": "Disusupkan", "condition": "Disusupkan",
        "q": "Karta", "requirement": "population_record", "reason": "Disusupkan.",
        # The step's form on the facilitation's page.
        "langkah-transition": record.status, "langkah-expected_status": record.status, "langkah-note": "",
        "langkah-report": "Disusupkan.", "langkah-summary": "Disusupkan.", "langkah-needs_analysis": "Disusupkan.",
    }


def send(client, method, url, record=None):
    if method == "get":
        return client.get(url)
    data = write_data(record) if record else {"q": "Karta"}
    if url.endswith("/lampiran/"):
        data["kind"], data["file"] = "photo", SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    return client.post(url, data)


def assert_no_secret(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = unquote(content.decode(errors="replace")) + " ".join(f"{k}: {v}" for k, v in response.items())
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} reached {response.request['PATH_INFO']}"


@pytest.fixture
def world(facilitation_at, kabid, fire):
    """A facilitation in every stage where pages differ: new, in the outreach, reported, declined."""
    declined = facilitation_at("review")
    fire(declined, "review.decline", kabid, note="Ketua RT 02 melapor orang yang sudah ber-KTP.")
    return {
        "new": facilitation_at("report"),
        "outreach": facilitation_at("outreach"),
        "accompaniment": facilitation_at("accompaniment"),
        "reported": facilitation_at("archive"),
        "declined": current(declined),
    }


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, identitas_service):
    login = resolve_url(settings.LOGIN_URL)
    urls = service_urls(identitas_service) + [u for record in world.values() for u in record_urls(record.pk)]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(login), f"{method} {url}"


@pytest.mark.parametrize("who", ["outside_officer", "faskes_user"])
def test_users_with_no_business_get_404_on_every_page_and_write(client, request, world, identitas_service, who):
    client.force_login(request.getfixturevalue(who))
    states = {name: record_state(record) for name, record in world.items()}
    for method, url in service_urls(identitas_service):
        assert send(client, method, url).status_code == 404, f"{method} {url}"
    for record in world.values():
        for method, url in record_urls(record.pk):
            response = send(client, method, url, record)
            assert response.status_code == 404, f"{method} {url}"
            assert_no_secret(response)
    assert {name: record_state(record) for name, record in world.items()} == states


def test_the_agency_head_sees_the_register_and_pages_without_the_person(client, world, agency_head):
    client.force_login(agency_head)
    response = client.get(reverse("identitas:register"), {"status": "semua"})
    assert response.status_code == 200
    page = response.content.decode()
    assert all(record.number in page for record in world.values())
    assert ">PPKS<" not in page and "Cari nama atau NIK" not in page  # no identity column, no identity search
    assert_no_secret(response)
    for record in world.values():
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        assert "hanya Tim Kerja dan Kabid layanan ini yang dapat melihatnya" in response.content.decode()
        assert_no_secret(response)
    assert not AccessLog.objects.filter(user=agency_head).exists()


def test_the_agency_head_takes_no_step_and_writes_nothing(client, world, agency_head):
    client.force_login(agency_head)
    states = {name: record_state(record) for name, record in world.items()}
    for record in world.values():
        for method, url in record_urls(record.pk):
            if method == "get" and url == record.get_absolute_url():
                continue
            response = send(client, method, url, record)
            assert response.status_code in (302, 400, 403, 404), f"{method} {url}: {response.status_code}"
            assert_no_secret(response)
    assert {name: record_state(record) for name, record in world.items()} == states
    assert client.post(reverse("identitas:register"), {"q": "Karta"}).status_code == 403


def test_the_agency_head_opens_no_attachment(client, facilitation_at, agency_head):
    record = facilitation_at("outreach")  # the DTKS letter is attached in step 3
    attachment = Attachment.objects.get(object_id=record.pk, kind="dtks_letter")
    client.force_login(agency_head)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404


def test_the_kabid_may_not_report_the_result_for_the_team(client, facilitation_at, kabid):
    record = facilitation_at("result_report")
    client.force_login(kabid)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Laporkan hasil kepada Kabid" not in page  # the step's own form is the team's
    before = record_state(record)
    response = client.post(record.get_absolute_url(), {
        "langkah-transition": "result_report", "langkah-expected_status": "result_report",
        "langkah-summary": "Dilaporkan Kabid.", "langkah-missed_reason": "",
    })
    assert response.status_code == 400 and "langkah ini dilakukan oleh Tim Kerja" in response.content.decode()
    before["access"] += 1
    assert record_state(record) == before


def test_whoever_recorded_the_report_may_not_accept_it(client, rehdayasos, make_user, identitas_service, category):
    """The review is an approval: the engine refuses it to whoever moved the record into it."""
    both = make_user(rehdayasos, Role.HEAD, username="kabid_merangkap", office=Office.DIVISION_HEAD)
    Membership.objects.create(user=both, unit=rehdayasos, role=Group.objects.get(name=Role.OFFICER))
    client.force_login(both)
    page = client.get(reverse("identitas:create", args=[identitas_service.slug])).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]+)"', page).group(1)
    client.post(reverse("identitas:create", args=[identitas_service.slug]), {
        "submission": token, "laporan-channel": "surat", "laporan-category": category.pk,
        "laporan-received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "laporan-report": "Anak jalanan.",
        "ppks-name": "Ujang", "ppks-sex": "L", "ppks-estimated_age": "12", "ppks-disability": "tidak",
        "pelapor-name": "Guru", "pelapor-contact": "0813",
    })
    record = Facilitation.objects.get()
    url = record.get_absolute_url()
    client.post(url, {"langkah-transition": "report", "langkah-expected_status": "report", "langkah-report": "Anak jalanan."})
    response = client.post(url, {"langkah-transition": "review.accept", "langkah-expected_status": "review"})
    assert response.status_code == 400 and "harus dilakukan oleh pejabat lain" in response.content.decode()
    assert current(record).status == "review"


def test_no_url_link_or_file_name_of_the_team_names_the_person(client, world, team):
    client.force_login(team[0])
    pages = [client.get(reverse("identitas:register"), {"status": "semua"})]
    pages += [client.get(record.get_absolute_url()) for record in world.values()]
    for response in pages:
        text = response.content.decode()
        for href in re.findall(r'(?:href|action)="([^"]*)"', text):
            assert not any(secret in unquote(href) for secret in SECRETS), href
    reported, declined = world["reported"], world["declined"]
    responses = [
        fetch(client, "identitas.result_report", {"pk": reported.pk}),
        client.get(reverse("identitas:decline_letter_pdf", args=[declined.pk])),
    ]
    for record, response in zip((reported, declined), responses, strict=True):
        assert record.file_stem in response["Content-Disposition"]
        assert not any(secret in response["Content-Disposition"] for secret in SECRETS)


@pytest.mark.parametrize("who", ["team_member", "kabid"])
def test_the_team_and_the_kabid_read_the_person_and_each_reading_is_logged(client, request, new_facilitation, team, who):
    user = team[1] if who == "team_member" else request.getfixturevalue("kabid")
    record = new_facilitation()
    client.force_login(user)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Mbah Karta" in page and "Ketua RT 02" in page
    assert AccessLog.objects.filter(facilitation=record, user=user, action=AccessLog.Action.VIEW).count() == 1


@pytest.mark.parametrize("who", ["team", "outside_officer", "faskes_user"])
def test_the_evaluation_is_for_the_leadership_only(client, request, identitas_service, who):
    user = request.getfixturevalue(who)
    client.force_login(user[0] if who == "team" else user)
    assert client.get(reverse("identitas:evaluation")).status_code == 404
    assert client.get(reverse("identitas:evaluation_pdf")).status_code == 404
