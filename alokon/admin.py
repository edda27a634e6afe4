"""The admin of ALOKON: the agency's faskes and their logins, the national item list, and the ledger, read only.

An agency's Admin keeps its own faskes (by hand, or a CSV/XLSX list checked in
a dry run before anything is saved) and the faskes' logins. The item list is
the same for every agency: a superuser keeps it. The ledger (receipts,
movements, balances, closed months, lots) is written by alokon.services only:
the admin shows it and writes none of it; a correction is a reversing movement.
Distributions, monthly reports and stock counts move through the app's own
pages, where their steps are checked, and are not in the admin at all.
"""

import os

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.instance_loaders import CachedInstanceLoader
from openpyxl import Workbook
from openpyxl.styles import Font

from alokon.models import (
    ClosedPeriod,
    Facility,
    FacilityAccount,
    Item,
    Lot,
    Movement,
    Receipt,
    StockBalance,
)
from portal.access import OrgTree
from portal.admin import NoWrites, UnitScopedAdmin, admin_units, regencies_over
from portal.exports import append_row, csv_text, formula_refusal, workbook_bytes
from portal.models import Kecamatan, Membership, Unit


def warehouses(request):
    """The agencies whose faskes this user keeps: a faskes belongs to the agency whose warehouse supplies it."""
    agencies = Unit.objects.filter(kind=Unit.Kind.AGENCY)
    units = admin_units(request)
    return agencies if units is None else agencies.filter(pk__in=units)


def only_warehouse(request):
    """The agency an Admin of one agency keeps faskes for, offered first; None when there is a choice."""
    agencies = list(warehouses(request)[:2])
    return agencies[0] if len(agencies) == 1 else None


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """The national list of contraceptive items: every agency's stock and reports count by it, so an agency's
    Admin reads it and a superuser keeps it (the permission says which). An item no longer supplied is
    deactivated: lots, the ledger and reports point at it."""

    list_display = ["name", "code", "method", "unit_of_issue", "pack_size", "tracks_lots", "is_active"]
    list_filter = ["method", "is_active"]
    search_fields = ["name", "code"]
    list_per_page = 50
    actions = None

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Every recorded quantity is counted in these: once an item has a lot (stock was received), changing
        # them would change what the past ledger means. A new packaging is a new item.
        if obj is not None and obj.lots.exists():
            return ["unit_of_issue", "pack_size", "tracks_lots"]
        return []


# The faskes list, imported and exported as a spreadsheet.

FACILITY_COLUMNS = ("registration_number", "name", "kind", "kecamatan", "uptd", "mkjp_mou", "is_active")
YES_NO = {"ya": True, "tidak": False, "1": True, "0": False, "true": True, "false": False}


