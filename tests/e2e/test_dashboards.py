"""The heads' dashboards tried in the browser on the demo data, each page checked with axe and on a phone
(check_page): the Kepala Dinas of Ciamis opens a service's dashboard from the start page, goes up to the agency's
services side by side, into the P2TP2A's, and follows its open cases to the register; the storekeeper's stock
dashboard with its risk of running out per faskes."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Case
from tests.e2e.conftest import check_page, log_in

pytestmark = pytest.mark.e2e

AGENCY_HEAD, STOREKEEPER = "kadis.dppkbpppa-ciamis", "gudang.dppkbpppa-ciamis"


def test_a_head_opens_the_dashboard_and_follows_a_figure_to_the_register(page, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())

    log_in(page, login, AGENCY_HEAD)
    page.get_by_role("link", name="Dasbor", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dasbor")
    expect(page.get_by_role("img", name="Berjalan per langkah")).to_be_visible()
    check_page(page)

    page.get_by_role("navigation", name="Lokasi halaman").get_by_role("link", name="Dasbor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor pimpinan")
    check_page(page)

    service = Case.objects.order_by("pk").first().service
    page.get_by_role("link", name=service.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dasbor {service.name}")
    check_page(page)
    opened = Case.objects.filter(service=service).open().count()
    summary = page.get_by_role("region", name="Ringkasan")
    summary.get_by_role("row", name="Sedang berjalan").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/p2tp2a/\?status=terbuka$"))
    check_page(page)
    expect(page.locator("main table.table-stack > tbody > tr")).to_have_count(opened)

    log_in(page, login, STOREKEEPER)
    page.get_by_role("link", name="Gudang alokon").first.click()
    expect(page.get_by_role("heading", name="Risiko kehabisan stok per faskes")).to_be_visible()
    check_page(page)
