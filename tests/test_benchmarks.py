"""The benchmarks at a few hundred records (issue 23): a seeder or a measurement that stops working fails the suite.

No time is asserted. The seeded shapes are (most records closed, the books consistent), and each page and call
the benchmarks measure runs once on the seeded rows, answering 200 and showing them.
"""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from alokon.models import Distribution, Movement, StockBalance
from benchmarks import alokon_stock, cases_list, complaints_year, volume, volume_pages
from cases.models import Case, TeamMember
from identitas.models import Facilitation
from portal.complaints.models import Complaint
from portal.models import Service, Unit

CASES, MOVEMENTS, FACILITATIONS = 150, 300, 40


@pytest.fixture(scope="class")
def province(django_db_setup, django_db_blocker):
    """The province seeded once for the class, rolled back after its last test (each test rolls back its own)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield volume.seed(cases=CASES, movements=MOVEMENTS, facilitations=FACILITATIONS)
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestSeededProvince:
    def test_most_cases_are_closed_a_few_dozen_open_over_several_years(self, province):
        cases = Case.objects.filter(service__in=[r.services["cases"] for r in province.regencies])
        assert cases.count() == CASES
        open_cases = cases.open().count()
        assert 0 < open_cases <= 0.3 * CASES
        oldest = cases.order_by("created_at").first().created_at
        assert oldest < timezone.now() - timedelta(days=3 * 365)
        assert cases.filter(created_at__gt=timezone.now()).count() == 0
        statuses = set(cases.values_list("status", flat=True))
        assert {"selesai", "ditutup", "dibatalkan"} < statuses and len(statuses) > 6

    def test_open_cases_have_a_team_and_the_ketua_has_tasks(self, province):
        open_cases = Case.objects.filter(service=province.regencies[0].services["cases"]).open()
        without_team = open_cases.exclude(status="report").exclude(team__function="social_worker")
        assert not without_team.exists()
        assert TeamMember.objects.filter(case__in=open_cases, user=province.regencies[0].users["peksos1"]).exists()
        assert open_cases.filter(status="report").exists()  # the Ketua assigns their team

    def test_most_facilitations_and_distributions_are_closed(self, province):
        regency = province.regencies[0]
        facilitations = Facilitation.objects.filter(service=regency.services["identitas"])
        assert facilitations.count() == FACILITATIONS
        assert 0 < facilitations.open().count() <= 0.3 * FACILITATIONS
        distributions = Distribution.objects.filter(service=regency.services["alokon"])
        assert 0 < distributions.open().count() < distributions.count() / 2

    def test_the_balances_are_the_ledgers_sums_and_no_lot_ever_goes_below_zero(self, province):
        warehouse = province.regencies[0].units["dinas"]
        movements = Movement.objects.filter(warehouse=warehouse)
        assert MOVEMENTS * 0.8 < movements.count() < MOVEMENTS * 2
        sums = dict(movements.values("lot_id").annotate(total=Sum("quantity")).values_list("lot_id", "total"))
        assert dict(StockBalance.objects.filter(warehouse=warehouse).values_list("lot_id", "quantity")) == sums
        running = defaultdict(int)
        for lot, quantity in movements.order_by("occurred_on", "pk").values_list("lot_id", "quantity"):
            running[lot] += quantity
            assert running[lot] >= 0
        kinds = set(movements.values_list("kind", flat=True))
        assert {"terima", "keluar"} <= kinds

    def test_names_repeat_for_search(self, province):
        names = Case.objects.values("victim__name").annotate(n=Count("pk")).filter(n__gt=1)
        assert names.exists()

    def test_each_page_of_the_volume_benchmark_answers_with_the_seeded_rows(self, province):
        for page in volume_pages.pages(province):
            fastest, median, queries, calls = volume_pages.measure(page, runs=1)
            assert queries > 0 and fastest <= median and calls > 1000, page.label

    def test_each_page_of_the_cases_benchmark_answers(self, province):
        for page in cases_list.pages(province):
            volume_pages.measure(page, runs=1)

    def test_each_call_of_the_stock_benchmark_runs(self, province):
        regency = province.regencies[0]
        for label, call, setup in alokon_stock.calls(regency):
            _median, _fastest, queries = alokon_stock.measure(call, 1, setup)
            assert queries > 0, label
        assert alokon_stock.balances_match(regency.units["dinas"])

    def test_the_province_is_found_again_and_a_second_one_takes_no_key_of_the_first(self, province):
        assert [r.users["ketua"] for r in volume.Province.load().regencies] == [r.users["ketua"] for r in province.regencies]
        before = Case.objects.count()
        second = volume.seed(cases=20, movements=40, facilitations=5)
        assert second.regencies[0].number == province.regencies[-1].number + 1
        assert Case.objects.count() == before + 20
        assert Unit.objects.filter(code__startswith="volume-kab-").count() == 2
        assert Service.objects.filter(slug__startswith="volume-").count() == 6


@pytest.mark.django_db
class TestComplaintsYear:
    """benchmarks/complaints_year.py at a few dozen complaints: its seeder and each page it measures."""

    def test_the_seeded_year_is_mostly_answered_and_each_page_answers(self, demo_loaded):
        made = complaints_year.seed(complaints=60, answers=12)
        assert made["complaints"] == 60 and 0 < made["replies"] <= 60 and made["answers"] == 36
        seeded = Complaint.objects.filter(text__startswith="Pengaduan uji beban")
        assert seeded.filter(status="selesai").count() > seeded.open().count()
        numbers = list(seeded.values_list("service", "year", "sequence"))
        assert len(numbers) == len(set(numbers))
        for page in complaints_year.pages():
            fastest, median, queries, calls = volume_pages.measure(page, runs=1)
            assert queries > 0 and fastest <= median and calls > 1000, page.label


@pytest.mark.django_db
class TestDashboardsYear:
    """benchmarks/dashboards_year.py at a few dozen records: its regency with a complaint desk, and each page it
    measures."""

    def test_the_regency_has_its_desk_and_each_dashboard_answers(self):
        from benchmarks import dashboards_year

        regency = dashboards_year.regency_seed(cases=60, facilitations=20, movements=200)
        made = complaints_year.seed(complaints=30, answers=5)
        assert made["complaints"] == 30
        assert Complaint.objects.filter(about__in=regency.services.values()).exists()
        counts, _complaints = dashboards_year.year_counts(regency)
        assert all(received > 0 for received, _completed, _open in counts.values())
        for page in dashboards_year.pages(regency):
            fastest, median, queries, calls = volume_pages.measure(page, runs=1)
            assert queries > 0 and fastest <= median and calls > 1000, page.label
