"""A year of complaints, answers and survey answers for the services of the demo (issue 21): the complaint
register, the satisfaction index, the register of missed standards and the evaluation at constant queries as
the year fills.

    .venv/bin/python benchmarks/complaints_year.py [--complaints 20000] [--answers 20000] [--runs 10]

Needs PostgreSQL at 127.0.0.1:5432 (user root). It creates the database layanan_bench_complaints, migrates it
and loads the demo (its accounts), then, under production settings, measures each page as the head who reads
it: in-process with the test client, the fastest and median of --runs requests, the queries of one more and
the Python calls of one (benchmarks/volume_pages.measure). It seeds a tenth of the year first and measures,
then the rest and measures again: the same queries at both sizes is the point; the times show what the rows
cost. `seed` bulk-inserts, spread over the last 365 days: complaints over both desks and the services (about
nine in ten answered and closed, the rest waiting in a step, a few late), their answers, and survey answers
for each service with a standard of its own.

Figures: see the closing note of issue 21; the table this prints is the one to compare.
"""

import argparse
import os
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--answers", type=int, default=20_000, help="survey answers per service")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database", default="layanan_bench_complaints")
    return parser.parse_args()


if __name__ == "__main__":
    OPTIONS = arguments()
    sys.path.insert(0, str(ROOT))
    from benchmarks.http_pages import production_env

    TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-complaints-"))
    os.environ.update({**production_env(TMP), "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{OPTIONS.database}"})
    import django

    django.setup()

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from portal.complaints.models import Complaint, Desk, Reply, keyed_hash
from portal.models import Service, sop_models
from portal.periods import Quarter
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response
from portal.workflow import DONE

CHUNK = 2_000
# Where the open complaints of each way of handling wait.
OPEN_STEPS = {"check": ["check", "field", "internal", "agencies"], "respond": ["respond", "official"]}


def seed(*, complaints, answers, rng=None, now=None):
    """`complaints` complaints over the desks and `answers` survey answers per service with a standard of its own,
    spread over the year to `now`; returns the counts made."""
    rng = rng or random.Random(21)
    now = now or timezone.now()
    desks = list(Desk.objects.select_related("service", "general_unit"))
    about = {desk.pk: list(desk.services().select_related("unit")) for desk in desks}
    author = get_user_model().objects.filter(is_superuser=False).order_by("pk").first()
    digest = keyed_hash("BENCH-CODE")
    made = made_replies = 0
    with transaction.atomic():
        last = {
            (row["service"], row["year"]): row["last"]
            for row in Complaint.objects.values("service", "year").annotate(last=Max("sequence"))
        }
        for start in range(0, complaints, CHUNK):
            rows = []
            for _number in range(start, min(start + CHUNK, complaints)):
                desk = rng.choice(desks)
                service = rng.choice(about[desk.pk] + [None])
                received = now - timedelta(minutes=rng.randrange(60, 365 * 24 * 60))
                key = (desk.service_id, received.year)
                last[key] = last.get(key, 0) + 1
                waiting = received > now - timedelta(days=20) and rng.random() < 0.5
                status = rng.choice(OPEN_STEPS[desk.procedure]) if waiting else DONE
                due = received + timedelta(days=2 + 2 * (received.weekday() >= 3)) if desk.procedure == "check" else None
                closed = received + timedelta(hours=rng.randrange(2, 24 * 12))
                rows.append(Complaint(
                    service=desk.service, unit=service.unit if service else desk.general_unit, about=service,
                    status=status, created_at=received, status_changed_at=received if waiting else closed,
                    due_at=due if status in ("check", DONE) else None, year=received.year, sequence=last[key],
                    kind=rng.choice(Complaint.Kind.values), channel=rng.choice(Complaint.Channel.values),
                    text="Pengaduan uji beban tentang pelayanan.", follow_up_digest=digest,
                    first_response_at=None if waiting else received + timedelta(hours=rng.randrange(1, 40)),
                ))
            Complaint.objects.bulk_create(rows)
            made += len(rows)
            replies = [
                Reply(complaint=row, text="Jawaban uji beban.", sent_at=row.first_response_at, author=author)
                for row in rows if row.first_response_at is not None
            ]
            Reply.objects.bulk_create(replies)
            made_replies += len(replies)
        surveyed = [s for s in Service.objects.all() if s.app in sop_models() and sop_models()[s.app].own_standard]
        for service in surveyed:
            for start in range(0, answers, CHUNK):
                Response.objects.bulk_create([
                    Response(
                        service=service, submitted_at=now - timedelta(minutes=rng.randrange(1, 365 * 24 * 60)),
                        **{code: rng.choice((2, 3, 3, 4, 4)) for code in ELEMENT_CODES},
                        sex=rng.choice("LP"), age_band=rng.choice(Response.AgeBand.values),
                        education=rng.choice(Response.Education.values),
                        occupation=rng.choice(Response.Occupation.values), client_hash=keyed_hash(f"bench-{i}"),
                    )
                    for i in range(start, min(start + CHUNK, answers))
                ])
    return {"complaints": made, "replies": made_replies, "answers": answers * len(surveyed)}


