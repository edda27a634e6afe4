"""The rules of a P2TP2A case outside the engine's steps (cases.services): recording a case, its team,
the victim's consent, who reads the identity, and the append-only access log.

Fixtures: tests/cases/conftest.py. Every refused write is checked to leave the case as it was.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from cases import services
from cases.models import AccessLog, Case, CaseNotes, Consent, Partner, Perpetrator, Referral, Reporter, TeamMember, Victim
from portal import identity
from portal.models import Service, TransitionLog, Unit
from portal.roles import Role
from portal.workflow import TransitionError
from tests.cases.conftest import current

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=JAKARTA)


@pytest.fixture
def now(monkeypatch):
    """Freeze django.utils.timezone.now (and so localtime/localdate) at `now.value`; set it to move time."""

    class Clock:
        value = MONDAY_10

    monkeypatch.setattr(timezone, "now", lambda: Clock.value)
    return Clock


# Recording a case.


def test_cases_are_numbered_per_service_and_per_local_year_from_1(new_case, case_service, p2tp2a, now):
    second_service = Service.objects.create(slug="layanan-kedua", name="Layanan kedua", unit=p2tp2a, app="cases")

    now.value = datetime(2025, 12, 31, 23, 30, tzinfo=JAKARTA)
    assert [new_case().number, new_case().number] == ["0001/2025", "0002/2025"]
    # 00.30 WIB on New Year's Day is still 31 December in UTC: the year is the local one.
    now.value = datetime(2026, 1, 1, 0, 30, tzinfo=JAKARTA)
    first = new_case()
    assert (first.year, first.sequence, first.number) == (2026, 1, "0001/2026")
    assert new_case(service=second_service).number == "0001/2026"
    assert new_case().number == "0002/2026"
    assert new_case(service=second_service).number == "0002/2026"

    numbers = sorted(Case.objects.filter(service=case_service).values_list("year", "sequence"))
    assert numbers == [(2025, 1), (2025, 2), (2026, 1), (2026, 2)]
    assert str(first) == "Kasus 0001/2026" and first.file_stem == "0001-2026"


def test_a_new_case_waits_in_report_with_its_recorder_on_the_team_as_data(new_case, officers, p2tp2a, now):
    recorder = officers["social_worker"]  # any officer of the P2TP2A may record a report
    case = current(new_case(actor=recorder))

    assert case.status == "report" and case.is_open
    assert (case.unit, case.status_changed_by, case.created_at) == (p2tp2a, recorder, MONDAY_10)
    team = list(TeamMember.objects.filter(case=case).values_list("user", "function", "assigned_by", "ended_at"))
    assert team == [(recorder.pk, "data", recorder.pk, None)]
    log = TransitionLog.objects.get(object_id=case.pk)
    assert (log.transition, log.from_status, log.to_status, log.actor) == ("start", "", "report", recorder)


def test_the_case_is_due_three_calendar_months_after_it_is_recorded_at_closing_time(new_case, now):
    case = current(new_case())
    assert case.due_at == datetime(2026, 6, 2, 14, 45, tzinfo=JAKARTA)
    assert case.step_due_at is None  # the SOP gives its steps no time of their own

    # 30 November + 3 months = 28 February 2027, a Sunday: due when Monday's service closes.
    now.value = datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA)
    assert current(new_case()).due_at == datetime(2027, 3, 1, 14, 45, tzinfo=JAKARTA)


def test_recording_writes_one_access_log_row(new_case, officers, p2tp2a):
    case = new_case()
    log = AccessLog.objects.get()
    assert (log.case, log.unit, log.user, log.action) == (case, p2tp2a, officers["data"], AccessLog.Action.EDIT)


def test_the_identity_parts_are_saved_with_the_case(new_case, violence_type, perpetrator_relation):
    case = new_case(chronology="Kronologi uji.")
    parts = services.identity_parts(case)
    assert parts["victim"].name == "Korban Uji" and parts["reporter"].name == "Pelapor Uji"
    assert [(p.relation, p.sex, p.age) for p in parts["perpetrators"]] == [(perpetrator_relation, "L", 40)]
    assert parts["notes"].chronology == "Kronologi uji."
    assert list(case.violence_types.all()) == [violence_type]


def test_a_victim_who_reports_herself_needs_no_reporter(new_case):
    case = new_case(reporter=None, channel=Case.Channel.IN_PERSON)
    assert not Reporter.objects.filter(case=case).exists()
    assert services.identity_parts(case)["reporter"] is None


@pytest.mark.parametrize(
    "victim, incident_date, facts",
    [
        # A girl born in 2015: 8 on the day of the incident.
        (Victim(name="A", sex="P", birth_date=date(2015, 3, 10)), date(2024, 1, 10), ("P", "6-12")),
        # Born 2010: 12 on the day of the incident, 16 on the day of recording; the incident counts.
        (Victim(name="B", sex="P", birth_date=date(2010, 1, 15)), date(2022, 6, 1), ("P", "6-12")),
        (Victim(name="B", sex="P", birth_date=date(2010, 1, 15)), None, ("P", "13-17")),
        # 18 the day after her birthday's eve: the band changes on the birthday itself.
        (Victim(name="C", sex="P", birth_date=date(2008, 3, 2)), None, ("P", "18-24")),
        (Victim(name="D", sex="P", birth_date=date(2008, 3, 3)), None, ("P", "13-17")),
        # Only an age given.
        (Victim(name="E", sex="L", age=30), None, ("L", "25-44")),
        (Victim(name="F", sex="L", age=4), date(2025, 1, 1), ("L", "0-5")),
        (Victim(name="G", sex="P", age=61), None, ("P", "60+")),
        # Neither birth date nor age: no band.
        (Victim(name="H", sex="P"), None, ("P", "")),
    ],
)
def test_victim_sex_and_age_band_are_derived_for_the_register(new_case, now, victim, incident_date, facts):
    case = current(new_case(victim=victim, incident_date=incident_date))
    assert (case.victim_sex, case.victim_age_band) == facts


def test_a_head_of_the_p2tp2a_may_record_a_report_and_joins_the_team_as_its_recorder(new_case, chair):
    case = new_case(actor=chair)  # "or a head": a stand-in of the Divisi Data
    assert list(case.team.values_list("user", "function")) == [(chair.pk, "data")]


@pytest.mark.parametrize("who", ["agency_head", "outside_officer", "faskes_user"])
def test_only_an_officer_or_a_head_of_the_p2tp2a_records_a_case(request, new_case, who):
    with pytest.raises(TransitionError, match="tidak dapat memulai layanan ini: langkah pertamanya dilakukan oleh Divisi Data"):
        new_case(actor=request.getfixturevalue(who))
    assert not Case.objects.exists()
    for model in (Victim, Reporter, Perpetrator, CaseNotes, TeamMember, AccessLog):
        assert not model.objects.exists(), model
    assert new_case().sequence == 1  # the refused one took no number


def test_a_service_of_another_app_records_no_case(new_case, p2tp2a):
    other = Service.objects.create(slug="tiket-p2tp2a", name="Tiket", unit=p2tp2a, app="testapp")
    with pytest.raises(TransitionError, match="tidak dijalankan oleh SOP ini"):
        new_case(service=other)
    assert not Case.objects.exists() and not AccessLog.objects.exists()


# The team.


def test_the_head_assigns_the_team_and_ends_a_membership_without_deleting_it(new_case, chair, officers, refused):
    case = new_case()
    member = services.team_assign(
        case, actor=chair, expected_status="report", user=officers["social_worker"], function="social_worker"
    )
    assert (member.user, member.function, member.assigned_by, member.ended_at) == (
        officers["social_worker"], "social_worker", chair, None
    )
    with refused(case, match="sudah ditugaskan"):
        services.team_assign(
            case, actor=chair, expected_status="report", user=officers["social_worker"], function="social_worker"
        )

    services.team_end(member, actor=chair, expected_status="report")
    member.refresh_from_db()
    assert member.ended_at is not None
    # Ended, the function may be given again: a new row, the old one kept.
    services.team_assign(
        case, actor=chair, expected_status="report", user=officers["social_worker"], function="social_worker"
    )
    assert TeamMember.objects.filter(case=case, user=officers["social_worker"]).count() == 2


@pytest.mark.parametrize("who", ["officers", "agency_head", "outside_officer", "agency_level_head"])
def test_only_a_head_of_the_p2tp2a_assigns_or_ends(request, new_case, officers, who, refused):
    actor = request.getfixturevalue(who)
    actor = actor["data"] if who == "officers" else actor
    case = new_case()
    with refused(case, match="Hanya Ketua atau Sekretaris P2TP2A yang dapat menugaskan"):
        services.team_assign(case, actor=actor, expected_status="report", user=officers["legal"], function="legal")
    recorder = TeamMember.objects.get(case=case)
    with refused(case, match="Hanya Ketua atau Sekretaris P2TP2A yang dapat mengubah"):
        services.team_end(recorder, actor=actor, expected_status="report")


@pytest.mark.parametrize("who", ["agency_head", "secretary", "faskes_user"])
def test_only_an_officer_of_the_regency_joins_a_team(request, new_case, chair, who, refused):
    case = new_case()
    with refused(case, match="bukan petugas di kabupaten ini"):
        services.team_assign(
            case, actor=chair, expected_status="report", user=request.getfixturevalue(who), function="legal"
        )


def test_an_officer_of_another_regency_joins_no_team(new_case, chair, make_user, refused):
    regency = Unit.objects.create(code="pemkab-lain", name="Pemerintah Kabupaten Lain", kind=Unit.Kind.GOVERNMENT)
    social_services = Unit.objects.create(code="dinsos-lain", name="Dinas Sosial Lain", kind=Unit.Kind.AGENCY, parent=regency)
    case = new_case()
    with refused(case, match="bukan petugas di kabupaten ini"):
        services.team_assign(
            case, actor=chair, expected_status="report", user=make_user(social_services, Role.OFFICER),
            function="social_worker",
        )


# Who reads the identity.


@pytest.fixture
def two_cases(new_case, assign_team, officers):
    """Case A recorded by the data officer, with a social worker; case B recorded by the legal officer."""
    a = new_case(actor=officers["data"])
    assign_team(a, ["social_worker"])
    b = new_case(actor=officers["legal"])
    return a, b


@pytest.fixture
def agency_level_head(agency, make_user):
    """A Kepala Bidang of the agency: a head above the P2TP2A, not one of its own."""
    return make_user(agency, Role.HEAD, username="kabid_dinas")


def test_who_reads_the_identity(two_cases, chair, secretary, officers, agency_head, outside_officer, faskes_user,
                                agency_level_head):
    a, b = two_cases
    expected = {
        chair: {a, b},
        secretary: {a, b},
        officers["data"]: {a},
        officers["social_worker"]: {a},
        officers["legal"]: {b},
        officers["companion"]: set(),
        agency_head: set(),
        agency_level_head: set(),
        outside_officer: set(),
        faskes_user: set(),
    }
    for user, cases in expected.items():
        for case in (a, b):
            fresh = current(case)
            assert identity.reads_identity(user, fresh) is (case in cases), (user.username, case.number)
            assert identity.keeps_from(user, fresh) is (case not in cases), (user.username, case.number)


def test_identity_filter_answers_as_reads_identity_does(two_cases, chair, officers, agency_head, outside_officer,
                                                       faskes_user, agency_level_head):
    a, b = two_cases
    users = [chair, *officers.values(), agency_head, outside_officer, faskes_user, agency_level_head, AnonymousUser()]
    for user in users:
        listed = set(Case.objects.filter(identity.identity_filter(user, Case)))
        reading = {case for case in (a, b) if identity.reads_identity(user, current(case))}
        assert listed == reading, getattr(user, "username", "anonymous")
    # The answers are not all alike, so the comparison tells something.
    assert set(Case.objects.filter(identity.identity_filter(officers["data"], Case))) == {a}
    assert set(Case.objects.filter(identity.identity_filter(officers["legal"], Case))) == {b}
    assert set(Case.objects.filter(identity.identity_filter(chair, Case))) == {a, b}


def test_an_ended_membership_stops_the_reading(two_cases, chair, officers):
    a, _b = two_cases
    member = TeamMember.objects.get(case=a, user=officers["social_worker"])
    services.team_end(member, actor=chair, expected_status="report")
    assert not identity.reads_identity(officers["social_worker"], current(a))
    assert not Case.objects.filter(identity.identity_filter(officers["social_worker"], Case)).exists()


def test_who_may_reveal_with_a_reason(two_cases, chair, officers, agency_head, outside_officer, faskes_user,
                                      agency_level_head):
    a, _b = two_cases
    case = current(a)
    assert identity.may_reveal(agency_head, case)
    # A head of another Bidang of the Dinas holds no office the rule names: it opens nothing.
    assert not identity.may_reveal(agency_level_head, case)
    for user in (officers["companion"], outside_officer, faskes_user):
        assert not identity.may_reveal(user, current(a)), user.username
    # Who reads it already has nothing to reveal.
    assert not identity.may_reveal(chair, current(a))
    assert not identity.may_reveal(officers["data"], current(a))


def test_opening_an_attachment_is_logged_with_the_case_s_unit(new_case, agency_head, p2tp2a):
    case = new_case()
    identity.log_access(case, agency_head, AccessLog.Action.ATTACHMENT, what="Unduh lampiran 7")
    log = AccessLog.objects.filter(action=AccessLog.Action.ATTACHMENT).get()
    assert (log.case, log.unit, log.user, log.what) == (case, p2tp2a, agency_head, "Unduh lampiran 7")


# The access log is append-only.


def test_an_access_log_row_can_be_neither_changed_nor_deleted(new_case, agency_head):
    case = new_case()
    identity.log_access(case, agency_head, AccessLog.Action.REVEAL, what="Identitas korban", reason="Rapat koordinasi")
    log = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    before = list(AccessLog.objects.order_by("pk").values())

    log.reason = "Diubah"
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        log.save()
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        AccessLog(pk=log.pk, case=case, unit_id=case.unit_id, user=agency_head, action=AccessLog.Action.VIEW).save()
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        log.delete()
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        AccessLog.objects.filter(case=case).update(reason="")
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        AccessLog.objects.filter(case=case).delete()
    assert list(AccessLog.objects.order_by("pk").values()) == before


def test_on_postgresql_the_database_refuses_to_rewrite_the_access_log(require_postgresql, new_case, agency_head):
    case = new_case()
    identity.log_access(case, agency_head, AccessLog.Action.REVEAL, what="Identitas korban", reason="Rapat koordinasi")
    before = list(AccessLog.objects.order_by("pk").values())
    for sql in ("UPDATE cases_accesslog SET reason = ''", "DELETE FROM cases_accesslog"):
        with pytest.raises(ProgrammingError, match="pgtrigger: Cannot update or delete rows from cases_accesslog"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert list(AccessLog.objects.order_by("pk").values()) == before


# Consent and referrals.


@pytest.fixture
def puskesmas(p2tp2a):
    return Partner.objects.create(unit=p2tp2a, name="Puskesmas Contoh", kind=Partner.Kind.PUSKESMAS)


@pytest.fixture
def medical_case(case_at):
    """A case waiting in the medical step, its assessment saying medical care is needed; no consent yet."""
    return case_at("medical", needs_medical=True)


def referral(service_type, partner=None):
    return Referral(step="medical", service_type=service_type, partner=partner, referred_on=date(2026, 1, 5))


def consent(case, actor, scope, granted):
    return services.consent_record(
        case, actor=actor, expected_status=current(case).status, scope=scope, granted=granted,
        given_by_guardian=False, guardian_name="",
    )


def test_a_referral_needs_the_consent_to_services(medical_case, officers, service_type, refused):
    companion = officers["companion"]
    with refused(medical_case, match="Belum ada persetujuan korban/wali untuk: menerima layanan"):
        services.referral_create(medical_case, actor=companion, expected_status="medical", referral=referral(service_type))

    consent(medical_case, companion, Consent.SERVICES, True)
    made = services.referral_create(
        medical_case, actor=companion, expected_status="medical", referral=referral(service_type)
    )
    assert (made.case, made.created_by, made.consent_override_reason) == (medical_case, companion, "")


def test_a_referral_to_a_partner_needs_the_consent_to_share_with_its_kind(
    medical_case, officers, service_type, puskesmas, refused
):
    companion = officers["companion"]
    consent(medical_case, companion, Consent.SERVICES, True)
    consent(medical_case, companion, Partner.Kind.POLICE, True)  # another kind's consent does not count
    with refused(medical_case, match="untuk: berbagi data dengan Puskesmas\\."):
        services.referral_create(
            medical_case, actor=companion, expected_status="medical", referral=referral(service_type, puskesmas)
        )

    consent(medical_case, companion, Partner.Kind.PUSKESMAS, True)
    made = services.referral_create(
        medical_case, actor=companion, expected_status="medical", referral=referral(service_type, puskesmas)
    )
    assert made.partner == puskesmas


def test_a_later_refusal_withdraws_a_consent(medical_case, officers, service_type, refused):
    companion = officers["companion"]
    consent(medical_case, companion, Consent.SERVICES, True)
    assert services.consent_state(medical_case) == {Consent.SERVICES: True}
    consent(medical_case, companion, Consent.SERVICES, False)
    assert services.consent_state(medical_case) == {Consent.SERVICES: False}
    with refused(medical_case, match="menerima layanan"):
        services.referral_create(medical_case, actor=companion, expected_status="medical", referral=referral(service_type))
    consent(medical_case, companion, Consent.SERVICES, True)
    assert services.consent_state(medical_case) == {Consent.SERVICES: True}
    assert Consent.objects.filter(case=medical_case).count() == 3  # every answer kept


def test_a_head_overrides_missing_consent_only_with_a_reason(medical_case, chair, service_type, puskesmas, refused):
    with refused(medical_case, match="tuliskan alasannya"):
        services.referral_create(
            medical_case, actor=chair, expected_status="medical", referral=referral(service_type, puskesmas),
            override_reason="   ",
        )
    made = services.referral_create(
        medical_case, actor=chair, expected_status="medical", referral=referral(service_type, puskesmas),
        override_reason="  Korban tidak sadar dan perlu segera diperiksa.  ",
    )
    stored = Referral.objects.get(pk=made.pk)
    assert (stored.consent_override_reason, stored.created_by) == ("Korban tidak sadar dan perlu segera diperiksa.", chair)


def test_an_officer_may_not_override_missing_consent(medical_case, officers, service_type, refused):
    with refused(medical_case, match="Belum ada persetujuan"):
        services.referral_create(
            medical_case, actor=officers["companion"], expected_status="medical", referral=referral(service_type),
            override_reason="Mendesak.",
        )


def test_a_head_without_the_override_permission_may_not_override(medical_case, chair, service_type, refused):
    Group.objects.get(name=Role.HEAD).permissions.clear()
    head = type(chair).objects.get(pk=chair.pk)  # a fresh user: permissions are cached per object
    with refused(medical_case, match="Belum ada persetujuan"):
        services.referral_create(
            medical_case, actor=head, expected_status="medical", referral=referral(service_type),
            override_reason="Mendesak.",
        )


def test_a_referral_waits_for_the_approved_assessment(case_at, officers, chair, service_type, refused):
    case = case_at("assessment")
    consent(case, officers["social_worker"], Consent.SERVICES, True)
    with refused(case, match="setelah asesmen disetujui"):
        services.referral_create(case, actor=chair, expected_status="assessment", referral=referral(service_type))


def test_consent_by_a_guardian_names_the_guardian(new_case, officers, refused):
    case = new_case()
    with refused(case, match="nama wali"):
        services.consent_record(
            case, actor=officers["data"], expected_status="report", scope=Consent.SERVICES, granted=True,
            given_by_guardian=True, guardian_name="  ",
        )
    recorded = services.consent_record(
        case, actor=officers["data"], expected_status="report", scope=Consent.SERVICES, granted=True,
        given_by_guardian=True, guardian_name=" Ibu Korban ",
    )
    assert (recorded.guardian_name, recorded.recorded_by) == ("Ibu Korban", officers["data"])


@pytest.mark.parametrize("who", ["companion", "agency_head", "outside_officer"])
def test_only_the_team_records_consent(request, new_case, officers, who, refused):
    actor = officers[who] if who in officers else request.getfixturevalue(who)
    case = new_case()
    with refused(case):
        services.consent_record(
            case, actor=actor, expected_status="report", scope=Consent.SERVICES, granted=True,
            given_by_guardian=False, guardian_name="",
        )


# Notes and identity.


def test_notes_are_written_by_the_team_and_never_the_assessment_that_way(new_case, officers, refused):
    case = new_case()
    services.notes_update(case, actor=officers["data"], expected_status="report", field="chronology", text="Baru.")
    assert CaseNotes.objects.get(case=case).chronology == "Baru."
    for field in ("assessment", "assessed_by", "case", "tidak_ada"):
        with refused(case, match="Catatan tidak dikenal"):
            services.notes_update(case, actor=officers["data"], expected_status="report", field=field, text="x")
    with refused(case, match="Hanya tim"):
        services.notes_update(case, actor=officers["legal"], expected_status="report", field="chronology", text="x")


def test_an_identity_edit_updates_the_register_facts_and_is_logged(new_case, officers, now, refused):
    case = new_case()
    victim = Victim.objects.get(case=case)
    victim.sex, victim.birth_date = "L", date(1990, 1, 1)
    with refused(case, match="Hanya tim"):
        services.identity_update(case, actor=officers["legal"], expected_status="report", victim=victim, case_fields={})
    services.identity_update(
        case, actor=officers["data"], expected_status="report", victim=victim,
        case_fields={"incident_date": date(2026, 2, 1)},
    )
    case = current(case)
    assert (case.victim_sex, case.victim_age_band, case.incident_date) == ("L", "25-44", date(2026, 2, 1))
    assert AccessLog.objects.filter(case=case, action=AccessLog.Action.EDIT).count() == 2
