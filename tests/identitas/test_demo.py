"""The PPKS identity demo (identitas/demo.py), loaded by load_demo in demo mode.

The load takes seconds, so the module loads it once, in a transaction rolled back after its last test; each
test looks at several things, and what a test writes is rolled back after it."""

from collections import Counter
from contextlib import ExitStack
from datetime import date, datetime
from io import StringIO
from itertools import pairwise
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from identitas import demo as identitas_demo
from identitas import services
from identitas.policy import agency_minutes
from identitas.demo import FACILITATIONS, KABID, TEAM
from identitas.evaluation import quarter_evaluation
from identitas.models import (
    AccessLog,
    DisdukcapilWait,
    DocumentKind,
    Facilitation,
    FollowUp,
    IssuedDocument,
    Notes,
    Person,
    RequirementWaiver,
    validate_document_number,
)
from identitas.workflow import WORKFLOW
from portal.clock import add_months
from portal.management.commands.load_demo import DEMO_PASSWORD
from portal.models import Membership, TransitionLog, Unit
from portal.nik import parse_nik
from portal.periods import Quarter
from portal.roles import Role
from portal.selectors import transition_log, worklist
from portal.services import pending_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """load_demo with this app's demo only, the others' being theirs to test (and seconds each); returns the
    moment the load began and what it printed."""
    others = [
        f"{config.name}.demo.load" for config in apps.get_app_configs()
        if config.name not in ("portal", "identitas") and module_has_submodule(config.module, "demo")
    ]
    with ExitStack() as stack:
        for load in others:
            stack.enter_context(mock.patch(load))
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(DEMO_MODE=True))
        stack.enter_context(transaction.atomic())
        started, out = timezone.now(), StringIO()
        call_command("load_demo", stdout=out)
        yield started, out.getvalue()
        transaction.set_rollback(True)


def test_outside_demo_mode_it_adds_no_accounts_or_records():
    counts = [get_user_model().objects.count(), Facilitation.objects.count()]
    out = StringIO()
    with override_settings(DEMO_MODE=False):
        identitas_demo.load(out)
    assert [get_user_model().objects.count(), Facilitation.objects.count()] == counts and out.getvalue() == ""


@pytest.fixture
def calendar(demo):
    return Unit.objects.get(code="rehdayasos-purwakarta").working_calendar()


def quarter_start(day, quarters_back=0):
    return add_months(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), -3 * quarters_back)


def test_facilitations_wait_in_every_step_the_overdue_ones_past_their_300_minutes(demo):
    _started, printed = demo
    records = Facilitation.objects.all()
    assert records.count() == len(FACILITATIONS)
    assert f"{len(FACILITATIONS)} fasilitasi identitas PPKS demo dimuat" in printed
    statuses = Counter(records.values_list("status", flat=True))
    assert set(statuses) == {code for code, _label in WORKFLOW.status_choices}
    assert statuses["selesai"] >= 10 and statuses["ditolak"] >= 2

    overdue = records.overdue()
    assert overdue.count() >= 3 and len(set(overdue.values_list("status", flat=True))) >= 3
    now = timezone.now()
    for record in records.open().exclude(due_at=None):
        assert record.is_overdue(now) == (agency_minutes(record, now) >= record.TIME_STANDARD_MINUTES), record
    # While the team waits for Disdukcapil the agency's clock stops: no due time, never overdue.
    running = DisdukcapilWait.objects.get(ended_at=None)
    assert running.facilitation.status == "accompaniment" and running.facilitation.due_at is None

    for record in records.filter(status="ditolak"):
        decline = transition_log(record).get(transition="review.decline")
        assert decline.actor.username == KABID and decline.note.strip()

    assert set(records.values_list("channel", flat=True)) == set(Facilitation.Channel.values)
    assert records.values("category").distinct().count() >= 8
    assert Person.objects.filter(is_alias=True, facilitation__status__in=["report", "review"]).exists()
    assert Person.objects.filter(is_alias=False, facilitation__status="selesai").count() == statuses["selesai"]


