"""Reads of a facilitation that the declaration's checks, the forms, the services and the pages share: the
standard's requirements and the agency's clock. It imports no model of this app (it reads the record's own
relations), so identitas.workflow, identitas.models and identitas.services may all lean on it without a circle.

The clock: 300 working minutes from the report's receipt to the report to the Kabid (step 7). While the
team waits for Disdukcapil's output the agency's clock stops: the record's due time is cleared during the
wait and, at its end, moved on by the wait's working minutes (`due_after_wait`).

The standard's two requirements (`REQUIREMENTS`): each obtained (its document attached) or waived by the Kabid
with a written reason before Disdukcapil is approached and before the file is archived. identitas.workflow
declares the checks that say so, reading this module; this module reads no declaration, so no circle either.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import clock
from portal.models import Attachment, access_for
from portal.services import attachments_of


# The standard's Persyaratan Pelayanan, as attachment kinds of the workflow's `documents` and fields of the record
# (how step 3 recorded each).
REQUIREMENTS = ("population_record", "dtks_letter")


class Requirement(models.TextChoices):
    """How step 3 means to obtain one of the standard's requirements (the record's field of that name)."""

    ATTACHED = "terlampir", gettext_lazy("Terlampir")
    REQUESTED = "diminta", gettext_lazy("Diminta dari sumbernya")


def is_kabid(user, facilitation) -> bool:
    """Whether `user` holds the office of Kabid of the unit running the service."""
    offices = facilitation.workflow.executor("head").offices
    return facilitation.service.unit_id in access_for(user).office_units(offices)


# The standard's requirements.


@dataclass(frozen=True)
class RequirementState:
    """One of the standard's requirements on a facilitation: as step 3 recorded it, and whether it is met."""

    kind: str  # the attachment kind, and the record's field step 3 fills
    label: str
    recorded: str  # a Requirement, or "" before step 3
    attached: bool
    waiver: object  # the RequirementWaiver, or None

    @property
    def met(self):
        return self.attached or self.waiver is not None

    @property
    def waivable(self):
        """Not met, once step 3 recorded how the team meant to obtain it: a waiver answers a failed attempt."""
        return bool(self.recorded) and not self.met

    @property
    def status(self):
        if self.attached:
            return _("Terlampir")
        if self.waiver is not None:
            return _("Dikesampingkan oleh Kabid")
        if self.recorded == Requirement.REQUESTED:
            return _("Diminta dari sumbernya, belum terlampir")
        return _("Belum terlampir")


def requirements_of(facilitation) -> list[RequirementState]:
    """The standard's requirements of the facilitation, in the standard's order: two queries."""
    attached = set(attachments_of(facilitation).filter(kind__in=REQUIREMENTS).values_list("kind", flat=True))
    waived = {waiver.requirement: waiver for waiver in facilitation.waivers.select_related("waived_by")}
    return [
        RequirementState(
            kind=kind, label=str(facilitation._meta.get_field(kind).verbose_name), recorded=getattr(facilitation, kind),
            attached=kind in attached, waiver=waived.get(kind),
        )
        for kind in REQUIREMENTS
    ]


def requirement_met(facilitation, kind) -> bool:
    return attachments_of(facilitation).filter(kind=kind).exists() or facilitation.waivers.filter(requirement=kind).exists()


def requirement_unmet_filter() -> Q:
    """The facilitations with a requirement neither attached nor waived: a filter, for the Kabid's worklist."""
    content_type = ContentType.objects.get_by_natural_key("identitas", "facilitation")
    condition = Q(pk__in=[])
    for kind in REQUIREMENTS:
        attached = Attachment.objects.filter(content_type=content_type, object_id=OuterRef("pk"), kind=kind)
        condition |= ~Exists(attached) & ~Q(waivers__requirement=kind)
    return condition


def requirements_missing(facilitation) -> list[str]:
    return [
        _("%(label)s (terlampir, atau dikesampingkan Kabid dengan alasan)") % {"label": requirement.label}
        for requirement in requirements_of(facilitation)
        if not requirement.met
    ]


# The agency's clock.


def open_wait(facilitation):
    # Through the facilitation's waits (a few), which its page reads once for the clock and the list of waits.
    return next((wait for wait in facilitation.waits.all() if wait.ended_at is None), None)


def agency_minutes(facilitation, now=None) -> int:
    """The working minutes the agency has spent so far (or in all, once reported), the waits left out."""
    if facilitation.agency_minutes is not None:
        return facilitation.agency_minutes
    wait = open_wait(facilitation)
    return minutes_spent(facilitation, facilitation.unit.working_calendar(), wait.started_at if wait else None, now)


def minutes_spent(facilitation, calendar, wait_started, now=None) -> int:
    """agency_minutes of an unreported facilitation, in its unit's `calendar`; `wait_started`: when the
    Disdukcapil wait that is running began, None if none is."""
    now = now or timezone.now()
    spent = calendar.working_minutes_between(facilitation.received_at, now) - facilitation.waited_minutes
    if wait_started is not None:
        spent -= calendar.working_minutes_between(wait_started, now)
    return max(spent, 0)


def register_minutes(rows, now=None):
    """Sets `minutes_spent` on each open, unreported facilitation of a register page (annotated with
    `wait_started`): the minutes used so far, with one calendar read per unit, not per row."""
    now = now or timezone.now()
    calendars = {}
    for row in rows:
        row.minutes_spent = None
        if not row.is_open or row.result_reported_at is not None:
            continue
        if row.unit_id not in calendars:
            try:
                calendars[row.unit_id] = row.unit.working_calendar()
            except clock.NoServiceHours:  # the unit's hours were removed since: the record's page says so
                calendars[row.unit_id] = None
        if calendars[row.unit_id] is not None:
            row.minutes_spent = minutes_spent(row, calendars[row.unit_id], row.wait_started, now)


def due_after_wait(calendar, *, due_before, started_at, minutes):
    """The due time after a wait of `minutes` working minutes begun at `started_at`, the due time being
    `due_before` then.

    A wait counts its whole working minutes, rounded down as the clock rounds the agency's own minutes, and the
    due time moves on by exactly those: the agency never gains time from a wait, and the due time, seconds
    kept, never moves earlier. (Counting the minutes left from the wait's start and adding them to its end
    floored them a second time: a wait of no time could take a minute off the due time.)
    """
    if due_before is None or due_before <= started_at or not minutes:
        # Already late when the wait began: it stays late. A wait under a minute moves nothing.
        return due_before
    return calendar.add_working_minutes(due_before, minutes)
