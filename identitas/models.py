"""A facilitation of identity documents for a neglected person (PPKS terlantar), and its protected parts.

`Facilitation` holds what the register, the clock and the quarterly evaluation need, none of it naming the
person: its history (django-simple-history, inherited from WorkflowRecord) is read by everyone who sees it.
The person's identity, the reporter, the free-text notes, the issued documents and the follow-ups live in
models of their own with no history; portal.identity decides who reads them, as identitas.workflow declares,
and every reading is written to `AccessLog` (UU 27/2022 on personal data).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identitas.policy import REQUIREMENTS, Requirement
from identitas.workflow import WORKFLOW
from portal.models import (
    Desa,
    Disability,
    IdentityAccessLog,
    Kecamatan,
    MasterItem,
    Sex,
    WorkflowRecord,
    YearNumbered,
    access_for,
    open_records_index,
)
from portal.nik import PROVINCES, parse_nik, validate_nik
from portal.roles import Role


class PpksCategory(MasterItem):
    """The ministry's list of PPKS types (Permensos 8/2012 and its successors), kept by the admin."""

    class Meta(MasterItem.Meta):
        verbose_name = _("jenis PPKS")
        verbose_name_plural = _("jenis PPKS")


class Facilitation(YearNumbered, WorkflowRecord):
    """One facilitation, from the community's report to the archived documents. Names no one."""

    workflow = WORKFLOW
    page_url_name, start_url_name, list_url_name = "identitas:detail", "identitas:create", "identitas:register"
    TIME_STANDARD_MINUTES = 300
    # identitas.forms.FacilitationFilterForm: open, overdue, done, declined; no step.
    register_queries = {"open": "status=terbuka", "overdue": "status=terlambat"}

    class Channel(models.TextChoices):
        IN_PERSON = "langsung", _("Datang langsung")
        PHONE = "telepon", _("Telepon")
        LETTER = "surat", _("Surat")
        WEBSITE = "website", _("Website")
        EMAIL = "email", _("E-mail")
        INSTAGRAM = "instagram", _("Instagram")

    Requirement = Requirement

    channel = models.CharField(_("saluran laporan"), max_length=20, choices=Channel.choices)
    # The clock runs from here: a letter read in the morning may be recorded at noon.
    received_at = models.DateTimeField(_("laporan diterima"))
    category = models.ForeignKey(PpksCategory, models.PROTECT, related_name="+", verbose_name=_("jenis PPKS"))
    # Where the person was found, to the kecamatan: the register filters by it; the address is protected.
    kecamatan = models.ForeignKey(
        Kecamatan, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kecamatan ditemukan")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("petugas penanggung jawab"),
        help_text=_("Anggota Tim Kerja yang menangani; dihitung dalam evaluasi kinerja per petugas."),
    )
    # Step 3: the standard's two requirements, each attached or asked of its source.
    population_record = models.CharField(
        _("informasi rekam data kependudukan"), max_length=10, choices=Requirement.choices, blank=True
    )
    dtks_letter = models.CharField(
        _("surat keterangan DTKS"), max_length=10, choices=Requirement.choices, blank=True
    )
    # Step 7: the agency's own working minutes, from receipt to the report to the Kabid, less the waiting for
    # Disdukcapil; kept so the evaluation reads what was measured then, not what today's calendar would say.
    result_reported_at = models.DateTimeField(_("hasil dilaporkan"), null=True, blank=True, editable=False)
    agency_minutes = models.PositiveIntegerField(_("waktu layanan (menit kerja)"), null=True, blank=True, editable=False)
    waited_minutes = models.PositiveIntegerField(_("menunggu Disdukcapil (menit kerja)"), default=0, editable=False)
    standard_missed = models.BooleanField(_("melewati standar waktu"), default=False, editable=False)
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(WorkflowRecord.Meta):
        verbose_name = _("fasilitasi identitas")
        verbose_name_plural = _("fasilitasi identitas")
        constraints = [
            models.UniqueConstraint(fields=["service", "year", "sequence"], name="facilitation_unique_number")
        ]
        indexes = [
            *WorkflowRecord.Meta.indexes,
            # The register sorts by newest first; the evaluation reads a quarter by receipt and by result.
            models.Index(fields=["service", "-received_at"], name="facilitation_received"),
            models.Index(fields=["service", "result_reported_at"], name="facilitation_reported"),
            # The register's default (open, newest first) and the start page's worklist (portal.selectors.worklist).
            open_records_index(WORKFLOW, "-received_at", "-id", name="facilitation_open_received"),
            open_records_index(WORKFLOW, "service", "due_at", "step_due_at", "id", name="facilitation_open_worklist"),
        ]

    def __str__(self):
        return str(_("Fasilitasi %(number)s") % {"number": self.number})

    @property
    def file_stem(self):
        return f"fasilitasi-{self.sequence:04d}-{self.year}"

    def refuses_attachment(self, kind):
        if kind == "photo" and Notes.objects.filter(facilitation=self, photo_consent=Notes.PhotoConsent.REFUSED).exists():
            return _("PPKS menolak difoto: fotonya tidak dapat diunggah.")
        return ""

    @classmethod
    def recorded_missed_reasons(cls, records):
        """The reason step 7 asks when the 300 minutes are passed (Notes.missed_reason), for portal.guarantee."""
        notes = Notes.objects.filter(facilitation__in=[r.pk for r in records]).exclude(missed_reason="")
        return dict(notes.values_list("facilitation_id", "missed_reason"))

    @classmethod
    def may_start(cls, service, user):
        """Only the Tim Kerja of the service's own unit records a report (it reads the identity it enters): an
        officer of a unit above is not offered the start action."""
        return (service.unit_id, Role.OFFICER) in set(access_for(user).grants)



