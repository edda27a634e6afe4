"""The reminder round (tasks.reminders_run, every ten minutes): records whose time standard is near or past.

- Due soon: a record open whose service's time runs out within a day, or, for a standard in minutes, within the
  share the workflow declares (Workflow.reminder_share: a PPKS facilitation at 240 of its 300 minutes). Its
  acting users are told.
- Overdue: told to its acting users when its time has run out, and to the heads above them when it is still open
  that long again (a day, or the minutes' share), so work left lying reaches someone who can move it.
- What each app reminds of besides (WorkflowRecord.reminders): a faskes' report due, a lot near expiry.

Each reminder is keyed by the record and its due time, and the round remembers each key it dealt with
(ReminderEvent), told or not: it meets the same records every ten minutes, tells no one twice, and reads only the
keys of what it met before; a due time moved (a step that starts its own clock) is a new event. Only records due
in the last 30 days are read, so a first round on years of data does not flood anyone with old overdue work, and
at most `BATCH` records per app and kind are dealt with per round.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import sop_models
from portal.notifications.models import Kind, ReminderEvent
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


def _key(kind, model, pk, due_at):
    return f"{kind}:{model._meta.label_lower}:{pk}:{due_at.isoformat()}"


def _untold(model, records, kind):
    """Of `records` (a queryset), at most BATCH that the round has not dealt with under `kind` yet, earliest due
    first: it reads the keys of the rest (ReminderEvent), not the records, so a backlog dealt with costs two
    queries."""
    keys = {_key(kind, model, pk, due_at): pk for pk, due_at in records.order_by("due_at").values_list("pk", "due_at")}
    dealt = _dealt(keys)
    pks = [pk for key, pk in keys.items() if key not in dealt][:BATCH]
    rows = model.objects.select_related("service", "unit").in_bulk(pks)
    return [rows[pk] for pk in pks]


def _dealt(keys) -> set[str]:
    keys = list(keys)
    dealt = set()
    for start in range(0, len(keys), 1000):
        dealt |= set(ReminderEvent.objects.filter(key__in=keys[start:start + 1000]).values_list("key", flat=True))
    return dealt


def _tell(users, *, key, now, **notification) -> int:
    """Tell `users` of the event `key` and remember it dealt with, told or not (no one may act on it now)."""
    with transaction.atomic():
        made = notify(users, key=key, now=now, **notification)
        ReminderEvent.objects.get_or_create(key=key, defaults={"created_at": now})
    return len(made)


def run(now=None) -> int:
    """One round over every SOP app; the number of notifications made."""
    now = now or timezone.now()
    made = 0
    for model in sop_models().values():
        ahead = lead(model.workflow)
        open_records = model.objects.open()
        for record in _untold(model, open_records.filter(due_at__gt=now, due_at__lte=now + ahead), "soon"):
            due = date_format(timezone.localtime(record.due_at), "j F Y H.i") + " WIB"
            made += _tell(
                acting_users(record), kind=model.notification_kind or Kind.DUE_SOON, url=record.get_absolute_url(),
                key=_key("soon", model, record.pk, record.due_at), now=now,
                text=_("%(record)s: batas waktu layanan %(due)s.") % {"record": record_words(record), "due": due},
            )
        late = open_records.filter(due_at__lte=now, due_at__gt=now - LOOKBACK)
        for record in _untold(model, late, "late"):
            made += _tell(
                acting_users(record), kind=model.notification_kind or Kind.OVERDUE, url=record.get_absolute_url(),
                key=_key("late", model, record.pk, record.due_at), now=now,
                text=_("%(record)s melewati batas waktu layanan.") % {"record": record_words(record)},
            )
        for record in _untold(model, late.filter(due_at__lte=now - ahead), "late-head"):
            made += _tell(
                heads_above(record, acting_users(record)), kind=model.notification_kind or Kind.OVERDUE,
                url=record.get_absolute_url(), key=_key("late-head", model, record.pk, record.due_at), now=now,
                text=_("%(record)s melewati batas waktu layanan.") % {"record": record_words(record)},
            )
        app_reminders = model.reminders(now)
        dealt = _dealt(reminder.key for reminder in app_reminders)
        for reminder in app_reminders:
            if reminder.key not in dealt:
                made += _tell(
                    reminder.users, kind=reminder.kind, text=reminder.text, url=reminder.url, key=reminder.key, now=now,
                )
    return made
