"""A P2TP2A case: the record the workflow moves, and the confidential parts that only its team reads.

`Case` holds what the register, the recap and the engine need, none of it naming a person: its history
(django-simple-history, inherited from WorkflowRecord) may be read by anyone who sees the case. The
victim's and reporter's identity, the perpetrators, the narrative notes, consents and referrals live in
models of their own, with no history rows of their own; cases.services decides who reads them and writes
every reading to `AccessLog`.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.workflow import NEEDS_FIELD, WORKFLOW
from portal.models import (
    AppendOnlyModel,
    Desa,
    Disability,
    IdentityAccessLog,
    Kecamatan,
    MasterItem,
    Sex,
    Unit,
    WorkflowRecord,
    YearNumbered,
    access_for,
    open_records_index,
)
from portal.nik import validate_nik
from portal.roles import Role


# The P2TP2A lists follow SIMFONI-PPA's words, so a recap can be entered there as is.
class ViolenceType(MasterItem):
    class Meta(MasterItem.Meta):
        verbose_name = _("jenis kekerasan")
        verbose_name_plural = _("jenis kekerasan")


class PlaceType(MasterItem):
    class Meta(MasterItem.Meta):
        verbose_name = _("tempat kejadian")
        verbose_name_plural = _("tempat kejadian")


class PerpetratorRelation(MasterItem):
    class Meta(MasterItem.Meta):
        verbose_name = _("hubungan pelaku dengan korban")
        verbose_name_plural = _("hubungan pelaku dengan korban")


class ServiceType(MasterItem):
    class Meta(MasterItem.Meta):
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")


class Partner(models.Model):
    """An organisation a case is referred to: Puskesmas, RSUD, psychologist, Unit PPA Polres, court, legal aid."""

    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Puskesmas")
        HOSPITAL = "rsud", _("Rumah sakit")
        PSYCHOLOGIST = "psikolog", _("Psikolog")
        POLICE = "polres", _("Unit PPA Polres")
        COURT = "pengadilan", _("Pengadilan")
        LEGAL_AID = "bantuan_hukum", _("Lembaga bantuan hukum")
        SOCIAL = "sosial", _("Lembaga rehabilitasi sosial")
        OTHER = "lainnya", _("Lainnya")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=100, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("mitra rujukan")
        verbose_name_plural = _("mitra rujukan")

    def __str__(self):
        return self.name


def head_units(user) -> set[int]:
    """The units where `user` heads a P2TP2A: holding the office of its Ketua or Sekretaris there today."""
    return access_for(user).office_units(WORKFLOW.executor("chair").offices)


# SIMFONI-PPA's victim age bands: (code, label, lowest age, highest age).
AGE_BANDS = [
    ("0-5", "0-5", 0, 5),
    ("6-12", "6-12", 6, 12),
    ("13-17", "13-17", 13, 17),
    ("18-24", "18-24", 18, 24),
    ("25-44", "25-44", 25, 44),
    ("45-59", "45-59", 45, 59),
    ("60+", "60+", 60, 200),
]


def age_band(age):
    for code, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return ""


def years_between(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Case(YearNumbered, WorkflowRecord):
    """A report of violence against a woman or child, handled by the P2TP2A from report to closure.

    Nothing here names the victim: the register, the recap and the history read these fields.
    """

    workflow = WORKFLOW
    page_url_name, start_url_name, list_url_name = "cases:detail", "cases:create", "cases:register"

    class Channel(models.TextChoices):
        IN_PERSON = "langsung", _("Korban/pelapor datang sendiri")
        COMMUNITY = "masyarakat", _("Laporan masyarakat")
        MEDICAL = "medis", _("Laporan dari pemeriksaan medis")

    class Risk(models.TextChoices):
        LOW = "rendah", _("Rendah")
        MEDIUM = "sedang", _("Sedang")
        HIGH = "tinggi", _("Tinggi")

    channel = models.CharField(_("sumber laporan"), max_length=20, choices=Channel.choices)
    risk = models.CharField(_("tingkat risiko"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    place_type = models.ForeignKey(
        PlaceType, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tempat kejadian")
    )
    kecamatan = models.ForeignKey(
        Kecamatan, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kecamatan kejadian")
    )
    violence_types = models.ManyToManyField(ViolenceType, related_name="+", verbose_name=_("jenis kekerasan"))
    # Of the victim, for the register and the recap: neither names them.
    victim_sex = models.CharField(_("jenis kelamin korban"), max_length=1, choices=Sex.choices, blank=True)
    victim_age_band = models.CharField(
        _("kelompok umur korban"), max_length=5, choices=[(c, label) for c, label, *_ in AGE_BANDS], blank=True
    )
    # The assessment's verdict on steps 5-7: None until assessed.
    needs_medical = models.BooleanField(_("perlu layanan medis"), null=True)
    needs_psychological = models.BooleanField(_("perlu layanan psikologis"), null=True)
    needs_legal = models.BooleanField(_("perlu bantuan hukum"), null=True)
    assessment_approved_at = models.DateTimeField(_("asesmen disetujui"), null=True, editable=False)
    assessment_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", editable=False,
        verbose_name=_("asesmen disetujui oleh"),
    )
    spt_issued_at = models.DateTimeField(_("SPT diterbitkan"), null=True, editable=False)
    spt_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", editable=False,
        verbose_name=_("SPT ditandatangani oleh"),
    )
    # The form's one-time token: a second click or a re-sent form finds it taken and saves nothing twice.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(WorkflowRecord.Meta):
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        constraints = [models.UniqueConstraint(fields=["service", "year", "sequence"], name="case_unique_number")]
        permissions = [("override_consent", _("Merujuk tanpa persetujuan korban, dengan alasan"))]
        indexes = [
            *WorkflowRecord.Meta.indexes,
            # The register sorts by newest first within a service; the recap counts by month.
            models.Index(fields=["service", "-created_at"], name="case_service_created"),
            # The register's default: the open cases, earliest due first, read in index order instead of sorted.
            open_records_index(WORKFLOW, "due_at", "-id", name="case_open_due"),
            # The start page's worklist of a service (portal.selectors.worklist).
            open_records_index(WORKFLOW, "service", "due_at", "step_due_at", "id", name="case_open_worklist"),
            # The register of every status, newest first.
            models.Index(fields=["-created_at", "-id"], name="case_created"),
        ]

    def __str__(self):
        return str(_("Kasus %(number)s") % {"number": self.number})

    @property
    def file_stem(self):
        return f"{self.sequence:04d}-{self.year}"

    @classmethod
    def alerts(cls, service, user):
        """High-risk open cases reach the P2TP2A's heads on their start page at once."""
        if service.unit_id not in head_units(user):
            return []
        count = cls.objects.visible_to(user).open().filter(service=service, risk=cls.Risk.HIGH).count()
        if not count:
            return []
        text = ngettext(
            "%(count)d kasus berisiko tinggi masih berjalan.", "%(count)d kasus berisiko tinggi masih berjalan.", count
        ) % {"count": count}
        return [(text, f"{reverse('cases:register')}?status=terbuka&risk=tinggi")]

    # The assessment's verdict on a step that happens only where needed.
    NEEDS_FIELD = NEEDS_FIELD

    # Each case is a victim's: counts read outside the team are printed as the monthly recap prints them.
    hides_small_counts = True
    # cases.forms.CaseFilterForm: a status, or "terbuka"; "terlambat" is a checkbox.
    register_queries = {"open": "status=terbuka", "overdue": "status=terbuka&terlambat=on", "step": "status={status}"}

    # A social worker of another agency (the Dinas Sosial) joins a case's team as an officer of that case only.
    guest_role = Role.OFFICER

    @classmethod
    def named_filter(cls, user):
        return Q(Exists(TeamMember.objects.filter(case=OuterRef("pk"), user=user, ended_at=None)))

    def outside_users(self):
        """The case's active team: a member from another agency is told of the case's steps as the others are."""
        return get_user_model().objects.filter(pk__in=self.team.filter(ended_at=None).values("user"))

    @classmethod
    def actor_filter(cls, role, user, statuses=None):
        """An officer takes a step only on a case whose team gives them that step's function. (The heads' steps,
        and a head standing in, are the Ketua's and Sekretaris' of the case's P2TP2A: their offices, checked by the
        engine.)

        A step the assessment found not needed has nobody with its function on the team: any member skips it.
        """
        if role != Role.OFFICER:
            return Q()
        # One subquery whose rows say which steps the membership opens: the start page asks this on every visit,
        # and the SQL's size (compiling and planning it) cost more than running it.
        steps = [step for step in cls.workflow.steps if statuses is None or step.code in statuses]
        opens_step = Q(pk__in=[])
        for function in dict.fromkeys(step.executor for step in steps):
            opens_step |= Q(function=function, case__status__in=[s.code for s in steps if s.executor == function])
        for step in steps:
            if step.code in cls.NEEDS_FIELD:
                opens_step |= Q(case__status=step.code, **{f"case__{cls.NEEDS_FIELD[step.code]}": False})
        return Q(Exists(TeamMember.objects.filter(opens_step, case=OuterRef("pk"), user=user, ended_at=None)))


