"""The reminder round (tasks.reminders_run, every ten minutes): records whose time standard is near or past.

- Due soon: a record open whose service's time runs out within a day, or, for a standard in minutes, within the
  share the workflow declares (Workflow.reminder_share: a PPKS facilitation at 240 of its 300 minutes). Its
  acting users are told.
- Overdue: told to its acting users when its time has run out, and to the heads above them when it is still open
  that long again (a day, or the minutes' share), so work left lying reaches someone who can move it.
- What each app reminds of besides (WorkflowRecord.reminders): a faskes' report due, a lot near expiry.

Each reminder is keyed by the record and its due time: the round meets the same records every ten minutes and
tells no one twice; a due time moved (a step that starts its own clock) is a new event. Only records due in the
last 30 days are read, so a first round on years of data does not flood anyone with old overdue work, and at most
`BATCH` records per app and kind per round.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import sop_models
from portal.notifications.models import Kind
from portal.notifications.services import acting_users, heads_above, notify, record_words

DAY = timedelta(days=1)
LOOKBACK = timedelta(days=30)
BATCH = 500


@dataclass(frozen=True)
class Reminder:
    """Something an app reminds of (WorkflowRecord.reminders): who is told, of what kind, in which words, where it
    leads and the key of its event. The words name a record's number and service, never a person."""

    users: list
    kind: str
    text: str
    url: str
    key: str


def lead(workflow) -> timedelta:
    """How long before its due time a record of `workflow` is "due soon"."""
    time = workflow.time
    if time is not None and time.unit in ("minutes", "hours") and workflow.reminder_share:
        minutes = time.amount * (60 if time.unit == "hours" else 1)
        return timedelta(minutes=round(minutes * (1 - workflow.reminder_share)))
    return DAY


def _key(kind, record):
    return f"{kind}:{record._meta.label_lower}:{record.pk}:{record.due_at.isoformat()}"


def run(now=None) -> int:
    """One round over every SOP app; the number of notifications made."""
    now = now or timezone.now()
    made = 0
    for model in sop_models().values():
        ahead = lead(model.workflow)
        open_records = model.objects.open().select_related("service")
        soon = open_records.filter(due_at__gt=now, due_at__lte=now + ahead).order_by("due_at")[:BATCH]
        for record in soon:
            made += len(notify(
                acting_users(record), kind=Kind.DUE_SOON, url=record.get_absolute_url(), key=_key("soon", record),
                now=now, text=_("%(record)s: batas waktu layanan %(due)s.") % {
                    "record": record_words(record), "due": date_format(timezone.localtime(record.due_at), "j F Y H.i") + " WIB",
                },
            ))
        late = open_records.filter(due_at__lte=now, due_at__gt=now - LOOKBACK).order_by("due_at")[:BATCH]
        for record in late:
            text = _("%(record)s melewati batas waktu layanan.") % {"record": record_words(record)}
            acting = acting_users(record)
            made += len(notify(
                acting, kind=Kind.OVERDUE, text=text, url=record.get_absolute_url(), key=_key("late", record), now=now,
            ))
            if record.due_at <= now - ahead:
                made += len(notify(
                    heads_above(record, acting), kind=Kind.OVERDUE, text=text, url=record.get_absolute_url(),
                    key=_key("late-head", record), now=now,
                ))
        for reminder in model.reminders(now):
            made += len(notify(
                reminder.users, kind=reminder.kind, text=reminder.text, url=reminder.url, key=reminder.key, now=now,
            ))
    return made
