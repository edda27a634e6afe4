"""The Celery application: e-mails, reminders and slow documents run here, off the request, when a broker is set
(CELERY_BROKER_URL, Redis in production). Without one (the demo, the tests) every task runs at once in the
process that queues it (settings.CELERY_TASK_ALWAYS_EAGER).

    celery -A layanan worker    # the tasks
    celery -A layanan beat      # the schedule (settings.CELERY_BEAT_SCHEDULE): reminders, retries, the digest
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")

app = Celery("layanan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
