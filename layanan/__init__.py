"""The project: settings, the root addresses and the WSGI entry point. The portal's shared mechanisms are the
`portal` app; each service is an app of its own that brings its pages under its prefix (AppConfig.url_prefix)."""

# Loaded with Django, so that a task queued from a request goes to this Celery application.
from layanan.celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
