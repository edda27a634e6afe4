import uuid
from pathlib import PurePosixPath

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import ExpressionWrapper, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal import clock
from portal.access import Access, OrgTree
from portal.roles import Office


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The units a user is a member of, and every unit below them."""
        return self.filter(pk__in=access_for(user).units_where(None))

    def tree(self) -> OrgTree:
        """The whole unit tree, read in one query."""
        return OrgTree(dict(self.order_by().values_list("pk", "parent_id")))


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
    email = models.EmailField(_("pos-el"), blank=True)
    website = models.CharField(_("laman"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        if self.parent_id is not None and self.pk is not None:
            if self.parent_id == self.pk or self in self.parent.ancestors():
                raise ValidationError(
                    {"parent": _("Unit induk tidak boleh unit ini sendiri atau unit di bawahnya.")}
                )

    def ancestors(self):
        """This unit's parents, nearest first (one query per level; trees are shallow).

        A cycle in the data (which clean() refuses) ends the walk instead of looping.
        """
        result, seen, unit = [], {self.pk}, self.parent
        while unit is not None and unit.pk not in seen:
            result.append(unit)
            seen.add(unit.pk)
            unit = unit.parent
        return result

    def regency_kecamatan(self):
        """The kecamatan of the regency this unit works in: the choices for the addresses its records hold."""
        regencies = [unit.pk for unit in [self, *self.ancestors()] if unit.kind == Unit.Kind.GOVERNMENT]
        return Kecamatan.objects.filter(regency_id__in=regencies)

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

    def working_calendar(self) -> clock.WorkingCalendar:
        """Service hours and days off of this unit; raises clock.NoServiceHours when it has no hours."""
        periods = {}
        for hours in self.service_hours():
            periods.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
        unit_ids = [self.pk, *(u.pk for u in self.ancestors())]
        days_off = DayOff.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=unit_ids))
        return clock.WorkingCalendar(periods, set(days_off.values_list("date", flat=True)))


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
    """An extra day off decided locally, beside the national holidays and joint leave days."""

    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("keterangan"), max_length=200)
    unit = models.ForeignKey(
        Unit, models.CASCADE, null=True, blank=True, verbose_name=_("unit"),
        help_text=_("Kosongkan bila berlaku untuk semua unit."),
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"


class Kecamatan(models.Model):
    """A kecamatan of the regency a government unit governs: addresses, recaps and registers are by kecamatan."""

    regency = models.ForeignKey(
        Unit, models.PROTECT, related_name="kecamatan_set", verbose_name=_("pemerintah kabupaten"),
        limit_choices_to={"kind": Unit.Kind.GOVERNMENT},
    )
    code = models.CharField(
        _("kode wilayah"), max_length=8, blank=True, help_text=_("Contoh: 32.07.01"),
        validators=[RegexValidator(r"^\d{2}\.\d{2}\.\d{2}$", _("Kode kecamatan ditulis seperti 32.07.01."))],
    )
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [models.UniqueConstraint(fields=["regency", "name"], name="kecamatan_unique_name")]

    def __str__(self):
        return self.name


class Desa(models.Model):
    """A desa or kelurahan of a kecamatan."""

    kecamatan = models.ForeignKey(Kecamatan, models.PROTECT, related_name="desa_set", verbose_name=_("kecamatan"))
    code = models.CharField(
        _("kode wilayah"), max_length=13, blank=True, help_text=_("Contoh: 32.07.01.2001"),
        validators=[RegexValidator(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", _("Kode desa ditulis seperti 32.07.01.2001."))],
    )
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        constraints = [models.UniqueConstraint(fields=["kecamatan", "name"], name="desa_unique_name")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user holds a role (a Django group) in a unit, and may hold an office (jabatan) there through it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("pengguna"))
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.ForeignKey(Group, models.PROTECT, related_name="memberships", verbose_name=_("peran"))
    title = models.CharField(_("jabatan"), max_length=200, blank=True, help_text=_("Seperti dicetak di bawah tanda tangan."))
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    # The office an SOP names (portal.roles.Office): its steps are taken by its holder in this unit only.
    office = models.CharField(_("jabatan dalam SOP"), max_length=20, choices=Office.CHOICES, blank=True)
    acting = models.BooleanField(
        _("pelaksana tugas (Plt.)"), default=False, help_text=_("Menjabat sementara, dalam tanggal yang ditentukan.")
    )
    office_from = models.DateField(_("menjabat sejak"), null=True, blank=True)
    office_until = models.DateField(_("menjabat sampai"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        # A second membership of the same role in the same unit carries a second office (the Sekretaris P2TP2A
        # appointed Plt. Ketua).
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role", "office"], name="membership_unique_role_office")
        ]
        indexes = [models.Index(fields=["unit", "office"], name="membership_unit_office")]

    def __str__(self):
        return f"{self.user} - {self.role} - {self.unit}"

    def clean(self):
        if not self.office:
            if self.acting or self.office_from or self.office_until:
                raise ValidationError({"office": _("Pilih jabatannya, atau kosongkan Plt. dan tanggal menjabat.")})
            return
        if self.role_id is not None and self.role.name != Office.ROLES[self.office]:
            raise ValidationError(
                {"role": _("Jabatan %(office)s dipegang dengan peran %(role)s.")
                 % {"office": self.get_office_display(), "role": Office.ROLES[self.office]}}
            )
        if self.acting and not (self.office_from and self.office_until):
            raise ValidationError({"office_until": _("Plt. menjabat dalam tanggal tertentu: isi tanggal mulai dan selesai.")})
        if self.office_from and self.office_until and self.office_until < self.office_from:
            raise ValidationError({"office_until": _("Tanggal selesai menjabat tidak boleh sebelum tanggal mulai.")})
        if not self.acting and self.unit_id is not None:
            holders = Membership.objects.filter(unit_id=self.unit_id, office=self.office, acting=False).exclude(pk=self.pk)
            if self.office_until:
                holders = holders.filter(Q(office_from__isnull=True) | Q(office_from__lte=self.office_until))
            if self.office_from:
                holders = holders.filter(Q(office_until__isnull=True) | Q(office_until__gte=self.office_from))
            holder = holders.select_related("user").first()
            if holder is not None:
                raise ValidationError(
                    {"office": _("%(office)s di unit ini sudah dijabat %(user)s pada tanggal tersebut. Isi tanggal "
                                 "selesai menjabatnya dulu, atau angkat sebagai Plt.")
                     % {"office": self.get_office_display(), "user": holder.user.get_full_name() or holder.user}}
                )

    @property
    def signing_title(self):
        """The jabatan printed under a signature: "Plt." before an acting holder's."""
        title = self.title or (f"{self.get_office_display()} {self.unit}" if self.office else "")
        return f"Plt. {title}" if title and self.acting else title


