"""The rules of a P2TP2A case: who reads a victim's identity, and every write beside the engine's steps.

Reading identity (portal.identity, as cases.workflow declares it): the case's active team and the Ketua and
Sekretaris of the P2TP2A (the service's unit) read it; the Kepala Dinas may open it only by giving a reason;
nobody else ever sees it.
Every reading is written to AccessLog by the view that shows it (portal.identity.log_access).

Each write checks who acts and in which status, inside one transaction with the case's row locked
(portal.services.record_locked), and raises TransitionError with the reason in Indonesian.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    AccessLog,
    Case,
    CaseNotes,
    Consent,
    LegalMilestone,
    NoteVersion,
    Perpetrator,
    Referral,
    Reporter,
    TeamMember,
    Victim,
    age_band,
    head_units,
)
from cases.workflow import VOIDED, WORKFLOW
from portal import identity
from portal.models import Service, Unit
from portal.roles import Role
from portal.services import record_locked, refuse_resubmission, workflow_start
from portal.workflow import TransitionError

# The steps during which services are given and referrals made, after the assessment is approved.
SERVICE_STEPS = ("medical", "psychological", "legal", "reintegration")
CLOSED = gettext_lazy("Kasus ini sudah ditutup; datanya tidak dapat diubah lagi.")
NOT_ON_TEAM = gettext_lazy("Hanya tim yang ditugaskan pada kasus ini yang dapat melakukannya.")


# Who reads what: portal.identity, as cases.workflow declares it.


def is_team_head(user, case) -> bool:
    return case.service.unit_id in head_units(user)


# Who writes which narrative note, and when.


@dataclass(frozen=True)
class NoteRule:
    steps: tuple[str, ...]  # the steps whose own note it is; any later step corrects it, while the case is open
    functions: tuple[str, ...]  # the team functions that write it; a head of the P2TP2A writes every note


# Who corrects a note on the case page (notes_update); a step's own notes are written in its form (cases.forms).
# The assessment is not here: the assessment step's form writes it with its verdict on steps 5-7, in its own step
# only, because changing it withdraws the head's approval (assessment_write).
NOTE_RULES = {
    "chronology": NoteRule(("report", "intake"), ("data",)),
    "missing_documents_reason": NoteRule(("intake",), ("data",)),
    "outreach_result": NoteRule(("outreach",), ("social_worker",)),
    "reintegration_result": NoteRule(("reintegration",), ("social_worker",)),
    "closure_summary": NoteRule(("reintegration", "closure"), ("social_worker",)),
}
STEP_ORDER = [step.code for step in WORKFLOW.steps]


def team_functions(case, user) -> set[str]:
    """The functions `user` holds on the case's active team."""
    return set(TeamMember.objects.filter(case=case, user=user, ended_at=None).values_list("function", flat=True))


def note_refusal(case, field, *, functions, is_head) -> str:
    """Why a user holding `functions` on the case's team (and a head of its P2TP2A, or not) may not write note
    `field` (a key of NOTE_RULES) now; "" when they may. A correction after the note's steps is kept as a version
    like any other change, so a finished step's note stays correctable until the case is closed."""
    rule = NOTE_RULES[field]
    label = CaseNotes._meta.get_field(field).verbose_name
    if not case.is_open:
        return str(CLOSED)
    if STEP_ORDER.index(case.status) < STEP_ORDER.index(rule.steps[0]):
        step = WORKFLOW.step_for(rule.steps[0])
        return _("Catatan %(note)s ditulis mulai langkah %(number)s.") % {"note": label, "number": step.number}
    if is_head:
        return ""
    if not functions:
        return str(NOT_ON_TEAM)
    if not functions & set(rule.functions):
        writers = ", ".join(str(WORKFLOW.executor(function).label) for function in rule.functions)
        return _("Catatan %(note)s ditulis oleh %(writers)s kasus ini atau pimpinan P2TP2A.") % {
            "note": label, "writers": writers,
        }
    return ""


def note_versions(case) -> dict[str, list[NoteVersion]]:
    """{note: its versions, oldest first}: the last is the text the note holds now."""
    versions = {}
    for version in NoteVersion.objects.filter(case=case).select_related("written_by"):
        versions.setdefault(version.note, []).append(version)
    return versions


# Writes.


def _victim_facts(victim, on):
    age = victim.age_on(on)
    return victim.sex, age_band(age) if age is not None else ""


