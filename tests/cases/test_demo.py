"""The P2TP2A demo (cases/demo.py), loaded by load_demo in demo mode. Loading it takes seconds, so the demo's
tests share one load (`demo_loaded`) and each looks at several things."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Case, Partner, TeamMember, Victim
from cases.workflow import WORKFLOW
from portal.models import Kecamatan, TransitionLog
from portal.nik import validate_nik
from portal.selectors import transition_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_loaded, settings):
    settings.DEMO_MODE = True


class TestTheDemo:
    def test_cases_wait_at_every_step_some_overdue_each_with_its_team(self, demo):
        assert set(Case.objects.values_list("status", flat=True)) == {code for code, _label in WORKFLOW.status_choices}
        assert Case.objects.overdue().count() >= 2
        assert Case.objects.open().filter(risk=Case.Risk.HIGH).count() >= 2
        assert Case.objects.filter(status="assessment", assessment_approved_at=None).exists()
        assert Case.objects.filter(status="assessment").exclude(assessment_approved_at=None).exists()
        for case in Case.objects.all():
            assert TeamMember.objects.filter(case=case, ended_at=None).exists(), case
        for victim in Victim.objects.all():
            validate_nik(victim.nik)
            assert victim.nik.startswith("3207")
        assert set(Partner.objects.values_list("unit__code", flat=True)) == {"p2tp2a-ciamis"}

    def test_each_step_went_through_the_engine_as_whoever_does_it(self, demo):
        done = Case.objects.get(status="selesai", needs_legal=True)
        # The log of this case only: other apps' records share its ids.
        steps = list(transition_log(done).values_list("transition", "actor__username"))
        assert steps[0] == ("start", "petugas.p2tp2a-ciamis")
        assert ("outreach", "peksos.p2tp2a-ciamis") in steps and ("legal", "hukum.p2tp2a-ciamis") in steps
        assert steps[-1] == ("closure", "kepala.p2tp2a-ciamis")
        assert done.spt_issued_at and done.assessment_approved_by.username.endswith(".p2tp2a-ciamis")
        assert done.referrals.filter(step="legal", milestones__kind="p21").exists()
        assert not done.referrals.filter(completed_on=None).exists()
        assert {"layanan", "rsud", "psikolog", "polres"} <= set(done.consents.values_list("scope", flat=True))

    def test_loading_it_again_adds_nothing(self, demo):
        counts = [Case.objects.count(), Partner.objects.count(), TransitionLog.objects.count()]
        call_command("load_demo", stdout=StringIO())
        assert [Case.objects.count(), Partner.objects.count(), TransitionLog.objects.count()] == counts


def test_outside_demo_mode_the_regencies_get_their_kecamatan_but_no_cases_or_partners(settings):
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Kecamatan.objects.filter(regency__code="ciamis").count() == 27
    assert Kecamatan.objects.filter(regency__code="purwakarta").count() == 17
    assert not Case.objects.exists() and not Partner.objects.exists()
