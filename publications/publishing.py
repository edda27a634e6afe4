"""Printing the published documents, and keeping each one's current rendering ready to serve.

Each published document (a service's standard or SOP sheet, a decree, the
public index) is a `PublishedDocument`: how to read it as of a moment, its
version, its public page and its PDF. The current version of each is rendered
ahead of the visitor (`publish`) and stored in a Publication row, so a request
costs one query and no visitor waits for WeasyPrint:

- `manage.py publish` renders every document whose version changed (run at each deploy);
- a change to anything a document prints marks the renderings stale, and they are
  redone once that change is committed (publications.apps connects the signals);
- a document never rendered is rendered by the first request for it.

`publish` locks the document's row, so each document is rendered once at a time.
Older versions (`?versi=`) are rendered on request; their PDFs are cached per version.
"""

import logging
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.models import Service
from portal.pdf import attribute_by_page, logo_url, render_pdf
from publications import documents, versions
from publications.agencies import public_agencies
from publications.models import Decree, Publication, SOPDocument, StandardComponent
from publications.sheets import mark_page_breaks
from publications.steps import sheet_steps
from publications.summary import service_summary

logger = logging.getLogger(__name__)


class PublishedDocument:
    """One published document. Subclasses say how to read, version and print it."""

    key: str  # the Publication key
    url: str  # its public page
    page_template: str
    pdf_template = ""  # none: the document has no PDF
    landscape = False

    def context(self, moment=None) -> dict:
        raise NotImplementedError

    def version(self, moment=None) -> versions.Version:
        raise NotImplementedError

    def page_context(self) -> dict:
        return {}

    def pdf_context(self, moment=None) -> dict:
        """What the PDF prints: the page's context, and what only the paper carries."""
        return self.context(moment)

    def letterhead_unit(self):
        return None

    def page(self, moment=None, note="") -> str:
        """The public page as of `moment`, with a note on the version shown."""
        context = self.context(moment)
        return render_to_string(self.page_template, {
            **context, **self._version_links(context), **self.page_context(), "version_note": note, "page_url": self.url,
        })

    def pdf(self, moment=None) -> bytes:
        context = self.pdf_context(moment)
        context["printed_at"] = timezone.now()
        return render_pdf(
            self.pdf_template, context, unit=self.letterhead_unit(), landscape=self.landscape,
            settle=self.page_breaks(context),
        )

    def page_breaks(self, context):
        """A render_pdf `settle` callback for a document that prints where its pages break; None: it does not."""
        return None

    @staticmethod
    def _version_links(context):
        """The context's moment and change moments as `?versi=` query strings for links."""
        moment, changes = context.get("moment"), context.get("changes", [])
        return {
            "version_query": f"?{urlencode({'versi': versions.version_param(moment)})}" if moment else "",
            "change_links": [(change, f"?{urlencode({'versi': versions.version_param(change)})}") for change in changes],
            "current_change": changes[-1] if changes else None,
        }


class Standard(PublishedDocument):
    page_template = "publications/public/standard.html"
    pdf_template = "publications/documents/standard.html"

    @staticmethod
    def key_of(slug):
        return f"standard:{slug}"

    def __init__(self, service: Service):
        self.service = service
        self.key = self.key_of(service.slug)
        self.url = reverse("public_standard", args=[service.slug])
        self.file_stem = f"standar-pelayanan-{service.slug}"

    def context(self, moment=None):
        return documents.standard_context(self.service, moment)

    def version(self, moment=None):
        return versions.standard_version(self.service, moment)

    def page_context(self):
        agency = self.service.unit.letterhead_unit()
        logo = reverse("public_logo", args=[agency.code]) if agency.logo else ""
        return {"agency": agency, "agency_logo": logo, "summary": service_summary(self.service)}

    def letterhead_unit(self):
        return self.service.unit


class SOPSheet(PublishedDocument):
    page_template = "publications/public/sop.html"
    pdf_template = "publications/documents/sop.html"
    landscape = True  # the activity table needs the width

    @staticmethod
    def key_of(slug):
        return f"sop:{slug}"

    def __init__(self, service: Service):
        self.service = service
        self.key = self.key_of(service.slug)
        self.url = reverse("public_sop", args=[service.slug])
        self.file_stem = f"sop-{service.slug}"

    def context(self, moment=None):
        return documents.sop_context(self.service, moment)

    def version(self, moment=None):
        _workflow, steps_fingerprint = sheet_steps(self.service, moment)
        return versions.sop_version(self.service, steps_fingerprint, moment)

    def page_context(self):
        agency = self.service.unit.letterhead_unit()
        logo = reverse("public_logo", args=[agency.code]) if agency.logo else ""
        return {"agency": agency, "agency_logo": logo}

    def letterhead_unit(self):
        return self.service.unit

    def page_breaks(self, context):
        """Off-page connectors where the printed activity table breaks.

        Where the pages break is known only once the table is laid out, and the connectors can move the
        breaks, so it is laid out again until the rows that end a page are the rows marked.
        """
        marked = set()

        def settle(document):
            nonlocal marked
            pages = [[int(row) for row in page] for page in attribute_by_page(document, "data-row")]
            # The last row of a page whose table goes on at the head of the next page.
            breaks = {page[-1] for page, following in zip(pages, pages[1:]) if page and following}
            if breaks == marked:
                return True
            mark_page_breaks(context["rows"], breaks)
            marked = breaks
            return False

        return settle


