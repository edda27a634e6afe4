"""The standard's two requirements (Persyaratan Pelayanan): each obtained, or waived by the Kabid with a written
reason, before an issued document is recorded, before the accompaniment (step 6) and the archive (step 8) are
done. The waiver (identitas.services.requirement_waive) attacked, its page and its refusals.

Every refused write must change nothing (the `refused` fixture compares everything stored before and after).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from identitas import services
from identitas.models import AccessLog, FollowUp, RequirementWaiver
from portal.models import Attachment, Membership, Unit
from portal.roles import Office, Role
from portal.services import attachment_add
from tests.identitas.conftest import NIK, current, now_is, record_state, take, wib

pytestmark = pytest.mark.django_db

REASON = "Disdukcapil tidak menemukan data apa pun; perekaman dilakukan saat pendampingan."
MISSING = r"informasi rekam data kependudukan \(terlampir, atau dikesampingkan Kabid dengan alasan\)"
# The steps' declared check (identitas.workflow.REQUIREMENTS_MET).
STEP_MISSING = "Lampirkan informasi rekam data kependudukan, atau minta Kabid mengesampingkannya dengan alasan."


@pytest.fixture
def unmet(facilitation_at):
    """Waiting in step 6 with the population record information asked of Disdukcapil in step 3, never come."""
    return facilitation_at("accompaniment", obtained=False)


def add_nik(record, officer):
    return services.document_add(
        current(record), actor=officer, expected_status=current(record).status, kind="nik", number=NIK,
        issued_on=timezone.localdate(),
    )


def waive(record, actor, reason=REASON, requirement="population_record", expected_status=None):
    return services.requirement_waive(
        current(record), actor=actor, expected_status=expected_status or current(record).status,
        requirement=requirement, reason=reason,
    )


# Before the documents and step 6.


def test_no_issued_document_is_recorded_while_a_requirement_is_only_requested(unmet, team, refused):
    with refused(unmet, f"Belum lengkap: {MISSING}"):
        add_nik(unmet, team[0])


def test_step_6_is_not_completed_while_a_requirement_is_only_requested(unmet, fire, team, refused):
    with refused(unmet, f"Belum lengkap: {STEP_MISSING}"):
        fire(unmet, "accompaniment", team[0])


def test_a_requirement_obtained_later_and_attached_lets_step_6_go_on(unmet, fire, team):
    attachment_add(unmet, kind="population_record", file=ContentFile(b"%PDF-1.4", name="rekam.pdf"), actor=team[1])
    add_nik(unmet, team[0])
    fire(unmet, "accompaniment", team[0])
    assert current(unmet).status == "result_report"


def test_the_kabid_s_waiver_is_recorded_and_lets_step_6_go_on(unmet, fire, team, kabid):
    with now_is(wib(2026, 11, 24, 9, 5)):
        waive(unmet, kabid, reason=f"  {REASON}\n")

    waiver = RequirementWaiver.objects.get(facilitation=unmet)
    assert (waiver.requirement, waiver.reason, waiver.waived_by) == ("population_record", REASON, kabid)
    assert waiver.waived_at == wib(2026, 11, 24, 9, 5)
    assert AccessLog.objects.filter(
        facilitation=unmet, user=kabid, action=AccessLog.Action.EDIT,
        what="Persyaratan dikesampingkan: informasi rekam data kependudukan",
    ).exists()
    add_nik(unmet, team[0])
    fire(unmet, "accompaniment", team[0])
    assert current(unmet).status == "result_report"


def test_the_archive_waits_for_every_requirement(facilitation_at, fire, team, kabid, refused):
    """A file that went through step 6 before the rule, as the audit found one: archived without the requirement."""
    record = facilitation_at("archive")
    Attachment.objects.filter(object_id=record.pk, kind="population_record").delete()
    for follow_up in FollowUp.objects.filter(facilitation=record):
        services.follow_up_update(
            record, actor=team[0], expected_status="archive", kind=follow_up.kind, state=FollowUp.State.NOT_NEEDED,
            note="Sudah terdaftar.",
        )

    with refused(record, f"Belum lengkap: {STEP_MISSING}"):
        fire(record, "archive", team[0])
    waive(record, kabid)
    fire(record, "archive", team[0])
    assert current(record).status == "selesai"


# The waiver attacked: only the Kabid of the service, and not on a step they moved the record into.


@pytest.fixture
def other_agency(government):
    return Unit.objects.create(code="dinas-lain", name="Dinas Lain", kind=Unit.Kind.AGENCY, parent=government)


@pytest.fixture
def attackers(team, division, other_agency, agency_head, make_user):
    return {
        "anonymous": AnonymousUser(),
        "team officer": team[1],
        "kabid of another unit": make_user(division, Role.HEAD),
        "kepala dinas (observer)": agency_head,
        "storekeeper of the other agency": make_user(other_agency, Role.STOREKEEPER),
        "faskes of the other agency": make_user(other_agency, Role.FASKES),
    }


@pytest.mark.parametrize(
    "who",
    ["anonymous", "team officer", "kabid of another unit", "kepala dinas (observer)",
     "storekeeper of the other agency", "faskes of the other agency"],
)
def test_no_one_but_the_kabid_waives_a_requirement(unmet, attackers, refused, who):
    with refused(unmet, "hanya dapat dikesampingkan oleh Kabid Rehdayasos"):
        waive(unmet, attackers[who])


def test_the_kabid_does_not_waive_on_the_step_they_moved_the_record_into(facilitation_at, team, kabid, rehdayasos, make_user, refused):
    """The Kabid's acceptance moved the record into step 3: a waiver there would approve their own step."""
    record = facilitation_at("record")
    take(record, team[0], "simpan", population_recorded="tidak", population_record="diminta", dtks_letter="diminta")
    assert current(record).status_changed_by == kabid

    with refused(record, "Anda yang memindahkan fasilitasi ini ke langkahnya sekarang"):
        waive(record, kabid)
    # Whoever acts as Kabid meanwhile (a Plt.) may.
    acting = make_user(rehdayasos, Role.HEAD, office=Office.DIVISION_HEAD)
    today = timezone.localdate()
    Membership.objects.filter(user=acting).update(acting=True, office_from=today, office_until=today)
    waive(record, acting)
    assert RequirementWaiver.objects.filter(facilitation=record).count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ("blank reason", "Tuliskan alasan"),
        ("attached", "sudah terlampir; tidak perlu dikesampingkan"),
        ("waived", "sudah dikesampingkan"),
        ("stale page", "baru saja diubah oleh pengguna lain"),
        ("unknown requirement", "Persyaratan tidak dikenal"),
    ],
)
def test_a_waiver_that_is_not_needed_or_not_written_is_refused(unmet, team, kabid, refused, change, message):
    reason, requirement, expected_status = REASON, "population_record", None
    if change == "blank reason":
        reason = " \n "
    elif change == "attached":
        requirement = "dtks_letter"  # the walk attached it in step 3
    elif change == "waived":
        waive(unmet, kabid)
    elif change == "stale page":
        expected_status = "analysis"
    elif change == "unknown requirement":
        requirement = "photo"
    with refused(unmet, message):
        waive(unmet, kabid, reason=reason, requirement=requirement, expected_status=expected_status)


