from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    """Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017) for every service."""

    name = "portal.survey"
    label = "survey"
    url_prefix = "survei/"
    verbose_name = _("Survei kepuasan")
