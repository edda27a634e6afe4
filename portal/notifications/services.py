"""The writes of notifications and e-mail: queue an e-mail in the outbox, send one, notify users of an event.

Each write runs inside the transaction of the event that causes it; the e-mails go out after the commit, through
a task (tasks.email_send), so a rollback sends nothing and a slow mail server holds no request.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Membership, Unit, access_for, accesses_for
from portal.notifications.models import Email, Kind, Notification, Preference
from portal.roles import Role

# A failed e-mail is tried again after 1, 2, 4, 8 and 16 minutes, then given up (Email.MAX_ATTEMPTS).
FIRST_RETRY = timedelta(minutes=1)
# A queued e-mail still unsent after this is sent by the retry round: its task was lost (a broker restarted).
LOST_AFTER = timedelta(minutes=5)


def email_queue(*, to, subject, body, key="", now=None) -> Email | None:
    """Queue one e-mail to the addresses `to` and send it after the commit. `key` names the event; an e-mail with
    the same key is not queued again (None is returned). Nothing is queued without an address."""
    to = [address for address in to if address]
    if not to:
        return None
    email, created = Email.objects.get_or_create(
        key=key or f"once:{uuid.uuid4()}",
        # A subject is one header line: a newline (from a service's name, say) would start another header.
        defaults={"to": to, "subject": " ".join(subject.split())[:300], "body": body, "created_at": now or timezone.now()},
    )
    if not created:
        return None
    from portal.notifications import tasks  # the tasks module imports this one

    transaction.on_commit(lambda: tasks.email_send.delay(email.pk))
    return email


def email_send(pk, *, now=None) -> bool:
    """Send the queued e-mail `pk` if it is neither sent nor given up nor being sent by another worker; True once
    it is sent. A failure is kept on the row with the time of the next attempt, each twice as late."""
    now = now or timezone.now()
    with transaction.atomic():
        email = (
            Email.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True, failed_at__isnull=True)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        try:
            send_mail(email.subject, email.body, None, email.to)
        except Exception as error:  # the mail server's answer, whatever it is, is kept for the admin
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= Email.MAX_ATTEMPTS:
                email.failed_at, email.next_attempt_at = now, None
            else:
                email.next_attempt_at = now + FIRST_RETRY * 2 ** (email.attempts - 1)
            email.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
            return False
        email.sent_at, email.next_attempt_at = now, None
        email.save(update_fields=["attempts", "sent_at", "next_attempt_at"])
        return True


def emails_due(now=None) -> list[int]:
    """The e-mails the retry round sends: failed ones whose next attempt has come, and ones whose task was lost."""
    now = now or timezone.now()
    unsent = Email.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
    retry = unsent.filter(next_attempt_at__lte=now)
    lost = unsent.filter(attempts=0, created_at__lte=now - LOST_AFTER)
    return list((retry | lost).order_by("pk").values_list("pk", flat=True)[:500])


def email_retry(pk) -> Email:
    """The admin sends a given-up e-mail again (after fixing the mail server): it starts its attempts anew."""
    with transaction.atomic():
        email = Email.objects.select_for_update().get(pk=pk)
        if email.sent_at is None:
            email.failed_at, email.attempts, email.next_attempt_at = None, 0, None
            email.save(update_fields=["failed_at", "attempts", "next_attempt_at"])
            from portal.notifications import tasks

            transaction.on_commit(lambda: tasks.email_send.delay(email.pk))
    return email


# Notifications.


def record_words(record) -> str:
    """How a notification names a record: its service and number, never the person it serves."""
    number = getattr(record, "number", None) or record.pk
    return _("%(service)s nomor %(number)s") % {"service": record.service.name, "number": number}


def channels(users, kind) -> dict[int, str]:
    """How each of `users` wants to be told of `kind` (Preference; e-mail at once unless they chose otherwise)."""
    chosen = dict(Preference.objects.filter(user__in=users, kind=kind).values_list("user_id", "channel"))
    return {user.pk: chosen.get(user.pk, Preference.Channel.IMMEDIATE) for user in users}


def notify(users, *, kind, text, url, key, now=None) -> list[Notification]:
    """Tell each of `users` of an event once: a notification for the bell and, where they chose it, an e-mail.
    `key` names the event: a user already told of it is not told again. Returns the notifications made."""
    now = now or timezone.now()
    users = [user for user in dict.fromkeys(users) if user.is_active]
    told = set(Notification.objects.filter(user__in=users, key=key).values_list("user_id", flat=True))
    ways = channels(users, kind)
    made = []
    for user in users:
        if user.pk in told:
            continue
        try:
            with transaction.atomic():  # a round running at the same moment may have told them: then it counts
                notification = Notification.objects.create(
                    user=user, kind=kind, text=text[:300], url=url, key=key, created_at=now
                )
        except IntegrityError:
            continue
        if ways[user.pk] == Preference.Channel.IMMEDIATE and user.email:
            notification.email = email_queue(
                to=[user.email], subject=text, key=f"notification:{notification.pk}", now=now,
                body=_("%(text)s\n\nBuka: %(url)s\n\nAnda menerima surel ini karena memilihnya pada Pengaturan "
                       "notifikasi di portal.") % {"text": text, "url": absolute(url)},
            )
            notification.save(update_fields=["email"])
        made.append(notification)
    return made


def absolute(url) -> str:
    return f"{settings.PORTAL_PUBLIC_URL}{url}"


def notification_read(*, user, pk=None, now=None) -> int:
    """Mark one of the user's notifications read (`pk`), or all of them; the number marked."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=now or timezone.now())


