"""Time and queries of the P2TP2A register and case page as the cases grow to 1,000, 10,000 and 100,000.

    .venv/bin/python benchmarks/cases_list.py [--cases 100000] [--runs 20]

Needs PostgreSQL at 127.0.0.1:5432 (user root). It creates the database layanan_bench_cases, loads the
demo agencies, accounts and cases (load_demo), then bulk-creates cases of the ten years before this one
in the P2TP2A Ciamis, each with a victim, notes, a team member and one or two violence types, their
statuses spread over every step and ending, until there are 1,000, then 10,000, then 100,000 (the same
database grows). At each size it asks each page with the test client, in-process, under production
settings: the median and the fastest of --runs requests, and the queries of one. Both should stay flat.
The register is asked as the Ketua (who reads every identity); the case page is a demo case in the legal
step, asked by its social worker and by the Ketua. At 1,000 cases page 50 is past the end: the last page.

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
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.http_pages import production_env  # noqa: E402

DATABASE = "layanan_bench_cases"
TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-cases-"))
os.environ.update({**production_env(TMP), "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{DATABASE}"})

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.demo import CHAIR, OFFICERS, SERVICE, made_up_nik  # noqa: E402
from cases.models import Case, CaseNotes, TeamMember, Victim, ViolenceType, age_band, years_between  # noqa: E402
from portal.clock import add_months  # noqa: E402
from portal.models import Kecamatan, Service, Sex  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
YEARS = 10
BATCH = 5_000
STATUSES = [code for code, _label in Case.workflow.status_choices]
MEMBER = OFFICERS["social_worker"]


def create_database():
    with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        db.execute(f"CREATE DATABASE {DATABASE}")


def drop_database():
    connections.close_all()
    with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE {DATABASE}")


class Seeder:
    """Bulk-creates the benchmark's cases, numbered 0, 1, 2, ...: case i is the same whatever the size."""

    def __init__(self, total):
        self.service = Service.objects.select_related("unit").get(slug=SERVICE)
        self.head = User.objects.get(username=CHAIR)
        users = User.objects.in_bulk(list(OFFICERS.values()), field_name="username")
        self.team = [(users[username], function) for function, username in OFFICERS.items()]
        self.kecamatan = list(Kecamatan.objects.filter(regency__code="ciamis").order_by("name"))
        self.violence_types = list(ViolenceType.objects.values_list("pk", flat=True))
        self.year = timezone.localdate().year
        # A year's cases are spread evenly over it, so the newest-first order is that of the numbers.
        self.spacing = timedelta(days=365) / -(-total // YEARS)

    @transaction.atomic
    def seed(self, start, stop):
        for first in range(start, stop, BATCH):
            numbers = range(first, min(first + BATCH, stop))
            cases = Case.objects.bulk_create(self.case(i) for i in numbers)
            Victim.objects.bulk_create(self.victim(i, case) for i, case in zip(numbers, cases))
            CaseNotes.objects.bulk_create(CaseNotes(case=case, chronology="Kronologi uji.") for case in cases)
            TeamMember.objects.bulk_create(self.member(i, case) for i, case in zip(numbers, cases))
            through = Case.violence_types.through
            through.objects.bulk_create(
                through(case_id=case.pk, violencetype_id=self.violence_types[(i + extra) % len(self.violence_types)])
                for i, case in zip(numbers, cases)
                for extra in range(1 + (i % 3 == 0))
            )

    def case(self, i):
        year, sequence = self.year - 1 - i % YEARS, i // YEARS + 1
        created = timezone.make_aware(datetime(year, 1, 1, 8)) + self.spacing * (sequence - 1)
        born = self.born(i)
        return Case(
            service=self.service, unit=self.service.unit, status=STATUSES[i % len(STATUSES)],
            year=year, sequence=sequence, created_at=created, status_changed_at=created, due_at=add_months(created, 3),
            channel=Case.Channel.values[i % 3], risk=Case.Risk.values[i % 3], kecamatan=self.kecamatan[i % len(self.kecamatan)],
            victim_sex=self.sex(i), victim_age_band=age_band(years_between(born, created.date())),
        )

    def victim(self, i, case):
        born, sex = self.born(i), self.sex(i)
        kecamatan = i % len(self.kecamatan)
        return Victim(
            case=case, name=f"Korban Uji {i:06d}", nik=made_up_nik(kecamatan + 1, born, sex, i % 9999 + 1),
            sex=sex, birth_date=born, kecamatan=self.kecamatan[kecamatan],
        )

    def member(self, i, case):
        user, function = self.team[i % len(self.team)]
        return TeamMember(case=case, user=user, function=function, assigned_by=self.head, assigned_at=case.created_at)

    def born(self, i):
        return date(self.year - 2 - i % 60, 1 + i % 12, 1 + i % 28)

    def sex(self, i):
        return Sex.MALE if i % 5 == 0 else Sex.FEMALE


def pages():
    """(label, username, path) of each page measured; the case page is of a demo case in the legal step."""
    year = timezone.localdate().year
    demo_case = Case.objects.filter(year=year, status="legal", team__user__username=MEMBER).order_by("pk").first()
    register, detail = reverse("cases:register"), reverse("cases:detail", args=[demo_case.pk])
    return [
        ("register, first page", CHAIR, register),
        ("register, ?status=assessment", CHAIR, f"{register}?status=assessment"),
        ("register, ?q=<case number>", CHAIR, f"{register}?{urlencode({'q': f'0001/{year - 1}'})}"),
        ("register, ?page=50", CHAIR, f"{register}?page=50"),
        ("register, first page (social worker)", MEMBER, register),
        ("case page (team member)", MEMBER, detail),
        ("case page (head)", CHAIR, detail),
    ]


def measure(client, path, runs):
    """Median and fastest time of `runs` requests, in ms, and the queries of one more."""
    client.get(path)  # warm: templates, the session
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), min(times), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=SIZES[-1])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    sizes = [size for size in SIZES if size < options.cases] + [options.cases]

    create_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    seeder = Seeder(options.cases)
    clients = {}
    for username in (CHAIR, MEMBER):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))

    measured = pages()
    results, seeded = {}, 0
    for size in sizes:
        start = time.perf_counter()
        seeder.seed(seeded, size)
        seeded = size
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a load: the planner's statistics
        print(f"{size:,} cases seeded in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        for label, username, path in measured:
            results[label, size] = measure(clients[username], path, options.runs)

    print(f"P2TP2A pages, PostgreSQL, production settings, in-process test client; "
          f"ms: median and fastest of {options.runs} requests; queries of one")
    print(f"{'':<38}" + "".join(f"{f'{size:,} cases':>26}" for size in sizes))
    print(f"{'page':<38}" + f"{'median':>9}{'min':>8}{'queries':>9}" * len(sizes))
    for label, _username, _path in measured:
        cells = (results[label, size] for size in sizes)
        print(f"{label:<38}" + "".join(f"{median:>9.1f}{fastest:>8.1f}{queries:>9}" for median, fastest, queries in cells))
    drop_database()
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
