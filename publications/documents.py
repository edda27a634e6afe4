"""What each published document prints, as it stands now or stood at a moment.

The public pages and the PDFs print the same context: a service's Standar
Pelayanan (StandardComponents), its SOP sheet (SOPDocument and the activity
table in force, see publications.steps) and the regent's decree, read now or
as of a moment through django-simple-history's `as_of`. Each context function
raises ObjectDoesNotExist for a moment before the document existed.
"""

import dataclasses
import re
from itertools import zip_longest

from django.core.exceptions import ObjectDoesNotExist

from portal.models import Service
from publications.models import Decree, DecreeDecision, DraftingNote, ServiceStandard, SOPDocument, StandardComponent
from publications.sheets import activity_rows
from publications.steps import sheet_steps
from publications.versions import change_moments

SECTION_HEADING = re.compile(r"^(?P<letter>[A-Z]{1,3})\.?\s+(?P<title>\S.*)$")
LABELLED_LINE = re.compile(r"^(?P<label>[a-zA-Z]\.|\d+\.)\s+(?P<text>\S.*)$")

@dataclasses.dataclass
class Section:
    letter: str  # "A", "B"; blank for a standard without sections
    title: str
    components: list


def drafting_notes(document: str, moment=None, **owner) -> list[DraftingNote]:
    """The Catatan penyusunan of one document (owner: service_id= or decree_id=), numbered from 1."""
    history = DraftingNote.history.as_of(moment) if moment else DraftingNote.objects
    notes = [note for note in history.filter(document=document, **owner).order_by("order", "id") if note.listed]
    for number, note in enumerate(notes, 1):
        note.number = number
    return notes


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


def standard_heading(service: Service, moment=None) -> ServiceStandard:
    """The standard's heading as printed; for a standard without one, a title from the service's name
    ("Pelayanan dan Pendampingan" is not said twice)."""
    history = ServiceStandard.history.as_of(moment) if moment else ServiceStandard.objects
    heading = history.filter(service_id=service.slug).first()
    if heading is None:
        name = re.sub(r"^pelayanan\s+", "", service.name, flags=re.IGNORECASE)
        heading = ServiceStandard(service=service, title=f"Standar Pelayanan {name}")
    return heading


def standard_context(service: Service, moment=None) -> dict:
    """What the standard page and PDF print. Raises ObjectDoesNotExist for a moment before the standard."""
    components = standard_components(service, moment)
    if not components and moment:
        raise ObjectDoesNotExist(f"no standard of {service.slug} at {moment}")
    dates = StandardComponent.history.filter(service_id=service.slug).values_list("history_date", flat=True)
    heading = standard_heading(service, moment)
    return {
        "service": service,
        "heading": heading,
        "title": heading.title,
        "document_date": heading.dated,
        "sections": standard_sections(components),
        "has_sop": SOPDocument.objects.filter(service_id=service.slug).exists(),
        "notes": drafting_notes(DraftingNote.Document.STANDARD, moment, service_id=service.slug),
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
    """What the SOP page and PDF print: the header as of `moment` and the steps in force then.

    Raises ObjectDoesNotExist, or StepsNotKept for a moment before the first kept activity table.
    """
    sop = sop_document(service, moment)
    workflow, steps_fingerprint = sheet_steps(service, moment)
    dates = SOPDocument.history.filter(service_id=service.slug).values_list("history_date", flat=True)
    return {
        "service": service,
        "sop": sop,
        "blocks": sop_blocks(sop),
        # The sheet's own date, as printed; not when the portal's data last changed.
        "document_date": f"Tanggal efektif {sop.effective_on}" if sop.effective_on else "",
        "workflow": workflow,
        "rows": activity_rows(workflow) if workflow else [],
        "steps_fingerprint": steps_fingerprint,
        "notes": drafting_notes(DraftingNote.Document.SOP, moment, service_id=service.slug),
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
        "document_date": f"Ditetapkan {decree.date_text}" if decree.date_text else "",
        "notes": drafting_notes(DraftingNote.Document.DECREE, moment, decree_id=pk),
        "moment": moment,
        "changes": change_moments(dates),
    }
