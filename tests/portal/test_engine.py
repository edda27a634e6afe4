"""The SOP workflow engine: declarations (portal.workflow) and firing them (portal.services)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone

from portal.models import Attachment, TransitionLog
from portal.roles import Office, Role
from portal.services import StepRefused, attachment_add, available_transitions, transition_fire, workflow_start
from portal.workflow import (
    DONE,
    Branch,
    Executor,
    Identity,
    Step,
    Transition,
    TransitionError,
    Workflow,
)
from tests.testapp.models import Ticket
from tests.testapp.workflow import REJECTED, WORKFLOW

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Monday with no public holiday in the following weeks.
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=JAKARTA)


@pytest.fixture
def now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_10)
    return MONDAY_10


@pytest.fixture
def ticket_start(new_ticket):
    """ticket_start(unit, actor, **fields): a ticket started by `actor` in `unit`."""

    def start(unit, actor, **fields):
        return workflow_start(new_ticket(unit, **fields), actor=actor)

    return start


def fire(ticket, name, actor, note=""):
    return transition_fire(ticket, name=name, actor=actor, expected_status=ticket.status, note=note)


def attach(ticket, kind, user):
    Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(ticket),
        object_id=ticket.pk,
        unit=ticket.unit,
        kind=kind,
        file=ContentFile(b"%PDF-1.4", name=f"{kind}.pdf"),
        mime_type="application/pdf",
        uploaded_by=user,
    )


def logs_of(ticket):
    return TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk)


def snapshot(ticket):
    """What a refused transition must leave as it was, read from the database."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    return fresh.status, fresh.status_changed_at, fresh.step_due_at, logs_of(ticket).count(), fresh.history.count()


@pytest.fixture
def ticket_at(division, officer, head, ticket_start):
    """ticket_at(status): a division ticket walked through the workflow up to `status`."""
    path = {
        "received": [],
        "checked": ["received"],
        "decided": ["received", "checked"],
        "processed": ["received", "checked", "decided.approve"],
        "signed": ["received", "checked", "decided.approve", "processed"],
    }

    def walk(status):
        ticket = ticket_start(division, officer, summary="Ringkasan permohonan")
        attach(ticket, "spt", officer)
        for name in path[status]:
            actor = officer if Role.OFFICER in WORKFLOW.transitions[name].roles else head
            ticket = fire(ticket, name, actor)
        assert ticket.status == status
        return ticket

    return walk


# Starting a record.


def test_start_in_a_unit_without_service_hours_is_refused_with_a_message(government, make_user, ticket_start):
    officer = make_user(government, Role.OFFICER)  # the government unit and its parents have no hours
    with pytest.raises(TransitionError, match="belum memiliki jam pelayanan"):
        ticket_start(government, officer)
    assert not Ticket.objects.exists()


def test_a_later_save_does_not_reuse_the_transitions_actor_and_reason(division, officer, ticket_start):
    ticket = fire(ticket_start(division, officer), "received", officer, note="diterima")
    ticket.title = "Judul diperbaiki"
    ticket.save()
    latest = ticket.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason is None


def test_start_puts_the_record_in_the_first_step(division, officer, now, ticket_start):
    ticket = ticket_start(division, officer)
    ticket.refresh_from_db()
    assert ticket.status == "received"
    assert ticket.created_at == now
    assert ticket.status_changed_at == now


def test_start_sets_the_service_due_time_from_the_workflow_time_standard(division, officer, now, ticket_start):
    ticket = ticket_start(division, officer)
    ticket.refresh_from_db()
    # 5 working days from Monday 10.00: the clock starts Monday, so the next Monday at closing.
    assert ticket.due_at == datetime(2026, 3, 9, 14, 45, tzinfo=JAKARTA)


def test_start_sets_the_step_due_time_from_the_first_steps_time_standard(division, officer, now, ticket_start):
    ticket = ticket_start(division, officer)
    ticket.refresh_from_db()
    assert ticket.step_due_at == datetime(2026, 3, 2, 11, 0, tzinfo=JAKARTA)


def test_start_logs_a_transition_from_the_empty_status(division, officer, now, new_ticket):
    ticket = workflow_start(new_ticket(division, title="Permohonan uji"), actor=officer, note="Datang langsung")
    [log] = logs_of(ticket)
    assert (log.transition, log.from_status, log.to_status) == ("start", "", "received")
    assert log.actor == officer
    assert log.at == now
    assert log.note == "Datang langsung"


