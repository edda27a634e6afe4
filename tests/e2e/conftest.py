"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live server.

This directory runs in its own pytest session (see the Makefile): Playwright's
sync API runs an event loop in the test thread, so Django's ORM calls in the
tests need DJANGO_ALLOW_ASYNC_UNSAFE, which the rest of the suite must not have.

Every page a test visits is checked with `check_page(page)`: axe (WCAG 2.1 A and AA) at its size and on a 375 px
phone, and no wider than that phone.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from portal.management.commands.load_demo import DEMO_PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium keeps dialling out, and this network is closed.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
# The narrowest phone the offices carry (an iPhone X or a small Android): every page must fit it.
PHONE = {"width": 375, "height": 812}
# The WCAG 2.1 A and AA rules; axe's best-practice rules are advice, not the standard offices must meet.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.exit(f"CI needs the browser tests: {reason}", returncode=1)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def fresh_page(browser, live_server, locale):
    """A page in a fresh browser context (no cookies), desktop-sized, in the browser language `locale`; a generator
    for a fixture, which closes the context after the test."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale=locale)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser, live_server):
    """A page in an Indonesian browser; `page.set_viewport_size` for a phone."""
    yield from fresh_page(browser, live_server, "id-ID")


@pytest.fixture
def login():
    """Log in through the login form, checked (check_page): `login(page, username, password)`; returns the page after submitting."""
    from django.urls import reverse

    def login(page, username, password):
        page.goto(reverse("login"))
        check_page(page)
        # By their labels: the form speaks the portal's terms ("Kata sandi", not Django's "Sandi").
        page.get_by_label("Nama pengguna", exact=True).fill(username)
        page.get_by_label("Kata sandi", exact=True).fill(password)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        return page

    return login


@pytest.fixture
def make_member(django_user_model):
    """Create a user holding `role` (a portal.roles.Role) in `unit` (a new unit if none is given)."""
    from django.contrib.auth.models import Group

    from portal.models import Membership, Unit

    def make_member(username, role, *, unit=None, password="rahasia-uji-123"):
        if unit is None:
            unit = Unit.objects.create(code=f"unit-{username}", name=f"Unit {username}", kind=Unit.Kind.AGENCY)
        user = django_user_model.objects.create_user(username=username, password=password)
        Membership.objects.create(user=user, unit=unit, role=Group.objects.get(name=role))
        return user

    return make_member


def _violation_lines(violations):
    for violation in violations:
        yield f"- {violation['id']} ({violation['impact']}): {violation['help']}"
        for node in violation["nodes"]:
            # The failure summary says why, e.g. the contrast ratio found and the one required.
            why = node.get("failureSummary", "").replace("\n", " ")
            yield f"    {', '.join(map(str, node['target']))}: {why}"


def assert_accessible(page):
    """Fail with axe's WCAG 2.1 A/AA violations on the page as it stands: rule, impact and the elements."""
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    if violations:
        pytest.fail("\n".join([f"{page.url} fails WCAG 2.1 AA:", *_violation_lines(violations)]))


# Helpers of the walks through the SOP apps.


def check_page(page):
    """The page as it stands, at its size and on a phone: axe's WCAG 2.1 AA check; one axe no longer makes: every
    label names its own field, not another form's field of the same id (the case page holds many small forms);
    and no page wider than a 375 px phone. A desktop-sized page is narrowed to the phone and put back, not
    reloaded, so a page reached by a post is checked as it stands."""
    assert_accessible(page)
    shared = page.evaluate("""() => [...document.querySelectorAll("label[for]")]
        .filter(label => document.querySelectorAll(`[id="${CSS.escape(label.htmlFor)}"]`).length > 1)
        .map(label => `${label.textContent.trim()} (#${label.htmlFor})`)""")
    assert not shared, f"{page.url}: labels whose id is used twice: {shared}"
    size = page.viewport_size
    if size["width"] <= PHONE["width"]:
        assert_fits_phone(page)
        return
    page.set_viewport_size(PHONE)
    try:
        assert_fits_phone(page)
        assert_accessible(page)
    finally:
        page.set_viewport_size(size)


# The elements sticking out past the phone's right edge, widest first. One inside a box that scrolls sideways (a
# .table-responsive narrower than the screen) does not widen the page and is left out, unless it is positioned
# against a box outside the scrolling one (a visually hidden label in a table cell does, if nothing in between is
# positioned): the scrolling box does not hold it in.
OVERFLOWING = """width => {
    const positioned = style => style.position !== "static";
    const clipped = element => {
        let loose = ["absolute", "fixed"].includes(getComputedStyle(element).position);
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (loose && !positioned(style)) continue;
            loose = false;
            if (style.overflowX !== "visible" && box.getBoundingClientRect().right <= width) return true;
            loose = ["absolute", "fixed"].includes(style.position);
        }
        return false;
    };
    const name = element => element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "")
        + [...element.classList].map(c => `.${c}`).join("");
    return [...document.body.querySelectorAll("*")]
        .map(element => [element, Math.round(element.getBoundingClientRect().right + window.scrollX)])
        .filter(([element, right]) => right > width && !clipped(element))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([element, right]) => `${name(element)} to ${right}px: ${element.textContent.trim().slice(0, 40)}`);
}"""


def assert_fits_phone(page):
    """The page is no wider than the phone's screen: nothing to scroll sideways for."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        offenders = "\n".join(f"- {line}" for line in page.evaluate(OVERFLOWING, PHONE["width"]))
        pytest.fail(f"{page.url} is {width}px wide on a {PHONE['width']}px phone; widest:\n{offenders}")


def log_in(page, login, username):
    """Log out whoever is in, then log in as `username`; lands on the start page, checked."""
    toggler = page.get_by_role("button", name="Buka navigasi")
    if toggler.is_visible():  # on a phone "Keluar" is behind the toggler
        toggler.click()
    logout = page.get_by_role("button", name="Keluar")
    if logout.count():
        # The logout posts and lands on the login page: wait for that page as for any navigation, not for
        # an assertion's 5 s (a loaded CI machine took longer once).
        with page.expect_navigation():
            logout.click()
        expect(page.get_by_role("heading", name="Masuk ke Layanan")).to_be_visible()
    login(page, username, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Pekerjaan Anda")).to_be_visible()
    check_page(page)


def saved(page, message):
    """After a submit: the page's message, and the page as it now stands checked."""
    expect(page.get_by_role("alert")).to_have_text(message)
    check_page(page)


def step_done(button, status=None):
    """The message after a step's `button` completed it: its words, then the record's new status."""
    status = re.escape(status) if status else ".+"
    return re.compile(rf"^Langkah tercatat: {re.escape(button)}\. Status sekarang: {status}\.$")


def fire(page, button, note="", *, expect_message=None):
    """Press a step's button in the record page's "Langkah Anda" section, with a note for the history when given."""
    section = page.get_by_role("region", name="Langkah Anda")
    if note:
        section.get_by_label("Catatan untuk riwayat langkah (opsional)").fill(note)
    section.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(expect_message or step_done(button))
    check_page(page)
