"""The published documents reproduce the seeds' numbers and legal citations exactly as enacted,
and list every difference from the paper in their Catatan penyusunan."""

import re
from io import BytesIO

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from publications.models import Decree, DraftingNote

SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"
# Identifiers and citations as the seeds print them, including the ones that look wrong.
AS_ENACTED = {
    ("public_sop_pdf", "p2tp2a-ciamis"): [
        "00.8.3.3/1953 - DPPKBPPPA.1",
        "NIP. 196712131993011001",
        "Undang-undang Nomor 23 2004 tentang Penghapusan Kekerasan dalam Rumah Tangga",
        "2020 tentang Perubahan Atas Peraturan Daerah Kabupaten Ciamis Nomor 8 Tahun 2016",
    ],
    ("public_standard_pdf", "p2tp2a-ciamis"): [
        "Undang-undang Nomor 23 2004 tentang Penghapusan Kekerasan dalam Rumah Tangga",
        "Peraturan Bupati Ciamis Nomor 74 Tahun 2021",
    ],
    ("public_sop_pdf", "alokon-ciamis"): ["NIP. 19671213 199301 1 001"],
    ("public_decree_pdf", None): [
        "000.8.3.3 / Kpts.122 - DPPKBPPPA.1",
        "Kabupaten Ciamis Tahun 2015-2025;",
        "Peraturan Bupati Ciamis, Nomor 74 Tahun tentang Tugas",
        "Perlindungan Anak .",
    ],
}


def squash(text):
    return re.sub(r"\s+", "", text)


# The mark beside a text kept as printed, squashed; read around it to find the text whole.
AS_PRINTED_MARK = re.compile(r"\(tertulisdemikiandalamdokumenasli;lihatCatatanpenyusunan\d+\)")


def pdf_text(client, name, arg, marks=False):
    response = client.get(reverse(name, args=[arg]))
    assert response.status_code == 200
    text = squash("".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages))
    return text if marks else AS_PRINTED_MARK.sub("", text)


def document_pdf(note):
    if note.document == DraftingNote.Document.DECREE:
        return "public_decree_pdf", note.decree_id
    return {"standard": "public_standard_pdf", "sop": "public_sop_pdf"}[note.document], note.service_id


def seed_text():
    return squash(" ".join(path.read_text() for path in sorted(SEEDS.glob("*.txt"))))


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents are beside the project, not in it")
def test_the_identifiers_checked_here_are_the_seeds_own_words():
    seeds = seed_text()
    for identifiers in AS_ENACTED.values():
        for identifier in identifiers:
            assert squash(identifier) in seeds, identifier


@pytest.mark.parametrize("name, slug", list(AS_ENACTED))
def test_every_identifier_and_citation_is_printed_as_enacted(client, loaded, name, slug):
    printed = pdf_text(client, name, slug or Decree.objects.get().pk)
    for identifier in AS_ENACTED[(name, slug)]:
        assert squash(identifier) in printed, identifier


def test_every_note_is_listed_in_its_documents_catatan_penyusunan(client, loaded):
    notes = DraftingNote.objects.all()
    assert notes.filter(kind="correction").count() >= 10 and notes.filter(kind="as_printed").count() >= 5
    by_document = {}
    for note in notes:
        by_document.setdefault(document_pdf(note), []).append(note)
    for (name, arg), document_notes in by_document.items():
        printed = pdf_text(client, name, arg)
        assert "Catatanpenyusunan" in printed, name
        for note in document_notes:
            if note.kind == "correction":
                expected = f'Salah ketik diperbaiki: tertulis "{note.as_printed}", ditampilkan "{note.as_shown}".'
            elif note.kind == "as_printed":
                expected = f'"{note.as_printed}": tertulis demikian dalam dokumen asli'
            else:
                expected = f"{note.as_shown}: tidak ada dalam dokumen asli; belum dikonfirmasi instansi."
            assert squash(expected) in printed, (name, arg, note.code)


def test_a_text_kept_as_printed_is_marked_beside_it(client, loaded):
    printed = pdf_text(client, "public_sop_pdf", "p2tp2a-ciamis", marks=True)
    note = DraftingNote.objects.get(code="p2tp2a-sop-nomor")
    number = [n.code for n in DraftingNote.objects.filter(service="p2tp2a-ciamis", document="sop").order_by("order")].index(note.code) + 1
    assert squash(f"00.8.3.3/1953 - DPPKBPPPA.1 (tertulis demikian dalam dokumen asli; lihat Catatan penyusunan {number})") in printed


