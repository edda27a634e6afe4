"""The printed documents of a facilitation (identitas.documents), on records walked through identitas.services.

The services' clock is set to known moments (`now_is`, as in test_services.py), so the minutes printed are the
ones the clock measured.
"""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from identitas import services
from identitas.documents import decline_letter_pdf, result_report_pdf
from identitas.models import FollowUp, Notes
from portal.models import Desa, Membership
from portal.roles import Role
from tests.identitas.conftest import NIK, current, now_is, wib, take

KK = "3214012345678901"
BIRTH_CERTIFICATE = "3214-LT-24112026-0007"
MISSED_REASON = "Jaringan SIAK Disdukcapil terputus sepanjang pagi."
DECLINE_REASON = "Yang dilaporkan tinggal bersama anaknya dan sudah memiliki KTP-el."
PERSON = "Mbah Karta"
WAIVER_REASON = "Disdukcapil tidak menemukan data rekam; perekaman dilakukan saat pendampingan."


def pdf_reader(pdf: bytes):
    return PdfReader(BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The PDF's text with whitespace collapsed, so a phrase wrapped over two lines is still found."""
    return " ".join(" ".join(page.extract_text() for page in pdf_reader(pdf).pages).split())


@pytest.fixture
def signers(agency, rehdayasos, kabid, team):
    """The letterhead on the agency; names, jabatan and NIP for the Kabid and the first officer."""
    agency.government_name, agency.agency_name = "Pemerintah Kabupaten Contoh", "Dinas Sosial Contoh"
    agency.address, agency.phone = "Jl. Taman Pahlawan No. 9", "0264-000000"
    agency.save()
    for user, (first, last), title, nip in (
        (kabid, ("Euis", "Rahmawati"), "Kepala Bidang Rehabilitasi dan Pemberdayaan Sosial", "197501012000032001"),
        (team[0], ("Dede", "Kurniawan"), "Pekerja Sosial", "198803152010011002"),
    ):
        user.first_name, user.last_name = first, last
        user.save()
        Membership.objects.filter(user=user).update(title=title, nip=nip)
    return kabid, team[0]


@pytest.fixture
def reported(facilitation_at, fire, team, kecamatan, signers):
    """A facilitation reported in step 7 past the standard: 120 minutes on Monday, a wait for Disdukcapil until
    Tuesday 09.00 (345 minutes, not the agency's), 240 minutes on Tuesday: 360 in all."""
    officer = team[0]
    monday = wib(2026, 11, 23, 8, 0)
    with now_is(monday):
        record = facilitation_at(
            "accompaniment", received_at=monday, name=PERSON, birth_date=date(1950, 1, 1), estimated_age=None,
            origin="Garut", disability="fisik",
        )
    Notes.objects.filter(pk=record.pk).update(desa=Desa.objects.create(kecamatan=kecamatan, name="Cibeureum"))
    with now_is(wib(2026, 11, 23, 10, 0)):
        services.wait_start(record, actor=officer, expected_status="accompaniment")
    with now_is(wib(2026, 11, 24, 9, 0)):
        services.wait_end(current(record), actor=officer, expected_status="accompaniment")
        for kind, number in (("nik", NIK), ("kk", KK), ("akta", BIRTH_CERTIFICATE)):
            services.document_add(
                current(record), actor=officer, expected_status="accompaniment", kind=kind, number=number,
                issued_on=date(2026, 11, 24),
            )
        services.follow_up_update(
            current(record), actor=officer, expected_status="accompaniment", kind=FollowUp.Kind.HEALTH_INSURANCE,
            state=FollowUp.State.DONE, done_on=date(2026, 11, 24),
        )
        fire(record, "accompaniment", officer)
    with now_is(wib(2026, 11, 24, 13, 0)):
        take(current(record), officer, "result_report", summary="NIK, KK dan akta kelahiran terbit; PBI JK didaftarkan.", missed_reason=MISSED_REASON,
        )
    return current(record)


def test_the_result_report_prints_the_whole_facilitation(reported, team, kabid):
    pdf = result_report_pdf(reported, user=team[1])
    text = text_of(pdf)

    assert pdf.startswith(b"%PDF")
    for expected in (
        # The letterhead of the service's unit: the agency's, as the Bidang has none of its own.
        "PEMERINTAH KABUPATEN CONTOH", "DINAS SOSIAL CONTOH", "Jl. Taman Pahlawan No. 9",
        "LAPORAN HASIL LAYANAN", f"Nomor: {reported.number}",
        "Laporan diterima : 23 November 2026 08.00", "Saluran laporan : Telepon", "Lanjut usia telantar",
        # The person.
        PERSON, f"NIK : {NIK}", "Laki-laki", "1 Januari 1950", "Garut", "Disabilitas fisik",
        # Where found, the assessment.
        "Kecamatan Contoh", "Cibeureum", "Pasar Rebo, kios 12", "Perlu NIK dan KTP-el.",
        # The documents.
        f"Perekaman NIK {NIK} 24 November 2026", f"Kartu Keluarga {KK}", f"Akta Kelahiran {BIRTH_CERTIFICATE}",
        # The time: the agency's, the wait apart, the standard missed and why.
        "360 menit kerja", "345 menit kerja (dihitung terpisah)", "Melewati standar waktu (60 menit lebih)",
        MISSED_REASON, "NIK, KK dan akta kelahiran terbit",
        # Follow-ups and their state.
        "Jaminan kesehatan (PBI JK) Dilaksanakan 24 November 2026", "Pendaftaran DTKS/DTSEN Disarankan",
        # The steps, who and when.
        "Layanan dimulai", "Lanjutkan", "Laporkan hasil kepada Kabid", "Euis Rahmawati",
        # Signed by the officer, known by the Kabid who accepted the report.
        "Mengetahui,", "Kepala Bidang Rehabilitasi dan Pemberdayaan Sosial", "NIP. 197501012000032001",
        "Contoh, 24 November 2026", "Tim Kerja,", "Pekerja Sosial", "Dede Kurniawan", "NIP. 198803152010011002",
        f"Dicetak oleh {team[1].username}",
    ):
        assert expected in text, expected


def test_a_report_within_the_standard_of_a_person_without_nik_or_birth_date(facilitation_at, fire, team, signers):
    """Only a KK issued, so the NIK stays unknown; the age is estimated; no desa, no wait."""
    officer = team[0]
    monday = wib(2026, 11, 23, 8, 0)
    with now_is(monday):
        record = facilitation_at("accompaniment", received_at=monday)
    with now_is(wib(2026, 11, 23, 11, 0)):
        services.document_add(
            record, actor=officer, expected_status="accompaniment", kind="kk", number=KK, issued_on=date(2026, 11, 23)
        )
        fire(record, "accompaniment", officer)
        take(current(record), officer, "result_report", summary="KK terbit.")
    record = current(record)
    assert record.person.nik == "" and record.person.birth_date is None

    text = text_of(result_report_pdf(record, user=officer))

    for expected in (
        "NIK : Belum diketahui", "± 75 tahun (perkiraan)", "Desa/kelurahan : -", "180 menit kerja",
        "0 menit kerja (dihitung terpisah)", "Memenuhi standar waktu", f"Kartu Keluarga {KK}",
    ):
        assert expected in text, expected
    assert "Alasan melewati standar waktu" not in text


def test_the_result_report_prints_each_requirement_and_the_kabid_s_waiver(facilitation_at, fire, team, kabid, signers):
    officer = team[0]
    monday = wib(2026, 11, 23, 8, 0)
    with now_is(monday):
        record = facilitation_at("accompaniment", received_at=monday, obtained=False)
    with now_is(wib(2026, 11, 23, 9, 30)):
        services.requirement_waive(
            record, actor=kabid, expected_status="accompaniment", requirement="population_record", reason=WAIVER_REASON
        )
        services.document_add(
            current(record), actor=officer, expected_status="accompaniment", kind="kk", number=KK,
            issued_on=date(2026, 11, 23),
        )
        fire(record, "accompaniment", officer)
        take(current(record), officer, "result_report", summary="KK terbit.")

    text = text_of(result_report_pdf(current(record), user=officer))

    for expected in (
        "Informasi rekam data kependudukan : Dikesampingkan oleh Kabid",
        "Dikesampingkan oleh Euis Rahmawati pada 23 November 2026 09.30. Alasan: " + WAIVER_REASON,
        "Surat keterangan DTKS : Terlampir", "Status rekam data kependudukan : Belum terekam",
    ):
        assert expected in text, expected


def test_an_officer_without_a_jabatan_signs_as_tim_kerja(facilitation_at, team, signers):
    Membership.objects.filter(user=team[0]).update(title="", nip="")
    record = facilitation_at("archive")

    text = text_of(result_report_pdf(record, user=team[0]))

    assert "Tim Kerja, Dede Kurniawan" in text
    assert "Pimpinan" not in text


def test_the_person_is_named_in_the_body_only(reported, team):
    pdf = result_report_pdf(reported, user=team[0])

    assert pdf_reader(pdf).metadata.title == f"Laporan Hasil Layanan {reported.number}"
    assert PERSON not in str(pdf_reader(pdf).metadata)


def test_no_result_report_before_step_7(facilitation_at, team):
    with pytest.raises(ValueError, match="no result reported"):
        result_report_pdf(facilitation_at("result_report"), user=team[0])


# The decline letter.


@pytest.fixture
def declined(new_facilitation, fire, team, kabid, signers):
    with now_is(wib(2026, 11, 23, 9, 0)):
        record = new_facilitation(received_at=wib(2026, 11, 23, 8, 30), name=PERSON)
        fire(record, "report", team[0])
    with now_is(wib(2026, 11, 24, 10, 0)):
        fire(record, "review.decline", kabid, note=DECLINE_REASON)
    return current(record)


def test_the_decline_letter_tells_the_reporter_why(declined, team):
    pdf = decline_letter_pdf(declined, user=team[0])
    text = text_of(pdf)

    assert pdf.startswith(b"%PDF")
    for expected in (
        "PEMERINTAH KABUPATEN CONTOH", "DINAS SOSIAL CONTOH", f"Nomor : {declined.number}",
        "Kepada Yth. Ketua RT 02 0812-0000-0000 di tempat",
        "pada tanggal 23 November 2026 melalui telepon mengenai lanjut usia telantar atas nama Mbah Karta",
        "tidak dapat dilanjutkan", DECLINE_REASON,
        # Signed by the Kabid who declined, on that day.
        "Contoh, 24 November 2026", "Kepala Bidang Rehabilitasi dan Pemberdayaan Sosial", "Euis Rahmawati",
        "NIP. 197501012000032001",
    ):
        assert expected in text, expected
    assert pdf_reader(pdf).metadata.title == f"Tanggapan atas Laporan {declined.number}"


def test_the_letter_is_signed_by_the_kabid_who_declined_not_another(declined, rehdayasos, make_user, team):
    other = make_user(rehdayasos, Role.HEAD, username="kabid2")
    other.first_name = "Agus"
    other.save()

    text = text_of(decline_letter_pdf(declined, user=team[0]))

    assert "Euis Rahmawati" in text and "Agus" not in text


def test_the_letter_of_a_person_without_nik_or_birth_date(declined, team):
    person = declined.person
    assert person.nik == "" and person.birth_date is None

    assert decline_letter_pdf(declined, user=team[0]).startswith(b"%PDF")


def test_no_decline_letter_for_a_report_that_was_accepted(facilitation_at, team):
    with pytest.raises(ValueError, match="review.decline"):
        decline_letter_pdf(facilitation_at("record"), user=team[0])


def test_a_kabid_who_has_left_still_signs_the_letter_of_their_decline(declined, kabid, team):
    Membership.objects.filter(user=kabid).delete()

    text = text_of(decline_letter_pdf(declined, user=team[0]))

    assert "Euis Rahmawati" in text and "NIP." not in text