class Person(models.Model):
    """The neglected person: read by the Tim Kerja and the Kabid only, every reading logged."""

    facilitation = models.OneToOneField(Facilitation, models.PROTECT, primary_key=True, related_name="person")
    name = models.CharField(
        _("nama atau nama panggilan"), max_length=200,
        help_text=_("Bila nama asli belum diketahui, tulis nama panggilan dan centang 'nama panggilan'."),
    )
    is_alias = models.BooleanField(_("nama panggilan"), default=False)
    nik = models.CharField(
        _("NIK"), max_length=16, blank=True, validators=[validate_nik], db_index=True,
        help_text=_("Diisi bila sudah diketahui."),
    )
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("perkiraan umur (tahun)"), null=True, blank=True, validators=[MaxValueValidator(120)],
        help_text=_("Bila tanggal lahir tidak diketahui."),
    )
    origin = models.CharField(_("tempat asal"), max_length=200, blank=True)
    disability = models.CharField(_("disabilitas"), max_length=20, choices=Disability.choices, default=Disability.NONE)
    family_contact = models.CharField(_("kontak keluarga"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("identitas PPKS")
        verbose_name_plural = _("identitas PPKS")

    def __str__(self):
        return str(_("PPKS fasilitasi %(number)s") % {"number": self.facilitation.number})

    def clean(self):
        if self.birth_date is None and self.estimated_age is None:
            raise ValidationError(_("Isi tanggal lahir atau perkiraan umur."))
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": _("Tanggal lahir tidak boleh di masa depan.")})
        if self.nik:
            self.check_nik(self.nik)

    def check_nik(self, nik):
        """A NIK whose sex or date of birth differs from the person's is a typing error (or another person's)."""
        try:
            born, sex = parse_nik(nik)
        except ValidationError:
            return  # the field's own validator says what is wrong
        if self.sex and sex != self.sex:
            raise ValidationError({"nik": _("Jenis kelamin dalam NIK berbeda dengan jenis kelamin PPKS.")})
        if self.birth_date and born != self.birth_date:
            raise ValidationError({"nik": _("Tanggal lahir dalam NIK berbeda dengan tanggal lahir PPKS.")})


class Reporter(models.Model):
    """Who reported the person: the decline's reason and the result go back to them."""

    facilitation = models.OneToOneField(Facilitation, models.PROTECT, primary_key=True, related_name="reporter")
    name = models.CharField(_("nama pelapor / lembaga"), max_length=200)
    contact = models.CharField(_("kontak pelapor"), max_length=200, help_text=_("Telepon, e-mail, akun, atau alamat."))
    relation = models.CharField(_("hubungan dengan PPKS"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pelapor")
        verbose_name_plural = _("pelapor")

    def __str__(self):
        return str(_("Pelapor fasilitasi %(number)s") % {"number": self.facilitation.number})


class Notes(models.Model):
    """What the team writes at each step: free text and the place found, so kept like the identity."""

    class Recorded(models.TextChoices):
        YES = "ya", _("Sudah terekam")
        NO = "tidak", _("Belum terekam")
        UNKNOWN = "belum_diketahui", _("Belum diketahui")

    class PhotoConsent(models.TextChoices):
        GIVEN = "setuju", _("Setuju difoto")
        CANNOT = "tidak_mampu", _("Tidak mampu memberi persetujuan")
        REFUSED = "menolak", _("Menolak difoto")

    facilitation = models.OneToOneField(Facilitation, models.PROTECT, primary_key=True, related_name="notes")
    report = models.TextField(_("isi laporan"), blank=True)
    # Step 3.
    population_recorded = models.CharField(
        _("status rekam data kependudukan"), max_length=20, choices=Recorded.choices, blank=True
    )
    population_record_data = models.TextField(
        _("data kependudukan yang ditemukan"), blank=True, help_text=_("Misalnya nama dan NIK pada data Disdukcapil.")
    )
    # Step 4.
    found_address = models.CharField(_("alamat ditemukan"), max_length=300, blank=True)
    desa = models.ForeignKey(Desa, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("desa/kelurahan"))
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-11), MaxValueValidator(6)],  # Indonesia lies between 6°N and 11°S
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(94), MaxValueValidator(142)],
    )
    condition = models.TextField(_("kondisi PPKS"), blank=True)
    family_traces = models.TextField(_("jejak keluarga"), blank=True)
    photo_consent = models.CharField(_("persetujuan foto"), max_length=20, choices=PhotoConsent.choices, blank=True)
    # Step 5.
    needs_analysis = models.TextField(_("analisis kebutuhan"), blank=True)
    # Step 7.
    result_summary = models.TextField(_("hasil layanan"), blank=True)
    missed_reason = models.TextField(_("alasan melewati standar waktu"), blank=True)

    class Meta:
        verbose_name = _("catatan fasilitasi")
        verbose_name_plural = _("catatan fasilitasi")


