"""The portal's navigation bar: on a phone its links fold behind a toggler button, on a desktop they show."""

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.e2e.conftest import check_page

pytestmark = pytest.mark.e2e

PASSWORD = "rahasia-uji-123"
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def officer(make_member):
    return make_member("petugas.navigasi", Role.OFFICER, password=PASSWORD)


def test_on_a_phone_the_links_open_behind_the_toggler(page, login, officer):
    page.set_viewport_size(PHONE)
    login(page, "petugas.navigasi", PASSWORD)
    navbar = page.get_by_role("navigation", name="Navigasi utama")
    toggler = navbar.get_by_role("button", name="Buka navigasi")
    links = [navbar.get_by_role("link", name="Standar Pelayanan"), navbar.get_by_role("button", name="Keluar")]

    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-controls", "navigasi-utama")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    for link in links:
        expect(link).to_be_hidden()
    brand = navbar.get_by_role("link", name="Layanan", exact=True).bounding_box()
    button = toggler.bounding_box()
    assert button["y"] < brand["y"] + brand["height"] and brand["y"] < button["y"] + button["height"], (
        f"the brand {brand} and the toggler {button} are not on one row"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_page(page)

    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    for link in links:
        expect(link).to_be_visible()
    check_page(page)


def test_on_a_desktop_the_links_show_without_a_toggler(page, login, officer):
    login(page, "petugas.navigasi", PASSWORD)
    navbar = page.get_by_role("navigation", name="Navigasi utama")

    expect(navbar.get_by_role("button", name="Buka navigasi")).to_be_hidden()
    expect(navbar.get_by_role("link", name="Standar Pelayanan")).to_be_visible()
    expect(navbar.get_by_role("button", name="Keluar")).to_be_visible()
    check_page(page)
