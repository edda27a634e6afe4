"""Two heads writing the same evaluation at once, on real PostgreSQL connections: the service's row lock and the
version let one write through and refuse the other, which changes nothing."""

import pytest

from portal.evaluation import services
from portal.evaluation.models import Evaluation
from portal.roles import Role
from portal.workflow import TransitionError
from tests.concurrency import together
from tests.evaluation.conftest import Q3

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("require_postgresql")]


def test_of_two_first_drafts_written_at_once_one_is_kept_and_the_other_refused(service, rule, superior, make_user, agency):
    other_head = make_user(agency, Role.AGENCY_HEAD)

    def write(head, text):
        return lambda: services.evaluation_save(
            service=service, quarter=Q3, findings=text, follow_up="Tindak lanjut", version=0, actor=head
        )

    outcomes = together(write(superior, "Temuan Ratna"), write(other_head, "Temuan Kepala Dinas"))

    refusals = [outcome for outcome in outcomes if isinstance(outcome, TransitionError)]
    kept = [outcome for outcome in outcomes if isinstance(outcome, Evaluation)]
    assert len(refusals) == 1 and len(kept) == 1, outcomes
    assert list(Evaluation.objects.values_list("findings", "version")) == [(kept[0].findings, 1)]


def test_a_signature_and_an_edit_at_once_never_change_a_signed_evaluation(service, rule, superior, make_user, agency):
    other_head = make_user(agency, Role.AGENCY_HEAD)
    services.evaluation_save(
        service=service, quarter=Q3, findings="Temuan", follow_up="Tindak lanjut", version=0, actor=superior
    )

    outcomes = together(
        lambda: services.evaluation_sign(
            service=service, quarter=Q3, findings="Temuan", follow_up="Tindak lanjut", version=1, actor=superior
        ),
        lambda: services.evaluation_save(
            service=service, quarter=Q3, findings="Diubah", follow_up="Tindak lanjut", version=1, actor=other_head
        ),
    )

    assert sum(isinstance(outcome, TransitionError) for outcome in outcomes) == 1, outcomes
    evaluation = Evaluation.objects.get()
    # Either the signature came first and the edit was refused, or the edit came first and the signature was.
    if evaluation.is_signed:
        assert (evaluation.findings, evaluation.version) == ("Temuan", 2) and evaluation.pdf
    else:
        assert (evaluation.findings, evaluation.version) == ("Diubah", 2)
