"""The confidentiality of a P2TP2A case, attacked from every way in.

One case is built through the real services (tests/cases/conftest.py: case_at, fire, ...) with a victim,
a reporter and a guardian whose names, NIKs, address and phone are distinctive, and with the victim's name
in every free text a case holds: the chronology, a transition note, a referral's outcome, a legal
milestone, an assessment, the reason an agency head gave for opening the identity, and the original file
name of an attachment. Then:

- every user who may not read the identity (ATTACKERS) tries every way in (WAYS): none of those strings
  comes back (body, headers, redirects), and nothing stored about the case changes;
- the same requests by the team or its head do change the case (so the attacks are real requests),
  and the team and the P2TP2A heads do read the identity, each reading, print and download logged;
- the agency head opens the identity only with a reason of 10 characters or more, logged with it;
- the admin, the case history, file names, links and the log output hold no identity.

The last tests hold the findings of the first attack, each fixed: the history's change reason, an Admin
taking over a P2TP2A account, unlogged names in the register, and a name searched for in a URL.
"""

import io
import logging
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import unquote_plus

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services
from cases.models import (
    AccessLog,
    Case,
    CaseNotes,
    Consent,
    LegalMilestone,
    Partner,
    Perpetrator,
    Referral,
    Reporter,
    TeamMember,
    Victim,
)
from portal.downloads.models import GeneratedFile
from portal.models import Attachment, Membership, TransitionLog
from portal.roles import Role
from portal.services import attachment_add
from portal.workflow import SAVE_ONLY
from tests.cases.conftest import case_state, current, take_step
from tests.downloads.flow import fetch

pytestmark = pytest.mark.django_db

# The identity the case holds. The NIK is valid for a girl born 1 July 2010 in kecamatan 32.07.01
# (the intake form checks sex and birth date against it).
VICTIM_NAME = "Sekarwangi Rahasia"
VICTIM_NIK = "3207014107100003"
NIK_HIDDEN = VICTIM_NIK[4:12]  # kecamatan and birth date: what mask_nik hides in lists
MASKED_NIK = "3207********0003"  # what the register shows the team
MASKED_NAME = "S*** R***"  # ... and of the name (portal's masking rule for lists, as identitas')
VICTIM_ADDRESS = "Gang Cempaka Tersembunyi 17"
VICTIM_PHONE = "081298765432"
REPORTER_NAME = "Bambang Sulistyo"
REPORTER_NIK = "3207011505800002"
GUARDIAN_NAME = "Wulan Prameswari"

# What must never reach anyone outside the team: a distinctive part of each, so that a name cut in two,
# URL-encoded or escaped is still found. "Rahasia" alone is no secret: the pages say "rahasia" (confidential);
# nor is "Kartika", a font every XLSX names in its theme.
SECRETS = {
    "victim's name": "Sekarwangi",
    "victim's NIK": VICTIM_NIK,
    "NIK's hidden digits": NIK_HIDDEN,
    "masked NIK": MASKED_NIK,
    "victim's address": "Cempaka Tersembunyi",
    "victim's phone": VICTIM_PHONE,
    "reporter's name": "Sulistyo",
    "reporter's NIK": REPORTER_NIK,
    "guardian's name": "Prameswari",
}


def leaked(text, *, searched=()):
    """The secrets found in `text`, leaving out those the request itself sent (a search echoes its words)."""
    return [label for label, secret in SECRETS.items() if secret not in searched and secret in text]


# Logging: every record of every logger, at DEBUG, from the first fixture to the end of the test.


