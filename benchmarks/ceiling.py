"""The ceiling of benchmarks/http_pages.py: a bare Django view returning a fixed response, under the same gunicorn."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-benchmark-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)

urlpatterns = [path("", lambda request: HttpResponse("ok"))]
application = get_wsgi_application()
