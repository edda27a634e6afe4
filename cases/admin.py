"""The admin of the P2TP2A: the SIMFONI-PPA lists, the referral partners and the identity access log.

The case and its confidential parts (victim, reporter, perpetrators, notes, team, consents, referrals,
legal milestones) are left out on purpose: the admin would read and change them past cases.services,
which decides who reads a victim's identity and logs every reading.
"""

from django.contrib import admin

from cases.models import AccessLog, Partner, PerpetratorRelation, PlaceType, ServiceType, ViolenceType
from portal.admin import IdentityAccessLogAdmin, MasterItemAdmin, UnitScopedAdmin


# The SIMFONI-PPA lists: national, so the Admin role reads them and a superuser keeps them (portal.roles).
admin.site.register([ViolenceType, PlaceType, PerpetratorRelation, ServiceType], MasterItemAdmin)


@admin.register(Partner)
class PartnerAdmin(UnitScopedAdmin):
    list_display = ["name", "kind", "unit", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["name"]


@admin.register(AccessLog)
class AccessLogAdmin(IdentityAccessLogAdmin):
    """Who opened which case's identity, written by the case pages only."""

    record_field = "case"
