from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentitasConfig(AppConfig):
    name = "identitas"
    verbose_name = _("Identitas PPKS")
