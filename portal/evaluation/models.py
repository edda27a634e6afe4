"""Who evaluates a service and how often (`EvaluationRule`, the standard's Evaluasi Kinerja and Pengawasan Internal,
kept by the agency's Admin), and the evaluations written and signed (`Evaluation`).

An evaluation is a draft while the heads write its findings; signed, it is frozen: the figures as they stood at the
signature (JSON), the signer's name and title, the date and the PDF, kept on private storage. Written by
portal.evaluation.services only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Service, private_storage


class EvaluationRule(models.Model):
    """A service's Evaluasi Kinerja as its standard words it: how often, and who signs."""

    class Period(models.TextChoices):
        QUARTER = "triwulan", _("Setiap triwulan")

    class Signer(models.TextChoices):
        # A head (Role.HEAD) of the service's unit or of the unit right above it.
        DIRECT_SUPERIOR = "atasan_langsung", _("Atasan langsung")
        # The Kepala Bidang holding that office in the service's unit, or the Kepala Dinas above it.
        LEADERSHIP = "pimpinan", _("Pimpinan (Kepala Bidang atau Kepala Dinas)")

    service = models.OneToOneField(
        Service, models.CASCADE, related_name="evaluation_rule", verbose_name=_("layanan"),
        limit_choices_to=~Q(app="complaints"),
    )
    period = models.CharField(_("periode evaluasi"), max_length=10, choices=Period.choices, default=Period.QUARTER)
    signer = models.CharField(_("yang menandatangani"), max_length=20, choices=Signer.choices)
    words = models.TextField(_("bunyi standar pelayanan"), blank=True, help_text=_("Seperti tercetak pada standar pelayanan."))
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("aturan evaluasi kinerja")
        verbose_name_plural = _("aturan evaluasi kinerja")

    def __str__(self):
        return str(self.service)


def evaluation_path(evaluation, filename):
    # The service and the period only: nothing of a person in the file system.
    return f"evaluation/{evaluation.service.slug}-{evaluation.period}-{evaluation.pk}.pdf"


class Evaluation(models.Model):
    """One evaluation of a service and quarter: a draft, then signed and frozen. At most one draft per service and
    quarter; a new one may follow a signed one."""

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SIGNED = "ditandatangani", _("Ditandatangani")

    service = models.ForeignKey(Service, models.PROTECT, related_name="+", verbose_name=_("layanan"))
    period = models.CharField(_("periode"), max_length=10)  # portal.periods.Quarter.code, "2026-Q4"
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Bumped by every write: a form sent with an older version was written over in between and is refused.
    version = models.PositiveIntegerField(_("versi"), default=1)
    findings = models.TextField(_("temuan"), max_length=8000, blank=True)
    follow_up = models.TextField(_("tindak lanjut"), max_length=8000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(_("ditandatangani"), null=True, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=300, blank=True)
    signer_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    figures = models.JSONField(_("angka evaluasi"), null=True, blank=True)
    pdf = models.FileField(_("berkas PDF"), upload_to=evaluation_path, storage=private_storage, blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = _("evaluasi kinerja")
        verbose_name_plural = _("evaluasi kinerja")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period"], condition=Q(status="draf"), name="evaluation_one_draft",
            ),
        ]
        indexes = [models.Index(fields=["service", "period"], name="evaluation_service_period")]

    def __str__(self):
        return f"{self.service} {self.period}"

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED
