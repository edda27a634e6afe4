"""Registers count no further than they show (portal.pagination), and say so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.pagination import BoundedPaginator, bounded_count
from portal.services import workflow_start
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(division, officer, new_ticket):
    def make(count):
        for number in range(count):
            workflow_start(new_ticket(division, title=f"Tiket {number}"), actor=officer)
        return Ticket.objects.order_by("pk")

    return make


def test_a_count_stops_after_its_limit(tickets):
    assert bounded_count(tickets(4), 5) == (4, False)
    assert bounded_count(tickets(3), 5) == (5, True)
    with CaptureQueriesContext(connection) as queries:
        bounded_count(Ticket.objects.all(), 5)
    assert "LIMIT 6" in queries.captured_queries[0]["sql"]


def test_the_paginator_pages_through_the_counted_rows_and_says_there_are_more(tickets):
    rows = tickets(7)
    paginator = BoundedPaginator(rows, 2, limit=5)
    assert (paginator.count, paginator.more, paginator.num_pages) == (5, True, 3)
    assert [t.title for t in paginator.page(3)] == ["Tiket 4"]
    exact = BoundedPaginator(rows, 2, limit=10)
    assert (exact.count, exact.more) == (7, False)

