"""The enacted SOP sheets print exactly the rows of the seed's activity tables: no row more or less, each number
and text as enacted, a typo fixed only where a Catatan penyusunan says so. On the page, on the sheet's own PDF
and in the Lampiran of the decree that enacts it."""

import html
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from portal.models import sop_models
from publications.models import Decree, DraftingNote, SOPDocument
from publications.sheets import activity_rows
from tests.publications.test_decree_appendix import decree_pdf, sheets
from tests.publications.test_printed_sheets import Printed, get_pdf, squash

SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"

# The seed's rows, as printed (000_*.txt): a section heading, or (No, Uraian Kegiatan, Persyaratan/Kelengkapan,
# Waktu Penyelesaian, Out put). The P2TP2A table has nine rows; its ninth is "9 Proses Selesai".
ENACTED_ROWS = {
    "p2tp2a-ciamis": [
        ("1", "Pelapor/korban datang sendiri ke Petugas, atau Laporan dari masyarakat, atau laporan dari pemeriksaan "
              "medis dimana korban diperiksa", "", "", "Identitas korban tercatat dalam dokumen"),
        ("2", "Laporan diterima dan dicatat oleh Petugas P2TP2A", "", "", "Berkas Pengaduan kasus"),
        ("3", "Petugas melaksanakan verifikasi / pendampingan ke Lapangan/korban", "", "", "SPT penjangkauan"),
        ("4", "Petugas melaksanakan pencatatan/asesmen bagi korban ;", "", "", "Terdokumentasinya hasil asesmen"),
        ("5", "Memberikan aspek medis yaitu mendampingi RSUD untuk diperiksa", "", "",
         "Terfasilitasinya aspek medis korban, Dokumentasi"),
        ("6", "Memberikan fasilitasi aspek psikis yaitu merujuk korban ke Psikolog untuk di periksa secara psikis",
         "", "", "Terfasilitasinya aspek medis Psikologis, Dokumentasi pemeriksaan"),
        ("7", "Memberikan bantuan hukum untuk korban dengan menyediakan pengacara sebagai pendamping pada pemeriksaan "
              "dan penyidikan di Unit Polres, serta proses hukum di pengadilan", "", "",
         "Terfasilitasinya aspek hukum korban, Dokumentasi pendampingan hukum korban"),
        ("8", "Reinregrasi/Rehabilitas", "", "", "Terfasilitasinya aspek rehabilitas korban, Dokumentasi pendampingan"),
        ("9", "Proses Selesai", "", "", "Dokumentasi laporan penanganan kasus"),
    ],
    "alokon-ciamis": [
        "I. Penyimpanan dan Penyaluran Alat dan Obat Kontrasepsi Keluarga Berencana di Kabupaten Ciamis",
        # Row 1 holds activities a and b; each is printed as a row of its own (Catatan penyusunan alokon-sop-baris-1).
        ("1a", "Membuat Permintaan dan menerima alat dan obat kontrasepsi",
         "Surat Permohonan / Rensi Distribusi Rutin", "30 Menit", "Surat Permohonan / Rencana Distribusi Rutin"),
        ("1b", "Membuat rencana distribusi rutin dan menerima permintaan alat dan obat kontrasepsi",
         "Surat Permohonan / Rensi Distribusi Rutin", "30 Menit", "Surat Permohonan / Rencana Distribusi Rutin"),
        ("2", "Penertbitan SPMB", "SPMB", "", "SPMB yang disetujui"),
        ("3", "Menerima dan mengecek stok alkon dan mempersiapkan Penertbitan surat bukti Barang keluar (SBBK) serta "
              "pengepakan alat dan obat kontrasepsi", "SBBK dan Alokon", "", "SPMB yang telah disetujui"),
        ("4", "Menyalurkan alat obat kontrasepsi keluarga berencana ke fasilitas kesehatan yang terdaftar di aplikasi "
              "New SIGA sesuai dengan kebutuhan dan ketentuan yang berlaku", "SBBK dan Alokon", "3 hari",
         "Tersalurkannya alat dan obat kontrasepsi ke Faskes"),
        ("5", "berkoordinasi dengan UPTD Pengendalian Penduduk, Pemberdayaan Perempuan dan Perlindungan Anak di "
              "wilayah Kecamatan untuk melakukan pembinaan dan monitoring terkait penggunaan, pencatatan dan pelaporan "
              "penggunaan alat dan obat kontrasepsi keluarga berencana", "Arsip SBBK", "",
         "Terpantaunya dan tercatat penggunaan alat dan obat kontrasepsi di faskes"),
        "II. Penggunaan Alat dan Obat Kontrasepsi Keluarga Berencana di Fasilitas Kesehatan",
        ("6", "Menerima dan mencatat alat kontrasepsi yang didistribusikan oleh Dinas Pengendalian Penduduk, Keluarga "
              "Berencana, Pemberdayaan Perempuan dan Perlindungan Anak Kabupaten Ciamis sesuai dengan ketentuan yang "
              "berlaku;", "SBBK dan Alokon", "", "Tersedianya alat dan obat kontrasepsi di fasilitas kesehatan"),
        ("7", "Fasilitas Kesehatan memberikan pelayanan KB Kepada semua pasangan usia subur penerima iuran di fasilitas "
              "kesehatan tersebut baik peserta KB baru, ulang ataupun ganti cara", "Sarana Prasarana dan Alokon", "",
         "Terlayannya calon akseptor KB"),
        ("8", "fasilitas kesehatan selalu berkoordinasi dengan UPTD Pengendalian Penduduk Pemberdayaan Perempuan dan "
              "Perlindungan Anak di wilayah Kecamatan dalam melaksanakan kegiatan pelayanan KB", "", "",
         "Terlaporkannya hasil pelayanan KB melalui aplikasi New SIGA"),
        ("9", "Pencatatan dan Pelaporan", "", "", ""),
    ],
}
ENACTED = list(ENACTED_ROWS)
# The Waktu cell prints the workflow's unit ("3 Hari") where the seed writes "3 hari" (and "30 Menit"): the case of
# a unit after a number is not compared.
TIME = re.compile(r"(\d+) ?(menit|jam|hari|bulan)", re.IGNORECASE)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def as_shown(slug):
    """The seed's rows with the typos fixed that the sheet's Catatan penyusunan lists, and nothing else."""
    fixes = DraftingNote.objects.filter(service_id=slug, document="sop", kind="correction")

    def fixed(text):
        for note in fixes:
            text = text.replace(note.as_printed, note.as_shown)
        return text

    return [fixed(row) if isinstance(row, str) else tuple(fixed(cell) for cell in row) for row in ENACTED_ROWS[slug]]


