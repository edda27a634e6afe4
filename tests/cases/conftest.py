"""Fixtures for the P2TP2A case app, on top of tests/conftest.py (government > agency, with its service hours).

    government (pemkab)
    └── agency (dinas): the service hours every unit below works
        ├── division (bidang): `outside_officer` works here, outside the P2TP2A
        └── p2tp2a (uptd): `case_service` runs here; `chair`, `secretary` and `officers` work here

Users (each a fresh user holding one role through a Membership):
    chair, secretary     two heads (Role.HEAD) of the P2TP2A holding its offices of Ketua and Sekretaris
                         (portal.roles.Office): they read every case's identity, assign the
                         team, issue the SPT, approve the assessment and close; they hold "cases.override_consent"
    officers             {function: user}, one officer (Role.OFFICER) of the P2TP2A per team function
                         (data, legal, social_worker, companion, psychologist); none is on a case's team
                         until assigned, except that whoever records a case joins it as "data"
    agency_head          Role.AGENCY_HEAD in the agency, holding the office of Kepala Dinas: sees the cases,
                         reads no identity, may reveal one
    outside_officer      an officer of the division: holds no role over the P2TP2A
    faskes_user          Role.FASKES in the agency, above the P2TP2A: a role in the chain that is no head's
    strangers            {who: user} of those outside a case's team who try it (SIGHTED see it, BLIND do not)

Helpers (fixtures returning functions):
    new_case(**fields)         a case recorded through cases.services.case_create (status "report")
    assign_team(case, ...)     the chair puts officers on the case's team through team_assign
    fire(case, name, actor)    portal.services.transition_fire with the case's current status
    take(case, actor, name, **fields)  the step's form (cases.forms) filled and taken through portal.services.step_take
    attach(case, kind, actor)  a document attached through portal.services.attachment_add
    case_at(status, ...)       a case walked through the real steps until it waits in `status`
    case_state(case)           everything stored about a case, to compare before and after
    refused(case, match)       a context manager: the block must raise TransitionError and change nothing
"""

from contextlib import contextmanager
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from cases import services
from cases.models import (
    AccessLog,
    Case,
    CaseNotes,
    Consent,
    LegalMilestone,
    NoteVersion,
    Perpetrator,
    PerpetratorRelation,
    Referral,
    Reporter,
    ServiceType,
    TeamMember,
    Victim,
    ViolenceType,
)
from cases.workflow import WORKFLOW
from portal.models import Attachment, Service, TransitionLog, Unit
from portal.roles import Office, Role
from portal.services import attachment_add, step_take, transition_fire
from portal.workflow import SAVE_ONLY, TransitionError

# The officers' team functions, in the order of the SOP's columns.
FUNCTIONS = ("data", "legal", "social_worker", "companion", "psychologist")
# Who takes each step of a case in `case_at` (the executor's function, or the chair for the closure).
STEP_FUNCTION = {step.code: step.executor for step in WORKFLOW.steps}


# Units and the service.


@pytest.fixture
def p2tp2a(agency):
    """The P2TP2A: a UPTD under the agency, working the agency's service hours."""
    return Unit.objects.create(
        code="p2tp2a", name="UPTD P2TP2A Contoh", short_name="P2TP2A", kind=Unit.Kind.TECHNICAL_UNIT, parent=agency
    )


@pytest.fixture
def case_service(p2tp2a):
    """The P2TP2A's case service: Service(app="cases") run by the P2TP2A."""
    return Service.objects.create(
        slug="pelayanan-p2tp2a", name="Pelayanan dan Pendampingan Korban", unit=p2tp2a, app="cases"
    )


# Users.


@pytest.fixture
def chair(p2tp2a, make_user):
    """A head (Role.HEAD) of the P2TP2A holding the office of its Ketua."""
    return make_user(p2tp2a, Role.HEAD, username="ketua", office=Office.CHAIR)


