"""Logging in and out through the browser, on a desktop and a phone, and the lockout after failures."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.models import Service, Unit
from portal.roles import Role
from tests.e2e.conftest import check_page

pytestmark = pytest.mark.e2e

PASSWORD = "rahasia-uji-123"
WRONG_PASSWORD = "salah-sandi-123"
SERVICE = "Pelayanan dan Pendampingan P2TP2A"
# The login page's own message for a wrong username or password, in the portal's term "kata sandi".
WRONG_LOGIN = "Nama pengguna atau kata sandi salah"
LOCKED_OUT = "Akun terkunci sementara"


@pytest.fixture
def officer(make_member):
    unit = Unit.objects.create(code="p2tp2a-uji", name="P2TP2A Kabupaten Uji", short_name="P2TP2A Uji", kind=Unit.Kind.OTHER)
    Service.objects.create(slug="p2tp2a-uji", name=SERVICE, unit=unit, app="cases")
    return make_member("petugas.uji", Role.OFFICER, unit=unit, password=PASSWORD)


def at(path):
    """The page's URL has this path, whatever its query."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(\?.*)?$")


def test_an_officer_logs_in_sees_the_services_and_logs_out(page, login, officer):
    stylesheets = []
    page.on("response", lambda r: r.url.endswith(".css") and stylesheets.append((r.url, r.status)))

    login(page, "petugas.uji", PASSWORD)

    expect(page).to_have_url(at(reverse("home")))
    expect(page.get_by_role("heading", name="Pekerjaan Anda")).to_be_visible()
    expect(page.get_by_text(SERVICE, exact=True)).to_be_visible()
    check_page(page)
    # 304: the login page already loaded them and the browser revalidated its copy.
    assert stylesheets and all(status in (200, 304) for _url, status in stylesheets), stylesheets
    # Bootstrap applied: the navbar is a flex row, not a plain block.
    assert page.eval_on_selector("nav.navbar", "e => getComputedStyle(e).display") == "flex"

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(at(reverse("login")))
    expect(page.get_by_role("heading", name="Masuk ke Layanan")).to_be_visible()
    check_page(page)
    page.goto(reverse("home"))
    expect(page).to_have_url(at(reverse("login")))
    check_page(page)


def test_a_wrong_password_keeps_the_officer_on_the_login_page(page, login, officer):
    login(page, "petugas.uji", WRONG_PASSWORD)

    expect(page).to_have_url(at(reverse("login")))
    expect(page.locator(".alert-danger")).to_contain_text(WRONG_LOGIN)
    check_page(page)
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)


def test_the_start_page_fits_a_phone(page, login, officer, tmp_path):
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, "petugas.uji", PASSWORD)
    expect(page.get_by_text(SERVICE, exact=True)).to_be_visible()
    check_page(page)

    page.screenshot(path=tmp_path / "beranda-375.png", full_page=True)
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"the start page is {scroll_width}px wide on a {inner_width}px phone"


def test_five_wrong_passwords_lock_the_account(page, login, officer):
    for _attempt in range(4):
        login(page, "petugas.uji", WRONG_PASSWORD)
        expect(page.locator(".alert-danger")).to_contain_text(WRONG_LOGIN)
        check_page(page)

    login(page, "petugas.uji", WRONG_PASSWORD)
    expect(page.get_by_role("heading", name=LOCKED_OUT)).to_be_visible()
    check_page(page)

    login(page, "petugas.uji", PASSWORD)
    expect(page.get_by_role("heading", name=LOCKED_OUT)).to_be_visible()
    check_page(page)
    page.goto(reverse("home"))
    expect(page).to_have_url(at(reverse("login")))
    check_page(page)
