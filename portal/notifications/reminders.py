"""The reminder round (tasks.reminders_run, every ten minutes): records whose time standard is near or past.

- Due soon: a record open whose service's time runs out within a day, or, for a standard in minutes, within the
  share the workflow declares (Workflow.reminder_share: a PPKS facilitation at 240 of its 300 minutes). Its
  acting users are told.
- Overdue: told to its acting users when its time has run out, and to the heads above them when it is still open
  that long again (a day, or the minutes' share), so work left lying reaches someone who can move it.
- What each app reminds of besides (WorkflowRecord.reminders): a faskes' report due, a lot near expiry.

Each reminder is keyed by the record and its due time: the round meets the same records every ten minutes and
tells no one twice, and reads only the keys of records already told; a due time moved (a step that starts its own
clock) is a new event. Only records due in the last 30 days are read, so a first round on years of data does not
flood anyone with old overdue work, and at most `BATCH` records per app and kind are told per round.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import sop_models
from portal.notifications.models import Kind, Notification
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
    """Of `records` (a queryset), at most BATCH that no one was told of under `kind` yet, earliest due first: a
    round reads the keys of the rest, not the records, so a backlog already told costs two queries."""
    keys = {_key(kind, model, pk, due_at): pk for pk, due_at in records.order_by("due_at").values_list("pk", "due_at")}
    told = {key for _user, key in _told(keys)}
    pks = [pk for key, pk in keys.items() if key not in told][:BATCH]
    rows = model.objects.select_related("service", "unit").in_bulk(pks)
    return [rows[pk] for pk in pks]


def run(now=None) -> int:
    """One round over every SOP app; the number of notifications made."""
    now = now or timezone.now()
    made = 0
    for model in sop_models().values():
        ahead = lead(model.workflow)
        open_records = model.objects.open()
        for record in _untold(model, open_records.filter(due_at__gt=now, due_at__lte=now + ahead), "soon"):
            due = date_format(timezone.localtime(record.due_at), "j F Y H.i") + " WIB"
            made += len(notify(
                acting_users(record), kind=model.notification_kind or Kind.DUE_SOON, url=record.get_absolute_url(),
                key=_key("soon", model, record.pk, record.due_at), now=now,
                text=_("%(record)s: batas waktu layanan %(due)s.") % {"record": record_words(record), "due": due},
            ))
        late = open_records.filter(due_at__lte=now, due_at__gt=now - LOOKBACK)
        for record in _untold(model, late, "late"):
            made += len(notify(
                acting_users(record), kind=model.notification_kind or Kind.OVERDUE, url=record.get_absolute_url(),
                key=_key("late", model, record.pk, record.due_at), now=now,
                text=_("%(record)s melewati batas waktu layanan.") % {"record": record_words(record)},
            ))
        for record in _untold(model, late.filter(due_at__lte=now - ahead), "late-head"):
            made += len(notify(
                heads_above(record, acting_users(record)), kind=model.notification_kind or Kind.OVERDUE,
                url=record.get_absolute_url(), key=_key("late-head", model, record.pk, record.due_at), now=now,
                text=_("%(record)s melewati batas waktu layanan.") % {"record": record_words(record)},
            ))
        app_reminders = model.reminders(now)
        told = _told([reminder.key for reminder in app_reminders])
        for reminder in app_reminders:
            users = [user for user in reminder.users if (user.pk, reminder.key) not in told]
            if users:
                made += len(notify(
                    users, kind=reminder.kind, text=reminder.text, url=reminder.url, key=reminder.key, now=now,
                ))
    return made


def _told(keys) -> set[tuple[int, str]]:
    """(user, key) of the notifications already made under `keys`, read a thousand keys at a time."""
    keys = list(keys)
    told = set()
    for start in range(0, len(keys), 1000):
        told |= set(Notification.objects.filter(key__in=keys[start:start + 1000]).values_list("user_id", "key"))
    return told
