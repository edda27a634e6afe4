from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlokonConfig(AppConfig):
    name = "alokon"
    url_prefix = "alokon/"
    verbose_name = _("ALOKON")
