"""The ALOKON warehouse: items, lots, health facilities, the stock ledger, and the distributions.

Stock is what the ledger says. Every movement in or out of the district
warehouse is one `Movement` row, written once: a correction is a new row
(a reversal linked both ways), never an edit, and on PostgreSQL a trigger
refuses UPDATE and DELETE of the ledger. `StockBalance` keeps the running
quantity per warehouse and lot for speed; alokon.services changes it in the
same transaction as the movement, under a row lock, and the tests prove it
equals the ledger's sum.
"""

import calendar
from datetime import date

import pgtrigger
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alokon.workflow import WORKFLOW
from portal.models import AppendOnlyModel, Kecamatan, Unit, WorkflowRecord, access_for, open_records_index
from portal.roles import Role


# Who opens the warehouse's books: its keeper, its heads, the agency head.
WAREHOUSE_ROLES = frozenset({Role.STOREKEEPER, Role.HEAD, Role.AGENCY_HEAD})


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


class Method(models.TextChoices):
    """The contraceptive methods New SIGA reports by."""

    PILL = "pil", _("Pil")
    INJECTABLE = "suntik", _("Suntik")
    CONDOM = "kondom", _("Kondom")
    IMPLANT = "implan", _("Implan")
    IUD = "iud", _("IUD/AKDR")


class Item(models.Model):
    """A contraceptive item the warehouse keeps, counted in its unit of issue."""

    class IssueUnit(models.TextChoices):
        STRIP = "strip", _("strip")
        CYCLE = "siklus", _("siklus")
        VIAL = "vial", _("vial")
        PIECE = "buah", _("buah")
        SET = "set", _("set")
        BOX = "kotak", _("kotak")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    method = models.CharField(_("metode"), max_length=10, choices=Method.choices)
    name = models.CharField(_("nama"), max_length=200)
    unit_of_issue = models.CharField(_("satuan"), max_length=10, choices=IssueUnit.choices)
    pack_size = models.PositiveIntegerField(
        _("isi per kemasan"), default=1, validators=[MinValueValidator(1)],
        help_text=_("Barang dikeluarkan per kemasan utuh: jumlah keluar harus kelipatan angka ini."),
    )
    tracks_lots = models.BooleanField(_("dicatat per lot dan kedaluwarsa"), default=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("barang alokon")
        verbose_name_plural = _("barang alokon")
        constraints = [models.CheckConstraint(condition=Q(pack_size__gte=1), name="item_pack_size_positive")]

    def __str__(self):
        return self.name


class Lot(models.Model):
    """A batch of one item, with its expiry. An item not tracked by lot has one lot, numbered "-"."""

    NO_LOT = "-"

    item = models.ForeignKey(Item, models.PROTECT, related_name="lots", verbose_name=_("barang"))
    number = models.CharField(_("nomor lot/batch"), max_length=60)
    expiry_date = models.DateField(_("kedaluwarsa"), null=True, blank=True)
    production_date = models.DateField(_("tanggal produksi"), null=True, blank=True)

    class Meta:
        ordering = ["item", "expiry_date", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lot")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="lot_unique_number")]

    def __str__(self):
        if self.number == self.NO_LOT:
            return str(self.item)
        expiry = f" (ED {self.expiry_date:%d-%m-%Y})" if self.expiry_date else ""
        return f"{self.number}{expiry}"

    def is_expired(self, on=None):
        """An expired lot is quarantined: it cannot be issued."""
        return self.expiry_date is not None and self.expiry_date < (on or timezone.localdate())


registration_number_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z./-]{2,39}$",
    _("Nomor registrasi K/0/KB hanya berisi huruf, angka, titik, garis miring atau tanda hubung."),
)


