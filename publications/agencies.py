"""The public index: the agencies (Dinas) that deliver services, each with its services and decrees."""

import dataclasses

from portal.models import Service, ServiceHours, Unit
from publications.models import Decree, StandardComponent


def hours_lines(hours) -> list[str]:
    """A weekly schedule as printed: consecutive days with equal hours grouped.

    ["Senin – Kamis 08.00 – 14.45 WIB", "Jumat 08.00 – 11.00 WIB"]
    """
    by_day = {}
    for period in hours:
        by_day.setdefault(period.weekday, []).append((period.opens, period.closes))
    groups = []  # [first day, last day, periods]
    for day in sorted(by_day):
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == by_day[day]:
            groups[-1][1] = day
        else:
            groups.append([day, day, by_day[day]])
    names = dict(ServiceHours.Weekday.choices)
    lines = []
    for first, last, periods in groups:
        days = str(names[first]) if first == last else f"{names[first]} – {names[last]}"
        times = ", ".join(f"{opens:%H.%M} – {closes:%H.%M}" for opens, closes in periods)
        lines.append(f"{days} {times} WIB")
    return lines


@dataclasses.dataclass
class PublicService:
    service: Service
    hours: list  # lines of hours_lines()
    complaint: StandardComponent | None  # the "... Pengaduan ..." component of its standard
    has_standard: bool
    has_sop: bool


@dataclasses.dataclass
class Agency:
    unit: Unit  # a Dinas, whose letterhead heads its services' documents
    services: list
    decrees: list


def public_agencies() -> list[Agency]:
    """The agencies (Dinas) that deliver services, each with its services and decrees, in a few queries."""
    units = {u.pk: u for u in Unit.objects.prefetch_related("hours")}
    for unit in units.values():  # the tree in memory: ancestors() and service_hours() query nothing more
        if unit.parent_id is not None:
            unit.parent = units[unit.parent_id]

    def agency_of(unit):
        for candidate in [unit, *unit.ancestors()]:
            if candidate.kind == Unit.Kind.AGENCY:
                return candidate
        return None

    complaints = {}
    for component in StandardComponent.objects.filter(label__icontains="pengaduan").order_by("order"):
        complaints.setdefault(component.service_id, component)
    with_standard = set(StandardComponent.objects.values_list("service_id", flat=True).distinct())

    agencies = {}
    for service in Service.objects.select_related("sop").order_by("name"):
        service.unit = units[service.unit_id]
        agency = agency_of(service.unit)
        if agency is None:
            continue
        entry = agencies.setdefault(agency.pk, Agency(agency, [], []))
        entry.services.append(
            PublicService(
                service=service,
                hours=hours_lines(service.unit.service_hours()),
                complaint=complaints.get(service.slug),
                has_standard=service.slug in with_standard,
                has_sop=hasattr(service, "sop"),
            )
        )
    by_code = {agency.unit.code: agency for agency in agencies.values()}
    for decree in Decree.objects.filter(unit_id__in=by_code).order_by("number"):
        by_code[decree.unit_id].decrees.append(decree)
    return sorted(agencies.values(), key=lambda agency: agency.unit.name)