@transaction.atomic
def case_create(*, service, actor, case, victim, reporter, perpetrators, violence_types, chronology, submission=None):
    """Record a new report: the case in step 1, its identity parts, and its recorder on the team as Divisi Data.

    `case`, `victim` and `reporter` are unsaved instances from the intake form (`reporter` None when the
    victim reports herself); `perpetrators` unsaved Perpetrator instances. The number is the next of the
    service's year, taken under the service's row lock so two officers recording at once never get the same number.
    """
    Service.objects.select_for_update().get(pk=service.pk)
    refuse_resubmission(Case, submission)
    case.submission = submission
    now = timezone.localtime()
    case.service, case.unit = service, service.unit
    case.take_number(now.year)
    case.victim_sex, case.victim_age_band = _victim_facts(victim, case.incident_date or now.date())
    workflow_start(case, actor=actor)
    case.violence_types.set(violence_types)
    victim.case = case
    victim.save()
    if reporter is not None:
        reporter.case = case
        reporter.save()
    for perpetrator in perpetrators:
        perpetrator.case = case
    Perpetrator.objects.bulk_create(perpetrators)
    CaseNotes.objects.create(case=case, chronology=chronology)
    if chronology:
        NoteVersion.objects.create(case=case, note="chronology", text=chronology, written_by=actor)
    TeamMember.objects.create(case=case, user=actor, function="data", assigned_by=actor)
    identity.log_access(case, actor, AccessLog.Action.EDIT, what=_("Laporan baru dicatat"))
    return case


def _team_refusal(case, user, *, functions=None) -> str:
    """Why `user` may not act for the case's team: "" when on it (holding one of `functions`, when given) or a head
    of its P2TP2A."""
    if is_team_head(user, case):
        return ""
    members = TeamMember.objects.filter(case=case, user=user, ended_at=None)
    if functions is not None:
        members = members.filter(function__in=functions)
    if not members.exists():
        return str(NOT_ON_TEAM)
    return ""


def _require_team(case, actor, *, functions=None):
    refusal = _team_refusal(case, actor, functions=functions)
    if refusal:
        raise TransitionError(refusal)


def _require_open(case):
    if not case.is_open:
        raise TransitionError(str(CLOSED))


def _locked(case, expected_status):
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("use inside transaction.atomic()")
    return record_locked(case, expected_status=expected_status)


