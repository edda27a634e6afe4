"""The downloads' background work (layanan/celery.py). `render` may run twice without harm (a worker killed after
its work, a task queued again by the sweep): services.file_render makes a file only under the row's lock and only
if nobody has."""

from celery import shared_task

from portal.downloads import services
from portal.downloads.models import GeneratedFile

# The waits before the 2nd, 3rd, ... attempt: 5, 10, 20, 40 seconds (Celery adds jitter), at most this many.
RETRY_BACKOFF = 5
RETRY_BACKOFF_MAX = 300


@shared_task(
    name="downloads.render",
    autoretry_for=(services.RenderFailed,),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    # The row counts the attempts and gives up after its last (GeneratedFile.MAX_ATTEMPTS); this is a backstop.
    max_retries=GeneratedFile.MAX_ATTEMPTS,
)
def render(pk):
    services.file_render(pk)


@shared_task(name="downloads.sweep")
def sweep():
    """Every five minutes (settings.CELERY_BEAT_SCHEDULE): expired files deleted, lost tasks queued again."""
    return services.files_sweep()