def test_start_records_the_actor_in_history(division, officer, ticket_start):
    ticket = ticket_start(division, officer)
    [row] = ticket.history.all()
    assert row.history_type == "+"
    assert row.history_user == officer
    assert row.history_change_reason == "Layanan dimulai"


def test_every_write_of_the_engine_happens_at_the_now_it_is_given(division, officer, new_ticket):
    """The demo records past days' acts through the engine, without faking the clock."""
    then = datetime(2025, 11, 3, 9, 30, tzinfo=JAKARTA)
    later = datetime(2025, 11, 3, 10, 15, tzinfo=JAKARTA)
    ticket = workflow_start(new_ticket(division, title="Permohonan lama"), actor=officer, now=then)
    attachment = attachment_add(ticket, kind="spt", file=ContentFile(b"%PDF-1.4", name="spt.pdf"), actor=officer, now=later)
    ticket = transition_fire(ticket, name="received", actor=officer, expected_status="received", now=later)
    assert (ticket.created_at, ticket.status_changed_at, attachment.uploaded_at) == (then, later, later)
    assert [log.at for log in logs_of(ticket).order_by("pk")] == [then, later]
    assert sorted(row.history_date for row in ticket.history.all()) == [then, later]
    assert then < ticket.due_at < datetime(2025, 11, 20, tzinfo=JAKARTA)  # five working days from `then`


def test_start_refuses_a_user_without_the_first_steps_role(division, head, ticket_start):
    with pytest.raises(TransitionError, match="tidak dapat memulai layanan ini: langkah pertamanya dilakukan oleh Petugas"):
        ticket_start(division, head)
    assert not Ticket.objects.exists()
    assert not TransitionLog.objects.exists()


def test_start_refuses_a_user_of_another_unit(division, uptd, make_user, ticket_start):
    with pytest.raises(TransitionError, match="tidak dapat memulai layanan ini: langkah pertamanya dilakukan oleh Petugas"):
        ticket_start(division, make_user(uptd, Role.OFFICER))
    assert not Ticket.objects.exists()


def test_start_refuses_a_step_that_is_not_a_start_step(division, officer, new_ticket):
    with pytest.raises(TransitionError, match="tidak dapat dimulai pada langkah ini"):
        workflow_start(new_ticket(division, title="Permohonan uji"), actor=officer, status="decided")
    assert not Ticket.objects.exists()


# Firing a transition.


def test_a_transition_by_the_right_role_moves_the_status(ticket_at, officer):
    ticket = fire(ticket_at("received"), "received", officer)
    ticket.refresh_from_db()
    assert ticket.status == "checked"


def test_a_transition_writes_one_log_row(ticket_at, officer, now):
    ticket = ticket_at("received")
    logs_before = logs_of(ticket).count()
    fire(ticket, "received", officer, note="Berkas lengkap")
    assert logs_of(ticket).count() == logs_before + 1
    log = logs_of(ticket).last()
    assert log.record == ticket
    assert (log.transition, log.from_status, log.to_status) == ("received", "received", "checked")
    assert log.actor == officer
    assert log.at == now
    assert log.note == "Berkas lengkap"


def test_a_transition_writes_one_history_row_with_the_actor_and_the_note(ticket_at, head):
    ticket = ticket_at("decided")
    history_before = ticket.history.count()
    fire(ticket, "decided.approve", head, note="Disetujui, lanjutkan")
    assert ticket.history.count() == history_before + 1
    row = ticket.history.first()
    assert row.history_type == "~"
    assert row.status == "processed"
    assert row.history_user == head
    # The note may name a person: the history keeps the step's label, the note stays in the guarded log.
    assert row.history_change_reason == "Setujui"


def test_a_transition_without_a_note_keeps_its_label_as_the_history_reason(ticket_at, head):
    fire(ticket_at("decided"), "decided.reject", head)
    assert Ticket.objects.get().history.first().history_change_reason == "Tolak"


