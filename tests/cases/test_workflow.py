"""A P2TP2A case through the engine (portal.services.transition_fire and step_take): who may take each step (the
case team, Case.actor_filter), what each step needs (its declared checks), the Ketua's tasks, the heads' early close
and void, and the declaration itself (cases.workflow).

Fixtures: tests/cases/conftest.py. Every refused step is checked to leave the case as it was.
"""

import threading
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from cases import services
from cases.models import Case, Referral, TeamMember
from cases.workflow import CLOSED_EARLY, OPEN_STEPS, VOIDED, WORKFLOW
from portal.models import Membership, TransitionLog, access_for
from portal.roles import Office, Role
from portal.services import available_transitions, transition_fire
from portal.workflow import DONE, Actor, TransitionError
from tests.cases.conftest import current, take_step

pytestmark = pytest.mark.django_db

# Steps 5-7 happen only where the assessment says they are needed.
SKIPPABLE_STEPS = ("medical", "psychological", "legal")
STEP_CODES = ["report", "intake", "outreach", "assessment", "medical", "psychological", "legal", "reintegration", "closure"]


def waiting_for(user):
    """The cases in `user`'s worklist: open, waiting for a step they may take now."""
    return set(Case.objects.filter(access_for(user).waiting_filter(Case)))


# The declaration.


def test_the_declaration_is_sound():
    assert WORKFLOW.problems() == []


def test_the_nine_steps_are_the_seed_s_in_its_order():
    assert [(s.number, s.code, s.executor) for s in WORKFLOW.steps] == [
        ("1", "report", "data"),
        ("2", "intake", "data"),
        ("3", "outreach", "social_worker"),
        ("4", "assessment", "social_worker"),
        ("5", "medical", "companion"),
        ("6", "psychological", "psychologist"),
        ("7", "legal", "legal"),
        ("8", "reintegration", "social_worker"),
        ("9", "closure", "chair"),
    ]
    assert WORKFLOW.steps[0].name.startswith("Pelapor/korban datang sendiri ke Petugas")
    assert WORKFLOW.steps[-1].name == "Proses Selesai"
    assert WORKFLOW.initial_statuses == ("report",)
    # Each step leads to the next; the closure closes the case.
    assert [WORKFLOW.transitions[code].target for code in STEP_CODES] == STEP_CODES[1:] + [DONE]
    assert set(WORKFLOW.final_statuses) == {DONE, CLOSED_EARLY, VOIDED}


def test_every_open_step_has_a_head_s_early_close_and_void_with_a_note():
    assert list(OPEN_STEPS) == STEP_CODES
    for code in STEP_CODES:
        names = {t.name for t in WORKFLOW.transitions_from(code)}
        assert {f"close_early.{code}", f"void.{code}"} <= names, code
        for name, target in ((f"close_early.{code}", CLOSED_EARLY), (f"void.{code}", VOIDED)):
            transition = WORKFLOW.transitions[name]
            assert (transition.source, transition.target, transition.roles) == (code, target, (Role.HEAD,)), name
            assert transition.actors == (Actor(Role.HEAD, (Office.CHAIR, Office.SECRETARY)),), name
            assert transition.note_required and not transition.approval, name
    for final in WORKFLOW.final_statuses:
        assert WORKFLOW.transitions_from(final) == []


def test_only_the_service_steps_may_be_skipped_by_their_officer_with_a_note():
    skips = {t.name: t for t in WORKFLOW.transitions.values() if t.name.startswith("skip_")}
    assert sorted(skips) == sorted(f"skip_{code}" for code in SKIPPABLE_STEPS)
    for code in SKIPPABLE_STEPS:
        skip = skips[f"skip_{code}"]
        assert skip.source == code and skip.target == STEP_CODES[STEP_CODES.index(code) + 1]
        # The Ketua or Sekretaris of the P2TP2A may skip too, but the skip waits in the officers' worklist only.
        heads = Actor(Role.HEAD, (Office.CHAIR, Office.SECRETARY))
        assert skip.actors == (Actor(Role.OFFICER), heads) and skip.worklist_actors == (Actor(Role.OFFICER),)
        assert skip.note_required