class FacilityQuerySet(models.QuerySet):
    def handled_by(self, user):
        """The active facilities whose requests and reports `user` sees: a faskes account its own; an officer of a
        UPTD P5A those it covers; an officer or a warehouse role of the agency all of the agency's."""
        account = FacilityAccount.objects.filter(user=user).first()
        if account is not None:
            return self.filter(pk=account.facility_id, is_active=True)
        units = access_for(user).units_where([Role.OFFICER, Role.STOREKEEPER, Role.HEAD, Role.AGENCY_HEAD])
        return self.filter(Q(unit_id__in=units) | Q(uptd_id__in=units), is_active=True).select_related("kecamatan")

    def acted_for(self, user):
        """The active facilities `user` asks and reports for: a faskes account its own; an officer (Petugas) of the
        UPTD P5A covering a facility, or of the agency, on its behalf (a midwife's practice without an account)."""
        access = access_for(user)
        # Only a faskes login holds the Faskes role; the start page asks this of every officer.
        is_faskes = any(role == Role.FASKES for _unit, role in access.grants)
        account = FacilityAccount.objects.filter(user=user).first() if is_faskes else None
        if account is not None:
            return self.filter(pk=account.facility_id, is_active=True)
        officer_units = [unit for unit, role in access.grants if role == Role.OFFICER]
        # An officer acts for the facilities of its own unit and the units below it: a UPTD its own, the agency all.
        below = access.tree.below(officer_units)
        return self.filter(
            Q(uptd_id__in=below) | Q(uptd__isnull=True, unit_id__in=below) | Q(unit_id__in=officer_units),
            is_active=True,
        )


class Facility(models.Model):
    """A health facility (faskes) registered in New SIGA: only an active one receives stock."""

    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Puskesmas")
        CLINIC = "klinik", _("Klinik")
        HOSPITAL = "rumah_sakit", _("Rumah sakit")
        MIDWIFE = "bidan", _("Praktik mandiri bidan")
        DOCTOR = "dokter", _("Praktik dokter")

    # The agency whose warehouse supplies it: the admin and every list scope by it.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("dinas"))
    registration_number = models.CharField(
        _("nomor registrasi K/0/KB"), max_length=40, unique=True, validators=[registration_number_validator]
    )
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    kecamatan = models.ForeignKey(Kecamatan, models.PROTECT, related_name="+", verbose_name=_("kecamatan"))
    uptd = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("UPTD P5A"),
        limit_choices_to={"kind": Unit.Kind.TECHNICAL_UNIT},
    )
    mkjp_mou = models.BooleanField(_("MoU MKJP"), default=False, help_text=_("Boleh menerima implan dan IUD."))
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("fasilitas kesehatan")
        verbose_name_plural = _("fasilitas kesehatan")
        indexes = [models.Index(fields=["unit", "is_active", "name"], name="facility_unit_active")]

    def __str__(self):
        return f"{self.name} ({self.registration_number})"