class DocumentKind(models.TextChoices):
    NIK = "nik", _("Perekaman NIK")
    KTP = "ktp", _("KTP-el")
    KK = "kk", _("Kartu Keluarga")
    BIRTH_CERTIFICATE = "akta", _("Akta Kelahiran")
    KIA = "kia", _("Kartu Identitas Anak")


# A birth certificate's register number as Disdukcapil prints it: regency code, LU or LT (lahir umum: registered
# in time; lahir terlambat: late), the date of registration DDMMYYYY, and a sequence, e.g. 3214-LT-15012026-0001.
BIRTH_CERTIFICATE_NUMBER = re.compile(r"^\d{4}-L[TU]-\d{8}-\d{4}$")


def validate_document_number(kind, number):
    """Refuse a number that cannot be the document's, in Indonesian: a typing error caught before printing."""
    if kind in (DocumentKind.NIK, DocumentKind.KTP, DocumentKind.KIA):
        validate_nik(number)
    elif kind == DocumentKind.KK:
        if len(number) != 16 or not (number.isascii() and number.isdigit()):
            raise ValidationError(_("Nomor KK harus 16 angka."))
        if number[:2] not in PROVINCES or number[2:4] == "00":
            raise ValidationError(_("Empat angka pertama nomor KK bukan kode wilayah yang ada."))
    elif kind == DocumentKind.BIRTH_CERTIFICATE:
        if not BIRTH_CERTIFICATE_NUMBER.match(number):
            raise ValidationError(_("Nomor akta kelahiran ditulis seperti 3214-LT-15012026-0001."))


