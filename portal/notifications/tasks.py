"""The notifications' background work (layanan/celery.py): each task may run twice without harm (a worker killed
after its work, a round that overlaps the next), because each write it makes is keyed (Email.key, Notification.key)
or checked under a row lock (services.email_send)."""

from celery import shared_task

from portal.notifications import reminders, services


@shared_task(name="notifications.email_send")
def email_send(pk):
    services.email_send(pk)


@shared_task(name="notifications.emails_retry")
def emails_retry():
    """Every minute (settings.CELERY_BEAT_SCHEDULE): the failed e-mails whose next attempt has come, and the ones
    whose task was lost."""
    for pk in services.emails_due():
        services.email_send(pk)


@shared_task(name="notifications.reminders_run")
def reminders_run():
    """Every ten minutes: records due soon and overdue, and what each app reminds of (reminders.run)."""
    reminders.run()


@shared_task(name="notifications.digests_send")
def digests_send():
    """Every morning at 07.00 WIB: the daily digests."""
    services.digests_send()
