"""Login lockout: who the client is behind the proxy, and a limit per address across usernames."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_address(request):
    """The address the nearest trusted proxy saw, or the socket's without a proxy.

    Each of the PORTAL_PROXY_COUNT proxies appends the address it was called from,
    so the client's is that many places from the right; whatever the client itself
    put in front is ignored, since it can write anything there. (django-ipware
    counts from the left, which hands the client's own words back.)
    """
    if settings.PORTAL_PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= settings.PORTAL_PROXY_COUNT and forwarded[-settings.PORTAL_PROXY_COUNT]:
            return forwarded[-settings.PORTAL_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' limit per username and address, plus one per address whatever the username.

    Without the second, one guess for each of many usernames is never locked.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.PORTAL_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
