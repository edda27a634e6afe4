"""The published documents of a service, as they stand now or stood at a moment.

UU 25/2009 requires service standards to be published. The public pages and their PDFs read
a service's Standar Pelayanan (StandardComponents), its SOP sheet (SOPDocument + the app's
workflow.py) and the regent's decree, now or as of a moment (django-simple-history's
`as_of`). Each PDF is cached under a version key that changes whenever anything printed on it
does: the latest history date of each of its parts (the document's rows up to the moment, the
Service, the letterhead unit), a fingerprint of the workflow for an SOP sheet, and one of the
templates and stylesheets.
"""

import dataclasses
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import zip_longest
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from portal.models import (
    Decree,
    DecreeDecision,
    Service,
    ServiceHours,
    SOPDocument,
    StandardComponent,
    Unit,
)
from portal.pdf import STATIC_DIR, render_pdf
from portal.sheets import activity_rows
from portal.workflow import registered_workflows

# Saves closer together than this are one change: loading the fixtures, or an admin saving a
# decree with its decisions, writes many history rows within a second or two.
CHANGE_BURST = timedelta(minutes=1)

SECTION_HEADING = re.compile(r"^(?P<letter>[A-Z]{1,3})\.?\s+(?P<title>\S.*)$")
LABELLED_LINE = re.compile(r"^(?P<label>[a-zA-Z]\.|\d+\.)\s+(?P<text>\S.*)$")
TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


class InvalidVersion(ValueError):
    """A `?versi=` value that names no moment."""


# Versions.


def parse_moment(value: str) -> datetime | None:
    """The moment a `?versi=` value names: an ISO date-time (WIB without an offset) or a date (its end).

    None for a blank value or a moment still to come: both mean the current version.
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = parse_date(value)
        if day is not None:
            moment = datetime.combine(day, datetime.max.time())
        else:
            # "+07:00" arrives as " 07:00" when a link was not URL-encoded.
            moment = parse_datetime(value) or parse_datetime(value.replace(" ", "+"))
            if moment is None:
                raise InvalidVersion(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(UTC)  # out of range near year 1 or 9999
    except (ValueError, OverflowError) as error:
        raise InvalidVersion(value) from error
    return None if moment >= timezone.now() else moment


def version_param(moment: datetime) -> str:
    """The `?versi=` value of a moment, in WIB, to the microsecond (history dates are that precise)."""
    return timezone.localtime(moment).isoformat()


def change_moments(dates) -> list[datetime]:
    """The moments a document changed, oldest first: the last save of each burst of saves."""
    moments = []
    for date in sorted(dates):
        if moments and date - moments[-1] <= CHANGE_BURST:
            moments[-1] = date
        else:
            moments.append(date)
    return moments


@dataclasses.dataclass(frozen=True)
class Version:
    """What a sheet is made of, as of a moment: when it last changed, and its cache key."""

    changed_at: datetime | None
    key: str


def _latest(history, **filters):
    return history.filter(**filters).aggregate(latest=Max("history_date"))["latest"]


def _version(*dates, extra: str = "") -> Version:
    known = [d for d in dates if d is not None]
    parts = [d.isoformat() if d else "-" for d in dates] + [extra]
    key = hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]
    return Version(max(known) if known else None, key)


def _until(moment):
    return {"history_date__lte": moment} if moment else {}


def _letterhead_changed(unit: Unit):
    return _latest(Unit.history, id=unit.letterhead_unit().pk)


def workflow_fingerprint(workflow) -> str:
    """A hash of a workflow declaration: a step changed in an app's workflow.py changes it."""
    declaration = json.dumps(dataclasses.asdict(workflow), default=str, sort_keys=True)
    return hashlib.sha256(declaration.encode()).hexdigest()


