from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    """Documents too slow to make inside a request (reports' PDFs, a year's export): asked on the record's page,
    made by a Celery task, offered on a status page until they expire, and served only after the same access check
    as their record each time. Each app declares its kinds in `<app>/documents.py` (portal.downloads.registry)."""

    name = "portal.downloads"
    label = "downloads"
    url_prefix = "unduhan/"
    verbose_name = _("Unduhan")
    default_auto_field = "django.db.models.BigAutoField"
