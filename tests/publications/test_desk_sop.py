"""A complaint desk's SOP sheet prints its own way of the complaint workflow (Desk.procedure), never the other
agency's: on its page, in its PDF, and in an older version, cut from the declaration in force then."""

import dataclasses
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.complaints.models import Desk
from portal.complaints.workflow import OFFICER_RESPONSE, TEAM_REVIEW
from portal.complaints.workflow import WORKFLOW as COMPLAINTS
from portal.models import Service, sop_models
from publications import versions
from publications.models import Publication, SOPDocument, StepsSnapshot
from publications.publishing import SOPSheet
from publications.steps import declaration, fingerprint, sheet_steps, steps_in_force, workflow_from
from tests.publications.test_printed_sheets import Printed, get_pdf
from tests.publications.test_public_pages import page_text

CIAMIS = "pengaduan-dppkbpppa-ciamis"
PURWAKARTA = "pengaduan-dinsos-p3a-purwakarta"
CIAMIS_STEPS = ["Cek data", "Verifikasi lapangan", "Koordinasi internal/eksternal", "Koordinasi instansi terkait"]
PURWAKARTA_STEPS = [
    "Petugas merespon pengaduan pemohon sampai mendapatkan solusi",
    "Pejabat yang terkait menyelesaikan permasalahan sampai tuntas dan mendapatkan solusi",
]


def sheet_for(slug):
    """A drafted SOP sheet header for a desk: the seeds have none, so each test writes its own."""
    return SOPDocument.objects.create(
        service_id=slug, sheet_title=f"SOP PENANGANAN PENGADUAN {slug.upper()}",
        title="STANDAR OPERASIONAL PROSEDUR PENANGANAN PENGADUAN, SARAN DAN MASUKAN",
        name="Penanganan Pengaduan, Saran dan Masukan", approver_title="Kepala Dinas",
    )


@pytest.fixture
def desks(loaded):
    sheet_for(CIAMIS)
    sheet_for(PURWAKARTA)


def sop_page(client, slug, **params):
    return page_text(client.get(reverse("public_sop", args=[slug]), params))


def test_each_desk_names_the_way_its_standard_prints(loaded):
    model = sop_models()["complaints"]

    assert model.sop_start_step(Service.objects.get(slug=CIAMIS)) == TEAM_REVIEW
    assert model.sop_start_step(Service.objects.get(slug=PURWAKARTA)) == OFFICER_RESPONSE


def test_the_ciamis_desk_page_prints_the_teams_four_stages_only(client, desks):
    text = sop_page(client, CIAMIS)

    for name in CIAMIS_STEPS:
        assert name in text
    assert "Ditindaklanjuti oleh tim" in text
    for name in PURWAKARTA_STEPS:
        assert name not in text
    assert "Pengaduan langsung" not in text
    page = client.get(reverse("public_sop", args=[CIAMIS])).content.decode()
    assert page.count('class="sop-step"') == 4


def test_the_purwakarta_desk_page_prints_the_officer_and_the_official_only(client, desks):
    text = sop_page(client, PURWAKARTA)

    for name in PURWAKARTA_STEPS:
        assert name in text
    assert "Teruskan ke pejabat terkait" in text  # the decision's branch
    for name in CIAMIS_STEPS:
        assert name not in text
    assert "Responsif pengaduan 2 (dua) hari kerja" not in text
    page = client.get(reverse("public_sop", args=[PURWAKARTA])).content.decode()
    assert page.count('class="sop-step"') == 2


def test_each_desk_pdf_prints_its_own_way(client, desks):
    ciamis = Printed(get_pdf(client, "public_sop_pdf", CIAMIS).content)
    purwakarta = Printed(get_pdf(client, "public_sop_pdf", PURWAKARTA).content)

    for number, name in zip("abcd", CIAMIS_STEPS):
        assert f"{number} {name}" in ciamis
        assert name not in purwakarta
    for number, name in zip("12", PURWAKARTA_STEPS):
        assert f"{number} {name}" in purwakarta
        assert name not in ciamis
    assert "Petugas merespon pengaduan" not in ciamis
    assert "Cek data" not in purwakarta


def test_a_complaint_service_without_a_desk_prints_both_ways(loaded):
    service = Service.objects.get(slug=CIAMIS)
    Desk.objects.filter(service=service).delete()

    workflow, key = sheet_steps(service)

    assert workflow is COMPLAINTS
    assert key == fingerprint(COMPLAINTS)


