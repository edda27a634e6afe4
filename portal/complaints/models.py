import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.complaints.workflow import OFFICER_RESPONSE, TEAM_REVIEW, WORKFLOW
from portal.models import Service, Unit, WorkflowRecord, YearNumbered, open_records_index
from portal.notifications.models import Kind as NotificationKind
from portal.roles import Role


def keyed_hash(text: str) -> str:
    """A keyed digest (HMAC-SHA256 with the SECRET_KEY) of a follow-up code or a client's address: the database
    keeps no code that opens a complaint and no address that names a citizen."""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


class Desk(models.Model):
    """An agency's complaint desk: the Service (app "complaints") its complaints are recorded in, and the handling
    its standard prints."""

    class Procedure(models.TextChoices):
        TEAM_REVIEW = TEAM_REVIEW, _("Ditindaklanjuti tim: cek data, verifikasi lapangan, koordinasi (2 hari kerja)")
        OFFICER_RESPONSE = OFFICER_RESPONSE, _("Petugas merespon; bila tidak selesai diteruskan ke pejabat terkait")

    service = models.OneToOneField(
        Service, models.CASCADE, related_name="complaint_desk", limit_choices_to={"app": "complaints"},
        verbose_name=_("layanan pengaduan"),
    )
    procedure = models.CharField(_("tahapan penanganan"), max_length=20, choices=Procedure.choices)
    # Complaints about no one service are handled here (the Sekretariat); about a service, in the service's unit.
    general_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("unit penanganan pengaduan umum"),
    )

    class Meta:
        verbose_name = _("meja pengaduan")
        verbose_name_plural = _("meja pengaduan")

    def __str__(self):
        return str(self.service)

    def services(self):
        """The services complaints may be about: the agency's others."""
        units = Unit.objects.tree().below([self.service.unit_id])
        return Service.objects.filter(unit_id__in=list(units)).exclude(app="complaints").order_by("name")


class Complaint(YearNumbered, WorkflowRecord):
    """A complaint, a suggestion or a question, from the public form or recorded by an officer."""

    workflow = WORKFLOW
    public_start = True
    # Handling complaints is part of every service's standard, not a service with a standard of its own: each
    # service's survey asks about it (element "penanganan pengaduan").
    own_standard = False
    page_url_name = "complaints:detail"
    start_url_name = "complaints:record"
    list_url_name = "complaints:register"

    class Kind(models.TextChoices):
        COMPLAINT = "pengaduan", _("Pengaduan")
        SUGGESTION = "saran", _("Saran atau masukan")
        QUESTION = "pertanyaan", _("Pertanyaan")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Formulir pengaduan portal")
        IN_PERSON = "langsung", _("Datang langsung")
        TELEPHONE = "telepon", _("Telepon")
        LETTER = "surat", _("Surat")
        EMAIL = "email", _("E-mail")
        INSTAGRAM = "instagram", _("Instagram")
        WEBSITE = "website", _("Laman (website) dinas")

    about = models.ForeignKey(
        Service, models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name=_("tentang layanan"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices)
    text = models.TextField(_("isi pengaduan"), max_length=4000)
    # The complainant, all optional: shown only to the unit handling the complaint (their record_filter).
    name = models.CharField(_("nama pengadu"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telepon / WhatsApp"), max_length=30, blank=True)
    follow_up_digest = models.CharField(max_length=64, editable=False)
    client_digest = models.CharField(max_length=64, blank=True, editable=False)
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False,
    )
    # What the current step's officer is writing to the complainant; sent as a Reply when the step completes.
    draft_reply = models.TextField(_("jawaban yang sedang ditulis"), blank=True, max_length=4000)
    findings = models.TextField(_("catatan penanganan"), blank=True, max_length=8000)
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True, editable=False)
    # A head's instruction on a complaint past its response time (Task "instruct").
    instruction = models.TextField(_("arahan pimpinan"), blank=True, max_length=2000)
    instructed_at = models.DateTimeField(null=True, blank=True, editable=False)
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False,
    )

    class Meta(WorkflowRecord.Meta):
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        constraints = [models.UniqueConstraint(fields=["service", "year", "sequence"], name="complaint_number")]
        indexes = [
            *WorkflowRecord.Meta.indexes,
            open_records_index(WORKFLOW, "service", "due_at", name="complaint_open_due"),
            models.Index(fields=["service", "-created_at"], name="complaint_received"),
            models.Index(fields=["client_digest", "created_at"], name="complaint_client"),
        ]

    def __str__(self):
        return _("Pengaduan %(number)s") % {"number": self.number}

    @property
    def ticket(self):
        return self.number

    # Its officers choose how they hear of complaints apart from their other work.
    notification_kind = NotificationKind.COMPLAINT

    @classmethod
    def sop_start_step(cls, service) -> str:
        """The way in whose steps the desk's SOP sheet prints (publications.steps.sheet_steps): its procedure.
        "" for a service without a desk: its sheet prints both ways."""
        return Desk.objects.filter(service=service).values_list("procedure", flat=True).first() or ""

    @classmethod
    def role_filter(cls, role, user):
        # A storekeeper handles the complaints about the contraceptives' distribution, and reads no other.
        if role == Role.STOREKEEPER:
            return Q(about__app="alokon")
        return Q()

    def set_follow_up_code(self) -> str:
        """A new secret code for the public follow-up page, returned once; only its digest is kept."""
        code = "-".join(secrets.token_hex(3).upper() for _part in range(3))
        self.follow_up_digest = keyed_hash(code)
        return code

    def opens_with(self, code: str) -> bool:
        wanted = keyed_hash(code.strip().upper())
        return bool(self.follow_up_digest) and hmac.compare_digest(self.follow_up_digest, wanted)

    def get_absolute_url(self):
        return reverse(self.page_url_name, args=[self.pk])

    def contact_email(self):
        return self.email


class Reply(models.Model):
    """What the complainant is told: on the follow-up page, and by e-mail when they gave an address."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="replies")
    text = models.TextField(_("jawaban"), max_length=4000)
    sent_at = models.DateTimeField(_("dikirim"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    emailed = models.BooleanField(_("dikirim lewat e-mail"), default=False)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("jawaban pengaduan")
        verbose_name_plural = _("jawaban pengaduan")
