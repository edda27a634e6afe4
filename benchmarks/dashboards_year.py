"""The heads' dashboards (issue 22) on a year of records of the three SOP services: each page at the same queries
as the records grow, and its in-process time.

    .venv/bin/python benchmarks/dashboards_year.py [--cases 2500] [--facilitations 5000] [--movements 35000]
        [--complaints 4000] [--answers 2000] [--runs 10] [--keep] [--reuse]

Needs PostgreSQL at 127.0.0.1:5432 (user root). It creates the database layanan_bench_dashboards, migrates it and
collects the static files, then seeds two regencies of benchmarks/volume.py (regency_seed): the first with a
tenth of the records asked, the second with them all. volume.py spreads the closed cases and facilitations over
volume.YEARS years and the ledger over volume.LEDGER_YEARS, with a few hundred cases and a few dozen
facilitations open per unit and the faskes reporting monthly, so the year the dashboards read holds about a
fifth of the cases and facilitations and a third of the distributions (the table's heading says how many): by
default about 500 cases, 1,000 facilitations and 2,000 distributions in the larger regency's year, the high end
of what a kabupaten's P2TP2A, Bidang Rehdayasos and contraceptive warehouse record. Each regency's Dinas gets a
complaint desk, and benchmarks/complaints_year.seed spreads --complaints complaints over the desks (about half
each) and --answers survey answers over each service, over the last 365 days. After VACUUM ANALYZE, under
production settings, each page is asked as the regency's account whose page it is
(benchmarks/volume_pages.measure: the fastest and median of --runs requests in-process, the queries of one
more, and the Python calls of one). The same queries for both regencies is the point; the times show what the
rows cost. --keep leaves the database (and prints its name), --reuse measures it again without seeding.

Figures: see the closing note of issue 22; the table this prints is the one to compare.
"""

import argparse
import os
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2_500, help="of the larger regency, over volume.YEARS years")
    parser.add_argument("--facilitations", type=int, default=5_000)
    parser.add_argument("--movements", type=int, default=35_000, help="of its ledger, over volume.LEDGER_YEARS")
    parser.add_argument("--complaints", type=int, default=4_000, help="over both regencies' desks")
    parser.add_argument("--answers", type=int, default=2_000, help="survey answers per service")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database", default="layanan_bench_dashboards")
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument("--reuse", action="store_true", help="measure the database kept by an earlier --keep")
    return parser.parse_args()


if __name__ == "__main__":
    OPTIONS = arguments()
    sys.path.insert(0, str(ROOT))
    from benchmarks.http_pages import production_env

    TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-dashboards-"))
    os.environ.update({**production_env(TMP), "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{OPTIONS.database}"})
    import django

    django.setup()

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alokon.models import Distribution
from benchmarks import complaints_year, volume
from cases.models import Case
from identitas.models import Facilitation
from portal.complaints.models import Complaint, Desk
from portal.complaints.workflow import TEAM_REVIEW
from portal.models import Service


def regency_seed(*, cases, facilitations, movements):
    """A regency of benchmarks/volume.py with these records, and a complaint desk at its Dinas; returns it."""
    regency = volume.seed(cases=cases, movements=movements, facilitations=facilitations, regencies=1).regencies[0]
    agency = regency.units["dinas"]
    desk = Service.objects.create(
        slug=f"volume-pengaduan-{regency.number:02d}", name=f"Pengaduan Kabupaten Volume {regency.number:02d}",
        unit=agency, app="complaints",
    )
    Desk.objects.create(service=desk, procedure=TEAM_REVIEW, general_unit=agency)
    return regency


def pages(regency):
    """The dashboards, as the regency's heads read them, and the storekeeper's stock dashboard."""
    from benchmarks.volume_pages import Page

    users, services = regency.users, regency.services
    dashboard = reverse("dashboards:index")
    names = [service.name for service in services.values()]
    return [
        Page("P2TP2A dashboard (Ketua)", users["ketua"], dashboard, shows=[services["cases"].name]),
        Page("PPKS facilitation dashboard (Kabid)", users["kabid"], dashboard, shows=[services["identitas"].name]),
        Page("ALOKON dashboard (Sekretaris Dinas)", users["sekdis"],
             f"{dashboard}?{urlencode({'layanan': services['alokon'].slug})}", shows=[services["alokon"].name]),
        Page("the agency's services (Kepala Dinas)", users["kadis"], dashboard, shows=names),
        Page("stock dashboard with stock-out risk (storekeeper)", users["gudang"],
             f"{reverse('alokon:dashboard')}?{urlencode({'layanan': services['alokon'].slug})}",
             shows=["Risiko kehabisan stok per faskes"]),
    ]


def year_counts(regency):
    """What the dashboards read of the regency: the records of each service received or completed in the last 365
    days, the open ones, the complaints about them and the survey answers."""
    since = timezone.now() - timedelta(days=365)
    counts = {}
    for app, model in (("cases", Case), ("identitas", Facilitation), ("alokon", Distribution)):
        records = model.objects.filter(service=regency.services[app])
        counts[app] = (
            records.filter(created_at__gte=since).count(),
            records.filter(status__in=model.workflow.final_statuses, status_changed_at__gte=since).count(),
            records.open().count(),
        )
    complaints = Complaint.objects.filter(about__in=regency.services.values(), created_at__gte=since).count()
    return counts, complaints


def main(options):
    import psycopg

    from benchmarks.http_pages import manage
    from benchmarks.volume_pages import measure

    server = "postgresql://root@127.0.0.1:5432/postgres"
    if not options.reuse:
        with psycopg.connect(server, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{options.database}"')
            db.execute(f'CREATE DATABASE "{options.database}"')
    for command in [["migrate"], ["collectstatic", "--noinput"]]:
        manage(dict(os.environ), *command)
    if options.reuse:
        regencies = volume.Province.load().regencies
    else:
        regencies = [
            regency_seed(cases=options.cases * share // 100, facilitations=options.facilitations * share // 100,
                         movements=options.movements * share // 100)
            for share in (10, 100)
        ]
        print(complaints_year.seed(complaints=options.complaints, answers=options.answers, rng=random.Random(22)),
              file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    columns = []
    for regency in regencies:
        counts, complaints = year_counts(regency)
        heading = ", ".join(f"{app} {received:,}/{completed:,}/{opened:,}" for app, (received, completed, opened)
                            in counts.items()) + f", complaints {complaints:,}"
        columns.append((heading, {page.label: measure(page, options.runs) for page in pages(regency)}))
    print("In the last 365 days per service: received/completed/open now; PostgreSQL, production settings; "
          f"in-process ms, fastest and median of {options.runs}, queries and Python calls of one.")
    for number, (heading, _results) in enumerate(columns, 1):
        print(f"  regency {number}: {heading}")
    print(f"{'page':<52}" + "".join(f"{f'regency {n}: ms fastest/median, queries, calls':>56}" for n in (1, 2)))
    for label in columns[0][1]:
        cells = ""
        for _heading, results in columns:
            fastest, median, queries, calls = results[label]
            cells += f"{fastest:>20.1f}{median:>10.1f}{queries:>10}{calls:>16,}"
        print(f"{label:<52}{cells}")
    connection.close()
    if options.keep:
        print(f"database kept: {options.database}", file=sys.stderr)
    else:
        with psycopg.connect(server, autocommit=True) as db:
            db.execute(f'DROP DATABASE "{options.database}"')


if __name__ == "__main__":
    main(OPTIONS)