def holds_office_on(day) -> Q:
    """Memberships whose office is held on `day`: dates are inclusive, a blank one is open."""
    return (
        ~Q(office="")
        & (Q(office_from__isnull=True) | Q(office_from__lte=day))
        & (Q(office_until__isnull=True) | Q(office_until__gte=day))
    )


def sop_models() -> dict[str, type["WorkflowRecord"]]:
    """The record model of each SOP app, by app label: every concrete WorkflowRecord.

    A model that extends WorkflowRecord and names its app's workflow is the
    app's one registration; everything else (the service choices, the start
    page, the SOP sheet) is found from here.
    """
    return {
        model._meta.app_label: model
        for model in apps.get_models()
        if issubclass(model, WorkflowRecord) and model.workflow is not None
    }


def sop_app_choices():
    return [(label, model.workflow.name) for label, model in sorted(sop_models().items())]


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

    @property
    def record_model(self):
        return sop_models().get(self.app)

    @property
    def workflow(self):
        model = self.record_model
        return model.workflow if model is not None else None


def access_for(user) -> Access:
    """What `user` holds: their memberships, the offices they hold today and the unit tree, read once per user
    object (per request)."""
    if not user.is_authenticated:
        return Access(user, [], OrgTree({}))
    if not hasattr(user, "_portal_access"):
        accesses_for([user])
    return user._portal_access


def accesses_for(users, tree=None) -> None:
    """access_for for many users at once: their memberships in one query and the unit tree once (or `tree`, read
    already; an account outside the agency, such as a faskes', is asked of the apps on its own)."""
    users = [user for user in users if user.is_authenticated and not hasattr(user, "_portal_access")]
    if not users:
        return
    rows = {user.pk: [] for user in users}
    for user_id, unit, role, office, in_office in Membership.objects.filter(user__in=users).annotate(
        in_office=ExpressionWrapper(holds_office_on(timezone.localdate()), output_field=models.BooleanField())
    ).values_list("user_id", "unit_id", "role__name", "office", "in_office"):
        rows[user_id].append((unit, role, office, in_office))
    for user in users:
        grants = [(unit, role) for unit, role, _office, _in_office in rows[user.pk]]
        offices = {(unit, office) for unit, _role, office, in_office in rows[user.pk] if in_office}
        if not grants:  # an external account (a faskes user) holds its role through its app, not a membership
            grants = [grant for model in sop_models().values() for grant in model.account_grants(user)]
        if grants and tree is None:
            tree = Unit.objects.tree()
        user._portal_access = Access(user, grants, tree if grants else OrgTree({}), offices)


class WorkflowRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The records `user` may see: portal.access decides, from unit, role and service."""
        return self.filter(access_for(user).record_filter(self.model))

    def open(self):
        return self.exclude(status__in=self.model.workflow.final_statuses)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class WorkflowRecord(models.Model):
    """Base of every SOP record: a status moved only by portal.services.

    A concrete subclass sets `workflow` to its app's Workflow declaration, and
    that is the app's registration as an SOP app (see sop_models).

    The record's history (django-simple-history) copies every field of the
    record into rows that outlive it: keep a person's identity off the record
    model, in a model of its own whose history and pages the app protects.
    """

    workflow = None
    # The app's pages, by URL name: the record's own (its pk), where a record of a service is started (the
    # service's slug) and the register of its records; "" for a page the app does not have.
    page_url_name = ""
    start_url_name = ""
    list_url_name = ""

    service = models.ForeignKey(Service, models.PROTECT, related_name="+", editable=False, verbose_name=_("layanan"))
    # The unit that handles the record: the service's unit or one below it (e.g. the UPTD of a kecamatan).
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", editable=False, verbose_name=_("unit"))
    # The engine's fields: moved by portal.services only, so no form may offer them.
    status = models.CharField(_("status"), max_length=40, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(_("status berubah"), default=timezone.now, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", editable=False,
        verbose_name=_("status diubah oleh"),
    )
    due_at = models.DateTimeField(_("batas waktu layanan"), null=True, blank=True, editable=False)
    step_due_at = models.DateTimeField(_("batas waktu langkah"), null=True, blank=True, editable=False)

    # Whether the public may start a record without signing in (portal.services.workflow_start with no actor).
    public_start = False
    # Whether the service has a standard of its own: a published Standar Pelayanan and SOP, the satisfaction survey
    # a completed record offers its person (portal.survey). False for what every standard promises inside it (the
    # complaint desk).
    own_standard = True

    objects = WorkflowRecordQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        indexes = [
            # Lists and worklists filter by unit or service and status, and sort by due time.
            models.Index(fields=["unit", "status", "due_at"], name="%(app_label)s_%(class)s_unit_st"),
            models.Index(fields=["service", "status", "due_at"], name="%(app_label)s_%(class)s_svc_st"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    def get_absolute_url(self):
        return reverse(self.page_url_name, args=[self.pk])

    @classmethod
    def get_start_url(cls, service):
        """The page where a new record of `service` is started; None until the app has one."""
        return reverse(cls.start_url_name, args=[service.slug]) if cls.start_url_name else None

    @classmethod
    def may_start(cls, service, user) -> bool:
        """Whether `user`, holding a start role, has something to start a record for (e.g. a faskes to ask for):
        the start page offers the start action only then."""
        return True

    @classmethod
    def get_list_url(cls, service):
        """The page listing the records of `service`; None until the app has one."""
        return reverse(cls.list_url_name) if cls.list_url_name else None

    @classmethod
    def handling_units(cls, service) -> set[int] | None:
        """The units below the service's unit whose members work in it (and those under them); None: every unit
        below. A role held in another unit below does not bring the service to its holder's start page."""
        return None

    @classmethod
    def account_grants(cls, user) -> list[tuple[int, str]]:
        """(unit id, role) pairs an account outside the agency holds through this app, e.g. a faskes account
        holds the Faskes role in its facility's agency. Asked only of users with no membership."""
        return []

    @classmethod
    def alerts(cls, service, user) -> list[tuple[str, str]]:
        """What must reach `user` at once on the start page for `service`, beside their worklist: (text, url) pairs,
        e.g. high-risk cases for the heads. Counted over what the user sees."""
        return []

    @classmethod
    def work_areas(cls, service, user) -> list[tuple[str, str]]:
        """The pages beside the records where `user` works for `service` (a storekeeper's warehouse), as (label,
        url) pairs: the start page links them, so each role reaches its work in one click."""
        return []

    # The role in which a user named on a record (`named_filter`) acts on it whatever units they belong to (a
    # social worker of another agency on a case's team); None: being named on a record gives no role.
    guest_role = None

    @classmethod
    def named_filter(cls, user) -> Q:
        """The records that name `user` as working on them (a case's active team): they read its identity
        (portal.identity) and, as `guest_role`, see it and take its steps from another unit."""
        return Q(pk__in=[])

    @classmethod
    def sop_start_step(cls, service) -> str:
        """For a workflow with several ways in (Workflow.start_steps) of which each service takes one: the way
        `service` takes, whose steps alone its SOP sheet prints (publications.steps.sheet_steps); "": every way."""
        return ""

    # Whether each record is about a person whose counts could single them out (a victim of violence): pages read
    # outside the handling team, such as the dashboards, print a count from 1 to 4 as "<5" (portal.small_counts).
    hides_small_counts = False
    # The queries of the register (`list_url_name`) that list its open records, the overdue ones, and those waiting
    # in one step ("{status}"), for the figures that link to them (portal.dashboards); a key left out: no such list.
    register_queries: dict = {}

    # The kind (portal.notifications.models.Kind) of every notification about these records, which each user
    # chooses how to be told of; "": a step, an approval, due soon or overdue, as the event is.
    notification_kind = ""

    @classmethod
    def reminders(cls, now) -> list:
        """What the app itself reminds of at the reminder round, beside its records' due times
        (portal.notifications.reminders): Reminder rows (users, kind, text, url, key), e.g. a faskes' monthly
        report due. Each key names its event, so a round that meets it again tells no one twice."""
        return []

    def outside_users(self):
        """The users who act on this record without a membership in its unit or above (a case's team from another
        agency, a faskes' accounts): portal.notifications tells them of its steps too. A queryset of users."""
        return get_user_model().objects.none()

    @classmethod
    def role_filter(cls, role, user):
        """A narrower filter for one role's view of the records (e.g. a faskes: its own rows); Q() for all."""
        return Q()

    @classmethod
    def actor_filter(cls, role, user, statuses=None):
        """The records on which `user`, holding `role`, may take the current step; Q() for all they see.

        A record may narrow who acts beyond the role (e.g. a case: only the team member assigned the
        step's function). The buttons, the worklist and the engine all read it. `statuses`: only records in
        these statuses are asked about, so the filter may leave the others out (None: any status).
        """
        return Q()

    def refuses_attachment(self, kind) -> str:
        """Why a document of `kind` may not be attached to this record, or "" (e.g. a photo the person refused)."""
        return ""

    # Hooks of portal.guarantee (a record past its time standard: its reason, the compensation, the notice).

    def contact_email(self) -> str:
        """The e-mail address of whoever asked for the record (a complainant), told of the compensation decided
        when the record missed its standard; "" when none is known."""
        return ""

    @classmethod
    def recorded_missed_reasons(cls, records) -> dict[int, str]:
        """The reasons the app itself keeps for records of `records` that passed their time standard ({pk: reason},
        one query for all of them; {} without such a field): shown instead of asking a second time."""
        return {}

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