def test_the_heads_steps_are_approvals_and_the_officers_are_not():
    assert WORKFLOW.approval_statuses == {"closure"}
    assert WORKFLOW.transitions["closure"].roles == (Role.HEAD,)
    assert dict(TeamMember.FUNCTIONS).keys() == {"data", "legal", "social_worker", "companion", "psychologist"}
    assert [label for _code, label in Referral.STEPS] == ["5. Medis", "6. Psikologis", "7. Hukum", "8. Reintegrasi"]


def test_the_case_model_runs_the_declaration(case_service):
    assert case_service.record_model is Case and case_service.workflow is WORKFLOW
    assert Case.workflow is WORKFLOW


# Who takes a step: the team member holding the step's function.


def test_only_the_team_member_with_the_step_s_function_takes_it(
    new_case, assign_team, officers, outside_officer, fire, refused
):
    case = new_case()  # recorded by officers["data"], on the team as data
    assign_team(case, ["social_worker"])

    with refused(case, match="tidak dapat melakukan langkah ini: langkah ini dilakukan oleh Divisi Data"):
        fire(case, "report", outside_officer)  # no role over the P2TP2A
    with refused(case, match="petugas yang ditugaskan pada berkas ini"):
        fire(case, "report", officers["companion"])  # an officer of the P2TP2A, not on the team
    with refused(case, match="petugas yang ditugaskan pada berkas ini"):
        fire(case, "report", officers["social_worker"])  # on the team, with another function

    assert available_transitions(current(case), officers["companion"]) == []
    assert available_transitions(current(case), officers["social_worker"]) == []
    assert [t.name for t in available_transitions(current(case), officers["data"])] == ["report"]

    fired = fire(case, "report", officers["data"])
    assert (fired.status, fired.status_changed_by) == ("intake", officers["data"])


def test_a_head_of_the_p2tp2a_takes_a_team_member_s_step_which_stays_off_their_worklist(
    new_case, chair, agency, make_user, officers, assign_team, fire, refused
):
    case = new_case()
    assert [t.name for t in available_transitions(current(case), chair)] == [
        "report", "close_early.report", "void.report"
    ]
    # The case waits for the head only while its team has no social worker to assign (the task "team").
    assert case in waiting_for(chair)
    assign_team(case, ["social_worker"])
    assert case not in waiting_for(chair)
    head_above = make_user(agency, Role.HEAD, username="kabid_dinas")  # a head, but not of this P2TP2A
    with refused(case, match="tidak dapat melakukan langkah ini: langkah ini dilakukan oleh Divisi Data"):
        fire(case, "report", head_above)
    assert fire(case, "report", chair).status_changed_by == chair


def test_a_head_of_the_p2tp2a_skips_a_step_not_needed(case_at, chair, fire):
    case = case_at("medical")
    assert fire(case, "skip_medical", chair, note="Asesmen: tidak perlu layanan medis.").status == "psychological"


def test_the_worklist_follows_the_team(new_case, assign_team, officers, outside_officer):
    case = new_case()
    assign_team(case, ["social_worker"])
    assert case in waiting_for(officers["data"])
    for user in (officers["social_worker"], officers["companion"], outside_officer):
        assert case not in waiting_for(user), user.username


def test_an_ended_membership_takes_the_step_away(new_case, chair, officers, fire, refused):
    case = new_case()
    member = TeamMember.objects.get(case=case, user=officers["data"])
    services.team_end(member, actor=chair, expected_status="report")

    with refused(case, match="petugas yang ditugaskan pada berkas ini"):
        fire(case, "report", officers["data"])
    assert case not in waiting_for(officers["data"])

    services.team_assign(case, actor=chair, expected_status="report", user=officers["legal"], function="data")
    assert case in waiting_for(officers["legal"])
    assert fire(case, "report", officers["legal"]).status == "intake"


def test_a_later_step_goes_to_its_own_function(case_at, officers, fire, refused):
    case = case_at("outreach")
    with refused(case, match="petugas yang ditugaskan"):
        fire(case, "outreach", officers["data"])  # took the first two steps, not this one
    assert case not in waiting_for(officers["data"])
    assert case in waiting_for(officers["social_worker"])


# What each step needs.


MISSING_DOCUMENTS = "Lampirkan surat pengantar RT/RW dan fotokopi KTP pelapor, atau tuliskan alasan belum lengkap\\."