def test_entering_a_timed_step_sets_its_due_time(ticket_at, head, now):
    ticket = fire(ticket_at("decided"), "decided.approve", head)
    ticket.refresh_from_db()
    # 2 working days from Monday 10.00: Wednesday at closing.
    assert ticket.step_due_at == datetime(2026, 3, 4, 14, 45, tzinfo=JAKARTA)
    assert ticket.status_changed_at == now


def test_leaving_a_timed_step_clears_its_due_time(ticket_at, officer):
    ticket = ticket_at("received")
    assert ticket.step_due_at is not None
    ticket = fire(ticket, "received", officer)
    ticket.refresh_from_db()
    assert ticket.step_due_at is None


def test_it_refuses_the_wrong_role_and_changes_nothing(ticket_at, head):
    ticket = ticket_at("received")
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match="tidak dapat melakukan langkah ini: langkah ini dilakukan oleh Petugas"):
        fire(ticket, "received", head)
    assert snapshot(ticket) == before


def test_it_refuses_a_user_of_another_unit_and_changes_nothing(ticket_at, uptd, make_user):
    ticket = ticket_at("received")
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match="tidak dapat melakukan langkah ini: langkah ini dilakukan oleh Petugas"):
        fire(ticket, "received", make_user(uptd, Role.OFFICER))
    assert snapshot(ticket) == before


def test_it_refuses_a_transition_from_the_wrong_status_and_changes_nothing(ticket_at, officer):
    ticket = ticket_at("received")
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match="tidak dapat dilakukan dari status sekarang"):
        fire(ticket, "processed", officer)
    assert snapshot(ticket) == before


def test_it_refuses_an_unknown_transition(ticket_at, officer):
    ticket = ticket_at("received")
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match="Transisi tidak dikenal"):
        fire(ticket, "nonexistent", officer)
    assert snapshot(ticket) == before


def test_it_refuses_a_missing_required_field_and_changes_nothing(division, officer, ticket_start):
    ticket = fire(ticket_start(division, officer, summary=""), "received", officer)
    attach(ticket, "spt", officer)
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match=r"^Belum lengkap: Tuliskan ringkasan pemeriksaan\.$"):
        fire(ticket, "checked", officer)
    assert snapshot(ticket) == before


def test_it_refuses_a_missing_document_and_changes_nothing(division, officer, ticket_start):
    ticket = fire(ticket_start(division, officer, summary="Ringkasan permohonan"), "received", officer)
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match=r"^Belum lengkap: Lampirkan Surat perintah tugas\.$"):
        fire(ticket, "checked", officer)
    assert snapshot(ticket) == before


def test_it_names_every_missing_item_with_the_field_it_is_about(division, officer, ticket_start):
    ticket = fire(ticket_start(division, officer), "received", officer)
    with pytest.raises(StepRefused) as refused:
        fire(ticket, "checked", officer)
    assert refused.value.errors == [
        ("", "Lampirkan Surat perintah tugas."), ("summary", "Tuliskan ringkasan pemeriksaan.")
    ]


def test_it_fires_once_the_requirements_are_met(division, officer, ticket_start):
    ticket = fire(ticket_start(division, officer), "received", officer)
    Ticket.objects.filter(pk=ticket.pk).update(summary="Ringkasan permohonan")
    attach(ticket, "spt", officer)
    assert fire(ticket, "checked", officer).status == "decided"


def test_it_refuses_a_stale_expected_status_and_changes_nothing(ticket_at, officer):
    ticket = ticket_at("received")
    fire(ticket, "received", officer)  # the first click
    before = snapshot(ticket)
    with pytest.raises(TransitionError, match="diubah oleh pengguna lain"):
        transition_fire(ticket, name="received", actor=officer, expected_status="received")  # the second
    assert snapshot(ticket) == before


def test_approving_goes_to_the_approve_branch_target(ticket_at, head):
    assert fire(ticket_at("decided"), "decided.approve", head).status == "processed"


def test_rejecting_goes_to_the_reject_branch_target_and_closes_the_record(ticket_at, head):
    ticket = fire(ticket_at("decided"), "decided.reject", head)
    ticket.refresh_from_db()
    assert ticket.status == REJECTED
    assert not ticket.is_open
    assert ticket.step_due_at is None


def test_completing_the_last_step_reaches_selesai(ticket_at, head):
    ticket = fire(ticket_at("signed"), "signed", head)
    ticket.refresh_from_db()
    assert ticket.status == DONE == "selesai"
    assert not ticket.is_open
    assert [log.to_status for log in logs_of(ticket)] == ["received", "checked", "decided", "processed", "signed", DONE]


def test_a_head_of_the_parent_unit_may_act_on_a_child_units_record(ticket_at, agency, make_user):
    agency_head = make_user(agency, Role.HEAD)
    ticket = fire(ticket_at("decided"), "decided.approve", agency_head)
    assert ticket.status == "processed"
    assert logs_of(ticket).last().actor == agency_head


def test_a_head_of_a_child_unit_may_not_act_on_the_parent_units_record(agency, division, make_user, ticket_start):
    ticket = ticket_start(agency, make_user(agency, Role.OFFICER))
    with pytest.raises(TransitionError, match="tidak dapat melakukan langkah ini"):
        fire(ticket, "received", make_user(division, Role.OFFICER))


# Separation of duties: no one approves the step they did themselves.


@pytest.fixture
def officer_and_head(division, make_user):
    """One person holding both the officer's and the head's role in the division."""
    from django.contrib.auth.models import Group

    from portal.models import Membership

    user = make_user(division, Role.OFFICER)
    Membership.objects.create(user=user, unit=division, role=Group.objects.get(name=Role.HEAD))
    return user


def test_a_transition_records_who_moved_the_record(ticket_at, officer):
    ticket = fire(ticket_at("received"), "received", officer)
    ticket.refresh_from_db()
    assert ticket.status_changed_by == officer


def test_whoever_did_the_step_before_may_not_approve_it(division, officer_and_head, ticket_start):
    ticket = ticket_start(division, officer_and_head, summary="Ringkasan")
    attach(ticket, "spt", officer_and_head)
    ticket = fire(fire(ticket, "received", officer_and_head), "checked", officer_and_head)
    before = snapshot(ticket)
    for name in ("decided.approve", "decided.reject"):
        with pytest.raises(TransitionError, match="harus dilakukan oleh pejabat lain"):
            fire(ticket, name, officer_and_head)
    assert snapshot(ticket) == before
    assert available_transitions(ticket, officer_and_head) == []


def test_another_head_approves_what_the_officer_and_head_did(division, officer_and_head, head, ticket_start):
    ticket = ticket_start(division, officer_and_head, summary="Ringkasan")
    attach(ticket, "spt", officer_and_head)
    ticket = fire(fire(ticket, "received", officer_and_head), "checked", officer_and_head)
    assert names(available_transitions(ticket, head)) == ["decided.approve", "decided.reject"]
    assert fire(ticket, "decided.approve", head).status == "processed"


def test_a_head_step_after_the_same_persons_step_is_refused(ticket_at, officer_and_head, head):
    ticket = fire(ticket_at("processed"), "processed", officer_and_head)  # "signed" is the head's: an approval
    with pytest.raises(TransitionError, match="harus dilakukan oleh pejabat lain"):
        fire(ticket, "signed", officer_and_head)
    assert fire(ticket, "signed", head).status == DONE


def test_a_step_that_is_not_an_approval_may_follow_the_same_persons_step(ticket_at, officer):
    ticket = fire(ticket_at("received"), "received", officer)
    assert ticket.status == "checked"  # the officer received it and may go on checking it


# Locking: the engine inside an app's larger transaction.


@pytest.mark.django_db(transaction=True)  # the suite's own transaction would hide the missing atomic()
def test_record_locked_refuses_to_run_outside_a_transaction(ticket_at):
    from portal.services import record_locked

    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        with record_locked(ticket_at("received"), expected_status="received"):
            pass


def test_a_failure_after_the_transition_in_the_same_transaction_undoes_it(ticket_at, officer):
    from django.db import transaction

    from portal.services import record_locked

    ticket = ticket_at("received")
    before = snapshot(ticket)
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic(), record_locked(ticket, expected_status="received") as locked:
            transition_fire(locked, name="received", actor=officer, expected_status="received")
            1 / 0  # e.g. a stock row that turned out short
    assert snapshot(ticket) == before


# Starting in the right service.


