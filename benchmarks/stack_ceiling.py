"""The second reference of benchmarks/http_pages.py: a fixed response behind the portal's own
settings and middleware (sessions, CSRF, security headers, CSP, lockout), as a settings module.

The bare view (benchmarks/ceiling.py) shows what Django alone costs; this one what every page
of the portal costs before its view runs.
"""

from django.http import HttpResponse
from django.urls import path

from portal.settings import *  # noqa: F403

ROOT_URLCONF = __name__
urlpatterns = [path("", lambda request: HttpResponse("ok"))]
