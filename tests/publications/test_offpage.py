"""Off-page connectors on the printed SOP sheet: a line cut by a page break is labelled at both ends."""

import re
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

import publications.publishing


def squash(text):
    return re.sub(r"\s+", "", text)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_each_page_break_in_the_table_carries_a_connector_at_the_foot_and_at_the_head(client, loaded, monkeypatch):
    marks = []
    real_mark = publications.publishing.mark_page_breaks

    def recording_mark(rows, breaks):
        real_mark(rows, breaks)
        marks.append([(rows[i], rows[i + 1], cell.connector_below) for i in sorted(breaks) for cell in rows[i].cells if cell.connector_below])

    monkeypatch.setattr(publications.publishing, "mark_page_breaks", recording_mark)
    response = client.get(reverse("public_sop_pdf", args=["alokon-ciamis"]))
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]

    assert marks and marks[-1], "the table runs over more than one page, with a line cut by each break"
    for last, first, label in marks[-1]:
        # The letter stands alone on a line of the extracted text, on two pages: where the line leaves and comes back,
        # which are the pages that the marked rows end and start.
        on = [n for n, text in enumerate(pages) if re.search(rf"(?m)^\s*{label}\s*$", text)]
        assert len(on) == 2 and on[1] == on[0] + 1, (label, on)
        leaves, comes_back = (squash(pages[n]) for n in on)
        assert squash(last.step.name) in leaves and squash(first.step.name) not in leaves
        assert squash(first.step.name) in comes_back and squash(last.step.name) not in comes_back
    assert "Penghubung antarhalaman" in "".join(pages)