def test_start_refuses_a_unit_outside_the_services_unit(agency, division, uptd, make_user, officer):
    from portal.models import Service

    service = Service.objects.create(slug="uptd-saja", name="Layanan UPTD", unit=uptd, app="testapp")
    with pytest.raises(TransitionError, match="tidak melaksanakan layanan"):
        workflow_start(Ticket(service=service, unit=division, title="x"), actor=officer)
    assert not Ticket.objects.exists()


def test_start_refuses_a_service_of_another_sop_app(division, officer):
    from portal.models import Service

    service = Service.objects.create(slug="kasus", name="P2TP2A", unit=division, app="cases")
    with pytest.raises(TransitionError, match="tidak dijalankan oleh SOP ini"):
        workflow_start(Ticket(service=service, unit=division, title="x"), actor=officer)


# What the buttons offer.


def names(transitions):
    return sorted(t.name for t in transitions)


def test_available_transitions_offer_an_officer_the_officer_step(ticket_at, officer):
    assert names(available_transitions(ticket_at("received"), officer)) == ["received"]


def test_available_transitions_offer_a_head_nothing_on_an_officer_step(ticket_at, head):
    assert available_transitions(ticket_at("received"), head) == []


def test_available_transitions_offer_a_head_both_branches_of_a_decision(ticket_at, head):
    assert names(available_transitions(ticket_at("decided"), head)) == ["decided.approve", "decided.reject"]


def test_available_transitions_offer_an_officer_nothing_on_a_decision(ticket_at, officer):
    assert available_transitions(ticket_at("decided"), officer) == []


def test_available_transitions_offer_a_user_of_another_unit_nothing(ticket_at, uptd, make_user):
    ticket = ticket_at("received")
    assert available_transitions(ticket, make_user(uptd, Role.OFFICER)) == []
    assert available_transitions(ticket, make_user(uptd, Role.HEAD)) == []


def test_available_transitions_offer_a_parent_units_head_the_decision(ticket_at, government, make_user):
    ticket = ticket_at("decided")
    assert names(available_transitions(ticket, make_user(government, Role.HEAD))) == ["decided.approve", "decided.reject"]


def test_available_transitions_offer_nothing_on_a_closed_record(ticket_at, officer, head):
    ticket = fire(ticket_at("signed"), "signed", head)
    assert available_transitions(ticket, officer) == []
    assert available_transitions(ticket, head) == []


# The declaration.


def test_the_declaration_derives_one_transition_per_step_and_per_branch():
    assert {name: t.target for name, t in WORKFLOW.transitions.items()} == {
        "received": "checked",
        "checked": "decided",
        "decided.approve": "processed",
        "decided.reject": REJECTED,
        "processed": "signed",
        "signed": DONE,
    }


def test_the_declaration_copies_a_steps_requirements_to_its_transition():
    transition = WORKFLOW.transitions["checked"]
    assert transition.checks == WORKFLOW.step_for("checked").checks
    assert transition.form == "tests.testapp.forms.CheckForm"
    assert transition.required_documents == ("spt",)
    assert transition.roles == (Role.OFFICER,)


def declare(*steps, executors=(Executor("officer", "Petugas", (Role.OFFICER,)),), **options):
    return Workflow(name="Uji", executors=executors, steps=steps, **options)


def test_a_sound_declaration_has_no_problems():
    assert WORKFLOW.problems() == []


