import socket
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from PIL import Image
from pypdf import PdfReader

from portal.models import Unit
from portal.pdf import STATIC_DIR, cached_pdf, pdf_response, render_pdf, url_fetcher

SIGNER = {
    "place": "Contoh",
    "date": date(2025, 3, 5),
    "title": "Kepala Dinas Kesehatan",
    "name": "dr. Siti Aminah, M.Kes.",
    "nip": "19750101 200003 2 001",
}


@pytest.fixture(autouse=True)
def pdf_test_templates(settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], Path(__file__).parent / "templates"]}]


def letterhead_unit(**fields):
    return Unit(**{
        "code": "dinkes",
        "name": "Dinas Kesehatan",
        "kind": Unit.Kind.AGENCY,
        "government_name": "Pemerintah Kabupaten Contoh",
        "agency_name": "Dinas Kesehatan",
        "address": "Jalan Merdeka No. 1, Contoh 12345",
        "phone": "(0123) 456789",
        "fax": "(0123) 456780",
        "email": "dinkes@contohkab.go.id",
        "website": "dinkes.contohkab.go.id",
        **fields,
    })


LONG_AGENCY_NAME = "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan, dan Perlindungan Anak"
LEFT_MARGIN = 2.5 / 2.54 * 72  # points (pdf.css)
EMBLEM_CELL = 2.6 / 2.54 * 72
# How each line of the long letterhead starts, as it wraps beside an emblem.
LETTERHEAD_LINES = ("PEMERINTAH", "DINAS", "BERENCANA", "DAN PERLINDUNGAN", "Jalan", "Telepon", "Pos-el")


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def emblem_png() -> SimpleUploadedFile:
    image = BytesIO()
    Image.new("RGB", (40, 50), "green").save(image, "PNG")
    return SimpleUploadedFile("lambang.png", image.getvalue(), content_type="image/png")


def first_page_layout(pdf: bytes):
    """Where the first page draws its images and text: ([(left, right)], [(left, text)]) in points from the left edge."""
    images, lines = [], []

    def before_operator(operator, operands, cm, tm):
        if operator == b"Do":  # an image, drawn in the unit square scaled by the current matrix
            images.append((cm[4], cm[4] + cm[0]))

    def text(content, cm, tm, font, size):
        if content.strip():
            lines.append((cm[0] * tm[4] + cm[4], content.strip()))

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_operand_before=before_operator, visitor_text=text)
    return images, lines


def render_letter(**kwargs) -> bytes:
    return render_pdf("test_pdf/letter.html", {"body": "Isi surat.", "signer": SIGNER}, **kwargs)


def test_it_prints_the_letterhead():
    text = pages_text(render_letter(unit=letterhead_unit()))[0]

    assert "PEMERINTAH KABUPATEN CONTOH" in text
    assert "DINAS KESEHATAN" in text
    assert "Jalan Merdeka No. 1, Contoh 12345" in text
    assert "Telepon (0123) 456789, Faksimile (0123) 456780" in text
    assert "Pos-el: dinkes@contohkab.go.id, Laman: dinkes.contohkab.go.id" in text


def test_it_prints_no_letterhead_without_a_unit():
    text = pages_text(render_letter())[0]

    assert "PEMERINTAH" not in text
    assert "SURAT KETERANGAN" in text


@pytest.mark.django_db
def test_it_prints_the_letterhead_of_the_nearest_unit_that_has_one():
    agency = letterhead_unit()
    agency.save()
    division = Unit.objects.create(code="bidang-p2p", name="Bidang P2P", kind=Unit.Kind.DIVISION, parent=agency)

    text = pages_text(render_letter(unit=division))[0]

    assert "DINAS KESEHATAN" in text
    assert "Jalan Merdeka No. 1" in text


def test_without_an_emblem_the_letterhead_text_takes_the_full_width():
    unit = letterhead_unit(agency_name=LONG_AGENCY_NAME)

    images, lines = first_page_layout(render_letter(unit=unit))

    assert images == []
    # The agency's widest line starts where an emblem would stand: no empty cell is kept for one.
    assert min(left for left, text in lines if "KELUARGA" in text) < LEFT_MARGIN + EMBLEM_CELL
    assert "letterhead-logo" not in render_to_string("portal/pdf/_letterhead.html", {"letterhead": unit})


def test_an_uploaded_emblem_stands_left_of_the_letterhead_text():
    unit = letterhead_unit(agency_name=LONG_AGENCY_NAME)
    unit.logo.save("lambang.png", emblem_png(), save=False)  # the suite's storage keeps files in memory

    images, lines = first_page_layout(render_letter(unit=unit))

    [(emblem_left, emblem_right)] = images
    assert emblem_left == pytest.approx(LEFT_MARGIN)
    letterhead = [left for left, text in lines if text.startswith(LETTERHEAD_LINES)]
    assert len(letterhead) >= 5 and all(emblem_right < left for left in letterhead)
    assert "DINAS PENGENDALIAN PENDUDUK" in pages_text(render_letter(unit=unit))[0]


