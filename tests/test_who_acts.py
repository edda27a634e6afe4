"""Who may take each step, for every step and transition of every workflow and every demo account.

The expected holders are written out here from the SOP's executor columns and the offices they name, so that
the table is read against the seeds, not against the code: the Ketua or Sekretaris P2TP2A sign, approve and
close; the Sekretaris Dinas approves the SPMB; the Kabid Rehdayasos reviews a PPKS report; a team member takes
the step of their function on their case; a faskes (or its UPTD P5A standing in) acts on its own distribution.
Everyone else is refused, the Kabid KB, the Kepala Dinas and the Admin included. A step added to a workflow
without its row here fails the first test.
"""

import pytest
from django.contrib.auth import get_user_model

from alokon.models import Distribution
from cases.models import Case, TeamMember
from cases.workflow import OPEN_STEPS
from identitas.models import Facilitation
from portal.services import transition_refusal

P2TP2A_HEADS = {"kepala.p2tp2a-ciamis", "sekretaris.p2tp2a-ciamis"}  # Ketua, Sekretaris P2TP2A
# The demo case's team: the P2TP2A officer holding each function.
CASE_TEAM = {
    "data": "petugas.p2tp2a-ciamis",
    "social_worker": "peksos.p2tp2a-ciamis",
    "companion": "pendamping.p2tp2a-ciamis",
    "psychologist": "psikolog.p2tp2a-ciamis",
    "legal": "hukum.p2tp2a-ciamis",
}
SEKRETARIS_DINAS = {"kepala.dppkbpppa-ciamis"}
STOREKEEPER = {"gudang.dppkbpppa-ciamis"}
# Faskes 1, Puskesmas Ciamis, and the UPTD P5A of its kecamatan, which may stand in for it.
FASKES = {"faskes-1.alokon-ciamis", "petugas.uptd-p5a-ciamis"}
UPTD = {"petugas.uptd-p5a-ciamis"}
KABID_REHDAYASOS = {"kepala.rehdayasos-purwakarta"}
TIM_KERJA = {"petugas.rehdayasos-purwakarta", "peksos.rehdayasos-purwakarta", "pendamping.rehdayasos-purwakarta"}

EXPECTED = {
    "cases": {
        "report": {CASE_TEAM["data"], *P2TP2A_HEADS},
        "intake": {CASE_TEAM["data"], *P2TP2A_HEADS},
        "outreach": {CASE_TEAM["social_worker"], *P2TP2A_HEADS},
        "assessment": {CASE_TEAM["social_worker"], *P2TP2A_HEADS},
        "medical": {CASE_TEAM["companion"], *P2TP2A_HEADS},
        "psychological": {CASE_TEAM["psychologist"], *P2TP2A_HEADS},
        "legal": {CASE_TEAM["legal"], *P2TP2A_HEADS},
        "reintegration": {CASE_TEAM["social_worker"], *P2TP2A_HEADS},
        "closure": P2TP2A_HEADS,
        # Skipped as the step is taken. (Once the assessment finds a step not needed, any member of the team may skip
        # it: tests/cases/test_workflow.py.)
        "skip_medical": {CASE_TEAM["companion"], *P2TP2A_HEADS},
        "skip_psychological": {CASE_TEAM["psychologist"], *P2TP2A_HEADS},
        "skip_legal": {CASE_TEAM["legal"], *P2TP2A_HEADS},
        **{f"close_early.{step}": P2TP2A_HEADS for step in OPEN_STEPS},
        **{f"void.{step}": P2TP2A_HEADS for step in OPEN_STEPS},
    },
    "alokon": {
        "request": FASKES,
        "routine_plan": STOREKEEPER,
        "spmb.approve": SEKRETARIS_DINAS,
        "spmb.reject": SEKRETARIS_DINAS,
        "packing": STOREKEEPER,
        "delivery": STOREKEEPER,
        "monitoring": UPTD,
        "receipt": FASKES,
        "service": FASKES,
        "coordination": FASKES,
        "reporting": FASKES,
    },
    "identitas": {
        "report": TIM_KERJA,
        "review.accept": KABID_REHDAYASOS,
        "review.decline": KABID_REHDAYASOS,
        "record": TIM_KERJA,
        "outreach": TIM_KERJA,
        "analysis": TIM_KERJA,
        "accompaniment": TIM_KERJA,
        "result_report": TIM_KERJA,
        "archive": TIM_KERJA,
    },
}

MODELS = {"cases": Case, "alokon": Distribution, "identitas": Facilitation}


@pytest.mark.parametrize("app", MODELS)
def test_every_transition_has_its_holders_written_out(app):
    assert set(MODELS[app].workflow.transitions) == set(EXPECTED[app])


def representative(app):
    """A demo record on which the expected holders above act: a case whose team holds every function and whose
    assessment found steps 5-7 needed; faskes 1's distribution; any facilitation."""
    if app == "cases":
        case = Case.objects.filter(service__slug="p2tp2a-ciamis").order_by("pk").first()
        TeamMember.objects.filter(case=case).update(ended_at=case.created_at)
        officers = get_user_model().objects.in_bulk(CASE_TEAM.values(), field_name="username")
        TeamMember.objects.bulk_create(
            TeamMember(case=case, user=officers[username], function=function, assigned_by=officers[username])
            for function, username in CASE_TEAM.items()
        )
        Case.objects.filter(pk=case.pk).update(needs_medical=True, needs_psychological=True, needs_legal=True)
        return case
    if app == "alokon":
        return Distribution.objects.filter(facility__registration_number="32070401").order_by("pk").first()
    return Facilitation.objects.order_by("pk").first()


@pytest.mark.django_db
class TestEveryDemoAccount:
    @pytest.fixture(autouse=True)
    def demo(self, demo_loaded):
        pass

    @pytest.mark.parametrize("app", MODELS)
    def test_the_engine_lets_exactly_the_sops_executors_act(self, app):
        model = MODELS[app]
        record = representative(app)
        users = list(get_user_model().objects.order_by("username"))
        assert len(users) > 40  # every demo account: officers, heads, faskes, admins
        for name, transition in model.workflow.transitions.items():
            # The record as it stands in the step, moved there by nobody who is asked: the approval rule aside.
            model.objects.filter(pk=record.pk).update(status=transition.source, status_changed_by=None)
            fresh = model.objects.select_related("service", "unit").get(pk=record.pk)
            allowed = {user.username for user in users if not transition_refusal(fresh, transition, user)}
            assert allowed == EXPECTED[app][name], name