class FacilityAccount(models.Model):
    """A faskes user's account: tied to one facility, not a membership of the agency.

    It gives the user the Faskes role in the facility's agency (Distribution.account_grants), narrowed to
    the facility's own rows (Distribution.role_filter).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="facility_account", verbose_name=_("pengguna")
    )
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="accounts", verbose_name=_("faskes"))

    class Meta:
        verbose_name = _("akun faskes")
        verbose_name_plural = _("akun faskes")

    def __str__(self):
        return f"{self.user} - {self.facility.name}"


class Receipt(models.Model):
    """Stock received from the BKKBN province office, under their document; its SBBM is printed."""

    class Funding(models.TextChoices):
        APBN = "apbn", _("APBN (BKKBN)")
        APBD = "apbd", _("APBD")
        OTHER = "lainnya", _("Lainnya")

    warehouse = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("gudang"))
    year = models.PositiveIntegerField(_("tahun"), editable=False)
    sequence = models.PositiveIntegerField(_("nomor urut"), editable=False)
    received_on = models.DateField(_("tanggal terima"))
    supplier = models.CharField(_("dari"), max_length=200, default="Perwakilan BKKBN Provinsi")
    source_document = models.CharField(_("nomor dokumen pengirim"), max_length=100)
    funding = models.CharField(_("sumber dana"), max_length=10, choices=Funding.choices, default=Funding.APBN)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("penerimaan (SBBM)")
        verbose_name_plural = _("penerimaan (SBBM)")
        constraints = [models.UniqueConstraint(fields=["warehouse", "year", "sequence"], name="receipt_unique_number")]

    def __str__(self):
        return str(_("SBBM %(number)s") % {"number": self.number})

    @property
    def number(self):
        return f"{self.sequence:04d}/SBBM/{self.year}"


class MovementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Mutasi stok tidak dapat diubah; koreksi dicatat sebagai mutasi pembalik."))

    def delete(self):
        raise ValidationError(_("Mutasi stok tidak dapat dihapus; koreksi dicatat sebagai mutasi pembalik."))


class Movement(AppendOnlyModel):
    """One movement of stock in or out of a warehouse: the ledger row. Quantity: + in, - out."""

    class Kind(models.TextChoices):
        RECEIPT = "terima", _("Penerimaan")
        ISSUE = "keluar", _("Pengeluaran (SBBK)")
        RETURN = "kembali", _("Pengembalian")
        ADJUSTMENT = "penyesuaian", _("Penyesuaian")
        REVERSAL = "pembalik", _("Pembatalan mutasi")

    class Reason(models.TextChoices):
        DAMAGED = "rusak", _("Rusak")
        EXPIRED = "kedaluwarsa", _("Kedaluwarsa")
        LOST = "hilang", _("Hilang")
        COUNT = "selisih", _("Selisih hasil hitung")
        SHORT = "kurang", _("Kurang kirim")

    warehouse = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("gudang"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("barang"))
    lot = models.ForeignKey(Lot, models.PROTECT, related_name="movements", verbose_name=_("lot"))
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    quantity = models.BigIntegerField(_("jumlah"))
    occurred_on = models.DateField(_("tanggal"))
    document = models.CharField(_("dokumen"), max_length=100, blank=True)
    facility = models.ForeignKey(
        Facility, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("faskes")
    )
    party = models.CharField(_("dari/kepada"), max_length=200, blank=True)
    reason = models.CharField(_("alasan"), max_length=12, choices=Reason.choices, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    receipt = models.ForeignKey(Receipt, models.PROTECT, null=True, blank=True, related_name="movements")
    distribution = models.ForeignKey(
        "Distribution", models.PROTECT, null=True, blank=True, related_name="movements"
    )
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("membatalkan")
    )
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("mutasi stok")
        verbose_name_plural = _("mutasi stok")
        indexes = [
            # The stock card (per item, per lot) and the back-dating check walk the ledger in date order; the card's
            # running balance is summed from the index alone on PostgreSQL (stock.CardRows).
            models.Index(
                fields=["warehouse", "item", "occurred_on", "id"], include=["quantity"], name="movement_item_card"
            ),
            models.Index(fields=["lot", "warehouse", "occurred_on", "id"], include=["quantity"], name="movement_lot_card"),
            models.Index(fields=["facility", "occurred_on"], name="movement_facility"),
            # The dashboard's months of stock and the month's summary read every item's movements of a few months:
            # from the index alone on PostgreSQL (benchmarks/alokon_stock.py: 215 -> 59 ms at 1,000,000 rows).
            models.Index(
                fields=["warehouse", "occurred_on"], include=["item", "kind", "quantity"], name="movement_day"
            ),
        ]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="movement_quantity_not_zero")]
        triggers = [
            # The database itself keeps the ledger append-only: no code path, admin or SQL console rewrites it.
            pgtrigger.Protect(name="movement_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity:+d} {self.item} {self.occurred_on:%d-%m-%Y}"


class StockBalance(models.Model):
    """The quantity on hand of one lot in one warehouse: the ledger's sum, kept in step by alokon.services."""

    warehouse = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("gudang"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("barang"))
    lot = models.ForeignKey(Lot, models.PROTECT, related_name="balances", verbose_name=_("lot"))
    quantity = models.BigIntegerField(_("stok"), default=0)

    class Meta:
        verbose_name = _("stok per lot")
        verbose_name_plural = _("stok per lot")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "lot"], name="stockbalance_unique_lot"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stockbalance_not_negative"),
        ]
        indexes = [models.Index(fields=["warehouse", "item"], name="stockbalance_item")]

    def __str__(self):
        return f"{self.lot}: {self.quantity}"


class ClosedPeriod(AppendOnlyModel):
    """A month closed in a warehouse's books: no movement may be dated in it or before it any more."""

    warehouse = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("gudang"))
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan yang ditutup."))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("tutup buku bulanan")
        verbose_name_plural = _("tutup buku bulanan")
        constraints = [models.UniqueConstraint(fields=["warehouse", "month"], name="closedperiod_unique_month")]

    def __str__(self):
        return f"{self.month:%m-%Y}"