def test_three_tim_kerja_officers_share_the_work_of_each_quarter(demo):
    officers = get_user_model().objects.filter(
        memberships__unit__code="rehdayasos-purwakarta", memberships__role__name=Role.OFFICER
    )
    assert sorted(officers.values_list("username", flat=True)) == sorted(TEAM)
    assert all(officer.check_password(DEMO_PASSWORD) for officer in officers)
    today = timezone.localdate()
    done = Facilitation.objects.filter(status="selesai")
    last_quarter = done.filter(
        received_at__date__gte=quarter_start(today, quarters_back=1), received_at__date__lt=quarter_start(today)
    )
    assert last_quarter.count() >= 10
    assert set(last_quarter.values_list("officer__username", flat=True)) == set(TEAM)
    assert set(Facilitation.objects.open().values_list("officer__username", flat=True)) == set(TEAM)


def test_the_agency_minutes_are_the_working_minutes_from_receipt_to_result_less_the_waits(demo, calendar):
    reported = Facilitation.objects.exclude(result_reported_at=None)
    assert set(reported.values_list("status", flat=True)) == {"archive", "selesai"}
    assert not Facilitation.objects.filter(status="selesai", result_reported_at=None).exists()
    for record in reported:
        waits = list(record.waits.all())
        for wait in waits:
            assert wait.minutes == calendar.working_minutes_between(wait.started_at, wait.ended_at)
        assert record.waited_minutes == sum(wait.minutes for wait in waits)
        spent = calendar.working_minutes_between(record.received_at, record.result_reported_at)
        assert record.agency_minutes == spent - record.waited_minutes, record
        stored, record.agency_minutes = record.agency_minutes, None
        assert agency_minutes(record, now=record.result_reported_at) == stored
        assert record.standard_missed == (stored > record.TIME_STANDARD_MINUTES)
        assert bool(Notes.objects.get(pk=record.pk).missed_reason) == record.standard_missed
    missed = reported.filter(standard_missed=True).count()
    assert missed == sum(1 for spec in FACILITATIONS if spec.missed)
    assert missed >= 2 and reported.count() > 3 * missed
    assert DisdukcapilWait.objects.values("facilitation").distinct().count() >= 10


def test_every_act_is_stored_at_its_moment_in_the_past_as_the_services_store_it(demo, calendar):
    started, _printed = demo
    for record in Facilitation.objects.all():
        logs = list(transition_log(record))
        assert logs[0].transition == "start" and logs[0].at == record.created_at
        assert record.received_at < record.created_at < record.received_at + services.RECEIPT_MAX_AGE
        assert all(earlier.at <= later.at for earlier, later in pairwise(logs)) and logs[-1].at < started
        assert logs[-1].at == record.status_changed_at
        history = record.history.order_by("history_date", "history_id")
        assert history.first().history_date == record.created_at and history.last().history_date < started
        if record.status in WORKFLOW.time_covers and not record.waits.exists():
            assert record.due_at == calendar.add_working_minutes(record.received_at, record.TIME_STANDARD_MINUTES)
    # Rows whose time is their field's default (timezone.now) got the demo's moment too.
    for model, field in [(AccessLog, "at"), (IssuedDocument, "recorded_at"), (FollowUp, "updated_at")]:
        assert model.objects.exists() and not model.objects.filter(**{f"{field}__gte": started}).exists(), model
    for document in IssuedDocument.objects.select_related("facilitation"):
        received = timezone.localtime(document.facilitation.received_at).date()
        assert received <= document.issued_on == timezone.localtime(document.recorded_at).date()
    today = timezone.localdate()
    assert Facilitation.objects.filter(received_at__date__gte=quarter_start(today)).exists()


