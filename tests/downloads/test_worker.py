"""A real Celery worker against Redis and PostgreSQL (issue 22), as tests/notifications/test_worker.py runs one: a
document asked in a committed transaction is made by the worker, and the same task delivered again makes nothing
more. The worker keeps its files in its own storage (the test settings' in-memory one): the rows say what it did.

In CI a missing Redis or PostgreSQL fails these tests; elsewhere they are skipped."""

import pytest
from django.db import transaction
from django.utils import timezone

from layanan import celery_app
from portal.downloads import registry, services
from portal.downloads.models import GeneratedFile
from portal.models import Service
from portal.roles import Role
from tests.notifications import test_worker as real_worker

# The notifications' fixtures: Redis (or a skip), a queue of the test's own, and worker() to start a worker on it.
redis_server, queue, worker = real_worker.redis_server, real_worker.queue, real_worker.worker
wait_for = real_worker.wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("require_postgresql", "result_backend"),
]

@pytest.fixture
def result_backend(queue):
    """The application's result backend made again for the test's broker, and forgotten after it: an eager task
    run earlier in this process left the one without a broker cached (Celery.backend), which `queue` keeps."""
    forget_backend()
    yield
    forget_backend()


def forget_backend():
    # Celery keeps it on the app, or per thread for a backend that is not thread-safe.
    celery_app._backend_cache = None
    vars(celery_app._local).pop("backend", None)


FIELDS = {"layanan": "tiket-dinas", "periode": "2026-Q3", "per_petugas": ""}


def test_a_worker_makes_a_document_asked_in_a_committed_transaction_once(worker, agency, make_user):
    Service.objects.create(slug="tiket-dinas", name="Layanan Tiket Dinas", unit=agency, app="testapp")
    head = make_user(agency, Role.HEAD)
    kind = registry.kinds()["evaluation.figures"]
    worker()

    with transaction.atomic():
        row = services.file_request(
            kind=kind, params=FIELDS, source=kind.fetch(services.request_as(head), FIELDS), user=head,
        )
    assert row.status == GeneratedFile.Status.WAITING  # queued for the worker, not made in this process

    assert wait_for(lambda: GeneratedFile.objects.get(pk=row.pk).status == GeneratedFile.Status.READY), (
        f"the worker made nothing: {GeneratedFile.objects.get(pk=row.pk).last_error}"
    )
    made = GeneratedFile.objects.get(pk=row.pk)
    assert made.attempts == 1 and made.file.name.endswith(".pdf") and made.expires_at > timezone.now()

    celery_app.tasks["downloads.render"].delay(row.pk).get(timeout=30)  # delivered again
    again = GeneratedFile.objects.get(pk=row.pk)
    assert (again.attempts, again.file.name, again.finished_at) == (1, made.file.name, made.finished_at)
