"""The portal as the README deploys it: production settings, collectstatic, migrate, gunicorn.

The rest of the suite runs on test settings with plain static storage; a deploy once
served 500 on every page because `collectstatic` with the manifest storage failed.
These tests run the README's production steps in subprocesses and ask the pages over HTTP.
On PostgreSQL (DATABASE_URL=postgres://..., as in CI) they use a database of their own.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
# nginx ends TLS and says so; without this header the portal redirects to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def production_env(tmp_path, database_url):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "layanan.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-production-secret-" + "k2Vn8" * 12,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_PROXY_COUNT": "1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_PRIVATE_ROOT": str(tmp_path / "private"),
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
    }


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.sqlite3'}"
        return
    server, suite_database = url.split("?", 1)[0].rsplit("/", 1)
    # Named after the suite's database, so two runs on one server (each with its own DATABASE_URL) never share it.
    database = f"{suite_database}_production_check"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")
    yield f"{server}/{database}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    request = urllib.request.Request(url, headers=PROXY_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def portal(tmp_path_factory, database_url):
    """The README's production steps, then gunicorn serving the portal; yields its base URL."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path, database_url)
    manage(env, "collectstatic", "--noinput")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "publish")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "layanan.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, server.stdout.read()
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=30)


def test_the_login_page_and_its_stylesheet_are_served(portal):
    status, headers, body = get(portal + "/masuk/")
    assert status == 200, body[:2000]
    page = body.decode()
    assert "csrfmiddlewaretoken" in page
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    # The manifest storage names each file by its content's hash.
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page)
    scripts = re.findall(r'src="(/static/[^"]+\.js)"', page)
    assert any(re.search(r"bootstrap\.min\.[0-9a-f]{12}\.css", url) for url in stylesheets), stylesheets
    for url in stylesheets + scripts:
        status, _, _ = get(portal + url)
        assert status == 200, url


def test_the_admin_login_page_and_the_portal_s_admin_stylesheet_are_served(portal):
    # The portal's admin templates name its own static files too: a missing one would fail every admin page.
    status, _, body = get(portal + "/admin/login/")
    assert status == 200, body[:2000]
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', body.decode())
    assert any(re.search(r"css/admin\.[0-9a-f]{12}\.css", url) for url in stylesheets), stylesheets
    for url in stylesheets:
        assert get(portal + url)[0] == 200, url


def test_the_public_pages_and_a_published_pdf_are_served(portal):
    status, _, body = get(portal + "/publik/")
    assert status == 200, body[:2000]
    services = re.findall(r'href="(/publik/layanan/[^"/]+/)"', body.decode())
    assert services
    status, _, body = get(portal + services[0])
    assert status == 200, body[:2000]
    status, headers, body = get(portal + services[0] + "standar.pdf")
    assert (status, headers["Content-Type"], body[:5]) == (200, "application/pdf", b"%PDF-")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is answered as it is, so its cookies are read


# A user holding, in each agency's demo units, the role that works each SOP app's pages.
WORKER_ROLES = [("p2tp2a-ciamis", "Petugas"), ("dppkbpppa-ciamis", "Pengelola Barang"), ("rehdayasos-purwakarta", "Petugas")]
WORKER_PAGES = ["/", "/p2tp2a/", "/p2tp2a/p2tp2a-ciamis/baru/", "/alokon/", "/identitas/", "/identitas/identitas-ppks-purwakarta/baru/"]


def test_each_sop_app_s_pages_are_served_to_a_signed_in_officer(portal, tmp_path_factory, database_url):
    env = production_env(tmp_path_factory.mktemp("worker"), database_url)
    memberships = ", ".join(f"({unit!r}, {role!r})" for unit, role in WORKER_ROLES)
    manage(env, "shell", "-c", (
        "from django.contrib.auth.models import Group, User; from portal.models import Membership, Unit; "
        "user = User.objects.create_user('pekerja', password='sandi-produksi-panjang-2026'); "
        f"[Membership.objects.create(user=user, unit=Unit.objects.get(code=u), role=Group.objects.get(name=r)) for u, r in [{memberships}]]"
    ))
    # The cookies are Secure (nginx ends TLS in front): they are carried by hand over this plain-HTTP test.
    cookies = {}

    def ask(path, data=None):
        headers = {**PROXY_HEADERS, "Referer": f"https{portal[4:]}/masuk/", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        request = urllib.request.Request(portal + path, data=data, headers=headers)
        try:
            response = urllib.request.build_opener(NoRedirect).open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            cookies[name] = value
        return response.status, response.headers, response.read().decode()

    _, _, page = ask("/masuk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "pekerja", "password": "sandi-produksi-panjang-2026"}
    status, headers, _ = ask("/masuk/", urllib.parse.urlencode(form).encode())
    assert (status, headers["Location"]) == (302, "/"), "not signed in"
    for path in WORKER_PAGES:
        status, _, body = ask(path)
        assert status == 200, (path, body[:2000])


def test_an_unknown_page_answers_404_not_500(portal):
    status, _, body = get(portal + "/tidak-ada/")
    assert status == 404, body[:2000]


def test_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path):
    """The demo runs on SQLite: 20 simultaneous read-then-write transactions all succeed, in turn."""
    script = """
import threading
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n INTEGER)")
    cursor.execute("INSERT INTO counter VALUES (0)")
connection.close()
errors = []
start = threading.Barrier(20)

def add_one():
    try:
        start.wait()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            n = cursor.fetchone()[0]
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=add_one) for _ in range(20)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    print(cursor.fetchone()[0], errors)
"""
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "20 []"