@pytest.fixture(autouse=True)
def identity_never_logged(caplog):
    """Capture every logger at DEBUG while the case is built and attacked; no record may name anyone."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    lines = [formatter.format(record) for when in ("setup", "call") for record in caplog.get_records(when)]
    found = [(label, line[:300]) for line in lines for label in leaked(line)]
    assert not found, f"identity in the log output: {found}"


# The case and its people.


@dataclass
class World:
    case: Case
    team_member: object  # officers["legal"]: on the team, reads the identity
    member: TeamMember | None  # the legal officer's place on the team (team_end's target)
    referral: Referral | None  # to the police, its outcome and milestone naming the victim
    attachment: Attachment | None  # uploaded as "Visum <name> <NIK>.pdf"
    noted_step: TransitionLog | None  # a transition whose note names the victim
    reveal_log: AccessLog | None  # an earlier reveal, its reason naming the victim
    partner: Partner
    volunteer: object  # an officer of the P2TP2A on no team: whom team_assign tries to add
    chair: object  # the P2TP2A's Ketua: reads every case's identity


@pytest.fixture
def police(p2tp2a):
    return Partner.objects.create(unit=p2tp2a, name="Unit PPA Polres Contoh", kind=Partner.Kind.POLICE)


@pytest.fixture
def make_world(case_at, fire, chair, officers, agency_head, police, service_type, volunteer):
    """make_world(stage): the victim's case waiting in "legal" (the default), "outreach" or "assessment".

    "legal": the whole team on it, SPT issued, assessment approved, a named attachment, medical and
    psychological skipped with notes naming the victim, consents recorded by her guardian, a police referral
    whose outcome and milestone name her, and an agency head's earlier reveal whose reason names her.
    "outreach": waiting for the SPT. "assessment": assessed by the social worker (naming her), not approved.
    """

    def build(stage="legal"):
        victim = Victim(
            name=VICTIM_NAME, nik=VICTIM_NIK, sex="P", birth_date=date(2010, 7, 1), address=VICTIM_ADDRESS, phone=VICTIM_PHONE,
        )
        reporter = Reporter(name=REPORTER_NAME, nik=REPORTER_NIK, relation="Paman", phone="081377788899")
        chronology = f"{VICTIM_NAME} dipukul tetangganya di rumah; dilaporkan oleh pamannya, {REPORTER_NAME}."
        case = case_at(
            "medical" if stage == "legal" else stage, needs_legal=True, victim=victim, reporter=reporter, chronology=chronology,
        )
        world = World(case, officers["legal"], None, None, None, None, None, police, volunteer, chair)
        if stage == "assessment":
            take_step(
                case, officers["social_worker"], risk=Case.Risk.HIGH, assessment=f"{VICTIM_NAME} mengalami trauma berat.",
                needs_medical="tidak", needs_psychological="tidak", needs_legal="ya",
            )
        if stage != "legal":
            world.case = current(case)
            return world
        world.attachment = attachment_add(
            current(case), kind="service_record", actor=officers["companion"],
            file=SimpleUploadedFile(f"Visum {VICTIM_NAME} {VICTIM_NIK}.pdf", b"%PDF-1.4 visum", content_type="application/pdf"),
        )
        fire(case, "skip_medical", officers["companion"], note=f"{VICTIM_NAME} menolak visum, didampingi ibunya.")
        world.noted_step = TransitionLog.objects.filter(object_id=case.pk, transition="skip_medical").get()
        fire(case, "skip_psychological", officers["psychologist"], note=f"Psikolog menilai {VICTIM_NAME} stabil.")
        legal = officers["legal"]
        for scope in (Consent.SERVICES, Partner.Kind.POLICE):
            services.consent_record(
                case, actor=legal, expected_status="legal", scope=scope, granted=True,
                given_by_guardian=True, guardian_name=GUARDIAN_NAME,
            )
        referral = services.referral_create(
            case, actor=legal, expected_status="legal",
            referral=Referral(step="legal", service_type=service_type, partner=police, referred_on=timezone.localdate()),
        )
        services.referral_update(
            referral, actor=legal, expected_status="legal", outcome=f"{VICTIM_NAME} diperiksa penyidik.", completed_on=None,
        )
        services.milestone_add(
            referral, actor=legal, expected_status="legal", kind="lp", date=timezone.localdate(),
            note=f"LP atas laporan {REPORTER_NAME}",
        )
        world.case = current(case)
        world.member = TeamMember.objects.get(case=case, user=legal, function="legal")
        world.referral = referral
        world.reveal_log = AccessLog.objects.create(
            case=case, user=agency_head, action=AccessLog.Action.REVEAL, what="Halaman kasus",
            reason=f"Camat menanyakan laporan {VICTIM_NAME}.",
        )
        return world

    return build


# Who attacks.

BLIND = ("uptd_officer", "faskes", "storekeeper", "portal_admin")  # do not see the case at all: 404
SIGHTED = ("officer_not_on_team", "former_member", "agency_head")  # see it in the register, not its identity
ATTACKERS = ("anonymous", *SIGHTED, *BLIND)


@pytest.fixture
def volunteer(p2tp2a, make_user):
    """An officer of the P2TP2A on no team: the one an attacker tries to put on the case."""
    return make_user(p2tp2a, Role.OFFICER, username="petugas_tanpa_tim")


@pytest.fixture
def attackers(p2tp2a, agency, uptd, make_user, chair, agency_head, faskes_user, volunteer):
    def former_member(case):
        user = make_user(p2tp2a, Role.OFFICER, username="petugas_mantan_tim")
        member = services.team_assign(case, actor=chair, expected_status=case.status, user=user, function="companion")
        services.team_end(member, actor=chair, expected_status=case.status)
        return user

    portal_admin = make_user(agency, Role.ADMIN, username="admin_dinas")
    portal_admin.is_staff = True
    portal_admin.save()
    users = {
        "anonymous": None,
        "officer_not_on_team": volunteer,
        "uptd_officer": make_user(uptd, Role.OFFICER, username="petugas_uptd_lain"),
        "faskes": faskes_user,
        "storekeeper": make_user(agency, Role.STOREKEEPER, username="pengelola_barang"),
        "agency_head": agency_head,
        "portal_admin": portal_admin,
    }

    def attacker(name, case):
        return former_member(case) if name == "former_member" else users[name]

    return attacker


# The ways in.


def this_month():
    return f"{timezone.localdate():%Y-%m}"


def case_url(name, *args):
    return lambda w: reverse(f"cases:{name}", args=[w.case.pk, *(arg(w) for arg in args)])


def status_of(w):
    return {"expected_status": w.case.status}


def once(w):
    """The status, and the one-time token of a form that adds a row (portal.forms.OnceForm)."""
    return {**status_of(w), "submission": str(uuid.uuid4())}


def identity_form(w):
    """A complete, valid identity form (victim, reporter, case, perpetrators): the team's save of it is shown to work below."""
    perpetrators = list(w.case.perpetrators.all())
    data = {
        **status_of(w),
        "korban-name": "Nama Pengganti", "korban-nik": VICTIM_NIK, "korban-sex": "P", "korban-birth_date": "2010-07-01",
        "korban-disability": "tidak", "korban-address": "Alamat pengganti",
        "pelapor-name": "Pelapor Pengganti", "pelapor-relation": "Paman",
        "kasus-channel": Case.Channel.COMMUNITY, "kasus-risk": Case.Risk.HIGH,
        "kasus-violence_types": [t.pk for t in w.case.violence_types.all()],
        "pelaku-TOTAL_FORMS": len(perpetrators), "pelaku-INITIAL_FORMS": len(perpetrators),
        "pelaku-MIN_NUM_FORMS": 0, "pelaku-MAX_NUM_FORMS": 10,
    }
    for i, perpetrator in enumerate(perpetrators):
        data |= {
            f"pelaku-{i}-id": perpetrator.pk, f"pelaku-{i}-case": w.case.pk, f"pelaku-{i}-relation": perpetrator.relation_id,
            f"pelaku-{i}-sex": perpetrator.sex, f"pelaku-{i}-age": perpetrator.age or "",
        }
    return data


