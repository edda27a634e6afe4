"""Failed logins lock per username and address, and per address across usernames, behind a proxy too."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.lockout import client_address

PASSWORD = "sandi-uji-panjang"  # tests/conftest.py make_user
LOCKED_OUT = "Akun terkunci sementara"


def log_in(client, username, password, address, forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, None, "10.0.0.1"),  # a proxy that sent no header: the socket's address
        (1, "203.0.113.9", "203.0.113.9"),  # nginx: proxy_set_header X-Forwarded-For $remote_addr
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # $proxy_add_x_forwarded_for after a forged header
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # two proxies, each appending
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: misconfigured, trust the socket
    ],
)
def test_the_client_address_is_counted_from_the_right_of_the_proxies_header(settings, proxies, forwarded, expected):
    settings.PORTAL_PROXY_COUNT = proxies
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    headers = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **headers)) == expected


@pytest.mark.parametrize(
    "socket, forwarded, expected",
    [
        ("198.51.100.66", "203.0.113.9", "198.51.100.66"),  # gunicorn reached directly: the header is the client's words
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),  # nginx on this host
        ("::1", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.1", "6.6.6.6, 10.0.0.2", "10.0.0.2"),  # the second hop is not a trusted proxy: it is the client
        ("10.0.0.1", "6.6.6.6, 192.168.1.5", "6.6.6.6"),  # both hops trusted
    ],
)
def test_the_header_is_read_only_from_a_trusted_proxy(settings, socket, forwarded, expected):
    settings.PORTAL_PROXY_COUNT = 1 if socket != "10.0.0.1" else 2
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1", "::1"] if socket != "10.0.0.1" else ["10.0.0.1", "192.168.1.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=socket, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_rotating_the_header_past_gunicorn_does_not_buy_more_guesses(client, officer, settings):
    settings.PORTAL_PROXY_COUNT = 1
    for number in range(5):
        log_in(client, officer.username, "salah-sandi", "198.51.100.66", f"203.0.113.{number}")
    response = log_in(client, officer.username, PASSWORD, "198.51.100.66", "203.0.113.99")
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_that_username_from_that_address_only(client, officer, settings):
    settings.PORTAL_PROXY_COUNT = 1
    for _ in range(5):
        log_in(client, officer.username, "salah-sandi", "127.0.0.1", "203.0.113.9")
    response = log_in(client, officer.username, PASSWORD, "127.0.0.1", "203.0.113.9")
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another office behind the same proxy still logs in: the proxy's address is not the client's.
    response = log_in(client, officer.username, PASSWORD, "127.0.0.1", "198.51.100.4")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_many_usernames_from_one_address_lock_that_address(client, officer, settings):
    settings.PORTAL_ADDRESS_FAILURE_LIMIT = 30
    for number in range(29):
        response = log_in(client, f"tebakan{number}", "salah-sandi", "203.0.113.9")
        assert LOCKED_OUT not in response.content.decode(), number
    # The thirtieth failure locks, as the fifth does for one username.
    assert LOCKED_OUT in log_in(client, "tebakan29", "salah-sandi", "203.0.113.9").content.decode()
    response = log_in(client, officer.username, PASSWORD, "203.0.113.9")
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert log_in(client, officer.username, PASSWORD, "198.51.100.4").status_code == 302


def test_an_office_sharing_an_address_is_not_locked_by_a_few_mistakes(client, officer, make_user, division):
    # Ten colleagues behind one NAT address each mistype twice: nobody is locked.
    colleagues = [make_user(division, "Petugas") for _ in range(10)]
    for colleague in colleagues:
        for _ in range(2):
            log_in(client, colleague.username, "salah-sandi", "203.0.113.9")
    assert log_in(client, officer.username, PASSWORD, "203.0.113.9").status_code == 302