@cache
def layout_fingerprint() -> str:
    """A hash of the templates and stylesheets the sheets are printed with, once per process.

    A deploy that changes the layout restarts the workers, so cached PDFs of the old layout go unused.
    """
    files = sorted(
        [*(TEMPLATES_DIR / "portal").glob("*/*.html"), *(STATIC_DIR / "css").glob("*.css")],
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def standard_version(service: Service, moment=None) -> Version:
    return _version(
        _latest(StandardComponent.history, service_id=service.slug, **_until(moment)),
        _latest(Service.history, id=service.pk),
        _letterhead_changed(service.unit),
        extra=layout_fingerprint(),
    )


def sop_version(service: Service, workflow, moment=None) -> Version:
    return _version(
        _latest(SOPDocument.history, service_id=service.slug, **_until(moment)),
        _latest(Service.history, id=service.pk),
        _letterhead_changed(service.unit),
        extra=layout_fingerprint() + (workflow_fingerprint(workflow) if workflow else ""),
    )


def decree_version(decree: Decree, moment=None) -> Version:
    return _version(
        _latest(Decree.history, id=decree.pk, **_until(moment)),
        _latest(DecreeDecision.history, decree_id=decree.pk, **_until(moment)),
        _letterhead_changed(decree.unit),
        extra=layout_fingerprint(),
    )


# The documents, now or as of a moment.


@dataclasses.dataclass
class Section:
    letter: str  # "A", "B"; blank for a standard without sections
    title: str
    components: list


def standard_components(service: Service, moment=None) -> list[StandardComponent]:
    history = StandardComponent.history.as_of(moment) if moment else StandardComponent.objects
    return list(history.filter(service_id=service.slug).order_by("order"))


def standard_sections(components) -> list[Section]:
    """Components grouped by their section heading, in order ("A. Service Delivery ..." -> "A")."""
    sections = []
    for component in components:
        if not sections or sections[-1].components[-1].section != component.section:
            match = SECTION_HEADING.match(component.section)
            letter, title = (match["letter"], match["title"]) if match else ("", component.section)
            sections.append(Section(letter, title, []))
        sections[-1].components.append(component)
    return sections


def standard_title(service: Service) -> str:
    """"STANDAR PELAYANAN ..." as the seeds print it: "Pelayanan dan Pendampingan" is not said twice."""
    name = re.sub(r"^pelayanan\s+", "", service.name, flags=re.IGNORECASE)
    return f"Standar Pelayanan {name}"


def standard_context(service: Service, moment=None) -> dict:
    """What the standard page and PDF print. Raises ObjectDoesNotExist for a moment before the standard."""
    components = standard_components(service, moment)
    if not components and moment:
        raise ObjectDoesNotExist(f"no standard of {service.slug} at {moment}")
    dates = StandardComponent.history.filter(service_id=service.slug).values_list("history_date", flat=True)
    return {
        "service": service,
        "title": standard_title(service),
        "sections": standard_sections(components),
        "has_sop": SOPDocument.objects.filter(service_id=service.slug).exists(),
        "moment": moment,
        "changes": change_moments(dates),
    }


@dataclasses.dataclass
class ListBlock:
    """One two-column block of the SOP sheet, e.g. Dasar Hukum | Kualifikasi Pelaksana."""

    left: str
    left_lines: list
    right: str
    right_lines: list

    @property
    def columns(self):
        return [(self.left, self.left_lines), (self.right, self.right_lines)]

    @property
    def rows(self):
        """(number, text, number, text) per printed row, numbered from 1 on each side."""
        left = [(i, line) for i, line in enumerate(self.left_lines, 1)]
        right = [(i, line) for i, line in enumerate(self.right_lines, 1)]
        return [(*a, *b) for a, b in zip_longest(left, right, fillvalue=("", ""))]


def sop_document(service: Service, moment=None) -> SOPDocument:
    """The SOP sheet header of a service; raises ObjectDoesNotExist."""
    if moment:
        return SOPDocument.history.as_of(moment).get(service_id=service.slug)
    return SOPDocument.objects.get(service_id=service.slug)


def sop_blocks(sop: SOPDocument) -> list[ListBlock]:
    return [
        ListBlock("Dasar Hukum", sop.legal_bases_lines, "Kualifikasi Pelaksana", sop.qualifications_lines),
        ListBlock("Keterkaitan", sop.related_sops_lines, "Peralatan/Perlengkapan", sop.equipment_lines),
        ListBlock("Peringatan", sop.warnings_lines, "Pencatatan dan Pendataan", sop.records_lines),
    ]


def sop_context(service: Service, moment=None) -> dict:
    """What the SOP page and PDF print. Raises ObjectDoesNotExist."""
    sop = sop_document(service, moment)
    workflow = registered_workflows().get(service.app)
    dates = SOPDocument.history.filter(service_id=service.slug).values_list("history_date", flat=True)
    return {
        "service": service,
        "sop": sop,
        "blocks": sop_blocks(sop),
        "workflow": workflow,
        "rows": activity_rows(workflow) if workflow else [],
        "moment": moment,
        "changes": change_moments(dates),
    }


def labelled(lines) -> list[tuple[str, str]]:
    """Split "a. bahwa ..." / "12. Peraturan ..." into its printed label and its text."""
    result = []
    for line in lines:
        match = LABELLED_LINE.match(line)
        result.append((match["label"], match["text"]) if match else ("", line))
    return result


def decree_at(pk: int, moment=None) -> tuple[Decree, list[DecreeDecision]]:
    """A decree and its decisions, each with `linked_sops` (the SOPs it enacts, as linked now).

    Raises ObjectDoesNotExist.
    """
    if moment:
        decree = Decree.history.as_of(moment).get(pk=pk)
        decisions = list(DecreeDecision.history.as_of(moment).filter(decree_id=pk).order_by("order"))
    else:
        decree = Decree.objects.get(pk=pk)
        decisions = list(decree.decisions.order_by("order"))
    links = DecreeDecision.sops.through.objects.filter(decreedecision_id__in=[d.pk for d in decisions])
    by_decision = {}
    for link in links.select_related("sopdocument").order_by("sopdocument__service_id"):
        by_decision.setdefault(link.decreedecision_id, []).append(link.sopdocument)
    for decision in decisions:
        decision.linked_sops = by_decision.get(decision.pk, [])
    return decree, decisions


def decree_context(pk: int, moment=None) -> dict:
    decree, decisions = decree_at(pk, moment)
    dates = [
        *Decree.history.filter(id=pk).values_list("history_date", flat=True),
        *DecreeDecision.history.filter(decree_id=pk).values_list("history_date", flat=True),
    ]
    title = decree.signatory_title
    return {
        "decree": decree,
        "decisions": decisions,
        "considerations": labelled(decree.considerations_lines),
        "legal_bases": labelled(decree.legal_bases_lines),
        "copies_to": labelled(decree.copies_to_lines),
        "signature": {  # "Ditetapkan di ... pada tanggal ..." stands above it, so no place and date here
            "place": "",
            "date": "",
            "title": f"{decree.signatory_on_behalf}\n{title}" if decree.signatory_on_behalf else title,
            "name": decree.signatory_name,
            "nip": decree.signatory_nip,
        },
        "moment": moment,
        "changes": change_moments(dates),
    }


# The printed sheets. The views cache them under their version's key (portal.pdf.cached_pdf).


def render_standard_pdf(service: Service, moment=None) -> bytes:
    """The Standar Pelayanan, portrait A4 under the agency's letterhead. Raises ObjectDoesNotExist."""
    context = standard_context(service, moment)
    context["version"] = standard_version(service, moment)
    return render_pdf("portal/documents/standard.html", context, unit=service.unit)


def render_sop_pdf(service: Service, moment=None) -> bytes:
    """The SOP sheet, landscape A4: the activity table needs the width. Raises ObjectDoesNotExist."""
    context = sop_context(service, moment)
    context["version"] = sop_version(service, context["workflow"], moment)
    return render_pdf("portal/documents/sop.html", context, unit=service.unit, landscape=True)


def render_decree_pdf(decree: Decree, moment=None) -> bytes:
    """The decree, portrait A4 as a formal letter under the agency's letterhead. Raises ObjectDoesNotExist."""
    context = decree_context(decree.pk, moment)
    context["version"] = decree_version(decree, moment)
    return render_pdf("portal/documents/decree.html", context, unit=decree.unit)


# The agencies and their services, for the public index.


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