@pytest.fixture
def secretary(p2tp2a, make_user):
    """A second head (Role.HEAD) of the P2TP2A: the Sekretaris, for approvals the chair may not make."""
    return make_user(p2tp2a, Role.HEAD, username="sekretaris", office=Office.SECRETARY)


@pytest.fixture
def officers(p2tp2a, make_user):
    """{function: user}: an officer (Role.OFFICER) of the P2TP2A for each team function, on no team yet."""
    return {function: make_user(p2tp2a, Role.OFFICER, username=f"petugas_{function}") for function in FUNCTIONS}


@pytest.fixture
def agency_head(agency, make_user):
    """The head of the agency (Role.AGENCY_HEAD), above the P2TP2A: an observer of its cases."""
    return make_user(agency, Role.AGENCY_HEAD, username="kepala_dinas", office=Office.AGENCY_HEAD)


@pytest.fixture
def outside_officer(division, make_user):
    """An officer of another unit (the division): no role over the P2TP2A."""
    return make_user(division, Role.OFFICER, username="petugas_bidang")


@pytest.fixture
def faskes_user(agency, make_user):
    """A Faskes user, holding Role.FASKES in the agency: a role above the P2TP2A that is not a head's."""
    return make_user(agency, Role.FASKES, username="faskes")


@pytest.fixture
def strangers(p2tp2a, agency, outside_officer, agency_head, faskes_user, make_user):
    """{who: user}: those outside a case's team who try it. "anonymous" is None; "agency_head" and
    "officer_not_on_team" (an officer of the P2TP2A on no team) see the case without its identity (SIGHTED); the
    others do not see it at all (BLIND)."""
    return {
        "anonymous": None,
        "agency_head": agency_head,
        "officer_not_on_team": make_user(p2tp2a, Role.OFFICER, username="petugas_luar_tim"),
        "another_unit": outside_officer,
        "faskes": faskes_user,
        "storekeeper": make_user(agency, Role.STOREKEEPER, username="pengelola_alokon"),
    }


SIGHTED = ("agency_head", "officer_not_on_team")
BLIND = ("another_unit", "faskes", "storekeeper")


# Master-list entries. The data migration loads them, but a transactional test's flush removes them.


@pytest.fixture
def violence_type(db):
    return ViolenceType.objects.get_or_create(code="fisik", defaults={"name": "Fisik"})[0]


@pytest.fixture
def perpetrator_relation(db):
    return PerpetratorRelation.objects.get_or_create(code="tetangga", defaults={"name": "Tetangga"})[0]


@pytest.fixture
def service_type(db):
    return ServiceType.objects.get_or_create(code="kesehatan", defaults={"name": "Kesehatan"})[0]


# Helpers.


@pytest.fixture
def new_case(case_service, officers, violence_type, perpetrator_relation):
    """new_case(*, actor=None, victim=None, reporter=..., perpetrators=None, violence_types=None,
    chronology=..., service=None, **case_fields): a case recorded through cases.services.case_create.

    Defaults: recorded by officers["data"] in `case_service`, a community report of physical violence;
    the victim a girl born 10 March 2015 (no incident date, so her age band is counted on the day of
    recording); a named reporter; one perpetrator, a neighbour. Pass reporter=None for no reporter.
    """

    def create(
        *, actor=None, victim=None, reporter="default", perpetrators=None, violence_types=None,
        chronology="Korban dipukul oleh tetangganya di rumah.", service=None, **case_fields,
    ):
        case_fields.setdefault("channel", Case.Channel.COMMUNITY)
        if victim is None:
            victim = Victim(name="Korban Uji", sex="P", birth_date=date(2015, 3, 10))
        if reporter == "default":
            reporter = Reporter(name="Pelapor Uji", relation="Tetangga")
        if perpetrators is None:
            perpetrators = [Perpetrator(relation=perpetrator_relation, sex="L", age=40)]
        return services.case_create(
            service=service or case_service,
            actor=actor or officers["data"],
            case=Case(**case_fields),
            victim=victim,
            reporter=reporter,
            perpetrators=perpetrators,
            violence_types=[violence_type] if violence_types is None else violence_types,
            chronology=chronology,
        )

    return create


