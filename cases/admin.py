"""The admin of the P2TP2A: the SIMFONI-PPA lists, the referral partners and the identity access log.

The case and its confidential parts (victim, reporter, perpetrators, notes, team, consents, referrals,
legal milestones) are left out on purpose: the admin would read and change them past cases.services,
which decides who reads a victim's identity and logs every reading.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.models import AccessLog, Partner, PerpetratorRelation, PlaceType, ServiceType, ViolenceType
from portal.admin import NoWrites, ShortLists, UnitScopedAdmin, admin_units


@admin.register(ViolenceType, PlaceType, PerpetratorRelation, ServiceType)
class MasterItemAdmin(ShortLists, admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    actions = None

    def has_delete_permission(self, request, obj=None):
        # Cases point at these entries: one no longer used is deactivated, so older cases keep their words.
        return False


@admin.register(Partner)
class PartnerAdmin(UnitScopedAdmin):
    list_display = ["name", "kind", "unit", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["name"]


@admin.register(AccessLog)
class AccessLogAdmin(NoWrites, ShortLists, admin.ModelAdmin):
    """Who opened which case's identity, for the Admin of the P2TP2A's units: written by cases.services only.

    It names the case by its number and never shows the victim; the reason given for opening an identity is
    left out too, since it may name a person.
    """

    list_display = ["at", "user", "case_number", "action", "what"]
    list_filter = ["action"]
    list_select_related = ["case", "user"]
    date_hierarchy = "at"
    fields = ["at", "user", "case_number", "action", "what"]
    readonly_fields = fields
    actions = None

    def get_queryset(self, request):
        # The Admin role sees no case (it is no executor of the workflow), so the log is held to its units,
        # not to the cases it sees as the step history is.
        queryset = super().get_queryset(request)
        units = admin_units(request)
        return queryset if units is None else queryset.filter(unit__in=units)

    @admin.display(description=_("kasus"))
    def case_number(self, log):
        return log.case.number if log.case else "-"
