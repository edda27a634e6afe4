"""Time and queries of the ALOKON warehouse's reads and of an SBBK, on a ledger of 1,000,000 movements.

    .venv/bin/python benchmarks/alokon_stock.py [--movements 1000000] [--runs 15]

Needs PostgreSQL (DATABASE_URL, default postgres://root@127.0.0.1:5432/layanan_bench; the database is
dropped and created again, and dropped at the end). It migrates, creates one agency's warehouse with 50
items (condoms in boxes of 144), 500 faskes and three years of movements, day by day: a new lot of an item
when its usable stock runs low (expiring two years later), issues to random faskes from the earliest
expiring lot, some returns, write-offs of damaged and expired stock, and a few reversals. The rows go in
with COPY (the ledger's trigger refuses only UPDATE and DELETE); the balances are the ledger's sums. Then
it measures, in-process under production settings, the median and fastest of --runs calls and the queries
of one:

- stock on hand (stock_by_item), as the dashboard asks it;
- the stock card of the busiest item, 50 rows: the first page, and the last page (the latest rows);
- an SBBK of 3 items on a fresh distribution (sbbk_issue; the request and SPMB are made outside the timing);
- the month summary of last month (month_summary).

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
from collections import defaultdict
from datetime import date, time as day_time, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.http_pages import production_env  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/layanan_bench")
TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-alokon-"))
os.environ.update({**production_env(TMP), "DATABASE_URL": DATABASE_URL})

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from alokon import stock  # noqa: E402
from alokon.services import allocation, dispatch  # noqa: E402
from alokon.models import Facility, Item, Lot, Method, Movement, Receipt, StockBalance  # noqa: E402
from alokon.views.scoping import PAGE_SIZE  # noqa: E402
from portal.models import Kecamatan, Membership, Service, ServiceHours, Unit  # noqa: E402
from portal.roles import Role  # noqa: E402

ITEMS = 50
FACILITIES = 500
YEARS = 3
SEED = 20261128
# Measured as migrated, then without the covering index `movement_day` (alokon.models.Movement.Meta.indexes),
# to show what it buys: a month's or three months' movements of every item read from the index alone.
STAGES = [
    ("as migrated", []),
    ("without movement_day", ["DROP INDEX movement_day"]),
]
COLUMNS = (
    "id", "warehouse_id", "item_id", "lot_id", "kind", "quantity", "occurred_on", "document", "facility_id", "party",
    "reason", "note", "receipt_id", "reverses_id", "posted_by_id", "posted_at",
)


def server_url(database):
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{database}"))


DATABASE = urlsplit(DATABASE_URL).path.lstrip("/")


def create_database():
    with psycopg.connect(server_url("postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        db.execute(f'CREATE DATABASE "{DATABASE}"')


def drop_database():
    connections.close_all()
    with psycopg.connect(server_url("postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE "{DATABASE}"')


class Warehouse:
    """The agency, its people, 50 items and 500 faskes: everything but the ledger."""

    def __init__(self):
        government = Unit.objects.create(code="pemkab-uji", name="Pemerintah Kabupaten Uji", kind=Unit.Kind.GOVERNMENT)
        self.agency = Unit.objects.create(code="dinas-uji", name="Dinas Uji", kind=Unit.Kind.AGENCY, parent=government)
        for weekday in range(5):
            ServiceHours.objects.create(unit=self.agency, weekday=weekday, opens=day_time(8), closes=day_time(15))
        self.service = Service.objects.create(slug="alokon-uji", name="Penyaluran Alokon", unit=self.agency, app="alokon")
        self.storekeeper = self.user("pengelola", Role.STOREKEEPER)
        self.secretary = self.user("sekretaris", Role.HEAD)
        self.officer = self.user("petugas", Role.OFFICER)  # requests for the faskes, as their UPTD would
        kecamatan = Kecamatan.objects.bulk_create(
            Kecamatan(regency=government, name=f"Kecamatan {n:02d}", code=f"32.99.{n:02d}") for n in range(1, 27)
        )
        methods = [Method.PILL, Method.INJECTABLE, Method.CONDOM, Method.IMPLANT, Method.IUD]
        units = {Method.PILL: "strip", Method.INJECTABLE: "vial", Method.CONDOM: "buah", Method.IMPLANT: "set",
                 Method.IUD: "set"}
        self.items = Item.objects.bulk_create(
            Item(
                code=f"barang-{n:02d}", method=methods[n % 5], name=f"Barang {n:02d}", unit_of_issue=units[methods[n % 5]],
                pack_size=144 if methods[n % 5] == Method.CONDOM else 1, tracks_lots=n % 10 != 9,
            )
            for n in range(ITEMS)
        )
        self.facilities = Facility.objects.bulk_create(
            Facility(
                unit=self.agency, registration_number=f"K0KB{n:05d}", name=f"Faskes {n:03d}",
                kind=Facility.Kind.values[n % 5], kecamatan=kecamatan[n % len(kecamatan)], mkjp_mou=True,
            )
            for n in range(FACILITIES)
        )

    def user(self, username, role):
        user = User.objects.create_user(username=username, password="benchmark-sandi")
        Membership.objects.create(user=user, unit=self.agency, role=Group.objects.get(name=role))
        return user


def seed_ledger(warehouse, total):
    """`total` movements over YEARS years up to yesterday, COPYed in date order; then the balances.

    Every lot's running balance stays at or above zero, as the ledger's own rules would keep it.
    """
    rng = random.Random(SEED)
    today = timezone.localdate()
    first_day = today - timedelta(days=365 * YEARS)
    days = (today - first_day).days
    per_day = total / days
    items = warehouse.items
    # Issues per item and day: some items move ten times more than others.
    weights = [rng.uniform(0.2, 2.0) for _ in items]
    weights = [w / sum(weights) * per_day for w in weights]
    # Units per issue line, in packs for condoms.
    sizes = {item.pk: rng.choice([1, 2, 5]) if item.pack_size > 1 else rng.choice([5, 10, 20, 50]) for item in items}
    lots = defaultdict(list)  # item id -> [[lot id, expiry, balance]]
    lot_rows, receipt_rows, rows = [], [], []
    next_lot_id = (Lot.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    receipt_sequence = defaultdict(int)
    posted_at = timezone.now()
    user_id, agency_id = warehouse.storekeeper.pk, warehouse.agency.pk
    lot_numbers = defaultdict(int)

    def receive(item, day, quantity):
        nonlocal next_lot_id
        lot_numbers[item.pk] += 1
        number = f"{item.code.upper()}-{lot_numbers[item.pk]:03d}" if item.tracks_lots else Lot.NO_LOT
        if item.tracks_lots or not lots[item.pk]:
            expiry = day + timedelta(days=730) if item.tracks_lots else None
            lot_rows.append(Lot(pk=next_lot_id, item=item, number=number, expiry_date=expiry))
            lots[item.pk].append([next_lot_id, expiry, 0])
            next_lot_id += 1
        lot = lots[item.pk][-1]
        receipt_sequence[day.year] += 1
        receipt = Receipt(
            pk=len(receipt_rows) + 1, warehouse_id=agency_id, year=day.year, sequence=receipt_sequence[day.year],
            received_on=day, source_document=f"BKKBN/{day.year}/{receipt_sequence[day.year]}", posted_by_id=user_id,
            posted_at=posted_at,
        )
        receipt_rows.append(receipt)
        lot[2] += quantity
        rows.append((len(rows) + 1, agency_id, item.pk, lot[0], "terima", quantity, day, receipt.source_document,
                     None, receipt.supplier, "", "", receipt.pk, None, user_id, posted_at))

    def post(item_id, lot_id, kind, quantity, day, facility=None, reason="", reverses=None, document=""):
        rows.append((len(rows) + 1, agency_id, item_id, lot_id, kind, quantity, day, document,
                     facility.pk if facility else None, facility.name if facility else "", reason, "", None,
                     reverses, user_id, posted_at))
        return len(rows)

    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for item, weight in zip(items, weights):
            pack, size = item.pack_size, sizes[item.pk]
            for _ in range(int(weight) + (rng.random() < weight % 1)):
                usable = [lot for lot in lots[item.pk] if lot[2] >= pack and (lot[1] is None or lot[1] >= day)]
                if sum(lot[2] for lot in usable) < size * pack * 3:
                    receive(item, day, max(1, int(weight * 60 * size)) * pack)  # about 60 days of issues
                    usable = [lots[item.pk][-1], *usable]
                lot = min(usable, key=lambda lot: (lot[1] or date.max, lot[0]))  # earliest expiry first
                facility = rng.choice(warehouse.facilities)
                chance = rng.random()
                if chance < 0.03:  # a faskes sends some back
                    quantity = rng.randint(1, size) * pack
                    lot[2] += quantity
                    post(item.pk, lot[0], "kembali", quantity, day, facility, document="Retur")
                    continue
                quantity = min(rng.randint(1, size * 2) * pack, lot[2] // pack * pack)
                lot[2] -= quantity
                if chance < 0.04:  # damaged in the warehouse; now and then the write-off was a mistake
                    damaged = post(item.pk, lot[0], "penyesuaian", -quantity, day, reason="rusak")
                    if rng.random() < 0.2:
                        lot[2] += quantity
                        post(item.pk, lot[0], "pembalik", quantity, day, reverses=damaged)
                    continue
                post(item.pk, lot[0], "keluar", -quantity, day, facility, document="SBBK")
            if day.day == 1:  # expired stock is written off at the first of a month, or some of it
                for lot in lots[item.pk]:
                    if lot[1] is not None and lot[1] < day and lot[2] > 0 and rng.random() < 0.5:
                        post(item.pk, lot[0], "penyesuaian", -lot[2], day, reason="kedaluwarsa")
                        lot[2] = 0
        if len(rows) >= total:
            break

    Lot.objects.bulk_create(lot_rows, batch_size=5000)
    Receipt.objects.bulk_create(receipt_rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('alokon_lot', 'id'), %s)", [next_lot_id])
        cursor.execute("SELECT setval(pg_get_serial_sequence('alokon_receipt', 'id'), %s)", [len(receipt_rows) + 1])
        cursor.execute("SELECT setval(pg_get_serial_sequence('alokon_movement', 'id'), %s)", [total + 1])
        with cursor.connection.cursor().copy(f"COPY alokon_movement ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows[:total]:
                copy.write_row(row)
    balances = defaultdict(int)
    for row in rows[:total]:
        balances[row[2], row[3]] += row[5]
    StockBalance.objects.bulk_create(
        StockBalance(warehouse_id=agency_id, item_id=item_id, lot_id=lot_id, quantity=quantity)
        for (item_id, lot_id), quantity in balances.items()
    )
    assert min(balances.values()) >= 0
    return min(len(rows), total)


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


def fresh_distribution(warehouse, items):
    """A request of 3 items for a random faskes, its SPMB approved: it waits for its SBBK."""
    facility = random.choice(warehouse.facilities)
    distribution = allocation.request_create(
        service=warehouse.service, facility=facility, actor=warehouse.officer,
        lines=[(item, item.pack_size * 2) for item in items],
    )
    approved = {line.pk: line.requested for line in distribution.lines.all()}
    return allocation.spmb_approve(distribution, actor=warehouse.secretary, expected_status="spmb", approved=approved)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()

    create_database()
    try:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)  # the service's public pages render on save
        start = time.perf_counter()
        with transaction.atomic():
            warehouse = Warehouse()
            seeded = seed_ledger(warehouse, options.movements)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a load: visibility map, statistics
        print(f"{seeded:,} movements seeded in {time.perf_counter() - start:.1f} s", file=sys.stderr)

        agency = warehouse.agency
        busiest = Movement.objects.values("item_id").annotate(n=Count("id")).order_by("-n").first()
        item = Item.objects.get(pk=busiest["item_id"])
        last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        sbbk_items = [i for i in warehouse.items if i.method != Method.CONDOM][:2] + [
            i for i in warehouse.items if i.method == Method.CONDOM][:1]

        def card_page(number):
            """A page of the stock card as its page asks it (alokon.views.ledger.stock_card): a count, then 50 rows."""
            paginator = Paginator(stock.card_movements(agency, item), PAGE_SIZE)
            return list(paginator.get_page(number or paginator.num_pages).object_list)

        measured = [
            ("stock on hand (stock_by_item)", lambda: stock.stock_by_item(agency), None),
            ("stock card, first page", lambda: card_page(1), None),
            (f"stock card, last page of {busiest['n']:,} rows", lambda: card_page(None), None),
            ("SBBK of 3 items (sbbk_issue)",
             lambda distribution: dispatch.sbbk_issue(
                 distribution, actor=warehouse.storekeeper, expected_status="packing"),
             lambda: fresh_distribution(warehouse, sbbk_items)),
            (f"month summary {last_month:%m-%Y}", lambda: stock.month_summary(agency, last_month), None),
        ]
        results = {}
        for stage, indexes in STAGES:
            with connection.cursor() as cursor:
                for sql in indexes:
                    cursor.execute(sql)
                cursor.execute("ANALYZE alokon_movement")
            for label, call, setup in measured:
                results[label, stage] = measure(call, options.runs, setup)

        print(f"ALOKON warehouse, PostgreSQL, production settings, in-process; {seeded:,} movements, {ITEMS} items, "
              f"{Lot.objects.count():,} lots, {FACILITIES} faskes; ms: median and fastest of {options.runs} calls; "
              f"queries of one")
        print(f"{'':<40}" + "".join(f"{stage:>27}" for stage, _indexes in STAGES))
        print(f"{'':<40}" + f"{'median':>9}{'min':>9}{'queries':>9}" * len(STAGES))
        for label, _call, _setup in measured:
            cells = (results[label, stage] for stage, _indexes in STAGES)
            print(f"{label:<40}" + "".join(f"{median:>9.1f}{fastest:>9.1f}{queries:>9}" for median, fastest, queries in cells))
        balances_match = dict(StockBalance.objects.values_list("lot_id", "quantity")) == dict(
            Movement.objects.values("lot_id").annotate(total=Sum("quantity")).values_list("lot_id", "total")
        )
        print(f"balances equal the ledger's sums: {balances_match}")
    finally:
        drop_database()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