class Distribution(WorkflowRecord):
    """One distribution of contraceptives to a registered health facility, from request to report."""

    workflow = WORKFLOW
    page_url_name, start_url_name, list_url_name = "alokon:distribution", "alokon:request", "alokon:distributions"

    facility = models.ForeignKey(Facility, models.PROTECT, related_name="distributions", verbose_name=_("faskes"))
    plan = models.ForeignKey(
        "RoutinePlan", models.PROTECT, null=True, blank=True, related_name="distributions",
        verbose_name=_("rencana distribusi rutin"),
    )
    request_letter = models.CharField(_("nomor surat permohonan"), max_length=100, blank=True)
    # Each document is numbered per agency (service) and the year it is issued in.
    spmb_year = models.PositiveIntegerField(_("tahun SPMB"), null=True, editable=False)
    spmb_sequence = models.PositiveIntegerField(_("nomor SPMB"), null=True, editable=False)
    sbbk_year = models.PositiveIntegerField(_("tahun SBBK"), null=True, editable=False)
    sbbk_sequence = models.PositiveIntegerField(_("nomor SBBK"), null=True, editable=False)
    sbbk_issued_on = models.DateField(_("tanggal SBBK"), null=True, editable=False)
    delivered_on = models.DateField(_("tanggal diterima faskes"), null=True, editable=False)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(WorkflowRecord.Meta):
        verbose_name = _("penyaluran alokon")
        verbose_name_plural = _("penyaluran alokon")
        indexes = [
            *WorkflowRecord.Meta.indexes,
            models.Index(fields=["facility", "status"], name="distribution_facility"),
            # The list's default (open, newest first) and the start page's worklist (portal.selectors.worklist).
            open_records_index(WORKFLOW, "-created_at", "-id", name="distribution_open_created"),
            open_records_index(WORKFLOW, "service", "due_at", "step_due_at", "id", name="distribution_open_worklist"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["service", "spmb_year", "spmb_sequence"], name="distribution_unique_spmb"),
            models.UniqueConstraint(fields=["service", "sbbk_year", "sbbk_sequence"], name="distribution_unique_sbbk"),
        ]

    def __str__(self):
        return str(_("Penyaluran %(number)s ke %(facility)s") % {"number": self.pk, "facility": self.facility.name})

    @property
    def spmb_number(self):
        return f"{self.spmb_sequence:04d}/SPMB/{self.spmb_year}" if self.spmb_sequence else ""

    @property
    def sbbk_number(self):
        return f"{self.sbbk_sequence:04d}/SBBK/{self.sbbk_year}" if self.sbbk_sequence else ""

    @classmethod
    def may_start(cls, service, user):
        return Facility.objects.acted_for(user).filter(unit=service.unit_id).exists()

    @classmethod
    def work_areas(cls, service, user):
        """The warehouse, for whoever keeps or heads it; the monthly reports, for a faskes and the UPTD P5A."""
        access = access_for(user)
        areas = []
        if access.roles_in(service.unit_id) & WAREHOUSE_ROLES:
            areas.append((_("Gudang alokon"), f"{reverse('alokon:dashboard')}?layanan={service.slug}"))
        if {role for _unit, role in access.grants} & {Role.FASKES, Role.OFFICER}:
            areas.append((_("Laporan bulanan faskes"), reverse("alokon:reports")))
        return areas

    @classmethod
    def handling_units(cls, service):
        """The UPTDs P5A covering the agency's active faskes: they monitor them. No other unit below the agency
        (a P2TP2A placed under the same Dinas) works in its contraceptive distribution."""
        covered = Facility.objects.filter(unit=service.unit_id, is_active=True, uptd__isnull=False)
        return set(covered.values_list("uptd_id", flat=True))

    @classmethod
    def role_filter(cls, role, user):
        """A faskes sees its own facility's distributions only."""
        if role == Role.FASKES:
            return Q(facility__accounts__user=user)
        return Q()

    @classmethod
    def actor_filter(cls, role, user, statuses=None):
        """A faskes acts on its own facility's distributions only."""
        return cls.role_filter(role, user)

    @classmethod
    def reminders(cls, now):
        """A faskes' monthly report due, a lot near expiry, a stock count waiting for approval (alokon.reminders)."""
        from alokon.reminders import due  # it reads these models

        return due(now)

    # alokon.views.dispatch.distribution_list.
    register_queries = {"open": "status=terbuka", "overdue": "status=terbuka&terlambat=1", "step": "status={status}"}

    def outside_users(self):
        """The faskes' accounts: they take the receipt and report steps of their own facility's distributions."""
        return get_user_model().objects.filter(facility_account__facility_id=self.facility_id)

    @classmethod
    def account_grants(cls, user):
        """A faskes account holds the Faskes role in its facility's agency."""
        account = FacilityAccount.objects.filter(user=user, facility__is_active=True).values_list(
            "facility__unit_id", flat=True
        ).first()
        return [(account, Role.FASKES)] if account is not None else []