class DecreeDocument(PublishedDocument):
    page_template = "publications/public/decree.html"
    pdf_template = "publications/documents/decree.html"

    @staticmethod
    def key_of(pk):
        return f"decree:{pk}"

    def __init__(self, decree: Decree):
        self.decree = decree
        self.key = self.key_of(decree.pk)
        self.url = reverse("public_decree", args=[decree.pk])
        self.file_stem = f"keputusan-bupati-{decree.unit_id}-{decree.pk}"

    def context(self, moment=None):
        return documents.decree_context(self.decree.pk, moment)

    def pdf_context(self, moment=None):
        """The decree, then its Lampiran: the SOP sheets its decisions enact, each as it stood at `moment`.

        The page links the sheets instead. A sheet made after `moment` was not enacted then and is left out;
        a moment whose activity table is not kept raises StepsNotKept, as the sheet's own PDF does.
        """
        context = self.context(moment)
        appendix, seen = [], set()
        for decision in context["decisions"]:
            # The link keeps no order of its own: the sheets follow in the order they were entered, which
            # for the seeds is the order the decision lists them in ("1. ... P2TP2A 2. ... Kontrasepsi").
            for sop in sorted(decision.linked_sops, key=lambda sop: sop.pk):
                if sop.pk in seen:
                    continue
                seen.add(sop.pk)
                try:
                    sheet = documents.sop_context(sop.service, moment)
                except ObjectDoesNotExist:
                    continue
                agency = sop.service.unit.letterhead_unit()  # heads the sheet as on its own PDF
                appendix.append({**sheet, "header_unit": agency, "header_logo": logo_url(agency)})
        return {**context, "appendix": appendix}

    def version(self, moment=None):
        return versions.decree_version(self.decree, moment)

    def letterhead_unit(self):
        return self.decree.unit


class Index(PublishedDocument):
    key = "index"
    page_template = "publications/public/index.html"

    @property
    def url(self):
        return reverse("public_index")

    def context(self, moment=None):
        return {"agencies": public_agencies()}

    def version(self, moment=None):
        return versions.index_version()


def published_documents() -> list[PublishedDocument]:
    """Every document the public pages show."""
    services = Service.objects.select_related("unit")
    with_standard = set(StandardComponent.objects.values_list("service_id", flat=True).distinct())
    with_sop = set(SOPDocument.objects.values_list("service_id", flat=True))
    return [
        Index(),
        *(Standard(s) for s in services if s.slug in with_standard),
        *(SOPSheet(s) for s in services if s.slug in with_sop),
        *(DecreeDocument(d) for d in Decree.objects.select_related("unit")),
    ]


def publish(document: PublishedDocument) -> Publication:
    """Render the document's current version and store it, unless it is stored already.

    The row stays locked while rendering: a second publish of the same document waits, then finds it done.
    """
    now = timezone.now()
    with transaction.atomic():
        row, created = Publication.objects.select_for_update().get_or_create(
            key=document.key, defaults={"version": "", "changed_at": now, "html": "", "rendered_at": now}
        )
        version = document.version()
        if row.version != version.key:
            row.html = document.page()
            row.pdf = document.pdf() if document.pdf_template else b""
            row.version = version.key
            row.changed_at = version.changed_at or now
            row.rendered_at = timezone.now()
        row.file_stem = getattr(document, "file_stem", "")  # also for rows stored before it was kept
        row.stale = False
        row.save()
    return row


def publish_all(*, stale_only=False) -> list[str]:
    """Render every document whose version changed (only those marked stale or never rendered, with stale_only).

    Returns the keys published. A document that cannot be rendered now keeps its last rendering; the error is logged.
    """
    all_documents = published_documents()
    Publication.objects.exclude(key__in=[d.key for d in all_documents]).delete()
    fresh = set(Publication.objects.filter(stale=False).exclude(version="").values_list("key", flat=True))
    published = []
    for document in all_documents:
        if stale_only and document.key in fresh:
            continue
        try:
            publish(document)
        except Exception:
            logger.exception("Dokumen %s tidak dapat dirender", document.key)
        else:
            published.append(document.key)
    return published


def stored(key: str, *, with_pdf=False) -> Publication | None:
    """The stored rendering of a document by its key, without reading the document: one query."""
    rows = Publication.objects.exclude(version="").defer("html" if with_pdf else "pdf")
    return rows.filter(key=key).first()


def current(document: PublishedDocument, *, with_pdf=False) -> Publication:
    """The stored rendering of the document's current version; rendered now if it never was."""
    row = stored(document.key, with_pdf=with_pdf)
    return row if row is not None else publish(document)


def mark_stale():
    """Something published documents print has changed: redo their renderings once the change is committed."""
    Publication.objects.update(stale=True)
    transaction.on_commit(lambda: publish_all(stale_only=True))
