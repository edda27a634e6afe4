"""Versions of the published documents: which moment a `?versi=` names, and cache keys.

A document's version key changes whenever anything printed on it does: the
latest history date of each of its parts (the document's rows up to the
moment, the Service, the letterhead unit), the fingerprint of the activity
table in force for an SOP sheet, and one of the templates and stylesheets.
"""

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from portal.models import Service, ServiceHours, Unit
from portal.pdf import STATIC_DIR
from publications.models import Decree, DecreeDecision, DraftingNote, ServiceStandard, SOPDocument, StandardComponent
from publications.steps import sheet_steps

# Saves closer together than this are one change: loading the fixtures, or an admin saving a
# decree with its decisions, writes many history rows within a second or two.
CHANGE_BURST = timedelta(minutes=1)

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


class InvalidVersion(ValueError):
    """A `?versi=` value that names no moment."""


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
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 ("+16:00"), and near year 1 or 9999 this overflows.
        moment = moment.astimezone(UTC)
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
    """What a document is made of, as of a moment: when it last changed, and its key."""

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


@cache
def layout_fingerprint() -> str:
    """A hash of the templates and stylesheets the documents are printed with, once per process.

    A deploy that changes the layout restarts the workers, so renderings of the old layout go unused.
    """
    files = sorted(
        [
            *(TEMPLATES_DIR / "publications").glob("*/*.html"),
            *(TEMPLATES_DIR / "portal" / "pdf").glob("*.html"),  # the letterhead and page frame
            *(STATIC_DIR / "css").glob("*.css"),
        ],
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _hours_fingerprint() -> str:
    """The service hours, which the public pages print and no history records."""
    hours = list(ServiceHours.objects.order_by("pk").values_list("unit_id", "weekday", "opens", "closes"))
    return hashlib.sha256(repr(hours).encode()).hexdigest()


def standard_version(service: Service, moment=None) -> Version:
    return _version(
        _latest(StandardComponent.history, service_id=service.slug, **_until(moment)),
        _latest(DraftingNote.history, service_id=service.slug, document="standard", **_until(moment)),
        _latest(ServiceStandard.history, service_id=service.slug, **_until(moment)),
        _latest(Service.history, id=service.pk),
        _letterhead_changed(service.unit),
        extra=layout_fingerprint() + _hours_fingerprint(),
    )


def sop_version(service: Service, steps_fingerprint: str, moment=None) -> Version:
    return _version(
        _latest(SOPDocument.history, service_id=service.slug, **_until(moment)),
        _latest(DraftingNote.history, service_id=service.slug, document="sop", **_until(moment)),
        _latest(Service.history, id=service.pk),
        _letterhead_changed(service.unit),
        extra=layout_fingerprint() + steps_fingerprint,
    )


def decree_version(decree: Decree, moment=None) -> Version:
    # Its PDF's Lampiran prints the SOP sheets its decisions enact (linked now, as documents.decree_at
    # reads them), so each sheet's version, the steps in force included, is part of the decree's.
    enacted = SOPDocument.objects.filter(decisions__decree=decree).select_related("service").distinct()
    sheets = [
        sop_version(sop.service, sheet_steps(sop.service, moment)[1], moment)
        for sop in enacted.order_by("service_id")
    ]
    return _version(
        _latest(Decree.history, id=decree.pk, **_until(moment)),
        _latest(DecreeDecision.history, decree_id=decree.pk, **_until(moment)),
        _latest(DraftingNote.history, decree_id=decree.pk, **_until(moment)),
        _letterhead_changed(decree.unit),
        *(sheet.changed_at for sheet in sheets),
        extra=layout_fingerprint() + "".join(sheet.key for sheet in sheets),
    )


def index_version() -> Version:
    """The public index lists every agency, its services, hours, complaint channels and decrees."""
    return _version(
        _latest(Unit.history),
        _latest(Service.history),
        _latest(StandardComponent.history),
        _latest(SOPDocument.history),
        _latest(Decree.history),
        extra=layout_fingerprint() + _hours_fingerprint(),
    )
