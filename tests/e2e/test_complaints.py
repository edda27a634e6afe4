"""The complaint desk and the satisfaction survey tried as a new user would, on the demo data; every page landed on
is checked with axe and on a phone (check_page).

A citizen sends a complaint about the P2TP2A from the public form, without signing in, and follows it with its
number and code; the P2TP2A officer answers it through Ciamis' four stages, each answer reaching the citizen by
e-mail and on the follow-up page. The head of the Dinas finds the demo's late ALOKON complaint in the worklist and
writes an instruction; in Purwakarta the Kabid settles a complaint its officer passed on. Then a person served
by a completed PPKS facilitation answers the survey from the link on the record's page, and the Kabid reads the
quarter's index, which the test recomputes from the answers.
"""

import io
import re
from fractions import Fraction

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from identitas.models import Facilitation
from portal.complaints.models import Complaint
from portal.survey.elements import ELEMENTS
from portal.survey.models import Response
from portal.periods import Quarter
from tests.e2e.conftest import check_page, fire, log_in

pytestmark = pytest.mark.e2e

TEXT = "Pendamping tidak datang pada jadwal yang dijanjikan minggu lalu."


def follow(page, number, code):
    page.goto("/pengaduan/lacak/")
    page.get_by_label("Nomor pengaduan").fill(number)
    page.get_by_label("Kode tindak lanjut").fill(code)
    page.get_by_role("button", name="Lihat perkembangan").click()
    expect(page.get_by_role("heading", name=f"Pengaduan {number}")).to_be_visible()
    check_page(page)


def answer(page, button, reply, stage_status):
    section = page.get_by_role("region", name="Langkah Anda")
    if reply:
        section.get_by_label("Jawaban untuk pengadu").fill(reply)
    fire(page, button)
    expect(page.get_by_text(f"Status sekarang: {stage_status}.")).to_be_visible()


def test_a_citizen_complains_and_is_answered_at_every_stage(page, browser, live_server, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())

    # A citizen, not signed in, on the public form for the P2TP2A service.
    page.goto("/pengaduan/?layanan=p2tp2a-ciamis")
    expect(page.get_by_role("heading", level=1, name="Sampaikan pengaduan, saran atau pertanyaan")).to_be_visible()
    check_page(page)
    expect(page.get_by_label("Tentang layanan")).to_have_value(str(Complaint._meta.get_field("about").related_model.objects.get(slug="p2tp2a-ciamis").pk))
    page.get_by_label("Isi pengaduan, saran atau pertanyaan").fill(TEXT)
    page.get_by_label("E-mail").fill("warga.uji@example.org")
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.get_by_role("heading", name="Terima kasih, pengaduan Anda terkirim")).to_be_visible()
    check_page(page)
    number = page.locator("dd").nth(0).inner_text().strip()
    code = page.locator("dd").nth(1).inner_text().strip()
    assert re.fullmatch(r"\d{4}/\d{4}", number) and code
    assert code in mail.outbox[-1].body and mail.outbox[-1].to == ["warga.uji@example.org"]
    follow(page, number, code)
    expect(page.get_by_text("Belum ada jawaban.")).to_be_visible()
    expect(page.get_by_text(TEXT)).to_have_count(0)  # the follow-up page shows no complaint's words

    # The P2TP2A officer finds it on the start page and answers through the four stages.
    officer = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="id-ID")
    staff = officer.new_page()
    log_in(staff, login, "petugas.p2tp2a-ciamis")
    staff.get_by_role("link", name=number).first.click()
    expect(staff.get_by_role("heading", level=1, name=f"Pengaduan {number}")).to_be_visible()
    check_page(staff)
    expect(staff.get_by_text(TEXT)).to_be_visible()
    answer(staff, "Kirim tanggapan awal", "Pengaduan Anda sedang kami periksa bersama tim pendamping.",
           "Verifikasi lapangan")
    assert "sedang kami periksa" in mail.outbox[-1].body
    fire(staff, "Verifikasi lapangan selesai")
    fire(staff, "Koordinasi internal/eksternal selesai")
    answer(staff, "Kirim penyelesaian kepada pengadu", "Jadwal pendampingan sudah diatur ulang dan dipastikan.",
           "Selesai")
    assert "diatur ulang" in mail.outbox[-1].body

    follow(page, number, code)
    expect(page.get_by_text("Jadwal pendampingan sudah diatur ulang dan dipastikan.")).to_be_visible()
    expect(page.get_by_text("Selesai", exact=True)).to_be_visible()

    # The demo's late ALOKON complaint waits in the worklist of the Dinas' head, who writes an instruction.
    late = Complaint.objects.get(about__slug="alokon-ciamis", status="check")
    assert late.is_overdue()
    log_in(staff, login, "kepala.dppkbpppa-ciamis")
    staff.get_by_role("link", name=late.number).first.click()
    check_page(staff)
    staff.get_by_label("Arahan pimpinan").fill("Hubungi puskesmas hari ini dan pastikan jadwal kirim.")
    staff.get_by_role("button", name="Simpan arahan").click()
    expect(staff.get_by_role("alert")).to_have_text("Arahan tersimpan.")
    check_page(staff)
    late.refresh_from_db()
    assert late.instruction.startswith("Hubungi puskesmas")

    # In Purwakarta the Kabid settles what the officer passed on.
    passed_on = Complaint.objects.get(status="official")
    log_in(staff, login, "kepala.rehdayasos-purwakarta")
    staff.goto(passed_on.get_absolute_url())
    check_page(staff)
    answer(staff, "Kirim penyelesaian kepada pengadu", "KTP sudah terbit dan dapat diambil di Disdukcapil.", "Selesai")
    assert mail.outbox[-1].to == [passed_on.email]
    officer.close()