def cell_text(value) -> str:
    """A spreadsheet cell as text: XLSX gives numbers (32070801, 1.0) and booleans where the file means words."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def checked_text(value) -> str:
    """cell_text, refused (ValueError, shown on the row) where it would start a formula in the exported list."""
    text = cell_text(value)
    refusal = formula_refusal(text)
    if refusal:
        raise ValueError(refusal)
    return text


def yes_no(value):
    return "ya" if value else "tidak"  # a value of the file, read back the same in any language


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return checked_text(value)


class NamedValueWidget(widgets.Widget):
    """A cell naming one of a known set of values by any of its names, in any case: a kind by its code or its
    label, a kecamatan by its name. `names` maps each accepted name (casefolded) to its value; `show` writes a
    value back for the export and the preview; `unknown(text)` says what is wrong with a name not in `names`.
    """

    def __init__(self, names, *, show, unknown, required=False):
        super().__init__()
        self.names = names
        self.show = show
        self.unknown = unknown
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = checked_text(value)
        if not text:
            if self.required:
                raise ValueError(gettext("Wajib diisi."))
            return None  # no UPTD; a yes/no field that saves no None keeps its value (a new faskes: the default)
        try:
            return self.names[text.casefold()]
        except KeyError:
            raise ValueError(self.unknown(text)) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value in (None, "") else self.show(value)  # a new faskes has no kind yet: ""


class FacilityResource(resources.ModelResource):
    """The faskes list as a file: one row per faskes, matched by its registration number.

    The agency is the one chosen in the import form (FacilityAdmin offers only the Admin's own), never a column
    of the file. A number that belongs to another agency's faskes is an error: that faskes is not this agency's
    to change, and the file may not take it over.
    """

    registration_number = Field("registration_number", "registration_number", widget=TextWidget())
    name = Field("name", "name", widget=TextWidget())
    kind = Field("kind", "kind")
    kecamatan = Field("kecamatan", "kecamatan")
    uptd = Field("uptd", "uptd")
    # A blank cell leaves the value as it is (a new faskes: no MoU, active), rather than switching it off.
    mkjp_mou = Field("mkjp_mou", "mkjp_mou", saves_null_values=False)
    is_active = Field("is_active", "is_active", saves_null_values=False)

    class Meta:
        model = Facility
        fields = FACILITY_COLUMNS
        import_id_fields = ("registration_number",)
        instance_loader_class = CachedInstanceLoader  # the file's faskes in one query
        clean_model_instances = True  # the model's own checks too: the number's format, the name's length
        skip_unchanged = True

    def __init__(self, unit=None, **kwargs):
        super().__init__(**kwargs)
        self.unit = unit  # the importing agency; None when exporting
        kinds = {}
        for code, label in Facility.Kind.choices:
            kinds[code] = code
            kinds[str(label).casefold()] = code
        labels = ", ".join(str(label) for label in Facility.Kind.labels)
        self.fields["kind"].widget = NamedValueWidget(
            kinds, required=True, show=lambda code: str(Facility.Kind(code).label),
            unknown=lambda text: gettext("Jenis faskes tidak dikenal: %(value)s. Tulis salah satu: %(kinds)s.")
            % {"value": text, "kinds": labels},
        )
        for name in ("mkjp_mou", "is_active"):
            self.fields[name].widget = NamedValueWidget(
                YES_NO, show=yes_no,
                unknown=lambda text: gettext("Isi ya atau tidak, bukan %(value)s.") % {"value": text},
            )
        # Filled by before_import, from the importing agency's regency and units.
        self.fields["kecamatan"].widget = NamedValueWidget(
            {}, required=True, show=lambda kecamatan: kecamatan.name,
            unknown=lambda text: gettext("Kecamatan %(value)s tidak ada di kabupaten dinas ini.") % {"value": text},
        )
        self.fields["uptd"].widget = NamedValueWidget(
            {}, show=lambda unit: unit.code,
            unknown=lambda text: gettext("UPTD %(value)s tidak dikenal: tulis kode atau nama UPTD dinas ini.")
            % {"value": text},
        )
        self.first_rows = {}  # registration number: the first row of the file that names it
        self.foreign_numbers = set()  # numbers of the file that belong to another agency's faskes

    def get_queryset(self):
        # Rows are matched within the importing agency only: another agency's faskes is never loaded, shown in
        # the preview's "before" column, or changed.
        return Facility.objects.filter(unit=self.unit).select_related("kecamatan", "uptd")

    def before_import(self, dataset, **kwargs):
        """Read once what every row is checked against, and refuse a file without the columns."""
        missing = [column for column in FACILITY_COLUMNS if column not in (dataset.headers or [])]
        if missing:
            message = gettext("Kolom berikut tidak ada di baris pertama berkas: %(columns)s.")
            raise ValueError(message % {"columns": ", ".join(missing)})
        kecamatan = Kecamatan.objects.filter(regency__in=regencies_over([self.unit.pk]))
        self.fields["kecamatan"].widget.names = {k.name.casefold(): k for k in kecamatan}
        tree = OrgTree(dict(Unit.objects.values_list("pk", "parent_id")))
        uptds = list(Unit.objects.filter(pk__in=tree.below([self.unit.pk]), kind=Unit.Kind.TECHNICAL_UNIT))
        names = [unit.name.casefold() for unit in uptds]
        # By name only where the name is the agency's one UPTD of that name; by code always.
        by_name = {unit.name.casefold(): unit for unit in uptds if names.count(unit.name.casefold()) == 1}
        self.fields["uptd"].widget.names = {**by_name, **{unit.code.casefold(): unit for unit in uptds}}
        numbers = [cell_text(value) for value in dataset["registration_number"]]
        for row_number, number in enumerate(numbers, 1):
            self.first_rows.setdefault(number, row_number)
        self.foreign_numbers = set(
            Facility.objects.filter(registration_number__in=numbers)
            .exclude(unit=self.unit)
            .values_list("registration_number", flat=True)
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        number, row_number = instance.registration_number, kwargs["row_number"]
        if number in self.foreign_numbers:
            errors.setdefault("registration_number", []).append(ValidationError(
                gettext("Nomor %(number)s terdaftar untuk faskes dinas lain: faskes itu tidak dapat diubah dari sini.")
                % {"number": number}
            ))
        elif number and self.first_rows.get(number, row_number) != row_number:
            errors.setdefault("registration_number", []).append(ValidationError(
                gettext("Nomor %(number)s sudah ada di baris %(row)s berkas ini.")
                % {"number": number, "row": self.first_rows[number]}
            ))
        instance.unit = self.unit
        if errors:
            raise ValidationError(errors)


class FacilityImportForm(ImportForm):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Dinas pemilik faskes"))


class FacilityConfirmImportForm(ConfirmImportForm):
    # Posted back from the preview, so checked again against the Admin's own agencies.
    unit = forms.ModelChoiceField(Unit.objects.none(), widget=forms.HiddenInput)


# The files are written through portal.exports, never by django-import-export itself: its guard
# (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) removes one leading "=" and nothing else, so "==1+1" still exports as a
# formula, "+", "-" and "@" pass untouched, and a name that began with "=" would come back from the file renamed.


class SpreadsheetCSV(base_formats.CSV):
    """CSV as Excel saves it here too: with an Indonesian locale its separator is a semicolon."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode(self.encoding) if isinstance(in_stream, bytes) and self.encoding else in_stream
        header = text.split("\n", 1)[0]
        if ";" in header and "," not in header:
            kwargs.setdefault("delimiter", ";")
        return super().create_dataset(text, **kwargs)

    def export_data(self, dataset, **kwargs):
        return csv_text([dataset.headers, *dataset])


class SpreadsheetXLSX(base_formats.XLSX):
    """XLSX, every text a string cell (portal.exports.append_row), the header row bold and kept in view."""

    def export_data(self, dataset, **kwargs):
        workbook = Workbook()
        sheet = workbook.active
        for row in [dataset.headers, *dataset]:
            append_row(sheet, row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        return workbook_bytes(workbook)


# Preview files the user's own dry runs checked: the confirm step posts a file name back.
IMPORT_FILES_SESSION_KEY = "alokon_facility_import_files"


class FacilityForm(forms.ModelForm):
    def clean_name(self):
        # Refused as the import refuses it: a faskes' name is written into every file of the faskes.
        refusal = formula_refusal(self.cleaned_data["name"])
        if refusal:
            raise ValidationError(refusal)
        return self.cleaned_data["name"]


@admin.register(Facility)
class FacilityAdmin(ImportExportMixin, UnitScopedAdmin):
    """The agency's faskes. A faskes that closes is deactivated, never deleted: distributions, reports and the
    ledger point at it."""

    list_display = ["name", "registration_number", "kind", "kecamatan", "uptd", "mkjp_mou", "is_active"]
    list_filter = ["kind", ("kecamatan", admin.RelatedOnlyFieldListFilter), "is_active", "mkjp_mou"]
    list_select_related = ["kecamatan", "uptd"]
    search_fields = ["name", "registration_number"]
    fields = ["unit", "registration_number", "name", "kind", "kecamatan", "uptd", "mkjp_mou", "is_active"]
    form = FacilityForm

    resource_classes = [FacilityResource]
    import_formats = export_formats = [SpreadsheetCSV, SpreadsheetXLSX]
    import_form_class = FacilityImportForm
    confirm_form_class = FacilityConfirmImportForm
    export_form_class = ExportForm  # every column, always: an exported list imports again as it is

    def get_list_display(self, request):
        # A superuser sees every agency's faskes.
        return [*self.list_display, "unit"] if request.user.is_superuser else self.list_display

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return {"unit": only_warehouse(request), **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = admin_units(request)
        if db_field.name == "kecamatan" and units is not None:
            kwargs["queryset"] = Kecamatan.objects.filter(regency__in=regencies_over(units))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit":
            field.queryset = warehouses(request)
        if db_field.name == "uptd":
            field.required = False  # UnitScopedAdmin requires its units; a faskes need not be under a UPTD
        return field

    # Import: only for who may add and change faskes (django-import-export allows any staff by default).

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.fields["unit"].queryset = warehouses(request)
        return form

    def get_import_form_initial(self, request):
        return {"unit": only_warehouse(request)}

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        form.fields["unit"].queryset = warehouses(request)
        if import_form is not None:
            checked = request.session.get(IMPORT_FILES_SESSION_KEY, [])
            name = os.path.basename(form.initial["import_file_name"])
            request.session[IMPORT_FILES_SESSION_KEY] = [*checked[-9:], name]
        return form

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["unit"] = import_form.cleaned_data["unit"].pk
        return initial

    def process_import(self, request, **kwargs):
        # The confirm step reads the file back from the temporary folder by the name it posts, and then removes
        # it: only a file this user's own dry run checked, never another user's upload or any other file there.
        name = os.path.basename(request.POST.get("import_file_name", ""))
        if name not in request.session.get(IMPORT_FILES_SESSION_KEY, []):
            raise PermissionDenied
        return super().process_import(request, **kwargs)

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        return {"unit": getattr(form, "cleaned_data", {}).get("unit")}

    def get_import_data_kwargs(self, **kwargs):
        # The preview was clean, but a row may have become wrong since (another agency registered the number):
        # then nothing is saved, rather than the rest of the file without it.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, gettext(
                "Impor dibatalkan, tidak ada yang disimpan: data berubah sejak pratinjau. "
                "Unggah berkas itu lagi untuk melihat barisnya."
            ))
            return HttpResponseRedirect(reverse("admin:alokon_facility_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        messages.success(request, gettext(
            "Impor faskes selesai: %(new)d baru, %(updated)d diperbarui, %(skipped)d tidak berubah."
        ) % {"new": result.totals["new"], "updated": result.totals["update"], "skipped": result.totals["skip"]})


# A faskes' login.


def free_users():
    """Accounts that may become a faskes login: no role in any unit, no other faskes, no staff status."""
    return User.objects.filter(is_active=True, is_staff=False, is_superuser=False).exclude(
        Exists(Membership.objects.filter(user=OuterRef("pk")))
    ).exclude(Exists(FacilityAccount.objects.filter(user=OuterRef("pk"))))


class NewFacilityAccountForm(forms.ModelForm):
    """A faskes login: a new account with its password, or an existing account that holds no role."""

    username = forms.CharField(
        label=_("nama pengguna baru"), required=False, max_length=150,
        validators=User._meta.get_field("username").validators,
    )
    password1 = forms.CharField(label=_("kata sandi"), required=False, strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("ulangi kata sandi"), required=False, strip=False, widget=forms.PasswordInput)

    class Meta:
        model = FacilityAccount
        fields = ["facility", "user", "username", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].required = False
        self.fields["user"].label = _("atau pengguna yang sudah ada")
        self.fields["user"].help_text = _("Hanya akun tanpa peran di unit mana pun dan tanpa akun faskes lain.")

    def clean(self):
        data = super().clean()
        user, username = data.get("user"), data.get("username")
        if user is not None and (username or data.get("password1")):
            raise ValidationError(_("Pilih pengguna yang sudah ada, atau buat pengguna baru; tidak keduanya."))
        if user is None and "user" not in self.errors and not username:
            raise ValidationError(_("Isi nama pengguna baru dan kata sandinya, atau pilih pengguna yang sudah ada."))
        if username:
            if User.objects.filter(username__iexact=username).exists():
                self.add_error("username", _("Nama pengguna ini sudah dipakai."))
            if data.get("password1") != data.get("password2"):
                self.add_error("password2", _("Kedua kata sandi tidak sama."))
            elif not data.get("password1"):
                self.add_error("password1", _("Isi kata sandi akun baru."))
            else:
                try:
                    password_validation.validate_password(data["password1"], User(username=username))
                except ValidationError as error:
                    self.add_error("password1", error)
        return data


class FacilityAccountForm(forms.ModelForm):
    is_active = forms.BooleanField(
        label=_("aktif"), required=False,
        help_text=_("Akun nonaktif tidak dapat masuk. Akun faskes dinonaktifkan, tidak dihapus."),
    )

    class Meta:
        model = FacilityAccount
        fields = ["facility", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active"].initial = self.instance.user.is_active


class FacilityPasswordForm(AdminPasswordChangeForm):
    """A new password for a faskes login. Password sign-in stays on: a login that must stop is deactivated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True


@admin.register(FacilityAccount)
class FacilityAccountAdmin(UnitScopedAdmin):
    """The logins of the agency's faskes. A faskes account holds no role (no Membership): it reaches only its
    own faskes' rows (Distribution.role_filter). A login is deactivated, not deleted."""

    unit_path = "facility__unit"
    list_display = ["user", "facility", "user_is_active", "user_last_login"]
    list_select_related = ["user", "facility"]
    list_filter = ["user__is_active"]
    search_fields = ["user__username", "facility__name", "facility__registration_number"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # An account that has been given a role or staff status since is the superuser's: its reach is no
        # longer one faskes.
        return queryset.filter(user__is_staff=False, user__is_superuser=False).exclude(
            Exists(Membership.objects.filter(user=OuterRef("user")))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["facility", "user", "username", "password1", "password2"]
        return ["user", "password", "facility", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "password"] if obj is not None else []

    @admin.display(description=_("kata sandi"))
    def password(self, account):
        url = reverse("admin:alokon_facilityaccount_password", args=[account.pk])
        return format_html('<a href="{}">{}</a>', url, _("Atur kata sandi baru"))

    def get_urls(self):
        # The agency's Admin keeps its faskes' logins here: the user admin is for the agency's own staff
        # (a faskes login holds no membership there), so a forgotten password is reset on the account's page.
        password = self.admin_site.admin_view(self.password_change)
        return [path("<path:object_id>/kata-sandi/", password, name="alokon_facilityaccount_password")] + super().get_urls()

    def password_change(self, request, object_id):
        account = self.get_object(request, unquote(object_id))  # scoped: another agency's login is missing
        if account is None:
            raise Http404
        if not self.has_change_permission(request, account):
            raise PermissionDenied
        form = FacilityPasswordForm(account.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            self.log_change(request, account, [{"changed": {"fields": [gettext("kata sandi")]}}])
            messages.success(request, gettext("Kata sandi %(user)s sudah diganti.") % {"user": account.user})
            return HttpResponseRedirect(reverse("admin:alokon_facilityaccount_change", args=[account.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Kata sandi baru: %(user)s") % {"user": account.user},
            "opts": self.opts,
            "original": account,
            "form": form,
        }
        return TemplateResponse(request, "admin/alokon/facilityaccount/password.html", context)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = NewFacilityAccountForm if obj is None else FacilityAccountForm
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = admin_units(request)
        if db_field.name == "facility" and units is not None:
            kwargs["queryset"] = Facility.objects.filter(unit__in=units)
        if db_field.name == "user":
            kwargs["queryset"] = free_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "user":
            # No "+" to the user admin: an account made there gets a role, which a faskes login must not hold.
            widget = field.widget
            widget.can_add_related = widget.can_change_related = widget.can_view_related = False
        return field

    def save_model(self, request, obj, form, change):
        if not change and obj.user_id is None:
            obj.user = User.objects.create_user(form.cleaned_data["username"], password=form.cleaned_data["password1"])
        if change and "is_active" in form.changed_data:
            obj.user.is_active = form.cleaned_data["is_active"]
            obj.user.save(update_fields=["is_active"])
        super().save_model(request, obj, form, change)

    @admin.display(description=_("aktif"), boolean=True, ordering="user__is_active")
    def user_is_active(self, account):
        return account.user.is_active

    @admin.display(description=_("terakhir masuk"), ordering="user__last_login")
    def user_last_login(self, account):
        return account.user.last_login


# The ledger and what it sums to: written by alokon.services only.


class LedgerAdmin(NoWrites, UnitScopedAdmin):
    """Read in the admin by the warehouse's Admin, written there by no one, a superuser included (on PostgreSQL
    the database refuses to change a movement anyway): stock changes through the app's pages, which lock and
    check, and a correction is a reversing movement."""

    unit_path = "warehouse"


class ReceiptLineInline(admin.TabularInline):
    model = Movement
    fk_name = "receipt"
    fields = ["item", "lot", "quantity"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "lot__item")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Receipt)
class ReceiptAdmin(LedgerAdmin):
    list_display = ["sbbm_number", "received_on", "supplier", "source_document", "funding", "posted_by"]
    list_filter = ["funding"]
    list_select_related = ["posted_by"]
    search_fields = ["source_document", "supplier"]
    date_hierarchy = "received_on"
    inlines = [ReceiptLineInline]

    @admin.display(description=_("nomor SBBM"), ordering="sequence")
    def sbbm_number(self, receipt):
        return receipt.number


@admin.register(Movement)
class MovementAdmin(LedgerAdmin):
    list_display = ["occurred_on", "kind", "item", "lot", "quantity", "document", "facility", "posted_by"]
    list_filter = ["kind", "item"]
    list_select_related = ["item", "lot__item", "facility", "posted_by"]
    search_fields = ["document", "lot__number", "facility__name", "party"]
    date_hierarchy = "occurred_on"
    ordering = ["-occurred_on", "-pk"]


@admin.register(StockBalance)
class StockBalanceAdmin(LedgerAdmin):
    list_display = ["item", "lot", "expiry_date", "quantity"]
    list_filter = ["item"]
    list_select_related = ["item", "lot__item"]
    search_fields = ["lot__number", "item__name"]
    ordering = ["item__method", "item__name", "lot__expiry_date"]

    @admin.display(description=_("kedaluwarsa"), ordering="lot__expiry_date")
    def expiry_date(self, balance):
        return balance.lot.expiry_date


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(LedgerAdmin):
    list_display = ["month", "warehouse", "closed_by", "closed_at"]
    list_select_related = ["warehouse", "closed_by"]


@admin.register(Lot)
class LotAdmin(LedgerAdmin):
    """Lots are shared by item across warehouses: an Admin sees those its warehouses have moved."""

    list_display = ["item", "number", "expiry_date", "production_date"]
    list_filter = ["item"]
    list_select_related = ["item"]
    search_fields = ["number", "item__name"]

    def scope(self, units):
        return Q(pk__in=Movement.objects.filter(warehouse__in=units).values("lot"))
