"""The printed standards, SOP sheets and decree: every word of the page on paper, cached per version."""

import dataclasses
import logging
import re
from io import BytesIO, StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

import publications.publishing
from alokon.models import Distribution
from portal.models import sop_models
from publications import versions
from publications.models import Decree, SOPDocument, StandardComponent

SERVICES = ["p2tp2a-ciamis", "alokon-ciamis", "identitas-ppks-purwakarta"]
MARKER = re.compile(r"^\s*(?:[a-z]\.|\d+\.|-)\s+")
# Printed on every page, between the lines of a row that runs over a page break.
FOOTER = re.compile(r"(?:Tanggal efektif [^·\n]*· |Ditetapkan [^·\n]*· )?Dicetak pada \d{1,2} \w+ \d{4} \d\d\.\d\d WIB|Halaman \d+ dari \d+")
# The mark beside a text kept as printed (publications.templatetags.documents.as_printed_marked), squashed.
AS_PRINTED_MARK = re.compile(r"\(tertulisdemikiandalamdokumenasli;lihatCatatanpenyusunan\d+\)")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


class Renders(list):
    """The documents printed, as (template, service slug or decree pk)."""

    def of(self, kind, key):
        return self.count((f"publications/documents/{kind}.html", key))


@pytest.fixture
def renders(monkeypatch):
    calls = Renders()
    real_render_pdf = publications.publishing.render_pdf

    def counting_render_pdf(template_name, context, **kwargs):
        key = context["service"].slug if "service" in context else context["decree"].pk
        calls.append((template_name, key))
        return real_render_pdf(template_name, context, **kwargs)

    monkeypatch.setattr(publications.publishing, "render_pdf", counting_render_pdf)
    return calls


def squash(text):
    return re.sub(r"\s+", "", text)


class Printed:
    """A PDF's text, read as pypdf extracts it: whitespace, line wraps and page footers ignored."""

    def __init__(self, pdf: bytes):
        self.reader = PdfReader(BytesIO(pdf))
        self.pages = [AS_PRINTED_MARK.sub("", squash(FOOTER.sub("", page.extract_text()))) for page in self.reader.pages]

    def __contains__(self, expected):
        wanted = squash(expected)
        if any(wanted in page for page in self.pages):
            return True
        # A table row that runs over a page: its start ends one page, the rest follows the repeated header.
        return any(
            page.endswith(wanted[:cut]) and wanted[cut:] in following
            for page, following in zip(self.pages, self.pages[1:])
            for cut in range(1, len(wanted))
        )

    @property
    def landscape(self):
        box = self.reader.pages[0].mediabox
        return box.width > box.height