@dataclass(frozen=True)
class Way:
    name: str
    url: Callable
    data: Callable | None = None  # a POST's data; None: a GET
    stage: str = "legal"  # the case's status it is tried on (make_world)
    sighted: int = 404  # the first status a user who sees the case (but not its identity) gets
    blind: int = 404  # ... and one who does not see the case
    uptd_officer: int | None = None  # ... when it differs for the officer of another UPTD (a P2TP2A role elsewhere)
    searched: tuple = ()  # secrets the request sends itself (a search): not looked for in the answer
    search: bool = False  # a search by identity: it must find nothing
    by: str | None = None  # who may make this request with effect (the control test); None: nobody here
    not_for: tuple = ()  # attackers for whom it is no attack (the agency head may reveal)


def register(query=""):
    return lambda w: reverse("cases:register") + "?status=semua" + query


WAYS = [
    # Lists and searches: a page without identity and without a hit by name or NIK; none (404) for a user who holds
    # no role of the case workflow anywhere, an empty one for the other UPTD's officer.
    Way("register", register(), sighted=200, uptd_officer=200),
    # A search by name or NIK is posted (a GET searches case numbers only).
    Way("register_q_name", register(), lambda w: {"q": "Sekarwangi Rahasia"}, sighted=200, uptd_officer=200,
        searched=("Sekarwangi",), search=True),
    # Typed in lower case, the search echoes no capitalised "Sekarwangi": the name is looked for as well.
    Way("register_q_first_name", register(), lambda w: {"q": "sekarwangi"}, sighted=200, uptd_officer=200, search=True),
    Way("register_q_nik", register(), lambda w: {"q": VICTIM_NIK}, sighted=200, uptd_officer=200,
        searched=(VICTIM_NIK, NIK_HIDDEN), search=True),
    Way("register_get_q_name", register("&q=Sekarwangi+Rahasia"), sighted=200, uptd_officer=200, searched=("Sekarwangi",),
        search=True),
    Way("home", lambda w: reverse("home"), sighted=200, blind=200),
    # The case's pages and files.
    Way("detail", case_url("detail"), sighted=200),
    Way("identity_edit", case_url("identity_edit"), sighted=403),
    Way("access_log", lambda w: reverse("access_log", args=["cases", w.case.pk]), sighted=403),
    Way("spt_pdf", case_url("spt_pdf"), sighted=403),
    Way("referral_pdf", case_url("referral_pdf", lambda w: w.referral.pk), sighted=403),
    # The closure report is asked by posting the case's id (portal.downloads); the file the chair had made of it
    # is the chair's only: its page and download are a 404 to anyone else.
    Way("closure_report", lambda w: reverse("downloads:create", args=["cases.closure_report"]),
        lambda w: {"pk": w.case.pk}, sighted=403),
    Way("closure_report_status", lambda w: reverse("downloads:status", args=[chairs_file(w)])),
    Way("closure_report_download", lambda w: reverse("downloads:download", args=[chairs_file(w)])),
    Way("attachment_download", lambda w: reverse("attachment_download", args=[w.attachment.pk])),
    # The anonymised recap: counts only.
    Way("recap", lambda w: reverse("cases:recap") + f"?bulan={this_month()}", sighted=200),
    Way("recap_pdf", lambda w: reverse("cases:recap_pdf") + f"?bulan={this_month()}", sighted=200),
    Way("recap_xlsx", lambda w: reverse("cases:recap_xlsx") + f"?bulan={this_month()}", sighted=200),
    # Every write. A refused form or button shows the case page again (400).
    Way("identity_edit_post", case_url("identity_edit"), identity_form, sighted=403, by="team"),
    # The chronology is the Divisi Data's note (cases.services.NOTE_RULES): in the legal step, a head corrects it.
    Way("notes_edit", case_url("notes_edit", lambda w: "chronology"),
        lambda w: {**status_of(w), "text": "Kronologi pengganti."}, sighted=400, by="chair"),
    # The assessment step's form, posted to the case page (portal.views.record_page) and saved as a draft.
    Way("assessment", case_url("detail"), lambda w: {
        "langkah-expected_status": w.case.status, "langkah-transition": SAVE_ONLY,
        "langkah-assessment": "Asesmen pengganti.", "langkah-risk": Case.Risk.LOW,
        "langkah-needs_medical": "ya", "langkah-needs_psychological": "ya", "langkah-needs_legal": "tidak",
    }, stage="assessment", sighted=400, by="social_worker"),
    Way("assessment_approve", case_url("assessment_approve"), status_of, stage="assessment", sighted=400, by="chair"),
    Way("spt_issue", case_url("spt_issue"), status_of, stage="outreach", sighted=400, by="chair"),
    Way("team_assign", case_url("team_assign"),
        lambda w: {**status_of(w), "user": w.volunteer.pk, "function": "companion"}, sighted=400, by="chair"),
    Way("team_end", case_url("team_end", lambda w: w.member.pk), status_of, sighted=400, by="chair"),
    Way("consent", case_url("consent"),
        lambda w: {**once(w), "scope": Consent.SERVICES, "granted": "tidak"}, sighted=400, by="team"),
    Way("referral_create", case_url("referral_create"), lambda w: {
        **once(w), "step": "legal", "service_type": w.referral.service_type_id, "partner": w.partner.pk,
        "referred_on": timezone.localdate().isoformat(),
    }, sighted=400, by="team"),
    Way("referral_update", case_url("referral_update", lambda w: w.referral.pk),
        lambda w: {**status_of(w), "outcome": "Hasil pengganti.", "void_reason": "Salah input."}, sighted=400, by="team"),
    Way("milestone_add", case_url("milestone_add", lambda w: w.referral.pk),
        lambda w: {**once(w), "kind": "sidang", "date": timezone.localdate().isoformat(), "note": "Sidang pertama"},
        sighted=400, by="team"),
    Way("reveal", case_url("reveal"), lambda w: {"reason": "Pemeriksaan berkas oleh atasan langsung."},
        sighted=403, not_for=("agency_head",)),
    # A way out of the step (closing early), posted to the case page as its form in "Langkah Anda" sends it.
    Way("close_early", case_url("detail"), lambda w: {
        "langkah-expected_status": w.case.status, "langkah-transition": "close_early.legal",
        "langkah-note": "Ditutup oleh penguji.", "langkah-confirmed": "on",
    }, sighted=400, by="chair"),
    Way("attachment_upload", lambda w: reverse("attachment_upload", args=["cases", w.case.pk]),
        lambda w: {"kind": "service_record", "file": SimpleUploadedFile("lain.pdf", b"%PDF-1.4 lain")}, sighted=302, by="team"),
]


