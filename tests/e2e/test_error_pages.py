"""The error pages in the browser: Indonesian, in the portal's chrome, and clean for axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.roles import Role

from .conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_missing_page_and_a_refused_one_say_what_happened(page, login, make_member):
    make_member("petugas", Role.OFFICER)
    login(page, "petugas", "rahasia-uji-123")

    response = page.goto("/tidak-ada/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    check_page(page)

    response = page.goto(reverse("alokon:distributions"))
    assert response.status == 403
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()
    expect(page.get_by_text("Anda tidak memiliki peran pada layanan alokon.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Kembali ke halaman awal").click()
    expect(page.get_by_role("heading", name="Pekerjaan Anda")).to_be_visible()