def test_intake_needs_both_documents_or_the_reason_they_are_missing(case_at, officers, attach, fire, take, refused):
    case = case_at("intake")
    data = officers["data"]
    with refused(case, match=f"Belum lengkap: {MISSING_DOCUMENTS}"):
        fire(case, "intake", data)
    attach(case, "cover_letter", data)
    with refused(case, match=MISSING_DOCUMENTS):
        fire(case, "intake", data)  # one of the two is not enough
    with refused(case, match=MISSING_DOCUMENTS) as refusal:
        take(case, data, "intake", missing_documents_reason="   ")  # blank is no reason
    assert refusal.value.errors == [("missing_documents_reason", MISSING_DOCUMENTS.replace("\\", ""))]

    taken = take(case, data, "intake", missing_documents_reason="Korban mengungsi, KTP pelapor tertinggal.")
    assert taken.status == "outreach"
    assert current(case).notes.missing_documents_reason == "Korban mengungsi, KTP pelapor tertinggal."


def test_intake_with_both_documents_needs_no_reason(case_at, officers, attach, fire):
    case = case_at("intake")
    attach(case, "cover_letter", officers["data"])
    attach(case, "reporter_ktp", officers["data"])
    assert fire(case, "intake", officers["data"]).status == "outreach"


def test_intake_needs_the_chronology_and_the_violence_types(case_at, officers, attach, fire, refused):
    case = case_at("intake", chronology="", violence_types=[])
    attach(case, "cover_letter", officers["data"])
    attach(case, "reporter_ktp", officers["data"])
    with refused(case, match="Belum lengkap: Tuliskan kronologi kejadian\\. Pilih sedikitnya satu jenis kekerasan\\.$"):
        fire(case, "intake", officers["data"])


def test_outreach_needs_the_head_s_spt_and_the_result(case_at, officers, chair, fire, take, refused):
    case = case_at("outreach")
    worker = officers["social_worker"]
    with refused(case, match="Belum lengkap: Tuliskan hasil verifikasi/penjangkauan\\. SPT penjangkauan belum diterbitkan Ketua\\.$"):
        fire(case, "outreach", worker)
    with refused(case, match="Belum lengkap: SPT penjangkauan belum diterbitkan Ketua\\.$"):
        take(case, worker, "outreach", outreach_result="Korban ditemui.")  # refused: the result is not kept either

    with refused(case, match="Hanya Ketua atau Sekretaris P2TP2A yang dapat menandatangani SPT"):
        services.spt_issue(case, actor=worker, expected_status="outreach")
    services.spt_issue(case, actor=chair, expected_status="outreach")
    stored = current(case)
    assert stored.spt_issued_by == chair and stored.spt_issued_at is not None
    with refused(case, match="Belum lengkap: Tuliskan hasil verifikasi/penjangkauan\\.$"):
        fire(case, "outreach", worker)

    assert take(case, worker, "outreach", outreach_result="Korban ditemui.").status == "assessment"


def test_the_spt_needs_a_social_worker_on_the_team(case_at, chair, officers, refused):
    case = case_at("outreach")
    member = TeamMember.objects.get(case=case, function="social_worker")
    services.team_end(member, actor=chair, expected_status="outreach")
    with refused(case, match="Tugaskan dulu pekerja sosial"):
        services.spt_issue(case, actor=chair, expected_status="outreach")


def test_the_spt_is_issued_in_the_outreach_step_only(case_at, chair, refused):
    case = case_at("intake")
    with refused(case, match="pada langkah verifikasi/penjangkauan"):
        services.spt_issue(case, actor=chair, expected_status="intake")


def record_assessment(case, actor, *, medical=True, psychological=False, legal=False, text="Perlu visum."):
    """The assessment step's form saved as a draft ("Simpan dulu"), as the social worker does before the approval."""
    answers = {True: "ya", False: "tidak"}
    return take_step(
        case, actor, assessment=text, risk=Case.Risk.HIGH,
        needs_medical=answers[medical], needs_psychological=answers[psychological], needs_legal=answers[legal],
    )


