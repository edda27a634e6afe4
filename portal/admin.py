"""The admin site: master data kept by each agency's Admin, within its own units, without escalation.

A superuser sees and changes everything. A user holding the Admin role keeps
the units at and below its membership (UnitScopedAdmin): it lists, opens and
picks only those, manages the users whose every membership lies there, and
never touches superuser or staff status, groups or permissions, nor grants the
Admin role. Audit rows (the step history, attachments) are read-only for
everyone and shown as the records are (portal.access).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal import identity
from portal.models import (
    Attachment,
    DayOff,
    Desa,
    Kecamatan,
    Membership,
    Service,
    ServiceHours,
    TransitionLog,
    Unit,
    access_for,
    sop_models,
)
from portal.regions import REGENCY_CODE, RegionListError, import_regions, read_region_list
from portal.roles import Role

admin.site.site_header = _("Admin Portal Layanan")
admin.site.site_title = _("Admin Portal Layanan")
admin.site.index_title = _("Data induk")


def admin_units(request):
    """The units whose master data the user keeps; None for a superuser (all of them)."""
    if request.user.is_superuser:
        return None
    return access_for(request.user).units_where({Role.ADMIN})


def account_units(request):
    """The units whose accounts and roles an Admin keeps: its units, less those at or under a unit running a
    service whose records hold identities (the P2TP2A). Whoever sets the password of, or grants a role to, an
    account there reads victims' identities as that account: a superuser keeps them. None for a superuser.
    """
    units = admin_units(request)
    if units is None:
        return None
    protected, _above = identity.account_guard(access_for(request.user).tree)
    return units - protected


def head_units_kept_by_superuser(request) -> set[int]:
    """The units above an identity unit: a head's role there reveals identities, or heads their readers, so
    only a superuser grants it. Empty for a superuser."""
    if request.user.is_superuser:
        return set()
    return identity.account_guard(access_for(request.user).tree)[1]


def managed_users(request):
    """The users an Admin may manage: every membership in its units, no head's role above an identity unit, and
    no superuser or staff account."""
    users = User.objects.all()
    units = account_units(request)
    if units is None:
        return users
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    heads_above = memberships.filter(unit__in=head_units_kept_by_superuser(request), role__name__in=Role.HEADS)
    return (
        users.filter(Exists(memberships.filter(unit__in=units)), is_superuser=False, is_staff=False)
        .exclude(Exists(memberships.exclude(unit__in=units)))
        .exclude(Exists(heads_above))
    )


class OwnFiltersOnly:
    """Filters in the address only on the fields the list offers to filter by.

    Django's admin filters by any field of the model named in the address: `?reason__startswith=a` recovered a
    hidden reveal reason letter by letter, and `?password__startswith=` would give an account's hash.
    """

    def lookup_allowed(self, lookup, value, request):
        if not super().lookup_allowed(lookup, value, request):
            return False
        offered = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            if isinstance(item, (tuple, list)):
                item = item[0]
            if isinstance(item, str):
                offered.add(item.split(LOOKUP_SEP)[0])
        if lookup.split(LOOKUP_SEP)[0] in offered:
            return True
        # The popups of a foreign key's raw-id widget filter by its limit_choices_to.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            fk_lookup = fk_lookup() if callable(fk_lookup) else fk_lookup
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False


class ShortLists(OwnFiltersOnly):
    """Lists of 50 rows without a second count of the whole table.

    Each row of an admin list costs its widgets and links (about 0.3 ms), so 100 rows
    were most of a page's time; an agency pages through or searches its units and users.
    The "(n total)" link needs a count of every row besides the filtered one.
    """

    list_per_page = 50
    show_full_result_count = False


class UnitScopedAdmin(ShortLists, SimpleHistoryAdmin):
    """Rows and choices limited to the units the Admin keeps."""

    unit_path = "unit"  # the lookup from this model to the Unit that owns it
    # No bulk actions: deleting master data in bulk is never what an agency means, and the
    # checkbox column costs a form widget per row (a quarter of a 100-row list's time).
    actions = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        units = admin_units(request)
        return queryset if units is None else queryset.filter(self.scope(units))

    def scope(self, units):
        """The rows of these units; a model owned in more than one way says so here."""
        return Q(**{f"{self.unit_path}__in": units})

    def _refuse_out_of_scope(self, request, object_id):
        # simple-history's views look the object up beside get_queryset (its history of a deleted row,
        # a version to revert to), so they are held to the scope here.
        if admin_units(request) is not None and not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_out_of_scope(request, object_id)
        if not hasattr(self.model, "history"):  # a model without simple-history: Django's own log of admin changes
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._refuse_out_of_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = admin_units(request)
        if units is not None and db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.filter(pk__in=units)
            kwargs["required"] = True  # a row without a unit would belong to every agency
        if units is not None and db_field.related_model is Service:
            kwargs["queryset"] = Service.objects.filter(unit__in=units)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def named_inputs(formset, row_name=None):
    """`formset` whose inputs carry their field's label, and `row_name(form)` if given, as aria-label.

    Django's tabular inlines and editable lists label only the columns, so a screen reader (and axe: WCAG 1.3.1,
    4.1.2) meets rows of unnamed inputs and checkboxes.
    """

    class NamedFormSet(formset):
        def add_fields(self, form, index):
            super().add_fields(form, index)  # the deletion checkbox is added here
            suffix = f" {row_name(form)}" if row_name else ""
            for field in form.fields.values():
                widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-object links
                widget.attrs.setdefault("aria-label", f"{capfirst(field.label or '')}{suffix}")

    return NamedFormSet


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        return named_inputs(super().get_formset(request, obj, **kwargs))


class ServiceHoursInline(LabelledTabularInline):
    model = ServiceHours
    extra = 0


@admin.register(Unit)
class UnitAdmin(UnitScopedAdmin):
    unit_path = "pk"
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "code"]
    inlines = [ServiceHoursInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent"]}),
        (_("Kop surat"), {"fields": ["government_name", "agency_name", "address", "phone", "fax", "email", "website", "logo"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The Admin's own unit stays where the superuser put it: moving it would move the Admin's reach. A unit at,
        # under or above one running a service with identities stays too: moving it would change who reads them
        # (portal.identity).
        if obj is not None and not request.user.is_superuser:
            member_of = {unit for unit, role in access_for(request.user).grants if role == Role.ADMIN}
            protected, above = identity.account_guard(access_for(request.user).tree)
            if obj.pk in member_of or obj.pk in protected or obj.pk in above:
                return ["parent"]
        return []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and not request.user.is_superuser:
            # A new unit under one running a service with identities would hold accounts that read them.
            field.queryset = field.queryset.filter(pk__in=account_units(request))
        return field


@admin.register(DayOff)
class DayOffAdmin(UnitScopedAdmin):
    list_display = ["date", "name", "unit"]
    list_filter = ["unit"]
    date_hierarchy = "date"


class MembershipForm(forms.ModelForm):
    """A role in a unit, and the office it carries. For an Admin, never one that reads or reveals identities:
    its admin sets `head_units_refused` (head_units_kept_by_superuser) and offers only account_units."""

    head_units_refused = frozenset()

    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "title", "nip", "office", "acting", "office_from", "office_until"]

    def clean(self):
        data = super().clean()
        self.clean_role_in_unit(data.get("unit"), data.get("role"), self.head_units_refused)
        return data

    @staticmethod
    def clean_role_in_unit(unit, role, head_units_refused):
        if unit is not None and role is not None and role.name in Role.HEADS and unit.pk in head_units_refused:
            raise forms.ValidationError(
                _("Peran pimpinan di %(unit)s diberikan oleh superuser: pemegangnya dapat membuka identitas korban "
                  "atau PPKS di unit di bawahnya.") % {"unit": unit}
            )


def membership_form(request, form=MembershipForm):
    return type(form.__name__, (form,), {"head_units_refused": frozenset(head_units_kept_by_superuser(request))})


def roles_an_admin_grants():
    return Group.objects.filter(name__in=Role.ALL).exclude(name=Role.ADMIN)


@admin.register(Membership)
class MembershipAdmin(UnitScopedAdmin):
    form = MembershipForm
    list_display = ["user", "role", "unit", "title", "office"]
    list_filter = ["role", "unit", "office"]
    list_select_related = ["user", "role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "nip"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Who holds the Admin role, the roles in a unit that reads identities and the heads above one are the
        # superuser's to decide.
        heads_above = Q(unit__in=head_units_kept_by_superuser(request), role__name__in=Role.HEADS)
        return queryset.exclude(role__name=Role.ADMIN).exclude(heads_above).filter(unit__in=account_units(request))

    def get_form(self, request, obj=None, **kwargs):
        return super().get_form(request, obj, **{**kwargs, "form": membership_form(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "unit":
                formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
                formfield.queryset = Unit.objects.filter(pk__in=account_units(request))
                return formfield
            if db_field.name == "role":
                kwargs["queryset"] = roles_an_admin_grants()
            elif db_field.name == "user":
                kwargs["queryset"] = managed_users(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Service)
class ServiceAdmin(UnitScopedAdmin):
    """A service's unit and app decide whose records it is and who reads them: an Admin names the unit of a new
    service of an app without identities, and changes neither afterwards; a service whose records keep
    identities is the superuser's (portal.identity)."""

    list_display = ["name", "unit", "app"]
    list_select_related = ["unit"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return []
        return ["unit", "app"] if obj.app in identity.identity_apps() else ["app"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "app" and not request.user.is_superuser and field is not None:
            refused = set(identity.identity_apps())
            field.choices = [(value, label) for value, label in field.choices if value not in refused]
        return field

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and obj.app in identity.identity_apps():
            return False
        return super().has_delete_permission(request, obj)


def regencies_over(units):
    """The government units at or above `units`: the regencies whose kecamatan lists the Admin of `units` keeps."""
    tree = Unit.objects.tree()
    chain = {above for unit in units for above in tree.above(unit)}
    return Unit.objects.filter(pk__in=chain, kind=Unit.Kind.GOVERNMENT)


class DesaInline(LabelledTabularInline):
    model = Desa
    fields = ["name", "code"]
    extra = 0


class RegionImportForm(forms.Form):
    regency = forms.ModelChoiceField(Unit.objects.none(), label=_("pemerintah kabupaten/kota"))
    regency_code = forms.RegexField(
        REGENCY_CODE, label=_("kode wilayah kabupaten/kota"), max_length=5,
        help_text=_("Dua angka provinsi dan dua angka kabupaten/kota, misalnya 32.07 untuk Kabupaten Ciamis."),
        error_messages={"invalid": _("Tulis kode seperti 32.07.")},
    )
    file = forms.FileField(
        label=_("berkas kode wilayah"),
        help_text=_("CSV (dipisah koma atau titik koma) dengan kolom kode dan nama, seperti daftar kode wilayah "
                    "Kemendagri: seluruh Indonesia atau satu kabupaten/kota. Hanya baris kabupaten/kota yang dipilih "
                    "yang diambil."),
    )

    def __init__(self, regencies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies
        only = list(regencies[:2])
        if len(only) == 1:  # the usual case: an agency's Admin keeps one regency's list
            self.fields["regency"].initial = only[0]
            known = Kecamatan.objects.filter(regency=only[0]).exclude(code="").values_list("code", flat=True).first()
            self.fields["regency_code"].initial = (known or "")[:5]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["regions"] = read_region_list(data["file"], data["regency_code"])
        except RegionListError as error:
            raise forms.ValidationError(error.errors) from None
        return data


@admin.register(Kecamatan)
class KecamatanAdmin(UnitScopedAdmin):
    """A regency's kecamatan and their desa, kept by the Admin of an agency of that regency.

    The list belongs to the regency (the government unit above the agencies), so every agency's
    addresses, registers and recaps use the same one. It is filled from Kemendagri's list of kode
    wilayah (portal.regions) or by hand.
    """

    list_display = ["name", "code", "desa_count", "regency"]
    list_select_related = ["regency"]
    search_fields = ["name", "code"]
    inlines = [DesaInline]
    change_list_template = "admin/portal/kecamatan/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(desa_count=Count("desa_set"))

    @admin.display(description=_("desa/kelurahan"), ordering="desa_count")
    def desa_count(self, kecamatan):
        return kecamatan.desa_count

    def scope(self, units):
        return Q(regency__in=regencies_over(units))

    def regencies(self, request):
        units = admin_units(request)
        return regencies_over(units) if units is not None else Unit.objects.filter(kind=Unit.Kind.GOVERNMENT)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "regency" and admin_units(request) is not None:
            # The regency lies above the Admin's own units, which are all UnitScopedAdmin offers.
            field.queryset = self.regencies(request)
        return field

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request) and request.user.has_perms(
            ["portal.add_desa", "portal.change_desa"]
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"may_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("impor/", view, name="portal_kecamatan_import"), *super().get_urls()]

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = RegionImportForm(self.regencies(request), request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                counts, touched = import_regions(form.cleaned_data["regency"], form.cleaned_data["regions"])
            except RegionListError as error:
                form.add_error(None, error.errors)
            except IntegrityError:  # another change to the same names between reading and writing
                form.add_error(None, gettext("Impor dibatalkan: data kecamatan berubah selama impor. Coba lagi."))
            else:
                message = counts.summary(form.cleaned_data["regency"])
                if touched:
                    LogEntry.objects.log_actions(request.user.pk, touched, CHANGE, message)
                messages.success(request, message)
                return HttpResponseRedirect(reverse("admin:portal_kecamatan_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Impor kode wilayah Kemendagri"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/portal/kecamatan/import.html", context)


class NoWrites:
    """Rows the portal writes itself (an audit trail): shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MasterItemAdmin(ShortLists, admin.ModelAdmin):
    """An admin-kept list (portal.models.MasterItem): who may change it is the role's permission."""

    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    actions = None

    def get_changelist_formset(self, request, **kwargs):
        return named_inputs(super().get_changelist_formset(request, **kwargs), row_name=lambda form: form.instance)

    def has_delete_permission(self, request, obj=None):
        # Records point at these entries: one no longer used is deactivated, so older records keep their words.
        return False


class IdentityAccessLogAdmin(NoWrites, ShortLists, admin.ModelAdmin):
    """Who opened which record's identity (portal.models.IdentityAccessLog), for the Admin of the record's units.

    It names the record by its number (`record_field`: the log's foreign key to it) and never the person; the
    reason given is left out too, since a reason may name a person.
    """

    record_field = None
    list_display = ["at", "user", "record_number", "action", "what"]
    list_filter = ["action"]
    date_hierarchy = "at"
    fields = ["at", "user", "record_number", "action", "what"]
    readonly_fields = fields
    actions = None

    def get_queryset(self, request):
        # The Admin role sees no record (it is no executor of the workflow), so the log is held to its units,
        # not to the records it sees as the step history is.
        queryset = super().get_queryset(request).select_related(self.record_field, "user")
        units = admin_units(request)
        return queryset if units is None else queryset.filter(unit__in=units)

    @admin.display(description=_("nomor"))
    def record_number(self, log):
        record = getattr(log, self.record_field)
        return record.number if record else "-"


class ReadOnlyAdmin(NoWrites, ShortLists, admin.ModelAdmin):
    """Audit rows are written by the engine only, and shown as their records are."""

    list_select_related = ["content_type"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        access = access_for(request.user)
        visible = Q(pk__in=[])
        for model in sop_models().values():
            units = access.units_where(model.workflow.access_roles)
            visible |= Q(content_type=ContentType.objects.get_for_model(model), unit__in=units)
        return queryset.filter(visible)


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "content_type", "object_id", "unit", "from_status", "to_status", "actor"]
    list_filter = ["content_type"]
    list_select_related = ["content_type", "unit", "actor"]
    date_hierarchy = "at"
    # A note may name a victim: it is read on the record's page, where the record decides who may.
    exclude = ["note"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["uploaded_at", "content_type", "object_id", "unit", "kind", "uploaded_by"]
    list_select_related = ["content_type", "unit", "uploaded_by"]
    exclude = ["file"]  # downloaded through the record's page, where access is checked and logged


class MembershipInline(LabelledTabularInline):
    model = Membership
    form = MembershipForm
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, **{**kwargs, "form": membership_form(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = account_units(request)
        if units is not None:
            if db_field.name == "unit":
                kwargs["queryset"] = Unit.objects.filter(pk__in=units)
            elif db_field.name == "role":
                kwargs["queryset"] = roles_an_admin_grants()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NewUserForm(AdminUserCreationForm):
    """A new account, and for an Admin its first role in one of its units (so it stays in the Admin's reach)."""

    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit"))
    role = forms.ModelChoiceField(Group.objects.none(), label=_("Peran"))
    head_units_refused = frozenset()

    def clean(self):
        data = super().clean()
        MembershipForm.clean_role_in_unit(data.get("unit"), data.get("role"), self.head_units_refused)
        return data


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The roles' groups, kept by a superuser (their permissions come from portal.roles on every migrate)."""

    filter_horizontal = ()  # as PortalUserAdmin's


@admin.register(User)
class PortalUserAdmin(ShortLists, UserAdmin):
    inlines = [MembershipInline]
    actions = None  # an account is deactivated, not deleted in bulk
    readonly_fields = ["last_login", "date_joined"]  # the portal writes them; nobody edits them
    # A superuser's plain lists of groups and permissions: Django's two-box filter names a non-interactive icon
    # (axe aria-prohibited-attr).
    filter_horizontal = ()
    # Only a superuser sees, and so may change, these.
    ESCALATING_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_queryset(self, request):
        return managed_users(request) if not request.user.is_superuser else super().get_queryset(request)

    def get_inlines(self, request, obj):
        # A new account gets its roles on the change page that follows (an Admin picks its first one in the form).
        return self.inlines if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        if obj is None:
            return [(None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2", "unit", "role"]})]
        kept = []
        for name, options in fieldsets:
            fields = [f for f in options["fields"] if f not in self.ESCALATING_FIELDS]
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = membership_form(request, NewUserForm)
        form = super().get_form(request, obj, **kwargs)
        if obj is None and not request.user.is_superuser:
            form.base_fields["unit"].queryset = Unit.objects.filter(pk__in=account_units(request))
            form.base_fields["role"].queryset = roles_an_admin_grants()
        return form

    def get_list_display(self, request):
        # An Admin's users are never staff: the column would only ever say no.
        return ("username", "first_name", "last_name", "email") if not request.user.is_superuser else self.list_display

    def get_list_filter(self, request):
        return ["is_active"] if not request.user.is_superuser else super().get_list_filter(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and "unit" in form.cleaned_data:
            Membership.objects.create(user=obj, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"])
