from django.db import models
from django.urls import reverse

from portal.models import WorkflowRecord
from tests.testapp.workflow import WORKFLOW


class Ticket(WorkflowRecord):
    workflow = WORKFLOW

    title = models.CharField("judul", max_length=200)
    summary = models.TextField("ringkasan", blank=True)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ticket_detail", args=[self.pk])
