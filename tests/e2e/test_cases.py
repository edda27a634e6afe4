"""A P2TP2A case walked through the browser from report to closure, each step by the demo account that does it.

Each step is taken in the page's "Langkah Anda" section: its fields and its one button (take). The intake is
first pressed without the reason the documents are missing: the page comes back at its address with the message
beside that field and everything typed still there, field by field, and a reload asks the case page again
(take_refused). conftest's `fire` expects a message in an alert, which a refused step form does not give (its
error summary lists the fields): the refusals here use the local take_refused instead.

The demo data (load_demo, in demo mode) gives the accounts, the Ciamis kecamatan and the referral partners.
The victim is a girl, so every consent is given by her guardian; the assessment asks for medical and legal
help and no psychologist, so step 6 is skipped with its reason. Every page landed on is checked (check_page):
axe's WCAG 2.1 AA rules, and that no label points at a field id used twice.
"""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import AccessLog, Case, Referral
from portal.models import TransitionLog
from tests.e2e.conftest import check_page, log_in, saved, step_done
from tests.e2e.test_downloads import made_pdf

pytestmark = pytest.mark.e2e

CHAIR = "kepala.p2tp2a-ciamis"
SECRETARY = "sekretaris.p2tp2a-ciamis"
DATA = "petugas.p2tp2a-ciamis"
SOCIAL_WORKER = "peksos.p2tp2a-ciamis"
COMPANION = "pendamping.p2tp2a-ciamis"
PSYCHOLOGIST = "psikolog.p2tp2a-ciamis"
LEGAL = "hukum.p2tp2a-ciamis"
AGENCY_HEAD = "kadis.dppkbpppa-ciamis"

VICTIM = "Nenden Sulastri"
# A girl born 14 May 2012 in 32.07.01: the day plus 40, as Dukcapil writes a woman's.
NIK = "3207015405120001"
GUARDIAN = "Oom Komariah"
SKIP_REFUSED = "Tuliskan alasannya: Lewati: tidak diperlukan tidak dapat dilakukan tanpa alasan."
NOTE = "Catatan untuk riwayat langkah (opsional)"


# Pages.


def open_case(page, case):
    page.goto(case.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=str(case))).to_be_visible()
    check_page(page)


def expect_status(page, status):
    """The status the page shows first (next_action): the step's short status label, or the final label."""
    shown = page.locator("#langkah-anda dd").first
    expect(shown).to_have_text(str(Case.workflow.status_label(status)))


def section(page, heading):
    """A card of the case page (a <section> labelled by its heading)."""
    return page.get_by_role("region", name=heading, exact=True)


def field(scope, label, value):
    """The field labelled `label`: a radio group is named by its legend, any other field by its label."""
    if isinstance(value, tuple) and value[0] == "radio":
        return scope.get_by_role("group", name=label)
    return scope.get_by_label(label)


def fill_form(form, fields):
    """Fill a form by its labels: a str fills a text box, ("select", option) picks an option, ("radio", choice)
    checks one choice of the radio group so labelled, True checks a checkbox."""
    for label, value in fields.items():
        if value is True:
            field(form, label, value).check()
        elif isinstance(value, tuple) and value[0] == "select":
            field(form, label, value).select_option(label=value[1])
        elif isinstance(value, tuple) and value[0] == "radio":
            field(form, label, value).get_by_label(value[1], exact=True).check()
        else:
            field(form, label, value).fill(value)


def submit_in(page, heading, button, fields):
    """Fill the form of the section `heading` that holds the first of `fields`, and press its `button`."""
    first, value = next(iter(fields.items()))
    form = section(page, heading).locator("form").filter(has=field(page, first, value))
    fill_form(form, fields)
    form.get_by_role("button", name=button).click()


def step_form(page):
    return page.get_by_role("region", name="Langkah Anda")


def take(page, button, fields=(), *, message=None):
    """Fill the step's fields (as fill_form) in "Langkah Anda" and press its `button`: saved."""
    form = step_form(page)
    fill_form(form, dict(fields))
    form.get_by_role("button", name=button, exact=True).click()
    saved(page, message or step_done(button))


