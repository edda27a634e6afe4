from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.workflow import sop_app_choices


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pk__in=unit_ids_visible_to(user))


class Unit(models.Model):
    """An organisation unit: Pemerintah Kabupaten > Dinas > Bidang / UPTD."""

    class Kind(models.TextChoices):
        GOVERNMENT = "pemkab", _("Pemerintah Kabupaten")
        AGENCY = "dinas", _("Dinas")
        DIVISION = "bidang", _("Bidang")
        TECHNICAL_UNIT = "uptd", _("UPTD")
        OTHER = "lainnya", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("induk")
    )

    # Letterhead (kop surat). Left blank on a unit that prints its parent's.
    government_name = models.CharField(_("nama pemerintah"), max_length=200, blank=True)
    agency_name = models.CharField(_("nama perangkat daerah"), max_length=300, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=100, blank=True)
    fax = models.CharField(_("faks"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("situs web"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")

    def __str__(self):
        return self.short_name or self.name

    def ancestors(self):
        """This unit's parents, nearest first (one query per level; trees are shallow)."""
        result, unit = [], self.parent
        while unit is not None:
            result.append(unit)
            unit = unit.parent
        return result

    def letterhead_unit(self):
        """The nearest unit, this one first, whose letterhead is filled in."""
        for unit in [self, *self.ancestors()]:
            if unit.agency_name:
                return unit
        return self

    def service_hours(self):
        """The weekly schedule of the nearest unit that has one."""
        for unit in [self, *self.ancestors()]:
            hours = list(unit.hours.all())
            if hours:
                return hours
        return []


def unit_ids_visible_to(user) -> set[int]:
    """Units whose records a user may see: those they are a member of, and all below them."""
    if not user.is_authenticated:
        return set()
    member_of = set(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
    if not member_of:
        return set()
    return units_below(member_of, dict(Unit.objects.values_list("pk", "parent_id")))


def units_below(unit_ids, parents: dict[int, int | None]) -> set[int]:
    """The given units and every unit under them, from a {unit: parent} map."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parents.items():
        children.setdefault(parent_id, []).append(pk)
    result, stack = set(), list(unit_ids)
    while stack:
        pk = stack.pop()
        if pk not in result:
            result.add(pk)
            stack.extend(children.get(pk, []))
    return result


class ServiceHours(models.Model):
    """One opening period of a unit on a weekday, in local time (WIB)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="hours", verbose_name=_("unit"))
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("jam pelayanan")
        verbose_name_plural = _("jam pelayanan")
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="service_hours_opens_before_closes")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H.%M}-{self.closes:%H.%M}"


class DayOff(models.Model):
    """An extra day off (cuti bersama) beside the national public holidays."""

    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("keterangan"), max_length=200)
    unit = models.ForeignKey(
        Unit, models.CASCADE, null=True, blank=True, verbose_name=_("unit"),
        help_text=_("Kosongkan bila berlaku untuk semua unit."),
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan (cuti bersama)")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"


class Membership(models.Model):
    """A user holds a role (a Django group) in a unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("pengguna"))
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.ForeignKey(Group, models.PROTECT, related_name="memberships", verbose_name=_("peran"))
    title = models.CharField(_("jabatan"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")]

    def __str__(self):
        return f"{self.user} - {self.role} - {self.unit}"


class Service(models.Model):
    """A public service a unit delivers, run by one SOP app."""

    slug = models.SlugField(_("kode"), max_length=80, unique=True)
    name = models.CharField(_("nama layanan"), max_length=300)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="services", verbose_name=_("unit pelaksana"))
    app = models.CharField(_("aplikasi SOP"), max_length=20, choices=sop_app_choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    def __str__(self):
        return self.name


class TransitionLog(models.Model):
    """One status change of a workflow record: append-only, like healthchecks' Flip."""

    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transisi"), max_length=80)
    from_status = models.CharField(_("dari status"), max_length=40, blank=True)
    to_status = models.CharField(_("ke status"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("pelaku"))
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("log transisi")
        verbose_name_plural = _("log transisi")
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="transitionlog_record_at")]

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


