"""The admin of the PPKS identity facilitation: the list of PPKS types and the identity access log.

The facilitation and its protected parts (person, reporter, notes, issued documents, Disdukcapil waits,
follow-ups) are left out on purpose: the admin would read and change them past the record's page and
identitas.services, which keep to who reads a person's identity (portal.identity), log every reading and keep the
agency's clock honest.
"""

from django.contrib import admin

from identitas.models import AccessLog, PpksCategory
from portal.admin import IdentityAccessLogAdmin, MasterItemAdmin


# The ministry's PPKS types, one list for every agency: a superuser keeps it and an agency's Admin reads it
# (portal.roles), so no agency renames the categories another agency's register and evaluation count by.
admin.site.register(PpksCategory, MasterItemAdmin)


@admin.register(AccessLog)
class AccessLogAdmin(IdentityAccessLogAdmin):
    """Who opened which facilitation's identity, written by the facilitation pages only."""

    record_field = "facilitation"