def deploy():
    """What a deploy's `migrate` does for the kept SOP tables: its post_migrate signal. The test database is built
    from the models, without migration history, so the migrations themselves are not replayed."""
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def get_pdf(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response


def content_lines(content):
    return [MARKER.sub("", line) for line in content.splitlines() if line.strip()]


@pytest.mark.parametrize("slug", SERVICES)
def test_the_standard_pdf_prints_every_component(client, loaded, slug):
    printed = Printed(get_pdf(client, "public_standard_pdf", slug).content)

    assert not printed.landscape
    components = StandardComponent.objects.filter(service_id=slug)
    assert components.count() >= 11
    for component in components:
        assert f"{component.number} {component.label}" in printed, component.label
        for line in content_lines(component.content):
            assert line in printed, f"{component.label}: {line!r}"


def test_the_standard_pdf_has_the_letterhead_title_and_section_rows(client, loaded):
    printed = Printed(get_pdf(client, "public_standard_pdf", "p2tp2a-ciamis").content)

    assert "PEMERINTAH KABUPATEN CIAMIS" in printed
    assert "Jalan Jenderal Ahmad Yani No. 38 Ciamis" in printed
    # The seed's heading and long title, as printed.
    assert (
        "STANDAR PELAYANAN PUBLIK PADA DINAS PENGENDALIAN PENDUDUK, KELUARGA BERENCANA, PEMBERDAYAAN PEREMPUAN DAN"
        " PERLINDUNGAN ANAK KABUPATEN CIAMIS STANDAR PELAYANAN DAN PENDAMPINGAN PUSAT PELAYANAN TERPADU PEMBERDAYAAN"
        " PEREMPUAN DAN PERLINDUNGAN ANAK (P2TP2A)"
    ) in printed
    assert "No. Komponen Uraian A Service Delivery (Proses Penyampaian Pelayanan)" in printed
    assert "B Manufacturing (Proses Pengelolaan Pelayanan di Internal Organisasi)" in printed


def test_a_long_standard_repeats_its_header_row_on_every_page(client, loaded):
    printed = Printed(get_pdf(client, "public_standard_pdf", "alokon-ciamis").content)

    assert len(printed.pages) > 1
    assert all(page.startswith(squash("No. Komponen Uraian")) for page in printed.pages[1:])


@pytest.mark.parametrize("slug", SERVICES)
def test_the_sop_pdf_prints_its_header_lists_and_every_step_on_landscape_pages(client, loaded, slug):
    printed = Printed(get_pdf(client, "public_sop_pdf", slug).content)
    sop = SOPDocument.objects.select_related("service").get(service_id=slug)
    workflow = sop_models()[sop.service.app].workflow

    assert printed.landscape
    for value in [sop.sheet_title, sop.number, sop.approver_title, sop.approver_name, sop.name, sop.title]:
        assert value in printed
    for label in ["Nomor", "Tanggal Pembuatan", "Tanggal Efektif", "Disahkan oleh", "Nama SOP"]:
        assert label in printed
    lines = [
        *sop.legal_bases_lines, *sop.qualifications_lines, *sop.related_sops_lines,
        *sop.equipment_lines, *sop.warnings_lines, *sop.records_lines,
    ]
    for line in lines:
        assert line in printed, line
    for step in workflow.steps:
        assert f"{step.number} {step.name}" in printed, step.name
        assert step.output in printed
        assert step.printed_requirements in printed
    for executor in workflow.executors:
        assert executor.label in printed
    assert "Keterangan simbol" in printed


def test_the_sop_pdf_prints_the_agency_in_its_header_block(client, loaded):
    printed = Printed(get_pdf(client, "public_sop_pdf", "identitas-ppks-purwakarta").content)

    assert "PEMERINTAH KABUPATEN PURWAKARTA DINAS SOSIAL PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK Nomor" in printed
    assert "Kepala Bidang Rehabilitasi dan Pemberdayaan Sosial" in printed


@pytest.mark.parametrize("slug", SERVICES)
def test_the_sop_pdf_starts_its_activity_table_where_its_first_three_steps_fit(client, loaded, slug):
    printed = Printed(get_pdf(client, "public_sop_pdf", slug).content)
    workflow = sop_models()[SOPDocument.objects.get(service_id=slug).service.app].workflow

    start = next(page for page in printed.pages if squash("No Uraian Kegiatan") in page)
    for step in workflow.steps[:3]:
        assert squash(f"{step.number} {step.name}") in start, step.name
    # The legend lists only what the table draws: an off-page connector where the table runs over a page break.
    table_pages = sum(squash("No Uraian Kegiatan") in page for page in printed.pages)
    assert ("Penghubung antarhalaman" in printed) == (table_pages > 1)


def test_the_sop_pdf_keeps_a_section_heading_with_its_first_step(client, loaded):
    printed = Printed(get_pdf(client, "public_sop_pdf", "alokon-ciamis").content)

    heading = next(page for page in printed.pages if squash("II. Penggunaan Alat") in page)
    assert squash("6 Menerima dan mencatat alat kontrasepsi") in heading


@pytest.mark.parametrize(
    "slug, decision, labels",
    [
        ("alokon-ciamis", "2 Penerbitan SPMB", ["Setujui SPMB", "Tolak", "Ditolak"]),
        ("identitas-ppks-purwakarta", "2 Kepala Bidang Rehdayasos mengkaji", ["Lanjutkan", "Tidak dilanjutkan"]),
    ],
)
def test_the_sop_pdf_labels_both_branches_of_a_decision(client, loaded, slug, decision, labels):
    printed = Printed(get_pdf(client, "public_sop_pdf", slug).content)

    page = next(page for page in printed.pages if squash(decision) in page)
    for label in labels:
        assert squash(label) in page, label


def test_the_sop_pdf_loads_the_flowchart_stylesheet(client, loaded, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        get_pdf(client, "public_sop_pdf", "alokon-ciamis")

    assert "sop.css" not in caplog.text
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.ERROR]


def test_the_decree_pdf_prints_every_item(client, loaded):
    decree = Decree.objects.get()
    printed = Printed(get_pdf(client, "public_decree_pdf", decree.pk).content)

    assert not printed.landscape
    assert f"KEPUTUSAN BUPATI CIAMIS NOMOR : {decree.number} LAMPIRAN : 1 (satu) TENTANG {decree.title}" in printed
    assert "BUPATI CIAMIS, Menimbang : a. bahwa Standar" in printed
    assert "Mengingat : 1. Undang-Undang Nomor 14 Tahun 1950" in printed
    for line in [*decree.considerations_lines, *decree.legal_bases_lines, *decree.copies_to_lines]:
        assert line in printed, line
    assert "MEMUTUSKAN: Menetapkan :" in printed
    for decision in decree.decisions.all():
        assert f"{decision.ordinal} :" in printed
        for line in content_lines(decision.text):
            assert line in printed, line
    assert "Ditetapkan di Ciamis pada tanggal Nopember 2024 a.n BUPATI CIAMIS" in printed
    assert f"{decree.signatory_title} {decree.signatory_name} NIP. {decree.signatory_nip}" in printed
    assert "Tembusan : Yth. 1. Bapak Bupati Ciamis;" in printed


def test_the_pdfs_are_named_after_their_document(client, loaded):
    pk = Decree.objects.get().pk
    names = {
        reverse("public_standard_pdf", args=["alokon-ciamis"]): "standar-pelayanan-alokon-ciamis.pdf",
        reverse("public_sop_pdf", args=["alokon-ciamis"]): "sop-alokon-ciamis.pdf",
        reverse("public_decree_pdf", args=[pk]): f"keputusan-bupati-dppkbpppa-ciamis-{pk}.pdf",
    }
    for url, name in names.items():
        assert client.get(url)["Content-Disposition"] == f'inline; filename="{name}"'


def test_an_old_version_is_named_after_its_date(client, loaded):
    moment = timezone.now()
    response = get_pdf(client, "public_standard_pdf", "alokon-ciamis", versi=versions.version_param(moment))

    assert re.search(r'filename="standar-pelayanan-alokon-ciamis-versi-\d{8}-\d{4}\.pdf"', response["Content-Disposition"])


def test_a_second_request_is_served_from_the_stored_rendering(client, loaded, renders):
    pk = Decree.objects.get().pk
    urls = [
        reverse("public_standard_pdf", args=["alokon-ciamis"]),
        reverse("public_sop_pdf", args=["alokon-ciamis"]),
        reverse("public_decree_pdf", args=[pk]),
    ]
    first = [client.get(url).content for url in urls]
    assert len(renders) == 3

    second = [client.get(url).content for url in urls]
    assert len(renders) == 3
    assert second == first


def test_a_component_edit_is_rendered_once_it_is_committed(client, loaded, renders, django_capture_on_commit_callbacks):
    url = reverse("public_standard_pdf", args=["alokon-ciamis"])
    before_edit = timezone.now()
    client.get(url)
    component = StandardComponent.objects.get(service_id="alokon-ciamis", label="Jangka Waktu Pelayanan")
    component.content = "3 (tiga) hari kerja"
    with django_capture_on_commit_callbacks(execute=True):
        component.save()
    assert renders.of("standard", "alokon-ciamis") == 2

    current = Printed(client.get(url).content)
    assert "Jangka Waktu Pelayanan 3 (tiga) hari kerja" in current
    assert renders.of("standard", "alokon-ciamis") == 2  # served, not rendered again

    old = Printed(client.get(url, {"versi": versions.version_param(before_edit)}).content)
    assert "Jangka Waktu Pelayanan 2 hari" in old
    assert "3 (tiga) hari kerja" not in old
    assert renders.of("standard", "alokon-ciamis") == 3
    client.get(url, {"versi": versions.version_param(before_edit)})
    assert renders.of("standard", "alokon-ciamis") == 3  # an old version is cached once rendered


def test_an_sop_or_decree_edit_produces_a_new_pdf(client, loaded, renders, django_capture_on_commit_callbacks):
    decree = Decree.objects.get()
    sop_url, decree_url = reverse("public_sop_pdf", args=["p2tp2a-ciamis"]), reverse("public_decree_pdf", args=[decree.pk])
    client.get(sop_url), client.get(decree_url)
    with django_capture_on_commit_callbacks(execute=True):
        sop = SOPDocument.objects.get(service_id="p2tp2a-ciamis")
        sop.warnings = "Kerahasiaan korban wajib dijaga"
        sop.save()
        keempat = decree.decisions.get(ordinal="KEEMPAT")
        keempat.text = "Keputusan Bupati ini mulai berlaku pada tanggal diundangkan."
        keempat.save()

    assert "Kerahasiaan korban wajib dijaga" in Printed(client.get(sop_url).content)
    assert "KEEMPAT : Keputusan Bupati ini mulai berlaku pada tanggal diundangkan." in Printed(client.get(decree_url).content)
    assert (renders.of("sop", "p2tp2a-ciamis"), renders.of("decree", decree.pk)) == (2, 2)


def test_a_letterhead_edit_produces_a_new_pdf(client, loaded, django_capture_on_commit_callbacks):
    url = reverse("public_standard_pdf", args=["identitas-ppks-purwakarta"])
    client.get(url)
    agency = SOPDocument.objects.get(service_id="identitas-ppks-purwakarta").service.unit.letterhead_unit()
    agency.address = "Jl. Veteran No. 1 Purwakarta 41111"
    with django_capture_on_commit_callbacks(execute=True):
        agency.save()

    assert "Jl. Veteran No. 1 Purwakarta 41111" in Printed(client.get(url).content)


def test_a_changed_workflow_step_changes_the_sop_pdf_at_the_next_publish(client, loaded, monkeypatch, renders):
    url = reverse("public_sop_pdf", args=["alokon-ciamis"])
    assert "Penerbitan SPMB" in Printed(client.get(url).content)
    before_deploy = timezone.now()

    workflow = Distribution.workflow
    steps = tuple(
        dataclasses.replace(step, name="Penerbitan dan persetujuan SPMB oleh Sekretaris") if step.code == "spmb" else step
        for step in workflow.steps
    )
    monkeypatch.setattr(Distribution, "workflow", dataclasses.replace(workflow, steps=steps))
    deploy()  # keeps the new activity table from now on
    call_command("publish", stdout=StringIO())

    assert renders.of("sop", "alokon-ciamis") == 2
    printed = Printed(client.get(url).content)
    assert "2 Penerbitan dan persetujuan SPMB oleh Sekretaris" in printed
    old = Printed(client.get(url, {"versi": versions.version_param(before_deploy)}).content)
    assert "2 Penerbitan SPMB" in old
    assert "persetujuan SPMB oleh Sekretaris" not in old


@pytest.mark.parametrize(
    "value", ["kemarin", "2025-02-30", "0001-01-01T00:00:00+14:00", "10000-01-01", "2025-06-01T10:00:00+99:00", "2025-06-01\x00"]
)
def test_a_bad_version_of_a_pdf_is_404(client, loaded, value):
    pk = Decree.objects.get().pk
    for url in [
        reverse("public_standard_pdf", args=["alokon-ciamis"]),
        reverse("public_sop_pdf", args=["alokon-ciamis"]),
        reverse("public_decree_pdf", args=[pk]),
    ]:
        assert client.get(url, {"versi": value}).status_code == 404


def test_a_version_before_the_documents_existed_is_404(client, loaded):
    pk = Decree.objects.get().pk
    for url in [
        reverse("public_standard_pdf", args=["alokon-ciamis"]),
        reverse("public_sop_pdf", args=["alokon-ciamis"]),
        reverse("public_decree_pdf", args=[pk]),
    ]:
        assert client.get(url, {"versi": "2000-01-01"}).status_code == 404


def test_the_version_key_follows_the_latest_change_up_to_the_moment(loaded):
    service = SOPDocument.objects.get(service_id="alokon-ciamis").service
    before_edit = timezone.now()
    current = versions.standard_version(service)
    assert versions.standard_version(service, before_edit) == current

    component = service.components.first()
    component.content += " (diubah)"
    component.save()

    assert versions.standard_version(service, before_edit) == current
    edited = versions.standard_version(service)
    assert edited.key != current.key
    assert edited.changed_at > current.changed_at
