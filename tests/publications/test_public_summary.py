"""The public standard page's summary card, the public header and the terms the public pages use."""

import html
import re
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Service, ServiceHours, Unit
from publications import versions
from publications.agencies import hours_lines
from publications.models import Decree, StandardComponent
from publications.publishing import publish_all
from publications.summary import COMPLAINT, DURATION, REQUIREMENTS, find_component
from publications.templatetags.documents import content_html

ALL_FIVE = ["Persyaratan", "Biaya/Tarif", "Jangka Waktu", "Jam pelayanan", "Pengaduan"]
TAG = re.compile(r"<[^>]+>")


def summary_html(response):
    assert response.status_code == 200
    match = re.search(r'<section class="[^"]*service-summary.*?</section>', response.content.decode(), re.S)
    return match[0] if match else ""


def summary_titles(section):
    return [html.unescape(title) for title in re.findall(r"<dt[^>]*>(.*?)</dt>", section)]


def header_text(response):
    header = re.search(r"<header.*?</header>", response.content.decode(), re.S)[0]
    return " ".join(html.unescape(TAG.sub(" ", header)).split())


def standard_page(client, slug, **query):
    return client.get(reverse("public_standard", args=[slug]), query)


@pytest.mark.parametrize("slug", ["p2tp2a-ciamis", "identitas-ppks-purwakarta"])
def test_the_summary_shows_the_five_items_from_the_standards_own_components(client, loaded, slug):
    section = summary_html(standard_page(client, slug))

    assert "Ringkasan layanan" in section
    assert summary_titles(section) == ALL_FIVE
    components = StandardComponent.objects.filter(service_id=slug)
    for keyword in ["persyaratan", "biaya", "jangka waktu", "pengaduan"]:
        component = components.get(label__icontains=keyword)
        assert content_html(component.content) in section, component.label


def test_a_standard_without_a_complaint_component_leaves_that_item_out(client, loaded):
    # The ALOKON seed's standard has no "Pengaduan" row: the summary invents none.
    assert not StandardComponent.objects.filter(service_id="alokon-ciamis", label__icontains="pengaduan").exists()

    section = summary_html(standard_page(client, "alokon-ciamis"))

    assert summary_titles(section) == ["Persyaratan", "Biaya/Tarif", "Jangka Waktu", "Jam pelayanan"]
    assert content_html("Gratis") in section


def test_the_summary_stands_above_the_standards_table(client, loaded):
    page = standard_page(client, "p2tp2a-ciamis").content.decode()

    assert 0 < page.index("service-summary") < page.index("standard-table")


def test_the_summary_gives_the_units_hours_as_the_index_does(client, loaded):
    service = Service.objects.get(slug="identitas-ppks-purwakarta")
    lines = hours_lines(service.unit.service_hours())
    assert lines  # the division has none of its own: its agency's

    section = summary_html(standard_page(client, service.slug))

    for line in lines:
        assert line in section
    assert lines[0] in client.get(reverse("public_index")).content.decode()


def test_a_service_whose_unit_has_no_hours_shows_no_hours_item(client, loaded):
    ServiceHours.objects.filter(unit__code="dppkbpppa-ciamis").delete()
    publish_all()

    assert summary_titles(summary_html(standard_page(client, "alokon-ciamis"))) == [
        "Persyaratan", "Biaya/Tarif", "Jangka Waktu",
    ]


def test_an_older_version_shows_its_table_without_the_current_summary(client, loaded):
    moment = timezone.now()
    page = standard_page(client, "alokon-ciamis", versi=versions.version_param(moment))

    assert "Lihat versi terkini" in page.content.decode()
    assert summary_html(page) == ""


def test_a_changed_component_changes_the_summary(client, loaded, django_capture_on_commit_callbacks):
    standard_page(client, "alokon-ciamis")  # rendered and stored
    component = StandardComponent.objects.get(service_id="alokon-ciamis", label="Biaya/Tarif")
    component.content = "Tidak dipungut biaya"
    with django_capture_on_commit_callbacks(execute=True):
        component.save()

    assert content_html("Tidak dipungut biaya") in summary_html(standard_page(client, "alokon-ciamis"))


def test_changed_service_hours_reach_the_stored_standard_page(client, loaded, django_capture_on_commit_callbacks):
    standard_page(client, "alokon-ciamis")  # rendered and stored
    friday = ServiceHours.objects.get(unit__code="dppkbpppa-ciamis", weekday=4)
    friday.closes = time(11, 30)
    with django_capture_on_commit_callbacks(execute=True):
        friday.save()

    assert "Jumat 08.00 – 11.30 WIB" in summary_html(standard_page(client, "alokon-ciamis"))


@pytest.mark.parametrize(
    ("labels", "keywords", "found"),
    [
        (["Dasar Hukum", "PERSYARATAN  PELAYANAN", "Persyaratan Teknis"], REQUIREMENTS, "PERSYARATAN  PELAYANAN"),
        (["Waktu Pelayanan", "Jangka\tWaktu Pelayanan"], DURATION, "Jangka\tWaktu Pelayanan"),
        (["Waktu Pelayanan", "Waktu Penyelesaian"], DURATION, "Waktu Penyelesaian"),
        (["Penanganan, Pengaduan, Saran dan Masukan"], COMPLAINT, "Penanganan, Pengaduan, Saran dan Masukan"),
        (["Waktu Pelayanan", "Produk Pelayanan"], DURATION, None),
    ],
)
def test_components_are_found_by_keyword_in_any_case_and_spacing(labels, keywords, found):
    components = [StandardComponent(label=label) for label in labels]

    component = find_component(components, keywords)

    assert (component.label if component else None) == found


def test_an_agencys_page_names_its_government_and_agency_in_the_header(client, loaded):
    for url in [
        reverse("public_standard", args=["p2tp2a-ciamis"]),
        reverse("public_sop", args=["alokon-ciamis"]),
        reverse("public_decree", args=[Decree.objects.get(unit__code="dppkbpppa-ciamis").pk]),
    ]:
        header = header_text(client.get(url))
        agency = Unit.objects.get(code="dppkbpppa-ciamis")
        assert agency.government_name in header, url
        assert agency.agency_name in header, url
        assert header.startswith("Layanan Standar Pelayanan Publik"), url

    header = header_text(standard_page(client, "identitas-ppks-purwakarta"))
    assert "PEMERINTAH KABUPATEN PURWAKARTA" in header
    assert "DINAS SOSIAL PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK" in header


def test_the_index_header_is_generic(client, loaded):
    header = header_text(client.get(reverse("public_index")))

    assert header == "Layanan Standar Pelayanan Publik Masuk petugas"


def test_every_public_page_carries_the_product_name_in_its_title(client, loaded):
    for url in [
        reverse("public_index"),
        reverse("public_standard", args=["alokon-ciamis"]),
        reverse("public_sop", args=["alokon-ciamis"]),
        reverse("public_decree", args=[Decree.objects.get().pk]),
    ]:
        title = re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S)[1]
        assert html.unescape(title).strip().endswith("· Layanan"), (url, title)


def test_the_index_says_pos_el_laman_and_jam_pelayanan(client, loaded):
    page = client.get(reverse("public_index")).content.decode()

    assert "Laman: <a href=" in page and "Situs web" not in page  # as the letterhead says
    assert "Pos-el: <a href=\"mailto:dinsosp3a.purwakarta@gmail.com\">" in page
    assert "E-mail" not in page
    assert "Jam pelayanan" in page
