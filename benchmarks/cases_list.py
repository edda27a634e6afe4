"""Time and queries of the P2TP2A register and case page as the cases grow to 1,000, 10,000 and 100,000.

    .venv/bin/python benchmarks/cases_list.py [--cases 100000] [--runs 20]

Needs PostgreSQL at 127.0.0.1:5432 (user root). It creates the database layanan_bench_cases_base, migrated and
with the demo loaded (load_demo), and for each size a copy of it, layanan_bench_cases, into which
benchmarks/volume.py seeds that many cases (its province: one P2TP2A per 1,000 cases up to ten, a few hundred
open in each, the rest closed over five years). At each size it asks each page with the test client,
in-process, under production settings, as the first P2TP2A's Ketua and social worker: the fastest and median
of --runs requests, and the queries of one. Both should stay flat. At 1,000 cases page 50 is past the end: the
last page.

Until 2026-12 the cases were the demo's P2TP2A's, statuses spread over every step (three in four open) and the
same database grew from size to size; the figures below are of those. Since, they are the volume seeder's
province, a database per size: compare only figures of the same kind.

2026-11-28, 2 cores, PostgreSQL 15; ms median / fastest of 10, queries. First, as the views were first written:
                                       1,000 cases      10,000 cases     100,000 cases
  register, first page                 143 / 100, 12    164 / 123, 12    485 / 320, 12
  register, ?q=<case number>            85 /  66, 12    159 / 133, 12    961 / 635, 12
  register, ?page=50                    97 /  70, 12    168 / 149, 12    761 / 515, 12
  case page (team member)              353 / 281, 28    337 / 208, 28    342 / 293, 28
EXPLAIN at 100,000 showed the open cases (three in four) read whole to sort them by due date, and a search
by number ORed with a search by name that scanned every victim. Then, with a partial index of the open cases
by due date (case_open_due), a name searched only when posted, and one subquery per actor check:
  register, first page                  65 /  47, 15    124 / 103, 15    218 /  98, 15
  register, ?status=assessment         120 /  73, 15    204 /  98, 15    140 / 108, 15
  register, ?q=<case number>            51 /  31, 15     76 /  44, 15     58 /  46, 15
  register, ?page=50                    49 /  32, 15    150 / 107, 15    157 / 114, 15
  register, first page (social worker)  69 /  39, 12     80 /  65, 12    123 / 104, 12
  case page (team member)              193 / 104, 28    168 / 109, 28    108 /  81, 28
  case page (head)                     146 /  70, 24    193 /  80, 24     80 /  68, 24
(the second run shared the 2 cores with a browser test run). The queries stay flat; the register's first
page still grows with the open cases it counts (the page count and the heads' count of high-risk cases).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BASE = "layanan_bench_cases_base"
DATABASE = "layanan_bench_cases"
SIZES = (1_000, 10_000, 100_000)

if __name__ == "__main__":  # the portal under production settings, on the benchmark's own database
    sys.path.insert(0, str(ROOT))
    from benchmarks.http_pages import production_env

    TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-cases-"))
    os.environ.update({**production_env(TMP), "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{DATABASE}"})
    import django

    django.setup()

from django.db import connection
from django.urls import reverse

from benchmarks import volume
from benchmarks.volume_pages import Page, measure
from cases.models import Case

# The case page is of an open case in the first of these steps that has one, asked by its social worker.
CASE_STEPS = ["legal", "psychological", "medical", "reintegration", "assessment", "outreach"]


def pages(province):
    """The pages measured, for the first P2TP2A of `province`."""
    regency = province.regencies[0]
    head, member = regency.users["ketua"], regency.users["peksos1"]
    cases = Case.objects.filter(service=regency.services["cases"])
    case = next(
        found for status in CASE_STEPS
        if (found := cases.filter(status=status, team__user=member, team__ended_at=None).order_by("pk").first())
    )
    register, detail = reverse("cases:register"), reverse("cases:detail", args=[case.pk])
    oldest = cases.order_by("created_at").first()
    return [
        Page("register, first page", head, register, shows=[c.number for c in cases.open()]),
        Page("register, ?status=assessment", head, f"{register}?status=assessment"),
        Page("register, ?q=<case number>", head, f"{register}?{urlencode({'q': oldest.number})}", shows=[oldest.number]),
        Page("register, ?page=50", head, f"{register}?page=50"),
        Page("register, first page (social worker)", member, register),
        Page("case page (team member)", member, detail, shows=[case.victim.name]),
        Page("case page (head)", head, detail, shows=[case.number]),
    ]


def database_from(template):
    """The benchmark's database, again a copy of `template`."""
    import psycopg

    connection.close()
    with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        db.execute(f"CREATE DATABASE {DATABASE}" + (f" TEMPLATE {template}" if template else ""))


def main():
    import psycopg

    from benchmarks.http_pages import manage

    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=SIZES[-1])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    sizes = [size for size in SIZES if size < options.cases] + [options.cases]

    database_from(None)
    for command in (["migrate"], ["collectstatic", "--noinput"], ["load_demo"]):
        manage(dict(os.environ), *command)
    with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {BASE}")
        db.execute(f"ALTER DATABASE {DATABASE} RENAME TO {BASE}")
    results, measured = {}, []
    for size in sizes:
        database_from(BASE)
        start = time.perf_counter()
        province = volume.seed(cases=size, movements=0, facilitations=0)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a load: the planner's statistics
        print(f"{size:,} cases seeded in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        measured = pages(province)
        for page in measured:
            results[page.label, size] = measure(page, options.runs)

    print(f"P2TP2A pages, PostgreSQL, production settings, in-process test client; "
          f"ms: fastest and median of {options.runs} requests; queries of one")
    print(f"{'':<38}" + "".join(f"{f'{size:,} cases':>26}" for size in sizes))
    print(f"{'page':<38}" + f"{'fastest':>9}{'median':>8}{'queries':>9}" * len(sizes))
    for page in measured:
        cells = (results[page.label, size] for size in sizes)
        print(f"{page.label:<38}" + "".join(f"{fastest:>9.1f}{median:>8.1f}{queries:>9}" for fastest, median, queries, _calls in cells))
    connection.close()
    with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE {DATABASE}")
        db.execute(f"DROP DATABASE {BASE}")
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
