"""The error pages: in Indonesian, inside the portal's chrome, saying what to do, and giving nothing away."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import bad_request, server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_address_says_so_without_echoing_it(client, officer):
    client.force_login(officer)
    response = client.get("/kasus-rahasia-nama-korban/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Halaman tidak ditemukan" in page and "tidak dapat Anda lihat" in page
    assert "kasus-rahasia-nama-korban" not in page
    assert 'lang="id"' in page and reverse("home") in page


def test_a_form_sent_after_its_token_expired_is_explained_and_nothing_is_saved():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "siapa", "password": "apa-saja-123"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulir tidak dapat diterima" in page and "Muat ulang halaman itu" in page
    assert "CSRF" not in page


def test_a_server_error_page_needs_neither_the_database_nor_the_static_files(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Terjadi kesalahan pada portal" in page and "/static/" not in page


def test_a_request_the_portal_cannot_read_is_answered_in_indonesian():
    response = bad_request(RequestFactory().get("/"), SuspiciousOperation("Host tidak sah"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Permintaan tidak dapat diproses" in page and "Host tidak sah" not in page