def test_assessment_needs_the_assessment_its_needs_and_a_head_s_approval(case_at, officers, chair, fire, refused):
    case = case_at("assessment")
    worker = officers["social_worker"]
    with refused(case, match="Belum lengkap: Tuliskan hasil asesmen\\. Pilih apakah layanan medis diperlukan\\."):
        fire(case, "assessment", worker)

    record_assessment(case, worker)
    stored = current(case)
    assert (stored.needs_medical, stored.needs_psychological, stored.needs_legal, stored.risk) == (
        True, False, False, Case.Risk.HIGH
    )
    with refused(case, match="Belum lengkap: Asesmen belum disetujui Ketua"):
        fire(case, "assessment", worker)

    with refused(case, match="Hanya Ketua atau Sekretaris P2TP2A yang dapat menyetujui asesmen"):
        services.assessment_approve(case, actor=worker, expected_status="assessment")
    services.assessment_approve(case, actor=chair, expected_status="assessment")
    assert current(case).assessment_approved_by == chair
    assert fire(case, "assessment", worker).status == "medical"


def test_a_blank_assessment_is_not_one(case_at, officers, chair, fire, refused):
    case = case_at("assessment")
    record_assessment(case, officers["social_worker"], text="  ")
    with refused(case, match="Asesmen belum dicatat"):
        services.assessment_approve(case, actor=chair, expected_status="assessment")
    with refused(case, match="Tuliskan hasil asesmen"):
        fire(case, "assessment", officers["social_worker"])


def test_the_assessment_is_recorded_by_the_social_worker(case_at, officers, refused):
    case = case_at("assessment")
    for function in ("data", "companion", "psychologist", "legal"):
        with refused(case, match="petugas yang ditugaskan pada berkas ini"):
            record_assessment(case, officers[function])


def test_a_head_who_records_the_assessment_may_not_approve_it(case_at, chair, secretary, officers, fire, refused):
    # Heads pass the team check, so a head may record the assessment; then another head approves it.
    case = case_at("assessment")
    record_assessment(case, chair)
    with refused(case, match="persetujuannya harus oleh pimpinan lain"):
        services.assessment_approve(case, actor=chair, expected_status="assessment")
    services.assessment_approve(case, actor=secretary, expected_status="assessment")
    assert current(case).assessment_approved_by == secretary
    assert fire(case, "assessment", officers["social_worker"]).status == "medical"


def test_recording_the_assessment_again_withdraws_its_approval(case_at, officers, chair, fire, refused):
    case = case_at("assessment")
    record_assessment(case, officers["social_worker"])
    services.assessment_approve(case, actor=chair, expected_status="assessment")
    record_assessment(case, officers["social_worker"], medical=False)
    stored = current(case)
    assert stored.assessment_approved_at is None and stored.assessment_approved_by is None
    with refused(case, match="Asesmen belum disetujui Ketua"):
        fire(case, "assessment", officers["social_worker"])


def test_a_needed_step_may_not_be_skipped(case_at, officers, fire, refused):
    case = case_at("medical", needs_medical=True)
    with refused(case, match="Asesmen menyatakan langkah ini diperlukan"):
        fire(case, "skip_medical", officers["companion"], note="Korban menolak.")


def test_a_step_not_needed_is_skipped_with_a_note(case_at, p2tp2a, make_user, officers, fire, refused):
    case = case_at("medical")  # needs_medical False
    with refused(case, match="Tuliskan alasannya"):
        fire(case, "skip_medical", officers["companion"], note="  ")
    not_on_team = make_user(p2tp2a, Role.OFFICER, username="petugas_lain")
    with refused(case, match="petugas yang ditugaskan"):
        fire(case, "skip_medical", not_on_team, note="Tidak perlu.")
    fired = fire(case, "skip_medical", officers["companion"], note="Asesmen: tidak ada luka fisik.")
    assert fired.status == "psychological"
    log = TransitionLog.objects.filter(object_id=case.pk).last()
    assert (log.transition, log.note) == ("skip_medical", "Asesmen: tidak ada luka fisik.")


@pytest.mark.parametrize("step", SKIPPABLE_STEPS)
def test_each_service_step_is_skipped_only_when_the_assessment_says_so(case_at, officers, fire, refused, step):
    function = WORKFLOW.step_for(step).executor
    needed = case_at(step, **{f"needs_{step}": True})
    with refused(needed, match="langkah ini diperlukan"):
        fire(needed, f"skip_{step}", officers[function], note="Tidak perlu.")
    not_needed = case_at(step)
    assert fire(not_needed, f"skip_{step}", officers[function], note="Tidak perlu.").status != step


