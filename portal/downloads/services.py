"""The writes of downloads: ask for a document, make it (the task's part), try a failed one again, sweep the
expired ones away.

Asking twice for a document that has not changed finds the same row (GeneratedFile.key); the task that makes it
locks the row and makes it only if nobody has, so a task run twice makes one file. A failure is kept on the row and
tried again by Celery, each time later (tasks.render); after GeneratedFile.MAX_ATTEMPTS the row says "gagal" and
waits for the admin. A task lost on the way (a broker restarted) is queued again by the sweep.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from portal.downloads import registry
from portal.downloads.models import GeneratedFile

# A made file is offered this long, then deleted: a copy of a record that names a person does not linger.
FILE_LIFETIME = timedelta(hours=24)
# The row of an expired file stays this much longer, so that its address says "expired, make it again" (410).
ROW_LIFETIME = timedelta(days=7)
# A row still waiting this long after its last attempt began lost its task: the sweep queues it again. Longer
# than the longest wait between two attempts (tasks.RETRY_BACKOFF_MAX).
LOST_AFTER = timedelta(minutes=15)


class RenderFailed(Exception):
    """A document that failed to render and will be tried again. Its message names no one: the error itself is on
    the row, for the admin, not in the worker's log."""


def safe_file_name(name) -> str:
    """"Evaluasi 2026-Q3.pdf" -> "evaluasi-2026-q3.pdf": as portal.pdf.pdf_response names its files."""
    stem, _dot, suffix = name.rpartition(".")
    return f"{slugify(stem) or 'dokumen'}.{slugify(suffix) or 'bin'}"[:200]


def file_key(kind, params, user, version) -> str:
    return registry.json_digest({"kind": kind.name, "params": params, "user": user.pk, "version": version})


def _queue(pk):
    """Make the file of row `pk` in the task, once the row is committed (at once outside a transaction)."""
    from portal.downloads import tasks  # the tasks module imports this one

    transaction.on_commit(lambda: tasks.render.delay(pk))


def _start_again(row, now):
    """Back to the queue: a failed row, or an expired one whose document is asked for again."""
    if row.file:
        row.file.delete(save=False)
    row.status, row.attempts, row.last_error = GeneratedFile.Status.WAITING, 0, ""
    row.created_at, row.started_at, row.finished_at, row.expires_at = now, None, None, None
    row.save()
    _queue(row.pk)


def file_request(*, kind, params, source, user, now=None) -> GeneratedFile:
    """The row of the document `kind` of `source` (fetched by the kind's check for `user`) at its version now: the
    one asked for before if the document has not changed since, else a new one, queued to be made after the commit.
    A failed or expired row of the same version is made again."""
    now = now or timezone.now()
    key = file_key(kind, params, user, kind.version(source, user))
    with transaction.atomic():
        row, created = GeneratedFile.objects.select_for_update().get_or_create(key=key, defaults={
            "user": user, "kind": kind.name, "params": params, "label": str(kind.label(source))[:200],
            "file_name": safe_file_name(kind.file_name(source)), "created_at": now,
        })
        if created:
            _queue(row.pk)
        elif row.status == GeneratedFile.Status.FAILED or row.is_expired(now):
            _start_again(row, now)
    return row


def request_as(user) -> HttpRequest:
    """The asker's request as the task replays it, for the kind's check: the checks (portal.access, portal.identity)
    read only its user."""
    request = HttpRequest()
    request.user = user
    return request


def file_render(pk, *, now=None) -> bool:
    """Make the file of row `pk` unless it is made, given up, or being made by another worker; True once it is made.

    A render that fails is kept on the row and raised again as RenderFailed for Celery to retry, until the last
    attempt, which leaves the row "gagal". An asker no longer allowed to read the source gets no file: given up at
    once."""
    GeneratedFile.objects.filter(pk=pk, status=GeneratedFile.Status.WAITING).update(
        # Committed before the render's long transaction, so that the status page shows the work begun.
        status=GeneratedFile.Status.MAKING, started_at=now or timezone.now(),
    )
    with transaction.atomic():
        row = (
            GeneratedFile.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, status__in=[GeneratedFile.Status.WAITING, GeneratedFile.Status.MAKING])
            .select_related("user")
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        retry = False
        try:
            with transaction.atomic():  # a database error in the render leaves the row's transaction usable
                kind = registry.kind_or_404(row.kind)
                source = kind.fetch(request_as(row.user), row.params)
                content = ContentFile(kind.render(source, row.user))
                row.file.save(f"{uuid.uuid4().hex}.{row.file_name.rpartition('.')[2]}", content, save=False)
        except (Http404, PermissionDenied) as refusal:
            row.status, row.last_error = GeneratedFile.Status.FAILED, f"{type(refusal).__name__}: {refusal}"[:2000]
        except Exception as error:  # whatever broke, kept for the admin; the next attempt may do better
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            retry = row.attempts < GeneratedFile.MAX_ATTEMPTS
            row.status = GeneratedFile.Status.WAITING if retry else GeneratedFile.Status.FAILED
        else:
            row.status, row.last_error = GeneratedFile.Status.READY, ""
        finished = now or timezone.now()
        if row.status != GeneratedFile.Status.WAITING:
            row.finished_at = finished
        if row.status == GeneratedFile.Status.READY:
            row.expires_at = finished + FILE_LIFETIME
        row.save()
    if retry:
        raise RenderFailed(f"generated file {pk}: attempt {row.attempts} failed")
    return row.status == GeneratedFile.Status.READY


def file_retry(pk, *, now=None) -> GeneratedFile:
    """The admin makes a given-up file again (after fixing what broke it): it starts its attempts anew."""
    with transaction.atomic():
        row = GeneratedFile.objects.select_for_update().get(pk=pk)
        if row.status == GeneratedFile.Status.FAILED:
            _start_again(row, now or timezone.now())
    return row


def files_sweep(now=None) -> dict:
    """The periodic round (tasks.sweep): delete the files that expired, and the rows expired for ROW_LIFETIME;
    queue again the rows whose task was lost. The numbers of each."""
    now = now or timezone.now()
    expired = GeneratedFile.objects.filter(expires_at__lte=now).exclude(file="")
    files = 0
    for row in expired:
        row.file.delete(save=True)
        files += 1
    rows, _by_model = GeneratedFile.objects.filter(expires_at__lte=now - ROW_LIFETIME).delete()
    pending = GeneratedFile.objects.filter(status__in=[GeneratedFile.Status.WAITING, GeneratedFile.Status.MAKING])
    lost = list(
        pending.alias(begun=Coalesce("started_at", "created_at"))
        .filter(begun__lte=now - LOST_AFTER)
        .values_list("pk", flat=True)
    )
    for pk in lost:
        _queue(pk)
    return {"files": files, "rows": rows, "lost": len(lost)}
