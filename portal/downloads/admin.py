from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.downloads import services
from portal.downloads.models import GeneratedFile


@admin.register(GeneratedFile)
class GeneratedFileAdmin(admin.ModelAdmin):
    """The documents made off the request: what waits, what was made, and what failed with the last error, so that
    none fails unseen. A failed one is made again from here once what broke it is fixed. The files themselves are
    not offered here: they are their askers', served after the record's own check (portal.downloads.views)."""

    list_display = ("label", "kind", "user", "status", "attempts", "created_at", "finished_at", "expires_at")
    list_filter = ("status", "kind")
    list_select_related = ("user",)
    search_fields = ("label",)
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "label", "kind", "user", "status", "attempts", "created_at", "started_at", "finished_at", "expires_at",
        "last_error",
    )
    actions = ["try_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Coba lagi membuat berkas yang gagal"))
    def try_again(self, request, queryset):
        failed = list(queryset.filter(status=GeneratedFile.Status.FAILED).values_list("pk", flat=True))
        for pk in failed:
            services.file_retry(pk)
        self.message_user(request, _("%(count)d berkas dicoba dibuat lagi.") % {"count": len(failed)}, messages.SUCCESS)