def test_a_person_served_answers_the_survey_and_the_kabid_reads_the_index(page, browser, live_server, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())
    done = Facilitation.objects.filter(status="selesai").order_by("pk").first()

    # The officer hands over the link on the completed record's page.
    log_in(page, login, "petugas.rehdayasos-purwakarta")
    page.goto(done.get_absolute_url())
    check_page(page)
    link = page.get_by_label("Tautan survei").input_value()
    assert done.number not in link

    # The person served, not signed in, answers once.
    person = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812}, locale="id-ID")
    phone = person.new_page()
    phone.goto(link)
    check_page(phone)
    for number in range(1, len(ELEMENTS) + 1):
        group = phone.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_role("radio").nth(3 if number % 2 else 2).check()
    phone.get_by_role("group", name="Jenis kelamin").get_by_role("radio").first.check()
    for label in ("Umur", "Pendidikan terakhir", "Pekerjaan utama"):
        options = phone.get_by_label(label).locator("option")
        phone.get_by_label(label).select_option(options.nth(1).get_attribute("value"))
    phone.get_by_role("button", name="Kirim jawaban").click()
    check_page(phone)
    phone.goto(link)
    expect(phone.get_by_text("Tautan survei ini sudah dipakai.")).to_be_visible()
    person.close()

    # The Kabid's index of the quarter: recomputed here from the answers, as the regulation computes it.
    quarter = Quarter.of(timezone.localdate())
    start, end = quarter.bounds()
    answers = list(Response.objects.filter(service=done.service, submitted_at__gte=start, submitted_at__lt=end))
    means = [Fraction(sum(getattr(a, element.code) for a in answers), len(answers)) for element in ELEMENTS]
    converted = sum(means) / len(ELEMENTS) * 25
    shown = f"{float(converted):.2f}".replace(".", ",")
    log_in(page, login, "kepala.rehdayasos-purwakarta")
    page.goto(f"/survei/ikm/?layanan={done.service.slug}&periode={quarter.code}")
    check_page(page)
    expect(page.get_by_text(shown, exact=True)).to_be_visible()
    letter = "A" if converted >= Fraction("88.31") else "B" if converted >= Fraction("76.61") else "C"
    expect(page.get_by_text(letter, exact=True).first).to_be_visible()
