"""The published documents of the seeds: a service's Standar Pelayanan, the header of its SOP
sheet (the activity table is the app's workflow.py), and the regent's decree that enacts the SOPs;
and what the public pages serve of them: snapshots of the activity tables and rendered copies.

A service or unit is referred to by its slug or code (to_field), so fixtures can name them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Service, Unit


def lines_property(field_name):
    """A read-only property: the non-blank lines of a one-item-per-line text field."""
    return property(lambda self: [line.strip() for line in getattr(self, field_name).splitlines() if line.strip()])


ONE_PER_LINE = _("Satu butir per baris.")


class OnePerServiceManager(models.Manager):
    """A service's one document of a kind (its standard's heading, its SOP sheet), found by the service's slug."""

    def get_by_natural_key(self, service):
        return self.get(service=service)


class ServiceStandard(models.Model):
    """The heading of a service's Standar Pelayanan, as printed above its table, and its date."""

    service = models.OneToOneField(
        Service, models.CASCADE, to_field="slug", related_name="standard", verbose_name=_("layanan")
    )
    heading = models.TextField(
        _("kepala"), blank=True,
        help_text=_("Baris di atas judul, seperti tercetak, mis. \"STANDAR PELAYANAN PUBLIK\" dan nama dinas."),
    )
    title = models.CharField(_("judul"), max_length=300, help_text=_("Judul standar pelayanan, seperti tercetak."))
    dated = models.CharField(
        _("tanggal dokumen"), max_length=60, blank=True,
        help_text=_("Tanggal penetapan seperti tercetak, mis. \"Nopember 2024\"; kosong bila dokumen asli tidak menyebutnya."),
    )

    heading_lines = lines_property("heading")

    objects = OnePerServiceManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kepala standar pelayanan")
        verbose_name_plural = _("kepala standar pelayanan")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.service_id,)

    @property
    def contact(self):
        """The agency's contact shown beside this standard on its public page (the page's context holds the heading)."""
        from publications.agencies import standard_contact  # it reads these models

        return standard_contact(self.service)


class StandardComponentManager(models.Manager):
    def get_by_natural_key(self, service, label):
        return self.get(service=service, label=label)


class StandardComponent(models.Model):
    """One row of a service's Standar Pelayanan: Komponen and Uraian.

    `content` is plain text rendered by publications.templatetags.documents.content_html.
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
    header_agency = models.TextField(
        _("instansi di kepala SOP"), blank=True,
        help_text=_("Sel kiri kepala SOP seperti tercetak, satu baris per baris; kosong: kop surat unitnya."),
    )
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

    header_agency_lines = lines_property("header_agency")
    legal_bases_lines = lines_property("legal_bases")
    qualifications_lines = lines_property("qualifications")
    related_sops_lines = lines_property("related_sops")
    equipment_lines = lines_property("equipment")
    warnings_lines = lines_property("warnings")
    records_lines = lines_property("records")

    objects = OnePerServiceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("dokumen SOP")
        verbose_name_plural = _("dokumen SOP")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.service_id,)

    @property
    def is_draft(self):
        """Not enacted until it carries a number, an approval date and the approver's name."""
        return not (self.number.strip() and self.approved_on.strip() and self.approver_name.strip())


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

    natural_key.dependencies = ["publications.decree"]


class DraftingNoteManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class DraftingNote(models.Model):
    """One entry of a document's "Catatan penyusunan": where the portal's text is not simply the paper's.

    The agency must be able to sign what the portal prints, so every difference is
    listed on the page and at the end of the PDF: a typo fixed (as printed -> as shown),
    an identifier or citation kept exactly as enacted although it looks wrong (marked
    beside it), and anything the portal added that the paper does not say, until the
    agency's Admin confirms it.
    """

    class Document(models.TextChoices):
        STANDARD = "standard", _("standar pelayanan")
        SOP = "sop", _("lembar SOP")
        DECREE = "decree", _("keputusan bupati")

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("perbaikan salah ketik")
        AS_PRINTED = "as_printed", _("tertulis demikian dalam dokumen asli")
        ADDITION = "addition", _("tambahan yang tidak ada dalam dokumen asli")

    code = models.SlugField(_("kode"), max_length=100, unique=True)
    document = models.CharField(_("dokumen"), max_length=10, choices=Document)
    service = models.ForeignKey(
        Service, models.CASCADE, to_field="slug", null=True, blank=True, related_name="drafting_notes",
        verbose_name=_("layanan"), help_text=_("Untuk standar pelayanan dan lembar SOP."),
    )
    decree = models.ForeignKey(
        Decree, models.CASCADE, null=True, blank=True, related_name="drafting_notes",
        verbose_name=_("keputusan bupati"), help_text=_("Untuk keputusan bupati."),
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind)
    as_printed = models.TextField(
        _("tertulis dalam dokumen asli"), blank=True,
        help_text=_("Teks persis seperti tercetak; untuk catatan \"tertulis demikian\" ditandai di samping teks ini."),
    )
    as_shown = models.TextField(_("ditampilkan portal"), blank=True)
    explanation = models.TextField(_("keterangan"), blank=True)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )

    objects = DraftingNoteManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("catatan penyusunan")
        verbose_name_plural = _("catatan penyusunan")
        indexes = [models.Index(fields=["service", "document"], name="draftingnote_service")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(document="decree", decree__isnull=False, service__isnull=True)
                    | models.Q(document__in=["standard", "sop"], decree__isnull=True, service__isnull=False)
                ),
                name="draftingnote_one_document",
            ),
        ]

    def __str__(self):
        return self.as_shown or self.as_printed

    def natural_key(self):
        return (self.code,)

    @property
    def listed(self):
        """An addition leaves the list once the agency confirms it; corrections and as-printed notes stay."""
        return self.kind != self.Kind.ADDITION or self.confirmed_at is None


class StepsSnapshot(models.Model):
    """An SOP app's activity table as declared in its workflow.py, kept from when it took effect.

    An older version of an SOP sheet (`?versi=`) prints the steps that were in force then,
    not today's. A snapshot is taken whenever the declaration's fingerprint is new: at every
    migrate (each deploy) and before a sheet is published.
    """

    app = models.CharField(_("aplikasi SOP"), max_length=20)
    fingerprint = models.CharField(_("sidik"), max_length=64)
    declaration = models.JSONField(_("deklarasi"))
    taken_at = models.DateTimeField(_("berlaku sejak"))

    class Meta:
        ordering = ["app", "taken_at"]
        verbose_name = _("tabel kegiatan SOP tersimpan")
        verbose_name_plural = _("tabel kegiatan SOP tersimpan")
        constraints = [models.UniqueConstraint(fields=["app", "fingerprint"], name="stepssnapshot_unique")]
        indexes = [models.Index(fields=["app", "taken_at"], name="stepssnapshot_app_taken")]

    def __str__(self):
        return f"{self.app} {self.taken_at:%Y-%m-%d %H.%M}"


class Publication(models.Model):
    """The current rendering of one published document: its public page and its PDF.

    Rendered when the document (or its service, letterhead or workflow) changes, so a
    visitor is served stored bytes and never waits for WeasyPrint; `version` is the
    ETag, `changed_at` the Last-Modified.
    """

    key = models.CharField(_("kunci"), max_length=120, unique=True)  # "standard:<slug>", "sop:<slug>", "decree:<pk>", "index"
    version = models.CharField(_("versi"), max_length=64)
    changed_at = models.DateTimeField(_("berubah"))
    html = models.TextField(_("halaman"))
    pdf = models.BinaryField(_("PDF"), blank=True)
    file_stem = models.CharField(_("nama berkas"), max_length=200, blank=True)  # the PDF's, without ".pdf"
    rendered_at = models.DateTimeField(_("dirender"))
    # Something it prints has changed; the rendering is redone after that change is committed.
    stale = models.BooleanField(_("perlu dirender ulang"), default=False)

    class Meta:
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")

    def __str__(self):
        return self.key