@pytest.mark.parametrize(
    "workflow, problem",
    [
        (declare(Step("a", "1", "A", executor="clerk")), "step a names unknown executor clerk"),
        (
            declare(Step("a", "1", "A", executor="officer", next="nowhere"), Step("b", "2", "B", executor="officer")),
            "step a leads to unknown nowhere",
        ),
        (
            declare(
                Step("a", "1", "A", executor="officer", branches=(Branch("y", "Ya", "b"), Branch("n", "Tidak", "nowhere"))),
                Step("b", "2", "B", executor="officer"),
            ),
            "step a leads to unknown nowhere",
        ),
        (declare(Step("a", "1", "A", executor="officer"), Step("a", "2", "B", executor="officer")), "duplicate step codes"),
        (declare(Step("a", "1", "A", executor="officer"), start_steps=("b",)), "unknown step b in start_steps or time_covers"),
        (declare(Step("a", "1", "A", executor="officer"), time_covers=("c",)), "unknown step c in start_steps or time_covers"),
        (
            declare(Step("a", "1", "A", executor="officer"), final_statuses=("batal",)),
            "the last step leads to 'selesai', which is not a final status",
        ),
        (
            declare(Step("a", "1", "A", executor="officer", required_documents=("spt",))),
            "step a requires document 'spt', which `documents` does not label",
        ),
        (
            declare(
                Step("a", "1", "A", executor="officer"),
                extra_transitions=(Transition("batal", "Batalkan", "a", "dibatalkan"),),
            ),
            "transition batal names unknown status dibatalkan",
        ),
        (declare(), "it declares no step"),
        (declare(Step("a", "1", "A", executor="officer", action="Teruskan")), "step a declares no status_label"),
        (
            declare(Step("a", "1", "A", executor="officer", status_label="Masuk")),
            "step a declares no action (its button's label)",
        ),
        (
            declare(Step("a", "1", "A", executor="head"), executors=(Executor("head", "Ketua", ()),)),
            "executor head names no role",
        ),
        (
            declare(
                Step("a", "1", "A", executor="head"),
                executors=(Executor("head", "Ketua", (Role.HEAD,), offices=("bupati",)),),
            ),
            "executor head names unknown office bupati",
        ),
        (
            declare(
                Step("a", "1", "A", executor="head"),
                executors=(Executor("head", "Kepala Dinas", (Role.HEAD,), offices=(Office.AGENCY_HEAD,)),),
            ),
            "executor head: office kepala_dinas is held as Kepala Dinas",
        ),
        (
            declare(
                Step("a", "1", "A", executor="officer"),
                executors=(Executor("officer", "Petugas", (Role.OFFICER,), standins=("ketua",)),),
            ),
            "executor officer names unknown stand-in ketua",
        ),
        (
            declare(
                Step("a", "1", "A", executor="officer"),
                extra_transitions=(Transition("batal", "Batalkan", "a", "selesai", executor="ketua"),),
            ),
            "transition batal names unknown executor ketua",
        ),
        (
            declare(Step("a", "1", "A", executor="officer"), identity=Identity(readers=("ketua",))),
            "identity readers name unknown executor ketua",
        ),
    ],
)
def test_a_faulty_declaration_names_its_problem(workflow, problem):
    assert problem in workflow.problems()


def test_the_declaration_accepts_a_final_status_as_a_target():
    workflow = declare(
        Step("a", "1", "A", executor="officer", next="batal", action="Batalkan", status_label="A"),
        final_statuses=(DONE, "batal"),
    )
    assert workflow.problems() == []
    assert workflow.transitions["a"].target == "batal"


def test_decisions_and_steps_only_heads_do_are_approvals():
    approvals = {name for name, t in WORKFLOW.transitions.items() if t.approval}
    assert approvals == {"decided.approve", "decided.reject", "signed"}


@pytest.mark.parametrize(
    "code, symbol",
    [
        ("received", "terminator"),
        ("checked", "process"),
        ("decided", "decision"),
        ("processed", "process"),
        ("signed", "terminator"),
    ],
)
def test_symbol_draws_terminators_at_the_ends_decisions_for_branches_and_processes_otherwise(code, symbol):
    assert WORKFLOW.symbol(WORKFLOW.step_for(code)) == symbol


def test_no_form_can_offer_the_engines_fields():
    from django.forms import modelform_factory

    form = modelform_factory(Ticket, fields="__all__")
    assert set(form.base_fields) == {"title", "summary"}


def test_the_step_history_refuses_to_be_rewritten(division, officer, ticket_start):
    ticket = fire(ticket_start(division, officer), "received", officer)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        logs_of(ticket).update(note="diubah")
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        logs_of(ticket).delete()
    assert logs_of(ticket).count() == 2


def test_on_postgresql_the_database_refuses_to_rewrite_the_step_history(
    require_postgresql, division, officer, ticket_start
):
    ticket = fire(ticket_start(division, officer), "received", officer)
    for sql in ("UPDATE portal_transitionlog SET note = 'diubah'", "DELETE FROM portal_transitionlog"):
        with pytest.raises(ProgrammingError, match="pgtrigger: Cannot update or delete rows from portal_transitionlog"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert list(logs_of(ticket).values_list("note", flat=True)) == ["", ""]
