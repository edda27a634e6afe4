import dataclasses

import pytest
from django.template.loader import render_to_string

from portal.models import sop_models
from publications.sheets import activity_rows
from tests.testapp.workflow import WORKFLOW as TICKET_WORKFLOW

WORKFLOWS = {app: model.workflow for app, model in sop_models().items()}


def _render(workflow):
    return render_to_string("publications/sop/_activity_table.html", {"workflow": workflow, "rows": activity_rows(workflow)})


@pytest.mark.parametrize("app", sorted(WORKFLOWS))
def test_every_step_stands_once_in_its_executors_column(app):
    workflow = WORKFLOWS[app]
    columns = [e.code for e in workflow.executors]
    rows = activity_rows(workflow)
    assert [r.step for r in rows] == list(workflow.steps)
    for row in rows:
        placed = [i for i, cell in enumerate(row.cells) if cell.symbol]
        assert placed == [columns.index(row.step.executor)]


@pytest.mark.parametrize("app", sorted(WORKFLOWS))
def test_the_table_prints_every_step_and_executor(app):
    workflow = WORKFLOWS[app]
    html = _render(workflow)
    for step in workflow.steps:
        assert step.name in html
        assert step.output in html
    for executor in workflow.executors:
        assert executor.label in html


def test_first_and_last_steps_are_terminators_and_decisions_are_diamonds():
    rows = activity_rows(TICKET_WORKFLOW)
    symbols = [next(c.symbol for c in r.cells if c.symbol) for r in rows]
    assert symbols == ["terminator", "process", "decision", "process", "terminator"]
    assert '<polygon points="22,1 43,14 22,27 1,14"' in _render(TICKET_WORKFLOW)


def test_a_line_crossing_to_another_executor_runs_along_the_top_of_the_next_row():
    # Ticket: "checked" (officer, column 0) leads to "decided" (head, column 1).
    rows = activity_rows(TICKET_WORKFLOW)
    checked, decided = rows[1], rows[2]
    assert "bottom" in checked.cells[0].segments
    assert decided.cells[0].segments == {"right"}
    assert decided.cells[1].segments >= {"left", "top"}
    assert decided.cells[1].arrow


def test_a_branch_that_leaves_the_table_is_written_beside_its_diamond():
    rows = activity_rows(TICKET_WORKFLOW)
    assert rows[2].exits == ["Tolak: Ditolak"]


def test_alternative_start_steps_both_lead_into_the_step_they_name():
    workflow = WORKFLOWS["alokon"]
    rows = {r.step.code: r for r in activity_rows(workflow)}
    columns = [e.code for e in workflow.executors]
    faskes, storekeeper = columns.index("faskes"), columns.index("storekeeper")
    # 1a (faskes) runs down past 1b, 1b (storekeeper) goes straight on.
    assert rows["request"].cells[faskes].symbol == "terminator"
    assert rows["routine_plan"].cells[storekeeper].symbol == "terminator"
    assert {"top", "bottom"} <= rows["routine_plan"].cells[faskes].segments
    assert rows["spmb"].cells[columns.index("secretary")].arrow


def test_changing_a_workflow_step_changes_the_printed_table():
    workflow = WORKFLOWS["identitas"]
    steps = list(workflow.steps)
    steps[3] = dataclasses.replace(steps[3], name="Penjangkauan dengan kendaraan dinas", output="Berita acara")
    changed = dataclasses.replace(workflow, steps=tuple(steps))
    html = _render(changed)
    assert "Penjangkauan dengan kendaraan dinas" in html
    assert "Berita acara" in html
    assert workflow.steps[3].name not in html


def test_a_line_runs_on_through_a_section_heading_row():
    workflow = WORKFLOWS["alokon"]
    rows = {r.step.code: r for r in activity_rows(workflow)}
    columns = [e.code for e in workflow.executors]
    receipt = rows["receipt"]  # the first step of section II, after "monitoring" in the UPTD column
    assert receipt.section.startswith("II.")
    assert receipt.section_cells[columns.index("uptd")].segments == {"top", "bottom"}
    assert not any(c.segments for i, c in enumerate(receipt.section_cells) if i != columns.index("uptd"))
    assert 'class="section-title"' in _render(workflow)
