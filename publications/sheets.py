"""The SOP activity table drawn as a PermenPAN-RB 35/2012 flowchart, from a workflow.

Each step is a row; its symbol stands in its executor's column; connecting
lines run down the executor columns and cross over at the top of the row they
lead into. Lines are cell backgrounds, so they stretch with the row's height in
a browser and in WeasyPrint alike.
"""

from dataclasses import dataclass, field

# A black pixel, stretched into each line segment. WeasyPrint ignores
# background-size on gradients, so the lines are a tiny SVG image instead.
_PIXEL = (
    "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'%3E"
    "%3Crect width='1' height='1' fill='black'/%3E%3C/svg%3E\")"
)
# Line segments a cell may carry: (background-position, background-size).
_SEGMENTS = {
    "top": ("center top", "1.2px 50%"),
    "bottom": ("center bottom", "1.2px 50%"),
    "left": ("left top", "50% 1.2px"),
    "right": ("right top", "50% 1.2px"),
}


@dataclass
class FlowCell:
    symbol: str = ""  # "terminator", "process" or "decision" where the step stands
    arrow: bool = False  # a line arrives at the symbol from above
    segments: set = field(default_factory=set)

    @property
    def style(self):
        if not self.segments:
            return ""
        layers = [_SEGMENTS[s] for s in sorted(self.segments)]
        return (
            "background-image: " + ", ".join([_PIXEL] * len(layers))
            + "; background-position: " + ", ".join(position for position, _ in layers)
            + "; background-size: " + ", ".join(size for _, size in layers)
            + "; background-repeat: no-repeat"
        )


@dataclass
class ActivityRow:
    step: object
    section: str  # a heading printed before this row, when the section changes
    cells: list  # one FlowCell per executor column
    exits: list  # decision branches that leave the table, as text
    section_cells: list  # the heading row's executor cells, so lines run on through it


def activity_rows(workflow) -> list[ActivityRow]:
    steps = list(workflow.steps)
    columns = [e.code for e in workflow.executors]
    index = {s.code: i for i, s in enumerate(steps)}
    rows = []
    previous_section = ""
    for step in steps:
        cells = [FlowCell() for _ in columns]
        cells[columns.index(step.executor)].symbol = workflow.symbol(step)
        section = step.section if step.section != previous_section else ""
        previous_section = step.section
        rows.append(ActivityRow(step, section, cells, [], [FlowCell() for _ in columns] if section else []))

    for i, step in enumerate(steps):
        targets = [b.next for b in step.branches] if step.is_decision else [workflow.next_of(step)]
        for target in targets:
            j = index.get(target)
            if j is None or j <= i:
                branch = next((b for b in step.branches if b.next == target), None)
                if branch is not None:
                    label, outcome = str(branch.label), str(workflow.status_label(target))
                    rows[i].exits.append(label if label == outcome else f"{label}: {outcome}")
                continue
            _draw(rows, i, j, columns.index(step.executor), columns.index(steps[j].executor))
    return rows


def _draw(rows, i, j, a, b):
    """A line from row i's symbol in column a to row j's symbol in column b (j > i)."""
    rows[i].cells[a].segments.add("bottom")
    for k in range(i + 1, j + 1):
        if rows[k].section:
            rows[k].section_cells[a].segments.update({"top", "bottom"})
        if k < j:
            rows[k].cells[a].segments.update({"top", "bottom"})
    target = rows[j].cells
    target[b].segments.add("top")
    target[b].arrow = True
    if a != b:
        low, high = sorted((a, b))
        target[low].segments.add("right")
        target[high].segments.add("left")
        for k in range(low + 1, high):
            target[k].segments.update({"left", "right"})
