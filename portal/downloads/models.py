"""The documents made off the request (portal.downloads.services), one row per user, document and version.

A row names its document by the record's or the report's number, never by a person: its label and file name are
shown on pages, in the admin and in the browser's download list. The file itself lies in the private storage under
a random name and is served only by portal.downloads.views.download, after the check of the record's own page.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import private_storage


def generated_path(generated, filename):
    # A random name: nothing of the document's title or the person it may name lands in the file system.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"downloads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class GeneratedFile(models.Model):
    """One document a user asked for. Made at most once: the task that makes it locks the row and skips one made
    already (tasks.render may run twice: a worker killed after its work, a retry); one that keeps failing is given
    up after `MAX_ATTEMPTS` and shown to the admin, who can try it again."""

    MAX_ATTEMPTS = 5

    class Status(models.TextChoices):
        WAITING = "menunggu", _("Menunggu giliran")
        MAKING = "dibuat", _("Sedang dibuat")
        READY = "siap", _("Siap diunduh")
        FAILED = "gagal", _("Gagal dibuat")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="generated_files", verbose_name=_("diminta oleh")
    )
    # A kind declared by an app (portal.downloads.registry), e.g. "cases.closure_report".
    kind = models.CharField(_("jenis dokumen"), max_length=100)
    # What the kind makes it from, as the request's form named it: {"pk": 12}, {"layanan": ..., "periode": ...}.
    params = models.JSONField(_("parameter"))
    label = models.CharField(_("dokumen"), max_length=200)
    file_name = models.CharField(_("nama berkas"), max_length=200)
    # The kind, its parameters, the user and the version of what it shows: asking again for a document that has not
    # changed finds this row instead of making a second file (services.file_request).
    key = models.CharField(_("kunci"), max_length=64, unique=True)
    status = models.CharField(_("keadaan"), max_length=20, choices=Status.choices, default=Status.WAITING)
    file = models.FileField(_("berkas"), upload_to=generated_path, storage=private_storage, blank=True)
    created_at = models.DateTimeField(_("diminta"))
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)

    class Meta:
        verbose_name = _("berkas unduhan")
        verbose_name_plural = _("berkas unduhan")

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("downloads:status", args=[self.pk])

    @property
    def is_pending(self):
        return self.status in (self.Status.WAITING, self.Status.MAKING)

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
