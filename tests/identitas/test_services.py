"""The rules of a facilitation (its declared checks, identitas.services and identitas.policy): who reads identity,
the agency's clock, documents, follow-ups.

Every refused write must change nothing (the `refused` fixture compares everything stored before and after).
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from identitas import services
from identitas.forms import OutreachStepForm
from identitas.models import AccessLog, DisdukcapilWait, Facilitation, FollowUp, IssuedDocument, Notes, Person, Reporter
from identitas.policy import agency_minutes
from portal import identity
from portal.models import Membership
from portal.roles import Office, Role
from portal.services import attachment_add, attachments_of, transition_fire
from portal.workflow import TransitionError
from tests.identitas.conftest import NIK, current, now_is, wib, take


# The whole path.


def test_a_report_walks_from_step_1_to_the_archive(facilitation_at):
    record = facilitation_at("selesai")

    assert record.status == "selesai"
    assert record.result_reported_at is not None
    assert record.agency_minutes is not None
    assert record.due_at is None  # archiving is outside the 300 minutes


def test_numbers_run_per_service_and_year(new_facilitation):
    first, second = new_facilitation(), new_facilitation()

    assert (first.number, second.number) == (f"0001/{first.year}", f"0002/{first.year}")


def test_a_form_sent_twice_records_one_report(new_facilitation, identitas_service, team, category):
    token = uuid.uuid4()
    services.facilitation_create(
        service=identitas_service, actor=team[0],
        facilitation=Facilitation(channel="telepon", received_at=timezone.now(), category=category),
        person=Person(name="A", sex="L", estimated_age=70), reporter=_reporter(), report="x", submission=token,
    )

    with pytest.raises(TransitionError, match="sudah tersimpan"):
        services.facilitation_create(
            service=identitas_service, actor=team[0],
            facilitation=Facilitation(channel="telepon", received_at=timezone.now(), category=category),
            person=Person(name="A", sex="L", estimated_age=70), reporter=_reporter(), report="x", submission=token,
        )
    assert Facilitation.objects.count() == 1


def _reporter():
    return Reporter(name="Warga", contact="0812")


@pytest.mark.parametrize(
    ("received", "message"),
    [(timedelta(minutes=5), "masa depan"), (-timedelta(days=8), "7 hari")],
)
def test_a_receipt_in_the_future_or_long_ago_is_refused(new_facilitation, received, message):
    with pytest.raises(TransitionError, match=message):
        new_facilitation(received_at=timezone.now() + received)
    assert not Facilitation.objects.exists()


def test_only_the_team_records_a_report(new_facilitation, kabid, agency_head, outside_officer):
    for user in (agency_head, outside_officer):
        with pytest.raises(TransitionError):
            new_facilitation(by=user)
    assert not Facilitation.objects.exists()


# Who reads the person.


def test_the_team_and_the_kabid_read_identity_nobody_else(new_facilitation, team, kabid, agency_head, outside_officer, faskes_user):
    record = new_facilitation()

    assert all(identity.reads_identity(user, record) for user in [*team, kabid])
    assert not any(identity.reads_identity(user, record) for user in (agency_head, outside_officer, faskes_user))
    assert set(Facilitation.objects.filter(identity.identity_filter(team[1], Facilitation))) == {record}
    assert not Facilitation.objects.filter(identity.identity_filter(agency_head, Facilitation)).exists()


def test_the_observer_may_not_write_the_notes(new_facilitation, agency_head, refused):
    record = new_facilitation()

    with refused(record, "Tim Kerja"):
        take(record, agency_head, "simpan", report="diubah")


def test_a_step_s_form_writes_its_own_step_s_notes_only(new_facilitation, team):
    record = new_facilitation()

    take(record, team[0], "simpan", report="Diubah.", needs_analysis="x")
    notes = Notes.objects.get(pk=record.pk)
    assert (notes.report, notes.needs_analysis, current(record).status) == ("Diubah.", "", "report")


def test_a_stale_page_changes_nothing(facilitation_at, team, refused):
    record = facilitation_at("analysis")

    with refused(record, "baru saja diubah"):
        take(record, team[0], "simpan", expected_status="outreach", needs_analysis="x")


# The Kabid's review.


def test_a_decline_needs_its_reason_and_ends_the_facilitation(facilitation_at, fire, kabid, refused):
    record = facilitation_at("review")

    with refused(record, "alasan"):
        fire(record, "review.decline", kabid)
    fire(record, "review.decline", kabid, note="Bukan warga terlantar: tinggal bersama anaknya.")
    assert current(record).status == "ditolak"


def test_whoever_sent_the_report_does_not_review_it(new_facilitation, fire, rehdayasos, team, refused):
    officer = team[0]
    Membership.objects.create(
        user=officer, unit=rehdayasos, role=Group.objects.get(name=Role.HEAD), office=Office.DIVISION_HEAD
    )
    record = new_facilitation(by=officer)
    fire(record, "report", officer)

    with refused(record, "pejabat lain"):
        fire(record, "review.accept", officer)


# Step requirements.


def test_step_3_needs_both_requirements_each_attached_or_requested(facilitation_at, fire, team, refused):
    record = facilitation_at("record")
    officer = team[0]

    with refused(record, "Belum lengkap"):
        fire(record, "record", officer)
    take(
        record, officer, "simpan", population_recorded=Notes.Recorded.UNKNOWN, population_record="diminta",
        dtks_letter="terlampir",
    )
    with refused(record, "Unggah surat keterangan DTKS"):
        fire(record, "record", officer)


def test_a_desa_outside_the_chosen_kecamatan_is_refused(facilitation_at, team, kecamatan, government):
    from portal.models import Desa, Kecamatan

    other = Kecamatan.objects.create(regency=government, name="Kecamatan Lain")
    desa = Desa.objects.create(kecamatan=other, name="Desa Lain")
    record = facilitation_at("outreach")

    form = OutreachStepForm(
        {"langkah-transition": "simpan", "langkah-expected_status": "outreach", "langkah-kecamatan": kecamatan.pk,
         "langkah-desa": desa.pk},
        record=record, user=team[0],
    )
    assert not form.is_valid()
    assert form.errors["desa"] == ["Desa/kelurahan itu tidak berada di kecamatan yang dipilih."]


# Documents issued.


def _add(record, actor, kind="nik", number=NIK, issued_on=None, submission=None):
    return services.document_add(
        current(record), actor=actor, expected_status=current(record).status, kind=kind, number=number,
        issued_on=issued_on or timezone.localdate(), submission=submission,
    )


@pytest.mark.parametrize(
    ("kind", "number", "message"),
    [
        ("nik", "32140101", "16 angka"),
        ("ktp", "3214013201500001", "tanggal lahir"),
        ("kk", "321401010150000", "KK harus 16 angka"),
        ("kk", "0014010101500001", "kode wilayah"),
        ("akta", "3214/LT/15012026/0001", "3214-LT-15012026-0001"),
    ],
)
def test_a_document_number_in_the_wrong_format_is_refused(facilitation_at, team, refused, kind, number, message):
    record = facilitation_at("accompaniment")

    with refused(record, message):
        _add(record, team[0], kind=kind, number=number)


def test_documents_are_recorded_in_step_6_or_7_only(facilitation_at, team, refused):
    record = facilitation_at("analysis")

    with refused(record, "langkah pendampingan"):
        _add(record, team[0])


def test_the_first_document_suggests_the_follow_ups_and_fills_the_nik(facilitation_at, team):
    record = facilitation_at("accompaniment")

    _add(record, team[0], kind="akta", number="3214-LT-15012026-0001")
    _add(record, team[0], kind="nik", number=NIK)

    assert set(FollowUp.objects.filter(facilitation=record).values_list("kind", "state")) == {
        ("dtsen", "disarankan"), ("jkn", "disarankan"),
    }
    assert Person.objects.get(pk=record.pk).nik == NIK


def test_a_nik_document_must_match_the_known_nik(new_facilitation, fire, facilitation_at, team, refused):
    record = facilitation_at("accompaniment")
    Person.objects.filter(pk=record.pk).update(nik="3214015505800002")

    with refused(record, "berbeda dengan NIK"):
        _add(record, team[0], kind="ktp", number=NIK)


def test_one_document_of_a_kind_and_one_save_per_form(facilitation_at, team, refused):
    record = facilitation_at("accompaniment")
    token = uuid.uuid4()
    _add(record, team[0], kind="kk", number="3214010101260003", submission=token)

    with refused(record, "sudah tersimpan"):
        _add(record, team[0], kind="akta", number="3214-LT-15012026-0001", submission=token)
    with refused(record, "sudah dicatat"):
        _add(record, team[0], kind="kk", number="3214010101260004")


def test_an_issue_date_before_the_report_or_in_the_future_is_refused(facilitation_at, team, refused):
    record = facilitation_at("accompaniment")

    for day in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=30)):
        with refused(record, "Tanggal terbit"):
            _add(record, team[0], issued_on=day)


# Follow-ups and the archive.


def test_the_archive_waits_for_a_decision_on_each_follow_up(facilitation_at, fire, team, refused):
    record = facilitation_at("result_report")
    take(current(record), team[0], "result_report", summary="NIK terbit.",
                           missed_reason="Antrean." if agency_minutes(current(record)) > 300 else "")

    with refused(record, "tindak lanjut"):
        fire(record, "archive", team[0])
    with refused(record, "mengapa"):
        services.follow_up_update(record, actor=team[0], expected_status="archive", kind="dtsen", state="tidak_perlu")
    with refused(record, "tanggal"):
        services.follow_up_update(record, actor=team[0], expected_status="archive", kind="jkn", state="dilaksanakan")
    services.follow_up_update(
        record, actor=team[0], expected_status="archive", kind="dtsen", state="tidak_perlu", note="Sudah terdaftar."
    )
    services.follow_up_update(
        record, actor=team[0], expected_status="archive", kind="jkn", state="dilaksanakan", done_on=timezone.localdate()
    )
    fire(record, "archive", team[0])
    assert current(record).status == "selesai"


# The clock.


def test_a_report_received_late_on_friday_is_due_on_monday(new_facilitation):
    """The agency works Fri 08.00-11.00 and Mon 08.00-14.45: 30 minutes on Friday, 270 on Monday."""
    friday = wib(2026, 11, 20, 10, 30)
    with now_is(friday + timedelta(minutes=10)):
        record = new_facilitation(received_at=friday)

    assert timezone.localtime(current(record).due_at) == wib(2026, 11, 23, 12, 30)
    with now_is(wib(2026, 11, 23, 9, 0)):
        # 30 minutes on Friday, the weekend free, 60 on Monday morning.
        assert agency_minutes(current(record)) == 90


def test_the_wait_for_disdukcapil_stops_the_clock(facilitation_at, team):
    monday = wib(2026, 11, 23, 8, 0)
    with now_is(monday):
        record = facilitation_at("accompaniment", received_at=monday)
    assert timezone.localtime(record.due_at) == wib(2026, 11, 23, 13, 0)

    with now_is(wib(2026, 11, 23, 10, 0)):
        services.wait_start(record, actor=team[0], expected_status="accompaniment")
    assert current(record).due_at is None  # paused: not overdue while Disdukcapil works
    with now_is(wib(2026, 11, 24, 9, 0)):
        # Two working hours before the wait; the wait's own 5 h 45 min and 1 h are not the agency's.
        assert agency_minutes(current(record)) == 120
        services.wait_end(current(record), actor=team[0], expected_status="accompaniment")

    record = current(record)
    wait = DisdukcapilWait.objects.get(facilitation=record)
    assert wait.minutes == 4 * 60 + 45 + 60
    assert record.waited_minutes == wait.minutes
    # 180 minutes were left at 10.00 on Monday; they now run from 09.00 on Tuesday.
    assert timezone.localtime(record.due_at) == wib(2026, 11, 24, 12, 0)


def test_a_second_wait_at_once_is_refused(facilitation_at, team, refused):
    record = facilitation_at("accompaniment")
    services.wait_start(record, actor=team[0], expected_status="accompaniment")

    with refused(record, "sudah berjalan"):
        services.wait_start(record, actor=team[0], expected_status="accompaniment")
    _add(record, team[0])
    with refused(record, "Hasil Disdukcapil belum diterima"):
        transition_fire(current(record), name="accompaniment", actor=team[0], expected_status="accompaniment")


def test_a_missed_standard_is_recorded_with_its_reason(new_facilitation, facilitation_at, team, refused):
    monday = wib(2026, 11, 23, 8, 0)
    with now_is(monday):
        record = facilitation_at("result_report", received_at=monday)

    with now_is(wib(2026, 11, 24, 8, 30)):
        # 405 working minutes on Monday (08.00-14.45) and 30 on Tuesday: past the 300.
        with refused(record, "melewati standar 300 menit: tuliskan alasannya"):
            take(current(record), team[0], "result_report", summary="Selesai.")
        take(current(record), team[0], "result_report", summary="Selesai.",
            missed_reason="Petugas Disdukcapil tidak ada.",
        )

    record = current(record)
    assert (record.agency_minutes, record.standard_missed, record.status) == (435, True, "archive")
    assert Notes.objects.get(pk=record.pk).missed_reason == "Petugas Disdukcapil tidak ada."


def test_within_the_standard_no_reason_is_kept(facilitation_at, team):
    monday = wib(2026, 11, 23, 8, 0)
    with now_is(monday):
        record = facilitation_at("result_report", received_at=monday)
    with now_is(wib(2026, 11, 23, 12, 0)):
        take(current(record), team[0], "result_report", summary="Selesai.", missed_reason="x"
        )

    record = current(record)
    assert (record.agency_minutes, record.standard_missed) == (240, False)
    assert Notes.objects.get(pk=record.pk).missed_reason == ""
    assert IssuedDocument.objects.filter(facilitation=record).count() == 1


def test_reporting_the_result_out_of_order_is_refused(facilitation_at, team, refused):
    record = facilitation_at("analysis")

    with refused(record, "Transisi tidak dikenal"):
        take(record, team[0], "result_report", summary="x")


def test_every_write_of_identity_is_logged(new_facilitation, team):
    record = new_facilitation()

    assert list(record.access_log.values_list("user", "action")) == [(team[0].pk, "ubah")]



def test_a_nik_document_of_another_sex_is_refused(facilitation_at, team, refused):
    record = facilitation_at("accompaniment")  # a man

    with refused(record, "Jenis kelamin dalam NIK"):
        _add(record, team[0], kind="nik", number="3214014101500001")


def test_a_nik_document_fills_a_date_of_birth_that_was_only_estimated(facilitation_at, team):
    record = facilitation_at("accompaniment")

    _add(record, team[0], kind="ktp", number=NIK)

    person = Person.objects.get(pk=record.pk)
    assert (person.nik, str(person.birth_date), person.estimated_age) == (NIK, "1950-01-01", 75)


def test_a_photo_of_a_person_who_refused_is_not_attached(facilitation_at, team, kecamatan):
    record = facilitation_at("outreach")
    take(record, team[0], "simpan", photo_consent=Notes.PhotoConsent.REFUSED)

    with pytest.raises(TransitionError, match="menolak difoto"):
        attachment_add(current(record), kind="photo", file=ContentFile(b"\xff\xd8foto", name="foto.jpg"), actor=team[0])
    attachment_add(current(record), kind="dtks_letter", file=ContentFile(b"%PDF-1.4", name="dtks.pdf"), actor=team[0])
    assert list(attachments_of(record).values_list("kind", flat=True)) == ["dtks_letter", "dtks_letter"]


def test_only_the_team_of_the_service_s_own_unit_is_offered_the_start(identitas_service, team, kabid, agency, make_user):
    agency_officer = make_user(agency, Role.OFFICER, username="petugas_dinas")

    assert Facilitation.may_start(identitas_service, team[0])
    assert not Facilitation.may_start(identitas_service, agency_officer)
    assert not Facilitation.may_start(identitas_service, kabid)


def test_on_postgresql_the_database_refuses_to_rewrite_the_access_log(require_postgresql, new_facilitation, kabid):
    record = new_facilitation()
    identity.log_access(record, kabid, AccessLog.Action.VIEW, what="Halaman fasilitasi")
    before = list(AccessLog.objects.order_by("pk").values())
    for sql in ("UPDATE identitas_accesslog SET what = ''", "DELETE FROM identitas_accesslog"):
        with pytest.raises(ProgrammingError, match="pgtrigger: Cannot update or delete rows from identitas_accesslog"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert list(AccessLog.objects.order_by("pk").values()) == before
