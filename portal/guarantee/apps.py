from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteeConfig(AppConfig):
    """Jaminan Pelayanan: a record past its time standard, its reason, and the compensation its standard promises."""

    name = "portal.guarantee"
    label = "guarantee"
    url_prefix = "jaminan/"
    verbose_name = _("Jaminan pelayanan")
