"""Throughput of a 50-row page on PostgreSQL with and without persistent connections.

    .venv/bin/python benchmarks/conn_max_age.py [requests]

Creates the database layanan_bench on 127.0.0.1:5432 (user root), migrates it,
adds 50 units, then requests the admin's unit list (50 rows) with the test
client, which opens and closes database connections as a real request does.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/layanan_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402
import psycopg  # noqa: E402

with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as admin:
    admin.execute("DROP DATABASE IF EXISTS layanan_bench")
    admin.execute("CREATE DATABASE layanan_bench")

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from portal.models import Unit  # noqa: E402

call_command("migrate", verbosity=0)
Unit.objects.bulk_create(Unit(code=f"unit-{i}", name=f"Unit {i:02d}", kind=Unit.Kind.OTHER) for i in range(50))
User.objects.create_superuser("bench", password="bench-password-123")


def run(conn_max_age, requests):
    connections.close_all()
    settings.DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age
    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = conn_max_age
    client = Client()
    client.force_login(User.objects.get(username="bench"))
    assert client.get("/admin/portal/unit/").content.count(b'class="field-name"') == 50
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get("/admin/portal/unit/")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


requests = int(sys.argv[1]) if len(sys.argv) > 1 else 200
reconnect = run(0, requests)
persistent = run(600, requests)
print(f"{requests} requests of a 50-row page on PostgreSQL")
print(f"CONN_MAX_AGE=0:   median {reconnect * 1000:.1f} ms, {1 / reconnect:.0f} requests/s")
print(f"CONN_MAX_AGE=600: median {persistent * 1000:.1f} ms, {1 / persistent:.0f} requests/s")
print(f"persistent / reconnect throughput: {reconnect / persistent:.2f}x")
connections.close_all()
with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as admin:
    admin.execute("DROP DATABASE layanan_bench")
