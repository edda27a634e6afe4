"""The portal on a 375 px phone, on the demo data: each demo account's start page, each app's register, records
at every step, the warehouse's books and forms, and the faskes' receipt. The walks check their pages on a phone
too (check_page narrows the window), but only as their records stand; here the pages are opened on the phone,
with the demo's fuller records, and what a phone user came for must be on screen, not off to the right."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from alokon.demo import faskes_username
from alokon.models import Distribution, Facility, Item, MonthlyReport, RoutinePlan, StockCount
from cases.models import Case
from identitas.models import Facilitation
from tests.e2e.conftest import PHONE, check_page, log_in

pytestmark = pytest.mark.e2e

STOREKEEPER = "gudang.dppkbpppa-ciamis"
SECRETARY = "kepala.dppkbpppa-ciamis"
CHAIR = "kepala.p2tp2a-ciamis"
KABID = "kepala.rehdayasos-purwakarta"
IDENTITY_OFFICER = "petugas.rehdayasos-purwakarta"
ALOKON = "alokon-ciamis"
# A midwife's practice whose delivery waits for her receipt and who has not reported last month yet.
MIDWIFE = faskes_username(12)
# Every demo account the walks log in as.
ACCOUNTS = [
    "petugas.p2tp2a-ciamis", "sekretaris.p2tp2a-ciamis", "peksos.p2tp2a-ciamis", "pendamping.p2tp2a-ciamis",
    "psikolog.p2tp2a-ciamis", "hukum.p2tp2a-ciamis", "kadis.dppkbpppa-ciamis", "petugas.uptd-p5a-ciamis",
    IDENTITY_OFFICER, "kadis.dinsos-p3a-purwakarta", CHAIR, SECRETARY, STOREKEEPER, KABID, MIDWIFE,
]


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


# Controls a thumb must hit: buttons, links of navigation, disclosures and form fields (not a link inside a sentence,
# nor a checkbox, whose label takes the tap), visible, less than 44 px high.
SMALL_TARGETS = """() => [...document.querySelectorAll(
        "button, .btn, nav a, summary, select, textarea, input:not([type=hidden], [type=checkbox], [type=radio])")]
    .filter(element => element.checkVisibility() && !element.closest(".visually-hidden"))
    .filter(element => element.getBoundingClientRect().height < 44)
    .map(element => `${element.tagName.toLowerCase()} "${(element.textContent || element.name).trim().slice(0, 30)}"`
        + ` ${Math.round(element.getBoundingClientRect().height)}px`)"""


def visit(page, url):
    """Open the page on the phone: it fits and passes axe (check_page), and every control is big enough to tap."""
    response = page.goto(url)
    assert response.ok, f"{url}: {response.status}"
    check_page(page)
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{url}: controls less than 44 px high on a phone: {small}"


def on_screen(locator):
    """The element is visible and inside the phone's screen from left to right: no sideways scroll to reach it."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{locator} is at {box}"


def test_every_demo_account_starts_on_a_page_that_fits(phone, login, demo):
    for username in ACCOUNTS:
        log_in(phone, login, username)


def test_the_p2tp2a_register_and_cases(phone, login, demo):
    log_in(phone, login, CHAIR)
    visit(phone, reverse("cases:register") + "?status=semua")
    first = phone.get_by_role("table").locator("tbody tr").first
    on_screen(first.locator("td[data-label=Status]"))
    on_screen(first.locator("td[data-label='Batas waktu']"))
    visit(phone, reverse("cases:create", args=["p2tp2a-ciamis"]))
    visit(phone, reverse("cases:recap"))
    # A case at every step, and the ones with the most referrals (their cards and legal milestones).
    cases = Case.objects.annotate(referrals_count=Count("referrals")).order_by("-referrals_count", "pk")
    shown = {}
    for case in cases:
        shown.setdefault(case.status, case)
    for case in shown.values():
        visit(phone, case.get_absolute_url())
    visit(phone, reverse("access_log", args=["cases", cases[0].pk]))


