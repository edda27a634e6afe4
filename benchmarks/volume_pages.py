"""The pages of issue 23 on a province's records (benchmarks/volume.py): in-process time and queries, and wrk.

    .venv/bin/python benchmarks/volume_pages.py [--cases 100000] [--movements 1000000] [--facilitations 20000]
        [--runs 10] [--seconds 10] [--keep] [--reuse]

Needs PostgreSQL at 127.0.0.1:5432 (user root). It creates the database layanan_bench_volume (--database),
migrates it, loads the demo and publishes its documents as a deploy does, seeds the province
(benchmarks/volume.py), and VACUUM ANALYZEs, as autovacuum would after a load. Then, under production
settings, it asks each page of the table below as the regency's account whose page it is: in-process with the
test client, the fastest and median of --runs requests after one to warm up, and the queries of one more; then,
where wrk is installed, under gunicorn (3 sync workers) at 8 and 32 connections for --seconds each, waiting for
gunicorn to drain between pages, beside the references measured in the same run: a bare Django view
(benchmarks/ceiling.py), the portal's empty page for a signed-in user (benchmarks/stack_urls.py) and a public
standard page. --keep leaves the database (and prints its name) for EXPLAIN and pyinstrument; --reuse measures
a database kept before, migrated to the code of now, without seeding it again.

Sizes: 1,000 records is --cases 1000 --movements 10000 --facilitations 200; 10,000 is ten times that; the full
size is the default. Seeding takes about 26 s per 10,000 cases, 100,000 movements and 2,000 facilitations
on 2 shared cores (257 s at full size; migrating, loading the demo and publishing take another minute).

Before the fixes of issue 23 (the issue's table: 100,000 cases, 1,000,000 movements and 20,000
facilitations seeded by the earlier scripts, statuses spread evenly so three in four records were open; one
warehouse; PostgreSQL, production settings, gunicorn 3 sync workers, 2 cores, wrk; in-process ms are the
fastest / median of 10 calls):

    page                                               in-process ms  queries  req/s at 8  p95 ms at 8  p95 ms at 32
    an officer's start page                                264 / 350        7           6        1,546         5,730
    P2TP2A register, first page (Ketua)                    160 / 207       15          12          869         3,148
    P2TP2A register, search by name                        118 / 158       11          14          666         2,635
    a case page (team member)                              113 / 139       28          13          762         2,909
    identitas register (Kabid)                             262 / 326       21           6        1,782         5,326
    a facilitation page                                     27 / 45        14          42          232           901
    ALOKON dashboard                                        63 / 105       14          20          484         1,774
    stock card of the busiest item (35,832 rows)            77 / 88        10          23          439         1,648
    admin users (Admin role)                                27 / 39         9          48          220           822
    references: bare view / empty signed-in / standard                 0 / 2 / 0   3,049 / 273 / 445
                                                                                   p95 at 8: 5 / 40 / 25, at 32: 14 / 131 / 79

The officer's start page grew from 27 ms at 1,000 cases to 56 at 10,000 and 305 at 100,000 (in-process,
fastest); the Ketua's register was 72-80 ms already at 1,000.

The same pages on this seeder's province (most records closed, a few hundred open per unit; see
benchmarks/volume.py), also before the fixes: 2026-12-07 at 8f20092, 2 cores shared with other sessions' test
runs, PostgreSQL 15; wrk was not installed (Debian's package wrk provides it), so in-process only: ms fastest /
median of 10, queries. 1,000 is one regency (1,000 cases, 300 open; 10,363 movements; 200 facilitations),
10,000 ten such regencies, 100,000 ten regencies of 10,000 cases, 98,000 movements and 2,000 facilitations
(980,583 movements; seeded in 257 s, the whole run 5.5 minutes):

    page                                              1,000            10,000           100,000
    an officer's start page                        28 /  33, 10     37 /  44, 18    126 / 146, 19
    P2TP2A register, first page (Ketua)            49 /  62, 15     55 /  62, 15     67 / 100, 15
    P2TP2A register, search by name                37 /  45, 15     32 /  36, 15     42 /  45, 15
    a case page (team member)                      63 /  83, 30     54 /  65, 30     61 /  74, 30
    identitas register (Kabid)                     56 /  90, 21     53 /  57, 21     58 /  61, 21
    a facilitation page                            33 /  33, 23     33 /  36, 23     43 /  64, 23
    ALOKON dashboard                               20 /  22, 15     22 /  25, 15     39 /  47, 15
    stock card of the busiest item                 20 /  22, 14     27 /  29, 14     35 /  39, 14
      (its rows)                                      (1,816)          (1,816)         (17,165)
    admin users (Admin role)                       21 /  22, 10     22 /  31, 10     24 /  26, 10
    references: empty signed-in / standard page   2.1 / 1.2, 2/1   2.3 / 1.7, 2/1   2.0 / 1.4, 2/1

The first run after seeding (cold caches) gave 211 / 239 ms for the start page at 100,000. What grows is the
officer's start page, in queries (10 with one P2TP2A, 18 with ten) and time: for each P2TP2A of the province
in which the officer holds no role, portal.selectors.is_guest asks whether they are on a case team there, an
EXISTS probed for every case of that service (25-30 ms each at 10,000 cases, nine of them). The ALOKON
dashboard and the stock card grow with their warehouse's ledger (10,000 to 98,000 movements).

After the worklist's one query for the services where the user is on a team (portal.selectors.named_services),
at 100,000 (--reuse, wrk 5 s a page; 2 cores shared with nothing else):

    page                                              fastest   median  queries  req/s@8   p50@8   p95@8 req/s@32  p50@32  p95@32
    an officer's start page                              51.6     58.6       10       35     215     298       41     755     852
    P2TP2A register, first page (Ketua)                  66.0     86.8       15       24     304     463       23    1328    1545
    P2TP2A register, search by name                      45.6     50.8       15       37     201     338       45     681     781
    a case page (team member)                            59.2     68.6       30       19     395     531       21    1406    1566
    identitas register (Kabid)                           68.8     86.9       21       25     308     406       27    1156    1331
    a facilitation page                                  46.5     48.9       23       34     228     298       39     791     968
    ALOKON dashboard                                     32.0     39.3       15       55     144     196       56     543     668
    stock card of the busiest item (17,165 rows)         37.1     41.2       14       46     169     223       45     665     821
    admin users (Admin role)                             25.5     28.4       10       69     108     214       80     379     495
    reference: empty signed-in page                       3.2      3.4        2      372      20      41      384      83      96
    reference: public standard page                       1.7      1.9        1      976       8      13      733      40      63
    reference: bare Django view                                                     4614       1       5     4889       6      10

Then with the guest check over open records only (portal.selectors.named_services) and the case page's notes
read once, the same database, another run (the machine's noise shows in the registers, which did not change):

    page                                              fastest   median  queries  req/s@8   p50@8   p95@8 req/s@32  p50@32  p95@32
    an officer's start page                              48.1     49.7       10       46     161     249       68     450     549
    P2TP2A register, first page (Ketua)                  83.7     87.3       15       28     249     643       32     943    1018
    P2TP2A register, search by name                      38.2     53.0       15       50     155     219       51     604     695
    a case page (team member)                            62.6     67.5       30       26     302     388       21    1408    1576
    identitas register (Kabid)                           81.5     86.6       21       24     310     417       24    1174    1537
    a facilitation page                                  47.0     56.3       23       44     174     251       45     694     754
    ALOKON dashboard                                     34.5     38.6       15       52     150     220       45     679     836
    stock card of the busiest item (17,165 rows)         51.5     55.1       14       40     191     294       46     664     821
    admin users (Admin role)                             22.6     25.6       10       56     132     247       68     450     553
    reference: empty signed-in page                       2.4      3.1        2      377      20      38      503      61      89
    reference: public standard page                       1.8      2.3        1      533      14      22      743      42      56
    reference: bare Django view                                                     5362       1       5     5020       6      10

Every page is now flat in queries. Still far from the issue's aim (start pages and registers under 40 ms, p95
under 200 ms at 32 connections): at 2 cores, 32 connections need a page in about 12 ms of CPU.

2026-12-07, later: the rows of registers rendered with less (the due time built by a simple tag, the phone
labels translated once), registers of 25 rows (portal.pagination.REGISTER_PAGE_SIZE), the start page reading a
service's waiting records once, record pages asking each thing once, the stock card's lot list bounded. The
column "calls" is the Python function calls of one request (cProfile): it does not move with the machine's
other work, which on this day made the same code 2 to 3 times slower than the day before (admin users, whose
code did not change: 22.6 ms fastest then, 40-65 ms in three runs now; the bare view 3,400-4,200 req/s instead
of 5,000). Left 1,000 (one regency: 1,000 cases, 300 open; 10,519 movements; 200 facilitations), right
100,000 (--reuse of the database above; 1,000,178 movements), same code (cc75fcd), one run after the other:

    page                                     calls at 1,000  calls at 100,000  queries  fastest ms 1,000 / 100,000
    an officer's start page                          43,950            46,641        9          39.4 /  48.1
    P2TP2A register, first page (Ketua)             110,203           111,174       15          83.0 /  88.7
    P2TP2A register, search by name                  64,416            65,496       15          65.9 /  61.6
    a case page (team member)                       135,639           135,664       23         121.5 / 107.8
    identitas register (Kabid)                      117,835           119,815       21          84.6 /  95.5
    a facilitation page                              77,881            76,709       19          84.0 /  57.1
    ALOKON dashboard                                 55,276            60,328       15          45.9 /  60.7
    stock card of the busiest item                   54,947            56,182       14          44.3 /  44.9
      (its rows in the year)                          (1,844)          (17,491)
    admin users (Admin role)                         70,933            72,129       10          43.6 /  64.6
    references: empty signed-in / standard page  5,650 / 2,996     5,656 / 2,994   2 / 1     5.2 / 2.7  5.1 / 2.6

The calls before these changes, at 100,000: start page 53,216; P2TP2A register 199,110; search 65,494; case
page 150,560 (30 queries); identitas register 189,375; facilitation page 80,657 (23 queries); ALOKON dashboard
63,928; stock card 117,729 (its lot list named every lot of the years: 56,182 now); admin users 72,045.

wrk at 100,000 in the same run (req/s, p50 and p95 ms at 8 and 32 connections):

    page                                              req/s@8   p50@8   p95@8 req/s@32  p50@32  p95@32
    an officer's start page                                41     179     309       42     738     838
    P2TP2A register, first page (Ketua)                    23     334     414       25    1235    1310
    P2TP2A register, search by name                        35     222     264       36     845     944
    a case page (team member)                              24     330     408       21    1476    1639
    identitas register (Kabid)                             20     363     540       21    1499    1621
    a facilitation page                                    32     243     306       33     943    1000
    ALOKON dashboard                                       40     195     250       43     767     825
    stock card of the busiest item (17,491 rows)           66     118     155       52     592     668
    admin users (Admin role)                               46     173     208       47     685     727
    reference: empty signed-in page                       445      17      30      390      78     118
    reference: public standard page                       814       9      13      670      47      51
    reference: bare Django view                          3420       2       6     4170       7      11

Tried and not kept: parameters bound on the server with psycopg's prepared statements (planning the access
rules' EXISTS takes PostgreSQL 2-6 ms a query), because from a statement's sixth run PostgreSQL may use a generic
plan, and the Ketua's count of open high-risk cases went from 2 ms to 36-66 ms; a select widget template with
its options inline (4% fewer calls on a register: not worth a settings change). Measured, not adopted yet:
sessions in Redis (cached_db) make the empty signed-in page 3.4 -> 2.8 ms in-process (5,650 -> 4,966 calls;
signed cookies 2.6 ms), under 2% of an officer's page, and Django's cached_db answers 500 when Redis is down
(its load writes the cache outside its try); it comes with Redis in the deployment (the notifications issue).
"""

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--facilitations", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10, help="of wrk per page and number of connections")
    parser.add_argument("--database", default="layanan_bench_volume")
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument("--reuse", action="store_true", help="measure the database kept by an earlier --keep")
    return parser.parse_args()


