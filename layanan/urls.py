"""The root addresses: the portal's own pages, each app's pages under the prefix its AppConfig names
(`url_prefix`, e.g. "p2tp2a/"), and the admin."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("portal.urls")),
    *(
        path(config.url_prefix, include(f"{config.name}.urls"))
        for config in apps.get_app_configs()
        if getattr(config, "url_prefix", None)
    ),
    path("admin/", admin.site.urls),
]