def test_the_medical_step_needs_a_completed_referral(case_at, officers, service_type, fire, refused):
    case = case_at("medical", needs_medical=True)
    companion = officers["companion"]
    with refused(case, match="Belum lengkap: Catat layanan/rujukan yang diberikan pada langkah ini\\.$"):
        fire(case, "medical", companion)

    services.consent_record(
        case, actor=companion, expected_status="medical", scope="layanan", granted=True,
        given_by_guardian=False, guardian_name="",
    )
    referral = services.referral_create(
        case, actor=companion, expected_status="medical",
        referral=Referral(step="medical", service_type=service_type, referred_on=date(2026, 1, 5)),
    )
    with refused(case, match="Belum lengkap: Isi hasil dan tanggal selesai setiap rujukan langkah ini\\.$"):
        fire(case, "medical", companion)

    # A voided referral neither counts nor holds the step up.
    services.referral_update(
        referral, actor=companion, expected_status="medical", outcome="", completed_on=None, void_reason="Salah input."
    )
    with refused(case, match="layanan/rujukan yang diberikan pada langkah ini"):
        fire(case, "medical", companion)

    second = services.referral_create(
        case, actor=companion, expected_status="medical",
        referral=Referral(step="medical", service_type=service_type, referred_on=date(2026, 1, 6)),
    )
    services.referral_update(
        second, actor=companion, expected_status="medical", outcome="Visum selesai.", completed_on=date(2026, 1, 7)
    )
    assert fire(case, "medical", companion).status == "psychological"


def test_reintegration_needs_its_result(case_at, officers, fire, refused):
    case = case_at("reintegration")
    with refused(case, match="Belum lengkap: Tuliskan hasil reintegrasi/rehabilitasi\\.$"):
        fire(case, "reintegration", officers["social_worker"])


def test_the_closure_needs_its_summary(case_at, chair, fire, take, refused):
    case = case_at("closure")
    with refused(case, match="Belum lengkap: Tuliskan ringkasan penanganan untuk laporan akhir\\.$"):
        fire(case, "closure", chair)
    closed = take(case, chair, "closure", closure_summary="Selesai.")
    assert (closed.status, closed.is_open) == (DONE, False)


def test_the_closure_is_approved_by_a_head_who_did_not_move_the_case_into_it(
    case_at, p2tp2a, chair, secretary, officers, fire, refused
):
    # The chair also works as an officer and, as the case's social worker, finishes the reintegration.
    Membership.objects.create(user=chair, unit=p2tp2a, role=Group.objects.get(name=Role.OFFICER))
    chair = type(chair).objects.get(pk=chair.pk)  # a fresh user: roles are read once per user object
    case = case_at("reintegration")
    services.team_assign(case, actor=secretary, expected_status="reintegration", user=chair, function="social_worker")
    taken = take_step(case, chair, "reintegration", reintegration_result="Pulih.", closure_summary="Selesai.")
    assert taken.status == "closure"

    with refused(case, match="persetujuan ini harus dilakukan oleh pejabat lain"):
        fire(case, "closure", chair)
    assert case not in waiting_for(chair)
    assert case in waiting_for(secretary)
    assert fire(case, "closure", secretary).status == DONE


def test_officers_do_not_close(case_at, officers, refused, fire):
    case = case_at("closure")
    for user in officers.values():
        with refused(case, match=r"langkah ini dilakukan oleh Ketua \(pemegang jabatan Ketua atau Sekretaris di "):
            fire(case, "closure", user)


# Closing early and voiding.


def test_a_head_s_worklist_holds_the_closures_not_every_case_they_could_close(case_at, chair, secretary):
    # Closing early and voiding are open from every step, but a case waits for a head only at the closure.
    early = case_at("report")
    late = case_at("closure")
    for head in (chair, secretary):
        assert early not in waiting_for(head) and late in waiting_for(head)
    assert [t.name for t in available_transitions(current(early), chair)] == [
        "report", "close_early.report", "void.report"
    ]