class Attachment(models.Model):
    """A document attached to a workflow record, e.g. an SPT or a signed SBBK."""

    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("jenis dokumen"), max_length=60)
    file = models.FileField(_("berkas"), upload_to="attachments/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        indexes = [models.Index(fields=["content_type", "object_id", "kind"], name="attachment_record_kind")]

    def __str__(self):
        return f"{self.kind}: {self.file.name}"


class WorkflowRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit_id__in=unit_ids_visible_to(user))

    def open(self):
        return self.exclude(status__in=self.model.workflow.final_statuses)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class WorkflowRecord(models.Model):
    """Base of every SOP record: a status moved only by portal.services.transition_*.

    A subclass sets `workflow` to its app's Workflow declaration.
    """

    workflow = None

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=40, db_index=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status berubah"), default=timezone.now)
    due_at = models.DateTimeField(_("batas waktu layanan"), null=True, blank=True, db_index=True)
    step_due_at = models.DateTimeField(_("batas waktu langkah"), null=True, blank=True)

    objects = WorkflowRecordQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["unit", "status"], name="%(app_label)s_%(class)s_unit_st")]

    @property
    def step(self):
        return self.workflow.step_for(self.status)

    @property
    def is_open(self):
        return self.status not in self.workflow.final_statuses

    def is_overdue(self, now=None):
        return self.is_open and self.due_at is not None and self.due_at < (now or timezone.now())

    def is_step_overdue(self, now=None):
        return self.is_open and self.step_due_at is not None and self.step_due_at < (now or timezone.now())

    def get_status_display(self):
        return self.workflow.status_label(self.status)


# The documents of the seeds: a service's Standar Pelayanan, the header of its SOP sheet (the
# activity table is the app's workflow.py), and the regent's decree that enacts the SOPs.
# A service or unit is referred to by its slug or code (to_field), so fixtures can name them.


def lines_property(field_name):
    """A read-only property: the non-blank lines of a one-item-per-line text field."""
    return property(lambda self: [line.strip() for line in getattr(self, field_name).splitlines() if line.strip()])


ONE_PER_LINE = _("Satu butir per baris.")


class StandardComponentManager(models.Manager):
    def get_by_natural_key(self, service, label):
        return self.get(service=service, label=label)


class StandardComponent(models.Model):
    """One row of a service's Standar Pelayanan: Komponen and Uraian.

    `content` is plain text rendered by portal.templatetags.documents.content_html.
    """

    service = models.ForeignKey(
        Service, models.CASCADE, to_field="slug", related_name="components", verbose_name=_("layanan")
    )
    section = models.CharField(
        _("bagian"), max_length=200, blank=True,
        help_text=_("Mis. \"A. Service Delivery (Proses Penyampaian Pelayanan)\"; kosong bila tidak berbagian."),
    )
    number = models.CharField(_("nomor"), max_length=10, blank=True, help_text=_("Seperti tercetak, mis. \"1.\"."))
    label = models.CharField(_("komponen"), max_length=200)
    content = models.TextField(
        _("uraian"),
        help_text=_(
            "Baris kosong memisahkan paragraf. Baris yang diawali \"a. \", \"1. \" atau \"- \" menjadi butir daftar; "
            "dua spasi di awal baris per tingkat membuat daftar bertingkat."
        ),
    )
    order = models.PositiveIntegerField(_("urutan"))

    objects = StandardComponentManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["service_id", "order"]
        verbose_name = _("komponen standar pelayanan")
        verbose_name_plural = _("komponen standar pelayanan")
        indexes = [models.Index(fields=["service", "order"], name="standardcomponent_order")]
        constraints = [models.UniqueConstraint(fields=["service", "label"], name="standardcomponent_unique_label")]

    def __str__(self):
        return f"{self.number} {self.label}".strip()

    def natural_key(self):
        return (self.service_id, self.label)


class SOPDocumentManager(models.Manager):
    def get_by_natural_key(self, service):
        return self.get(service=service)