def current(case):
    """The case as stored now (a fresh object: reads_identity caches per case object)."""
    return Case.objects.select_related("service", "unit").get(pk=case.pk)


@pytest.fixture
def assign_team(chair, officers):
    """assign_team(case, functions=FUNCTIONS, *, by=chair): each function's officer put on the team.

    A function its officer already holds on the case (the recorder's "data") is left as it is.
    Returns {function: TeamMember}.
    """

    def assign(case, functions=FUNCTIONS, *, by=None):
        members = {}
        for function in functions:
            user = officers[function]
            member = TeamMember.objects.filter(case=case, user=user, function=function, ended_at=None).first()
            if member is None:
                member = services.team_assign(
                    case, actor=by or chair, expected_status=current(case).status, user=user, function=function
                )
            members[function] = member
        return members

    return assign


@pytest.fixture
def fire():
    """fire(case, name, actor, note=""): transition_fire with the status stored now; returns the case as saved."""

    def fire_(case, name, actor, note=""):
        return transition_fire(case, name=name, actor=actor, expected_status=current(case).status, note=note)

    return fire_


def take_step(case, actor, name=SAVE_ONLY, *, note="", **fields):
    """The case's current step form, as the page sends it: the values it opens with, `fields` over them (form field
    names without the "langkah-" prefix), and the button `name` (a transition, or SAVE_ONLY); taken through
    portal.services.step_take. Returns the case as saved; raises StepRefused or TransitionError when refused."""
    case = current(case)
    form_class = case.workflow.step_form(case.step)
    opened = form_class(record=case, user=actor)
    data = {name_: value for name_, value in opened.initial.items() if value is not None}
    data.update(fields, transition=name, note=note)
    form = form_class({f"langkah-{key}": value for key, value in data.items()}, record=case, user=actor)
    assert form.is_valid(), form.errors
    return step_take(case, form=form, actor=actor)


@pytest.fixture
def take():
    """take(case, actor, name=SAVE_ONLY, *, note="", **fields): the step's form filled and taken (take_step)."""
    return take_step


@pytest.fixture
def attach():
    """attach(case, kind, actor): a small PDF of `kind` attached through portal.services.attachment_add."""

    def attach_(case, kind, actor):
        return attachment_add(
            current(case), kind=kind, file=ContentFile(b"%PDF-1.4 uji", name=f"{kind}.pdf"), actor=actor
        )

    return attach_