def chairs_file(w):
    """The closure report the P2TP2A's Ketua had made of the case, ready: its row's id."""
    row, _created = GeneratedFile.objects.get_or_create(key=f"ketua:{w.case.pk}", defaults={
        "user": w.chair, "kind": "cases.closure_report", "params": {"pk": w.case.pk},
        "label": f"Laporan penanganan kasus {w.case.number}", "file_name": f"laporan-kasus-{w.case.file_stem}.pdf",
        "status": GeneratedFile.Status.READY, "created_at": timezone.now(),
        "expires_at": timezone.now() + timedelta(hours=1),
        "file": ContentFile(f"%PDF-1.4 {VICTIM_NAME}".encode(), name="laporan.pdf"),
    })
    return row.pk


def send(client, way, world):
    url = way.url(world)
    if way.data is None:
        return client.get(url, follow=True)
    return client.post(url, way.data(world), follow=True)


def first_status(response):
    return response.redirect_chain[0][1] if response.redirect_chain else response.status_code


def body_text(response) -> str:
    """What a user gets from a response: its text (a PDF's and a workbook's too), raw bytes and headers."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    parts = [content.decode("utf-8", "replace")]
    if kind.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(content))
        parts += [page.extract_text() for page in reader.pages]
        parts.append(str(reader.metadata or ""))
    elif "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            parts += [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
    return "\n".join(parts)


def everything_sent(response) -> str:
    """The body of the last response, its headers, and every redirect's address on the way."""
    return "\n".join([
        body_text(response),
        *(f"{name}: {value}" for name, value in response.items()),
        *(url for url, _status in getattr(response, "redirect_chain", [])),
    ])


