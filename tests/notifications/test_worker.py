"""A real Celery worker against Redis and PostgreSQL (issue 22): an e-mail queued in a committed transaction is
sent by the worker; a worker killed in the middle of sending loses nothing and, started again, sends it once; the
reminder round runs on the worker and its e-mail goes out.

The worker is another process on the test database; it writes its mails as files (tests.notifications.backends).
In CI a missing Redis or PostgreSQL fails these tests; elsewhere they are skipped."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from layanan import celery_app
from portal.notifications import services
from portal.notifications.models import Email, Kind, Notification
from portal.roles import Role
from portal.services import workflow_start
from tests.testapp.models import Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("require_postgresql")]

BROKER = "redis://127.0.0.1:6379/14"
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def redis_server():
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the worker tests against Redis at {BROKER}: {error}")
        pytest.skip(f"no Redis at {BROKER}")


@pytest.fixture
def queue(redis_server):
    """A queue of this test's own, on the real broker: this process sends to it, the workers read it."""
    name = f"layanan-test-{uuid.uuid4().hex[:8]}"
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend", "task_default_queue")}
    celery_app.conf.update(task_always_eager=False, broker_url=BROKER, result_backend=BROKER, task_default_queue=name)
    reconnect()
    yield name
    celery_app.conf.update(saved)
    reconnect()


def reconnect():
    """Forget the application's broker connections, so that the next task is sent under the configuration now (a
    pool closed here would stay registered in kombu's pools, closed)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def worker(queue, tmp_path):
    """worker(): start a Celery worker on the test database and the test's queue; its mails go to tmp_path."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{database['USER'] or 'root'}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
        # A killed worker's task goes back on the queue after this many seconds (the broker's visibility timeout).
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "DJANGO_EMAIL_BACKEND": "tests.notifications.backends.FolderBackend",
        "MAIL_FOLDER": str(tmp_path),
    }
    started = []

    def start():
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "layanan", "worker", "--pool=solo", "-Q", queue,
             "--without-gossip", "--without-mingle", "-l", "warning"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def sent(folder):
    # A long subject is folded over two header lines: read back as one.
    return [" ".join(str(make_header(decode_header(message_from_bytes(path.read_bytes())["Subject"]))).split())
            for path in sorted(folder.glob("*.eml"))]


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def queue_email(subject):
    with transaction.atomic():
        return services.email_queue(to=["warga@example.org"], subject=subject, body="Isi", key=f"test:{subject}")


def test_a_worker_sends_an_email_queued_by_a_committed_transaction(worker, tmp_path):
    worker()
    email = queue_email("Jawaban pengaduan 0001/2026")
    assert wait_for(lambda: sent(tmp_path) == ["Jawaban pengaduan 0001/2026"]), "the worker sent nothing"
    assert wait_for(lambda: Email.objects.get(pk=email.pk).sent_at is not None)
    # The task run again (a redelivery, a retry round) finds it sent and sends nothing.
    services_task = celery_app.tasks["notifications.email_send"]
    services_task.delay(email.pk).get(timeout=30)
    assert sent(tmp_path) == ["Jawaban pengaduan 0001/2026"]


def test_a_worker_killed_while_sending_loses_nothing_and_its_successor_sends_once(worker, tmp_path):
    (tmp_path / "slow").touch()
    first = worker()
    email = queue_email("Pengingat 0002/2026")
    assert wait_for(lambda: (tmp_path / "sending").exists()), "the worker never started sending"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert sent(tmp_path) == [] and Email.objects.get(pk=email.pk).sent_at is None

    (tmp_path / "slow").unlink()
    worker()
    assert wait_for(lambda: Email.objects.get(pk=email.pk).sent_at is not None), "the killed task was lost"
    time.sleep(5)  # long enough for a second delivery of the same task, were there one
    assert sent(tmp_path) == ["Pengingat 0002/2026"]
    assert Email.objects.get(pk=email.pk).attempts == 1


def test_the_reminder_round_runs_on_the_worker_and_its_email_goes_out(worker, tmp_path, officer, new_ticket, division,
                                                                       make_user):
    colleague = make_user(division, Role.OFFICER)
    colleague.email = "rekan@dinas.example.org"
    colleague.save()
    ticket = workflow_start(new_ticket(division), actor=officer)
    Ticket.objects.filter(pk=ticket.pk).update(due_at=timezone.now() + timedelta(hours=3))
    Notification.objects.all().delete()
    Email.objects.all().delete()

    worker()
    celery_app.tasks["notifications.reminders_run"].delay().get(timeout=60)
    due = Notification.objects.get(user=colleague, kind=Kind.DUE_SOON)
    assert due.url == ticket.get_absolute_url()
    assert wait_for(lambda: sent(tmp_path) == [due.text]), sent(tmp_path)
