"""Where a dashboard's figure lists its records: the service's register (WorkflowRecord.get_list_url), asked with the
query its filters read. A figure the register cannot list exactly gets no link: a link to more or other records
than the figure counts would mislead.

No register narrows to one service: each lists every record of its app the user sees, and an agency runs one
service of each app.
"""

from dataclasses import dataclass

from django.urls import reverse

from portal.complaints.models import Complaint
from portal.selectors import services_where


@dataclass(frozen=True)
class Filters:
    """The queries of one app's register: its open records, the overdue ones among them, and those waiting in one
    step ("{status}" in `step`; "" when the register has no filter by step)."""

    open: str
    overdue: str
    step: str = ""


FILTERS = {
    # cases.forms.CaseFilterForm: a status, or "terbuka"; "terlambat" is a checkbox.
    "cases": Filters(open="status=terbuka", overdue="status=terbuka&terlambat=on", step="status={status}"),
    # alokon.views.dispatch.distribution_list.
    "alokon": Filters(open="status=terbuka", overdue="status=terbuka&terlambat=1", step="status={status}"),
    # identitas.forms.FacilitationFilterForm: open, overdue, done, declined; no step.
    "identitas": Filters(open="status=terbuka", overdue="status=terlambat"),
}


class Register:
    """The links of one service's figures to its register; None where there is none."""

    def __init__(self, service):
        self.base = service.record_model.get_list_url(service)
        self.filters = FILTERS.get(service.app) if self.base else None

    def _url(self, query):
        return f"{self.base}?{query}" if self.filters and query else None

    def open(self):
        return self._url(self.filters and self.filters.open)

    def overdue(self):
        return self._url(self.filters and self.filters.overdue)

    def step(self, status):
        return self._url(self.filters and self.filters.step.format(status=status))


def complaint_links(user) -> dict:
    """{"open": url, "overdue": url} of the complaint register, for a user who may open it (a head of a unit that
    handles complaints); {} otherwise. It lists the complaints the user handles, about any service."""
    if not services_where(user, "complaints", Complaint.workflow.access_roles, below=True):
        return {}
    register = reverse("complaints:register")
    return {"open": f"{register}?status=terbuka", "overdue": f"{register}?status=terlambat"}
