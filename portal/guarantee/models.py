"""What a service's standard promises when a record passes its time standard, and what was done about one.

`Promise` is data the agency's Admin keeps (the standard's Jaminan Pelayanan): whether the service promises
compensation, in the standard's words. `MissedStandard` is one record past its time standard: why (the reason,
asked of those who act on it), and where compensation is promised, what the head decided and how the person who
asked was told. It names the record by its number only, never a person: the register prints it for the
leadership.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.models import Service, Unit


class Promise(models.Model):
    """A service's Jaminan Pelayanan as its standard prints it."""

    service = models.OneToOneField(Service, models.CASCADE, related_name="promise", verbose_name=_("layanan"))
    compensation = models.BooleanField(
        _("menjanjikan kompensasi"), default=False,
        help_text=_("Centang bila standar pelayanan menjanjikan kompensasi ketika layanan melewati standar waktu."),
    )
    words = models.TextField(_("bunyi jaminan pelayanan"), blank=True, help_text=_("Seperti tercetak pada standar pelayanan."))

    class Meta:
        verbose_name = _("jaminan pelayanan")
        verbose_name_plural = _("jaminan pelayanan")

    def __str__(self):
        return str(self.service)


class MissedStandard(models.Model):
    """A record that passed its time standard (portal.guarantee.policy.missed): the reason, and the head's decision
    on the compensation its service promises. One per record; written by portal.guarantee.services only."""

    class Decision(models.TextChoices):
        GIVEN = "diberikan", _("Kompensasi diberikan")
        NONE = "tidak", _("Tidak diberikan kompensasi")

    class Recipient(models.TextChoices):
        SERVED = "penerima", _("Penerima layanan")
        REPORTER = "pelapor", _("Pelapor atau pengadu")
        FAMILY = "keluarga", _("Keluarga penerima layanan")
        INSTITUTION = "lembaga", _("Lembaga yang mengajukan")

    class Notice(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "telepon", _("Telepon atau pesan singkat")
        LETTER = "surat", _("Surat")
        IN_PERSON = "langsung", _("Disampaikan langsung")

    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    service = models.ForeignKey(Service, models.PROTECT, related_name="+", verbose_name=_("layanan"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    record_number = models.CharField(_("nomor berkas"), max_length=60)
    due_at = models.DateTimeField(_("batas waktu layanan"))

    reason = models.TextField(_("alasan melewati standar waktu"), max_length=2000, blank=True)
    reason_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    reason_at = models.DateTimeField(_("alasan dicatat"), null=True, blank=True)

    decision = models.CharField(_("keputusan kompensasi"), max_length=10, choices=Decision.choices, blank=True)
    compensation = models.TextField(_("kompensasi"), max_length=1000, blank=True)
    given_on = models.DateField(_("tanggal pemberian"), null=True, blank=True)
    given_to = models.CharField(_("diberikan kepada"), max_length=10, choices=Recipient.choices, blank=True)
    no_compensation_reason = models.TextField(_("alasan tanpa kompensasi"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    notified_via = models.CharField(_("pemberitahuan lewat"), max_length=10, choices=Notice.choices, blank=True)
    notified_at = models.DateTimeField(_("diberitahukan"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("layanan melewati standar waktu")
        verbose_name_plural = _("layanan melewati standar waktu")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="missedstandard_one_per_record"),
        ]
        indexes = [models.Index(fields=["service", "due_at"], name="missedstandard_service_due")]

    def __str__(self):
        return f"{self.service} {self.record_number}"

    def decision_words(self) -> str:
        """The decision in one line, as the register and the e-mail say it; names no one."""
        if self.decision == self.Decision.GIVEN:
            return _("%(what)s, diberikan kepada %(whom)s pada %(date)s") % {
                "what": self.compensation, "whom": self.get_given_to_display().lower(),
                "date": date_format(self.given_on, "j F Y") if self.given_on else "-",
            }
        if self.decision == self.Decision.NONE:
            return _("Tidak ada kompensasi: %(why)s") % {"why": self.no_compensation_reason}
        return ""
