"""Where a dashboard's figure lists its records: the service's register (WorkflowRecord.get_list_url), asked with the
query its filters read (WorkflowRecord.register_queries). A figure the register cannot list exactly gets no link: a link to more or other records
than the figure counts would mislead.

No register narrows to one service: each lists every record of its app the user sees, and an agency runs one
service of each app.
"""

from django.urls import reverse

from portal.complaints.models import Complaint
from portal.selectors import services_where


class Register:
    """The links of one service's figures to its register; None where there is none."""

    def __init__(self, service):
        model = service.record_model
        self.base = model.get_list_url(service)
        self.queries = model.register_queries if self.base else {}

    def _url(self, query):
        return f"{self.base}?{query}" if query else None

    def open(self):
        return self._url(self.queries.get("open"))

    def overdue(self):
        return self._url(self.queries.get("overdue"))

    def step(self, status):
        return self._url(self.queries.get("step", "").format(status=status))


def complaint_links(user) -> dict:
    """{"open": url, "overdue": url} of the complaint register, for a user who may open it (a head of a unit that
    handles complaints); {} otherwise. It lists the complaints the user handles, about any service."""
    if not services_where(user, "complaints", Complaint.workflow.access_roles, below=True):
        return {}
    register = reverse("complaints:register")
    return {"open": f"{register}?status=terbuka", "overdue": f"{register}?status=terlambat"}