def pages():
    """The pages measured, as the heads who read them (the demo's accounts)."""
    from benchmarks.volume_pages import Page

    users = {u.username: u for u in get_user_model().objects.filter(username__in=[
        "kepala.dppkbpppa-ciamis", "kepala.rehdayasos-purwakarta",
    ])}
    quarter = Quarter.of(timezone.localdate()).code
    ciamis, purwakarta = users["kepala.dppkbpppa-ciamis"], users["kepala.rehdayasos-purwakarta"]
    return [
        Page("complaint register, all (Sekretaris Dinas)", ciamis, f"{reverse('complaints:register')}?status=semua"),
        Page("complaint register, open", ciamis, reverse("complaints:register")),
        Page("complaint register, late", ciamis, f"{reverse('complaints:register')}?status=terlambat"),
        Page("a complaint's page", ciamis, Complaint.objects.filter(service__slug="pengaduan-dppkbpppa-ciamis")
             .order_by("-pk").first().get_absolute_url()),
        Page("IKM of the quarter (Kabid)", purwakarta,
             f"{reverse('survey:index')}?layanan=identitas-ppks-purwakarta&periode={quarter}"),
        Page("missed standards of the quarter (Kabid)", purwakarta,
             f"{reverse('guarantee:register')}?layanan=identitas-ppks-purwakarta&periode={quarter}"),
        Page("evaluation of the quarter (Kabid)", purwakarta,
             f"{reverse('evaluation:index')}?layanan=identitas-ppks-purwakarta&periode={quarter}"),
        Page("evaluation of the quarter, per officer (Sekretaris Dinas)", ciamis,
             f"{reverse('evaluation:index')}?layanan=p2tp2a-ciamis&periode={quarter}&per_petugas=1"),
    ]


def main(options):
    import psycopg

    from benchmarks.http_pages import manage
    from benchmarks.volume_pages import measure

    env = {**os.environ, "PORTAL_DEMO": "1"}
    server = "postgresql://root@127.0.0.1:5432/postgres"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{options.database}"')
        db.execute(f'CREATE DATABASE "{options.database}"')
    for command in [["migrate"], ["collectstatic", "--noinput"], ["load_demo"]]:
        manage(env, *command)
    tables = []
    for share in (10, 90):
        print(seed(complaints=options.complaints * share // 100, answers=options.answers * share // 100,
                   rng=random.Random(share)), file=sys.stderr)
        tables.append((Complaint.objects.count(), {page.label: measure(page, options.runs) for page in pages()}))
    print(f"{'page':<46}" + "".join(f"{f'{n:,} complaints: ms fastest/median, queries, calls':>58}" for n, _r in tables))
    for label in tables[0][1]:
        cells = ""
        for _count, results in tables:
            fastest, median, queries, calls = results[label]
            cells += f"{fastest:>20.1f}{median:>10.1f}{queries:>10}{calls:>18,}"
        print(f"{label:<46}{cells}")
    from django.db import connection

    connection.close()
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE "{options.database}"')


if __name__ == "__main__":
    main(OPTIONS)
