"""Whatever an Admin types into a document's or a letterhead's fields is printed as text: it can neither blank a
PDF by reaching its stylesheet nor add markup to a public page."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.models import Service, sop_models
from publications.models import Decree, ServiceStandard, SOPDocument, StandardComponent
from tests.publications.test_printed_sheets import Printed, get_pdf, squash

# A newline ends a CSS string; what follows it would be read as rules that hide every page.
HOSTILE = 'Nopember 2024\n} } * { visibility: hidden } "kutip" \\ </style> <b>x</b>'


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def words(text):
    return " ".join(text.split())


def footer(printed, label, value):
    """The footer as printed on every page: the document's date as printed, then when the file was made."""
    expected = squash(f"{label} {words(value)} · Dicetak pada")
    return all(expected in squash(page.extract_text()) for page in printed.reader.pages)


def hostile_letterhead(service_slug):
    agency = Service.objects.get(slug=service_slug).unit.letterhead_unit()
    for name in ["government_name", "agency_name", "address", "phone", "fax", "email", "website"]:
        setattr(agency, name, f"{name} {HOSTILE}")
    agency.save()
    return agency


def hostile_sop(slug):
    sop = SOPDocument.objects.get(service_id=slug)
    sop.effective_on = sop.made_on = sop.approved_on = HOSTILE
    sop.number = f"000.8.3.3 {HOSTILE}"
    sop.approver_name = f"Dr. DIAN {HOSTILE}"
    sop.save()
    return sop


def assert_activity_table(printed, slug):
    workflow = sop_models()[SOPDocument.objects.get(service_id=slug).service.app].workflow
    for step in workflow.steps:
        assert f"{step.number} {step.name}" in printed, step.name
        assert step.output in printed, step.output


def test_a_newline_or_quote_in_the_sop_header_leaves_the_sop_pdf_whole(client, loaded):
    sop = hostile_sop("alokon-ciamis")
    hostile_letterhead("alokon-ciamis")  # not printed on an SOP sheet, but in its HTML all the same

    printed = Printed(get_pdf(client, "public_sop_pdf", "alokon-ciamis").content)

    assert_activity_table(printed, "alokon-ciamis")
    assert footer(printed, "Tanggal efektif", HOSTILE)
    for value in [sop.number, sop.approver_name, sop.effective_on]:
        assert words(value) in printed, value


def test_a_newline_or_quote_in_the_decree_and_its_sheets_leaves_the_decree_pdf_and_its_lampiran_whole(client, loaded):
    decree = Decree.objects.get()
    decree.date_text = HOSTILE
    decree.number = f"000.8.3.3 / Kpts.122 {HOSTILE}"
    decree.save()
    for slug in ["p2tp2a-ciamis", "alokon-ciamis"]:
        hostile_sop(slug)
    agency = hostile_letterhead("alokon-ciamis")

    printed = Printed(get_pdf(client, "public_decree_pdf", decree.pk).content)

    for line in decree.considerations_lines:
        assert line in printed, line
    assert squash(f"LAMPIRAN KEPUTUSAN BUPATI CIAMIS NOMOR {words(decree.number)} TANGGAL {words(HOSTILE)}") in printed
    for slug in ["p2tp2a-ciamis", "alokon-ciamis"]:
        assert_activity_table(printed, slug)
    assert footer(printed, "Ditetapkan", HOSTILE)
    assert words(agency.address) in printed


def test_a_newline_or_quote_in_the_standard_or_its_letterhead_leaves_the_standard_pdf_whole(client, loaded):
    heading = ServiceStandard.objects.get(service_id="alokon-ciamis")
    heading.dated = HOSTILE
    heading.title = f"STANDAR PELAYANAN {HOSTILE}"
    heading.save()
    agency = hostile_letterhead("alokon-ciamis")

    printed = Printed(get_pdf(client, "public_standard_pdf", "alokon-ciamis").content)

    for component in StandardComponent.objects.filter(service_id="alokon-ciamis"):
        assert f"{component.number} {component.label}" in printed, component.label
    assert footer(printed, "", HOSTILE)
    assert words(agency.government_name).upper() in printed  # the kop prints these two in capitals
    assert words(agency.agency_name).upper() in printed
    assert words(agency.address) in printed