def open_records_index(workflow, *fields, name):
    """An index of a record model's open records only (a partial index): the start page's worklists and the
    registers' default lists read open records in the index's order, never the closed ones of the years kept."""
    return models.Index(fields=list(fields), name=name, condition=~Q(status__in=workflow.final_statuses))


def next_number(series, *, lock, field="sequence") -> int:
    """The next number of a numbered series (`series`: its rows; `field`: their number), taken under a row lock
    on `lock`, the row that orders the series (a service, a warehouse), so two writers at once never take the
    same number. FOR NO KEY UPDATE: rows that only point at `lock` are not blocked. Inside transaction.atomic()."""
    type(lock).objects.select_for_update(no_key=True).filter(pk=lock.pk).values_list("pk").get()
    return (series.aggregate(last=Max(field))["last"] or 0) + 1


class YearNumbered(models.Model):
    """A workflow record numbered per service and year, e.g. 0012/2026: the number names no one, so it goes in
    URLs and file names where a person's name must not."""

    year = models.PositiveSmallIntegerField(_("tahun"), editable=False)
    sequence = models.PositiveIntegerField(_("nomor urut"), editable=False)

    class Meta:
        abstract = True

    @property
    def number(self):
        return f"{self.sequence:04d}/{self.year}"

    def take_number(self, year):
        """Give this new record the next number of its service's `year` (next_number: under its service's lock)."""
        series = type(self).objects.filter(service_id=self.service_id, year=year)
        self.year, self.sequence = year, next_number(series, lock=self.service)


