from django.utils.translation import gettext_lazy as _

from identitas.workflow import WORKFLOW
from portal.models import WorkflowRecord


class Facilitation(WorkflowRecord):
    """One facilitation of identity documents for a neglected person (PPKS), from report to archive.

    The person's identity never goes on this model (its history copies every field): it belongs
    in a model of its own that the identitas app protects.
    """

    workflow = WORKFLOW

    class Meta(WorkflowRecord.Meta):
        verbose_name = _("fasilitasi identitas")
        verbose_name_plural = _("fasilitasi identitas")
