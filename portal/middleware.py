"""Request handling shared by every page: session lifetime and caching of private pages."""

import time

from django.utils.cache import add_never_cache_headers

# An active session is written at most this often, not on every request.
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_REFRESHED_KEY = "_refreshed_at"


class SessionRefreshMiddleware:
    """Keeps a signed-in session alive while it is used: SESSION_COOKIE_AGE counts idle time.

    Writing the session once every few minutes instead of on every request
    (SESSION_SAVE_EVERY_REQUEST) spares a database write per page; the idle
    limit is then exact to within SESSION_REFRESH_SECONDS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if request.session.get(SESSION_REFRESHED_KEY, 0) <= now - SESSION_REFRESH_SECONDS:
                request.session[SESSION_REFRESHED_KEY] = now
        return self.get_response(request)


class PrivatePagesMiddleware:
    """A page shown to a signed-in user is kept by no cache: not the browser's, not a proxy's.

    An office computer is shared; the back button after logging out must not show
    a case. Responses that set their own Cache-Control (the public documents) keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
