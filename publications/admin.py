from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin import UnitScopedAdmin, admin_units
from publications.models import Decree, DecreeDecision, DraftingNote, ServiceStandard, SOPDocument, StandardComponent


@admin.register(ServiceStandard)
class ServiceStandardAdmin(UnitScopedAdmin):
    unit_path = "service__unit"
    list_display = ["title", "service", "dated"]
    list_select_related = ["service"]


class SectionFilter(admin.AllValuesFieldListFilter):
    """The sections of the standards; the rows outside any section (section "") are named, not an empty link."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": choice["display"] or _("(tanpa bagian)")}


@admin.register(StandardComponent)
class StandardComponentAdmin(UnitScopedAdmin):
    unit_path = "service__unit"
    list_display = ["service", "order", "section", "number", "label"]
    list_display_links = ["label"]
    # Only the services in the Admin's own rows, not every agency's.
    list_filter = [("service", admin.RelatedOnlyFieldListFilter), ("section", SectionFilter)]
    list_select_related = ["service"]
    ordering = ["service__name", "order"]
    search_fields = ["label", "content"]


@admin.register(SOPDocument)
class SOPDocumentAdmin(UnitScopedAdmin):
    unit_path = "service__unit"
    list_display = ["name", "service", "number", "approver_name"]
    list_select_related = ["service"]
    search_fields = ["name", "number"]
    fieldsets = [
        (None, {"fields": ["service", "sheet_title", "title", "name", "number", "header_agency"]}),
        (_("Tanggal dan pengesahan"), {
            "fields": ["made_on", "effective_on", "approved_on", "approver_title", "approver_name", "approver_nip"],
        }),
        (_("Isi (satu butir per baris)"), {
            "fields": ["legal_bases", "qualifications", "related_sops", "equipment", "warnings", "records"],
        }),
    ]


class DecreeDecisionInline(admin.StackedInline):
    model = DecreeDecision
    extra = 0
    ordering = ["order"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        units = admin_units(request)
        if db_field.name == "sops":
            # An agency has a handful of SOPs: a list of checkboxes, each labelled, rather than Django's
            # two-box filter, whose script names a non-interactive icon (axe aria-prohibited-attr).
            kwargs["widget"] = forms.CheckboxSelectMultiple
            if units is not None:
                kwargs["queryset"] = SOPDocument.objects.filter(service__unit__in=units)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Decree)
class DecreeAdmin(UnitScopedAdmin):
    unit_path = "unit__id"  # Decree.unit points at the unit's code; the scope is a list of ids
    list_display = ["number", "unit", "date_text"]
    list_select_related = ["unit"]
    search_fields = ["number", "title"]
    inlines = [DecreeDecisionInline]
    fieldsets = [
        (None, {"fields": ["unit", "number", "attachment_note", "title", "regent"]}),
        (_("Menimbang dan mengingat"), {"fields": ["considerations", "legal_bases"]}),
        (_("Penetapan"), {
            "fields": [
                "place", "date_text", "signatory_on_behalf", "signatory_title", "signatory_name", "signatory_nip",
            ],
        }),
        (_("Tembusan"), {"fields": ["copies_to"]}),
    ]


class DraftingNoteForm(forms.ModelForm):
    confirmed = forms.BooleanField(
        label=_("Dikonfirmasi instansi"), required=False,
        help_text=_("Tambahan yang dikonfirmasi tidak lagi dicantumkan dalam Catatan penyusunan."),
    )

    class Meta:
        model = DraftingNote
        fields = ["code", "document", "service", "decree", "kind", "as_printed", "as_shown", "explanation", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].initial = self.instance.confirmed_at is not None


@admin.register(DraftingNote)
class DraftingNoteAdmin(UnitScopedAdmin):
    form = DraftingNoteForm
    list_display = ["__str__", "document", "service", "kind", "confirmed_at"]
    list_filter = ["kind", "document"]
    list_select_related = ["service"]
    search_fields = ["as_printed", "as_shown", "explanation"]
    readonly_fields = ["confirmed_at", "confirmed_by"]

    def scope(self, units):
        # A note belongs to a service's document or to a decree.
        return Q(service__unit__in=units) | Q(decree__unit__id__in=units)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = admin_units(request)
        if units is not None and db_field.name == "decree":
            kwargs["queryset"] = Decree.objects.filter(unit__id__in=units)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data["confirmed"] and obj.confirmed_at is None:
            obj.confirmed_at, obj.confirmed_by = timezone.now(), request.user
        elif not form.cleaned_data["confirmed"]:
            obj.confirmed_at, obj.confirmed_by = None, None
        super().save_model(request, obj, form, change)
