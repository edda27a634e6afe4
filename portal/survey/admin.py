from django.contrib import admin

from portal.admin import NoWrites, ShortLists, admin_units
from portal.survey.elements import ELEMENT_CODES
from portal.survey.models import Response


@admin.register(Response)
class ResponseAdmin(NoWrites, ShortLists, admin.ModelAdmin):
    """The survey's answers, read-only: written by the public form only. The address's HMAC is not shown."""

    list_display = ["submitted_at", "service", *ELEMENT_CODES]
    list_filter = ["service"]
    list_select_related = ["service"]
    date_hierarchy = "submitted_at"
    fields = ["service", "submitted_at", *ELEMENT_CODES, "sex", "age_band", "education", "occupation", "comment"]
    readonly_fields = fields
    actions = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        units = admin_units(request)
        return queryset if units is None else queryset.filter(service__unit__in=units)
