"""Every activity, rule or text the portal prints or runs that the paper does not say is a Catatan penyusunan of the
document it belongs to ("tidak ada dalam dokumen asli"), listed on its page and at the end of its PDF until the
agency confirms it."""

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from publications.models import Decree, DraftingNote
from tests.publications.test_printed_sheets import Printed, get_pdf

# What the audit of the published documents against the seeds found, by document.
ADDITIONS = {
    ("standard", "p2tp2a-ciamis"): ["p2tp2a-standar-jangka-waktu", "p2tp2a-standar-kontak", "p2tp2a-standar-sapa-129"],
    ("standard", "alokon-ciamis"): [
        "alokon-standar-jam-layanan", "alokon-standar-pengaduan", "alokon-standar-jangka-waktu", "alokon-standar-kontak",
    ],
    ("standard", "identitas-ppks-purwakarta"): [
        "ppks-standar-jam-layanan", "ppks-standar-jangka-waktu", "ppks-standar-menunggu-disdukcapil",
    ],
    ("sop", "p2tp2a-ciamis"): ["p2tp2a-sop-pelaksana", "p2tp2a-sop-lewati-langkah", "p2tp2a-sop-tutup-awal"],
    ("sop", "alokon-ciamis"): ["alokon-sop-pelaksana", "alokon-sop-baris-1", "alokon-sop-tolak-spmb"],
    ("sop", "identitas-ppks-purwakarta"): [
        "ppks-sop-lembar", "ppks-sop-pelaksana", "ppks-sop-output", "ppks-sop-keputusan-kajian",
    ],
    ("decree", None): ["keputusan-penanda-tangan", "keputusan-kepala-lampiran"],
}
PAGES = {"standard": ("public_standard", "public_standard_pdf"), "sop": ("public_sop", "public_sop_pdf")}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def urls(document, slug):
    if document == "decree":
        pk = Decree.objects.get().pk
        return reverse("public_decree", args=[pk]), ("public_decree_pdf", pk)
    page, pdf = PAGES[document]
    return reverse(page, args=[slug]), (pdf, slug)


def listed(note):
    return f"{note.as_shown}: tidak ada dalam dokumen asli; belum dikonfirmasi instansi. {note.explanation}"


def notes_section(page):
    """The text of a page's Catatan penyusunan."""
    section = re.search(r'<section class="drafting-notes">.*?</section>', page, flags=re.S)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_each_addition_the_audit_found_is_a_note_of_its_document(loaded):
    found = {}
    for note in DraftingNote.objects.filter(kind="addition").order_by("order"):
        key = (note.document, note.service_id if note.document != "decree" else None)
        found.setdefault(key, []).append(note.code)

    assert found == ADDITIONS


@pytest.mark.parametrize("document, slug", list(ADDITIONS))
def test_each_addition_is_listed_on_its_documents_page_and_pdf(client, loaded, document, slug):
    notes = [DraftingNote.objects.get(code=code) for code in ADDITIONS[(document, slug)]]
    page_url, (pdf_name, arg) = urls(document, slug)

    section = notes_section(client.get(page_url).content.decode())
    printed = Printed(get_pdf(client, pdf_name, arg).content)

    for note in notes:
        assert listed(note) in section, note.code
        assert listed(note) in printed, note.code


def test_the_decrees_lampiran_lists_the_additions_of_the_sheets_it_enacts(client, loaded):
    printed = Printed(get_pdf(client, "public_decree_pdf", Decree.objects.get().pk).content)

    for slug in ["p2tp2a-ciamis", "alokon-ciamis"]:
        for code in ADDITIONS[("sop", slug)]:
            assert listed(DraftingNote.objects.get(code=code)) in printed, code


def test_a_text_the_index_adds_to_a_standard_is_the_one_its_note_names(client, loaded):
    page = " ".join(html.unescape(client.get(reverse("public_index")).content.decode()).split())
    note = DraftingNote.objects.get(code="alokon-standar-pengaduan")

    assert re.search(r'"(.+)"', note.as_shown)[1] in page