def take_refused(page, case, button, fields, *, refused_field, message):
    """Fill the step's fields, press `button`, and find it refused: the same address, `message` beside the field
    labelled `refused_field` (and in the error summary), every value typed still there; a reload shows the case
    page, not a 405."""
    form = step_form(page)
    fill_form(form, fields)
    form.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text(message)
    assert page.url.endswith(case.get_absolute_url()), page.url
    form = step_form(page)
    expect(field(form, refused_field, "")).to_have_accessible_description(re.compile(re.escape(message)))
    for label, value in fields.items():
        if value is True:
            expect(field(form, label, value)).to_be_checked()
        elif isinstance(value, tuple) and value[0] == "radio":
            expect(field(form, label, value).get_by_label(value[1], exact=True)).to_be_checked()
        elif not isinstance(value, tuple):
            expect(field(form, label, value)).to_have_value(value)
    check_page(page)
    response = page.reload()
    assert response.status != 405, response.status
    expect(page.get_by_role("heading", level=1, name=str(case))).to_be_visible()


def give_consent(page, scope):
    submit_in(page, "Persetujuan korban/wali", "Catat persetujuan", {
        "Persetujuan untuk": ("select", scope),
        "Jawaban": ("radio", "Setuju"),
        "Diberikan oleh wali (korban anak)": True,
        "Nama wali": GUARDIAN,
    })
    saved(page, "Persetujuan tercatat.")


def refer(page, step, service_type, partner):
    submit_in(page, "Layanan dan rujukan", "Catat rujukan", {
        "Langkah": ("select", step),
        "Jenis layanan": ("select", service_type),
        "Mitra rujukan": ("select", partner),
    })
    saved(page, "Rujukan tercatat.")


def referral_card(page, referral):
    return section(page, "Layanan dan rujukan").get_by_role("article", name=f"Rujukan {referral.pk}")


def finish_referral(page, referral, outcome):
    card = referral_card(page, referral)
    card.get_by_text("Perbarui hasil").click()
    form = card.locator("form").filter(has=page.get_by_label("Tanggal selesai"))
    fill_form(form, {"Hasil": outcome, "Tanggal selesai": timezone.localdate().isoformat()})
    form.get_by_role("button", name="Simpan", exact=True).click()
    saved(page, "Rujukan diperbarui.")
    card = referral_card(page, referral)
    expect(card.get_by_role("paragraph").filter(has_text=outcome)).to_be_visible()
    expect(card.get_by_text(f"selesai {date_format(timezone.localdate(), 'j M Y')}")).to_be_visible()


def open_pdf(page, link_name, case):
    """Fetch the PDF a link points at with the page's session, shown in the browser and named by the case
    number only; returns its text."""
    href = page.get_by_role("link", name=link_name).get_attribute("href")
    response = page.request.get(href)
    assert response.ok, f"{href}: {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    filename = rf'inline; filename="[a-z-]+-{case.file_stem}(-\d+)?\.pdf"'
    assert re.fullmatch(filename, response.headers["content-disposition"])
    body = response.body()
    assert body.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


# The walk.


