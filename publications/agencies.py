"""The public index: the agencies (Dinas) that deliver services, each with its services and decrees;
and the contact a reader of a service's public pages is given (the index's cards, the standard's page).
"""

import dataclasses
import re

from django.utils.translation import gettext_lazy as _

from portal.models import Service, ServiceHours, Unit
from publications.models import Decree, DraftingNote, StandardComponent
from publications.templatetags.documents import website_url

# Services about violence against women and children (P2TP2A) give the ministry's national hotline, SAPA 129.
HOTLINE_APPS = {"cases"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "(0265) 773788-776670", "0264-8304578": an area code, then one or more local numbers.
AREA_CODE = re.compile(r"^\(?(?P<area>0\d{2,3})\)?[\s.-]*(?P<rest>\d.*)$")


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


def _tel(digits: str) -> str:
    return f"tel:+62{digits[1:]}" if digits.startswith("0") else f"tel:{digits}"


def phone_links(text: str) -> list[tuple[str, str]]:
    """(text, tel: href) for each number a printed phone field names; one number keeps its printed text.

    A letterhead's "(0265) 773788-776670" is two numbers of one area: (0265) 773788 and (0265) 776670.
    """
    text = text.strip()
    match = AREA_CODE.match(text)
    if match:
        numbers = re.split(r"[\s./-]+", match["rest"].strip())
        if all(number.isdigit() and 5 <= len(number) <= 8 for number in numbers):
            if len(numbers) == 1:
                return [(text, _tel(match["area"] + numbers[0]))]
            return [(f"({match['area']}) {number}", _tel(match["area"] + number)) for number in numbers]
    digits = re.sub(r"\D", "", text)
    return [(text, _tel(digits))] if len(digits) >= 3 else []


@dataclasses.dataclass
class ContactLine:
    label: str
    text: str
    href: str = ""  # the text's link: tel:, mailto: or http(s); none: the text alone
    numbers: list = dataclasses.field(default_factory=list)  # (text, tel:) each, where the text names several
    added: bool = False  # the portal shows it, the standard does not print it (a Catatan penyusunan names it)
    printed_otherwise: list = dataclasses.field(default_factory=list)  # how the standard writes it instead


@dataclasses.dataclass
class Contact:
    """Where a reader of a service's public pages can turn: the agency's letterhead contact, and for a
    service about violence against women and children the national hotline, which the portal adds."""

    lines: list
    hotline: bool


def contact_of(unit: Unit, service: Service, notes, components) -> Contact:
    """The contact of `unit` (the service's letterhead unit) as shown beside the service's standard.

    A line is marked as added where a listed "tambahan" note of the standard names its text (the seeds'
    documents are not all printed on the letterhead, so only the note knows); an e-mail address the
    standard's components write otherwise is shown beside the letterhead's.
    """
    additions = [note.as_shown for note in notes if note.kind == DraftingNote.Kind.ADDITION and note.listed]

    def added(value):
        return any(value in shown for shown in additions)

    lines = []
    if unit.address:
        lines.append(ContactLine(_("Alamat"), unit.address, added=added(unit.address)))
    if unit.phone:
        numbers = phone_links(unit.phone)
        href, numbers = (numbers[0][1], []) if len(numbers) == 1 else ("", numbers)
        lines.append(ContactLine(_("Telepon"), unit.phone, href, numbers, added(unit.phone)))
    if unit.fax:
        lines.append(ContactLine(_("Faks"), unit.fax, added=added(unit.fax)))
    if unit.email:
        written = {email.rstrip(".") for c in components for email in EMAIL.findall(c.content)}
        others = sorted(e for e in written if e.casefold() != unit.email.casefold())
        lines.append(
            ContactLine(_("Pos-el"), unit.email, f"mailto:{unit.email}", added=added(unit.email), printed_otherwise=others)
        )
    if unit.website:
        lines.append(ContactLine(_("Laman"), unit.website, website_url(unit.website), added=added(unit.website)))
    return Contact(lines, hotline=service.app in HOTLINE_APPS)


def standard_contact(service: Service) -> Contact:
    """The contact beside a service's standard on its public page: the standard's components and notes read now."""
    notes = DraftingNote.objects.filter(document=DraftingNote.Document.STANDARD, service_id=service.slug)
    components = StandardComponent.objects.filter(service_id=service.slug).only("content")
    return contact_of(service.unit.letterhead_unit(), service, list(notes), list(components))


@dataclasses.dataclass
class PublicService:
    service: Service
    hours: list  # lines of hours_lines()
    complaint: StandardComponent | None  # the "... Pengaduan ..." component of its standard
    has_standard: bool
    has_sop: bool
    contact: Contact


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

    components = {}  # every service's standard, in order
    for component in StandardComponent.objects.order_by("order"):
        components.setdefault(component.service_id, []).append(component)
    complaints = {}
    for slug, items in components.items():
        complaint = next((c for c in items if "pengaduan" in c.label.casefold()), None)
        if complaint is not None:
            complaints[slug] = complaint
    notes = {}
    for note in DraftingNote.objects.filter(document=DraftingNote.Document.STANDARD):
        notes.setdefault(note.service_id, []).append(note)

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
                has_standard=service.slug in components,
                has_sop=hasattr(service, "sop"),
                contact=contact_of(
                    service.unit.letterhead_unit(), service, notes.get(service.slug, []), components.get(service.slug, [])
                ),
            )
        )
    by_code = {agency.unit.code: agency for agency in agencies.values()}
    for decree in Decree.objects.filter(unit_id__in=by_code).order_by("number"):
        by_code[decree.unit_id].decrees.append(decree)
    return sorted(agencies.values(), key=lambda agency: agency.unit.name)