class IssuedDocument(models.Model):
    """A population document Disdukcapil issued to the person in step 6; its number is identity."""

    facilitation = models.ForeignKey(Facilitation, models.PROTECT, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=10, choices=DocumentKind.choices)
    number = models.CharField(_("nomor"), max_length=40)
    issued_on = models.DateField(_("tanggal terbit"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("dokumen kependudukan terbit")
        verbose_name_plural = _("dokumen kependudukan terbit")
        constraints = [
            models.UniqueConstraint(fields=["facilitation", "kind"], name="issueddocument_one_per_kind"),
        ]
        # The evaluation counts documents issued in a quarter by kind.
        indexes = [models.Index(fields=["issued_on", "kind"], name="issueddocument_issued")]

    def clean(self):
        if self.kind and self.number:
            try:
                validate_document_number(self.kind, self.number)
            except ValidationError as error:
                raise ValidationError({"number": error.messages}) from None


class DisdukcapilWait(models.Model):
    """A time the team waited for Disdukcapil's output: counted apart, so the agency's own time is honest.

    `due_before` is the record's due time when the wait began; at its end the due time moves on by the wait's
    whole working minutes (identitas.policy.due_after_wait).
    """

    facilitation = models.ForeignKey(Facilitation, models.PROTECT, related_name="waits")
    started_at = models.DateTimeField(_("mulai menunggu"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    due_before = models.DateTimeField(null=True, editable=False)
    ended_at = models.DateTimeField(_("selesai menunggu"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    minutes = models.PositiveIntegerField(_("menit kerja menunggu"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("menunggu Disdukcapil")
        verbose_name_plural = _("menunggu Disdukcapil")
        constraints = [
            models.UniqueConstraint(fields=["facilitation"], condition=Q(ended_at=None), name="disdukcapilwait_one_open"),
        ]


class RequirementWaiver(models.Model):
    """The Kabid's decision that a facilitation goes on without one of the standard's requirements, and why.

    Kept apart from the record, whose history everyone who sees it reads: the reason may speak of the person.
    A requirement obtained after all is attached as well; the waiver stays, as the decision that was made.
    """

    facilitation = models.ForeignKey(Facilitation, models.PROTECT, related_name="waivers")
    requirement = models.CharField(
        _("persyaratan"), max_length=20, choices=[(kind, WORKFLOW.document_label(kind)) for kind in REQUIREMENTS]
    )
    reason = models.TextField(_("alasan"))
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("dikesampingkan oleh")
    )
    waived_at = models.DateTimeField(_("dikesampingkan pada"), default=timezone.now)

    class Meta:
        ordering = ["waived_at", "pk"]
        verbose_name = _("persyaratan yang dikesampingkan")
        verbose_name_plural = _("persyaratan yang dikesampingkan")
        constraints = [
            models.UniqueConstraint(fields=["facilitation", "requirement"], name="requirementwaiver_one_per_kind"),
        ]


class FollowUp(models.Model):
    """A referral the record suggests once documents are issued (DTSEN, health insurance), and what came of it."""

    class Kind(models.TextChoices):
        DTSEN = "dtsen", _("Pendaftaran DTKS/DTSEN")
        HEALTH_INSURANCE = "jkn", _("Jaminan kesehatan (PBI JK)")
        SOCIAL_ASSISTANCE = "bansos", _("Bantuan sosial (PKH/BPNT)")
        SHELTER = "panti", _("Rehabilitasi sosial / panti")

    class State(models.TextChoices):
        SUGGESTED = "disarankan", _("Disarankan")
        DONE = "dilaksanakan", _("Dilaksanakan")
        NOT_NEEDED = "tidak_perlu", _("Tidak diperlukan")

    # What the record suggests when the first document is issued.
    SUGGESTED_KINDS = (Kind.DTSEN, Kind.HEALTH_INSURANCE)

    facilitation = models.ForeignKey(Facilitation, models.PROTECT, related_name="follow_ups")
    kind = models.CharField(_("tindak lanjut"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("keadaan"), max_length=15, choices=State.choices, default=State.SUGGESTED)
    done_on = models.DateField(_("tanggal"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [models.UniqueConstraint(fields=["facilitation", "kind"], name="followup_one_per_kind")]


class AccessLog(IdentityAccessLog):
    """Every view, print and export of a PPKS person's record: append-only, read by the Kabid."""

    facilitation = models.ForeignKey(Facilitation, models.PROTECT, null=True, blank=True, related_name="access_log")

    class Meta(IdentityAccessLog.Meta):
        verbose_name = _("log akses identitas PPKS")
        verbose_name_plural = _("log akses identitas PPKS")
        indexes = [
            models.Index(fields=["facilitation", "-at"], name="identitas_accesslog_record_at"),
            models.Index(fields=["unit", "-at"], name="identitas_accesslog_unit_at"),
        ]
