"""How long portal.pdf.render_pdf takes for a 2-page A4 table with letterhead and signature.

Run from the project root: .venv/bin/python benchmarks/pdf_render.py
The first (cold) render also builds the process-wide fonts and stylesheet; the warm
renders are what a worker pays per request after that.
"""

import os
import statistics
import sys
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from portal.models import Unit  # noqa: E402
from portal.pdf import render_pdf  # noqa: E402

ROWS = 50  # with the letterhead and the signature block, two A4 pages
WARM_RUNS = 10

UNIT = Unit(  # unsaved: the renderer needs no database
    code="dinkes",
    name="Dinas Kesehatan",
    kind=Unit.Kind.AGENCY,
    government_name="Pemerintah Kabupaten Contoh",
    agency_name="Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana",
    address="Jalan Merdeka No. 1, Contoh 12345",
    phone="(0123) 456789",
    fax="(0123) 456780",
    email="dinkes@contohkab.go.id",
    website="dinkes.contohkab.go.id",
)
CONTEXT = {
    "title": "Standar Pelayanan",
    "rows": [
        {"activity": f"Langkah {n}: memeriksa kelengkapan berkas pemohon", "actor": "Petugas loket", "time": "15 menit"}
        for n in range(1, ROWS + 1)
    ],
    "signer": {
        "place": "Contoh",
        "date": date(2025, 3, 5),
        "title": "Kepala Dinas",
        "name": "dr. Siti Aminah, M.Kes.",
        "nip": "19750101 200003 2 001",
    },
}


def timed_render() -> tuple[float, bytes]:
    start = time.perf_counter()
    pdf = render_pdf("test_pdf/table.html", CONTEXT, unit=UNIT)
    return time.perf_counter() - start, pdf


def main():
    engine = settings.TEMPLATES[0]
    templates = [{**engine, "DIRS": [*engine["DIRS"], ROOT / "tests" / "portal" / "templates"]}]
    with override_settings(TEMPLATES=templates):
        cold, pdf = timed_render()
        warm = [timed_render()[0] for _ in range(WARM_RUNS)]
    pages = len(PdfReader(BytesIO(pdf)).pages)
    print(f"{ROWS} rows, {pages} pages, {len(pdf) / 1024:.0f} KiB")
    print(f"cold: {cold * 1000:.0f} ms")
    median, fastest, slowest = (statistics.median(warm) * 1000, min(warm) * 1000, max(warm) * 1000)
    print(f"warm: median {median:.0f} ms over {WARM_RUNS} runs (min {fastest:.0f} ms, max {slowest:.0f} ms)")


if __name__ == "__main__":
    main()