def same_time(text):
    return TIME.sub(lambda match: f"{match[1]} {match[2].lower()}", text)


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents are beside the project, not in it")
def test_the_rows_checked_here_are_the_seeds_own_words():
    seed = squash(" ".join(path.read_text() for path in sorted(SEEDS.glob("000_*.txt"))))
    for rows in ENACTED_ROWS.values():
        for row in rows:
            for text in [row] if isinstance(row, str) else row[1:]:
                assert squash(text) in seed, text
    assert squash("9\tProses Selesai") + squash("Dokumentasi laporan penanganan kasus") in seed


def page_rows(page):
    """The activity table's rows as the page shows them: section headings, and the text cells of each step."""
    rows = []
    for row in re.findall(r'<tr class="sop-(?:section|step)".*?</tr>', page, flags=re.S):
        cells = dict(re.findall(r'<td (?:colspan="2" )?class="(?:col-|section-)(\w+)">(.*?)</td>', row, flags=re.S))
        text = {name: " ".join(html.unescape(value).split()) for name, value in cells.items()}
        if "title" in text:
            rows.append(text["title"])
        else:
            rows.append(tuple(text[name] for name in ["no", "activity", "requirement", "time", "output"]))
    return rows


@pytest.mark.parametrize("slug", ENACTED)
def test_the_sop_page_prints_the_enacted_rows(client, loaded, slug):
    page = client.get(reverse("public_sop", args=[slug])).content.decode()

    expected = [same_time(row) if isinstance(row, str) else tuple(map(same_time, row)) for row in as_shown(slug)]
    printed = [same_time(row) if isinstance(row, str) else tuple(map(same_time, row)) for row in page_rows(page)]
    assert printed == expected


def printed_rows(pages, slug):
    """The activity table's text in a PDF, from its header to the legend, with what is not a row's text left out:
    the header repeated on each page (after an off-page connector's letter) and the decisions' branch labels."""
    workflow = sop_models()[SOPDocument.objects.get(service_id=slug).service.app].workflow
    header = squash(
        "No Uraian Kegiatan Pelaksana Mutu Baku Ket."
        + " ".join(executor.label for executor in workflow.executors)
        + "Persyaratan / Kelengkapan Waktu Output"
    )
    text = "".join(pages)
    table = text[text.index(header):text.index(squash("Keterangan simbol"))]
    table = re.sub(f"[A-Z]?{re.escape(header)}", "", table)
    cells = [cell for row in activity_rows(workflow) for cell in row.cells]
    drawn = {label for cell in cells for label in cell.labels.values()}
    drawn |= {text for cell in cells for out in cell.exits for text in (out.label, out.outcome)}
    for label in sorted(drawn, key=len, reverse=True):
        table = table.replace(squash(label), "")
    return same_time(table)


def enacted_text(slug):
    return same_time("".join(squash(row if isinstance(row, str) else "".join(row)) for row in as_shown(slug)))


@pytest.mark.parametrize("slug", ENACTED)
def test_the_sop_pdf_prints_the_enacted_rows(client, loaded, slug):
    printed = Printed(get_pdf(client, "public_sop_pdf", slug).content)

    assert printed_rows(printed.pages, slug) == enacted_text(slug)


def test_the_decrees_lampiran_prints_the_enacted_rows(client, loaded):
    decree = Decree.objects.get()
    appendix = sheets(decree_pdf(client, decree), decree)

    for slug in ENACTED:
        assert printed_rows(appendix[slug], slug) == enacted_text(slug), slug
