from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import UnitScopedAdmin, admin_units
from publications.models import Decree, DecreeDecision, SOPDocument, StandardComponent


@admin.register(StandardComponent)
class StandardComponentAdmin(UnitScopedAdmin):
    unit_path = "service__unit"
    list_display = ["service", "order", "section", "number", "label"]
    list_display_links = ["label"]
    # Only the services in the Admin's own rows, not every agency's.
    list_filter = [("service", admin.RelatedOnlyFieldListFilter), "section"]
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
        (None, {"fields": ["service", "sheet_title", "title", "name", "number"]}),
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
    filter_horizontal = ["sops"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        units = admin_units(request)
        if units is not None and db_field.name == "sops":
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
