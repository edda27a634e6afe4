"""The SOP activity table drawn as a PermenPAN-RB 35/2012 flowchart, from a workflow.

Each step is a row; its symbol stands in its executor's column, in the middle
of its cell. A line to a step in another column leaves the side of the symbol
along the middle of the row, turns down the target's column and enters the
target symbol from above with an arrowhead; a line to the same column runs
straight down. Lines never run on a row's border, where they would read as the
table's grid. Lines are cell backgrounds, so they stretch with the row's height
in a browser and in WeasyPrint alike. On paper, a line cut by a page break ends
in an off-page connector at the foot of the page and goes on from one at the head
of the next (mark_page_breaks, given the breaks of a first layout).

A decision labels each of its branches beside the line it leaves by. A branch
that leaves the table (to a final status such as "ditolak", or back to an
earlier step) takes a side of the symbol no other line uses: below it, or else
into an empty neighbouring cell, and ends there in an end terminator (or a note
naming the step it returns to), so that no line runs through its text.
"""

from dataclasses import dataclass, field
from itertools import cycle
from urllib.parse import quote

from django.utils.translation import gettext

# A black pixel, stretched into each line segment. WeasyPrint ignores
# background-size on gradients, so the lines are a tiny SVG image instead.
_PIXEL = (
    "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'%3E"
    "%3Crect width='1' height='1' fill='black'/%3E%3C/svg%3E\")"
)
# Line segments a cell may carry: (background-position, background-size).
# Vertical halves run down the middle of the column; horizontal halves run
# along the middle of the row, where the symbol's side is.
_SEGMENTS = {
    "top": ("center top", "1.2px 50%"),
    "bottom": ("center bottom", "1.2px 50%"),
    "left": ("left center", "50% 1.2px"),
    "right": ("right center", "50% 1.2px"),
}


@dataclass
class Exit:
    """A branch that leaves the table, drawn beside its symbol."""

    side: str  # "bottom", "right" or "left": the side of the symbol no other line uses
    label: str  # the branch's label, e.g. "Tolak"; empty for a step that is not a decision
    outcome: str  # where it leads, e.g. "Ditolak"
    ends: bool  # True: the service ends there (an end terminator); False: it returns to an earlier step


@dataclass
class FlowCell:
    symbol: str = ""  # "terminator", "process" or "decision" where the step stands
    arrow: bool = False  # a line arrives at the symbol from above
    segments: set = field(default_factory=set)
    # Branch labels drawn in this cell: "left"/"right" above the line in that half of the cell (the half
    # next to the decision), "bottom" beside the line below this cell's symbol.
    labels: dict = field(default_factory=dict)
    exits: list = field(default_factory=list)  # Exit: branches of this cell's symbol that leave the table
    end: Exit | None = None  # an Exit of the neighbouring symbol, ending in this empty cell
    # Off-page connectors (printed only; see mark_page_breaks): the letter of a line cut by a page
    # break, at the foot of this cell where the line leaves the page, or at its head where it comes back.
    connector_below: str = ""
    connector_above: str = ""

    @property
    def exit_below(self):
        """The branch that leaves the table below this cell's symbol, if any (at most one fits there)."""
        return next((e for e in self.exits if e.side == "bottom"), None)

    @property
    def style(self):
        # Connectors first: the top layers, over the line they end.
        ends = (("top", self.connector_above), ("bottom", self.connector_below))
        connectors = [_connector(letter, side) for side, letter in ends if letter]
        if not self.segments and not connectors:
            return ""
        layers = [(position, size) for _, position, size in connectors] + [_SEGMENTS[s] for s in sorted(self.segments)]
        return (
            "background-image: " + ", ".join([image for image, _, _ in connectors] + [_PIXEL] * len(self.segments))
            + "; background-position: " + ", ".join(position for position, _ in layers)
            + "; background-size: " + ", ".join(size for _, size in layers)
            + "; background-repeat: no-repeat"
        )


def _connector(letter, side):
    """An off-page connector as a background layer (image, position, size): a pentagon pointing down with its
    letter, at the `side` ("top" or "bottom") of the cell, clear of the grid.

    A background, like the lines, because a cell's background fills the row's height on paper, where an
    absolutely placed box would stand at the foot of the cell's content instead. A white strip under it
    hides the line between it and the grid, so that the line ends at the connector.
    """
    y = 0 if side == "bottom" else 5  # the pentagon's top; the strip takes the other 5 units
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='26' viewBox='0 0 20 26'>"
        f"<rect x='8' y='{21 if side == 'bottom' else 0}' width='4' height='5' fill='white'/>"
        f"<polygon points='1,{y + 1} 19,{y + 1} 19,{y + 14} 10,{y + 21} 1,{y + 14}' fill='white' stroke='black' stroke-width='1.4'/>"
        f"<text x='10' y='{y + 12}' text-anchor='middle' font-family='Liberation Sans' font-weight='bold' font-size='10'>{letter}</text></svg>"
    )
    return f'url("data:image/svg+xml,{quote(svg)}")', f"center {side}", "4.4mm 5.7mm"


@dataclass
class ActivityRow:
    step: object
    section: str  # a heading printed before this row, when the section changes
    cells: list  # one FlowCell per executor column
    section_cells: list  # the heading row's executor cells, so lines run on through it


