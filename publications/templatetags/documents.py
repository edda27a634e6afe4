"""Filters for the texts of service standards, SOP sheets and decrees, and the agencies' contacts beside them."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# A list item: two spaces per nesting level, then "a.", "1." or "-", a space and the text.
LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[a-z]\.|\d+\.|-) +(?P<text>\S.*)$")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass
class _Item:
    marker: str
    lines: list
    children: list = field(default_factory=list)


@register.filter(is_safe=True)
def content_html(text):
    """Render the plain-text markup of a standard's Uraian as HTML, escaping the text.

    Blank lines separate blocks. A block's lines up to its first list item are a paragraph
    (line breaks kept). From there on, a line starting with "a. ", "1. " or "- " is a list
    item, one level deeper per two leading spaces; any other line continues the item above.
    Markers stay printed text, as in the seeds, so lists carry no browser numbering.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    html = []
    for block in BLANK_LINE.split(text) if text else []:
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        first_item = next((i for i, line in enumerate(lines) if LIST_ITEM.match(line)), len(lines))
        if first_item:
            html.append("<p>" + "<br>".join(escape(line.strip()) for line in lines[:first_item]) + "</p>")
        if first_item < len(lines):
            html.append(_list_html(_parse_items(lines[first_item:])))
    return mark_safe("\n".join(html))


def _parse_items(lines):
    top = []
    open_lists = [top]  # open_lists[n]: the list at nesting level n
    item = None
    for line in lines:
        match = LIST_ITEM.match(line)
        if match is None:
            item.lines.append(line.strip())
            continue
        # At most one level deeper than the item above.
        level = min(len(match["indent"]) // 2, len(open_lists) if top else 0)
        if level == len(open_lists):
            open_lists.append(open_lists[-1][-1].children)
        del open_lists[level + 1 :]
        item = _Item(match["marker"], [match["text"]])
        open_lists[level].append(item)
    return top


def _list_html(items):
    tag = "ul" if items[0].marker == "-" else "ol"
    html = [f'<{tag} class="content-list" style="list-style: none">']
    for item in items:
        body = "<br>".join(escape(line) for line in item.lines)
        children = _list_html(item.children) if item.children else ""
        html.append(f'<li><span class="marker">{escape(item.marker)}</span> {body}{children}</li>')
    html.append(f"</{tag}>")
    return "".join(html)


@register.filter(is_safe=True)
def as_printed_marked(value, notes):
    """The text, with each "tertulis demikian" note of the document marked right after the words it keeps.

    `notes` are the document's listed DraftingNotes, each with its `number` in the Catatan
    penyusunan. Plain text is escaped first; HTML from content_html is marked as it is.
    """
    html = str(value) if hasattr(value, "__html__") else escape(value)
    for note in notes:
        printed = escape(note.as_printed)
        if note.kind != note.Kind.AS_PRINTED or not printed or printed not in html:
            continue
        mark = _('(tertulis demikian dalam dokumen asli; lihat Catatan penyusunan %(number)s)') % {"number": note.number}
        html = html.replace(printed, f'{printed} <span class="as-printed">{escape(mark)}</span>', 1)
    return mark_safe(html)


@register.filter
def website_url(value):
    """The http(s) address a unit's Laman links to ("https://" before a bare host), or "" for any other scheme.

    The Laman is free text: "javascript://%0A..." would otherwise be a link that runs a script on a public page.
    """
    value = (value or "").strip()
    url = value if urlsplit(value).scheme else f"https://{value}"
    return url if value and urlsplit(url).scheme.lower() in ("http", "https") else ""