def test_niks_and_document_numbers_are_well_formed_made_up_purwakarta_ones(demo):
    niks = list(Person.objects.exclude(nik="").values_list("nik", flat=True))
    assert len(niks) >= 20 and len(set(niks)) == len(niks)
    for nik in niks:
        parse_nik(nik)
        assert nik.startswith("3214")
    documents = IssuedDocument.objects.select_related("facilitation__person")
    assert set(documents.values_list("kind", flat=True)) == set(DocumentKind.values)
    for document in documents:
        validate_document_number(document.kind, document.number)
        assert document.number.startswith("3214")
        person = document.facilitation.person
        if document.kind in services.NIK_DOCUMENTS:
            assert document.number == person.nik
        if document.kind == DocumentKind.KIA:  # a child's card
            born, _sex = parse_nik(person.nik)
            assert (document.issued_on - born).days < 17 * 365
    assert set(FollowUp.objects.values_list("state", flat=True)) == set(FollowUp.State.values)
    assert not FollowUp.objects.filter(state=FollowUp.State.SUGGESTED, facilitation__status="selesai").exists()


def test_loading_again_adds_nothing(demo):
    models = [*apps.get_app_config("identitas").get_models(), get_user_model(), Membership, TransitionLog]
    counts = {model: model.objects.count() for model in models}
    call_command("load_demo", stdout=StringIO())
    assert {model: model.objects.count() for model in models} == counts


def test_the_seeded_quarter_s_evaluation_is_what_its_records_say(demo):
    """The evaluation of the demo's last quarter, recomputed here from the records without the module's helpers."""
    service = Facilitation.objects.first().service
    start_day = quarter_start(timezone.localdate(), quarters_back=1)
    year, quarter = start_day.year, (start_day.month - 1) // 3 + 1
    local = timezone.get_current_timezone()
    start = datetime(start_day.year, start_day.month, 1, tzinfo=local)
    end_day = quarter_start(timezone.localdate())
    end = datetime(end_day.year, end_day.month, 1, tzinfo=local)

    evaluation = quarter_evaluation(service, Quarter(year, quarter))

    rows = list(Facilitation.objects.filter(service=service).select_related("officer"))
    received = [r for r in rows if start <= r.received_at < end]
    completed = sorted(
        (r for r in rows if r.result_reported_at and start <= r.result_reported_at < end), key=lambda r: r.agency_minutes
    )
    minutes = [r.agency_minutes for r in completed]
    declined = TransitionLog.objects.filter(transition="review.decline", at__gte=start, at__lt=end).count()
    middle = len(minutes) // 2
    expected_median = minutes[middle] if len(minutes) % 2 else (minutes[middle - 1] + minutes[middle]) / 2
    expected_p90 = minutes[-(-9 * len(minutes) // 10) - 1]
    assert len(received) >= 10 and len(completed) >= 10  # the demo seeds a full quarter
    assert (evaluation.received, evaluation.completed, evaluation.declined) == (len(received), len(completed), declined)
    assert evaluation.within_standard == sum(1 for m in minutes if m <= 300)
    assert evaluation.missed == sum(1 for r in completed if r.standard_missed) > 0
    assert (evaluation.median_minutes, evaluation.p90_minutes) == (expected_median, expected_p90)
    issued = Counter(
        IssuedDocument.objects.filter(issued_on__gte=start_day, issued_on__lt=end_day).values_list("kind", flat=True)
    )
    assert dict(evaluation.documents) == {DocumentKind(kind).label: issued[kind] for kind in DocumentKind.values}
    by_officer = Counter(r.officer.get_full_name() for r in completed)
    assert {o.name: o.completed for o in evaluation.officers if o.completed} == dict(by_officer)
    assert len(by_officer) == 3


def test_a_requirement_the_team_could_not_obtain_waits_on_the_kabid_s_start_page(demo):
    kabid = get_user_model().objects.get(username=KABID)
    waiting = [r for r in Facilitation.objects.filter(status="accompaniment") if pending_tasks(r, kabid)]
    assert len(waiting) == 1 and not RequirementWaiver.objects.filter(facilitation=waiting[0]).exists()
    listed = {record.pk for work in worklist(kabid) for record in work.waiting}
    assert waiting[0].pk in listed