class Victim(models.Model):
    """The victim's identity: read by the case team and the P2TP2A heads only, every reading logged."""

    class Education(models.TextChoices):
        NONE = "tidak_sekolah", _("Tidak/belum sekolah")
        PRIMARY = "sd", _("SD/sederajat")
        JUNIOR = "smp", _("SMP/sederajat")
        SENIOR = "sma", _("SMA/sederajat")
        HIGHER = "pt", _("Perguruan tinggi")

    class MaritalStatus(models.TextChoices):
        SINGLE = "belum_kawin", _("Belum kawin")
        MARRIED = "kawin", _("Kawin")
        DIVORCED = "cerai_hidup", _("Cerai hidup")
        WIDOWED = "cerai_mati", _("Cerai mati")

    case = models.OneToOneField(Case, models.PROTECT, primary_key=True, related_name="victim")
    name = models.CharField(_("nama korban"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[validate_nik], db_index=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("umur (tahun)"), null=True, blank=True, help_text=_("Bila tanggal lahir tidak diketahui."))
    kecamatan = models.ForeignKey(Kecamatan, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kecamatan"))
    desa = models.ForeignKey(Desa, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("desa/kelurahan"))
    address = models.CharField(_("alamat (jalan, RT/RW)"), max_length=300, blank=True)
    education = models.CharField(_("pendidikan"), max_length=20, choices=Education.choices, blank=True)
    disability = models.CharField(_("disabilitas"), max_length=20, choices=Disability.choices, default=Disability.NONE)
    marital_status = models.CharField(_("status perkawinan"), max_length=20, choices=MaritalStatus.choices, blank=True)
    phone = models.CharField(_("kontak"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("identitas korban")
        verbose_name_plural = _("identitas korban")

    def __str__(self):
        return str(_("Korban kasus %(number)s") % {"number": self.case.number})

    def age_on(self, day: date):
        if self.birth_date:
            return years_between(self.birth_date, day)
        return self.age


class Reporter(models.Model):
    """Who reported the case, when not the victim; a community report may be anonymous."""

    case = models.OneToOneField(Case, models.PROTECT, primary_key=True, related_name="reporter")
    is_anonymous = models.BooleanField(_("pelapor tidak mau disebut namanya"), default=False)
    name = models.CharField(_("nama pelapor / lembaga"), max_length=200, blank=True)
    nik = models.CharField(_("NIK pelapor"), max_length=16, blank=True, validators=[validate_nik])
    relation = models.CharField(_("hubungan dengan korban"), max_length=100, blank=True)
    phone = models.CharField(_("kontak pelapor"), max_length=50, blank=True)
    address = models.CharField(_("alamat pelapor"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("identitas pelapor")
        verbose_name_plural = _("identitas pelapor")

    def __str__(self):
        return str(_("Pelapor kasus %(number)s") % {"number": self.case.number})


class Perpetrator(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="perpetrators")
    relation = models.ForeignKey(PerpetratorRelation, models.PROTECT, related_name="+", verbose_name=_("hubungan dengan korban"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("umur (tahun)"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pelaku")
        verbose_name_plural = _("pelaku")


class CaseNotes(models.Model):
    """The narrative of the case, step by step: free text, so it may name people, and is kept like identity."""

    case = models.OneToOneField(Case, models.PROTECT, primary_key=True, related_name="notes")
    chronology = models.TextField(_("kronologi kejadian"), blank=True)
    missing_documents_reason = models.TextField(
        _("alasan persyaratan belum lengkap"), blank=True,
        help_text=_("Kasus mendesak tidak ditolak karena berkas: tuliskan mengapa surat pengantar atau KTP belum ada."),
    )
    outreach_result = models.TextField(_("hasil verifikasi/penjangkauan"), blank=True)
    assessment = models.TextField(_("hasil asesmen: kebutuhan dan risiko"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reintegration_result = models.TextField(_("hasil reintegrasi/rehabilitasi"), blank=True)
    closure_summary = models.TextField(_("ringkasan penanganan untuk laporan akhir"), blank=True)

    # The narrative notes, in the order the case is handled; each change of one is kept as a NoteVersion.
    NARRATIVE = (
        "chronology", "missing_documents_reason", "outreach_result", "assessment", "reintegration_result", "closure_summary",
    )

    class Meta:
        verbose_name = _("catatan kasus")
        verbose_name_plural = _("catatan kasus")


class NoteVersion(AppendOnlyModel):
    """One text of a narrative note as it was written, with who wrote it and when: written once, never changed.

    The latest version of a note is its text in CaseNotes; the earlier ones are the trace of every rewrite.
    Like the notes, they are read by the case's team and the P2TP2A heads only: no history rows, no admin.
    """

    case = models.ForeignKey(Case, models.PROTECT, related_name="note_versions")
    note = models.CharField(
        _("catatan"), max_length=30,
        choices=[(name, CaseNotes._meta.get_field(name).verbose_name) for name in CaseNotes.NARRATIVE],
    )
    text = models.TextField(_("isi"), blank=True)
    # None: a text written before versions were kept (migration 0002), by someone no longer known.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("ditulis oleh")
    )
    written_at = models.DateTimeField(_("ditulis pada"), default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("versi catatan kasus")
        verbose_name_plural = _("versi catatan kasus")
        indexes = [models.Index(fields=["case", "written_at"], name="noteversion_case_at")]


class TeamMember(models.Model):
    """A member of a case's team, assigned by the head with one of the SOP's functions (Pelaksana)."""

    FUNCTIONS = [(e.code, e.label) for e in WORKFLOW.executors if Role.OFFICER in e.roles]

    case = models.ForeignKey(Case, models.PROTECT, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("petugas"))
    function = models.CharField(_("fungsi"), max_length=20, choices=FUNCTIONS)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)  # taken off the team: kept, never deleted

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("anggota tim kasus")
        verbose_name_plural = _("anggota tim kasus")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "function"], condition=Q(ended_at=None), name="teammember_unique_active"
            )
        ]
        indexes = [models.Index(fields=["user", "case"], name="teammember_user_case")]


class Consent(models.Model):
    """The victim's (or, for a child, the guardian's) consent, item by item: to services, and to each kind of partner."""

    SERVICES = "layanan"
    SCOPES = [(SERVICES, _("Menerima layanan P2TP2A"))] + [
        (kind, _("Berbagi data dengan %(kind)s") % {"kind": label}) for kind, label in Partner.Kind.choices
    ]

    case = models.ForeignKey(Case, models.PROTECT, related_name="consents")
    scope = models.CharField(_("persetujuan untuk"), max_length=20, choices=SCOPES)
    granted = models.BooleanField(_("disetujui"))
    given_by_guardian = models.BooleanField(_("diberikan oleh wali"), default=False)
    guardian_name = models.CharField(_("nama wali"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # The form's one-time token: a second click or a re-sent form finds it taken and saves nothing twice.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("persetujuan korban")
        verbose_name_plural = _("persetujuan korban")


class Referral(models.Model):
    """One service given or referral made in steps 5-8: several per step, in parallel, each with its outcome."""

    STEPS = [(code, WORKFLOW.step_for(code).number + ". " + label) for code, label in [
        ("medical", _("Medis")), ("psychological", _("Psikologis")), ("legal", _("Hukum")), ("reintegration", _("Reintegrasi")),
    ]]

    case = models.ForeignKey(Case, models.PROTECT, related_name="referrals")
    step = models.CharField(_("langkah"), max_length=20, choices=STEPS)
    service_type = models.ForeignKey(ServiceType, models.PROTECT, related_name="+", verbose_name=_("jenis layanan"))
    partner = models.ForeignKey(
        Partner, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mitra rujukan"),
        help_text=_("Kosongkan bila layanan diberikan P2TP2A sendiri."),
    )
    referred_on = models.DateField(_("tanggal rujukan"))
    outcome = models.TextField(_("hasil"), blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    consent_override_reason = models.TextField(_("alasan tanpa persetujuan korban"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    void_reason = models.TextField(_("alasan dibatalkan"), blank=True)
    # The form's one-time token: a second click or a re-sent form finds it taken and saves nothing twice.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["referred_on", "pk"]
        verbose_name = _("rujukan/layanan")
        verbose_name_plural = _("rujukan/layanan")


class LegalMilestone(models.Model):
    class Kind(models.TextChoices):
        POLICE_REPORT = "lp", _("Laporan polisi")
        EXAMINATION = "bap", _("Pemeriksaan (BAP)")
        P21 = "p21", _("Berkas lengkap (P21)")
        HEARING = "sidang", _("Sidang")
        VERDICT = "putusan", _("Putusan")
        OTHER = "lainnya", _("Lainnya")

    referral = models.ForeignKey(Referral, models.PROTECT, related_name="milestones")
    kind = models.CharField(_("tahap"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("tanggal"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # The form's one-time token: a second click or a re-sent form finds it taken and saves nothing twice.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("tahap proses hukum")
        verbose_name_plural = _("tahap proses hukum")


class AccessLog(IdentityAccessLog):
    """Every view, print and export of a case's identity or attachment: append-only, read by the heads."""

    case = models.ForeignKey(Case, models.PROTECT, null=True, blank=True, related_name="access_log")

    class Meta(IdentityAccessLog.Meta):
        verbose_name = _("log akses identitas")
        verbose_name_plural = _("log akses identitas")
        indexes = [
            models.Index(fields=["case", "-at"], name="accesslog_case_at"),
            models.Index(fields=["unit", "-at"], name="accesslog_unit_at"),
        ]

    def save(self, *args, **kwargs):
        if self.unit_id is None and self.case_id is not None:
            self.unit_id = self.case.unit_id
        super().save(*args, **kwargs)