@transaction.atomic
def identity_update(
    case, *, actor, expected_status, victim, case_fields, violence_types=None, reporter=None, perpetrators=()
):
    """Save the edited identity and what the register derives from it (sex, age band, kecamatan).

    `reporter`: the edited Reporter, or None to leave it; `perpetrators`: Perpetrator instances, new or edited.
    """
    with _locked(case, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        victim.save()
        if reporter is not None:
            reporter.case = locked
            reporter.save()
        for perpetrator in perpetrators:
            perpetrator.case = locked
            perpetrator.save()
        for name, value in case_fields.items():
            setattr(locked, name, value)
        locked.victim_sex, locked.victim_age_band = _victim_facts(victim, locked.incident_date or timezone.localdate(locked.created_at))
        locked._history_user = actor
        locked.save()
        if violence_types is not None:
            locked.violence_types.set(violence_types)
        identity.log_access(locked, actor, AccessLog.Action.EDIT, what=_("Identitas dan data kejadian"))
    return locked


def note_write(case, *, actor, field, text):
    """Change one note, keeping the new text as its latest version; the same text again is no change. On the
    case's locked row: a step's form (cases.forms) or notes_update."""
    if getattr(CaseNotes.objects.get(case=case), field) == text:
        return
    CaseNotes.objects.filter(case=case).update(**{field: text})
    NoteVersion.objects.create(case=case, note=field, text=text, written_by=actor)


@transaction.atomic
def notes_update(case, *, actor, expected_status, field, text):
    """Write one narrative note of the case (chronology, outreach result, ...) as NOTE_RULES says; every change
    is kept as a version."""
    if field not in NOTE_RULES:
        raise TransitionError(_("Catatan tidak dikenal."))
    with _locked(case, expected_status) as locked:
        refusal = note_refusal(
            locked, field, functions=team_functions(locked, actor), is_head=is_team_head(actor, locked)
        )
        if refusal:
            raise TransitionError(refusal)
        note_write(locked, actor=actor, field=field, text=text)
    return locked


def assessment_write(case, *, actor, text, risk, needs):
    """The social worker's assessment, from the assessment step's form on the case's locked row: the text, the
    risk and `needs` ({Case.NEEDS_FIELD value: True, False or None}). A change withdraws an earlier approval and
    makes `actor` its author; the same assessment sent again (to complete the step once approved) keeps it."""
    notes = CaseNotes.objects.get(case=case)
    changed = notes.assessment != text or case.risk != risk or any(getattr(case, name) != value for name, value in needs.items())
    if not changed:
        return
    note_write(case, actor=actor, field="assessment", text=text)
    CaseNotes.objects.filter(case=case).update(assessed_by=actor)
    for name, value in needs.items():
        setattr(case, name, value)
    case.risk = risk
    case.assessment_approved_at = case.assessment_approved_by = None
    case._history_user = actor
    case.save()


@transaction.atomic
def assessment_approve(case, *, actor, expected_status):
    with _locked(case, expected_status) as locked:
        if locked.status != "assessment":
            raise TransitionError(_("Asesmen disetujui pada langkah asesmen."))
        if not is_team_head(actor, locked):
            raise TransitionError(_("Hanya Ketua atau Sekretaris P2TP2A yang dapat menyetujui asesmen."))
        notes = CaseNotes.objects.get(case=locked)
        if not notes.assessment.strip():
            raise TransitionError(_("Asesmen belum dicatat."))
        if notes.assessed_by_id == actor.pk:
            raise TransitionError(_("Anda yang mencatat asesmen ini, sehingga persetujuannya harus oleh pimpinan lain."))
        locked.assessment_approved_at, locked.assessment_approved_by = timezone.now(), actor
        locked._history_user = actor
        locked.save()
    return locked


@transaction.atomic
def spt_issue(case, *, actor, expected_status):
    """The head signs the outreach assignment letter (SPT penjangkauan) for the case's team."""
    with _locked(case, expected_status) as locked:
        if locked.status != "outreach":
            raise TransitionError(_("SPT penjangkauan diterbitkan pada langkah verifikasi/penjangkauan."))
        if not is_team_head(actor, locked):
            raise TransitionError(_("Hanya Ketua atau Sekretaris P2TP2A yang dapat menandatangani SPT penjangkauan."))
        if not locked.team.filter(ended_at=None, function="social_worker").exists():
            raise TransitionError(_("Tugaskan dulu pekerja sosial pada tim kasus ini."))
        locked.spt_issued_at, locked.spt_issued_by = timezone.now(), actor
        locked._history_user = actor
        locked.save()
    return locked


def team_candidates(case):
    """The officers who may join the case's team: those of any unit of the case's regency, so that a social
    worker of the Dinas Sosial, who the standard names, works on the case beside the P2TP2A's own officers. One
    from outside the P2TP2A sees and reads that case only, as a member of its team (Case.guest_role)."""
    regency = [unit.pk for unit in [case.unit, *case.unit.ancestors()] if unit.kind == Unit.Kind.GOVERNMENT][:1]
    units = Unit.objects.tree().below(regency)
    return get_user_model().objects.filter(
        memberships__role__name=Role.OFFICER, memberships__unit_id__in=units, is_active=True
    ).distinct()


@transaction.atomic
def team_assign(case, *, actor, expected_status, user, function):
    with _locked(case, expected_status) as locked:
        _require_open(locked)
        if not is_team_head(actor, locked):
            raise TransitionError(_("Hanya Ketua atau Sekretaris P2TP2A yang dapat menugaskan tim kasus."))
        if not team_candidates(locked).filter(pk=user.pk).exists():
            raise TransitionError(
                _("%(user)s bukan petugas di kabupaten ini.") % {"user": user.get_full_name() or user.username}
            )
        if TeamMember.objects.filter(case=locked, user=user, function=function, ended_at=None).exists():
            raise TransitionError(_("Petugas ini sudah ditugaskan dengan fungsi tersebut."))
        return TeamMember.objects.create(case=locked, user=user, function=function, assigned_by=actor)


@transaction.atomic
def team_end(member, *, actor, expected_status):
    with _locked(member.case, expected_status) as locked:
        _require_open(locked)
        if not is_team_head(actor, locked):
            raise TransitionError(_("Hanya Ketua atau Sekretaris P2TP2A yang dapat mengubah tim kasus."))
        TeamMember.objects.filter(pk=member.pk, case=locked, ended_at=None).update(ended_at=timezone.now())


@transaction.atomic
def consent_record(case, *, actor, expected_status, scope, granted, given_by_guardian, guardian_name, submission=None):
    with _locked(case, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        refuse_resubmission(Consent, submission)
        if given_by_guardian and not guardian_name.strip():
            raise TransitionError(_("Isi nama wali yang memberikan persetujuan."))
        return Consent.objects.create(
            case=locked, scope=scope, granted=granted, given_by_guardian=given_by_guardian,
            guardian_name=guardian_name.strip(), recorded_by=actor, submission=submission,
        )


def consent_state(case) -> dict[str, bool]:
    """Each consent item's latest answer: a later record replaces an earlier one (consent can be withdrawn)."""
    state = {}
    for consent in case.consents.order_by("recorded_at", "pk"):
        state[consent.scope] = consent.granted
    return state


@transaction.atomic
def referral_create(case, *, actor, expected_status, referral, override_reason="", submission=None):
    """Record a service given or a referral made; sharing data outside P2TP2A needs the victim's consent.

    Missing consent may be overridden only by a user with the override permission, with a reason.
    """
    with _locked(case, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        refuse_resubmission(Referral, submission)
        if locked.assessment_approved_at is None or locked.status not in SERVICE_STEPS + ("closure",):
            raise TransitionError(_("Rujukan dicatat setelah asesmen disetujui pimpinan."))
        consents = consent_state(locked)
        lacking = []
        if not consents.get(Consent.SERVICES):
            lacking.append(_("menerima layanan"))
        if referral.partner is not None and not consents.get(referral.partner.kind):
            lacking.append(_("berbagi data dengan %(kind)s") % {"kind": referral.partner.get_kind_display()})
        if lacking:
            if not actor.has_perm("cases.override_consent") or not is_team_head(actor, locked):
                raise TransitionError(
                    _("Belum ada persetujuan korban/wali untuk: %(items)s. Catat persetujuannya dulu.")
                    % {"items": ", ".join(lacking)}
                )
            if not override_reason.strip():
                raise TransitionError(_("Tanpa persetujuan korban/wali, tuliskan alasannya."))
            referral.consent_override_reason = override_reason.strip()
        referral.case, referral.created_by, referral.submission = locked, actor, submission
        referral.save()
        return referral


@transaction.atomic
def referral_update(referral, *, actor, expected_status, outcome, completed_on, void_reason=""):
    with _locked(referral.case, expected_status) as locked:
        _require_open(locked)
        _require_team(locked, actor)
        Referral.objects.filter(pk=referral.pk, case=locked).update(
            outcome=outcome, completed_on=completed_on, void_reason=void_reason.strip()
        )


def milestone_refusal(case, referral, user) -> str:
    """Why `user` may not add a legal milestone to the case's `referral` now; "" when they may.

    While the case is open, its team and the heads of its P2TP2A add them. The court's verdict often comes after
    the case is closed (done or closed early): then the case's legal division alone, the members holding "legal"
    on the team when it closed, adds them, until a verdict ("putusan") is recorded on the referral. A case voided
    as entered in error takes none.
    """
    if referral.case_id != case.pk or referral.step != "legal" or referral.void_reason:
        return _("Tahap proses hukum dicatat pada rujukan hukum.")
    if case.is_open:
        return _team_refusal(case, user)
    if case.status == VOIDED:
        return _("Kasus ini dibatalkan karena salah input; tahap proses hukum tidak dicatat lagi.")
    closed_at = case.status_changed_at
    legal_at_closure = TeamMember.objects.filter(
        Q(ended_at=None) | Q(ended_at__gt=closed_at), case=case, user=user, function="legal", assigned_at__lte=closed_at,
    )
    if not legal_at_closure.exists():
        return _("Kasus ini sudah ditutup; tahap proses hukum hanya dicatat oleh Divisi Hukum kasus ini sampai putusan.")
    if referral.milestones.filter(kind=LegalMilestone.Kind.VERDICT).exists():
        return _("Putusan sudah dicatat dan kasus ini sudah ditutup; tidak ada tahap proses hukum lagi yang dicatat.")
    return ""


@transaction.atomic
def milestone_add(referral, *, actor, expected_status, kind, date, note, submission=None):
    """Add a legal milestone to a legal referral, as milestone_refusal allows: also after closure, until the verdict."""
    with _locked(referral.case, expected_status) as locked:
        refusal = milestone_refusal(locked, referral, actor)
        if refusal:
            raise TransitionError(refusal)
        refuse_resubmission(LegalMilestone, submission)
        return LegalMilestone.objects.create(
            referral=referral, kind=kind, date=date, note=note, recorded_by=actor, submission=submission
        )


def identity_parts(case):
    """The victim, reporter, perpetrators and notes of a case, for a page that may show them."""
    return {
        "victim": Victim.objects.select_related("kecamatan", "desa").get(case=case),
        "reporter": Reporter.objects.filter(case=case).first(),
        "perpetrators": list(case.perpetrators.select_related("relation")),
        # Through the case, so that its step form (which reads case.notes) finds them already read.
        "notes": case.notes,
    }
