"""Two officers writing the same facilitation (or the same service's numbers) at once, on real PostgreSQL
connections: the row locks of identitas.services let each write through once, in order."""

import pytest
from django.utils import timezone

from identitas import services
from identitas.models import DisdukcapilWait, Facilitation, Person, Reporter
from portal.workflow import TransitionError
from tests.concurrency import together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("require_postgresql")]


def test_two_reports_recorded_at_once_get_two_numbers(identitas_service, team, category):
    def record(officer):
        return lambda: services.facilitation_create(
            service=identitas_service, actor=officer,
            facilitation=Facilitation(channel="telepon", received_at=timezone.now(), category=category),
            person=Person(name="Tanpa nama", sex="P", estimated_age=80),
            reporter=Reporter(name="Warga", contact="0812"), report="Lansia di terminal.",
        )

    outcomes = together(record(team[0]), record(team[1]))

    assert all(isinstance(outcome, Facilitation) for outcome in outcomes), outcomes
    assert sorted(Facilitation.objects.values_list("sequence", flat=True)) == [1, 2]


def test_of_two_officers_starting_the_wait_at_once_one_is_told_it_runs(facilitation_at, team):
    record = facilitation_at("accompaniment")

    outcomes = together(
        *(lambda officer=officer: services.wait_start(record, actor=officer, expected_status="accompaniment")
          for officer in team[:2])
    )

    refusals = [outcome for outcome in outcomes if isinstance(outcome, TransitionError)]
    assert len(refusals) == 1, outcomes
    assert DisdukcapilWait.objects.filter(facilitation=record).count() == 1
