"""Time and queries of the ALOKON warehouse's reads and of an SBBK, on a ledger of 1,000,000 movements.

    .venv/bin/python benchmarks/alokon_stock.py [--movements 1000000] [--runs 15]

Needs PostgreSQL (DATABASE_URL, default postgres://root@127.0.0.1:5432/layanan_bench_alokon; the database is
dropped and created again, and dropped at the end). It migrates, loads the demo (load_demo), and seeds one
regency's warehouse with benchmarks/volume.py: the demo's items, one faskes per 2,000 movements (500 for
1,000,000) and three years of ledger to yesterday, distributions to the faskes from the earliest expiring
lots, a new lot from the province when an item runs low, returns, damaged and expired stock written off, a few
write-offs reversed; the balances are the ledger's sums. Then it measures, in-process under production
settings, the median and fastest of --runs calls and the queries of one:

- stock on hand (stock_by_item), as the dashboard asks it;
- the stock card of the busiest item, 50 rows: the first page, and the last page (the latest rows);
- an SBBK of 3 items on a fresh distribution (sbbk_issue; the request and SPMB are made outside the timing);
- the month summary of last month (month_summary).

Until 2026-12 it seeded its own agency with 50 items (one warehouse, 500 faskes) by COPY, and failed with a
duplicate key on a database holding the demo; the figures below are of that ledger. Since, the ledger is
benchmarks/volume.py's, with the demo's seven items: an item's card is longer.

2026-11-28, 2 cores shared with other test runs (load 3 to 8), PostgreSQL 15; 1,000,000 movements seeded in
about 2 minutes, 3 minutes in all. ms median / fastest of 15, queries; as migrated -> without movement_day:
  stock on hand                          49 /  40, 3  ->  175 / 138
  stock card, first page                 23 /  15, 2  ->   20 /  13
  stock card, last page (35,832 rows)   138 / 108, 2  ->  137 / 101
  SBBK of 3 items                        68 /  61, 34 ->   51 /  30
  month summary                          43 /  35, 3  ->  182 / 154
The SBBK's 34 queries included a second locking read of each balance row it posts to, already read and locked
with all its items' rows: the posting now uses the row held. Rerun since, same machine, load not controlled:
  SBBK of 3 items                        59 /  48, 31 ->   76 /  66, 31
As first written, the month summary summed the whole ledger up to the month's end: 387 / 356 ms, a full scan;
it now counts back from stock on hand over the movements since the month began. Stock on hand spent its time
in the months-of-stock average, a scan of every issue; movement_day serves both. The stock card's last page
(the page it opens on) summed the item's whole history in a window after joining its lot and faskes:
EXPLAIN showed a sort of 35,832 wide rows spilling to disk. It now sums over the card's index, which carries
the quantity, and reads whole only the page's 50 rows (alokon.stock.CardRows). 2026-12-06, same machine, a
test run beside it:
  stock card, first page                 15 /  12, 3
  stock card, last page (35,832 rows)    54 /  38, 3   (was 138 / 108, 2)
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/layanan_bench_alokon")

if __name__ == "__main__":  # the portal under production settings, on the benchmark's own database
    sys.path.insert(0, str(ROOT))
    from benchmarks.http_pages import production_env

    TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-alokon-"))
    os.environ.update({**production_env(TMP), "DATABASE_URL": DATABASE_URL})
    import django

    django.setup()

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alokon import stock
from alokon.models import Facility, Item, Lot, Method, Movement, StockBalance
from alokon.services import allocation, dispatch
from alokon.views.scoping import PAGE_SIZE
from benchmarks import volume

# Measured as migrated, then without the covering index `movement_day` (alokon.models.Movement.Meta.indexes),
# to show what it buys: a month's or three months' movements of every item read from the index alone.
STAGES = [
    ("as migrated", []),
    ("without movement_day", ["DROP INDEX movement_day"]),
]


def server_url(database):
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{database}"))


DATABASE = urlsplit(DATABASE_URL).path.lstrip("/")


def measure(call, runs, setup=None):
    """Median and fastest time of `runs` calls, in ms, and the queries of one more."""
    times = []
    for _ in range(runs + 1):
        argument = setup() if setup else None
        start = time.perf_counter()
        call(argument) if setup else call()
        times.append((time.perf_counter() - start) * 1000)
    times = times[1:]  # the first warms the connection and the caches
    argument = setup() if setup else None
    with CaptureQueriesContext(connection) as queries:
        call(argument) if setup else call()
    return statistics.median(times), min(times), len(queries)


def calls(regency):
    """(label, call, setup) of each read and write measured, in the regency's warehouse; `setup` makes a call's
    argument outside the timing."""
    service, agency, users = regency.services["alokon"], regency.units["dinas"], regency.users
    busiest = Movement.objects.filter(warehouse=agency).values("item_id").annotate(n=Count("id")).order_by("-n").first()
    item = Item.objects.get(pk=busiest["item_id"])
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    items = Item.objects.filter(code__in=[code for code, *_rest in volume.DEMO_ITEMS])
    sbbk_items = [i for i in items if i.method == Method.PILL][:2] + [i for i in items if i.method == Method.CONDOM][:1]
    facilities = list(Facility.objects.filter(unit=agency, is_active=True))

    def card_page(number):
        """A page of the stock card as its page asks it (alokon.views.ledger.stock_card): a count, then 50 rows."""
        paginator = Paginator(stock.card_movements(agency, item), PAGE_SIZE)
        return list(paginator.get_page(number or paginator.num_pages).object_list)

    def fresh_distribution():
        """A request of a pack of 3 items for a faskes, by its UPTD, its SPMB approved: it waits for its SBBK."""
        distribution = allocation.request_create(
            service=service, facility=random.choice(facilities), actor=users["uptd"],
            lines=[(sbbk_item, sbbk_item.pack_size) for sbbk_item in sbbk_items],
        )
        approved = {line.pk: line.requested for line in distribution.lines.all()}
        return allocation.spmb_approve(distribution, actor=users["sekdis"], expected_status="spmb", approved=approved)

    return [
        ("stock on hand (stock_by_item)", lambda: stock.stock_by_item(agency), None),
        ("stock card, first page", lambda: card_page(1), None),
        (f"stock card, last page of {busiest['n']:,} rows", lambda: card_page(None), None),
        ("SBBK of 3 items (sbbk_issue)",
         lambda distribution: dispatch.sbbk_issue(distribution, actor=users["gudang"], expected_status="packing"),
         fresh_distribution),
        (f"month summary {last_month:%m-%Y}", lambda: stock.month_summary(agency, last_month), None),
    ]


def balances_match(warehouse):
    """Whether each lot's balance is its ledger's sum."""
    return dict(StockBalance.objects.filter(warehouse=warehouse).values_list("lot_id", "quantity")) == dict(
        Movement.objects.filter(warehouse=warehouse).values("lot_id").annotate(total=Sum("quantity"))
        .values_list("lot_id", "total")
    )


def main():
    import psycopg

    from benchmarks.http_pages import manage

    parser = argparse.ArgumentParser()
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()

    with psycopg.connect(server_url("postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        db.execute(f'CREATE DATABASE "{DATABASE}"')
    try:
        for command in (["migrate"], ["collectstatic", "--noinput"], ["load_demo"]):
            manage(dict(os.environ), *command)
        start = time.perf_counter()
        province = volume.seed(cases=0, movements=options.movements, facilitations=0, regencies=1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a load: visibility map, statistics
        regency = province.regencies[0]
        agency = regency.units["dinas"]
        seeded = Movement.objects.filter(warehouse=agency).count()
        print(f"{seeded:,} movements seeded in {time.perf_counter() - start:.1f} s", file=sys.stderr)

        measured = calls(regency)
        results = {}
        for stage, indexes in STAGES:
            with connection.cursor() as cursor:
                for sql in indexes:
                    cursor.execute(sql)
                cursor.execute("ANALYZE alokon_movement")
            for label, call, setup in measured:
                results[label, stage] = measure(call, options.runs, setup)

        print(f"ALOKON warehouse, PostgreSQL, production settings, in-process; {seeded:,} movements, "
              f"{Item.objects.count()} items, {Lot.objects.filter(balances__warehouse=agency).count():,} lots, "
              f"{Facility.objects.filter(unit=agency).count()} faskes; ms: median and fastest of {options.runs} calls; "
              f"queries of one")
        print(f"{'':<40}" + "".join(f"{stage:>27}" for stage, _indexes in STAGES))
        print(f"{'':<40}" + f"{'median':>9}{'min':>9}{'queries':>9}" * len(STAGES))
        for label, _call, _setup in measured:
            cells = (results[label, stage] for stage, _indexes in STAGES)
            print(f"{label:<40}" + "".join(f"{median:>9.1f}{fastest:>9.1f}{queries:>9}" for median, fastest, queries in cells))
        print(f"balances equal the ledger's sums: {balances_match(agency)}")
    finally:
        connection.close()
        with psycopg.connect(server_url("postgres"), autocommit=True) as db:
            db.execute(f'DROP DATABASE "{DATABASE}"')
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
