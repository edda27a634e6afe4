"""After closure, the case's legal division records the legal milestones until the verdict; nothing else moves.

Fixtures: tests/cases/conftest.py. Every refusal is checked to leave the case as it was.
"""

import uuid
from datetime import date

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from cases import services
from cases.models import LegalMilestone, Referral, TeamMember
from cases.workflow import CLOSED_EARLY, VOIDED
from tests.cases.conftest import BLIND, SIGHTED, case_state, current

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(case_at):
    """A case done, its legal step taken: one legal referral (by the P2TP2A itself), completed."""
    return case_at("selesai", needs_legal=True)


def legal_referral(case):
    return Referral.objects.get(case=case, step="legal")


def add(case, actor, kind="sidang"):
    return services.milestone_add(
        legal_referral(case), actor=actor, expected_status=current(case).status, kind=kind, date=date(2026, 11, 2),
        note="Sidang pertama",
    )


def test_the_legal_division_adds_milestones_to_a_closed_case_until_the_verdict(closed, officers, refused):
    legal = officers["legal"]
    add(closed, legal, "sidang")
    add(closed, legal, "putusan")
    assert list(legal_referral(closed).milestones.values_list("kind", "recorded_by")) == [
        ("sidang", legal.pk), ("putusan", legal.pk),
    ]
    with refused(closed, match="Putusan sudah dicatat"):
        add(closed, legal, "lainnya")
    # Everything else of the closed case stays as it was, for the legal division too.
    referral = legal_referral(closed)
    with refused(closed, match="sudah ditutup"):
        services.referral_update(referral, actor=legal, expected_status=closed.status, outcome="Diubah.", completed_on=None)
    with refused(closed, match="sudah ditutup"):
        services.notes_update(closed, actor=legal, expected_status=closed.status, field="closure_summary", text="Diubah.")
    with refused(closed, match="sudah ditutup"):
        services.consent_record(
            closed, actor=legal, expected_status=closed.status, scope="layanan", granted=False,
            given_by_guardian=False, guardian_name="",
        )


def test_a_case_closed_early_takes_milestones_from_its_legal_division_too(case_at, officers, chair, fire):
    case = case_at("reintegration", needs_legal=True)
    fire(case, "close_early.reintegration", chair, note="Korban pindah ke luar daerah.")
    assert current(case).status == CLOSED_EARLY
    add(case, officers["legal"])
    assert legal_referral(case).milestones.count() == 1


@pytest.mark.parametrize("who", ["chair", "secretary", "data", "social_worker", "companion", "psychologist",
                                 *SIGHTED, *BLIND])
def test_nobody_else_adds_a_milestone_to_a_closed_case(request, closed, officers, strangers, who, refused):
    actor = officers.get(who) or strangers.get(who) or request.getfixturevalue(who)
    with refused(closed, match="hanya dicatat oleh Divisi Hukum"):
        add(closed, actor)


def test_a_legal_officer_taken_off_the_team_before_closure_adds_none(case_at, officers, chair, fire, refused):
    case = case_at("closure", needs_legal=True)
    member = TeamMember.objects.get(case=case, user=officers["legal"], function="legal")
    services.team_end(member, actor=chair, expected_status="closure")
    services.notes_update(case, actor=chair, expected_status="closure", field="closure_summary", text="Selesai.")
    fire(case, "closure", chair)
    with refused(case, match="hanya dicatat oleh Divisi Hukum"):
        add(case, officers["legal"])


def test_a_voided_case_takes_no_milestone(case_at, officers, chair, fire, refused):
    case = case_at("reintegration", needs_legal=True)
    fire(case, "void.reintegration", chair, note="Salah input: kasus ganda.")
    assert current(case).status == VOIDED
    with refused(case, match="dibatalkan karena salah input"):
        add(case, officers["legal"])


# The closed case's page.


def milestone_url(case):
    return reverse("cases:milestone_add", args=[case.pk, legal_referral(case).pk])


def test_the_closed_cases_page_offers_the_milestone_form_to_the_legal_division_only(client, closed, officers, chair):
    for user, offered in [(officers["legal"], True), (chair, False), (officers["social_worker"], False)]:
        client.force_login(user)
        assert (milestone_url(closed) in client.get(closed.get_absolute_url()).content.decode()) is offered
    add(closed, officers["legal"], "putusan")
    client.force_login(officers["legal"])
    assert milestone_url(closed) not in client.get(closed.get_absolute_url()).content.decode()


def post_milestone(client, case, kind="sidang"):
    return client.post(milestone_url(case), {
        "expected_status": case.status, "submission": str(uuid.uuid4()), "kind": kind, "date": "2026-11-02",
        "note": "Putusan PN",
    })


def test_the_legal_division_records_the_verdict_on_the_closed_cases_page(client, closed, officers):
    client.force_login(officers["legal"])
    response = post_milestone(client, closed, "putusan")
    assert response.status_code == 302
    assert legal_referral(closed).milestones.get().kind == LegalMilestone.Kind.VERDICT


def but_the_access_log(state):
    return {name: rows for name, rows in state.items() if name != "access_log"}


@pytest.mark.parametrize("who", ["chair", "social_worker", *SIGHTED, *BLIND, "anonymous"])
def test_a_milestone_posted_by_anyone_else_changes_nothing(client, closed, officers, chair, strangers, who):
    user = {"chair": chair, "social_worker": officers["social_worker"]}.get(who) or strangers[who]
    if user is not None:
        client.force_login(user)
    before = case_state(closed)

    response = post_milestone(client, closed)

    page = response.content.decode()
    if user is None:
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    elif who in BLIND:
        assert response.status_code == 404
    else:
        assert response.status_code == 400
    if who in ("chair", "social_worker"):
        # The team and its head are shown the page again, with why, and that view logged: nothing else is written.
        assert "hanya dicatat oleh Divisi Hukum" in page
        assert but_the_access_log(case_state(closed)) == but_the_access_log(before)
    else:
        assert "Korban Uji" not in page and "Pelapor Uji" not in page
        assert case_state(closed) == before
