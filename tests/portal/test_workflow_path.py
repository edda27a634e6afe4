"""Workflow.path_from: one way in of a workflow with several, as a service taking only that way prints it."""

import pytest
from django.db.models import Q

from portal.complaints.workflow import OFFICER_RESPONSE, TEAM_REVIEW
from portal.complaints.workflow import WORKFLOW as COMPLAINTS
from portal.roles import Role
from portal.workflow import DONE, Branch, Executor, Step, Task, Transition, Workflow, days

# Two ways in. The first returns from its decision to its own first step; the second ends in "ditolak" or loops on
# its decision until it is done. Step "a" and "x" leave by their implicit next.
LOOPS = Workflow(
    name="Uji",
    executors=(Executor("officer", "Petugas", (Role.OFFICER,)), Executor("head", "Kepala", (Role.HEAD,))),
    start_steps=("a", "x"),
    time=days(3),
    time_covers=("a", "b"),
    final_statuses=(DONE, "ditolak"),
    tasks=(
        Task("remind", "Ingatkan petugas", "head", ("a", "x"), lambda: Q(), anchor="ingat"),
        Task("sign", "Tandatangani", "head", ("y",), lambda: Q(), anchor="tanda"),
    ),
    extra_transitions=(
        Transition("a.skip", "Lewati", "a", "c", executor="head"),
        Transition("x.cancel", "Batalkan", "x", "ditolak", executor="head"),
        Transition("b.jump", "Pindah jalur", "b", "y", executor="head"),
    ),
    steps=(
        Step("a", "1", "A", executor="officer", action="Selesai A", status_label="A"),
        Step("b", "2", "B", executor="head", status_label="B", branches=(
            Branch("ok", "Setujui", "c"),
            Branch("back", "Kembalikan", "a", note_required=True),
        )),
        Step("c", "3", "C", executor="officer", next=DONE, action="Selesai C", status_label="C"),
        Step("x", "4", "X", executor="officer", action="Selesai X", status_label="X"),
        Step("y", "5", "Y", executor="head", status_label="Y", branches=(
            Branch("again", "Ulangi", "x"),
            Branch("refuse", "Tolak", "ditolak"),
            Branch("done", "Selesai", DONE),
        )),
    ),
)


def codes(workflow):
    return [step.code for step in workflow.steps]


def test_the_declarations_are_sound():
    assert COMPLAINTS.problems() == []
    assert LOOPS.problems() == []


def test_the_ciamis_path_holds_the_four_stages_and_its_two_working_days():
    path = COMPLAINTS.path_from(TEAM_REVIEW)

    assert codes(path) == ["check", "field", "internal", "agencies"]
    assert path.start_steps == path.initial_statuses == (TEAM_REVIEW,)
    assert (path.time, path.time_covers) == (days(2), (TEAM_REVIEW,))
    assert [task.code for task in path.tasks] == ["instruct"]
    assert path.problems() == []


def test_the_purwakarta_path_holds_the_response_and_the_official_and_no_time():
    path = COMPLAINTS.path_from(OFFICER_RESPONSE)

    assert codes(path) == ["respond", "official"]
    assert path.start_steps == (OFFICER_RESPONSE,)
    # Ciamis' two days covered its data check only: an empty time_covers would stretch them over every step.
    assert (path.time, path.time_covers) == (None, ())
    assert path.tasks == ()
    assert path.problems() == []


def test_a_path_is_a_copy_and_leaves_the_workflow_whole():
    path = COMPLAINTS.path_from(OFFICER_RESPONSE)

    assert path is not COMPLAINTS
    assert len(COMPLAINTS.steps) == 6
    assert COMPLAINTS.start_steps == (TEAM_REVIEW, OFFICER_RESPONSE)
    assert (path.name, path.executors, path.documents) == (COMPLAINTS.name, COMPLAINTS.executors, COMPLAINTS.documents)


def test_a_branch_back_to_an_earlier_step_keeps_the_path_to_itself():
    path = LOOPS.path_from("a")

    assert codes(path) == ["a", "b", "c"]
    assert path.problems() == []
    assert path.time_covers == ("a", "b") and path.time == days(3)
    assert [(task.code, task.statuses) for task in path.tasks] == [("remind", ("a",))]
    # A transition to the other way ("b.jump" to y) leaves with that way.
    assert [t.name for t in path.extra_transitions] == ["a.skip"]


def test_the_second_way_keeps_its_loop_and_its_final_statuses():
    path = LOOPS.path_from("x")

    assert codes(path) == ["x", "y"]
    assert path.problems() == []
    assert path.final_statuses == (DONE, "ditolak")
    assert (path.time, path.time_covers) == (None, ())
    assert [(task.code, task.statuses) for task in path.tasks] == [("remind", ("x",)), ("sign", ("y",))]
    assert [t.name for t in path.extra_transitions] == ["x.cancel"]


@pytest.mark.parametrize("start", ["a", "x", TEAM_REVIEW, OFFICER_RESPONSE])
def test_each_kept_step_leads_where_it_led_and_stays_on_the_path(start):
    workflow = LOOPS if start in LOOPS.start_steps else COMPLAINTS
    path = workflow.path_from(start)
    statuses = {*codes(path), *path.final_statuses}

    for step in path.steps:
        # The implicit next too: "a" still leads to "b", "x" to "y", "check" to "field".
        if not step.is_decision:
            assert path.next_of(step) == workflow.next_of(step)
    assert {t.target for t in path.transitions.values()} <= statuses


def test_a_path_from_an_unknown_step_is_refused():
    with pytest.raises(ValueError):
        LOOPS.path_from("nowhere")
    with pytest.raises(ValueError):
        LOOPS.path_from(DONE)