class DistributionLine(models.Model):
    """One item of a distribution: what was asked for and what the SPMB approved."""

    distribution = models.ForeignKey(Distribution, models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("barang"))
    requested = models.PositiveIntegerField(_("jumlah diminta"), validators=[MinValueValidator(1)])
    approved = models.PositiveIntegerField(_("jumlah disetujui"), null=True, blank=True)

    class Meta:
        ordering = ["item__method", "item__name"]
        verbose_name = _("baris permintaan")
        verbose_name_plural = _("baris permintaan")
        constraints = [
            models.UniqueConstraint(fields=["distribution", "item"], name="distributionline_unique_item"),
            models.CheckConstraint(
                condition=Q(approved__isnull=True) | Q(approved__lte=models.F("requested")),
                name="distributionline_approved_within_request",
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.requested}"

    @property
    def most_approvable(self):
        """The most the SPMB may approve: what was asked, in whole packs, rounded down. The pack rule says how stock
        leaves the warehouse; it is no reason to send a faskes more than it asked for (it asks for a whole pack)."""
        return self.requested // self.item.pack_size * self.item.pack_size


class ReceiptConfirmation(models.Model):
    """The faskes' confirmation of one issued lot: accepted + rejected = shipped, a rejection with its reason."""

    class Reason(models.TextChoices):
        SHORT = "kurang", _("Kurang")
        DAMAGED = "rusak", _("Rusak")
        EXPIRED = "kedaluwarsa", _("Kedaluwarsa")

    issue = models.OneToOneField(Movement, models.PROTECT, related_name="confirmation")
    accepted = models.PositiveIntegerField(_("diterima"))
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    reason = models.CharField(_("alasan penolakan"), max_length=12, choices=Reason.choices, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("konfirmasi penerimaan")
        verbose_name_plural = _("konfirmasi penerimaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(rejected=0) | ~Q(reason=""), name="confirmation_rejection_has_reason"
            ),
        ]


class Monitoring(models.Model):
    """Step 5: the UPTD P5A of the faskes' kecamatan on the faskes' use, recording and reporting of what it was sent:
    how and when it was done, by whom, what was found and what follows. Recorded once, with the step."""

    class Mode(models.TextChoices):
        VISIT = "kunjungan", _("Kunjungan ke faskes")
        CALL = "telepon", _("Telepon atau pesan")
        OTHER = "lainnya", _("Cara lain")

    distribution = models.OneToOneField(
        Distribution, models.PROTECT, related_name="monitoring", verbose_name=_("penyaluran")
    )
    mode = models.CharField(_("cara"), max_length=10, choices=Mode.choices)
    monitored_on = models.DateField(_("tanggal monitoring"))
    # Who did it, as the UPTD writes it: the officer, often with the kecamatan's PLKB or the faskes' midwife.
    monitored_by = models.CharField(_("dilakukan oleh"), max_length=200)
    findings = models.TextField(_("temuan"))
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monitoring UPTD P5A")
        verbose_name_plural = _("monitoring UPTD P5A")
        constraints = [models.CheckConstraint(condition=~Q(findings=""), name="monitoring_has_findings")]

    def __str__(self):
        return str(_("Monitoring penyaluran %(number)s") % {"number": self.distribution_id})


class RoutinePlan(models.Model):
    """A routine distribution plan (Rencana Distribusi Rutin) for many faskes at once."""

    service = models.ForeignKey("portal.Service", models.PROTECT, related_name="+")
    month = models.DateField(_("bulan distribusi"))
    min_months = models.DecimalField(_("stok minimum (bulan)"), max_digits=4, decimal_places=1, default=1)
    max_months = models.DecimalField(_("stok maksimum (bulan)"), max_digits=4, decimal_places=1, default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("rencana distribusi rutin")
        verbose_name_plural = _("rencana distribusi rutin")
        constraints = [
            models.CheckConstraint(condition=Q(min_months__gt=0) & Q(max_months__gte=models.F("min_months")),
                                   name="routineplan_min_max"),
        ]

    def __str__(self):
        return str(_("Rencana distribusi %(month)s") % {"month": f"{self.month:%m-%Y}"})


class PlanLine(models.Model):
    """One faskes and item of a routine plan: the portal's proposal and the officer's figure."""

    plan = models.ForeignKey(RoutinePlan, models.CASCADE, related_name="lines")
    facility = models.ForeignKey(Facility, models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, models.PROTECT, related_name="+")
    average_use = models.DecimalField(_("rata-rata pemakaian per bulan"), max_digits=12, decimal_places=1, default=0)
    on_hand = models.PositiveIntegerField(_("sisa stok faskes"), default=0)
    proposed = models.PositiveIntegerField(_("usulan"), default=0)
    quantity = models.PositiveIntegerField(_("jumlah"), default=0)

    class Meta:
        ordering = ["facility__name", "item__method", "item__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "facility", "item"], name="planline_unique")]


class MonthlyReport(models.Model):
    """A faskes' monthly report: services to couples by method, and stock received, used and remaining.

    Due by the 15th of the next month; filed once, then read-only.
    """

    facility = models.ForeignKey(Facility, models.PROTECT, related_name="reports", verbose_name=_("faskes"))
    month = models.DateField(_("bulan"))
    coordination_note = models.TextField(_("koordinasi dengan UPTD P5A"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "facility__name"]
        verbose_name = _("laporan bulanan faskes")
        verbose_name_plural = _("laporan bulanan faskes")
        constraints = [models.UniqueConstraint(fields=["facility", "month"], name="monthlyreport_unique_month")]
        indexes = [models.Index(fields=["month", "facility"], name="monthlyreport_month")]

    def __str__(self):
        return f"{self.facility.name} {self.month:%m-%Y}"

    @property
    def due_on(self):
        following = month_end(self.month).toordinal() + 1
        return date.fromordinal(following).replace(day=15)


class ReportStock(models.Model):
    """One item of a monthly report: opening + received - used = remaining."""

    report = models.ForeignKey(MonthlyReport, models.CASCADE, related_name="stock")
    item = models.ForeignKey(Item, models.PROTECT, related_name="+")
    opening = models.PositiveIntegerField(_("stok awal"))
    received = models.PositiveIntegerField(_("diterima"))
    used = models.PositiveIntegerField(_("dipakai"))
    remaining = models.PositiveIntegerField(_("sisa"))

    class Meta:
        ordering = ["item__method", "item__name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="reportstock_unique_item"),
            models.CheckConstraint(
                condition=Q(remaining=models.F("opening") + models.F("received") - models.F("used")),
                name="reportstock_balances",
            ),
        ]


class ReportService(models.Model):
    """Acceptors served in the month by one method: new, repeat and switching (baru, ulang, ganti cara)."""

    report = models.ForeignKey(MonthlyReport, models.CASCADE, related_name="services")
    method = models.CharField(_("metode"), max_length=10, choices=Method.choices)
    new = models.PositiveIntegerField(_("peserta baru"), default=0)
    repeat = models.PositiveIntegerField(_("peserta ulang"), default=0)
    switching = models.PositiveIntegerField(_("ganti cara"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "method"], name="reportservice_unique_method")]


class StockCount(models.Model):
    """A physical count (stock opname): counted blind, then differences posted with the head's approval.

    While it is being counted the warehouse is frozen (alokon.services refuses every movement) and no page or
    document shows a book figure (alokon.stock.open_count): the book read at submission is the book at the
    start, and each lot's difference is counted - book.
    """

    class Status(models.TextChoices):
        COUNTING = "hitung", _("Sedang dihitung")
        SUBMITTED = "diajukan", _("Menunggu persetujuan")
        APPROVED = "disetujui", _("Disetujui, selisih dibukukan")

    warehouse = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("gudang"))
    counted_on = models.DateField(_("tanggal hitung"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COUNTING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    # When the book figures were read and the warehouse opened again.
    submitted_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    approved_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-counted_on", "-pk"]
        verbose_name = _("stok opname")
        verbose_name_plural = _("stok opname")

    def __str__(self):
        return str(_("Stok opname %(date)s") % {"date": f"{self.counted_on:%d-%m-%Y}"})


class StockCountLine(models.Model):
    """One lot of a count. `book` is read from the ledger when the count is submitted, not before (blind)."""

    count = models.ForeignKey(StockCount, models.CASCADE, related_name="lines")
    lot = models.ForeignKey(Lot, models.PROTECT, related_name="+")
    counted = models.PositiveIntegerField(_("jumlah fisik"), null=True, blank=True)
    book = models.BigIntegerField(_("jumlah buku"), null=True, editable=False)
    reason = models.CharField(_("alasan selisih"), max_length=12, choices=Movement.Reason.choices, blank=True)

    class Meta:
        ordering = ["lot__item__method", "lot__item__name", "lot__expiry_date"]
        constraints = [models.UniqueConstraint(fields=["count", "lot"], name="stockcountline_unique_lot")]

    @property
    def difference(self):
        return None if self.book is None or self.counted is None else self.counted - self.book
