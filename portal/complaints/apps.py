from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Pengaduan, saran dan masukan: every service standard promises it, so it is the portal's, not an app's."""

    name = "portal.complaints"
    label = "complaints"
    url_prefix = "pengaduan/"
    verbose_name = _("Pengaduan")
