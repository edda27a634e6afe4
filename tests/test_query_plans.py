"""The start page's worklists and the registers read open records through their partial indexes, in the index's
order, so that their cost does not grow with the closed records of the years an agency keeps.

On the demo's few rows PostgreSQL would rather scan the table and sort; with both off, each list's main query
must be served by its index: a change that drops the index, or a filter the index no longer matches, fails
here. The figures at volume are benchmarks/volume.py's.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Victim
from identitas.models import Person
from portal.selectors import worklist


def plan_of(sql, *, sort=False):
    """The plan of `sql` where neither a table scan nor (unless `sort`) a sort is worth it: as at volume, where
    only an index that both selects the list's rows and holds them in its order keeps the page from reading
    everything. A search finds few rows: sorting them is cheap, finding them is what needs the index."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off" if sort else "SET enable_seqscan = off; SET enable_sort = off")
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_sort")


def main_query(queries, table):
    """The list's query: the one reading a page of rows of `table` in the list's order."""
    [sql] = [
        q["sql"] for q in queries
        if f'FROM "{table}"' in q["sql"] and " ORDER BY " in q["sql"] and " LIMIT " in q["sql"]
        and not q["sql"].startswith("SELECT COUNT")
    ]
    return sql


@pytest.mark.django_db
class TestTheListsReadOpenRecordsThroughTheirIndexes:
    @pytest.fixture(autouse=True)
    def demo(self, demo_loaded, require_postgresql):
        pass

    @pytest.mark.parametrize(("username", "table", "index"), [
        ("kepala.p2tp2a-ciamis", "cases_case", "case_open_worklist"),
        ("petugas.rehdayasos-purwakarta", "identitas_facilitation", "facilitation_open_worklist"),
        ("gudang.dppkbpppa-ciamis", "alokon_distribution", "distribution_open_worklist"),
    ])
    def test_the_start_pages_worklist(self, username, table, index):
        user = get_user_model().objects.get(username=username)
        with CaptureQueriesContext(connection) as queries:
            works = worklist(user)
        assert any(work.waiting for work in works)  # the plan is of a list that holds something
        assert f"using {index} on {table}" in plan_of(main_query(queries.captured_queries, table))

    @pytest.mark.parametrize(("username", "url", "table", "index"), [
        ("kepala.p2tp2a-ciamis", "cases:register", "cases_case", "case_open_due"),
        ("kepala.rehdayasos-purwakarta", "identitas:register", "identitas_facilitation", "facilitation_open_received"),
        ("gudang.dppkbpppa-ciamis", "alokon:distributions", "alokon_distribution", "distribution_open_created"),
    ])
    def test_the_registers_first_page(self, client, username, url, table, index):
        client.force_login(get_user_model().objects.get(username=username))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url))
        assert response.status_code == 200 and response.context["page"].object_list
        assert f"using {index} on {table}" in plan_of(main_query(queries.captured_queries, table))

    @pytest.mark.parametrize(("person", "index"), [(Victim, "cases_victim_name_trgm"), (Person, "identitas_person_name_trgm")])
    def test_a_search_by_name_or_nik(self, person, index):
        """The search's condition on the person (portal.identity.search) is found through the name's trigram
        index and the NIK's index together, whatever the register around it."""
        name = person.objects.order_by("pk").values_list("name", flat=True).first()
        found = person.objects.filter(Q(name__icontains=name[1:5]) | Q(nik=name[1:5]))
        assert found.exists()
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")  # no walk of the whole table
            try:
                sql, params = found.query.sql_with_params()
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            finally:
                cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
        assert f"Bitmap Index Scan on {index}" in plan and "Bitmap Index Scan on" in plan.split(index, 1)[1]