# One world per attacker and stage, every way of that stage tried on it in turn: building a case takes far
# longer than a request, and a refused request changes nothing (checked after each), so they can share it.
ATTACKS = [
    pytest.param(who, stage, id=f"{who}-{stage}")
    for stage in dict.fromkeys(way.stage for way in WAYS) for who in ATTACKERS
]


@pytest.mark.parametrize(("who", "stage"), ATTACKS)
def test_no_way_in_shows_the_identity_or_changes_the_case(client, make_world, attackers, who, stage):
    world = make_world(stage)
    user = attackers(who, world.case)
    if user is not None:
        client.force_login(user)
    failures = []
    for way in WAYS:
        if way.stage != stage or who in way.not_for:
            continue
        try:
            attack(client, world, who, user, way)
        except AssertionError as error:
            failures.append(f"{way.name}: {error}")
    assert failures == []


def attack(client, world, who, user, way):
    before = case_state(world.case)

    response = send(client, way, world)

    if who == "anonymous":
        assert response.redirect_chain, "anonymous was answered without logging in"
        assert response.redirect_chain[0][1] == 302
        assert response.redirect_chain[0][0].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    elif who in SIGHTED:
        assert first_status(response) == way.sighted
    else:
        assert first_status(response) == (way.uptd_officer if who == "uptd_officer" and way.uptd_officer else way.blind)
    assert leaked(everything_sent(response), searched=way.searched) == []
    assert case_state(world.case) == before, "the attack changed the case"
    if way.search and response.status_code == 200 and user is not None:
        page = response.content.decode()
        assert reverse("cases:detail", args=[world.case.pk]) not in page, "a search by identity found the case"
        assert "0 kasus" in page
    if way.name == "detail" and who in SIGHTED:
        page = response.content.decode()
        assert "Identitas korban dan pelapor dirahasiakan" in page
        # The history of the steps is there, without its notes; the attachments are not listed.
        assert "Riwayat langkah" in page and "Lewati: tidak diperlukan" in page
        assert reverse("attachment_download", args=[world.attachment.pk]) not in page


CONTROLS = [pytest.param(way, id=way.name) for way in WAYS if way.by]


@pytest.mark.parametrize("way", CONTROLS)
def test_the_same_write_by_the_team_or_its_head_does_change_the_case(client, make_world, chair, officers, way):
    """The attacks above post what the team posts: here the team (or its head) posting it changes the case."""
    world = make_world(way.stage)
    client.force_login({"team": world.team_member, "chair": chair, "social_worker": officers["social_worker"]}[way.by])
    before = case_state(world.case)

    response = send(client, way, world)

    assert first_status(response) == 302, response.content.decode()[:2000]
    assert case_state(world.case) != before


# The team and the P2TP2A's heads read the identity; each reading is logged.


@pytest.fixture(params=["team_member", "chair"])
def reader(request, chair):
    return request.param


def reader_user(world, name, chair):
    return world.team_member if name == "team_member" else chair


def new_log_rows(case, before_pk):
    return list(AccessLog.objects.filter(case=case, pk__gt=before_pk).order_by("pk").values_list("action", "user", "what", "reason"))


def last_log_pk():
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_team_and_the_p2tp2a_head_read_the_identity_and_the_page_view_is_logged(client, make_world, chair, reader):
    world = make_world()
    user = reader_user(world, reader, chair)
    client.force_login(user)
    mark = last_log_pk()

    page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()

    for text in (VICTIM_NAME, VICTIM_NIK, VICTIM_ADDRESS, REPORTER_NAME, f"{VICTIM_NAME} dipukul", f"{VICTIM_NAME} diperiksa penyidik"):
        assert text in page
    assert f"{VICTIM_NAME} menolak visum" in page  # the transition's note, in the workflow panel
    assert reverse("attachment_download", args=[world.attachment.pk]) in page
    assert new_log_rows(world.case, mark) == [(AccessLog.Action.VIEW, user.pk, "Halaman kasus", "")]


def test_opening_the_identity_form_is_logged(client, make_world, chair, reader):
    world = make_world()
    user = reader_user(world, reader, chair)
    client.force_login(user)
    mark = last_log_pk()

    response = client.get(reverse("cases:identity_edit", args=[world.case.pk]))

    assert response.status_code == 200 and VICTIM_NAME in response.content.decode()
    assert new_log_rows(world.case, mark) == [(AccessLog.Action.VIEW, user.pk, "Ubah identitas", "")]


