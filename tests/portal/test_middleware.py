"""Headers of every page: no cache for signed-in pages, a content security policy, sessions kept alive while used."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse

from portal.middleware import SESSION_REFRESH_SECONDS, SESSION_REFRESHED_KEY


def test_a_signed_in_page_is_kept_by_no_cache(client, officer):
    client.force_login(officer)
    cache_control = client.get(reverse("home"))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_a_page_that_says_how_to_cache_it_keeps_its_own_header(client, officer):
    # The public index is the same for everyone; it asks for revalidation, not for no caching.
    client.force_login(officer)
    cache_control = client.get(reverse("public_index"))["Cache-Control"]
    assert "public" in cache_control and "no-store" not in cache_control


def test_every_page_carries_a_content_security_policy(client, officer):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    client.force_login(officer)
    assert client.get(reverse("home"))["Content-Security-Policy"] == policy


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def set_stored_expiry(client, expire_date):
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=expire_date)


def test_a_session_in_use_is_kept_alive_but_not_written_on_every_page(client, officer):
    client.force_login(officer)
    client.get(reverse("home"))
    an_hour_ago = stored_expiry(client) - timedelta(hours=1)

    # Written a moment ago: the next page leaves the stored expiry alone.
    set_stored_expiry(client, an_hour_ago)
    client.get(reverse("home"))
    assert stored_expiry(client) == an_hour_ago

    # Written longer ago than the refresh interval: the next page extends the session.
    session = client.session
    session[SESSION_REFRESHED_KEY] = int(time.time()) - SESSION_REFRESH_SECONDS - 1
    session.save()
    set_stored_expiry(client, an_hour_ago)
    client.get(reverse("home"))
    assert stored_expiry(client) > an_hour_ago + timedelta(minutes=55)
