"""The PPKS result report, made off the request (identitas.documents.DOWNLOADS): only for the Tim Kerja and the
Kabid, who read the person, once the result is reported; each download logged as a print; named by the
facilitation's number only."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pypdf import PdfReader

from identitas.models import AccessLog, Notes
from portal.downloads.models import GeneratedFile
from portal.models import Membership
from portal.roles import Role
from tests.downloads.flow import ask, asked_file, content, download
from tests.identitas.conftest import *  # noqa: F403 - the facilitation fixtures: facilitation_at, kabid, team, ...

pytestmark = pytest.mark.django_db

KIND = "identitas.result_report"


@pytest.fixture
def reported(facilitation_at):
    return facilitation_at("archive")


def prints(record):
    printed = AccessLog.objects.filter(facilitation=record, action=AccessLog.Action.PRINT)
    return list(printed.values_list("user", "what"))


def text_of(pdf):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


@pytest.mark.parametrize("who", ["team_member", "kabid"])
def test_the_team_and_the_kabid_get_the_report_each_download_logged(client, reported, team, kabid, who):
    user = team[1] if who == "team_member" else kabid
    client.force_login(user)

    row = asked_file(ask(client, KIND, {"pk": reported.pk}))

    assert prints(reported) == []
    file = download(client, row)
    assert file["Content-Disposition"] == f'attachment; filename="laporan-hasil-{reported.file_stem}.pdf"'
    assert "Mbah Karta" in text_of(content(file))
    assert prints(reported) == [(user.pk, "Laporan hasil layanan")]
    assert row.label == f"Laporan hasil layanan {reported.number}"
    page = client.get(reverse("downloads:status", args=[row.pk])).content.decode()
    for text in (row.label, row.file_name, page):
        assert "Karta" not in text


def test_printed_again_unchanged_it_is_the_same_file_though_the_moment_of_printing_differs(client, reported, kabid):
    client.force_login(kabid)
    first = asked_file(ask(client, KIND, {"pk": reported.pk}))
    assert asked_file(ask(client, KIND, {"pk": reported.pk})).pk == first.pk

    Notes.objects.filter(facilitation=reported).update(needs_analysis="Perlu NIK, KTP-el dan KK.")

    assert asked_file(ask(client, KIND, {"pk": reported.pk})).pk != first.pk


def test_each_user_gets_a_file_of_their_own(client, reported, team, kabid):
    """The report prints who printed it."""
    client.force_login(kabid)
    mine = asked_file(ask(client, KIND, {"pk": reported.pk}))
    client.force_login(team[0])
    theirs = asked_file(ask(client, KIND, {"pk": reported.pk}))
    assert mine.pk != theirs.pk


def test_before_the_result_is_reported_there_is_no_report(client, facilitation_at, kabid):
    record = facilitation_at("accompaniment")
    client.force_login(kabid)

    assert ask(client, KIND, {"pk": record.pk}).status_code == 404
    assert not GeneratedFile.objects.exists()
    assert "Buat PDF laporan hasil layanan" not in client.get(record.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("agency_head", 403),  # sees the facilitation, not the person
    ("outside_officer", 404),
    ("faskes_user", 404),
    ("storekeeper_of_the_division", 404),  # of the service's own unit, in a role that sees none of its records
])
def test_whoever_does_not_read_the_person_is_refused_and_nothing_is_made(
    client, request, reported, rehdayasos, make_user, who, status,
):
    if who == "storekeeper_of_the_division":
        user = make_user(rehdayasos, Role.STOREKEEPER)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)

    assert ask(client, KIND, {"pk": reported.pk}).status_code == status
    assert not GeneratedFile.objects.exists() and prints(reported) == []


def test_the_teams_file_is_not_found_by_the_agency_head(client, reported, kabid, agency_head):
    client.force_login(kabid)
    row = asked_file(ask(client, KIND, {"pk": reported.pk}))
    client.force_login(agency_head)

    assert client.get(reverse("downloads:status", args=[row.pk])).status_code == 404
    assert download(client, row).status_code == 404
    assert prints(reported) == []


def test_an_officer_moved_out_of_the_team_can_no_longer_download_it(client, reported, team):
    client.force_login(team[1])
    row = asked_file(ask(client, KIND, {"pk": reported.pk}))
    Membership.objects.filter(user=team[1]).update(role=Group.objects.get(name=Role.STOREKEEPER))

    assert client.get(reverse("downloads:status", args=[row.pk])).status_code == 404
    assert download(client, row).status_code == 404
    assert prints(reported) == []
