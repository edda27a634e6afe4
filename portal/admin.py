from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.models import (
    Attachment,
    DayOff,
    Decree,
    DecreeDecision,
    Membership,
    Service,
    ServiceHours,
    SOPDocument,
    StandardComponent,
    TransitionLog,
    Unit,
)

admin.site.site_header = _("Admin Portal Layanan")
admin.site.site_title = _("Admin Portal Layanan")
admin.site.index_title = _("Data induk")


class ServiceHoursInline(admin.TabularInline):
    model = ServiceHours
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "code"]
    inlines = [ServiceHoursInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent"]}),
        (_("Kop surat"), {"fields": ["government_name", "agency_name", "address", "phone", "fax", "email", "website", "logo"]}),
    ]


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "unit"]
    list_filter = ["unit"]
    date_hierarchy = "date"


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit", "title"]
    list_filter = ["role", "unit"]
    list_select_related = ["user", "role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "nip"]
    autocomplete_fields = ["unit"]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "app"]
    list_select_related = ["unit"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows are written by the engine only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "content_type", "object_id", "from_status", "to_status", "actor"]
    list_filter = ["content_type"]
    list_select_related = ["content_type", "actor"]
    date_hierarchy = "at"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["uploaded_at", "content_type", "object_id", "kind", "uploaded_by"]
    list_select_related = ["content_type", "uploaded_by"]


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(StandardComponent)
class StandardComponentAdmin(SimpleHistoryAdmin):
    list_display = ["service", "order", "section", "number", "label"]
    list_display_links = ["label"]
    list_filter = ["service", "section"]
    list_select_related = ["service"]
    ordering = ["service__name", "order"]
    search_fields = ["label", "content"]


@admin.register(SOPDocument)
class SOPDocumentAdmin(SimpleHistoryAdmin):
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


@admin.register(Decree)
class DecreeAdmin(SimpleHistoryAdmin):
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
