from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What reaches people who are not looking: notifications in the portal (the bell) and e-mail, sent off the
    request by Celery from an outbox written in the same transaction as the event."""

    name = "portal.notifications"
    label = "notifications"
    url_prefix = "notifikasi/"
    verbose_name = _("Notifikasi dan surel")
    default_auto_field = "django.db.models.BigAutoField"
