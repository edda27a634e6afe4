"""The P2TP2A closure report, made off the request (cases.documents.DOWNLOADS): only for whoever reads the victim's
identity, asked as the old PDF link was checked, each download logged as a print, and named by the case number
only, in its label, its file name and its page."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases import services as case_services
from cases.models import AccessLog, TeamMember, Victim
from portal.downloads.models import GeneratedFile
from tests.cases.conftest import *  # noqa: F403 - the case fixtures: case_at, chair, officers, strangers, ...
from tests.downloads.flow import ask, asked_file, content, download

pytestmark = pytest.mark.django_db

KIND = "cases.closure_report"
VICTIM_NAME = "Sekarwangi Rahasia"


@pytest.fixture
def closed_case(case_at):
    return case_at("selesai", victim=Victim(name=VICTIM_NAME, sex="P", birth_date=date(2012, 5, 4)))


def prints(case):
    return list(AccessLog.objects.filter(case=case, action=AccessLog.Action.PRINT).values_list("user", "what"))


def text_of(pdf):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


@pytest.mark.parametrize("reader", ["chair", "team_member"])
def test_the_team_and_its_head_get_the_report_each_download_logged_as_a_print(
    client, closed_case, chair, officers, reader,
):
    user = chair if reader == "chair" else officers["legal"]
    client.force_login(user)

    response = ask(client, KIND, {"pk": closed_case.pk})
    row = asked_file(response)

    assert prints(closed_case) == []  # asking shows nothing of the victim yet
    page = client.get(response["Location"]).content.decode()
    assert ">Unduh</a>" in page
    file = download(client, row)
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert file["Content-Disposition"] == f'attachment; filename="laporan-kasus-{closed_case.file_stem}.pdf"'
    text = text_of(content(file))
    assert VICTIM_NAME in text and closed_case.number in text
    download(client, row)
    assert prints(closed_case) == [(user.pk, "Laporan penanganan kasus")] * 2


def test_its_label_file_name_and_page_name_the_case_number_only(client, closed_case, chair):
    client.force_login(chair)
    response = ask(client, KIND, {"pk": closed_case.pk})
    row = asked_file(response)

    assert row.label == f"Laporan penanganan kasus {closed_case.number}"
    assert row.file_name == f"laporan-kasus-{closed_case.file_stem}.pdf"
    page = client.get(response["Location"]).content.decode()
    for text in (row.label, row.file_name, str(row.params), page, row.file.name):
        assert "Sekarwangi" not in text and "Rahasia" not in text


def test_the_case_page_offers_the_button_to_whom_reads_the_identity_only(client, closed_case, chair, strangers):
    button = "Buat PDF laporan penanganan kasus"
    client.force_login(chair)
    page = client.get(closed_case.get_absolute_url()).content.decode()
    assert button in page and reverse("downloads:create", args=[KIND]) in page
    client.force_login(strangers["agency_head"])
    assert button not in client.get(closed_case.get_absolute_url()).content.decode()


def test_a_changed_case_is_a_new_file_and_an_unchanged_one_the_same(client, closed_case, chair):
    client.force_login(chair)
    first = asked_file(ask(client, KIND, {"pk": closed_case.pk}))
    assert asked_file(ask(client, KIND, {"pk": closed_case.pk})).pk == first.pk

    Victim.objects.filter(case=closed_case).update(address="Gang Melati 9")
    second = asked_file(ask(client, KIND, {"pk": closed_case.pk}))

    assert second.pk != first.pk and GeneratedFile.objects.count() == 2
    assert "Gang Melati 9" in text_of(content(download(client, second)))


@pytest.mark.parametrize(("who", "status"), [
    ("officer_not_on_team", 403),  # sees the case in the register, not the victim: as the PDF link refused
    ("agency_head", 403),
    ("another_unit", 404),
    ("faskes", 404),
    ("storekeeper", 404),
])
def test_whoever_does_not_read_the_identity_is_refused_and_nothing_is_made(client, closed_case, strangers, who, status):
    client.force_login(strangers[who])

    assert ask(client, KIND, {"pk": closed_case.pk}).status_code == status
    assert not GeneratedFile.objects.exists() and prints(closed_case) == []


@pytest.mark.parametrize("who", ["officer_not_on_team", "agency_head", "another_unit"])
def test_the_teams_file_is_not_found_by_anyone_else(client, closed_case, chair, strangers, who):
    client.force_login(chair)
    row = asked_file(ask(client, KIND, {"pk": closed_case.pk}))

    client.force_login(strangers[who])

    assert client.get(reverse("downloads:status", args=[row.pk])).status_code == 404
    assert download(client, row).status_code == 404
    assert prints(closed_case) == []


def test_anonymous_visitors_are_sent_to_log_in(client, closed_case, chair):
    client.force_login(chair)
    row = asked_file(ask(client, KIND, {"pk": closed_case.pk}))
    client.logout()

    assert ask(client, KIND, {"pk": closed_case.pk})["Location"].startswith(reverse("login"))
    assert download(client, row)["Location"].startswith(reverse("login"))
    assert prints(closed_case) == []


def test_a_member_taken_off_the_team_can_no_longer_download_what_they_asked_for(client, case_at, chair, officers):
    case = case_at("legal", needs_legal=True)
    member = officers["legal"]
    client.force_login(member)
    row = asked_file(ask(client, KIND, {"pk": case.pk}))
    assert download(client, row).status_code == 200

    for place in TeamMember.objects.filter(case=case, user=member):
        case_services.team_end(place, actor=chair, expected_status="legal")

    assert client.get(reverse("downloads:status", args=[row.pk])).status_code == 404
    assert download(client, row).status_code == 404
    assert prints(case) == [(member.pk, "Laporan penanganan kasus")]