if __name__ == "__main__":  # the portal under production settings, on the benchmark's own database
    OPTIONS = arguments()
    sys.path.insert(0, str(ROOT))
    from benchmarks.http_pages import production_env

    TMP = Path(tempfile.mkdtemp(prefix="layanan-bench-volume-"))
    os.environ.update({**production_env(TMP), "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{OPTIONS.database}"})
    import django

    django.setup()

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from alokon.models import Distribution, Movement
from benchmarks import volume
from cases.models import Case
from identitas.models import Facilitation
from portal.models import Service

# The case page is measured on an open case in the first of these steps that has one: its team and referrals.
CASE_STEPS = ["legal", "psychological", "medical", "reintegration", "assessment", "outreach", "intake", "report"]
FACILITATION_STEPS = ["accompaniment", "result_report", "analysis", "outreach", "record", "archive", "review", "report"]


@dataclass
class Page:
    """A page of the table, as asked by `user` (None: anonymous); `data` is POSTed. The page must show one of
    `shows` (the seeded rows it lists). `urlconf`: the references' URLs (benchmarks/stack_urls.py)."""

    label: str
    user: object
    path: str
    data: dict | None = None
    shows: list = field(default_factory=list)
    urlconf: str = ""


def pages(province):
    """The pages of the issue's table, for the first regency of `province`."""
    regency = province.regencies[0]
    users, services = regency.users, regency.services
    officer = users["peksos1"]
    cases = Case.objects.filter(service=services["cases"])
    case = next(
        found for status in CASE_STEPS
        if (found := cases.filter(status=status, team__user=officer, team__ended_at=None).order_by("pk").first())
    )
    victim = case.victim.name
    facilitations = Facilitation.objects.filter(service=services["identitas"])
    facilitation = next(
        found for status in FACILITATION_STEPS if (found := facilitations.filter(status=status).order_by("pk").first())
    )
    newest = facilitations.order_by("-received_at", "-pk")[:50]
    warehouse = services["alokon"]
    busiest = (
        Movement.objects.filter(warehouse=warehouse.unit).values("item_id").annotate(rows=Count("id"))
        .order_by("-rows").first()
    )
    latest = Movement.objects.filter(warehouse=warehouse.unit, item_id=busiest["item_id"]).order_by("-occurred_on", "-id")
    open_distributions = Distribution.objects.filter(service=warehouse).open().select_related("facility")
    found = [
        Page("an officer's start page", officer, reverse("home"), shows=[c.number for c in cases.open()]),
        Page("P2TP2A register, first page (Ketua)", users["ketua"], reverse("cases:register"),
             shows=[c.number for c in cases.open()]),
        Page("P2TP2A register, search by name", users["ketua"], reverse("cases:register"), data={"q": victim},
             shows=[victim]),
        Page("a case page (team member)", officer, reverse("cases:detail", args=[case.pk]), shows=[victim]),
        Page("identitas register (Kabid)", users["kabid"], reverse("identitas:register"),
             shows=[f.number for f in newest]),
        Page("a facilitation page", facilitation.officer, reverse("identitas:detail", args=[facilitation.pk]),
             shows=[facilitation.person.name]),
        Page("ALOKON dashboard", users["gudang"], f"{reverse('alokon:dashboard')}?{urlencode({'layanan': warehouse.slug})}",
             shows=[d.facility.name for d in open_distributions]),
        Page(f"stock card of the busiest item ({busiest['rows']:,} rows)", users["gudang"],
             f"{reverse('alokon:stock_card', args=[busiest['item_id']])}?{urlencode({'layanan': warehouse.slug})}",
             shows=[latest.first().lot.number]),
        Page("admin users (Admin role)", users["admin"], "/admin/auth/user/", shows=[users["gudang"].username]),
        Page("reference: empty signed-in page", officer, "/kosong/", urlconf="benchmarks.stack_urls"),
    ]
    # The demo's standard, once published: a public page served from the portal's cache.
    if Service.objects.filter(slug="alokon-ciamis").exists():
        found.append(Page("reference: public standard page", None, "/publik/layanan/alokon-ciamis/"))
    return found


