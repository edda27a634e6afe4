"""The notifications of the demo's months of work, and of a reminder round over them (issue 22): the overdue
P2TP2A case reaches whoever acts on it now and, a day later, the Ketua's unit's heads; no notification or e-mail
carries a victim's, reporter's or PPKS person's name or NIK."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Case, Reporter as CaseReporter, Victim
from identitas.models import Person, Reporter as PpksReporter
from portal.notifications import reminders
from portal.notifications.models import Email, Kind, Notification
from portal.notifications.services import acting_users, heads_above

pytestmark = pytest.mark.django_db


def identities():
    words = set()
    for model in (Victim, CaseReporter, Person):
        for name, nik in model.objects.values_list("name", "nik"):
            words |= {name, nik} - {""}
    words |= set(PpksReporter.objects.values_list("name", flat=True))
    return words - {""}


@pytest.mark.usefixtures("demo_loaded")
class TestTheDemo:
    def test_the_demo_s_steps_told_their_next_actors_and_named_no_one(self):
        assert Notification.objects.filter(kind=Kind.STEP).exists()
        assert Notification.objects.filter(kind=Kind.APPROVAL).exists()
        people = identities()
        assert len(people) > 10
        for text, url in Notification.objects.values_list("text", "url"):
            assert not any(word in text or word in url for word in people), text
        # The demo's past e-mails went out long ago: none waits to be sent when the load commits.
        assert not Email.objects.filter(sent_at__isnull=True).exists()

    def test_an_overdue_case_reaches_its_actors_then_the_heads_and_names_no_one(self):
        now = timezone.now()
        Notification.objects.all().delete()
        # The newest open case, its three months run out an hour ago.
        case = Case.objects.open().order_by("-pk").first()
        Case.objects.filter(pk=case.pk).update(due_at=now - timedelta(hours=1))
        case.refresh_from_db()
        acting = acting_users(case)
        assert acting, "the overdue case waits for no one"

        reminders.run(now)
        late = Notification.objects.filter(kind=Kind.OVERDUE, url=case.get_absolute_url())
        assert set(late.values_list("user", flat=True)) == {user.pk for user in acting}
        reminders.run(now + timedelta(days=1))
        # The case waits for the P2TP2A's own heads: the heads above them hear of it, those who may open it.
        heads = {head.pk for head in heads_above(case, acting)}
        assert heads and not heads & {user.pk for user in acting}
        assert sorted(get_user_model().objects.filter(pk__in=heads).values_list("username", flat=True)) == [
            "kabid-kb.dppkbpppa-ciamis", "kadis.dppkbpppa-ciamis", "kepala.dppkbpppa-ciamis",
        ]
        assert set(late.values_list("user", flat=True)) == {user.pk for user in acting} | heads
        people = identities()
        for text in Notification.objects.values_list("text", flat=True):
            assert not any(word in text for word in people), text
        for subject, body in Email.objects.values_list("subject", "body"):
            assert not any(word in subject or word in body for word in people), subject