def test_a_requirement_is_waived_only_once_step_3_recorded_it(facilitation_at, kabid, refused):
    record = facilitation_at("review")  # moved into the review by the team, so the Kabid is not refused for that
    with refused(record, "dicatat Tim Kerja dulu pada langkah 3"):
        waive(record, kabid)


def test_a_closed_facilitation_takes_no_waiver(facilitation_at, kabid, refused):
    record = facilitation_at("selesai")
    Attachment.objects.filter(object_id=record.pk, kind="population_record").delete()
    with refused(record, "sudah selesai"):
        waive(record, kabid)


# The waiver on the facilitation's page.


def waiver_post(client, record, **data):
    return client.post(reverse("identitas:requirement_waive", args=[record.pk]), {
        "expected_status": current(record).status, "requirement": "population_record", "reason": REASON, **data,
    })


def test_the_kabid_waives_on_the_page_and_the_team_and_the_kabid_read_who_when_and_why(client, unmet, kabid, team, agency_head):
    client.force_login(team[0])
    page = client.get(unmet.get_absolute_url()).content.decode()
    assert "Diminta dari sumbernya, belum terlampir" in page
    assert "Kesampingkan persyaratan" not in page  # the team is not offered the waiver

    kabid.first_name, kabid.last_name = "Euis", "Rahmawati"
    kabid.save()
    client.force_login(kabid)
    page = client.get(unmet.get_absolute_url()).content.decode()
    assert page.count(">Kesampingkan persyaratan<") == 1  # the DTKS letter is attached: only the other is offered
    # The waiting accompaniment puts the waiver on the Kabid's worklist; the page links its section.
    assert 'href="#persyaratan">Kesampingkan persyaratan yang tidak dapat dipenuhi</a>' in page
    assert 'name="reason"' in page and "Alasan mengesampingkan informasi rekam data kependudukan" in page
    with now_is(wib(2026, 11, 24, 9, 5)):
        response = waiver_post(client, unmet)
    assert response.status_code == 302 and response["Location"].endswith("#persyaratan")

    for user in (kabid, team[2]):
        client.force_login(user)
        page = client.get(unmet.get_absolute_url()).content.decode()
        assert "Dikesampingkan oleh Euis Rahmawati pada 24 November 2026, 09.05 WIB." in page
        assert REASON in page and "Kesampingkan persyaratan" not in page
    client.force_login(agency_head)
    page = client.get(unmet.get_absolute_url()).content.decode()
    assert REASON not in page and "Dikesampingkan oleh" not in page  # the observer reads no team notes


