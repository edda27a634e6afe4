"""Whatever an Admin types into a document's or a letterhead's fields is printed as text: it can neither blank a
PDF by reaching its stylesheet nor add markup to a public page."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.models import Service, sop_models
from publications.models import Decree, ServiceStandard, SOPDocument, StandardComponent
from tests.publications.test_printed_sheets import Printed, get_pdf, squash

# A newline ends a CSS string; what follows it would be read as rules that hide every page. Short enough for a
# date field (60 characters), which PostgreSQL holds to its length.
HOSTILE = 'Nop 2024\n}} *{visibility:hidden} "k" \\ </style><b>x</b>'
assert len(HOSTILE) <= 60


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


MARKUP = '<script>alert(1)</script><style>*{}</style><b onclick="x">'  # fits a 60-character field
assert len(MARKUP) <= 60


def test_the_public_pages_print_markup_in_free_text_as_text(client, loaded):
    heading = ServiceStandard.objects.get(service_id="alokon-ciamis")
    heading.heading = heading.title = heading.dated = MARKUP
    heading.save()
    for component in StandardComponent.objects.filter(service_id="alokon-ciamis"):
        component.label, component.content, component.section = f"{component.label} {MARKUP}", MARKUP, MARKUP
        component.save()
    sop = SOPDocument.objects.get(service_id="alokon-ciamis")
    for name in ["sheet_title", "title", "number", "effective_on", "approver_title", "approver_name", "name",
                 "header_agency", "legal_bases", "warnings", "records"]:
        setattr(sop, name, MARKUP)
    sop.save()
    decree = Decree.objects.get()
    decree.title = decree.considerations = decree.date_text = MARKUP
    decree.save()
    decree.decisions.update(text=MARKUP)
    hostile_letterhead("alokon-ciamis")

    for url in [
        reverse("public_index"),
        reverse("public_standard", args=["alokon-ciamis"]),
        reverse("public_sop", args=["alokon-ciamis"]),
        reverse("public_decree", args=[decree.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert "<script>" not in page and "<style>*{}" not in page and "<b onclick" not in page, url


def test_a_website_that_is_not_an_http_address_is_shown_but_not_linked(client, loaded):
    agency = Service.objects.get(slug="alokon-ciamis").unit.letterhead_unit()
    agency.website = "javascript://%0Aalert(document.cookie)"
    agency.save()

    page = client.get(reverse("public_index")).content.decode()

    assert "javascript:" not in re.sub(r">[^<]*<", "><", page)  # in no attribute
    assert "javascript://%0Aalert(document.cookie)</li>" in page
    assert 'href="https://dinsosp3a.purwakartakab.go.id"' in page  # a bare host is still linked