class SOPDocument(models.Model):
    """The header of a service's SOP sheet (PermenPAN-RB 35/2012). Dates are text, as printed."""

    service = models.OneToOneField(
        Service, models.CASCADE, to_field="slug", related_name="sop", verbose_name=_("layanan")
    )
    sheet_title = models.CharField(
        _("judul lembar SOP"), max_length=300, blank=True, help_text=_("Judul di atas kepala SOP.")
    )
    title = models.CharField(
        _("judul tabel kegiatan"), max_length=300, help_text=_("Judul di atas tabel uraian kegiatan.")
    )
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    made_on = models.CharField(_("tanggal pembuatan"), max_length=60, blank=True)
    effective_on = models.CharField(_("tanggal efektif"), max_length=60, blank=True)
    approved_on = models.CharField(_("tanggal pengesahan"), max_length=60, blank=True)
    approver_title = models.CharField(_("jabatan pengesah"), max_length=300)
    approver_name = models.CharField(_("nama pengesah"), max_length=200, blank=True)
    approver_nip = models.CharField(_("NIP pengesah"), max_length=30, blank=True)
    name = models.CharField(_("nama SOP"), max_length=300)
    legal_bases = models.TextField(_("dasar hukum"), blank=True, help_text=ONE_PER_LINE)
    qualifications = models.TextField(_("kualifikasi pelaksana"), blank=True, help_text=ONE_PER_LINE)
    related_sops = models.TextField(_("keterkaitan"), blank=True, help_text=ONE_PER_LINE)
    equipment = models.TextField(_("peralatan/perlengkapan"), blank=True, help_text=ONE_PER_LINE)
    warnings = models.TextField(_("peringatan"), blank=True, help_text=ONE_PER_LINE)
    records = models.TextField(_("pencatatan dan pendataan"), blank=True, help_text=ONE_PER_LINE)

    legal_bases_lines = lines_property("legal_bases")
    qualifications_lines = lines_property("qualifications")
    related_sops_lines = lines_property("related_sops")
    equipment_lines = lines_property("equipment")
    warnings_lines = lines_property("warnings")
    records_lines = lines_property("records")

    objects = SOPDocumentManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("dokumen SOP")
        verbose_name_plural = _("dokumen SOP")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.service_id,)


class DecreeManager(models.Manager):
    def get_by_natural_key(self, unit, number):
        return self.get(unit=unit, number=number)


class Decree(models.Model):
    """A Keputusan Bupati enacting SOPs, signed by the agency head on the regent's behalf."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, to_field="code", related_name="decrees", verbose_name=_("perangkat daerah")
    )
    number = models.CharField(_("nomor"), max_length=100)
    attachment_note = models.CharField(_("lampiran"), max_length=60, blank=True, help_text=_("Mis. \"1 (satu)\"."))
    title = models.TextField(_("tentang"))
    regent = models.CharField(_("bupati"), max_length=100, help_text=_("Mis. \"BUPATI CIAMIS\"."))
    considerations = models.TextField(
        _("menimbang"), help_text=_("Satu butir per baris, dengan huruf seperti tercetak.")
    )
    legal_bases = models.TextField(_("mengingat"), help_text=_("Satu butir per baris, dengan nomor seperti tercetak."))
    place = models.CharField(_("ditetapkan di"), max_length=100)
    date_text = models.CharField(_("pada tanggal"), max_length=60, blank=True)
    signatory_on_behalf = models.CharField(
        _("atas nama"), max_length=100, blank=True, help_text=_("Mis. \"a.n BUPATI CIAMIS\".")
    )
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=300)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    copies_to = models.TextField(
        _("tembusan"), blank=True, help_text=_("Satu penerima per baris, dengan nomor seperti tercetak.")
    )

    considerations_lines = lines_property("considerations")
    legal_bases_lines = lines_property("legal_bases")
    copies_to_lines = lines_property("copies_to")

    objects = DecreeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "number"]
        verbose_name = _("keputusan bupati")
        verbose_name_plural = _("keputusan bupati")
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="decree_unique_number")]

    def __str__(self):
        return f"Keputusan Bupati Nomor {self.number}"

    def natural_key(self):
        return (self.unit_id, self.number)


class DecreeDecisionManager(models.Manager):
    def get_by_natural_key(self, unit, number, ordinal):
        return self.get(decree__unit=unit, decree__number=number, ordinal=ordinal)


class DecreeDecision(models.Model):
    """One diktum of a decree (KESATU, KEDUA, ...), with the SOPs it enacts."""

    decree = models.ForeignKey(Decree, models.CASCADE, related_name="decisions", verbose_name=_("keputusan"))
    ordinal = models.CharField(_("diktum"), max_length=20, help_text=_("Mis. \"KESATU\"."))
    text = models.TextField(_("isi"))
    order = models.PositiveIntegerField(_("urutan"))
    sops = models.ManyToManyField(
        SOPDocument, blank=True, related_name="decisions", verbose_name=_("SOP yang ditetapkan")
    )

    objects = DecreeDecisionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["decree_id", "order"]
        verbose_name = _("diktum")
        verbose_name_plural = _("diktum")
        constraints = [models.UniqueConstraint(fields=["decree", "ordinal"], name="decreedecision_unique_ordinal")]

    def __str__(self):
        return self.ordinal

    def natural_key(self):
        return (*self.decree.natural_key(), self.ordinal)

    natural_key.dependencies = ["portal.decree"]
