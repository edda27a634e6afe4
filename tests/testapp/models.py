from django.db import models

from portal.models import WorkflowRecord
from tests.testapp.workflow import WORKFLOW


class Ticket(WorkflowRecord):
    workflow = WORKFLOW
    page_url_name = "ticket_detail"

    title = models.CharField("judul", max_length=200)
    summary = models.TextField("ringkasan", blank=True)

    def __str__(self):
        return self.title

