"""The short summary above a service's standard: what to bring, what it costs, how long it takes,
when the office is open and how to complain.

The texts are the standard's own components, shown as enacted, never paraphrased. Agencies name
the same component differently ("Persyaratan" / "Persyaratan Pelayanan", "Jangka Waktu Pelayanan" /
"Waktu Penyelesaian"), so each is found by keywords in its label.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from portal.models import Service
from publications.agencies import hours_lines
from publications.models import StandardComponent

REQUIREMENTS = ("persyaratan",)
COST = ("biaya",)
DURATION = ("jangka waktu", "waktu penyelesaian")
COMPLAINT = ("pengaduan",)


@dataclasses.dataclass
class SummaryItem:
    title: str
    component: StandardComponent | None = None  # its content is shown with content_html
    lines: list = dataclasses.field(default_factory=list)  # or these lines (the service hours)


def find_component(components, keywords) -> StandardComponent | None:
    """The first component, in the given order, whose label contains one of the keywords (any case or spacing)."""
    for component in components:
        label = " ".join(component.label.casefold().split())
        if any(keyword in label for keyword in keywords):
            return component
    return None


def service_summary(service: Service) -> list[SummaryItem]:
    """The summary's items in reading order; an item the standard or the unit does not give is left out."""
    components = list(StandardComponent.objects.filter(service=service).order_by("order"))
    items = [
        SummaryItem(_("Persyaratan"), find_component(components, REQUIREMENTS)),
        SummaryItem(_("Biaya/Tarif"), find_component(components, COST)),
        SummaryItem(_("Jangka Waktu"), find_component(components, DURATION)),
        SummaryItem(_("Jam pelayanan"), lines=hours_lines(service.unit.service_hours())),
        SummaryItem(_("Pengaduan"), find_component(components, COMPLAINT)),
    ]
    return [item for item in items if item.component is not None or item.lines]