@pytest.mark.parametrize(("document", "stem", "what"), [
    ("spt_pdf", "spt-{stem}", "SPT penjangkauan"),
    ("referral_pdf", "rujukan-{stem}-{referral}", "Surat rujukan {referral}"),
    ("closure_report", "laporan-kasus-{stem}", "Laporan penanganan kasus"),
])
def test_each_print_is_logged_and_its_file_is_named_by_the_case_number_only(client, make_world, chair, reader, document, stem, what):
    world = make_world()
    user = reader_user(world, reader, chair)
    client.force_login(user)
    args = [world.case.pk] + ([world.referral.pk] if document == "referral_pdf" else [])
    mark = last_log_pk()

    if document == "closure_report":  # made off the request (portal.downloads), downloaded as an attachment
        response = fetch(client, "cases.closure_report", {"pk": world.case.pk})
        shown = "attachment"
    else:
        response, shown = client.get(reverse(f"cases:{document}", args=args)), "inline"

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    name = stem.format(stem=world.case.file_stem, referral=world.referral.pk)
    assert response["Content-Disposition"] == f'{shown}; filename="{name}.pdf"'
    assert leaked(response["Content-Disposition"]) == []
    what = what.format(referral=world.referral.pk)
    assert new_log_rows(world.case, mark) == [(AccessLog.Action.PRINT, user.pk, what, "")]
    text = body_text(response)
    if document == "spt_pdf":  # carried in the field: it names the team, not the victim
        assert leaked(text) == []
    else:
        assert VICTIM_NAME in text