def test_a_service_of_an_app_with_one_way_prints_its_apps_steps_unchanged(loaded):
    service = Service.objects.get(slug="alokon-ciamis")

    assert sheet_steps(service) == steps_in_force("alokon")
    assert sheet_steps(service)[0] is sop_models()["alokon"].workflow


def test_the_two_desks_sheets_have_their_own_steps_fingerprints(loaded):
    ciamis, ciamis_key = sheet_steps(Service.objects.get(slug=CIAMIS))
    purwakarta, purwakarta_key = sheet_steps(Service.objects.get(slug=PURWAKARTA))

    assert [step.name for step in ciamis.steps] == CIAMIS_STEPS
    assert [step.name for step in purwakarta.steps] == PURWAKARTA_STEPS
    assert len({ciamis_key, purwakarta_key, fingerprint(COMPLAINTS)}) == 3
    assert ciamis_key == fingerprint(COMPLAINTS.path_from(TEAM_REVIEW))
    assert purwakarta_key == fingerprint(COMPLAINTS.path_from(OFFICER_RESPONSE))


@pytest.mark.parametrize("start", [TEAM_REVIEW, OFFICER_RESPONSE])
def test_a_path_cut_from_a_kept_table_has_the_current_paths_fingerprint(start):
    """A version key computed now and one computed for a moment since the last deploy must agree."""
    rebuilt = workflow_from(declaration(COMPLAINTS))

    assert fingerprint(rebuilt.path_from(start)) == fingerprint(COMPLAINTS.path_from(start))


def test_a_changed_procedure_changes_the_sheet_and_redoes_its_rendering(
    client, desks, django_capture_on_commit_callbacks
):
    service = Service.objects.select_related("unit").get(slug=PURWAKARTA)
    assert "Cek data" not in sop_page(client, PURWAKARTA)
    before = SOPSheet(service).version().key

    with django_capture_on_commit_callbacks(execute=True):
        desk = Desk.objects.get(service=service)
        desk.procedure = Desk.Procedure.TEAM_REVIEW
        desk.save()

    assert SOPSheet(service).version().key != before
    assert not Publication.objects.filter(stale=True).exists()  # redone once committed
    text = sop_page(client, PURWAKARTA)
    assert "Cek data" in text and PURWAKARTA_STEPS[0] not in text


def keep_an_older_table(workflow):
    """Keep `workflow` as the complaints table in force just now, and today's as taken after it (a deploy since)."""
    now = timezone.now()
    StepsSnapshot.objects.filter(app="complaints").update(taken_at=now)
    StepsSnapshot.objects.create(
        app="complaints", fingerprint=fingerprint(workflow), declaration=declaration(workflow),
        taken_at=now - timedelta(seconds=1),
    )
    return now - timedelta(microseconds=1)


def renamed(workflow, code, name):
    return dataclasses.replace(
        workflow, steps=tuple(dataclasses.replace(s, name=name) if s.code == code else s for s in workflow.steps)
    )


def test_an_older_version_prints_the_desks_way_of_the_table_in_force_then(client, desks):
    older = renamed(COMPLAINTS, "field", "Verifikasi lapangan oleh tim")
    older = renamed(older, "official", "Kepala Bidang menyelesaikan")
    moment = versions.version_param(keep_an_older_table(older))

    ciamis = sop_page(client, CIAMIS, versi=moment)
    assert "Verifikasi lapangan oleh tim" in ciamis
    assert "Kepala Bidang menyelesaikan" not in ciamis and PURWAKARTA_STEPS[0] not in ciamis
    purwakarta = sop_page(client, PURWAKARTA, versi=moment)
    assert "Kepala Bidang menyelesaikan" in purwakarta and PURWAKARTA_STEPS[0] in purwakarta
    assert "Cek data" not in purwakarta and "Verifikasi lapangan" not in purwakarta
    # Today's sheets print today's steps.
    assert "Verifikasi lapangan oleh tim" not in sop_page(client, CIAMIS)
    assert "Kepala Bidang menyelesaikan" not in sop_page(client, PURWAKARTA)


def test_an_older_table_without_the_desks_way_prints_whole_as_it_was_then(desks):
    ciamis_only = dataclasses.replace(
        COMPLAINTS, start_steps=(), steps=COMPLAINTS.steps[:4], tasks=(),
    )
    moment = keep_an_older_table(ciamis_only)

    workflow, key = sheet_steps(Service.objects.get(slug=PURWAKARTA), moment)

    assert [step.name for step in workflow.steps] == CIAMIS_STEPS
    assert key == fingerprint(ciamis_only)
