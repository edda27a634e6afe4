"""The bell, tried as a new user would on the demo data (issue 22): a citizen's complaint reaches the P2TP2A
officer's bell, who follows it to the complaint; the reminder round brings the demo's late ALOKON complaint to the
storekeeper and, a day late, to the head of the Dinas; each chooses how they are told. Every page is checked with
axe and on a phone (check_page)."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.complaints.models import Complaint
from portal.notifications import reminders
from portal.notifications.models import Notification, Preference
from tests.e2e.conftest import check_page, log_in

pytestmark = pytest.mark.e2e


def open_bell(page):
    page.get_by_role("link", name="Notifikasi").first.click()
    expect(page.get_by_role("heading", level=1, name="Notifikasi")).to_be_visible()
    check_page(page)


def test_a_complaint_reaches_the_bell_and_a_late_one_the_storekeeper_and_the_head(page, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())

    page.goto("/pengaduan/?layanan=p2tp2a-ciamis")
    page.get_by_label("Isi pengaduan, saran atau pertanyaan").fill("Pendamping belum datang sejak minggu lalu.")
    page.get_by_role("button", name="Kirim pengaduan").click()
    number = page.locator("dd").nth(0).inner_text().strip()
    complaint = Complaint.objects.get(year=int(number[-4:]), sequence=int(number[:4]), service__slug="pengaduan-dppkbpppa-ciamis")

    log_in(page, login, "petugas.p2tp2a-ciamis")
    unread = Notification.objects.filter(user__username="petugas.p2tp2a-ciamis", read_at__isnull=True).count()
    expect(page.get_by_role("link", name=f"Notifikasi {unread} belum dibaca")).to_be_visible()
    open_bell(page)
    text = f"Pengaduan, Saran dan Masukan DPPKBPPPA Ciamis nomor {number} menunggu langkah Anda: Cek data."
    page.get_by_role("link", name=text).click()
    expect(page.get_by_role("heading", level=1, name=f"Pengaduan {number}")).to_be_visible()
    assert page.url.endswith(complaint.get_absolute_url())
    expect(page.get_by_role("link", name=f"Notifikasi {unread - 1} belum dibaca")).to_be_visible()

    page.get_by_role("link", name=f"Notifikasi {unread - 1} belum dibaca").click()
    page.get_by_role("link", name="Pengaturan notifikasi").click()
    check_page(page)
    page.get_by_label("Langkah yang dapat Anda kerjakan").select_option("Ringkasan harian lewat surel")
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_role("alert")).to_have_text("Pengaturan notifikasi tersimpan.")
    check_page(page)
    assert Preference.objects.get(user__username="petugas.p2tp2a-ciamis", kind="langkah").channel == "ringkasan"
    page.get_by_role("link", name="Notifikasi").first.click()
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(page.get_by_role("alert")).to_contain_text("notifikasi ditandai sudah dibaca")
    check_page(page)

    # The round of reminders: the demo's ALOKON complaint is days late.
    late = Complaint.objects.get(about__slug="alokon-ciamis", status="check")
    reminders.run()
    late_text = f"Pengaduan, Saran dan Masukan DPPKBPPPA Ciamis nomor {late.number} melewati batas waktu layanan."
    for username in ("gudang.dppkbpppa-ciamis", "kepala.dppkbpppa-ciamis"):
        log_in(page, login, username)
        open_bell(page)
        expect(page.get_by_role("link", name=late_text)).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    check_page(page)
    page.get_by_role("link", name=late_text).click()
    expect(page.get_by_role("heading", level=1, name=f"Pengaduan {late.number}")).to_be_visible()
