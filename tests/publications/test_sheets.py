import dataclasses
import re

import pytest
from django.template.loader import render_to_string

from portal.models import sop_models
from portal.roles import Role
from portal.workflow import DONE, Branch, Executor, Step, Workflow
from publications.sheets import Exit, activity_rows, mark_page_breaks
from tests.testapp.workflow import WORKFLOW as TICKET_WORKFLOW

WORKFLOWS = {app: model.workflow for app, model in sop_models().items()}
ALL_WORKFLOWS = {**WORKFLOWS, "ticket": TICKET_WORKFLOW}

# A decision whose approval goes straight down its own column, so that its rejection has to leave by the
# side; and a decision that sends the work back to an earlier step.
SIDEWAYS_WORKFLOW = Workflow(
    name="Uji cabang",
    executors=(
        Executor("officer", "Petugas", (Role.OFFICER,)),
        Executor("head", "Kepala Bidang", (Role.HEAD,)),
        Executor("clerk", "Arsiparis", (Role.OFFICER,)),
    ),
    steps=(
        Step("received", "1", "Permohonan diterima", executor="head"),
        Step("checked", "2", "Berkas lengkap?", executor="head", branches=(
            Branch("yes", "Ya", next="processed"), Branch("no", "Tidak", next="ditolak"),
        )),
        Step("processed", "3", "Permohonan diproses", executor="head"),
        Step("reviewed", "4", "Hasil sesuai?", executor="officer", branches=(
            Branch("yes", "Ya", next="signed"), Branch("redo", "Perbaiki", next="processed"),
        )),
        Step("signed", "5", "Hasil ditandatangani", executor="officer"),
    ),
    final_statuses=(DONE, "ditolak"),
    final_labels={DONE: "Selesai", "ditolak": "Ditolak"},
)


def _render(workflow):
    return render_to_string("publications/sop/_activity_table.html", {"workflow": workflow, "rows": activity_rows(workflow)})


def _legend(workflow):
    return render_to_string("publications/documents/_sop_legend.html", {"rows": activity_rows(workflow)})


def _layers(style):
    """The (position, size) of each line segment a cell's style draws."""
    if not style:
        return []
    values = dict(part.strip().split(": ", 1) for part in style.split(";") if part.strip())
    return list(zip(values["background-position"].split(", "), values["background-size"].split(", ")))


def _symbol_column(row):
    return next(i for i, cell in enumerate(row.cells) if cell.symbol)


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


@pytest.mark.parametrize("app", sorted(ALL_WORKFLOWS))
def test_no_line_runs_on_a_row_border(app):
    # A line along a row's top or bottom edge reads as the table's grid; horizontals run along the middle.
    rows = activity_rows(ALL_WORKFLOWS[app])
    for cell in [c for row in rows for c in [*row.cells, *row.section_cells]]:
        for position, size in _layers(cell.style):
            horizontal = size.endswith(" 1.2px")
            assert position.split()[1] == "center" if horizontal else position.split()[0] == "center", cell.style


def test_a_line_to_another_executor_leaves_the_symbols_side_and_enters_the_next_from_above():
    # Ticket: "checked" (officer, column 0) leads to "decided" (head, column 1).
    rows = activity_rows(TICKET_WORKFLOW)
    checked, decided = rows[1], rows[2]
    assert checked.cells[0].segments == {"top", "right"}  # in from above, out by its right side
    assert checked.cells[1].segments == {"left", "bottom"}  # along the middle of the row, then down
    assert decided.cells[1].segments == {"top", "left"}  # in from above; the approval leaves by its left side
    assert decided.cells[1].arrow
    assert decided.cells[0].segments == {"right", "bottom"}  # ... and turns down to "processed"


@pytest.mark.parametrize("app", sorted(ALL_WORKFLOWS))
def test_every_line_into_a_symbol_comes_from_above_with_an_arrowhead(app):
    workflow = ALL_WORKFLOWS[app]
    for row in activity_rows(workflow):
        cell = row.cells[_symbol_column(row)]
        if row.step.code in workflow.initial_statuses:
            assert "top" not in cell.segments and not cell.arrow
        else:
            assert "top" in cell.segments and cell.arrow, row.step.code


