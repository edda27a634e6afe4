"""Reads of the faskes' own stock, from their monthly reports (MonthlyReport, ReportStock): how long each item lasts
at each faskes, for the warehouse's dashboard. The warehouse's books are alokon.stock's.

A faskes' stock of an item is what its latest report says remains (`remaining`, at the end of the report's
month); its use, the average `used` of its latest USE_REPORTS reports of the item. Months of stock = stock / use;
below RISK_MONTHS the faskes risks running out before its next distribution. Only reports of the last
REPORT_MONTHS months are read: an older one says nothing of the stock now, and the rows read stay a few per faskes
and item however many years of reports are kept. What the warehouse sent after the report's month is not in it:
the page says so.

The routine plan (alokon.services.allocation) proposes from the three calendar months before the plan, a month
without a report counting as no use; here the last three reports a faskes sent count, so that a report not yet
due (the 15th) or one missed does not halve the use and hide a risk.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from alokon.models import Facility, Item, MonthlyReport, ReportStock
from portal.clock import add_months

USE_REPORTS = 3
REPORT_MONTHS = 6
RISK_MONTHS = 1


@dataclass
class FacilityStock:
    facility_id: int
    facility_name: str
    kecamatan: str
    item_name: str
    unit_of_issue: str  # its label
    report_id: int  # the latest report
    month: date  # its month
    remaining: int
    monthly_use: float  # over `reports` reports
    reports: int

    @property
    def months_of_stock(self):
        return self.remaining / self.monthly_use if self.monthly_use else None


def stockout_risk(warehouse, *, today=None, below=RISK_MONTHS) -> list[FacilityStock]:
    """The items of the warehouse's active faskes that last less than `below` months at their reported use, the
    shortest first. One query."""
    today = today or timezone.localdate()
    rows = (
        ReportStock.objects.filter(
            report__facility__unit=warehouse, report__facility__is_active=True,
            report__month__gte=add_months(today.replace(day=1), -REPORT_MONTHS),
        )
        .order_by("report__facility_id", "item_id", "-report__month")
        .values(
            "report_id", "report__month", "report__facility_id", "report__facility__name",
            "report__facility__kecamatan__name", "item_id", "item__name", "item__unit_of_issue", "used", "remaining",
        )
    )
    latest = defaultdict(list)  # (facility, item) -> its rows, newest first, up to USE_REPORTS
    for row in rows:
        reports = latest[(row["report__facility_id"], row["item_id"])]
        if len(reports) < USE_REPORTS:
            reports.append(row)
    result = []
    for reports in latest.values():
        last = reports[0]
        stock = FacilityStock(
            facility_id=last["report__facility_id"], facility_name=last["report__facility__name"],
            kecamatan=last["report__facility__kecamatan__name"], item_name=last["item__name"],
            unit_of_issue=Item.IssueUnit(last["item__unit_of_issue"]).label, report_id=last["report_id"],
            month=last["report__month"], remaining=last["remaining"],
            monthly_use=sum(r["used"] for r in reports) / len(reports), reports=len(reports),
        )
        if stock.months_of_stock is not None and stock.months_of_stock < below:
            result.append(stock)
    return sorted(result, key=lambda s: (s.months_of_stock, s.facility_name, s.item_name))


def not_reported(month):
    """The active faskes that have not filed their report of `month`: the dashboard's "belum melapor", and whom
    the reminder round tells that it is due (alokon.reminders)."""
    reported = MonthlyReport.objects.filter(facility=OuterRef("pk"), month=month)
    return Facility.objects.filter(is_active=True).exclude(Exists(reported))
