from django.utils.translation import gettext_lazy as _

from cases.workflow import WORKFLOW
from portal.models import WorkflowRecord


class Case(WorkflowRecord):
    """A report of violence against a woman or child, handled by the P2TP2A from report to closure.

    The victim's and the reporter's identity never go on this model (its history copies every field):
    they belong in models of their own that the cases app protects.
    """

    workflow = WORKFLOW

    class Meta(WorkflowRecord.Meta):
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
