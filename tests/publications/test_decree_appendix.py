"""The published decree: its Lampiran (the SOP sheets it enacts, printed after it, each page headed with the
decree) and its public page."""

import dataclasses
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from alokon.models import Distribution
from portal.models import sop_models
from publications import versions
from publications.models import Decree, SOPDocument
from tests.publications.test_printed_sheets import Printed, deploy, get_pdf, squash

ENACTED = ["p2tp2a-ciamis", "alokon-ciamis"]  # as KEDUA of the Ciamis decree lists them


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def heading(decree):
    return f"LAMPIRAN KEPUTUSAN BUPATI CIAMIS NOMOR {decree.number} TANGGAL {decree.date_text}"


def decree_pdf(client, decree, **params):
    return Printed(get_pdf(client, "public_decree_pdf", decree.pk, **params).content)


def appendix_pages(printed):
    return [page for page, box in zip(printed.pages, printed.reader.pages) if box.mediabox.width > box.mediabox.height]


def test_the_decree_is_portrait_and_its_appendix_landscape_each_page_headed_with_the_decree(client, loaded):
    decree = Decree.objects.get()
    printed = decree_pdf(client, decree)

    appendix = appendix_pages(printed)
    decree_pages = printed.pages[: len(printed.pages) - len(appendix)]
    assert printed.pages[-len(appendix):] == appendix  # the Lampiran follows the decree, all of it
    assert len(appendix) >= len(ENACTED)
    assert all(squash(heading(decree)) in page for page in appendix)
    assert not any(squash(heading(decree)) in page for page in decree_pages)


@pytest.mark.parametrize("slug", ENACTED)
def test_the_appendix_prints_each_enacted_sop_sheet_with_every_step(client, loaded, slug):
    sop = SOPDocument.objects.select_related("service").get(service_id=slug)
    workflow = sop_models()[sop.service.app].workflow
    appendix = decree_pdf(client, Decree.objects.get())
    appendix.pages = appendix_pages(appendix)  # only these: the decree itself names the SOPs too

    for value in [sop.sheet_title, sop.number, sop.name, sop.title, sop.approver_name, *sop.legal_bases_lines]:
        assert value in appendix, value
    for step in workflow.steps:
        assert f"{step.number} {step.name}" in appendix, step.name
        assert step.output in appendix
    assert "Keterangan simbol" in appendix


def sheets(printed, decree) -> dict[str, list[str]]:
    """The appendix pages of each enacted sheet, by service slug, in the order they are printed."""
    starts = {}
    appendix = [page.replace(squash(heading(decree)), "") for page in appendix_pages(printed)]
    for slug in ENACTED:
        title = squash(SOPDocument.objects.get(service_id=slug).sheet_title)
        [starts[slug]] = [i for i, page in enumerate(appendix) if page.startswith(title)]  # one first page
    ordered = sorted(starts, key=starts.get)
    ends = [starts[slug] for slug in ordered[1:]] + [len(appendix)]
    return {slug: appendix[starts[slug]:end] for slug, end in zip(ordered, ends)}


def test_each_sheet_starts_on_a_page_of_its_own_in_the_order_the_decree_lists_them(client, loaded):
    decree = Decree.objects.get()

    assert list(sheets(decree_pdf(client, decree), decree)) == ENACTED


def test_a_draft_sheet_says_so_on_its_own_pages_only(client, loaded):
    decree = Decree.objects.get()
    SOPDocument.objects.filter(service_id="alokon-ciamis").update(approver_name="")
    printed = decree_pdf(client, decree)
    draft = squash("RANCANGAN - belum ditetapkan")

    alokon = sheets(printed, decree)["alokon-ciamis"]
    assert alokon and all(draft in page for page in alokon)
    assert sum(draft in page for page in printed.pages) == len(alokon)