class AppendOnlyQuerySet(models.QuerySet):
    """Rows written once and kept (an access log, a stock ledger): no update or delete of many rows at once."""

    def update(self, **kwargs):
        raise ValidationError(_("Catatan ini tidak dapat diubah; koreksi dicatat sebagai catatan baru."))

    def delete(self):
        raise ValidationError(_("Catatan ini tidak dapat dihapus."))


class AppendOnlyModel(models.Model):
    """A model whose rows are written once and never changed or deleted through Django."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:  # also a new object given an existing row's id
            raise ValidationError(_("Catatan ini tidak dapat diubah; koreksi dicatat sebagai catatan baru."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Catatan ini tidak dapat dihapus."))


# A person's facts as the population documents and the national reporting forms list them: a victim's, a PPKS
# person's.


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Disability(models.TextChoices):
    NONE = "tidak", _("Tidak ada")
    PHYSICAL = "fisik", _("Disabilitas fisik")
    INTELLECTUAL = "intelektual", _("Disabilitas intelektual")
    MENTAL = "mental", _("Disabilitas mental")
    SENSORY = "sensorik", _("Disabilitas sensorik")
    MULTIPLE = "ganda", _("Disabilitas ganda")


class MasterItem(models.Model):
    """An entry of an admin-kept list (kinds of violence, PPKS categories): records point at it, so one no longer
    used is deactivated, never deleted, and older records keep their words."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True, help_text=_("Yang tidak aktif tidak ditawarkan lagi."))

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


def master_items_create(app_label, lists, *, apps=apps, using="default"):
    """Add the missing first entries of an app's admin-kept lists ({model name: [(code, name)]}), after every
    migrate; an existing entry is left as the agency's Admin keeps it (renamed, reordered or deactivated)."""
    for model_name, rows in lists.items():
        model = apps.get_model(app_label, model_name)
        for order, (code, name) in enumerate(rows, start=1):
            model.objects.using(using).get_or_create(code=code, defaults={"name": name, "order": order})


class IdentityAccessLog(AppendOnlyModel):
    """Every view, print and export of a person's identity (UU 27/2022): append-only, also in the database, read
    by the heads.

    An app that keeps identities subclasses it with its record's foreign key.
    """

    class Action(models.TextChoices):
        VIEW = "lihat", _("Melihat identitas")
        REVEAL = "buka", _("Membuka identitas dengan alasan")
        EDIT = "ubah", _("Mengubah identitas")
        PRINT = "cetak", _("Mencetak dokumen")
        ATTACHMENT = "lampiran", _("Membuka lampiran")
        EXPORT = "ekspor", _("Mengekspor data")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("pengguna"))
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    action = models.CharField(_("tindakan"), max_length=10, choices=Action.choices)
    what = models.CharField(_("yang dibuka"), max_length=200, blank=True)
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]
        # As TransitionLog: on PostgreSQL no one changes or deletes an entry, from Django, the admin or SQL.
        triggers = [pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]


class TransitionLog(AppendOnlyModel):
    """One status change of a workflow record: append-only, like healthchecks' Flip, and on PostgreSQL a trigger
    refuses any change or deletion, from Django, the admin or an SQL console alike.

    `unit` is the record's, so the log can be scoped like the records without reading them.
    """

    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    transition = models.CharField(_("langkah"), max_length=80)
    from_status = models.CharField(_("dari status"), max_length=40, blank=True)
    to_status = models.CharField(_("ke status"), max_length=40)
    # None: the public, sending a form that starts a record (WorkflowRecord.public_start).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("pelaku")
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat langkah")
        verbose_name_plural = _("riwayat langkah")
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="transitionlog_record_at")]
        triggers = [pgtrigger.Protect(name="transitionlog_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


def private_storage():
    """Attachments live outside MEDIA_ROOT: they are served only by portal.views.attachment_download."""
    return storages["private"]


def attachment_path(attachment, filename):
    # A random name: nothing of the person or the document's title lands in the file system.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{attachment.content_type.app_label}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A document attached to a workflow record, e.g. an SPT or a signed SBBK."""

    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("jenis dokumen"), max_length=60)
    file = models.FileField(_("berkas"), upload_to=attachment_path, storage=private_storage)
    mime_type = models.CharField(_("jenis berkas"), max_length=100)
    # None: sent by the public with the form that started the record (WorkflowRecord.public_start).
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        indexes = [models.Index(fields=["content_type", "object_id", "kind"], name="attachment_record_kind")]

    def __str__(self):
        return f"{self.kind} {self.pk}"
