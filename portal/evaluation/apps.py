from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Evaluasi Kinerja Pelayanan for every service: its figures per quarter, the head's findings, the signature."""

    name = "portal.evaluation"
    label = "evaluation"
    url_prefix = "evaluasi/"
    verbose_name = _("Evaluasi kinerja pelayanan")
