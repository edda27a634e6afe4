"""Settings for the test suite: the portal's, plus a small SOP app the engine tests use."""

import os

# The portal refuses to start without a secret when DEBUG is off, as the suite runs.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")

from layanan.settings import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
ROOT_URLCONF = "tests.urls"

# Fast hashing; the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The suite talks plain http to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# The test databases are built from the models, not by replaying every migration: replaying cost 15-30 s in every
# database and xdist worker (Django re-renders the model states thousands of times). The migrations themselves
# are run by tests/test_production.py (a deploy's `migrate` on an empty database) and kept in step with the
# models by tests/test_migrations.py. pgtrigger then installs the database triggers after the tables are made.
for _database in DATABASES.values():  # noqa: F405
    _database.setdefault("TEST", {})["MIGRATE"] = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

# The worker tests (tests/notifications/test_worker.py) kill a worker and start another, which takes the killed
# one's task back once the visibility timeout they set has passed: it looks for such tasks every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
