"""Throughput of the shared pages under gunicorn and production settings, measured with wrk.

    .venv/bin/python benchmarks/http_pages.py [--seconds 10] [--connections 32] [--workers 3]

Needs wrk (apt-get install wrk) and PostgreSQL at 127.0.0.1:5432 (user root). It
creates the database layanan_bench_http, loads the demo agencies and accounts,
renders the published documents, starts gunicorn on the portal and, as the
ceiling, on a bare Django view (benchmarks/ceiling.py), and asks wrk for each
page. Then, twice, it adds 200 units and 1,000 users to the Ciamis agency and
measures again: the figures should stay flat. Query counts come from the test
client, in-process, on the same database. Between pages it waits until gunicorn
has answered what wrk left queued (drain), so no page pays for the one before.
The references are measured in the same run. The volume of records is
benchmarks/volume_pages.py's, which reuses the pieces here.

The references: a bare Django view (benchmarks/ceiling.py); a fixed response behind the portal's
settings and middleware, and the portal's empty chrome (base.html) for a signed-in officer
(benchmarks/stack_ceiling.py, benchmarks/stack_urls.py). "ms in-process" is the fastest of 10
rounds of 20 requests with the test client: on this shared machine wrk's rates move by a third
from one run to the next (the bare view gave 3,211 to 4,269 req/s on one day), the fastest round
much less.

2026-12-06, 2 cores, 3 workers, 32 connections, 5 s per page (one run; rates in req/s, then % of
the bare view, ms in-process), demo data -> +200 units, +1,000 users -> +400 units, +2,000 users:
  references: bare view 3,211; fixed response behind the middleware 1,734; empty chrome, signed in
    351 (11% of the bare view: every signed-in page costs this before it reads anything);
  login 464 -> 542 -> 739, 1.9 to 3.3 ms; public index, a standard, an SOP page and a standard PDF
    490-547 (15-17%) -> 739-853 -> 834-951 (26-30%), 1.4 to 2.4 ms, 1 query each;
  start page (officer) 59 (1.8%) -> 77 -> 97 (3.0%), 27 / 18 / 20 ms, 8 queries;
  admin units 61 (1.9%) -> 58 -> 52, 30 / 32 / 36 ms, 8 queries; admin users 38 (1.2%) -> 42 -> 36,
    26 / 34 / 48 ms, 9 queries (the first growth fills their pages from a few rows to 50).
The start page was 24.4 ms in-process before that day's change (its waiting filter built, compiled and
planned twice per service); 17.0 ms after it, on the same data.

Later the same day the admin lists still grew with the units: each scoped query carried the Admin's
unit ids as a list (two lists of 410 ids in the user list), which Django, psycopg and PostgreSQL handled
id by id. Scoping now passes a large set of units as a walk of the unit tree from its roots
(portal.access.UnitIds). Two runs, before -> after (bare view 5,932 -> 4,827; fixed response behind the
middleware 2,795 -> 2,780; empty chrome, signed in, 472 -> 600, 8-12% of the bare view); ms in-process for
demo data / +1,000 users / +2,000 users, then req/s at +2,000:
  admin users (Admin role)   20.5 / 34.9 / 46.6, 43 req/s  ->  25.4 / 26.2 / 28.7, 51 req/s
  admin units (Admin role)   17.3 / 29.2 / 36.2, 63 req/s  ->  19.5 / 25.2 / 22.3, 70 req/s
  start page (officer)       11.3 / 17.0 / 19.4, 120 req/s ->  13.8 / 14.7 / 13.5, 122 req/s
  public pages and login: 609-1,004 req/s before, 670-991 after (10-20% of the bare view), 1.0-2.1 ms.
Side by side in one process on the +2,000 database (fastest of 12 rounds, a list vs the walk): admin users
35.7 -> 31.0 ms, admin units 25.0 -> 23.6, the Kepala Dinas's start page 11.6 -> 9.4 and P2TP2A register
29.4 -> 25.7, an officer's start page (one unit: still a list) 12.3 -> 12.6.

What the figures support, and the aim kept for these pages (issue 6 asked the start page at 15% of the
bare view and the admin lists at 8%):
- Anonymous pages: 15% of the bare view or more; met in most runs (10-20% here, the machine's noise
  decides the rest). They are served from the per-version cache, with one query.
- Signed-in pages: the empty signed-in chrome is 8-12% of the bare view, so no page that reads a database
  session and its user can reach 15%; the one way past it, caching each user's rendered worklist, would show
  a worklist of confidential records that is out of date. Against the chrome: the start page at 15% or more
  (18-27% in these runs), admin lists at 8% or more (8.5-20%).
- Time flat as units and users grow: the admin lists now grow by 3 ms or less from +1,000 to +2,000 users,
  within the noise; their first growth is their pages filling from a few rows to 50. What still grows is
  linear and small: the count of the Admin's users for the paginator and the read of the unit tree
  (one query of id and parent, and the walk in Python: 0.7 ms at 411 units).
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "layanan_bench_http"
PASSWORD = "demo-layanan-2026"
OFFICER = "petugas.p2tp2a-ciamis"
ADMIN = "admin.dppkbpppa-ciamis"
# Each page and the user it is asked as (None: anonymous).
PAGES = {
    "login": ("/masuk/", None),
    "start page (officer)": ("/", OFFICER),
    "public index": ("/publik/", None),
    "a standard page": ("/publik/layanan/alokon-ciamis/", None),
    "an SOP page": ("/publik/layanan/alokon-ciamis/sop/", None),
    "a standard PDF": ("/publik/layanan/alokon-ciamis/standar.pdf", None),
    "admin units (Admin role)": ("/admin/portal/unit/", ADMIN),
    "admin users (Admin role)": ("/admin/auth/user/", ADMIN),
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))},
        "DJANGO_SETTINGS_MODULE": "layanan.settings",
        "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{DATABASE}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-secret-" + "q7Wz" * 12,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # wrk talks plain http to gunicorn; in production nginx ends TLS in front of it.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_CACHE_DIR": str(tmp / "cache"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_PRIVATE_ROOT": str(tmp / "private"),
        "PORTAL_DEMO": "1",
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def start_gunicorn(app, env, workers, ready_path="/"):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + ready_path, timeout=1)
            return process, url
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn {app} did not start")


def session_cookie(base, username, password=PASSWORD):
    """Log in through the login form; the Cookie header of the session."""
    response = urllib.request.urlopen(base + "/masuk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())[1]
    csrf = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))[1]
    request = urllib.request.Request(
        base + "/masuk/",
        data=urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode(),
        headers={"Cookie": f"csrftoken={csrf}", "Referer": base + "/masuk/"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(request)
    except urllib.error.HTTPError as response:
        if response.code != 302:
            raise
        # Logging in sets the session and rotates the CSRF cookie: two Set-Cookie headers.
        session = re.search(r"sessionid=([^;]+)", " ".join(response.headers.get_all("Set-Cookie", [])))[1]
        return f"sessionid={session}; csrftoken={csrf}"
    raise SystemExit(f"logging in as {username} did not redirect")


# wrk's own summary has no 95th percentile: this script prints the percentiles reported, in microseconds. It also
# makes the request a POST (a register's search by name), the CSRF cookie's own value serving as the form's token.
WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
done = function(summary, latency, requests)
  for _, p in pairs({{50, 90, 95, 99}}) do
    io.write(string.format("percentile %d %d\\n", p, math.floor(latency:percentile(p))))
  end
end
"""