# Who is told.


def acting_users(record) -> list:
    """The users whose worklist holds `record` now: the same rule (Access.waiting_filter), asked of each user who
    could hold it: members of the record's unit and the units above it in a role of the workflow's, and the users
    the record names outside them (WorkflowRecord.outside_users). Four queries however many they are: the unit
    tree, the candidates, their memberships, and one row of the record with a yes or no per user."""
    model = type(record)
    if not record.is_open:
        return []
    tree = Unit.objects.tree()
    units = tree.above(record.unit_id)
    in_units = Q(memberships__unit__in=units, memberships__role__name__in=model.workflow.access_roles)
    outside = record.outside_users().values("pk")
    candidates = list(get_user_model().objects.filter(in_units | Q(pk__in=outside), is_active=True).distinct().order_by("pk"))
    if not candidates:
        return []
    accesses_for(candidates, tree)
    waiting = model.objects.filter(pk=record.pk).values(**{
        f"user_{user.pk}": Case(
            When(access_for(user).waiting_filter(model), then=Value(True)), default=Value(False),
            output_field=BooleanField(),
        )
        for user in candidates
    }).get()
    return [user for user in candidates if waiting[f"user_{user.pk}"]]


def heads_above(record, acting) -> list:
    """Who hears of the record left overdue after its acting users: the heads of its unit who may open it and are
    not among `acting`; when they all are (a P2TP2A case waiting for its Ketua), those of the unit above, and so on
    up the tree."""
    acting = {user.pk for user in acting}
    for unit in Unit.objects.tree().above(record.unit_id):
        memberships = Membership.objects.filter(
            unit_id=unit, role__name__in=Role.HEADS, user__is_active=True
        ).exclude(user__in=acting).select_related("user")
        heads = [user for user in dict.fromkeys(m.user for m in memberships) if access_for(user).can_view(record)]
        if heads:
            return heads
    return []


def transition_notify(record, *, actor, now=None) -> list[Notification]:
    """After a step: tell whoever may take the next one now (not the one who just acted)."""
    users = [user for user in acting_users(record) if user.pk != getattr(actor, "pk", None)]
    if not users:
        return []
    workflow = record.workflow
    approval = record.status in workflow.approval_statuses
    words = {"record": record_words(record), "status": workflow.status_label(record.status)}
    text = (_("%(record)s menunggu persetujuan Anda: %(status)s.") if approval
            else _("%(record)s menunggu langkah Anda: %(status)s.")) % words
    key = f"step:{record._meta.label_lower}:{record.pk}:{record.status}:{record.status_changed_at.isoformat()}"
    return notify(
        users, kind=record.notification_kind or (Kind.APPROVAL if approval else Kind.STEP), text=text,
        url=record.get_absolute_url(),
        key=key, now=now,
    )


def digests_send(now=None) -> int:
    """The daily digest (tasks.digests_send, every morning): to each user, one e-mail listing the notifications
    of the kinds they chose a digest for (Preference.Channel.DIGEST) that no digest carried yet. Keyed by user and
    day: a second round on the same day sends nothing. The number of digests queued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    digest_kinds = Preference.objects.filter(channel=Preference.Channel.DIGEST).values_list("user_id", "kind")
    wanted = {}
    for user_id, kind in digest_kinds:
        wanted.setdefault(user_id, set()).add(kind)
    queued = 0
    for user in get_user_model().objects.filter(pk__in=wanted, is_active=True).exclude(email=""):
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(user=user, kind__in=wanted[user.pk], digested_at__isnull=True, created_at__lte=now)
                .order_by("created_at")
            )
            if not pending:
                continue
            lines = "\n".join(f"- {n.text}\n  {absolute(reverse('notifications:follow', args=[n.pk]))}" for n in pending)
            email = email_queue(
                to=[user.email], key=f"digest:{user.pk}:{day.isoformat()}", now=now,
                subject=_("Ringkasan notifikasi portal layanan: %(count)d") % {"count": len(pending)},
                body=_("%(lines)s\n\nAnda menerima ringkasan ini karena memilihnya pada Pengaturan notifikasi di "
                       "portal.") % {"lines": lines},
            )
            if email is not None:
                Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digested_at=now)
                queued += 1
    return queued
