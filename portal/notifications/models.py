"""The outbox of e-mails, the notifications in the portal, and each user's choice of how they are told.

Every row here is written in the transaction of the event that causes it (a step taken, a complaint answered, a
reminder's round): a rollback leaves neither a notification nor an e-mail, and a commit leaves both, for the
tasks to send. Texts name a record by its number and service only, never the person it serves.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Email(models.Model):
    """An e-mail the portal sends, kept until it is sent. Sent at most once: the task that sends it locks the row
    and skips one already sent (tasks.email_send may run twice: a worker killed after its work, a retry); one
    that keeps failing is given up after `MAX_ATTEMPTS` and shown to the admin."""

    MAX_ATTEMPTS = 6

    # What the e-mail is about, unique: the same event never queues a second e-mail ("notification:<pk>").
    key = models.CharField(_("kunci"), max_length=200, unique=True)
    to = models.JSONField(_("kepada"))
    subject = models.CharField(_("perihal"), max_length=300)
    body = models.TextField(_("isi"))
    created_at = models.DateTimeField(_("dibuat"))
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # When a failed e-mail is tried again (tasks.emails_retry), each time later.
    next_attempt_at = models.DateTimeField(_("dicoba lagi"), null=True, blank=True)
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)
    failed_at = models.DateTimeField(_("gagal"), null=True, blank=True)

    class Meta:
        verbose_name = _("surel")
        verbose_name_plural = _("surel")
        indexes = [
            # The retry round reads the unsent ones only.
            models.Index(
                fields=["next_attempt_at"], name="email_unsent",
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def state(self):
        if self.sent_at:
            return _("terkirim")
        if self.failed_at:
            return _("gagal")
        return _("menunggu")


class Kind(models.TextChoices):
    """What a notification is about; each user chooses per kind how they are told (Preference)."""

    STEP = "langkah", _("Langkah yang dapat Anda kerjakan")
    APPROVAL = "persetujuan", _("Persetujuan yang menunggu Anda")
    DUE_SOON = "segera", _("Batas waktu yang sudah dekat")
    OVERDUE = "terlambat", _("Berkas yang melewati batas waktu")
    COMPLAINT = "pengaduan", _("Pengaduan")
    REPORT_DUE = "laporan", _("Laporan faskes yang jatuh tempo")
    EXPIRY = "kedaluwarsa", _("Lot yang mendekati kedaluwarsa")
    COUNT = "opname", _("Stok opname yang menunggu persetujuan")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("pengguna")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("isi"), max_length=300)
    url = models.CharField(_("tautan"), max_length=300)
    # The event, unique per user: a reminder's round or a retried task that meets it again adds nothing.
    key = models.CharField(_("kunci"), max_length=200)
    created_at = models.DateTimeField(_("dibuat"))
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    email = models.ForeignKey(Email, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("surel"))
    # When it went out in a daily digest (Preference.Channel.DIGEST).
    digested_at = models.DateTimeField(_("diringkas"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        indexes = [
            # The bell counts a user's unread ones; the list shows the newest first.
            models.Index(fields=["user", "-created_at"], name="notification_user_newest"),
            models.Index(fields=["user"], name="notification_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return self.text


class ReminderEvent(models.Model):
    """An event the reminder round has dealt with (portal.notifications.reminders), whether or not anyone was there
    to tell: the round reads these keys, not the records, to pass over what it met before."""

    key = models.CharField(_("kunci"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")

    def __str__(self):
        return self.key


class Preference(models.Model):
    class Channel(models.TextChoices):
        IMMEDIATE = "segera", _("Surel segera")
        DIGEST = "ringkasan", _("Ringkasan harian lewat surel")
        PORTAL = "portal", _("Hanya di portal")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences", verbose_name=_("pengguna")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("cara"), max_length=20, choices=Channel.choices)

    class Meta:
        verbose_name = _("pilihan notifikasi")
        verbose_name_plural = _("pilihan notifikasi")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self):
        return f"{self.user} - {self.get_kind_display()}: {self.get_channel_display()}"