def test_a_sop_the_decree_does_not_enact_is_not_appended(client, loaded):
    other = SOPDocument.objects.get(service_id="identitas-ppks-purwakarta")
    printed = decree_pdf(client, Decree.objects.get())

    assert other.name not in printed


def test_the_appendix_prints_an_old_sheet_as_it_stood_then(client, loaded):
    decree = Decree.objects.get()
    before_edit = timezone.now()
    sop = SOPDocument.objects.get(service_id="alokon-ciamis")
    sop.number = "000.8.3.3/2000 - DPPKBPPPA.1"
    sop.save()

    assert "000.8.3.3/2000 - DPPKBPPPA.1" in decree_pdf(client, decree)
    old = decree_pdf(client, decree, versi=versions.version_param(before_edit))
    assert "000.8.3.3/1954 - DPPKBPPPA.1" in old
    assert "000.8.3.3/2000" not in old


def test_the_decree_version_changes_with_an_enacted_sheet(loaded):
    decree = Decree.objects.get()
    before_edit = timezone.now()
    current = versions.decree_version(decree)

    sop = SOPDocument.objects.get(service_id="p2tp2a-ciamis")
    sop.warnings = "Kerahasiaan korban wajib dijaga"
    sop.save()

    edited = versions.decree_version(decree)
    assert edited.key != current.key
    assert edited.changed_at > current.changed_at
    assert versions.decree_version(decree, before_edit) == current


def test_the_decree_version_ignores_a_sheet_it_does_not_enact(loaded):
    decree = Decree.objects.get()
    current = versions.decree_version(decree)

    other = SOPDocument.objects.get(service_id="identitas-ppks-purwakarta")
    other.warnings = "Data PPKS wajib dijaga"
    other.save()

    assert versions.decree_version(decree) == current


def rename_the_spmb_step(monkeypatch):
    """As if ALOKON's workflow.py had been changed and deployed."""
    workflow = Distribution.workflow
    steps = tuple(
        dataclasses.replace(step, name="Penerbitan dan persetujuan SPMB oleh Sekretaris") if step.code == "spmb" else step
        for step in workflow.steps
    )
    monkeypatch.setattr(Distribution, "workflow", dataclasses.replace(workflow, steps=steps))


def test_the_decree_version_changes_with_the_steps_of_an_enacted_sheet(loaded, monkeypatch):
    decree = Decree.objects.get()
    current = versions.decree_version(decree)

    rename_the_spmb_step(monkeypatch)

    assert versions.decree_version(decree).key != current.key


def test_a_changed_step_reaches_the_stored_decree_at_the_next_publish(client, loaded, monkeypatch):
    decree = Decree.objects.get()
    url = reverse("public_decree_pdf", args=[decree.pk])
    assert "2 Penerbitan SPMB" in Printed(client.get(url).content)

    rename_the_spmb_step(monkeypatch)
    deploy()
    call_command("publish", stdout=StringIO())

    assert "2 Penerbitan dan persetujuan SPMB oleh Sekretaris" in Printed(client.get(url).content)


def test_a_sheet_edit_reaches_the_stored_decree_once_committed(client, loaded, django_capture_on_commit_callbacks):
    decree = Decree.objects.get()
    url = reverse("public_decree_pdf", args=[decree.pk])
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        sop = SOPDocument.objects.get(service_id="p2tp2a-ciamis")
        sop.warnings = "Kerahasiaan korban wajib dijaga"
        sop.save()

    assert "Kerahasiaan korban wajib dijaga" in Printed(client.get(url).content)


def test_the_decree_page_opens_with_its_heading_before_the_pdf_button(client, loaded):
    decree = Decree.objects.get()
    page = client.get(reverse("public_decree", args=[decree.pk])).content.decode()

    [h1] = re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.DOTALL)
    assert squash(h1) == squash(escape(f"Keputusan Bupati Ciamis Nomor {decree.number}"))
    assert escape(f"tentang {decree.title}") in page
    assert page.index("<h1") < page.index("Unduh PDF")