def test_an_emblem_whose_file_is_gone_prints_the_letterhead_without_it(caplog):
    unit = letterhead_unit(logo="logos/hilang.png")

    pdf = render_letter(unit=unit)

    assert len(PdfReader(BytesIO(pdf)).pages[0].images) == 0
    assert "DINAS KESEHATAN" in pages_text(pdf)[0]
    assert "logos/hilang.png" in caplog.text


def test_it_prints_the_letterhead_on_the_first_page_only():
    first, second = pages_text(render_pdf("test_pdf/two_pages.html", {}, unit=letterhead_unit()))

    assert "DINAS KESEHATAN" in first
    assert "DINAS KESEHATAN" not in second


def test_it_prints_the_logo_from_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    (tmp_path / "logos").mkdir()
    Image.new("RGB", (40, 50), "green").save(tmp_path / "logos" / "contoh.png")
    unit = letterhead_unit(logo="logos/contoh.png")

    page = PdfReader(BytesIO(render_letter(unit=unit))).pages[0]

    assert len(page.images) == 1


def test_it_numbers_the_pages():
    first, second = pages_text(render_pdf("test_pdf/two_pages.html", {}))

    assert "Halaman 1 dari 2" in first
    assert "Halaman 2 dari 2" in second


def test_it_prints_the_signature_block():
    text = pages_text(render_letter())[0]

    assert "Contoh, 5 Maret 2025" in text
    assert "Kepala Dinas Kesehatan" in text
    assert "dr. Siti Aminah, M.Kes." in text
    assert "NIP. 19750101 200003 2 001" in text


def test_it_prints_a_signature_date_given_as_text():
    signer = {**SIGNER, "date": "........ 2025"}

    text = pages_text(render_pdf("test_pdf/letter.html", {"body": "", "signer": signer}))[0]

    assert "Contoh, ........ 2025" in text


def test_it_sets_all_text_including_the_page_numbers_in_liberation_sans():
    page = PdfReader(BytesIO(render_letter(unit=letterhead_unit()))).pages[0]
    fonts = [font.get_object()["/BaseFont"] for font in page["/Resources"]["/Font"].values()]

    assert fonts
    assert all("Liberation-Sans" in name for name in fonts), fonts


def test_it_renders_portrait_a4_by_default():
    box = PdfReader(BytesIO(render_letter())).pages[0].mediabox

    assert (round(box.width), round(box.height)) == (595, 842)


def test_it_renders_landscape_a4():
    box = PdfReader(BytesIO(render_letter(landscape=True))).pages[0].mediabox

    assert (round(box.width), round(box.height)) == (842, 595)


def test_the_fetcher_refuses_http_urls():
    with pytest.raises(ValueError):
        url_fetcher("http://example.com/logo.png")


def test_the_fetcher_refuses_files_outside_static_and_media_root():
    with pytest.raises(ValueError):
        url_fetcher("file:///etc/passwd")
    with pytest.raises(ValueError):
        url_fetcher((STATIC_DIR / ".." / "portal" / "settings.py").as_uri())


def test_the_fetcher_serves_the_vendored_fonts():
    response = url_fetcher((STATIC_DIR / "fonts" / "LiberationSans-Regular.ttf").as_uri())

    assert response.read(4) == b"\x00\x01\x00\x00"


def test_the_fetcher_serves_inline_data_urls():
    pixel = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'%3E%3C/svg%3E"
    assert b"<svg" in url_fetcher.fetch(pixel).read()


def test_it_renders_a_remote_image_without_touching_the_network(monkeypatch, caplog):
    attempts = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: attempts.append(args))
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))

    pdf = render_pdf("test_pdf/remote_image.html", {})

    page = PdfReader(BytesIO(pdf)).pages[0]
    assert attempts == []
    assert "Dokumen dengan gambar dari luar." in page.extract_text()
    assert len(page.images) == 0
    assert "http://example.com/logo.png" in caplog.text


class TestCachedPdf:
    @pytest.fixture(autouse=True)
    def empty_cache(self):
        cache.clear()

    def test_it_renders_once_per_version(self):
        calls = []

        def render():
            calls.append(1)
            return b"%PDF-v1"

        assert cached_pdf("standar:7", 1, render) == b"%PDF-v1"
        assert cached_pdf("standar:7", 1, render) == b"%PDF-v1"
        assert len(calls) == 1

    def test_it_renders_again_for_a_new_version(self):
        cached_pdf("standar:7", 1, lambda: b"%PDF-v1")

        assert cached_pdf("standar:7", 2, lambda: b"%PDF-v2") == b"%PDF-v2"
        assert cached_pdf("standar:7", 1, lambda: b"unused") == b"%PDF-v1"


def test_pdf_response_serves_the_pdf_inline_under_a_slugified_name():
    response = pdf_response(b"%PDF-1.7", "SOP Layanan KB (Rev. 2).pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="sop-layanan-kb-rev-2.pdf"'
    assert response.content == b"%PDF-1.7"


def test_pdf_response_can_serve_an_attachment():
    response = pdf_response(b"%PDF-1.7", "Standar Pelayanan", inline=False)

    assert response["Content-Disposition"] == 'attachment; filename="standar-pelayanan.pdf"'
