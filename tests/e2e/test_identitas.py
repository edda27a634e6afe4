"""A PPKS identity facilitation walked through the browser from the report (1) to the archive (8), each step by
the demo account that does it, on the demo data; every page landed on is checked with axe (check_page).

An officer records a phoned-in report of an elderly man sleeping at a market; the Kabid accepts it; the team
records the requirements, the outreach (first with a field left empty: refused beside it, everything typed
kept), the needs analysis, waits for Disdukcapil and records the NIK issued, reports the result (printed),
decides the follow-ups and archives. Each step is its form under "Langkah Anda", at the top of the page, and its
one button. The Kepala Dinas then sees the facilitation without the person, and the Kabid reads the quarter's
evaluation.

The conftest's `fire` presses a button in the workflow panel, which offers none any more: `take_step` presses
the step's button in "Langkah Anda" instead.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from identitas.demo import KABID, TEAM
from identitas.models import Facilitation, Notes, Person
from tests.e2e.conftest import check_page, fire, log_in, saved
from tests.e2e.test_downloads import made_pdf

pytestmark = pytest.mark.e2e

OFFICER = TEAM[0]
AGENCY_HEAD = "kadis.dinsos-p3a-purwakarta"
NAME = "Mbah Sarmin Wiguna"
NIK = "3214010101500009"  # made up, well formed: a man born 1 January 1950 in regency 32.14


def open_record(page, record):
    page.goto(record.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=str(record))).to_be_visible()
    check_page(page)


def test_a_report_from_the_community_to_the_archive(page, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())

    # 1. The officer records the phoned-in report from the start page, then sends it to the Kabid.
    log_in(page, login, OFFICER)
    page.get_by_role("link", name="Catat laporan baru").first.click()
    expect(page.get_by_role("heading", level=1, name="Catat laporan baru")).to_be_visible()
    check_page(page)
    page.get_by_label("Saluran laporan").select_option(label="Telepon")
    page.get_by_label("Jenis PPKS").select_option(label="Lanjut usia telantar")
    page.get_by_label("Isi laporan").fill("Seorang kakek tidur di emperan Pasar Jumat sejak seminggu.")
    page.get_by_label("Nama atau nama panggilan").fill(NAME)
    page.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    page.get_by_label("Perkiraan umur (tahun)").fill("76")
    page.get_by_label("Nama pelapor / lembaga").fill("Ketua RT 03")
    page.get_by_label("Kontak pelapor").fill("0812-0000-7788")
    page.get_by_role("button", name="Simpan laporan").click()
    record = Facilitation.objects.latest("pk")
    saved(page, f"Laporan tercatat sebagai fasilitasi {record.number}.")
    assert NAME not in page.url
    expect(page.get_by_role("region", name="Langkah Anda").get_by_label("Isi laporan")).to_have_value(
        "Seorang kakek tidur di emperan Pasar Jumat sejak seminggu."
    )
    fire(page, "Kirim laporan kepada Kabid")

    # 2. The Kabid accepts it.
    log_in(page, login, KABID)
    open_record(page, record)
    fire(page, "Lanjutkan")

    # 3. The team records the requirements, both asked of their sources.
    log_in(page, login, OFFICER)
    open_record(page, record)
    page.get_by_role("group", name="Informasi rekam data kependudukan").get_by_label("Diminta dari sumbernya").check()
    page.get_by_role("group", name=re.compile("Surat keterangan terdaftar")).get_by_label("Diminta dari sumbernya").check()
    page.get_by_label("Status rekam data kependudukan").select_option(label="Belum diketahui")
    fire(page, "Data dan persyaratan tercatat")

    # 4. Outreach: where he was found and how he is; the condition forgotten first.
    step = page.get_by_role("region", name="Langkah Anda")
    step.get_by_label("Alamat ditemukan").fill("Pasar Jumat, los sayur")
    step.get_by_label("Kecamatan ditemukan").select_option(label="Purwakarta")
    step.get_by_label("Jejak keluarga").fill("Menurut pedagang, anaknya di Plered.")
    step.get_by_label("Setuju difoto").check()
    step.get_by_label("Catatan untuk riwayat langkah (opsional)").fill("Dijangkau bersama ketua RT.")
    address = page.url
    step.get_by_role("button", name="Penjangkauan dan asesmen selesai", exact=True).click()
    condition = step.get_by_label("Kondisi PPKS")
    expect(page.locator("#error_1_id_langkah-condition")).to_have_text("Tuliskan kondisi PPKS.")
    expect(page.get_by_role("link", name="Kondisi PPKS: Tuliskan kondisi PPKS.")).to_be_visible()  # the summary links it
    assert page.url == address
    expect(step.get_by_label("Alamat ditemukan")).to_have_value("Pasar Jumat, los sayur")
    expect(step.get_by_label("Kecamatan ditemukan").locator("option:checked")).to_have_text("Purwakarta")
    expect(step.get_by_label("Jejak keluarga")).to_have_value("Menurut pedagang, anaknya di Plered.")
    expect(step.get_by_label("Setuju difoto")).to_be_checked()
    expect(step.get_by_label("Catatan untuk riwayat langkah (opsional)")).to_have_value("Dijangkau bersama ketua RT.")
    expect(condition).to_have_value("")
    check_page(page)
    record.refresh_from_db()
    assert record.status == "outreach" and record.kecamatan is None  # nothing kept of the refused step
    response = page.reload()
    assert response.status != 405
    open_record(page, record)
    step.get_by_label("Alamat ditemukan").fill("Pasar Jumat, los sayur")
    step.get_by_label("Kecamatan ditemukan").select_option(label="Purwakarta")
    step.get_by_label("Kondisi PPKS").fill("Sehat, pendengaran berkurang, tidak membawa identitas.")
    step.get_by_label("Setuju difoto").check()
    fire(page, "Penjangkauan dan asesmen selesai", note="Dijangkau bersama ketua RT.")
    record.refresh_from_db()
    assert record.status == "analysis" and record.kecamatan.name == "Purwakarta"
    notes = Notes.objects.get(pk=record.pk)
    assert (notes.found_address, notes.photo_consent) == ("Pasar Jumat, los sayur", "setuju")

    # 5. The needs analysis.
    page.get_by_label("Analisis kebutuhan").fill("Perlu perekaman NIK dan KTP-el, lalu pendaftaran DTSEN.")
    fire(page, "Laporkan analisis kepada Kabid")

    # 6. The requirements first: the population record came from Disdukcapil; the Kabid waives the DTKS letter.
    panel = page.get_by_role("region", name="Langkah SOP")
    panel.get_by_label("Jenis dokumen").select_option(label="Informasi rekam data kependudukan")
    panel.get_by_label("Berkas (PDF, JPG atau PNG)").set_input_files(
        files=[{"name": "rekam-data.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 rekam data"}]
    )
    panel.get_by_role("button", name="Unggah lampiran").click()
    saved(page, "Lampiran tersimpan.")
    log_in(page, login, KABID)
    open_record(page, record)
    page.get_by_role("link", name="Kesampingkan persyaratan yang tidak dapat dipenuhi").click()  # her task
    page.get_by_role("textbox", name=re.compile("^Alasan mengesampingkan surat keterangan DTKS")).fill(
        "Belum terdaftar di DTKS; pendaftaran DTSEN menyusul setelah NIK terbit."
    )
    page.get_by_role("button", name=re.compile("Kesampingkan persyaratan")).click()
    saved(page, "Persyaratan dikesampingkan.")
    check_page(page)
    log_in(page, login, OFFICER)
    open_record(page, record)

    # To Disdukcapil: the wait stops the clock; the NIK issued is recorded.
    page.get_by_role("button", name="Data diserahkan ke Disdukcapil: mulai menunggu").click()
    saved(page, "Menunggu Disdukcapil: waktu layanan dihentikan sementara.")
    expect(page.get_by_text("Dihentikan sementara: menunggu Disdukcapil")).to_be_visible()
    page.get_by_role("button", name="Hasil Disdukcapil diterima: jalankan lagi waktu layanan").click()
    saved(page, "Hasil Disdukcapil diterima: waktu layanan berjalan lagi.")
    page.get_by_label("Jenis dokumen terbit").select_option(label="Perekaman NIK")
    page.get_by_label("Nomor dokumen").fill("3214010101500")  # a digit short: refused, kept
    page.get_by_role("button", name="Catat dokumen").click()
    expect(page.get_by_text("NIK harus 16 angka.")).to_be_visible()
    check_page(page)
    page.get_by_label("Nomor dokumen").fill(NIK)
    page.get_by_label("Tanggal terbit").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Catat dokumen").click()
    saved(page, "Dokumen yang terbit tercatat.")
    assert Person.objects.get(pk=record.pk).nik == NIK
    fire(page, "Dokumen terbit, lanjut laporan")

    # 7. The result to the Kabid, printed under the letterhead.
    page.get_by_role("textbox", name=re.compile("^Hasil layanan")).fill("NIK terekam; KTP-el dalam proses cetak.")
    fire(page, "Laporkan hasil kepada Kabid")
    record.refresh_from_db()
    assert record.status == "archive" and record.agency_minutes is not None
    response, text = made_pdf(page, "Buat PDF laporan hasil layanan")
    assert NAME not in page.url and NAME not in response.headers["content-disposition"]
    assert record.number in text and NIK in text
    open_record(page, record)

    # 8. The follow-ups the NIK suggested are decided; the file is archived.
    for name, state in (("Pendaftaran DTKS/DTSEN", "Dilaksanakan"), ("Jaminan kesehatan (PBI JK)", "Dilaksanakan")):
        follow_up = page.get_by_role("article", name=name)
        follow_up.get_by_label("Keadaan").select_option(label=state)
        follow_up.get_by_label("Tanggal dilaksanakan").fill(timezone.localdate().isoformat())
        follow_up.get_by_role("button", name=re.compile("Simpan")).click()
        saved(page, "Tindak lanjut tersimpan.")
    fire(page, "Arsipkan berkas")
    record.refresh_from_db()
    assert record.status == "selesai"

    # The Kepala Dinas sees the facilitation, not the person.
    log_in(page, login, AGENCY_HEAD)
    page.goto("/identitas/?status=selesai")
    check_page(page)
    expect(page.get_by_role("link", name=record.number)).to_be_visible()
    assert "***" not in page.get_by_role("table").inner_text()  # no masked name column for a non-reader
    open_record(page, record)
    assert NAME not in page.content() and NIK not in page.content()

    # The Kabid reads the quarter's evaluation, with this facilitation counted.
    log_in(page, login, KABID)
    page.goto("/identitas/evaluasi/")
    expect(page.get_by_role("heading", level=1, name=re.compile("Evaluasi"))).to_be_visible()
    check_page(page)