class ActivityRows(list):
    """The rows of an activity table; `symbols` are the legend's entries: what the rows draw."""

    @property
    def symbols(self) -> set[str]:
        cells = [cell for row in self for cell in row.cells]
        drawn = {cell.symbol for cell in cells if cell.symbol}
        if any(cell.arrow or cell.exits for cell in cells):
            drawn.add("arrow")
        if any(cell.connector_below for cell in cells):
            drawn.add("connector")
        return drawn


def activity_rows(workflow) -> ActivityRows:
    steps = list(workflow.steps)
    columns = [e.code for e in workflow.executors]
    index = {s.code: i for i, s in enumerate(steps)}
    rows = ActivityRows()
    previous_section = ""
    for step in steps:
        cells = [FlowCell() for _ in columns]
        cells[columns.index(step.executor)].symbol = workflow.symbol(step)
        section = step.section if step.section != previous_section else ""
        previous_section = step.section
        rows.append(ActivityRow(step, section, cells, [FlowCell() for _ in columns] if section else []))

    for i, step in enumerate(steps):
        a = columns.index(step.executor)
        cells = rows[i].cells
        leaving = []
        for label, target in _branches(workflow, step):
            j = index.get(target)
            if j is None and i == len(steps) - 1:
                continue  # the last step is the end terminator itself
            if j is None or j <= i:
                leaving.append((label, target, j))
                continue
            b = columns.index(steps[j].executor)
            side = "bottom" if a == b else "right" if b > a else "left"
            if side in cells[a].segments:
                raise ValueError(f"two branches of step {step.code} leave its symbol on the {side}")
            _draw(rows, i, j, a, b)
            if label and side == "bottom":
                cells[a].labels["bottom"] = label
            elif label:  # in the half of the next cell where the line comes in, which holds nothing else
                cells[_beside(a, side)].labels[_OPPOSITE[side]] = label
        # Placed once the step's lines are drawn, so that they take a side no line uses.
        for label, target, j in leaving:
            if j is None:
                outcome, ends = str(workflow.status_label(target)), True
            else:
                outcome, ends = gettext("Kembali ke langkah %(number)s") % {"number": steps[j].number}, False
            out = Exit(_free_side(cells, a, step), label, outcome, ends)
            cells[a].exits.append(out)
            if out.side != "bottom":
                n = _beside(a, out.side)
                cells[a].segments.add(out.side)
                cells[n].segments.add(_OPPOSITE[out.side])
                cells[n].end = out
    return rows


def mark_page_breaks(rows, breaks) -> None:
    """Marks off-page connectors where the printed table breaks after the rows at indexes `breaks`.

    Each line that runs down out of such a row gets a letter (A, B, ...), drawn at the foot of its column
    in that row and at the head of the same column in the next page's first row: its section heading,
    when it has one. Marks of an earlier layout are cleared first.
    """
    for row in rows:
        for cell in row.cells + row.section_cells:
            cell.connector_below = cell.connector_above = ""
    letters = cycle("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for i in sorted(breaks):
        if i + 1 >= len(rows):
            continue
        after = rows[i + 1]
        for b, cell in enumerate(rows[i].cells):
            if "bottom" in cell.segments:
                cell.connector_below = next(letters)
                (after.section_cells if after.section else after.cells)[b].connector_above = cell.connector_below


_OPPOSITE = {"left": "right", "right": "left"}


def _beside(column, side):
    return column + 1 if side == "right" else column - 1


def _branches(workflow, step) -> list[tuple[str, str]]:
    """(label, target) of each way out of a step; a step that is not a decision has one, unlabelled."""
    if step.is_decision:
        return [(str(b.label), b.next) for b in step.branches]
    return [("", workflow.next_of(step))]


def _draw(rows, i, j, a, b):
    """A line from row i's symbol in column a to row j's symbol in column b (j > i).

    It leaves the symbol's side along the middle of row i to column b, then runs
    down column b into the top of row j's symbol.
    """
    if a != b:
        low, high = sorted((a, b))
        rows[i].cells[low].segments.add("right")
        rows[i].cells[high].segments.add("left")
        for k in range(low + 1, high):
            rows[i].cells[k].segments.update({"left", "right"})
    rows[i].cells[b].segments.add("bottom")
    for k in range(i + 1, j + 1):
        if rows[k].section:
            rows[k].section_cells[b].segments.update({"top", "bottom"})
        if k < j:
            if rows[k].cells[b].symbol:
                # It would read as two steps in a row; the declaration needs another order of steps.
                raise ValueError(f"the line into step {rows[j].step.code} would run through step {rows[k].step.code}")
            rows[k].cells[b].segments.update({"top", "bottom"})
    rows[j].cells[b].segments.add("top")
    rows[j].cells[b].arrow = True


def _free_side(cells, a, step) -> str:
    """The side of column a's symbol where a branch can leave the table without crossing a line.

    Below the symbol when no line runs down from it; else beside it, over a
    neighbouring cell that is empty, so that the exit's text stands clear.
    """
    symbol = cells[a]
    taken = symbol.segments | {e.side for e in symbol.exits}
    if "bottom" not in taken:
        return "bottom"
    for side in ("right", "left"):
        n = _beside(a, side)
        if side not in taken and 0 <= n < len(cells) and not cells[n].symbol and not cells[n].segments:
            return side
    raise ValueError(f"no free side beside step {step.code} for a branch that leaves the table")
