"""Login lockout: who the client is behind the proxy, and a limit per address across usernames."""

from ipaddress import ip_address, ip_network

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
    counts from the left, which hands the client's own words back.) The header is
    read only from a proxy in PORTAL_TRUSTED_PROXIES: a client that reaches gunicorn
    directly would otherwise name a new address for every guess.
    """
    address = request.META.get("REMOTE_ADDR")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < settings.PORTAL_PROXY_COUNT:  # misconfigured: trust the socket
        return address
    for hop in range(settings.PORTAL_PROXY_COUNT):
        if not _is_trusted_proxy(address) or not forwarded[-1 - hop]:
            break
        address = forwarded[-1 - hop]
    return address


def _is_trusted_proxy(address):
    try:
        address = ip_address(address)
    except ValueError:
        return False
    return any(address in ip_network(network, strict=False) for network in settings.PORTAL_TRUSTED_PROXIES)


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