@pytest.fixture
def case_at(new_case, assign_team, fire, attach, chair, officers, service_type):
    """case_at(status, *, needs_medical=False, needs_psychological=False, needs_legal=False, **new_case_kwargs):
    a new case with the whole team assigned, walked through the real steps until it waits in `status`
    (a step code, or "selesai").

    Each step is done as the SOP says: intake with both documents attached; outreach with the chair's SPT
    and the social worker's result; the assessment recorded by the social worker with the given needs and
    approved by the chair; a needed service step with the victim's consent to services and one completed
    referral given by the P2TP2A itself, a step not needed skipped with a note; reintegration with its
    result; the closure, with its summary, by the chair. The steps with fields are taken through their forms.
    """
    needs_default = {"needs_medical": False, "needs_psychological": False, "needs_legal": False}

    def walk(status, **kwargs):
        needs = {name: kwargs.pop(name, default) for name, default in needs_default.items()}
        case = new_case(**kwargs)
        assign_team(case)
        while case.status != status:
            if not case.is_open:
                raise AssertionError(f"case_at: {status!r} is not on the way")
            _do_step(case, needs)
            case = current(case)
        return case

    def by(step_code):
        return chair if step_code == "closure" else officers[STEP_FUNCTION[step_code]]

    def _do_step(case, needs):
        step = case.status
        actor = by(step)
        if step == "intake":
            attach(case, "cover_letter", actor)
            attach(case, "reporter_ktp", actor)
        elif step == "outreach":
            services.spt_issue(case, actor=chair, expected_status=step)
            take_step(case, actor, step, outreach_result="Korban ditemui.")
            return
        elif step == "assessment":
            take_step(
                case, actor, assessment="Korban perlu pendampingan.", risk=Case.Risk.MEDIUM,
                **{name: "ya" if needed else "tidak" for name, needed in needs.items()},
            )
            services.assessment_approve(case, actor=chair, expected_status=step)
        elif step in ("medical", "psychological", "legal"):
            if not needs[f"needs_{step}"]:
                fire(case, f"skip_{step}", actor, note="Tidak diperlukan menurut asesmen.")
                return
            if not services.consent_state(case).get(Consent.SERVICES):
                services.consent_record(
                    case, actor=actor, expected_status=step, scope=Consent.SERVICES, granted=True,
                    given_by_guardian=True, guardian_name="Ibu Korban",
                )
            referral = services.referral_create(
                case, actor=actor, expected_status=step,
                referral=Referral(step=step, service_type=service_type, referred_on=date(2026, 1, 5)),
            )
            services.referral_update(
                referral, actor=actor, expected_status=step, outcome="Selesai.", completed_on=date(2026, 1, 6)
            )
        elif step == "reintegration":
            take_step(case, actor, step, reintegration_result="Korban kembali sekolah.")
            return
        elif step == "closure":
            take_step(case, actor, step, closure_summary="Penanganan selesai.")
            return
        fire(case, step, actor)

    return walk


def case_state(case) -> dict:
    """Everything stored about a case: its row, history, log, team, consents, referrals, notes and their versions,
    identity, files."""
    pk = case.pk
    content_type = ContentType.objects.get_for_model(Case)

    def rows(queryset):
        return list(queryset.order_by("pk").values())

    return {
        "case": rows(Case.objects.filter(pk=pk)),
        "violence_types": sorted(Case.objects.get(pk=pk).violence_types.values_list("pk", flat=True)),
        "history": rows(Case.history.filter(id=pk)),
        "transition_log": rows(TransitionLog.objects.filter(content_type=content_type, object_id=pk)),
        "attachments": rows(Attachment.objects.filter(content_type=content_type, object_id=pk)),
        "team": rows(TeamMember.objects.filter(case_id=pk)),
        "consents": rows(Consent.objects.filter(case_id=pk)),
        "referrals": rows(Referral.objects.filter(case_id=pk)),
        "milestones": rows(LegalMilestone.objects.filter(referral__case_id=pk)),
        "notes": rows(CaseNotes.objects.filter(case_id=pk)),
        "note_versions": rows(NoteVersion.objects.filter(case_id=pk)),
        "victim": rows(Victim.objects.filter(case_id=pk)),
        "reporter": rows(Reporter.objects.filter(case_id=pk)),
        "perpetrators": rows(Perpetrator.objects.filter(case_id=pk)),
        "access_log": rows(AccessLog.objects.filter(case_id=pk)),
    }


@pytest.fixture(name="case_state")
def case_state_fixture():
    """case_state(case): everything stored about the case, as plain values to compare."""
    return case_state


@pytest.fixture
def refused():
    """with refused(case, match=regex): ... -- the block must raise TransitionError whose message matches
    `match` (re.search), and leave everything stored about `case` (case_state) exactly as it was."""

    @contextmanager
    def check(case, match=None):
        before = case_state(case)
        with pytest.raises(TransitionError, match=match) as excinfo:
            yield excinfo
        assert case_state(case) == before, "a refused action changed the case"

    return check