def test_an_attachment_is_stored_privately_under_a_random_name_and_each_download_is_logged(client, make_world, chair, reader):
    world = make_world()
    user = reader_user(world, reader, chair)
    client.force_login(user)
    stored = world.attachment.file.name
    mark = last_log_pk()

    response = client.get(reverse("attachment_download", args=[world.attachment.pk]))

    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 visum"
    assert response["Content-Disposition"] == f'attachment; filename="service_record-{world.attachment.pk}.pdf"'
    assert new_log_rows(world.case, mark) == [
        (AccessLog.Action.ATTACHMENT, user.pk, f"Unduh lampiran {world.attachment.pk}", "")
    ]
    # Uploaded as "Visum <name> <NIK>.pdf": stored under a random name, in the private storage only.
    assert re.fullmatch(r"cases/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored)
    assert storages["private"].exists(stored) and not storages["default"].exists(stored)
    assert client.get("/" + settings.MEDIA_URL.strip("/") + "/" + stored).status_code == 404


def test_the_register_shows_the_team_the_name_and_a_masked_nik_and_finds_by_them(client, make_world, chair, reader):
    world = make_world()
    client.force_login(reader_user(world, reader, chair))
    link = reverse("cases:detail", args=[world.case.pk])

    page = client.get(reverse("cases:register")).content.decode()
    assert MASKED_NAME in page and MASKED_NIK in page
    assert VICTIM_NAME not in page and VICTIM_NIK not in page and NIK_HIDDEN not in page
    for query in (VICTIM_NAME, "sekarwangi", VICTIM_NIK):
        found = client.post(reverse("cases:register") + "?status=semua", {"q": query}).content.decode()
        assert link in found, query


@pytest.mark.parametrize("export", ["recap_pdf", "recap_xlsx"])
def test_the_recap_names_no_one_even_for_the_head_and_each_export_is_logged(client, make_world, chair, export, p2tp2a):
    make_world()
    client.force_login(chair)
    page = client.get(reverse("cases:recap"), {"bulan": this_month()})
    assert page.status_code == 200 and leaked(body_text(page)) == []
    mark = last_log_pk()

    response = client.get(reverse(f"cases:{export}"), {"bulan": this_month()})

    assert response.status_code == 200 and leaked(everything_sent(response)) == []
    assert re.search(rf'filename="rekap-p2tp2a-{this_month()}\.(pdf|xlsx)"', response["Content-Disposition"])
    rows = list(AccessLog.objects.filter(pk__gt=mark).values_list("case", "unit", "user", "action", "what"))
    assert rows == [(None, p2tp2a.pk, chair.pk, AccessLog.Action.EXPORT, f"Rekap bulanan {this_month()}")]


class Links(HTMLParser):
    """Every address a page links to, posts to or loads."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src", "action", "formaction") and value]


def test_no_link_on_the_teams_pages_names_the_victim(client, make_world, chair):
    world = make_world()
    pk = world.case.pk
    pages = [
        (world.team_member, reverse("cases:detail", args=[pk])),
        (world.team_member, reverse("cases:register")),
        (world.team_member, reverse("cases:identity_edit", args=[pk])),
        (world.team_member, reverse("home")),
        (chair, reverse("cases:detail", args=[pk])),
        (chair, reverse("access_log", args=["cases", pk])),
    ]
    # The worklist names the team's case by its number only.
    client.force_login(world.team_member)
    home = client.get(reverse("home")).content.decode()
    assert world.case.number in home and leaked(home) == []
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        parser = Links()
        parser.feed(response.content.decode())
        assert len(parser.urls) > 5, url
        assert [u for u in parser.urls if leaked(unquote_plus(u))] == [], url
    # The team's case page does link its documents and the attachment: they were looked at above.
    client.force_login(world.team_member)
    page = client.get(reverse("cases:detail", args=[pk])).content.decode()
    assert reverse("attachment_download", args=[world.attachment.pk]) in page
    assert reverse("cases:referral_pdf", args=[pk, world.referral.pk]) in page


# The agency head opens the identity only with a reason, logged.


def test_the_agency_head_opens_the_identity_with_a_reason_and_it_is_logged(client, make_world, agency_head):
    world = make_world()
    client.force_login(agency_head)
    mark = last_log_pk()
    reason = "Rapat koordinasi kasus anak tingkat kabupaten."

    response = client.post(reverse("cases:reveal", args=[world.case.pk]), {"reason": reason})

    page = response.content.decode()
    assert response.status_code == 200
    assert VICTIM_NAME in page and VICTIM_NIK in page and REPORTER_NAME in page
    assert new_log_rows(world.case, mark) == [(AccessLog.Action.REVEAL, agency_head.pk, "Halaman berkas", reason)]
    # Only that page: the next one is closed again, and logs nothing.
    mark = last_log_pk()
    again = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert leaked(again) == [] and "Buka identitas" in again
    assert new_log_rows(world.case, mark) == []


@pytest.mark.parametrize("reason", [None, "", "          ", "Cek saja", "123456789"], ids=["absent", "empty", "blank", "8 chars", "9 chars"])
def test_without_a_reason_of_10_characters_the_identity_stays_closed_and_nothing_is_logged(client, make_world, agency_head, reason):
    world = make_world()
    client.force_login(agency_head)
    before = case_state(world.case)

    response = client.post(reverse("cases:reveal", args=[world.case.pk]), {} if reason is None else {"reason": reason}, follow=True)

    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    page = response.content.decode()
    assert leaked(page) == []
    assert "Alasan paling sedikit 10 karakter" in page or "Tuliskan alasan membuka identitas" in page
    assert case_state(world.case) == before  # no AccessLog row either


def test_a_reason_of_exactly_10_characters_opens_the_identity(client, make_world, agency_head):
    world = make_world()
    client.force_login(agency_head)

    response = client.post(reverse("cases:reveal", args=[world.case.pk]), {"reason": "1234567890"})

    assert response.status_code == 200 and VICTIM_NAME in response.content.decode()
    assert AccessLog.objects.filter(case=world.case, user=agency_head, action=AccessLog.Action.REVEAL, reason="1234567890").exists()


def test_the_p2tp2a_head_reads_the_access_log_with_who_when_what_and_why(client, make_world, chair, agency_head):
    world = make_world()
    client.force_login(world.team_member)
    client.get(reverse("cases:detail", args=[world.case.pk]))
    client.force_login(chair)

    page = client.get(reverse("access_log", args=["cases", world.case.pk])).content.decode()

    assert "Membuka identitas dengan alasan" in page and world.reveal_log.reason in page
    assert world.team_member.username in page and agency_head.username in page and "Halaman kasus" in page


def test_the_access_log_cannot_be_changed_or_deleted(make_world):
    world = make_world()
    entry = world.reveal_log
    entry.reason = "diubah"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    entry.refresh_from_db()
    assert VICTIM_NAME in entry.reason


# The case's history.

IDENTITY_WORDS = {"name", "nik", "address", "phone", "birth_date", "chronology", "note", "outcome", "reason", "guardian_name"}


def test_the_case_history_has_no_identity_fields(make_world):
    world = make_world()
    history = Case.history.model
    fields = {field.name for field in history._meta.concrete_fields}
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    assert fields - own <= {field.attname.removesuffix("_id") for field in Case._meta.concrete_fields} | {
        field.name for field in Case._meta.concrete_fields
    }
    assert not fields & IDENTITY_WORDS
    assert history.objects.filter(id=world.case.pk).count() >= 10  # the walk above saved it step by step


def test_the_case_history_holds_no_identity_in_its_values(make_world):
    world = make_world()
    rows = list(Case.history.model.objects.filter(id=world.case.pk).values())
    assert leaked(repr(rows)) == []


# The admin site.


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("super", "super@example.org", "sandi-uji-panjang")


ADMIN_PAGES = {
    # page: (url, what the agency's Admin gets, what a superuser gets)
    "index": (lambda w: reverse("admin:index"), 200, 200),
    "transitionlog_list": (lambda w: reverse("admin:portal_transitionlog_changelist"), 403, 200),
    "transitionlog_change": (lambda w: reverse("admin:portal_transitionlog_change", args=[w.noted_step.pk]), 403, 200),
    "attachment_list": (lambda w: reverse("admin:portal_attachment_changelist"), 403, 200),
    "attachment_change": (lambda w: reverse("admin:portal_attachment_change", args=[w.attachment.pk]), 403, 200),
    "accesslog_list": (lambda w: reverse("admin:cases_accesslog_changelist"), 200, 200),
    "accesslog_change": (lambda w: reverse("admin:cases_accesslog_change", args=[w.reveal_log.pk]), 200, 200),
    "accesslog_history": (lambda w: reverse("admin:cases_accesslog_history", args=[w.reveal_log.pk]), 200, 200),
    "accesslog_delete": (lambda w: reverse("admin:cases_accesslog_delete", args=[w.reveal_log.pk]), 403, 403),
    "partner_list": (lambda w: reverse("admin:cases_partner_changelist"), 200, 200),
    "user_list": (lambda w: reverse("admin:auth_user_changelist"), 200, 200),
}


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("who", ["portal_admin", "superuser", "agency_head", "officer_not_on_team", "anonymous"])
def test_the_admin_shows_no_identity(client, make_world, portal_admin, superuser, agency_head, volunteer, who, page):
    """Staff (the Admin role) and even the superuser see the logs without notes, reasons or files; others are sent to log in."""
    world = make_world()
    user = {
        "portal_admin": portal_admin, "superuser": superuser, "agency_head": agency_head,
        "officer_not_on_team": volunteer, "anonymous": None,
    }[who]
    if user is not None:
        client.force_login(user)
    url, as_admin, as_superuser = ADMIN_PAGES[page]
    before = case_state(world.case)

    response = client.get(url(world), follow=True)

    if who in ("portal_admin", "superuser"):
        assert first_status(response) == (as_admin if who == "portal_admin" else as_superuser)
    else:  # no staff, or not logged in: the admin's login page
        assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    assert leaked(everything_sent(response)) == []
    assert case_state(world.case) == before
    if page == "accesslog_list" and who == "portal_admin":
        assert world.case.number in response.content.decode()  # the Admin does read who opened which case


@pytest.mark.parametrize("who", ["portal_admin", "superuser"])
def test_the_access_log_cannot_be_changed_or_deleted_in_the_admin(client, make_world, portal_admin, superuser, who):
    world = make_world()
    client.force_login(portal_admin if who == "portal_admin" else superuser)
    entry = world.reveal_log
    before = case_state(world.case)

    changed = client.post(reverse("admin:cases_accesslog_change", args=[entry.pk]), {"reason": "diubah", "what": "diubah"})
    deleted = client.post(reverse("admin:cases_accesslog_delete", args=[entry.pk]), {"post": "yes"})

    assert changed.status_code == 403 and deleted.status_code == 403
    assert case_state(world.case) == before


@pytest.mark.parametrize("model", [
    Case, Case.history.model, Victim, Reporter, CaseNotes, Perpetrator, TeamMember, Consent, Referral, LegalMilestone,
], ids=lambda m: m.__name__)
def test_no_case_or_identity_model_has_an_admin_url(client, superuser, model):
    assert not admin.site.is_registered(model)
    for view in ("changelist", "add", "change"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=[1] if view == "change" else [])
    client.force_login(superuser)
    assert client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/").status_code == 404


@pytest.mark.parametrize("route", ["set_heads_password", "grant_head_role"])
def test_the_admin_role_cannot_take_over_a_p2tp2a_account(
    client, make_world, portal_admin, chair, volunteer, p2tp2a, route
):
    world = make_world()
    client.force_login(portal_admin)
    if route == "set_heads_password":
        target = chair
        client.post(reverse("admin:auth_user_password_change", args=[chair.pk]), {
            "usable_password": "true", "password1": "Sandi-Baru-Admin-2026", "password2": "Sandi-Baru-Admin-2026",
        })
        chair.refresh_from_db()
        taken = chair.check_password("Sandi-Baru-Admin-2026")
    else:
        target = volunteer
        client.post(reverse("admin:portal_membership_add"), {
            "user": volunteer.pk, "unit": p2tp2a.pk, "role": Membership._meta.get_field("role").related_model.objects.get(name=Role.HEAD).pk,
            "title": "", "nip": "",
        })
        taken = Membership.objects.filter(user=volunteer, unit=p2tp2a, role__name=Role.HEAD).exists()
    client.force_login(target)
    page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert not (taken and VICTIM_NAME in page)


# Weaknesses of the register.


def test_showing_names_in_the_register_is_logged(client, make_world, chair):
    world = make_world()
    client.force_login(chair)
    mark = last_log_pk()

    page = client.get(reverse("cases:register")).content.decode()

    assert MASKED_NAME in page
    assert new_log_rows(world.case, mark) != []


def test_a_search_by_name_or_nik_does_not_put_it_in_a_url(client, make_world, chair):
    make_world()
    client.force_login(chair)
    page = client.get(reverse("cases:register")).content.decode()
    form = re.search(r'<form method="(\w+)"[^>]*role="search"', page)
    assert form is not None
    assert form[1].lower() == "post"
