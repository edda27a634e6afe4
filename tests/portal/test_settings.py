"""Settings read from the environment: a typo stops the portal instead of quietly meaning "off"."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from layanan.settings import env_bool, env_int, env_networks


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), (" On ", True), ("0", False), ("no", False), ("", False)])
def test_a_switch_accepts_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("PORTAL_SWITCH", value)
    assert env_bool("PORTAL_SWITCH", not expected) is expected


def test_an_unset_switch_keeps_its_default(monkeypatch):
    monkeypatch.delenv("PORTAL_SWITCH", raising=False)
    assert env_bool("PORTAL_SWITCH", True) is True


@pytest.mark.parametrize("value", ["ture", "2", "aktif"])
def test_an_unknown_switch_value_is_refused_with_its_name(monkeypatch, value):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)


def test_a_number_must_be_a_whole_number(monkeypatch):
    monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "6OO")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CONN_MAX_AGE"):
        env_int("DJANGO_CONN_MAX_AGE", 0)
    monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "600")
    assert env_int("DJANGO_CONN_MAX_AGE", 0) == 600


def test_trusted_proxies_must_be_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "127.0.0.1, nginx.local")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        env_networks("DJANGO_TRUSTED_PROXIES")
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "127.0.0.1, 10.1.0.0/16, ::1")
    assert env_networks("DJANGO_TRUSTED_PROXIES") == ["127.0.0.1", "10.1.0.0/16", "::1"]