@pytest.mark.parametrize("app", sorted(ALL_WORKFLOWS))
def test_both_branches_of_every_decision_are_labelled(app):
    workflow = ALL_WORKFLOWS[app]
    rows = activity_rows(workflow)
    decisions = [(row, step) for row, step in zip(rows, workflow.steps) if step.is_decision]
    assert decisions or app == "cases"
    for row, step in decisions:
        printed = [label for cell in row.cells for label in cell.labels.values()]
        printed += [text for cell in row.cells for out in cell.exits for text in (out.label, out.outcome)]
        for branch in step.branches:
            assert str(branch.label) in printed, branch.label
    html = _render(workflow)
    for _, step in decisions:
        for branch in step.branches:
            assert str(branch.label) in html


def test_a_branch_that_leaves_the_table_ends_in_a_terminator_below_its_diamond():
    rows = activity_rows(TICKET_WORKFLOW)
    decided = rows[2].cells[1]
    assert decided.exits == [Exit(side="bottom", label="Tolak", outcome="Ditolak", ends=True)]
    assert "bottom" not in decided.segments  # the approval leaves by the side; nothing else runs down
    assert decided.labels == {}
    assert rows[2].cells[0].labels == {"right": "Setujui"}  # above the approval's line, next to the diamond
    html = _render(TICKET_WORKFLOW)
    assert '<span class="flow-label">Tolak</span><span class="flow-end flow-from-top">Ditolak</span>' in html


@pytest.mark.parametrize("app", sorted(ALL_WORKFLOWS))
def test_every_branch_that_leaves_the_table_takes_a_side_no_line_runs_on(app):
    for row in activity_rows(ALL_WORKFLOWS[app]):
        a = _symbol_column(row)
        for out in row.cells[a].exits:
            assert out.outcome
            if out.side == "bottom":
                assert "bottom" not in row.cells[a].segments
            else:
                beside = row.cells[a + (1 if out.side == "right" else -1)]
                assert beside.end is out and not beside.symbol
                assert beside.segments == {"left" if out.side == "right" else "right"}


def test_a_decision_that_goes_on_down_its_column_leaves_the_table_by_the_side():
    rows = activity_rows(SIDEWAYS_WORKFLOW)
    checked = rows[1]
    assert checked.cells[1].labels == {"bottom": "Ya"}
    assert checked.cells[1].segments == {"top", "bottom", "right"}
    assert checked.cells[1].exits == [Exit(side="right", label="Tidak", outcome="Ditolak", ends=True)]
    assert checked.cells[2].end == checked.cells[1].exits[0]
    assert '<span class="flow-end flow-from-left">Ditolak</span>' in _render(SIDEWAYS_WORKFLOW)


def test_a_branch_back_to_an_earlier_step_names_that_step():
    reviewed = activity_rows(SIDEWAYS_WORKFLOW)[3]
    assert reviewed.cells[0].exits == [Exit(side="right", label="Perbaiki", outcome="Kembali ke langkah 3", ends=False)]
    assert '<span class="flow-note flow-from-left">Kembali ke langkah 3</span>' in _render(SIDEWAYS_WORKFLOW)


def test_a_line_that_would_run_through_another_symbol_is_refused():
    # "request" leads to "approved" in the head's column, past "checked", which stands there.
    workflow = dataclasses.replace(
        SIDEWAYS_WORKFLOW,
        steps=(
            Step("request", "1", "Permohonan", executor="officer", next="approved"),
            Step("checked", "2", "Pemeriksaan", executor="head"),
            Step("approved", "3", "Persetujuan", executor="head"),
        ),
    )
    with pytest.raises(ValueError, match="would run through step checked"):
        activity_rows(workflow)


def test_alternative_start_steps_both_lead_into_the_step_they_name():
    workflow = WORKFLOWS["alokon"]
    rows = {r.step.code: r for r in activity_rows(workflow)}
    columns = [e.code for e in workflow.executors]
    faskes, storekeeper, secretary = columns.index("faskes"), columns.index("storekeeper"), columns.index("secretary")
    # 1a (faskes) crosses over to the secretary's column and runs down it; 1b (storekeeper) joins it.
    assert rows["request"].cells[faskes].symbol == "terminator"
    assert rows["request"].cells[storekeeper].segments == {"left", "right"}
    assert rows["routine_plan"].cells[storekeeper].symbol == "terminator"
    assert rows["routine_plan"].cells[secretary].segments == {"top", "bottom", "left"}
    assert rows["spmb"].cells[secretary].arrow


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
    assert receipt.section_cells[columns.index("faskes")].segments == {"top", "bottom"}
    assert not any(c.segments for i, c in enumerate(receipt.section_cells) if i != columns.index("faskes"))
    assert 'class="section-title"' in _render(workflow)


