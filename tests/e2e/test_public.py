"""An anonymous visitor reads the published standards in the browser and downloads one as a PDF."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import check_page

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def published(live_server, settings):
    """The seeds' standards, SOPs and decree, in the live server's database."""
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=StringIO())


def test_a_visitor_opens_a_standard_and_downloads_its_pdf(page, published):
    page.goto("/publik/")
    expect(page.get_by_role("heading", name="Standar Pelayanan Publik")).to_be_visible()
    agency = page.locator("section.agency", has_text="Dinas Sosial, Pemberdayaan Perempuan")
    expect(agency).to_contain_text("dinsosp3a.purwakarta@gmail.com")
    expect(agency).to_contain_text("Senin – Kamis 08.00 – 16.00 WIB")
    check_page(page)

    agency.get_by_role("link", name="Standar Pelayanan").click()
    expect(page).to_have_url(re.compile(r"/publik/layanan/identitas-ppks-purwakarta/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Fasilitasi Pembuatan Identitas", re.I))
    expect(page.locator("table.standard-table")).to_contain_text("Tidak ada Biaya/Tarif (Gratis)")
    check_page(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click(modifiers=["Alt"])
    download = download_info.value
    assert download.suggested_filename == "standar-pelayanan-identitas-ppks-purwakarta.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    href = page.get_by_role("link", name="Unduh PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_a_visitor_reads_an_sop_and_the_decree_on_a_phone(page, published):
    page.set_viewport_size(PHONE)
    page.goto("/publik/")
    check_page(page)
    page.locator("section.agency", has_text="Pengendalian Penduduk").get_by_role("link", name="SOP").first.click()
    expect(page.locator("table.sop-activity")).to_be_visible()
    expect(page.locator("table.sop-header")).to_contain_text("Dr. DIAN BUDIYANA, M.Si")
    check_page(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto("/publik/")
    check_page(page)
    page.get_by_role("link", name=re.compile("Keputusan Bupati Nomor")).click()
    expect(page.locator(".decree")).to_contain_text("MEMUTUSKAN:")
    check_page(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Pelayanan dan Pendampingan P2TP2A").click()
    expect(page).to_have_url(re.compile(r"/publik/layanan/p2tp2a-ciamis/sop/$"))
    check_page(page)


def test_on_a_phone_the_sop_table_says_it_scrolls_sideways_and_the_page_does_not(page, published):
    page.set_viewport_size(PHONE)
    page.goto("/publik/layanan/identitas-ppks-purwakarta/sop/")
    hint = page.get_by_text("Geser tabel ke samping")
    table = page.get_by_role("region", name="Tabel kegiatan SOP")

    expect(hint).to_be_visible()
    scroll_width, client_width = table.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll_width > client_width, "the activity table should scroll inside its region"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_page(page)

    page.set_viewport_size({"width": 1280, "height": 900})  # the table fits: no hint
    expect(hint).to_be_hidden()


def test_on_a_phone_a_standard_opens_with_its_summary_under_the_agencys_name(page, published):
    page.set_viewport_size(PHONE)
    page.goto("/publik/layanan/identitas-ppks-purwakarta/")

    expect(page).to_have_title(re.compile(r"· Layanan$"))
    expect(page.locator("header")).to_contain_text("PEMERINTAH KABUPATEN PURWAKARTA")
    summary = page.get_by_role("region", name="Ringkasan layanan")
    expect(summary).to_be_visible()
    for item in ["Persyaratan", "Biaya/Tarif", "Jangka Waktu", "Jam pelayanan", "Pengaduan"]:
        expect(summary.locator("dt", has_text=item)).to_be_visible()
    expect(summary).to_contain_text("Senin – Kamis 08.00 – 16.00 WIB")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_page(page)