def wrk(url, seconds, connections, cookie="", data=None):
    """Requests per second, {percentile: ms} (50, 90, 95, 99) and the count of answers not 2xx or 3xx, of `seconds`
    of wrk with `connections` connections; `data` ({field: value}) is POSTed."""
    body = ""
    if data is not None:
        csrf = re.search(r"csrftoken=([^;]+)", cookie)[1]
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, **data})
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT.format(method="GET" if data is None else "POST", body=body))
        script.flush()
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = {int(p): int(us) / 1000 for p, us in re.findall(r"percentile (\d+) (\d+)", out)}
    return rate, latency, int(errors[1]) if errors else 0


def drain(base, path="/masuk/", quick=0.25, timeout=120):
    """Wait until gunicorn has answered what wrk left queued: its workers go on with every request accepted before
    wrk stopped, and the next page's figures would pay for them. Drained when a request of `path` is answered within
    `quick` seconds twice running; then a second of quiet."""
    deadline, quick_ones = time.monotonic() + timeout, 0
    while quick_ones < 2:
        if time.monotonic() > deadline:
            raise SystemExit(f"gunicorn at {base} did not drain in {timeout} s")
        start = time.perf_counter()
        try:
            urllib.request.urlopen(base + path, timeout=timeout).read()
        except OSError:  # reset while the queue empties
            quick_ones = 0
            time.sleep(0.5)
            continue
        quick_ones = quick_ones + 1 if time.perf_counter() - start < quick else 0
        time.sleep(0.1)
    time.sleep(1)


