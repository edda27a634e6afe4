from django.contrib import admin

from portal.admin import NoWrites, UnitScopedAdmin
from portal.guarantee.models import MissedStandard, Promise


@admin.register(Promise)
class PromiseAdmin(UnitScopedAdmin):
    """Whether each service's standard promises compensation (its Jaminan Pelayanan): the agency's Admin keeps it
    for its own services."""

    unit_path = "service__unit"
    list_display = ["service", "compensation"]
    list_filter = ["compensation"]
    list_select_related = ["service"]
    fields = ["service", "compensation", "words"]


@admin.register(MissedStandard)
class MissedStandardAdmin(NoWrites, UnitScopedAdmin):
    """Read-only: written from the records' pages (portal.guarantee.services)."""

    list_display = ["record_number", "service", "due_at", "decision"]
    list_filter = ["service", "decision"]
    list_select_related = ["service"]
    fields = [
        "service", "unit", "record_number", "due_at", "reason", "reason_at", "decision", "compensation", "given_on",
        "given_to", "no_compensation_reason", "decided_at", "notified_via", "notified_at",
    ]
    readonly_fields = fields
