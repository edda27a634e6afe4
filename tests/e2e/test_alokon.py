"""An ALOKON request walked through the browser from (1a) to (9), each step by the demo account that does it.

A faskes asks for pills and condoms; the Sekretaris approves the SPMB; the storekeeper, from the warehouse her start
page leads to, issues the SBBK (the lots FEFO picks) and records the delivery; the UPTD P5A records its monitoring;
the faskes confirms receipt with one box of condoms rejected as damaged; then its monthly report completes steps 7-9.
Each step is one form on the distribution's page and one button; a step refused for a missing field comes back at
the same address with the message beside the field and everything typed. Every page landed on is checked with axe
(check_page).
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from alokon.demo import faskes_username
from alokon.models import Distribution, Facility, MonthlyReport, Movement
from tests.e2e.conftest import check_page, log_in, saved, step_done

pytestmark = pytest.mark.e2e

SECRETARY = "kepala.dppkbpppa-ciamis"
STOREKEEPER = "gudang.dppkbpppa-ciamis"
UPTD_OFFICER = "petugas.uptd-p5a-ciamis"


def open_pdf(page, link_name):
    href = page.get_by_role("link", name=link_name).get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf", href
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def open_distribution(page, distribution):
    page.goto(distribution.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=str(distribution))).to_be_visible()
    check_page(page)


def quantity(page, label, value):
    page.get_by_label(label, exact=True).fill(str(value))


def unreported_faskes():
    """A demo faskes of Kecamatan Ciamis (its UPTD P5A's officer is a demo account) with an account and no report
    for last month: its number for the account name, and the facility."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    for number in range(1, 21):
        facility = Facility.objects.get(accounts__user__username=faskes_username(number))
        reported = MonthlyReport.objects.filter(facility=facility, month=last_month).exists()
        if facility.kecamatan.name == "Ciamis" and not reported:
            return number, facility, last_month
    pytest.fail("the demo leaves no faskes of Kecamatan Ciamis unreported last month")


def test_a_request_from_the_faskes_to_its_monthly_report(page, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())
    number, facility, last_month = unreported_faskes()

    # 1a. The faskes asks, from its start page.
    log_in(page, login, faskes_username(number))
    page.get_by_role("link", name="Buat permintaan").first.click()
    expect(page.get_by_role("heading", level=1, name="Surat permohonan alokon")).to_be_visible()
    check_page(page)
    page.get_by_label("Nomor surat permohonan").fill("440/77/PKM")
    quantity(page, "Pil KB Kombinasi (strip)", 60)
    quantity(page, "Kondom (buah)", 288)
    page.get_by_role("button", name="Kirim permintaan").click()
    saved(page, "Permintaan terkirim dan menunggu SPMB.")
    distribution = Distribution.objects.filter(facility=facility).latest("pk")
    assert distribution.status == "spmb"

    # 2. The Sekretaris approves the SPMB as offered (what was asked, in whole packs) and prints it.
    log_in(page, login, SECRETARY)
    open_distribution(page, distribution)
    expect(page.get_by_role("region", name="Langkah Anda")).to_contain_text("Isi per kemasan 144 buah; stok gudang")
    page.get_by_role("button", name="Setujui SPMB").click()
    saved(page, step_done("Setujui SPMB", "Menunggu SBBK"))
    distribution.refresh_from_db()
    assert distribution.spmb_number in open_pdf(page, "Cetak SPMB (PDF)")

    # 3. The storekeeper goes from her start page to the warehouse in one click, and issues the SBBK; FEFO picks
    # the lots.
    log_in(page, login, STOREKEEPER)
    page.get_by_role("link", name="Gudang alokon").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page)
    open_distribution(page, distribution)
    page.get_by_role("button", name="Terbitkan SBBK dan keluarkan stok").click()
    saved(page, step_done("Terbitkan SBBK dan keluarkan stok", "Dalam penyaluran"))
    issued = list(Movement.objects.filter(distribution=distribution, kind="keluar").select_related("lot"))
    text = open_pdf(page, "Cetak SBBK (PDF)")
    for movement in issued:
        assert movement.lot.number in text

    # 4. Delivered today: the step's field, then its one button.
    page.get_by_label("Tanggal diterima faskes").fill(f"{timezone.localdate():%d/%m/%Y}")
    page.get_by_role("button", name="Catat penyerahan").click()
    saved(page, step_done("Catat penyerahan", "Menunggu monitoring UPTD"))
    distribution.refresh_from_db()
    assert (distribution.status, distribution.delivered_on) == ("monitoring", timezone.localdate())

    # 5. The UPTD P5A of the kecamatan records what it monitored; first without its findings.
    log_in(page, login, UPTD_OFFICER)
    open_distribution(page, distribution)
    address = page.url
    typed = {
        "Tanggal monitoring": f"{timezone.localdate():%d/%m/%Y}",
        "Dilakukan oleh": "Dede Kurniawan bersama bidan koordinator",
        "Tindak lanjut": "Bidan mengirim kartu stok bulan ini.",
    }
    page.get_by_label("Kunjungan ke faskes").check()
    for label, value in typed.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Simpan hasil monitoring").click()
    expect(page.locator("#div_id_langkah-findings")).to_contain_text("Tuliskan temuan monitoring.")
    assert page.url == address
    expect(page.get_by_label("Kunjungan ke faskes")).to_be_checked()
    for label, value in typed.items():
        expect(page.get_by_label(label)).to_have_value(value)
    check_page(page)
    page.reload()
    expect(page.get_by_role("heading", level=1, name=str(distribution))).to_be_visible()
    distribution.refresh_from_db()
    assert distribution.status == "monitoring"
    # Then whole.
    page.get_by_label("Kunjungan ke faskes").check()
    for label, value in typed.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Temuan").fill("Kartu stok faskes sesuai; pencatatan lengkap.")
    page.get_by_role("button", name="Simpan hasil monitoring").click()
    saved(page, step_done("Simpan hasil monitoring", "Menunggu konfirmasi penerimaan"))
    expect(page.get_by_role("region", name="Monitoring UPTD P5A")).to_contain_text("Kartu stok faskes sesuai")

    # 6. The faskes confirms; one box of condoms came damaged.
    log_in(page, login, faskes_username(number))
    open_distribution(page, distribution)
    condoms = next(m for m in issued if m.item.code == "kondom")
    receipt = page.get_by_role("region", name="Langkah Anda")
    row = receipt.get_by_role("row").filter(has_text=condoms.lot.number)
    row.get_by_label("Diterima").fill(str(-condoms.quantity - 144))
    row.get_by_label("Ditolak").fill("144")
    row.get_by_label("Alasan penolakan").select_option(label="Rusak")
    page.get_by_role("button", name="Konfirmasi penerimaan").click()
    saved(page, step_done("Konfirmasi penerimaan", "Pelayanan KB di faskes"))
    returned = Movement.objects.filter(distribution=distribution).exclude(kind="keluar")
    assert sorted(returned.values_list("kind", "quantity")) == [("kembali", 144), ("penyesuaian", -144)]

    # 7-9. The month ends (the delivery counted in last month, as if this were next month), and the faskes
    # files last month's report from the list.
    Distribution.objects.filter(pk=distribution.pk).update(delivered_on=last_month)
    page.goto("/alokon/laporan/")
    check_page(page)
    page.get_by_role("link", name="Isi laporan").first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Laporan bulanan"))).to_be_visible()
    check_page(page)
    page.get_by_role("row", name=re.compile("Pil KB Kombinasi")).get_by_label("Dipakai").fill("25")
    page.get_by_label("Koordinasi dengan UPTD P5A bulan ini").fill("Rapat minilok di UPTD.")
    page.get_by_role("button", name="Kirim laporan").click()
    saved(page, "Laporan bulanan terkirim.")
    distribution.refresh_from_db()
    assert distribution.status == "selesai"