def in_process(env, pages):
    """Queries per page and the fastest of 10 rounds of 20 requests (ms per request), in-process with the test
    client, as each page's user: on a shared machine the fastest round moves less than wrk's rate does."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for name, (path, username) in pages.items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        client.get(path)  # warm: the first request of a session may write it
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        assert status == 200, (path, status)
        count = len(queries)  # read now: each request of the test client empties the connection's log
        rounds = []
        for _ in range(10):
            start = time.perf_counter()
            for _ in range(20):
                client.get(path)
            rounds.append((time.perf_counter() - start) / 20 * 1000)
        figures[name] = (count, min(rounds))
    connection.close()
    return figures


def grow(env, step):
    """200 more units and 1,000 more users with a role in them, under the Ciamis agency; `step` keeps names apart."""
    code = (
        "from django.contrib.auth.models import Group, User\n"
        "from portal.models import Membership, Unit\n"
        "agency = Unit.objects.get(code='dppkbpppa-ciamis')\n"
        f"units = Unit.objects.bulk_create(Unit(code=f'uptd-{step}-{{i}}', name=f'UPTD Tambahan {step}-{{i:03d}}',"
        " kind='uptd', parent=agency) for i in range(200))\n"
        f"users = User.objects.bulk_create(User(username=f'pengguna{step}-{{i:04d}}', first_name=f'Pengguna {{i}}')"
        " for i in range(1000))\n"
        "role = Group.objects.get(name='Petugas')\n"
        "Membership.objects.bulk_create(Membership(user=u, unit=units[i % 200], role=role) for i, u in enumerate(users))\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)
    manage(env, "publish")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        db.execute(f"CREATE DATABASE {DATABASE}")
    tmp = Path(tempfile.mkdtemp(prefix="layanan-bench-"))
    env = production_env(tmp)
    for command in (["migrate"], ["collectstatic", "--noinput"], ["load_demo"], ["publish"]):
        manage(env, *command)

    # Signed in once: the sessions live in the database, so the cookies serve every server below.
    process, base = start_gunicorn("layanan.wsgi", env, options.workers, "/masuk/")
    try:
        cookies = {user: session_cookie(base, user) for user in (OFFICER, ADMIN)}
    finally:
        process.terminate()
        process.wait()

    stack_env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.stack_ceiling"}
    ceilings = {}
    for label, app, app_env, path, cookie in (
        ("bare Django view", "benchmarks.ceiling:application", env, "/", ""),
        ("fixed response behind the portal's middleware", "layanan.wsgi", stack_env, "/tetap/", ""),
        ("the portal's empty chrome, signed in", "layanan.wsgi", stack_env, "/kosong/", cookies[OFFICER]),
    ):
        process, url = start_gunicorn(app, app_env, options.workers, path if not cookie else "/masuk/")
        try:
            ceilings[label] = wrk(url + path, options.seconds, options.connections, cookie)[0]
            drain(url, path if not cookie else "/masuk/")
        finally:
            process.terminate()
            process.wait()
    ceiling, stack, signed_in = ceilings.values()

    rounds = {}
    # The first growth fills the Admin's lists from a few rows to a page of 50; the second shows whether time
    # stays flat once the page is full.
    for step, label in enumerate(("demo data", "+200 units, +1,000 users", "+400 units, +2,000 users")):
        if step:
            grow(env, step)
        process, base = start_gunicorn("layanan.wsgi", env, options.workers, "/masuk/")
        try:
            rows = {}
            for name, (path, user) in PAGES.items():
                rows[name] = wrk(base + path, options.seconds, options.connections, cookies.get(user, ""))
                drain(base)
        finally:
            process.terminate()
            process.wait()
        figures = subprocess.run(
            [sys.executable, __file__, "--in-process"], cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout
        rounds[label] = (rows, json.loads(figures))

    print(f"gunicorn {options.workers} sync workers, wrk 2 threads x {options.connections} connections, "
          f"{options.seconds} s per page, PostgreSQL, production settings")
    for label, rate in ceilings.items():
        print(f"ceiling ({label}): {rate:.0f} requests/s")
    print()
    for label, (rows, figures) in rounds.items():
        print(label)
        print(f"  {'page':<26} {'req/s':>7} {'% bare':>7} {'% stack':>7} {'% chrome':>8} {'p50 ms':>7} {'p90 ms':>7}"
              f" {'p99 ms':>7} {'queries':>7} {'ms in-process':>13}")
        for name, (rate, latency, errors) in rows.items():
            flag = f"  ({errors} non-2xx/3xx!)" if errors else ""
            print(f"  {name:<26} {rate:>7.0f} {100 * rate / ceiling:>6.1f}% {100 * rate / stack:>6.1f}%"
                  f" {100 * rate / signed_in:>7.1f}%"
                  f" {latency[50]:>7.1f} {latency[90]:>7.1f}"
                  f" {latency[99]:>7.1f} {figures[name][0]:>7} {figures[name][1]:>13.1f}{flag}")
        print()
    with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE {DATABASE}")
    shutil.rmtree(tmp, ignore_errors=True)



if __name__ == "__main__":
    if sys.argv[1:] == ["--in-process"]:
        print(json.dumps(in_process(dict(os.environ), PAGES)))
    else:
        main()
