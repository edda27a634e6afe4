"""The printed documents of a case (cases.documents), on cases moved through cases.services as the pages do."""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from cases import services
from cases.documents import closure_report_pdf, referral_letter_pdf, spt_pdf
from cases.models import (
    Case,
    Consent,
    Partner,
    Perpetrator,
    PerpetratorRelation,
    Referral,
    Reporter,
    ServiceType,
    Victim,
    ViolenceType,
)
from portal.models import Desa, Kecamatan, Membership, Service, Unit
from portal.roles import Office, Role
from portal.services import transition_fire
from tests.cases.conftest import take_step

VICTIM_NAME = "Siti Korbaniah"
VICTIM_NIK = "3207014107100003"  # a girl born 1 July 2010 in 32.07.01
SKIP_REASON = "Korban stabil, tidak memerlukan pemeriksaan psikolog."
OVERRIDE_REASON = "Korban anak dalam bahaya; laporan polisi tidak dapat ditunda."


def text_of(pdf: bytes) -> str:
    """The PDF's text with whitespace collapsed, so a phrase wrapped over two lines is still found."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


@dataclass
class P2TP2A:
    unit: Unit
    service: Service
    kecamatan: Kecamatan
    desa: Desa
    hospital: Partner
    police: Partner
    recorder: object
    social_worker: object
    companion: object
    chair: object
    secretary: object


@pytest.fixture
def p2tp2a(government, agency, make_user):
    """A P2TP2A under the agency (whose letterhead and service hours it uses), its officers and its two heads."""
    agency.government_name, agency.agency_name = "Pemerintah Kabupaten Contoh", "Dinas Perlindungan Anak Contoh"
    agency.save()
    unit = Unit.objects.create(code="p2tp2a", name="P2TP2A Kabupaten Contoh", kind=Unit.Kind.OTHER, parent=agency)
    kecamatan = Kecamatan.objects.create(regency=government, code="32.07.01", name="Sukamaju")

    def person(role, first_name, last_name, title, nip="", office=""):
        user = make_user(unit, role, office=office)
        user.first_name, user.last_name = first_name, last_name
        user.save()
        Membership.objects.filter(user=user).update(title=title, nip=nip)
        return user

    return P2TP2A(
        unit=unit,
        service=Service.objects.create(slug="p2tp2a", name="Pelayanan dan Pendampingan P2TP2A", unit=unit, app="cases"),
        kecamatan=kecamatan,
        desa=Desa.objects.create(kecamatan=kecamatan, name="Cibeureum"),
        hospital=Partner.objects.create(
            unit=unit, name="RSUD Kabupaten Contoh", kind=Partner.Kind.HOSPITAL, address="Jl. Rumah Sakit No. 1"
        ),
        police=Partner.objects.create(unit=unit, name="Unit PPA Polres Contoh", kind=Partner.Kind.POLICE),
        recorder=person(Role.OFFICER, "Nining", "Sumarni", "Petugas Data P2TP2A"),
        social_worker=person(Role.OFFICER, "Dede", "Kurniawan", "Pekerja Sosial", "198803152010011002"),
        companion=person(Role.OFFICER, "Rina", "Marlina", "Pendamping Korban"),
        chair=person(Role.HEAD, "Euis", "Rahmawati", "Ketua P2TP2A", "197501012000032001", Office.CHAIR),
        secretary=person(Role.HEAD, "Agus", "Setiawan", "Sekretaris P2TP2A", "198001012005011003", Office.SECRETARY),
    )


def reloaded(case):
    return Case.objects.select_related("service", "unit").get(pk=case.pk)


def fire(case, name, actor, note=""):
    return reloaded(transition_fire(case, name=name, actor=actor, expected_status=case.status, note=note))


def notes(case, actor, field, text):
    services.notes_update(case, actor=actor, expected_status=case.status, field=field, text=text)


def case_at_outreach(p, *, reporter=None):
    """A case recorded and taken in, its SPT issued for the recorder and a social worker."""
    case = services.case_create(
        service=p.service,
        actor=p.recorder,
        case=Case(channel=Case.Channel.COMMUNITY, incident_date=date(2026, 10, 1), kecamatan=p.kecamatan),
        victim=Victim(
            name=VICTIM_NAME, nik=VICTIM_NIK, sex="P", birth_date=date(2010, 7, 1), kecamatan=p.kecamatan,
            desa=p.desa, address="Jl. Melati No. 3 RT 01/RW 02", education=Victim.Education.JUNIOR,
        ),
        reporter=reporter or Reporter(name="Ibu Pelapor", relation="Tetangga"),
        perpetrators=[Perpetrator(relation=PerpetratorRelation.objects.get(code="tetangga"), sex="L", age=40)],
        violence_types=[ViolenceType.objects.get(code="seksual")],
        chronology="Korban diganggu tetangganya sepulang sekolah.",
    )
    case = fire(case, "report", p.recorder)
    notes(case, p.recorder, "missing_documents_reason", "Pelapor belum membawa KTP.")
    case = fire(case, "intake", p.recorder)
    # Assigned and taken off again: the SPT lists the active team only.
    services.team_assign(case, actor=p.chair, expected_status=case.status, user=p.companion, function="companion")
    services.team_end(case.team.get(user=p.companion), actor=p.chair, expected_status=case.status)
    services.team_assign(case, actor=p.chair, expected_status=case.status, user=p.social_worker, function="social_worker")
    services.spt_issue(case, actor=p.chair, expected_status=case.status)
    return reloaded(case)


def referral(case, actor, step, service_type, partner, referred_on, *, override_reason=""):
    return services.referral_create(
        case, actor=actor, expected_status=case.status, override_reason=override_reason,
        referral=Referral(
            step=step, service_type=ServiceType.objects.get(code=service_type), partner=partner, referred_on=referred_on
        ),
    )


def closed_case(p):
    """A case taken through every step: medical with consent, psychological skipped, legal without consent."""
    case = case_at_outreach(p)
    notes(case, p.social_worker, "outreach_result", "Korban ditemui di rumahnya bersama ibunya.")
    case = fire(case, "outreach", p.social_worker)
    take_step(
        case, p.social_worker, assessment="Korban perlu visum dan pendampingan hukum.",
        needs_medical="ya", needs_psychological="tidak", needs_legal="ya", risk=Case.Risk.HIGH,
    )
    services.assessment_approve(case, actor=p.secretary, expected_status=case.status)
    case = fire(case, "assessment", p.social_worker)

    for function in ("companion", "psychologist", "legal"):
        services.team_assign(case, actor=p.chair, expected_status=case.status, user=p.companion, function=function)
    for scope in (Consent.SERVICES, Partner.Kind.HOSPITAL):
        services.consent_record(
            case, actor=p.social_worker, expected_status=case.status, scope=scope, granted=True,
            given_by_guardian=True, guardian_name="Ibu Korban",
        )
    medical = referral(case, p.companion, "medical", "kesehatan", p.hospital, date(2026, 10, 5))
    services.referral_update(
        medical, actor=p.companion, expected_status=case.status,
        outcome="Visum et repertum telah dilakukan.", completed_on=date(2026, 10, 6),
    )
    case = fire(case, "medical", p.companion)
    case = fire(case, "skip_psychological", p.companion, note=SKIP_REASON)

    # No consent to share with the police: a head refers with a reason.
    legal = referral(case, p.chair, "legal", "penegakan_hukum", p.police, date(2026, 10, 8), override_reason=OVERRIDE_REASON)
    services.milestone_add(legal, actor=p.companion, expected_status=case.status, kind="lp", date=date(2026, 10, 9), note="LP/123/X/2026")
    services.referral_update(
        legal, actor=p.companion, expected_status=case.status,
        outcome="Berkas perkara dilimpahkan ke kejaksaan.", completed_on=date(2026, 11, 2),
    )
    case = fire(case, "legal", p.companion)
    notes(case, p.social_worker, "reintegration_result", "Korban kembali bersekolah.")
    case = fire(case, "reintegration", p.social_worker)
    notes(case, p.chair, "closure_summary", "Penanganan selesai; korban dan keluarga didampingi hingga putusan.")
    return fire(case, "closure", p.chair)


def test_spt_names_the_active_team_and_signer_but_not_the_victim(p2tp2a):
    case = case_at_outreach(p2tp2a)

    text = text_of(spt_pdf(case))

    assert "DINAS PERLINDUNGAN ANAK CONTOH" in text  # the letterhead
    assert "SURAT PERINTAH TUGAS" in text
    assert f"SPT/{case.number}/P2TP2A" in text
    assert "Pelayanan dan Pendampingan P2TP2A" in text
    assert "Nining Sumarni" in text and "Divisi Data" in text and "Petugas Data P2TP2A" in text
    assert "Dede Kurniawan" in text and "Pekerja sosial" in text and "NIP. 198803152010011002" in text
    assert "Rina Marlina" not in text  # taken off the team
    assert f"kasus nomor {case.number} di Desa/Kelurahan Cibeureum, Kecamatan Sukamaju" in text
    assert "Ketua P2TP2A Euis Rahmawati NIP. 197501012000032001" in text
    assert "Contoh, " in text  # the place, from the regency's government unit
    assert VICTIM_NAME not in text
    assert VICTIM_NIK not in text


def test_spt_is_refused_before_it_is_issued(p2tp2a):
    case = case_at_outreach(p2tp2a)
    case.spt_issued_at = None

    with pytest.raises(ValueError):
        spt_pdf(case)


def test_referral_letter_names_partner_and_victim_and_the_consent(p2tp2a):
    case = closed_case(p2tp2a)
    medical, legal = case.referrals.order_by("referred_on")

    text = text_of(referral_letter_pdf(medical))

    assert "Kepada Yth. RSUD Kabupaten Contoh Jl. Rumah Sakit No. 1" in text
    assert f"kasus nomor {case.number}" in text and "layanan kesehatan" in text
    assert VICTIM_NAME in text and VICTIM_NIK in text and "Perempuan" in text
    assert "Jl. Melati No. 3 RT 01/RW 02, Desa/Kel. Cibeureum, Kec. Sukamaju" in text
    assert "Persetujuan korban/wali untuk rujukan ini dan untuk berbagi datanya dengan Rumah sakit telah dicatat" in text
    assert "tanpa persetujuan" not in text
    # The Ketua signs, not the Sekretaris (Agus, first by name).
    assert "Ketua P2TP2A Euis Rahmawati NIP. 197501012000032001" in text
    assert "Agus Setiawan" not in text

    text = text_of(referral_letter_pdf(legal))

    assert "Kepada Yth. Unit PPA Polres Contoh" in text
    assert f"tanpa persetujuan korban/wali, dengan alasan: {OVERRIDE_REASON}" in text
    assert "telah dicatat" not in text


def test_referral_letter_is_refused_for_a_service_of_the_p2tp2a_itself(p2tp2a):
    with pytest.raises(ValueError):
        referral_letter_pdf(Referral(partner=None))


def test_closure_report_documents_the_whole_case_and_its_approval(p2tp2a):
    case = closed_case(p2tp2a)

    text = text_of(closure_report_pdf(case))

    assert "DOKUMENTASI LAPORAN PENANGANAN KASUS" in text and case.number in text
    assert "Status : Selesai" in text
    assert "Jenis kekerasan : Seksual" in text and "Tingkat risiko : Tinggi" in text
    assert f"Nama : {VICTIM_NAME}" in text and VICTIM_NIK in text and "16 tahun" in text
    assert "Nama : Ibu Pelapor" in text
    assert "Tetangga Laki-laki 40 tahun" in text  # the perpetrator
    # The steps taken, with the reason the psychological step was skipped.
    assert f"Lewati: tidak diperlukan Rina Marlina {SKIP_REASON}" in text
    assert "Dede Kurniawan" in text and "Pekerja sosial" in text
    # The referrals per step, with their outcomes and the legal milestones.
    assert "RSUD Kabupaten Contoh" in text and "Visum et repertum telah dilakukan." in text
    assert "Berkas perkara dilimpahkan ke kejaksaan." in text
    assert "Laporan polisi (LP/123/X/2026)" in text
    assert OVERRIDE_REASON in text
    assert "Korban kembali bersekolah." in text
    assert "Penanganan selesai; korban dan keluarga didampingi hingga putusan." in text
    # Approved by the head who closed it.
    assert "Menyetujui, Ketua P2TP2A Euis Rahmawati NIP. 197501012000032001" in text
    assert "belum disetujui" not in text


def test_closure_report_of_an_open_case_is_not_approved(p2tp2a):
    case = case_at_outreach(p2tp2a, reporter=Reporter(is_anonymous=True))

    text = text_of(closure_report_pdf(case))

    assert "Nama : Anonim" in text
    assert "belum disetujui" in text
    assert "Menyetujui" not in text and "Euis Rahmawati" not in text