def test_a_section_heading_and_its_first_step_share_a_row_group():
    # A row group does not split over pages (sop.css): the heading never stays behind at a page's foot.
    html = _render(WORKFLOWS["alokon"])
    groups = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    assert len(groups) == len(WORKFLOWS["alokon"].steps)
    second = next(g for g in groups if "II. Penggunaan" in g)
    assert second.count('class="sop-step"') == 1 and "Menerima dan mencatat alat kontrasepsi" in second


@pytest.mark.parametrize(
    "app, drawn",
    [
        ("cases", ["Terminator", "Proses", "Panah"]),
        ("alokon", ["Terminator", "Proses", "Keputusan", "Panah"]),
        ("identitas", ["Terminator", "Proses", "Keputusan", "Panah"]),
    ],
)
def test_the_legend_lists_only_the_symbols_the_table_draws(app, drawn):
    legend = _legend(WORKFLOWS[app])
    for name in ["Terminator", "Proses", "Keputusan", "Panah", "Penghubung antarhalaman"]:
        assert (f"<b>{name}</b>" in legend) == (name in drawn), name


def test_a_page_break_marks_a_connector_on_each_line_it_cuts_at_the_foot_and_at_the_head():
    workflow = WORKFLOWS["alokon"]
    rows = activity_rows(workflow)
    columns = [e.code for e in workflow.executors]
    mark_page_breaks(rows, {1, 3})  # pages end after the second and the fourth step
    # A line runs down the secretary's column out of row 1, and down the storekeeper's out of row 3.
    secretary, storekeeper = columns.index("secretary"), columns.index("storekeeper")
    assert [c.connector_below for c in rows[1].cells] == ["A" if i == secretary else "" for i in range(len(columns))]
    assert [c.connector_above for c in rows[2].cells] == ["A" if i == secretary else "" for i in range(len(columns))]
    assert [c.connector_below for c in rows[3].cells] == ["B" if i == storekeeper else "" for i in range(len(columns))]
    assert [c.connector_above for c in rows[4].cells] == ["B" if i == storekeeper else "" for i in range(len(columns))]
    assert not any(c.connector_above or c.connector_below for c in rows[0].cells + rows[5].cells)
    assert "connector" in rows.symbols


def test_a_connector_at_the_head_of_a_page_stands_in_the_section_heading_row():
    workflow = WORKFLOWS["alokon"]
    rows = activity_rows(workflow)
    i = next(i for i, row in enumerate(rows) if row.section.startswith("II."))
    mark_page_breaks(rows, {i - 1})
    faskes = [e.code for e in workflow.executors].index("faskes")
    assert rows[i - 1].cells[faskes].connector_below == "A"
    assert rows[i].section_cells[faskes].connector_above == "A"
    assert not any(c.connector_above for c in rows[i].cells)
    assert "flow-connect" in render_to_string(
        "publications/sop/_activity_table.html", {"workflow": workflow, "rows": rows}
    )


def test_marking_the_breaks_again_clears_the_earlier_marks():
    rows = activity_rows(WORKFLOWS["alokon"])
    mark_page_breaks(rows, {1})
    mark_page_breaks(rows, set())
    assert not any(c.connector_above or c.connector_below for row in rows for c in row.cells + row.section_cells)
    assert "connector" not in rows.symbols


def test_the_legend_lists_the_off_page_connector_once_one_is_drawn():
    rows = activity_rows(WORKFLOWS["alokon"])
    mark_page_breaks(rows, {1})
    assert "<b>Penghubung antarhalaman</b>" in render_to_string("publications/documents/_sop_legend.html", {"rows": rows})


def test_the_page_draws_no_connector():
    assert "flow-connect" not in _render(WORKFLOWS["alokon"])
