from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The heads' dashboards: each service they lead at a glance, and the agency's services side by side."""

    name = "portal.dashboards"
    label = "dashboards"
    url_prefix = "dasbor/"
    verbose_name = _("Dasbor pimpinan")
