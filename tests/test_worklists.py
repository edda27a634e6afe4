"""Every demo account's start page lists exactly the records on which the engine lets them act now.

The expected set is built record by record from the engine (the transitions the user may fire that count for a
worklist, and the tasks pending for them); the start page's lists come from one filter per service
(Access.waiting_filter). They must agree for every account of the demo, officers, heads, faskes and admins alike.
"""

import pytest
from django.contrib.auth import get_user_model

from portal.models import access_for, sop_models
from portal.selectors import WORKLIST_COUNT_LIMIT, worklist
from portal.services import acting_actors, pending_tasks, transition_refusal


def waits_for(record, user) -> bool:
    for transition in record.workflow.transitions_from(record.status):
        if not transition.in_worklist or not acting_actors(record, transition.worklist_actors, user):
            continue
        if not transition_refusal(record, transition, user):
            return True
    return bool(pending_tasks(record, user))


@pytest.mark.django_db
class TestEveryDemoAccount:
    @pytest.fixture(autouse=True)
    def demo(self, demo_loaded):
        pass

    def test_the_start_page_lists_what_the_engine_lets_each_account_do_now(self):
        users = list(get_user_model().objects.order_by("username"))
        assert len(users) > 40
        acting = 0
        for user in users:
            expected, listed = {}, {}
            for app, model in sop_models().items():
                records = model.objects.visible_to(user).exclude(status__in=model.workflow.final_statuses)
                for record in records.select_related("service", "unit"):
                    if waits_for(record, user):
                        expected.setdefault(record.service_id, set()).add((app, record.pk))
            for work in worklist(user):
                if work.observing:
                    continue
                model = sop_models()[work.service.app]
                waiting = model.objects.filter(access_for(user).waiting_filter(model), service=work.service)
                listed[work.service.pk] = {(work.service.app, pk) for pk in waiting.values_list("pk", flat=True)}
                count = len(listed[work.service.pk])
                assert (work.waiting_count, work.waiting_more) == (
                    min(count, WORKLIST_COUNT_LIMIT), count > WORKLIST_COUNT_LIMIT
                ), (user.username, work.service.slug)
                assert {(work.service.app, r.pk) for r in work.waiting} <= listed[work.service.pk]
            listed = {service: pks for service, pks in listed.items() if pks}
            assert listed == expected, user.username
            acting += bool(expected)
        assert acting >= 15  # the demo gives most accounts work: the comparison is not between empty sets

    def test_the_p2tp2a_ketua_finds_her_tasks_not_only_the_closures(self):
        from cases.demo import CHAIR
        from cases.models import Case

        ketua = get_user_model().objects.get(username=CHAIR)
        waiting = Case.objects.filter(access_for(ketua).waiting_filter(Case))
        # New cases wait for her team, those no high-risk alert brings to her too; a saved assessment, her approval.
        assert waiting.filter(status="report").exclude(risk=Case.Risk.HIGH).exists()
        assert waiting.filter(status="assessment", assessment_approved_at=None).exists()