def test_a_case_from_report_to_closure(page, login, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()

    # 1. The data officer records the report from the start page.
    log_in(page, login, DATA)
    page.get_by_role("link", name="Catat laporan baru").click()
    expect(page.get_by_role("heading", level=1, name="Catat laporan baru")).to_be_visible()
    check_page(page)
    victim = page.get_by_role("group", name="1. Korban")
    reporter = page.get_by_role("group", name="2. Pelapor")
    incident = page.get_by_role("group", name="3. Kejadian")
    fill_form(victim, {
        "Nama korban": VICTIM,
        "NIK": NIK[:15],  # a digit short
        "Jenis kelamin": ("select", "Perempuan"),
        "Tanggal lahir": "14/05/2012",
        "Kecamatan": ("select", "Cikoneng"),
    })
    fill_form(reporter, {"Nama pelapor / lembaga": "Oom Komariah", "Hubungan dengan korban": "Ibu korban"})
    fill_form(incident, {
        "Sumber laporan": ("select", "Korban/pelapor datang sendiri"),
        "Tingkat risiko": ("select", "Tinggi"),
        "Seksual": True,
        "Kronologi kejadian": "Korban bercerita kepada ibunya bahwa ia dilecehkan tetangga sepulang mengaji.",
    })
    fill_form(page.get_by_role("group", name="Pelaku 1"), {
        "Hubungan dengan korban": ("select", "Tetangga"),
        "Jenis kelamin": ("select", "Laki-laki"),
        "Umur (tahun)": "47",
    })
    page.get_by_role("button", name="Simpan laporan").click()

    expect(page.get_by_role("alert")).to_have_text(
        "Periksa kembali isian yang ditandai. Tidak ada yang hilang dari isian Anda."
    )
    # The error is the field's own: announced with it, as its description.
    expect(victim.get_by_label("NIK")).to_have_attribute("aria-invalid", "true")
    expect(victim.get_by_label("NIK")).to_have_accessible_description(re.compile(r"NIK harus 16 angka\."))
    expect(victim.get_by_label("Nama korban")).to_have_value(VICTIM)
    expect(victim.get_by_label("NIK")).to_have_value(NIK[:15])
    expect(victim.get_by_label("Tanggal lahir")).to_have_value("14/05/2012")
    expect(victim.get_by_label("Kecamatan")).to_have_value(re.compile(r"\d+"))
    expect(reporter.get_by_label("Nama pelapor / lembaga")).to_have_value("Oom Komariah")
    expect(incident.get_by_label("Seksual")).to_be_checked()
    expect(incident.get_by_label("Kronologi kejadian")).to_have_value(re.compile("sepulang mengaji"))
    expect(page.get_by_role("group", name="Pelaku 1").get_by_label("Umur (tahun)")).to_have_value("47")
    check_page(page)

    victim.get_by_label("NIK").fill(NIK)
    page.get_by_role("button", name="Simpan laporan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Kasus \d{4}/\d{4}$"))
    case = Case.objects.get(victim__nik=NIK)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kasus {case.number}")
    saved(page, f"Laporan tercatat sebagai kasus {case.number}.")
    expect_status(page, "report")

    # 1-2. Step 1 done; step 2 wants the documents or why they are missing: refused without, all typed kept.
    take(page, "Identitas korban tercatat")
    expect_status(page, "intake")
    chronology = "Korban bercerita kepada ibunya bahwa ia dilecehkan tetangga sepulang mengaji di musala."
    take_refused(page, case, "Berkas pengaduan lengkap", {
        "Kronologi kejadian": chronology, "Fisik": True, NOTE: "Ibu korban datang bersama korban.",
    }, refused_field="Alasan persyaratan belum lengkap", message="tuliskan alasan belum lengkap")
    expect_status(page, "intake")
    take(page, "Berkas pengaduan lengkap", {
        "Kronologi kejadian": chronology, "Fisik": True,
        "Alasan persyaratan belum lengkap": "Kasus anak, mendesak: surat pengantar RT/RW menyusul.",
    })
    expect_status(page, "outreach")
    notes = section(page, "Catatan penanganan")
    expect(notes.get_by_role("paragraph").filter(has_text=chronology)).to_be_visible()
    expect(notes.get_by_role("paragraph").filter(has_text="Kasus anak, mendesak: surat pengantar RT/RW menyusul.")).to_be_visible()
    assert {t.name for t in case.violence_types.all()} == {"Seksual", "Fisik"}

    # 3. The Ketua finds the case on her start page: its team to assign; she assigns it and signs the SPT.
    log_in(page, login, CHAIR)
    page.get_by_role("link", name=case.number).first.click()  # a substring of the link's name
    expect(page.get_by_role("heading", level=1, name=str(case))).to_be_visible()
    check_page(page)
    expect(step_form(page).get_by_role("link", name="Tugaskan tim kasus")).to_have_attribute("href", "#tim")
    for name, function in [("Rudi Hermawan", "Pekerja sosial"), ("Yanti Suryani", "Pendamping"),
                           ("Dian Permatasari", "Psikolog"), ("Ujang Saepudin", "Divisi Hukum")]:
        submit_in(page, "Tim kasus", "Tugaskan", {"Petugas": ("select", name), "Fungsi": ("select", function)})
        saved(page, "Anggota tim ditugaskan.")
        expect(section(page, "Tim kasus").get_by_text(f"{name} · {function}")).to_be_visible()
    expect(step_form(page).get_by_role("link", name="Terbitkan SPT penjangkauan")).to_have_attribute("href", "#dokumen")
    section(page, "Dokumen").get_by_role("button", name="Terbitkan dan tandatangani SPT penjangkauan").click()
    saved(page, "SPT penjangkauan diterbitkan.")
    assert case.number in open_pdf(page, "SPT penjangkauan (PDF)", case)

    # The agency head sees the case but not who the victim is, until she opens it with a reason.
    log_in(page, login, AGENCY_HEAD)
    open_case(page, case)
    expect(page.get_by_text(VICTIM)).to_have_count(0)
    expect(page.get_by_text(NIK)).to_have_count(0)
    reason = "Pemeriksaan inspektorat atas penanganan kasus anak."
    section(page, "Identitas").get_by_label("Alasan membuka identitas").fill(reason)
    section(page, "Identitas").get_by_role("button", name="Buka identitas").click()
    expect(section(page, "Identitas").get_by_text(VICTIM, exact=True)).to_be_visible()
    check_page(page)
    assert AccessLog.objects.filter(
        case=case, user__username=AGENCY_HEAD, action=AccessLog.Action.REVEAL, reason=reason
    ).exists()

    # 3-4. The social worker goes out, then writes the assessment.
    log_in(page, login, SOCIAL_WORKER)
    open_case(page, case)
    take(page, "Catat hasil penjangkauan", {
        "Hasil verifikasi/penjangkauan": "Korban dan ibunya ditemui di rumah; laporan terverifikasi.",
    })
    expect_status(page, "assessment")
    take(page, "Simpan dulu, selesaikan nanti", {
        "Hasil asesmen: kebutuhan dan risiko korban": "Perlu visum dan pendampingan hukum; korban tampak stabil.",
        "Tingkat risiko": ("select", "Tinggi"),
        "Layanan medis (langkah 5)": ("radio", "Diperlukan"),
        "Layanan psikologis (langkah 6)": ("radio", "Tidak diperlukan"),
        "Bantuan hukum (langkah 7)": ("radio", "Diperlukan"),
    }, message="Isian tersimpan; langkah belum diselesaikan.")
    expect_status(page, "assessment")

    log_in(page, login, SECRETARY)
    open_case(page, case)
    expect(step_form(page).get_by_role("link", name="Setujui asesmen")).to_have_attribute("href", "#asesmen")
    section(page, "Asesmen").get_by_role("button", name="Setujui asesmen").click()
    saved(page, "Asesmen disetujui.")
    expect(section(page, "Asesmen").get_by_text("Disetujui oleh Iis Solihat")).to_be_visible()

    log_in(page, login, SOCIAL_WORKER)
    open_case(page, case)
    take(page, "Asesmen selesai, lanjut layanan")
    expect_status(page, "medical")

    # 5. The companion takes the girl to the RSUD, with her guardian's consent.
    log_in(page, login, COMPANION)
    open_case(page, case)
    give_consent(page, "Menerima layanan P2TP2A")
    give_consent(page, "Berbagi data dengan Rumah sakit")
    refer(page, "5. Medis", "Kesehatan", "RSUD Kabupaten Ciamis")
    medical = Referral.objects.get(case=case, step="medical")
    assert "RSUD Kabupaten Ciamis" in open_pdf(page, "Surat rujukan (PDF)", case)
    finish_referral(page, medical, "Visum et repertum dibuat; tidak ada luka yang perlu dirawat.")
    take(page, "Layanan medis selesai")
    expect_status(page, "psychological")
    # Not needed, step 6 may be skipped by anyone on the team, the companion too.
    expect(page.get_by_role("button", name="Lewati: tidak diperlukan")).to_be_visible()

    # 6. The psychologist skips it: not without a reason.
    log_in(page, login, PSYCHOLOGIST)
    open_case(page, case)
    take_refused(page, case, "Lewati: tidak diperlukan", {NOTE: "  "}, refused_field=NOTE, message=SKIP_REFUSED)
    expect_status(page, "psychological")
    take(page, "Lewati: tidak diperlukan", {NOTE: "Asesmen: tidak diperlukan"})
    expect_status(page, "legal")

    # 7. The legal division takes the case to the police.
    log_in(page, login, LEGAL)
    open_case(page, case)
    give_consent(page, "Berbagi data dengan Unit PPA Polres")
    refer(page, "7. Hukum", "Penegakan hukum", "Unit PPA Polres Ciamis")
    legal = Referral.objects.get(case=case, step="legal")
    card = referral_card(page, legal)
    card.get_by_text("Catat tahap proses hukum").click()
    form = card.locator("form").filter(has=page.get_by_label("Tahap"))
    fill_form(form, {
        "Tahap": ("select", "Laporan polisi"), "Tanggal": today.isoformat(), "Keterangan": "LP di Unit PPA",
    })
    form.get_by_role("button", name="Simpan tahap").click()
    saved(page, "Tahap proses hukum tercatat.")
    expect(referral_card(page, legal).get_by_text("Laporan polisi: LP di Unit PPA")).to_be_visible()
    finish_referral(page, legal, "Laporan polisi diterima; korban diperiksa didampingi petugas.")
    take(page, "Bantuan hukum selesai")
    expect_status(page, "reintegration")

    # 8. The social worker writes the reintegration and the closing summary.
    log_in(page, login, SOCIAL_WORKER)
    open_case(page, case)
    take(page, "Reintegrasi selesai", {
        "Hasil reintegrasi/rehabilitasi": "Korban kembali bersekolah; wali kelas ikut memantau.",
        "Ringkasan penanganan untuk laporan akhir": "Visum dan laporan polisi selesai; korban pulih.",
    })
    expect_status(page, "closure")
    expect(step_form(page).get_by_role("button")).to_have_count(0)

    # 9. The Ketua, who did not move it into closure, closes it and prints the report.
    log_in(page, login, CHAIR)
    open_case(page, case)
    expect(step_form(page).get_by_label("Ringkasan penanganan untuk laporan akhir")).to_have_value(
        "Visum dan laporan polisi selesai; korban pulih."
    )
    take(page, "Setujui laporan dan tutup kasus")
    expect_status(page, "selesai")
    expect(page.get_by_role("region", name="Langkah SOP").get_by_role("button")).to_have_count(0)
    response, report = made_pdf(page, "Buat PDF laporan penanganan kasus")
    assert response.headers["content-disposition"] == f'attachment; filename="laporan-kasus-{case.file_stem}.pdf"'
    assert case.number in report

    case.refresh_from_db()
    assert case.status == "selesai"
    log = TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)
    assert list(log.order_by("pk").values_list("transition", "actor__username", "note")) == [
        ("start", DATA, ""),
        ("report", DATA, ""),
        ("intake", DATA, "Ibu korban datang bersama korban."),  # typed before the refusal, kept on the form
        ("outreach", SOCIAL_WORKER, ""),
        ("assessment", SOCIAL_WORKER, ""),
        ("medical", COMPANION, ""),
        ("skip_psychological", PSYCHOLOGIST, "Asesmen: tidak diperlukan"),
        ("legal", LEGAL, ""),
        ("reintegration", SOCIAL_WORKER, ""),
        ("closure", CHAIR, ""),
    ]
    prints = AccessLog.objects.filter(case=case, action=AccessLog.Action.PRINT)
    assert set(prints.values_list("user__username", "what")) == {
        (CHAIR, "SPT penjangkauan"),
        (COMPANION, f"Surat rujukan {medical.pk}"),
        (CHAIR, "Laporan penanganan kasus"),
    }
