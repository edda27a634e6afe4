from django.utils.translation import gettext_lazy as _

from alokon.workflow import WORKFLOW
from portal.models import WorkflowRecord


class Distribution(WorkflowRecord):
    """One distribution of contraceptives to a registered health facility, from request to report.
    """

    workflow = WORKFLOW

    class Meta(WorkflowRecord.Meta):
        verbose_name = _("penyaluran alokon")
        verbose_name_plural = _("penyaluran alokon")
