"""Pages and render time of the seven published documents: 3 standards, 3 SOP sheets, the decree.

Run from the project root: .venv/bin/python benchmarks/sheets.py
It loads the seeds into a throw-away test database (load_demo) and renders each document
with portal.documents, bypassing the PDF cache: the warm time is what a cache miss costs a
worker once fonts and stylesheets are built (the first, cold render builds them).
"""

import os
import statistics
import sys
import time
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from portal.models import Service  # noqa: E402
from publications.models import Decree  # noqa: E402
from publications.publishing import DecreeDocument, SOPSheet, Standard  # noqa: E402

WARM_RUNS = 5
SERVICES = ["p2tp2a-ciamis", "alokon-ciamis", "identitas-ppks-purwakarta"]


def sheets():
    services = {s.slug: s for s in Service.objects.select_related("unit")}
    for slug in SERVICES:
        yield f"Standar Pelayanan {slug}", Standard(services[slug]).pdf
    for slug in SERVICES:
        yield f"SOP {slug}", SOPSheet(services[slug]).pdf
    yield "Keputusan Bupati", DecreeDocument(Decree.objects.select_related("unit").get()).pdf


def timed(render):
    start = time.perf_counter()
    pdf = render()
    return time.perf_counter() - start, pdf


def main():
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    call_command("load_demo", stdout=StringIO())

    cold, _ = timed(next(sheets())[1])
    print(f"cold (first render, builds fonts and stylesheets): {cold:.2f} s\n")
    print(f"{'document':<44} {'pages':>5} {'warm s':>7}  (median of {WARM_RUNS})")
    for name, render in sheets():
        _, pdf = timed(render)
        warm = statistics.median(timed(render)[0] for _ in range(WARM_RUNS))
        pages = len(PdfReader(BytesIO(pdf)).pages)
        print(f"{name:<44} {pages:>5} {warm:>7.2f}")


if __name__ == "__main__":
    main()
