"""The PPKS identity pages as the Tim Kerja and the Kabid use them: recording a report, the register, the
facilitation's page with each step's form, the PDFs and the quarterly evaluation.

Who may see and do what is attacked in test_access.py; the rules behind each form in test_services.py.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from identitas import services
from identitas.policy import agency_minutes
from identitas.models import AccessLog, Facilitation, FollowUp, IssuedDocument, Notes, Person, PpksCategory
from portal.models import Desa, Kecamatan
from portal.periods import Quarter
from portal.services import transition_fire
from portal.workflow import TransitionError
from tests.downloads.flow import ask, fetch
from tests.identitas.conftest import NIK, current, now_is, record_state, take, wib

pytestmark = pytest.mark.django_db


def token_of(page):
    return re.search(r'name="submission" value="([0-9a-f-]+)"', page).group(1)


def report_form(client, service, **overrides):
    """A valid POST of the new report's form, as the browser sends it, with the page's own submission token."""
    page = client.get(reverse("identitas:create", args=[service.slug])).content.decode()
    data = {
        "submission": token_of(page),
        "laporan-channel": "telepon",
        "laporan-received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "laporan-category": str(PpksCategory.objects.get(code="lanjut_usia_telantar").pk),
        "laporan-report": "Seorang nenek tidur di halte Sadang.",
        "ppks-name": "Nini Saodah",
        "ppks-nik": "",
        "ppks-sex": "P",
        "ppks-birth_date": "",
        "ppks-estimated_age": "80",
        "ppks-origin": "Cianjur",
        "ppks-disability": "tidak",
        "ppks-family_contact": "",
        "pelapor-name": "Pak Ujang",
        "pelapor-contact": "0812-1111-2222",
        "pelapor-relation": "Warga",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer(client, team):
    client.force_login(team[0])
    return client


def detail(client, record):
    return client.get(record.get_absolute_url()).content.decode()


# Recording a new report.


def test_an_officer_records_a_report_and_its_page_opens_in_step_1(officer, identitas_service, team):
    response = officer.post(reverse("identitas:create", args=[identitas_service.slug]), report_form(officer, identitas_service))
    record = Facilitation.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.status == "report" and record.officer == team[0]
    assert record.number == f"0001/{timezone.localdate().year}"
    assert Person.objects.get(pk=record.pk).name == "Nini Saodah"
    assert Notes.objects.get(pk=record.pk).report == "Seorang nenek tidur di halte Sadang."
    page = detail(officer, record)
    assert "Nini Saodah" in page and "Pak Ujang" in page and "dari 300 menit kerja" in page


def test_the_form_starts_at_now_and_offers_only_active_categories(officer, identitas_service):
    PpksCategory.objects.filter(code="pengemis").update(is_active=False)
    page = officer.get(reverse("identitas:create", args=[identitas_service.slug])).content.decode()
    assert f'value="{timezone.localtime():%d/%m/%Y} ' in page
    assert "Lanjut usia telantar" in page and ">Pengemis<" not in page


def test_a_second_click_on_save_records_one_facilitation(officer, identitas_service):
    data = report_form(officer, identitas_service)
    url = reverse("identitas:create", args=[identitas_service.slug])
    first = officer.post(url, data)
    second = officer.post(url, data, follow=True)
    assert Facilitation.objects.count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "tidak dicatat dua kali" in second.content.decode()


def _days_ago(days):
    return (timezone.localtime() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ppks-nik": "32140101015000"}, "NIK harus 16 angka."),
        ({"ppks-nik": "9914010101500001"}, "bukan kode wilayah"),
        ({"ppks-nik": "3214014101500001", "ppks-sex": "L"}, "Jenis kelamin dalam NIK"),
        ({"ppks-nik": NIK, "ppks-sex": "L", "ppks-birth_date": "1951-01-01"}, "Tanggal lahir dalam NIK berbeda"),
        ({"ppks-birth_date": "2999-01-01"}, "Tanggal lahir tidak boleh di masa depan."),
        ({"ppks-estimated_age": ""}, "Isi tanggal lahir atau perkiraan umur."),
        ({"ppks-name": ""}, "Tulis nama PPKS, atau nama panggilannya"),
        ({"pelapor-contact": ""}, "Tulis kontak pelapor"),
        ({"laporan-report": ""}, "Tuliskan isi laporan."),
        ({"laporan-received_at": _days_ago(8)}, "paling lama 7 hari yang lalu"),
        ({"laporan-received_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
         "tidak boleh di masa depan"),
        ({"laporan-received_at": "31/02/2026 10.30"}, "Tanggal dan jam tidak valid. Tulis seperti 07/12/2026 10.30."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(officer, identitas_service, changes, message):
    data = report_form(officer, identitas_service, **changes)
    response = officer.post(reverse("identitas:create", args=[identitas_service.slug]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert Facilitation.objects.count() == 0
    assert "Seorang nenek tidur di halte Sadang." in page or not data["laporan-report"]
    assert 'value="Pak Ujang"' in page and 'value="Cianjur"' in page


def test_the_kabid_does_not_record_a_report(client, kabid, identitas_service):
    client.force_login(kabid)
    assert client.get(reverse("identitas:create", args=[identitas_service.slug])).status_code == 403


def test_an_unknown_service_is_404(officer):
    assert officer.get(reverse("identitas:create", args=["tidak-ada"])).status_code == 404


# The register.


def test_the_register_shows_the_team_masked_names_and_niks_and_logs_them(officer, new_facilitation, team):
    record = new_facilitation(name="Mbah Karta Wiguna", nik=NIK, estimated_age=None, birth_date="1950-01-01")
    response = officer.get(reverse("identitas:register"))
    page = response.content.decode()
    assert record.number in page
    assert "M*** K*** W***" in page and "3214********0001" in page
    assert "Karta" not in page and NIK not in page
    assert AccessLog.objects.filter(facilitation=record, user=team[0], action=AccessLog.Action.VIEW,
                                    what="Daftar fasilitasi").exists()


def test_the_register_costs_the_same_queries_for_5_and_60_rows(client, new_facilitation, kabid):
    client.force_login(kabid)
    for _ in range(5):
        new_facilitation()
    client.get(reverse("identitas:register"))  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("identitas:register")).status_code == 200
    for _ in range(55):
        new_facilitation()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("identitas:register")).content.decode()
    assert len(many) == len(few)
    assert "60 fasilitasi" in page and page.count('href="/identitas/fasilitasi/') == 25


def test_the_register_shows_the_working_minutes_used_so_far_without_the_wait(client, facilitation_at, team, kabid):
    monday = wib(2026, 11, 23, 8, 0)
    with now_is(monday):
        record = facilitation_at("accompaniment", received_at=monday)
    client.force_login(kabid)
    with now_is(wib(2026, 11, 23, 10, 0)):
        assert "120 menit kerja terpakai" in client.get(reverse("identitas:register")).content.decode()
        services.wait_start(record, actor=team[0], expected_status="accompaniment")
    with now_is(wib(2026, 11, 24, 9, 0)):
        client.force_login(kabid)  # the session of Monday has expired by Tuesday's clock
        page = client.get(reverse("identitas:register")).content.decode()
    # The wait's own working minutes (Monday 10.00 to Tuesday 09.00) are Disdukcapil's, not the agency's.
    assert "menunggu Disdukcapil" in page and "120 menit kerja terpakai" in page
    assert agency_minutes(current(record), now=wib(2026, 11, 24, 9, 0)) == 120


def test_the_register_pages_by_25(client, new_facilitation, kabid):
    client.force_login(kabid)
    for _ in range(26):
        new_facilitation()
    page = client.get(reverse("identitas:register")).content.decode()
    assert "26 fasilitasi" in page and "Halaman 1 dari 2" in page
    assert page.count('href="/identitas/fasilitasi/') == 25


def test_the_register_filters_by_status_kecamatan_and_category(client, new_facilitation, facilitation_at, kabid, fire, kecamatan):
    client.force_login(kabid)
    waiting = new_facilitation()
    found = facilitation_at("analysis")  # has its kecamatan since the outreach
    declined = facilitation_at("review")
    fire(declined, "review.decline", kabid, note="Bukan PPKS terlantar.")
    finished = facilitation_at("selesai")
    other = new_facilitation()
    Facilitation.objects.filter(pk=other.pk).update(category=PpksCategory.objects.get(code="anak_jalanan"))

    def listed(**params):
        page = client.get(reverse("identitas:register"), params).content.decode()
        return {r.number for r in (waiting, found, declined, finished, other) if f">{r.number}<" in page}

    assert listed() == {waiting.number, found.number, other.number}
    assert listed(status="selesai") == {finished.number}
    assert listed(status="ditolak") == {declined.number}
    assert listed(status="semua") == {waiting.number, found.number, declined.number, finished.number, other.number}
    assert listed(status="semua", kecamatan=kecamatan.pk) == {found.number, finished.number}
    assert listed(jenis=PpksCategory.objects.get(code="anak_jalanan").pk) == {other.number}
    assert listed(q=str(waiting.sequence)) == {waiting.number}
    # A value that is not among the choices is ignored, not an error.
    assert client.get(reverse("identitas:register"), {"status": "<script>", "kecamatan": "x", "jenis": "٣", "page": "999"}).status_code == 200


def test_overdue_rows_stand_out_in_words(client, new_facilitation, kabid):
    client.force_login(kabid)
    late = new_facilitation()
    on_time = new_facilitation()
    Facilitation.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=3))
    page = client.get(reverse("identitas:register"), {"status": "terlambat"}).content.decode()
    assert late.number in page and on_time.number not in page
    assert "Lewat batas waktu" in page and "lewat 3 jam" in page


def test_the_team_finds_by_name_or_nik_by_post_only(officer, new_facilitation):
    wanted = new_facilitation(name="Mbah Karta", nik=NIK, estimated_age=None, birth_date="1950-01-01")
    other = new_facilitation(name="Ki Darma")
    for query in ("karta", NIK):
        response = officer.post(reverse("identitas:register"), {"q": query})
        page = response.content.decode()
        assert response.status_code == 200
        assert f">{wanted.number}<" in page and f">{other.number}<" not in page
    # By GET, a name finds nothing: names stay out of URLs.
    page = officer.get(reverse("identitas:register"), {"q": "karta"}).content.decode()
    assert f">{wanted.number}<" not in page


# The facilitation's page, step by step.


def step(client, record, transition, **fields):
    """The facilitation's page's step form as the browser sends it: its fields and the button pressed."""
    data = {"transition": transition, "expected_status": current(record).status, "note": "", **fields}
    return client.post(record.get_absolute_url(), {f"langkah-{name}": value for name, value in data.items()})


def test_a_report_goes_from_step_1_to_the_archive_through_the_pages(client, officer, identitas_service, team, kabid, kecamatan):
    desa = Desa.objects.create(kecamatan=kecamatan, name="Desa Contoh")
    officer.post(reverse("identitas:create", args=[identitas_service.slug]), report_form(officer, identitas_service))
    record = Facilitation.objects.get()
    response = step(officer, record, "report", report="Seorang nenek tidur di halte Sadang, sudah tiga malam.")
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert Notes.objects.get(pk=record.pk).report == "Seorang nenek tidur di halte Sadang, sudah tiga malam."

    client.force_login(kabid)
    assert current(record).status == "review" and "Isi laporan" in detail(client, record)
    assert step(client, record, "review.accept").status_code == 302
    client.force_login(team[0])

    assert current(record).status == "record"
    response = client.post(reverse("attachment_upload", args=["identitas", record.pk]), {
        "kind": "dtks_letter", "file": SimpleUploadedFile("dtks.pdf", b"%PDF-1.4 surat", content_type="application/pdf"),
    })
    assert response.status_code == 302
    assert step(client, record, "record", population_record="diminta", dtks_letter="terlampir",
                population_recorded="tidak", population_record_data="").status_code == 302

    assert current(record).status == "outreach"
    assert step(client, record, "outreach", found_address="Halte Sadang", kecamatan=kecamatan.pk, desa=desa.pk,
                latitude="-6.5561", longitude="107.4433", condition="Lemah, pendengaran kurang.",
                family_traces="Anak di Cianjur.", photo_consent="setuju").status_code == 302
    assert current(record).kecamatan == kecamatan
    assert Notes.objects.get(pk=record.pk).desa == desa

    assert step(client, record, "analysis", needs_analysis="Perlu NIK dan KTP-el.").status_code == 302

    assert current(record).status == "accompaniment"
    client.post(reverse("identitas:wait_start", args=[record.pk]), {"expected_status": "accompaniment"})
    assert "Dihentikan sementara: menunggu Disdukcapil" in detail(client, record)
    assert "Dihentikan sementara: menunggu Disdukcapil" in client.get(reverse("identitas:register")).content.decode()
    client.post(reverse("identitas:wait_end", args=[record.pk]), {"expected_status": "accompaniment"})
    # Disdukcapil's population record information, asked of it in step 3, arrives with its output.
    response = client.post(reverse("attachment_upload", args=["identitas", record.pk]), {
        "kind": "population_record",
        "file": SimpleUploadedFile("rekam.pdf", b"%PDF-1.4 rekam", content_type="application/pdf"),
    })
    assert response.status_code == 302
    page = detail(client, record)
    response = client.post(reverse("identitas:document_add", args=[record.pk]), {
        "expected_status": "accompaniment", "submission": token_of(page), "kind": "nik",
        "number": "3214014101460001", "issued_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 302
    assert Person.objects.get(pk=record.pk).nik == "3214014101460001"
    assert step(client, record, "accompaniment").status_code == 302

    assert current(record).status == "result_report"
    response = step(client, record, "result_report", summary="NIK terbit; KTP-el menyusul.", missed_reason="")
    assert response.status_code == 302
    record = current(record)
    assert record.status == "archive" and record.result_reported_at is not None and record.agency_minutes is not None

    for kind in FollowUp.SUGGESTED_KINDS:
        response = client.post(reverse("identitas:follow_up", args=[record.pk]), {
            "expected_status": "archive", "kind": kind, "state": "dilaksanakan",
            "done_on": timezone.localdate().isoformat(), "note": "",
        })
        assert response.status_code == 302
    assert step(client, record, "archive").status_code == 302
    assert current(record).status == "selesai"

    response = fetch(client, "identitas.result_report", {"pk": record.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="laporan-hasil-{record.file_stem}.pdf"'
    assert AccessLog.objects.filter(facilitation=record, action=AccessLog.Action.PRINT).count() == 1


def test_the_team_page_shows_the_step_form_first_and_logs_the_view(officer, facilitation_at, team):
    record = facilitation_at("outreach")
    before = AccessLog.objects.filter(facilitation=record, action=AccessLog.Action.VIEW).count()
    page = detail(officer, record)
    assert 'name="langkah-found_address"' in page and 'name="langkah-photo_consent"' in page
    assert ">Penjangkauan dan asesmen selesai</button>" in page and "Simpan catatan" not in page
    assert page.index('id="langkah-anda"') < page.index('id="ringkasan"')  # the step first, then the parts
    assert "Mbah Karta" in page and "Ketua RT 02" in page
    assert AccessLog.objects.filter(facilitation=record, action=AccessLog.Action.VIEW).count() == before + 1


def test_a_step_with_a_missing_field_comes_back_with_the_message_beside_it_and_everything_typed(officer, facilitation_at, kecamatan):
    record = facilitation_at("outreach")
    Notes.objects.filter(pk=record.pk).update(found_address="", condition="")
    before = record_state(record)
    response = step(officer, record, "outreach", found_address="Kolong jembatan Ciganea", kecamatan=kecamatan.pk,
                    condition="", family_traces="Kakak di Plered.", photo_consent="menolak", note="Ditemani RT.")
    page = response.content.decode()
    assert response.status_code == 400 and response.request["PATH_INFO"] == record.get_absolute_url()
    field = page[page.index('id="id_langkah-condition"'):]
    assert "Tuliskan kondisi PPKS." in field[: field.index("</div>") + 200]
    assert 'href="#id_langkah-condition"' in page  # the error summary links to it
    assert 'value="Kolong jembatan Ciganea"' in page and ">\nKakak di Plered.</textarea>" in page
    assert ">\nDitemani RT.</textarea>" in page
    assert re.search(rf'<option value="{kecamatan.pk}"\s+selected>', page)
    assert re.search(r'value="menolak"[^>]*checked', page)
    before["access"] += 1  # the page shown again with the form is a view of the identity
    assert record_state(record) == before


def test_a_draft_of_a_step_is_saved_and_the_step_stays(officer, facilitation_at):
    record = facilitation_at("analysis")
    Notes.objects.filter(pk=record.pk).update(needs_analysis="")
    assert step(officer, record, "simpan", needs_analysis="Separuh: NIK dulu.").status_code == 302
    assert Notes.objects.get(pk=record.pk).needs_analysis == "Separuh: NIK dulu."
    assert current(record).status == "analysis"


def test_a_desa_of_another_kecamatan_is_refused_beside_the_field(officer, facilitation_at, kecamatan, government):
    record = facilitation_at("outreach")
    elsewhere = Desa.objects.create(kecamatan=Kecamatan.objects.create(regency=government, name="Lain"), name="Desa Lain")
    before = record_state(record)
    response = step(officer, record, "outreach", found_address="Pasar", kecamatan=kecamatan.pk, desa=elsewhere.pk)
    assert response.status_code == 400
    assert "tidak berada di kecamatan yang dipilih" in response.content.decode()
    before["access"] += 1  # the page shown again with the form is a view of the identity
    assert record_state(record) == before


def test_a_stale_page_is_refused_with_a_message(officer, facilitation_at):
    record = facilitation_at("analysis")
    Notes.objects.filter(pk=record.pk).update(needs_analysis="")
    before = record_state(record)
    response = officer.post(record.get_absolute_url(), {
        "langkah-transition": "simpan", "langkah-expected_status": "outreach", "langkah-condition": "Lemah, perlu makan.",
    })
    page = response.content.decode()
    assert response.status_code == 400
    # What was typed on the outreach page comes back beside the analysis step's form, not lost.
    assert "baru saja diubah oleh pengguna lain" in page
    assert "Lemah, perlu makan." in page[page.index("Yang Anda isi belum tersimpan"):]
    before["access"] += 1  # the page shown again with the form is a view of the identity
    assert record_state(record) == before


def test_a_document_posted_in_step_4_is_refused_and_nothing_changes(officer, facilitation_at):
    record = facilitation_at("outreach")
    page = detail(officer, record)
    assert 'action="/identitas/fasilitasi/%d/dokumen/"' % record.pk not in page  # the page offers no such form
    before = record_state(record)
    response = officer.post(reverse("identitas:document_add", args=[record.pk]), {
        "expected_status": "outreach", "submission": "5f0c0b7e-0000-4000-8000-000000000001", "kind": "kk",
        "number": "3214010101260001", "issued_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 400
    assert "pada langkah pendampingan (6)" in response.content.decode()
    before["access"] += 1
    assert record_state(record) == before


@pytest.mark.parametrize(
    "kind, number, message",
    [
        ("kk", "321401010126000", "Nomor KK harus 16 angka."),
        ("kk", "9914010101260001", "bukan kode wilayah"),
        ("akta", "3214/LT/15012026/0001", "seperti 3214-LT-15012026-0001"),
        ("ktp", "3214010101500000", "tidak boleh 0000"),
    ],
)
def test_a_document_number_in_the_wrong_format_is_refused_beside_the_field(officer, facilitation_at, kind, number, message):
    record = facilitation_at("accompaniment")
    page = detail(officer, record)
    response = officer.post(reverse("identitas:document_add", args=[record.pk]), {
        "expected_status": "accompaniment", "submission": token_of(page), "kind": kind, "number": number,
        "issued_on": timezone.localdate().isoformat(),
    })
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content and f'value="{number}"' in content
    assert not IssuedDocument.objects.filter(facilitation=record).exists()


def test_a_document_posted_twice_is_saved_once(officer, facilitation_at):
    record = facilitation_at("accompaniment")
    data = {
        "expected_status": "accompaniment", "submission": token_of(detail(officer, record)), "kind": "kk",
        "number": "3214010101260001", "issued_on": timezone.localdate().isoformat(),
    }
    url = reverse("identitas:document_add", args=[record.pk])
    assert officer.post(url, data).status_code == 302
    second = officer.post(url, data, follow=True)
    assert IssuedDocument.objects.filter(facilitation=record).count() == 1
    assert "tidak disimpan dua kali" in second.content.decode()


def document_typed(page, *, status, number="3214010101260001"):
    """The step 6 form as an officer fills it: a KK Disdukcapil issued today."""
    return {
        "expected_status": status, "submission": token_of(page), "kind": "kk", "number": number,
        "issued_on": f"{timezone.localdate():%d/%m/%Y}",
    }


def assert_kept(content, typed):
    assert re.search(r'<option value="kk"\s+selected>', content)
    for name in ("number", "issued_on", "submission"):
        assert f'value="{typed[name]}"' in content, name


def test_a_document_refused_for_a_missing_requirement_keeps_everything_typed(officer, facilitation_at):
    record = facilitation_at("accompaniment", obtained=False)
    typed = document_typed(detail(officer, record), status="accompaniment")
    before = record_state(record)
    response = officer.post(reverse("identitas:document_add", args=[record.pk]), typed)

    content = response.content.decode()
    assert response.status_code == 400
    assert "Dokumen yang terbit dicatat setelah persyaratan lengkap. Belum lengkap: informasi rekam data" in content
    assert_kept(content, typed)
    before["access"] += 1
    assert record_state(record) == before


def test_a_document_typed_while_another_officer_reported_the_result_is_shown_again_as_typed(officer, facilitation_at, team):
    record = facilitation_at("result_report")
    typed = document_typed(detail(officer, record), status="result_report")  # step 7 still takes a late document
    take(record, team[1], "result_report", summary="NIK terbit.")
    before = record_state(record)
    response = officer.post(reverse("identitas:document_add", args=[record.pk]), typed)

    content = response.content.decode()
    assert response.status_code == 400 and "baru saja diubah oleh pengguna lain" in content
    assert_kept(content, typed)
    before["access"] += 1
    assert record_state(record) == before


def test_past_300_minutes_the_result_needs_its_reason(officer, facilitation_at):
    record = facilitation_at("result_report")
    Facilitation.objects.filter(pk=record.pk).update(received_at=timezone.now() - timedelta(days=30))
    page = detail(officer, record)
    assert "melewati standar 300 menit" in page and "alasannya wajib ditulis" in page
    response = step(officer, record, "result_report", summary="NIK terbit.", missed_reason="")
    assert response.status_code == 400 and "tuliskan alasannya" in response.content.decode()
    assert ">\nNIK terbit.</textarea>" in response.content.decode()
    assert current(record).status == "result_report" and current(record).result_reported_at is None
    response = step(officer, record, "result_report", summary="NIK terbit.", missed_reason="Server Disdukcapil mati.")
    assert response.status_code == 302
    record = current(record)
    assert record.standard_missed and record.status == "archive"
    assert Notes.objects.get(pk=record.pk).missed_reason == "Server Disdukcapil mati."


def test_a_follow_up_not_needed_needs_its_reason(officer, facilitation_at):
    record = facilitation_at("result_report")
    before = record_state(record)
    response = officer.post(reverse("identitas:follow_up", args=[record.pk]), {
        "expected_status": "result_report", "kind": "jkn", "state": "tidak_perlu", "done_on": "", "note": "",
    })
    assert response.status_code == 400 and "mengapa tindak lanjut ini tidak diperlukan" in response.content.decode()
    before["access"] += 1
    assert record_state(record) == before


def test_the_team_edits_the_identity_and_each_opening_is_logged(officer, new_facilitation, team):
    record = new_facilitation()
    page = officer.get(reverse("identitas:identity_edit", args=[record.pk])).content.decode()
    assert 'value="Mbah Karta"' in page
    assert AccessLog.objects.filter(facilitation=record, action=AccessLog.Action.VIEW, what="Ubah identitas").exists()
    data = {
        "expected_status": "report", "laporan-category": str(record.category_id),
        "ppks-name": "Karta Sasmita", "ppks-is_alias": "", "ppks-nik": NIK, "ppks-sex": "L", "ppks-birth_date": "",
        "ppks-estimated_age": "75", "ppks-origin": "", "ppks-disability": "tidak", "ppks-family_contact": "",
        "pelapor-name": "Ketua RT 02", "pelapor-contact": "0812", "pelapor-relation": "",
    }
    url = reverse("identitas:identity_edit", args=[record.pk])
    assert officer.post(url, {**data, "ppks-nik": "123"}).status_code == 400
    assert officer.post(url, data).status_code == 302
    person = Person.objects.get(pk=record.pk)
    assert (person.name, person.nik) == ("Karta Sasmita", NIK)


def test_the_kabid_reads_the_access_log_and_an_officer_may_not(client, new_facilitation, kabid, team):
    record = new_facilitation()
    client.force_login(team[1])
    client.get(record.get_absolute_url())
    assert client.get(reverse("access_log", args=["identitas", record.pk])).status_code == 403
    client.force_login(kabid)
    page = client.get(reverse("access_log", args=["identitas", record.pk])).content.decode()
    assert "tim2" in page and "Melihat identitas" in page


def test_a_declined_report_prints_its_reply_letter(client, facilitation_at, kabid, fire):
    record = facilitation_at("review")
    fire(record, "review.decline", kabid, note="Sudah memiliki KTP-el.")
    client.force_login(kabid)
    assert "Surat jawaban kepada pelapor" in detail(client, record)
    response = client.get(reverse("identitas:decline_letter_pdf", args=[record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="surat-jawaban-{record.file_stem}.pdf"'
    assert AccessLog.objects.filter(facilitation=record, action=AccessLog.Action.PRINT, user=kabid).exists()
    assert ask(client, "identitas.result_report", {"pk": record.pk}).status_code == 404


def test_an_open_record_has_no_reply_letter(client, new_facilitation, kabid):
    record = new_facilitation()
    client.force_login(kabid)
    assert client.get(reverse("identitas:decline_letter_pdf", args=[record.pk])).status_code == 404
    assert ask(client, "identitas.result_report", {"pk": record.pk}).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.PRINT).exists()


# The quarterly evaluation.


@pytest.mark.parametrize("who", ["kabid", "agency_head"])
def test_the_leadership_reads_the_quarterly_evaluation(client, request, facilitation_at, identitas_service, who):
    facilitation_at("archive")
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("identitas:evaluation"))
    assert response.status_code == 200
    context = response.context
    assert context["service"] == identitas_service and context["services"] == [identitas_service]
    today = timezone.localdate()
    assert context["quarter"] == Quarter(today.year, (today.month - 1) // 3 + 1) == context["quarters"][0]
    assert context["evaluation"].completed == 1
    assert context["pdf_url"] == f"/identitas/evaluasi/evaluasi.pdf?layanan=identitas-ppks&periode={context['quarter'].code}"
    response = client.get(context["pdf_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, facilitation=None).count() == 1


@pytest.mark.parametrize("value", ["2026-Q5", "abc", "2026-3", "9999-Q1"])
def test_a_quarter_not_understood_gets_a_message_or_404_never_500(client, kabid, identitas_service, value):
    client.force_login(kabid)
    response = client.get(reverse("identitas:evaluation"), {"periode": value})
    assert response.status_code == 200 and "tidak dikenali" in response.content.decode()
    pdf = client.get(reverse("identitas:evaluation_pdf"), {"periode": value})
    assert pdf.status_code == 404


def test_an_unknown_service_in_the_evaluation_is_404(client, kabid, identitas_service):
    client.force_login(kabid)
    assert client.get(reverse("identitas:evaluation"), {"layanan": "tidak-ada"}).status_code == 404


def test_step_7_is_the_team_s_form_at_the_top_and_the_kabid_waits_for_it(client, facilitation_at, team, kabid):
    record = facilitation_at("result_report")
    button = ">Laporkan hasil kepada Kabid</button>"

    client.force_login(team[1])
    page = detail(client, record)
    assert button in page and 'name="langkah-summary"' in page and 'name="langkah-missed_reason"' in page
    client.force_login(kabid)  # the team's step: the Kabid has no form for it
    page = detail(client, record)
    assert button not in page and 'name="langkah-summary"' not in page and "Menunggu Tim Kerja." in page


@pytest.mark.parametrize(
    "name", ["requirement_waive", "document_add", "follow_up", "wait_start", "wait_end"]
)
def test_a_reload_of_a_write_address_goes_back_to_the_facilitation(client, facilitation_at, team, name):
    record = facilitation_at("record")
    client.force_login(team[0])
    response = client.get(reverse(f"identitas:{name}", args=[record.pk]))
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()


def test_the_start_page_s_link_lists_only_what_waits_for_the_user(client, new_facilitation, facilitation_at, kabid, fire):
    in_review = facilitation_at("review")
    unmet = facilitation_at("accompaniment", obtained=False)  # the waiver is the Kabid's task
    elsewhere = new_facilitation()  # the team's step 1
    client.force_login(kabid)
    page = client.get(reverse("identitas:register"), {"tugas": "saya"}).content.decode()
    listed = {record.number for record in (in_review, unmet, elsewhere) if f">{record.number}<" in page}
    assert listed == {in_review.number, unmet.number}
    assert "menunggu langkah atau tugas Anda" in page


def test_the_result_is_reported_through_its_form_only_so_the_agency_s_time_is_measured(officer, facilitation_at, team):
    record = facilitation_at("result_report")
    take(record, team[0], "simpan", summary="NIK terbit.")  # a draft: the summary is there, the time not measured
    before = record_state(record)
    with pytest.raises(TransitionError, match="dengan formulir langkah ini"):  # a bare transition, not the form
        transition_fire(record, name="result_report", actor=team[0], expected_status="result_report")
    assert record_state(record) == before
