"""The notifications' costs with a year of work (issue 22): the reminder round, whom a step tells, and the bell.

    .venv/bin/python benchmarks/notifications_round.py [--complaints 20000] [--notifications 5000] [--runs 10]

Needs PostgreSQL at 127.0.0.1:5432 (user root). It creates the database layanan_bench_notifications, migrates it,
loads the demo (whose months of work told their next actors as they were made), seeds a year of complaints
(benchmarks/complaints_year.seed), then, under production settings, measures:
- the reminder round (portal.notifications.reminders.run): the first, which tells of what is due and late, and
  the next, which finds everyone told already; time, queries and notifications made;
- whom a step tells (acting_users) for an open complaint and an open P2TP2A case: fastest and median of --runs;
- the bell's count of unread notifications for a user holding --notifications of them, and the start page of that
  user (in-process, as benchmarks/volume_pages.measure does).

Figures: see the closing note of issue 22; the table this prints is the one to compare.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--notifications", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database", default="layanan_bench_notifications")
    return parser.parse_args()


if __name__ == "__main__":
    OPTIONS = arguments()
    sys.path.insert(0, str(ROOT))
    from benchmarks.http_pages import production_env

    TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-notifications-"))
    os.environ.update({**production_env(TMP), "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{OPTIONS.database}"})
    import django

    django.setup()

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from portal.complaints.models import Complaint
from portal.notifications import reminders
from portal.notifications.models import Kind, Notification
from portal.notifications.services import acting_users


def timed(call, runs):
    """(fastest ms, median ms, queries of one more call)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        call()
    return min(times), statistics.median(times), len(queries.captured_queries)


def main(options):
    import psycopg

    from benchmarks import complaints_year
    from benchmarks.http_pages import manage
    from benchmarks.volume_pages import Page, measure

    env = {**os.environ, "PORTAL_DEMO": "1"}
    server = "postgresql://root@127.0.0.1:5432/postgres"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{options.database}"')
        db.execute(f'CREATE DATABASE "{options.database}"')
    for command in [["migrate"], ["collectstatic", "--noinput"], ["load_demo"]]:
        manage(env, *command)
    print(complaints_year.seed(complaints=options.complaints, answers=0, rng=random.Random(22)), file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    rows = []
    for label in ("reminder round, first", "reminder round, next (all told)"):
        before = Notification.objects.count()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            reminders.run()
            took = (time.perf_counter() - start) * 1000
        rows.append((label, f"{took:,.0f}", "", len(queries.captured_queries), Notification.objects.count() - before))

    complaint = Complaint.objects.open().order_by("-pk").first()
    case = Case.objects.open().order_by("-pk").first()
    for label, record in (("whom a step tells: a complaint", complaint), ("whom a step tells: a P2TP2A case", case)):
        fresh = type(record).objects.get(pk=record.pk)
        fastest, median, queries = timed(lambda fresh=fresh: acting_users(fresh), options.runs)
        rows.append((label, f"{fastest:.1f}", f"{median:.1f}", queries, len(acting_users(fresh))))

    user = get_user_model().objects.get(username="petugas.p2tp2a-ciamis")
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(user=user, kind=Kind.STEP, text=f"Beban {n}", url="/", key=f"bench:{n}", created_at=now,
                     read_at=now if n % 10 else None)
        for n in range(options.notifications)
    )
    fastest, median, queries = timed(
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count(), options.runs
    )
    rows.append((f"the bell's count ({options.notifications:,} held, a tenth unread)", f"{fastest:.2f}", f"{median:.2f}", queries, ""))
    for page in (Page("the start page of that officer", user, reverse("home")),
                 Page("the notification list of that officer", user, reverse("notifications:index"))):
        fastest, median, queries, _calls = measure(page, options.runs)
        rows.append((page.label, f"{fastest:.1f}", f"{median:.1f}", queries, ""))

    print(f"{'measure':<58}{'ms fastest':>12}{'median':>10}{'queries':>10}{'told':>8}")
    for label, fastest, median, queries, told in rows:
        print(f"{label:<58}{fastest:>12}{median:>10}{queries:>10}{told!s:>8}")
    connection.close()
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE "{options.database}"')


if __name__ == "__main__":
    main(OPTIONS)