def measure(page, runs):
    """(fastest ms, median ms, queries, Python calls) of the page in-process: one request to warm up, `runs`
    timed, one counted, one profiled. The page must answer 200 and show one of `page.shows`.

    The function calls Python makes for a request (cProfile's count) are the figure that does not move with the
    machine's other work: on 2 shared cores the times of two runs differ by up to 2 times."""
    client = Client()
    if page.user is not None:
        client.force_login(page.user)

    def ask():
        return client.post(page.path, page.data) if page.data is not None else client.get(page.path)

    with override_settings(**({"ROOT_URLCONF": page.urlconf} if page.urlconf else {})):
        ask()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            ask()
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = ask()
        query_count = len(queries)  # before the next request: its start empties the connection's log of queries
        profile = cProfile.Profile()
        profile.runcall(ask)
    assert response.status_code == 200, (page.label, response.status_code)
    if page.shows:
        content = response.content.decode()
        assert any(text in content for text in page.shows), (page.label, "shows none of the seeded rows")
    return min(times), statistics.median(times), query_count, pstats.Stats(profile).total_calls


def http_figures(measured, seconds, env):
    """{label: {connections: (req/s, p50 ms, p95 ms, errors)}} under gunicorn with production settings, 3 sync workers;
    the references (the bare view under its own gunicorn, the empty signed-in page under the portal's settings with
    benchmarks/stack_urls.py) in the same run. Between pages gunicorn drains."""
    from benchmarks.http_pages import drain, session_cookie, start_gunicorn, wrk

    servers = {
        "": ("layanan.wsgi", env),
        "benchmarks.stack_urls": ("layanan.wsgi", {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.stack_ceiling"}),
        "bare": ("benchmarks.ceiling:application", env),
    }
    figures, cookies = {}, {}
    for urlconf, (app, app_env) in servers.items():
        process, base = start_gunicorn(app, app_env, 3, "/" if urlconf == "bare" else "/masuk/")
        try:
            asked = [Page("reference: bare Django view", None, "/")] if urlconf == "bare" else [
                page for page in measured if page.urlconf == urlconf
            ]
            for page in asked:
                username = page.user.username if page.user else None
                if username and username not in cookies:
                    cookies[username] = session_cookie(base, username, volume.PASSWORD)
                figures[page.label] = {}
                for connections in (8, 32):
                    rate, latency, errors = wrk(base + page.path, seconds, connections, cookies.get(username, ""), page.data)
                    figures[page.label][connections] = (rate, latency[50], latency[95], errors)
                    drain(base, "/" if urlconf == "bare" else "/masuk/")
        finally:
            process.terminate()
            process.wait()
    return figures


def http_cells(figures):
    """wrk's req/s, p50 and p95 at 8 and 32 connections, as the table prints them."""
    cells = ""
    for connections in (8, 32):
        rate, p50, p95, errors = figures[connections]
        cells += f"{rate:>9.0f}{p50:>8.0f}{p95:>8.0f}" + (f" ({errors} errors!)" if errors else "")
    return cells


def print_table(title, measured, results, http):
    print(title)
    columns = "".join(f"{'req/s@' + c:>9}{'p50@' + c:>8}{'p95@' + c:>8}" for c in ("8", "32"))
    print(f"{'page':<48}{'fastest':>9}{'median':>9}{'queries':>9}{'calls':>9}" + (columns if http else ""))
    for page in measured:
        fastest, median, queries, calls = results[page.label]
        print(f"{page.label:<48}{fastest:>9.1f}{median:>9.1f}{queries:>9}{calls:>9,}" + (http_cells(http[page.label]) if http else ""))
    if http:
        print(f"{'reference: bare Django view':<48}{'':>36}" + http_cells(http["reference: bare Django view"]))


def main(options):
    import psycopg

    from benchmarks.http_pages import manage

    env, database = dict(os.environ), options.database
    server = "postgresql://root@127.0.0.1:5432/postgres"
    if not options.reuse:
        with psycopg.connect(server, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{database}"')
            db.execute(f'CREATE DATABASE "{database}"')
    start = time.perf_counter()
    for command in [["migrate"], ["collectstatic", "--noinput"]] + ([] if options.reuse else [["load_demo"], ["publish"]]):
        manage(env, *command)  # as a deploy runs them, each in a process of its own
    if options.reuse:
        province = volume.Province.load()
    else:
        print(f"migrated, demo loaded and published in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        start = time.perf_counter()
        province = volume.seed(
            cases=options.cases, movements=options.movements, facilitations=options.facilitations,
            log=lambda line: print(line, file=sys.stderr),
        )
        print(f"seeded in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    measured = pages(province)
    results = {page.label: measure(page, options.runs) for page in measured}
    http = None
    if shutil.which("wrk"):
        http = http_figures(measured, options.seconds, env)
    else:
        print("wrk is missing (on Debian: apt-get install wrk): in-process figures only", file=sys.stderr)
    regency = province.regencies[0]
    print_table(
        f"{Case.objects.filter(service__slug__startswith='volume-').count():,} cases ({len(province.regencies)} P2TP2A; "
        f"{Case.objects.filter(service=regency.services['cases']).open().count()} open in the one measured), "
        f"{Movement.objects.filter(warehouse__code__startswith='volume-').count():,} movements, "
        f"{Facilitation.objects.filter(service__slug__startswith='volume-').count():,} facilitations; PostgreSQL, "
        f"production settings; in-process ms (fastest, median of {options.runs}) and queries of one"
        + ("; wrk: req/s and ms, gunicorn 3 sync workers" if http else ""),
        measured, results, http,
    )
    connection.close()
    if options.keep:
        print(f"database kept: {database}", file=sys.stderr)
    else:
        with psycopg.connect(server, autocommit=True) as db:
            db.execute(f'DROP DATABASE "{database}"')
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main(OPTIONS)
