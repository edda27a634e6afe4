"""The rules of the guarantee, read by the models' pages, the services and the register alike: when a record has
missed its time standard, who writes why, who decides the compensation, and how late it was.

A record misses its standard when its service's due time (WorkflowRecord.due_at) passed while it was open: it is
still open after it, or it was closed after it.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import clock, identity
from portal.models import access_for
from portal.roles import Role
from portal.services import acting_actors
from portal.templatetags.workflow import duration_id


def missed(record, now=None) -> bool:
    if record.due_at is None:
        return False
    if record.is_open:
        return record.due_at < (now or timezone.now())
    return record.status_changed_at > record.due_at


def missed_filter(model, now=None) -> Q:
    """The records of `model` that missed their standard, as a filter: `missed` in SQL."""
    final = model.workflow.final_statuses
    return Q(due_at__isnull=False) & (
        (~Q(status__in=final) & Q(due_at__lt=now or timezone.now()))
        | (Q(status__in=final) & Q(status_changed_at__gt=F("due_at")))
    )


def record_key(record) -> dict:
    """The generic key of a record: MissedStandard's content type and object id."""
    return {"content_type": ContentType.objects.get_for_model(record), "object_id": record.pk}


def record_label(record) -> str:
    """"cases.12": which record a form sent from its page was for."""
    return f"{record._meta.app_label}.{record.pk}"


def record_number(record) -> str:
    """The record's number (portal.models.YearNumbered), which names no one; its key for a record without one."""
    return str(getattr(record, "number", None) or record.pk)


def reason_refusal(record, user) -> str:
    """Why `user` may not write the reason, or "": those who act on the record (an executor's role held in its
    unit or above, through its office where the step names one), not an observer."""
    if not acting_actors(record, record.workflow.actors, user):
        return _("Alasan dituliskan oleh pelaksana layanan ini pada unit yang menanganinya.")
    return ""


def is_head(record, user) -> bool:
    return bool(access_for(user).roles_in(record.unit_id) & set(Role.HEADS))


def decision_refusal(record, user) -> str:
    """Why `user` may not decide the compensation, or "": a Kepala Bidang or Kepala Dinas of the record's unit or
    above."""
    if not is_head(record, user):
        return _("Kompensasi diputuskan oleh Kepala Bidang atau Kepala Dinas yang membawahi unit ini.")
    return ""


def reads_reasons_kept_by_app(user, record) -> bool:
    """Whether `user` reads the reason the app keeps beside its record's identity (identitas' notes): whoever
    reads the record's identity (portal.identity)."""
    return not identity.keeps_from(user, record)


def lateness(due_at, end, calendar) -> tuple[int, bool]:
    """(minutes late, counted in working time) from the due time to `end`: service hours of `calendar`, or
    calendar minutes when the unit has none (calendar None)."""
    if calendar is not None:
        return max(calendar.working_minutes_between(due_at, end), 0), True
    return max(int((end - due_at).total_seconds() // 60), 0), False


def unit_calendar(unit):
    """The unit's working calendar, or None when neither it nor a unit above it has service hours."""
    try:
        return unit.working_calendar()
    except clock.NoServiceHours:
        return None


def lateness_words(minutes, working) -> str:
    """"2 jam 15 menit kerja", or in calendar time "1 hari 3 jam"."""
    if not working:
        return duration_id(timedelta(minutes=minutes))
    hours, rest = divmod(minutes, 60)
    parts = [_("%d jam") % hours] if hours else []
    if rest or not hours:
        parts.append(_("%d menit") % rest)
    return _("%(time)s kerja") % {"time": " ".join(parts)}
