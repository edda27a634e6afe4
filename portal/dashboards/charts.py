"""Bar charts drawn on the server: the geometry of an SVG that templates/dashboards/_chart.html writes inline, with
no script and nothing fetched. Each chart carries a title and a description in words for screen readers; its page
prints the same figures in a table beside it, which is also what a printout and a phone read best.

Coordinates are whole units of the chart's viewBox (WIDTH wide), which the page scales to its width. A figure
not printed as a number ("<5", portal.small_counts) gets no bar: its length would give it away.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH = 400
# Horizontal bars: a row per bar, its label above it.
ROW = 38
BAR = 14
VALUE_ROOM = 56  # right of the longest bar, for its value
# Vertical bars: the plot's height, and room above for the values and below for the labels.
PLOT = 150
TOP = 18
BOTTOM = 40
LABEL_CHARACTERS = 58


@dataclass
class Bar:
    label: str
    text: str  # the value as printed
    x: int
    y: int
    width: int  # 0: no bar (no value, or one not printed as a number)
    height: int
    label_x: int
    label_y: int
    text_x: int
    text_y: int
    sublabel: str = ""  # vertical charts: a second line under the label (the year under January)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    height: int
    bars: list
    vertical: bool
    width: int = WIDTH
    baseline: int = 0  # vertical charts: the y of the columns' foot


def _scale(rows, maximum):
    values = [value for _label, value, _printed in rows if value is not None]
    return maximum or max(values, default=0) or 1


def _description(rows, unit):
    """The chart in words: how many bars, and the highest of the figures printed as numbers."""
    values = [(value, label, text) for label, value, text in rows if value is not None]
    if not values:
        return _("Belum ada angka untuk digambar. Angkanya ada pada tabel di bawah.")
    _value, label, text = max(values, key=lambda item: item[0])
    return _("%(count)d batang. Tertinggi: %(label)s (%(text)s). Semua angka ada pada tabel di bawah.") % {
        "count": len(rows), "label": label, "text": _text(0, text, unit),
    }


def _text(value, text, unit):
    return f"{text}{unit}" if value is not None else str(text)


def _short(label):
    return label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"


def horizontal(chart_id, title, rows, *, maximum=None, unit="") -> Chart:
    """A bar per row, longest for the highest: `rows` are (label, value or None, text as printed)."""
    scale = _scale(rows, maximum)
    longest = WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value, text) in enumerate(rows):
        top = index * ROW
        width = round(longest * value / scale) if value else 0
        bars.append(Bar(
            label=_short(label), text=_text(value, text, unit), x=0, y=top + 18, width=width, height=BAR,
            label_x=0, label_y=top + 13, text_x=width + 4, text_y=top + 30,
        ))
    return Chart(chart_id, title, _description(rows, unit), len(rows) * ROW + 4, bars, vertical=False)


def vertical(chart_id, title, rows, *, maximum=None, unit="", sublabels=None) -> Chart:
    """A column per row, left to right (months): `rows` as for horizontal; `sublabels` a second line under each
    label ("" for none)."""
    scale = _scale(rows, maximum)
    slot = WIDTH // max(len(rows), 1)
    bars = []
    for index, (label, value, text) in enumerate(rows):
        height = round(PLOT * value / scale) if value else 0
        left, margin = index * slot, slot // 5
        middle = left + slot // 2
        bars.append(Bar(
            label=label, text=_text(value, text, unit), x=left + margin, y=TOP + PLOT - height,
            width=slot - 2 * margin if height else 0, height=height, label_x=middle, label_y=TOP + PLOT + 16,
            text_x=middle, text_y=TOP + PLOT - height - 4, sublabel=sublabels[index] if sublabels else "",
        ))
    return Chart(
        chart_id, title, _description(rows, unit), TOP + PLOT + BOTTOM, bars, vertical=True, baseline=TOP + PLOT
    )
