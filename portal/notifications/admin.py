from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.notifications import services
from portal.notifications.models import Email


def mask_address(address):
    """"s***@example.org": enough to tell which mail server refused it."""
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits for its next attempt, and what was given up, with the mail server's
    last answer. An e-mail given up is sent again from here once the server is fixed."""

    list_display = ("subject", "recipients", "state", "attempts", "created_at", "sent_at", "failed_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), ("failed_at", admin.EmptyFieldListFilter))
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    # Not the body nor the whole address: an answer to a complainant is theirs and the handling unit's, and the
    # admin keeps the mail server running.
    fields = readonly_fields = (
        "subject", "recipients", "state", "attempts", "created_at", "sent_at", "next_attempt_at", "failed_at",
        "last_error",
    )
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kepada"))
    def recipients(self, email):
        return ", ".join(mask_address(address) for address in email.to)

    @admin.display(description=_("keadaan"))
    def state(self, email):
        return email.state

    @admin.action(description=_("Kirim ulang surel yang gagal"))
    def send_again(self, request, queryset):
        failed = list(queryset.filter(sent_at__isnull=True, failed_at__isnull=False).values_list("pk", flat=True))
        for pk in failed:
            services.email_retry(pk)
        self.message_user(request, _("%(count)d surel dikirim ulang.") % {"count": len(failed)}, messages.SUCCESS)