def test_the_identity_facilitations(phone, login, demo):
    log_in(phone, login, KABID)
    visit(phone, reverse("identitas:register") + "?status=semua")
    first = phone.get_by_role("table").locator("tbody tr").first
    on_screen(first.locator("td[data-label=Langkah]"))
    on_screen(first.locator("td[data-label^='Waktu layanan']"))
    visit(phone, reverse("identitas:evaluation"))
    records = Facilitation.objects.order_by("pk")
    shown = {}
    for record in records:
        shown.setdefault(record.status, record)
    for record in shown.values():
        visit(phone, record.get_absolute_url())
    visit(phone, reverse("access_log", args=["identitas", records[0].pk]))

    log_in(phone, login, IDENTITY_OFFICER)
    visit(phone, reverse("identitas:create", args=["identitas-ppks-purwakarta"]))


def test_the_warehouse_books_and_forms(phone, login, demo):
    log_in(phone, login, STOREKEEPER)
    warehouse = f"?layanan={ALOKON}"
    visit(phone, reverse("alokon:dashboard") + warehouse)
    visit(phone, reverse("alokon:stock") + warehouse)
    busiest = Item.objects.annotate(moves=Count("lots__movements")).order_by("-moves").first()
    visit(phone, reverse("alokon:stock_card", args=[busiest.pk]) + warehouse)
    visit(phone, reverse("alokon:receipt_new") + warehouse)
    on_screen(phone.get_by_label("Jumlah").first)
    visit(phone, reverse("alokon:adjustment_new") + warehouse)
    visit(phone, reverse("alokon:month") + warehouse)
    visit(phone, reverse("alokon:plans") + warehouse)
    for plan in RoutinePlan.objects.order_by("-pk")[:1]:
        visit(phone, reverse("alokon:plan", args=[plan.pk]) + warehouse)
    visit(phone, reverse("alokon:counts") + warehouse)
    for count in StockCount.objects.order_by("-pk")[:1]:
        visit(phone, reverse("alokon:count", args=[count.pk]) + warehouse)
    visit(phone, reverse("alokon:reports"))
    for report in MonthlyReport.objects.order_by("-pk")[:1]:
        visit(phone, reverse("alokon:report", args=[report.pk]))

    visit(phone, reverse("alokon:distributions") + "?status=semua")
    first = phone.get_by_role("table").locator("tbody tr").first
    on_screen(first.locator("td[data-label=Langkah]"))
    on_screen(first.locator("td[data-label='Batas waktu']"))
    shown = {}
    for distribution in Distribution.objects.order_by("pk"):
        shown.setdefault(distribution.status, distribution)
    for distribution in shown.values():
        visit(phone, distribution.get_absolute_url())

    log_in(phone, login, SECRETARY)
    visit(phone, Distribution.objects.filter(status="spmb").first().get_absolute_url())


def test_the_faskes_confirms_a_receipt_on_its_phone(phone, login, demo):
    """A midwife's main phone task: every line's accepted, rejected and reason fields on screen; then her monthly
    report and a request."""
    log_in(phone, login, MIDWIFE)
    facility = Facility.objects.get(accounts__user__username=MIDWIFE)
    distribution = Distribution.objects.get(facility=facility, status="receipt")
    visit(phone, distribution.get_absolute_url())
    receipt = phone.get_by_role("region", name="Langkah Anda")
    for label in ("Diterima", "Ditolak", "Alasan penolakan"):
        fields = receipt.get_by_label(label, exact=True)
        assert fields.count() == distribution.movements.filter(kind="keluar").count()
        for index in range(fields.count()):
            on_screen(fields.nth(index))
    visit(phone, reverse("alokon:reports"))
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    visit(phone, reverse("alokon:report_new", args=[facility.pk, f"{last_month:%Y-%m}"]))
    on_screen(phone.get_by_label("Dipakai").first)
    visit(phone, reverse("alokon:request", args=[ALOKON]))
