from django.contrib import admin

from portal.complaints.models import Desk


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    """Which handling each agency's standard prints, and where complaints about no one service go. Complaints
    themselves are handled on their pages, never edited here."""

    list_display = ["service", "procedure", "general_unit"]
    list_select_related = ["service", "general_unit"]