@pytest.mark.parametrize("status", STEP_CODES)
@pytest.mark.parametrize("name, target", [("close_early", CLOSED_EARLY), ("void", VOIDED)])
def test_a_head_closes_early_or_voids_from_any_open_step_with_a_note(case_at, chair, fire, refused, status, name, target):
    case = case_at(status)
    with refused(case, match="Tuliskan alasannya"):
        fire(case, f"{name}.{status}", chair, note=" ")
    closed = fire(case, f"{name}.{status}", chair, note="Korban pindah ke luar daerah.")
    assert (closed.status, closed.is_open, closed.status_changed_by) == (target, False, chair)
    log = TransitionLog.objects.filter(object_id=case.pk).last()
    assert (log.transition, log.from_status, log.to_status, log.note) == (
        f"{name}.{status}", status, target, "Korban pindah ke luar daerah."
    )


@pytest.mark.parametrize("status", ["report", "assessment", "closure"])
@pytest.mark.parametrize("name", ["close_early", "void"])
def test_no_one_but_a_head_closes_early_or_voids(case_at, officers, agency_head, outside_officer, fire, refused,
                                                 status, name):
    case = case_at(status)
    for user in [*officers.values(), agency_head, outside_officer]:
        with refused(case, match=r"langkah ini dilakukan oleh Ketua \(pemegang jabatan Ketua atau Sekretaris di "):
            fire(case, f"{name}.{status}", user, note="Alasan.")


def test_a_closed_case_takes_no_more_writes(case_at, chair, officers, fire, refused):
    case = case_at("assessment")
    fire(case, "void.assessment", chair, note="Salah input: kasus ganda.")
    case = current(case)
    assert available_transitions(case, chair) == []
    with refused(case, match="tidak dapat dilakukan dari status sekarang"):
        fire(case, "assessment", officers["social_worker"])
    with refused(case, match="sudah ditutup"):
        services.notes_update(case, actor=chair, expected_status=VOIDED, field="chronology", text="x")
    with refused(case, match="sudah ditutup"):
        services.team_assign(case, actor=chair, expected_status=VOIDED, user=officers["legal"], function="legal")
    with refused(case, match="sudah ditutup"):
        services.consent_record(
            case, actor=chair, expected_status=VOIDED, scope="layanan", granted=True,
            given_by_guardian=False, guardian_name="",
        )
    assert case not in waiting_for(chair) and case not in waiting_for(officers["social_worker"])


# Two submissions of the same form.


def test_of_two_submissions_from_the_same_status_the_second_is_refused(new_case, officers, refused):
    case = new_case()
    transition_fire(case, name="report", actor=officers["data"], expected_status="report")
    with refused(case, match="baru saja diubah oleh pengguna lain"):
        transition_fire(case, name="report", actor=officers["data"], expected_status="report")
    assert current(case).status == "intake"
    assert list(TransitionLog.objects.filter(object_id=case.pk).values_list("transition", flat=True)) == [
        "start", "report"
    ]


def test_a_service_write_from_a_stale_status_is_refused(case_at, chair, officers, refused):
    case = case_at("outreach")
    with refused(case, match="baru saja diubah oleh pengguna lain"):
        services.notes_update(case, actor=officers["data"], expected_status="intake", field="chronology", text="x")
    with refused(case, match="baru saja diubah oleh pengguna lain"):
        services.spt_issue(case, actor=chair, expected_status="intake")


def run_together(calls):
    """Run each call in its own thread and connection, released at the same moment; their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            outcomes.append(call())
        except Exception as error:  # noqa: BLE001 - a TransitionError is expected; anything else fails the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung: a lock was never released"
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_officers_recording_at_once_get_two_numbers(require_postgresql, new_case, p2tp2a, make_user):
    second = make_user(p2tp2a, Role.OFFICER, username="petugas_kedua")
    outcomes = run_together([lambda: new_case(), lambda: new_case(actor=second)])
    assert all(isinstance(o, Case) for o in outcomes), outcomes
    assert sorted(Case.objects.values_list("sequence", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_submissions_exactly_one_fires(require_postgresql, new_case, officers):
    case = new_case()
    fire = lambda: transition_fire(case, name="report", actor=officers["data"], expected_status="report")  # noqa: E731
    outcomes = run_together([fire, fire])
    refusals = [o for o in outcomes if isinstance(o, TransitionError)]
    assert len(refusals) == 1 and [o.status for o in outcomes if isinstance(o, Case)] == ["intake"], outcomes
    assert "baru saja diubah oleh pengguna lain" in str(refusals[0])
    assert list(TransitionLog.objects.filter(object_id=case.pk).values_list("transition", flat=True)) == [
        "start", "report"
    ]
