"""Dates and files read in Indonesian in a browser whose language is English: the one that showed 7 December as
12/07/2026 and wrote "Choose File", "No file chosen" and "Please fill out this field". Pages checked with axe."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from identitas.demo import TEAM
from identitas.models import Facilitation
from tests.e2e.conftest import check_page, fresh_page, log_in, saved

pytestmark = pytest.mark.e2e

STOREKEEPER = "gudang.dppkbpppa-ciamis"
OFFICER = TEAM[0]


@pytest.fixture
def english_page(browser, live_server):
    """As the `page` fixture, in a browser whose language is English."""
    yield from fresh_page(browser, live_server, "en-US")


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())


def test_a_receipt_date_reads_day_first_and_a_missing_field_gets_the_portals_message(english_page, login, demo):
    page = english_page
    assert page.evaluate("navigator.language") == "en-US"
    log_in(page, login, STOREKEEPER)
    page.goto(reverse("alokon:receipt_new"))
    expect(page.get_by_role("heading", level=1, name="Penerimaan dari BKKBN Provinsi (SBBM)")).to_be_visible()
    check_page(page)
    received = page.get_by_label("Tanggal terima")
    today = timezone.localdate()
    expect(received).to_have_value(f"{today:%d/%m/%Y}")
    expect(received).to_have_accessible_description(f"hh/bb/tttt {date_format(today, 'j F Y')}")

    # The field is described by its format and the date in words, which follow what is typed: none for an
    # impossible date.
    received.fill("31/02/2026")
    expect(received).to_have_accessible_description("hh/bb/tttt")
    received.fill("07/12/2026")
    expect(received).to_have_accessible_description("hh/bb/tttt 7 Desember 2026")

    # The sender's document number is left out: the portal's message, not the browser's bubble.
    page.get_by_role("button", name="Simpan penerimaan").click()
    source = page.get_by_label("Nomor dokumen pengirim")
    expect(source).to_have_accessible_description("Bidang ini tidak boleh kosong.")
    expect(received).to_have_value("07/12/2026")
    expect(received).to_have_accessible_description("hh/bb/tttt 7 Desember 2026")
    check_page(page)

    # An impossible date is refused beside the field, kept as typed.
    received.fill("31/02/2026")
    page.get_by_role("button", name="Simpan penerimaan").click()
    expect(page.get_by_text("Tanggal tidak valid. Tulis seperti 07/12/2026.")).to_be_visible()
    expect(received).to_have_accessible_description("hh/bb/tttt Tanggal tidak valid. Tulis seperti 07/12/2026.")
    expect(received).to_have_value("31/02/2026")
    check_page(page)


def test_the_report_time_reads_day_first_and_the_attachment_input_in_indonesian(english_page, login, demo):
    page = english_page
    # Playwright turns on the browser's file chooser interception without waiting for it when the first
    # listener subscribes; subscribing now, long before the key press, keeps the press from racing it.
    page.on("filechooser", lambda chooser: None)
    log_in(page, login, OFFICER)
    page.get_by_role("link", name="Catat laporan baru").first.click()
    expect(page.get_by_role("heading", level=1, name="Catat laporan baru")).to_be_visible()
    check_page(page)
    received = page.get_by_label("Laporan diterima")
    now = timezone.localtime()
    expect(received).to_have_value(re.compile(rf"^{now:%d/%m/%Y} \d\d\.\d\d$"))
    expect(received).to_have_accessible_description(
        re.compile(rf"^hh/bb/tttt jj\.mm {date_format(now, 'l, j F Y')}, \d\d\.\d\d WIB ")  # then the help text
    )

    page.get_by_label("Saluran laporan").select_option(label="Telepon")
    page.get_by_label("Jenis PPKS").select_option(label="Lanjut usia telantar")
    page.get_by_label("Isi laporan").fill("Seorang nenek tidur di emperan pasar sejak tiga hari.")
    page.get_by_label("Nama atau nama panggilan").fill("Mak Icih")
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Perkiraan umur (tahun)").fill("70")
    page.get_by_label("Nama pelapor / lembaga").fill("Ketua RT 02")
    page.get_by_label("Kontak pelapor").fill("0812-0000-1122")
    page.get_by_role("button", name="Simpan laporan").click()
    record = Facilitation.objects.latest("pk")
    saved(page, f"Laporan tercatat sebagai fasilitasi {record.number}.")

    # The panel's file input: the portal's button and words; the browser's input is out of sight but takes the
    # keyboard's focus and opens the file chooser.
    panel = page.get_by_role("region", name="Langkah SOP")
    file_input = panel.get_by_label("Berkas (PDF, JPG atau PNG)")
    expect(panel.get_by_text("Pilih berkas", exact=True)).to_be_visible()
    expect(panel.get_by_text("Belum ada berkas dipilih")).to_be_visible()
    assert file_input.bounding_box()["width"] <= 1
    panel.get_by_label("Jenis dokumen").focus()
    page.keyboard.press("Tab")
    expect(file_input).to_be_focused()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files=[{"name": "laporan-rt.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}])
    expect(panel.get_by_text("laporan-rt.pdf")).to_be_visible()
    check_page(page)
