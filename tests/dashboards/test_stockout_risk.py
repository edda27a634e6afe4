"""The stock dashboard's risk of running out per faskes (alokon.selectors.stockout_risk): months of stock worked out
here by hand from the seeded monthly reports, the rows the page lists and links, and what the page costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alokon.models import Facility, Item, MonthlyReport, ReportStock
from alokon.selectors import stockout_risk
from portal.clock import add_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def pill(db):
    return Item.objects.create(code="pil", method="pil", name="Pil KB", unit_of_issue="strip")


@pytest.fixture
def condom(db):
    return Item.objects.create(code="kondom", method="kondom", name="Kondom", unit_of_issue="buah", pack_size=144)


@pytest.fixture
def faskes(agency, kecamatan):
    numbers = iter(range(1, 100))

    def make(name, unit=None, active=True):
        return Facility.objects.create(
            unit=unit or agency, registration_number=f"3207{next(numbers):04d}", name=name,
            kind=Facility.Kind.CLINIC, kecamatan=kecamatan, is_active=active,
        )

    return make


@pytest.fixture
def report(storekeeper):
    """report(facility, month, {item: (used, remaining)}): a filed monthly report."""

    def make(facility, month, stock):
        filed = MonthlyReport.objects.create(facility=facility, month=month, submitted_by=storekeeper)
        ReportStock.objects.bulk_create(
            ReportStock(report=filed, item=item, opening=used + remaining, received=0, used=used, remaining=remaining)
            for item, (used, remaining) in stock.items()
        )
        return filed

    return make


def month(offset):
    """The first day of the month `offset` months from this one."""
    return add_months(timezone.localdate().replace(day=1), offset)


@pytest.fixture
def seeded(faskes, report, pill, condom, other_agency):
    kawali, panjalu, ciomas, closed, elsewhere = (
        faskes("Klinik Kawali"), faskes("Klinik Panjalu"), faskes("Klinik Ciomas"), faskes("Klinik Tutup", active=False),
        faskes("Klinik Lain", unit=other_agency),
    )
    # Kawali: its last three reports used 30, 60 and 90 pills, 50 left: 50 / 60 = 0.83 months. The report of seven
    # months ago is older than the six read, and its 600 would have lowered the risk.
    report(kawali, month(-7), {pill: (600, 700)})
    report(kawali, month(-4), {pill: (30, 200), condom: (10, 500)})
    report(kawali, month(-3), {pill: (60, 140), condom: (10, 490)})
    last = report(kawali, month(-1), {pill: (90, 50), condom: (20, 470)})
    # Panjalu: one report, its condoms all used: 0 months; its pills last 10 months.
    empty = report(panjalu, month(-1), {condom: (144, 0), pill: (10, 100)})
    # Ciomas: four pill reports; only the last three count: (40 + 40 + 40) / 3 = 40 a month, 39 left: 0.975 months.
    for offset, used in ((-5, 400), (-4, 40), (-3, 40), (-2, 40)):
        latest = report(ciomas, month(offset), {pill: (used, 39)})
    # No condom used: no months to count.
    report(ciomas, month(-1), {condom: (0, 0)})
    report(closed, month(-1), {pill: (90, 0)})
    report(elsewhere, month(-1), {pill: (90, 0)})
    return {"kawali": last, "panjalu": empty, "ciomas": latest}


def test_the_faskes_items_that_last_under_a_month_shortest_first(seeded, agency):
    rows = stockout_risk(agency)
    assert [(r.facility_name, r.item_name, r.remaining, r.monthly_use, r.reports) for r in rows] == [
        ("Klinik Panjalu", "Kondom", 0, 144, 1),
        ("Klinik Kawali", "Pil KB", 50, 60, 3),
        ("Klinik Ciomas", "Pil KB", 39, 40, 3),
    ]
    assert [round(r.months_of_stock, 3) for r in rows] == [0, 0.833, 0.975]
    assert [r.report_id for r in rows] == [seeded["panjalu"].pk, seeded["kawali"].pk, seeded["ciomas"].pk]
    assert rows[0].month == month(-1) and rows[0].unit_of_issue == "buah"


def test_the_dashboard_lists_them_each_linking_its_report(client, seeded, agency, storekeeper, alokon_service):
    client.force_login(storekeeper)
    response = client.get(reverse("alokon:dashboard"))
    content = response.content.decode()
    assert "Risiko kehabisan stok per faskes" in content
    for name in ("kawali", "panjalu", "ciomas"):
        url = reverse("alokon:report", args=[seeded[name].pk])
        assert f'href="{url}"' in content
        assert client.get(url).status_code == 200
    assert "Klinik Tutup" not in content and "Klinik Lain" not in content


def test_the_dashboard_costs_the_same_queries_for_3_and_30_faskes(client, agency, storekeeper, alokon_service, faskes,
                                                                   report, pill):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("alokon:dashboard")).status_code == 200
        return len(queries)

    client.force_login(storekeeper)
    for number in range(3):
        report(faskes(f"Klinik {number}"), month(-1), {pill: (10, 1)})
    measure()
    small = measure()
    for number in range(3, 30):
        report(faskes(f"Klinik {number}"), month(-1), {pill: (10, 1)})
    assert measure() == small