def test_a_refused_waiver_keeps_the_typed_reason_and_changes_nothing(client, unmet, kabid, team):
    client.force_login(kabid)
    assert "Kesampingkan persyaratan" in client.get(unmet.get_absolute_url()).content.decode()
    # While the Kabid writes, Disdukcapil's information comes and the team attaches it.
    attachment_add(unmet, kind="population_record", file=ContentFile(b"%PDF-1.4", name="rekam.pdf"), actor=team[0])
    before = record_state(unmet)
    response = waiver_post(client, unmet)

    assert response.status_code == 400
    content = response.content.decode()
    assert "sudah terlampir; tidak perlu dikesampingkan" in content and REASON in content
    before["access"] += 1  # the page shown again is a view of the identity
    assert record_state(unmet) == before


def test_a_waiver_with_no_reason_is_refused_beside_the_field(client, unmet, kabid):
    client.force_login(kabid)
    before = record_state(unmet)
    response = waiver_post(client, unmet, reason="")
    assert response.status_code == 400
    assert "Tuliskan alasan persyaratan ini dikesampingkan." in response.content.decode()
    before["access"] += 1
    assert record_state(unmet) == before


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("team officer", 400), ("kabid of another unit", 404), ("kepala dinas (observer)", 400),
     ("storekeeper of the other agency", 404), ("faskes of the other agency", 404)],
)
def test_the_waiver_page_refuses_everyone_but_the_kabid(client, unmet, attackers, who, status):
    user = attackers[who]
    if user.is_authenticated:
        client.force_login(user)
    before = record_state(unmet)
    response = waiver_post(client, unmet)
    assert response.status_code == status
    if who == "team officer":
        assert "hanya dapat dikesampingkan oleh Kabid" in response.content.decode() and REASON in response.content.decode()
        before["access"] += 1  # the team's page shown again is a view of the identity
    assert record_state(unmet) == before
