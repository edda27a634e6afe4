"""A document made off the request, tried in the browser on the demo data: the Ketua P2TP2A asks for a closed
case's closure report from its page, lands on the download's status page (made at once: without a broker the task
runs in the request, as in the demo) and downloads the PDF, named by the case number only. Every page is checked
(check_page)."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.demo import SERVICE
from cases.models import AccessLog, Case, Victim
from portal.workflow import DONE
from tests.e2e.conftest import check_page, log_in

pytestmark = pytest.mark.e2e

CHAIR = "kepala.p2tp2a-ciamis"


def made_pdf(page, button):
    """Press a "Buat PDF ..." button on the page: lands on the status page, checked, which offers "Unduh"; the file
    fetched behind it with the page's session: (its response, its text)."""
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status")).to_contain_text("Berkas siap diunduh")
    check_page(page)
    href = page.get_by_role("link", name="Unduh", exact=True).get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf", href
    return response, "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_the_chair_asks_for_a_closed_cases_report_and_downloads_it(page, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())
    case = Case.objects.filter(service__slug=SERVICE, status=DONE).order_by("pk").first()
    victim = Victim.objects.get(case=case).name

    log_in(page, login, CHAIR)
    page.goto(case.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=str(case))).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Buat PDF laporan penanganan kasus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Laporan penanganan kasus {case.number}")
    expect(page.get_by_role("status")).to_contain_text("Berkas siap diunduh")
    check_page(page)
    assert victim not in page.content()

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh", exact=True).click()
    download = info.value
    assert download.suggested_filename == f"laporan-kasus-{case.file_stem}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert case.number in text and victim in text
    assert AccessLog.objects.filter(case=case, action=AccessLog.Action.PRINT, user__username=CHAIR).count() == 1

    page.get_by_role("link", name="Halaman asal").click()
    expect(page.get_by_role("heading", level=1, name=str(case))).to_be_visible()