def test_an_addition_leaves_the_list_once_the_agency_confirms_it(client, loaded, make_user):
    note = DraftingNote.objects.get(code="keputusan-penanda-tangan")
    pk = note.decree_id
    assert squash(note.as_shown) + squash(": tidak ada dalam dokumen asli") in pdf_text(client, "public_decree_pdf", pk)
    note.confirmed_at = timezone.now()
    note.save()
    from publications.publishing import publish_all

    publish_all(stale_only=True)
    # The decree's Lampiran still lists the enacted sheets' own unconfirmed additions.
    assert squash(note.as_shown) + squash(": tidak ada dalam dokumen asli") not in pdf_text(client, "public_decree_pdf", pk)
    # The corrections and texts kept as printed stay listed.
    assert "tertulisdemikiandalamdokumenasli" in pdf_text(client, "public_decree_pdf", pk, marks=True)


def test_the_ppks_sheet_is_marked_as_a_draft_until_the_purwakarta_admin_fills_it_in(client, loaded, make_user):
    from portal.models import Unit
    from portal.roles import Role
    from publications.models import SOPDocument
    from publications.publishing import publish_all

    draft = squash("RANCANGAN - belum ditetapkan")
    printed = pdf_text(client, "public_sop_pdf", "identitas-ppks-purwakarta")
    assert printed.count(draft) == len(PdfReader(BytesIO(
        client.get(reverse("public_sop_pdf", args=["identitas-ppks-purwakarta"])).content
    )).pages), "the mark stands on every page"
    assert draft not in pdf_text(client, "public_sop_pdf", "alokon-ciamis")

    admin_user = make_user(Unit.objects.get(code="dinsos-p3a-purwakarta"), Role.ADMIN)
    admin_user.is_staff = True
    admin_user.save()
    sop = SOPDocument.objects.get(service="identitas-ppks-purwakarta")
    admin = Client()
    admin.force_login(admin_user)
    fields = {f.name: getattr(sop, f.attname) for f in SOPDocument._meta.fields if f.name != "id"}
    response = admin.post(
        reverse("admin:publications_sopdocument_change", args=[sop.pk]),
        {**fields, "number": "400.9/77/Rehdayasos", "approved_on": "6 Januari 2025", "approver_name": "Nama Pengesah"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    publish_all(stale_only=True)  # done on commit in production
    assert draft not in pdf_text(client, "public_sop_pdf", "identitas-ppks-purwakarta")


def test_the_public_pages_show_the_catatan_penyusunan_and_the_draft_mark(client, loaded):
    sop_page = client.get(reverse("public_sop", args=["identitas-ppks-purwakarta"])).content.decode()
    assert "RANCANGAN - belum ditetapkan" in sop_page
    assert "Catatan penyusunan" in sop_page and "Kolom output setiap langkah" in sop_page
    assert "RANCANGAN" not in client.get(reverse("public_sop", args=["p2tp2a-ciamis"])).content.decode()
    decree_page = client.get(reverse("public_decree", args=[Decree.objects.get().pk])).content.decode()
    assert "Nomor 74 Tahun tentang" in decree_page
    assert "tertulis demikian dalam dokumen asli" in decree_page


def test_an_older_version_prints_the_notes_as_they_stood_then(client, loaded):
    from publications import versions

    before = timezone.now()
    note = DraftingNote.objects.get(code="ppks-sop-output")
    note.confirmed_at = timezone.now()
    note.save()
    old = client.get(reverse("public_sop", args=["identitas-ppks-purwakarta"]), {"versi": versions.version_param(before)})
    assert old.status_code == 200
    assert "Kolom output setiap langkah" in old.content.decode()
    response = client.get(reverse("public_sop_pdf", args=["identitas-ppks-purwakarta"]), {"versi": versions.version_param(before)})
    text = squash("".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages))
    assert squash("Kolom output setiap langkah") in text
    decree = Decree.objects.get()
    old_decree = client.get(reverse("public_decree", args=[decree.pk]), {"versi": versions.version_param(before)})
    assert "tertulis demikian dalam dokumen asli" in old_decree.content.decode()


def test_the_sop_header_cell_names_the_agency_as_printed(client, loaded):
    printed = pdf_text(client, "public_sop_pdf", "p2tp2a-ciamis")
    assert squash(
        "PEMERINTAH KABUPATEN CIAMIS DINAS PENGENDALIAN PENDUDUK, KELUARGA BERENCANA, PEMBERDAYAAN PEREMPUAN DAN"
        " PERLINDUNGAN ANAK KABUPATEN CIAMIS"
    ) in printed


def test_the_footer_prints_the_documents_own_date_and_when_the_file_was_made(client, loaded):
    printed = pdf_text(client, "public_sop_pdf", "alokon-ciamis")
    assert squash("Tanggal efektif Nopember 2024 · Dicetak pada") in printed
    assert "Versiper" not in printed
    decree = pdf_text(client, "public_decree_pdf", Decree.objects.get().pk)
    assert squash("Ditetapkan Nopember 2024 · Dicetak pada") in decree
    # A standard whose paper names no date prints only when the file was made.
    standard = pdf_text(client, "public_standard_pdf", "alokon-ciamis")
    assert "Dicetakpada" in standard and "Tanggalefektif" not in standard
