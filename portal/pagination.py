"""Counting no further than a page needs, so that a list costs the same with a year of records as with a week.

An agency keeps every record for years; a register or a worklist shows a page of them. Counting all of them on
every view reads them all, so counts here stop at a limit: the page says "lebih dari 1.000" beyond it, and the
filters narrow the list.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# How far a register counts; its pages reach this many rows, and filters or the search find the others.
REGISTER_COUNT_LIMIT = 1000
# The rows of a register's page. On a phone each row stacks into a card of six to eight lines, and its rows are
# most of a register's time (benchmarks/volume_pages.py): 25 are what an officer reads before narrowing.
REGISTER_PAGE_SIZE = 25


def bounded_count(queryset, limit) -> tuple[int, bool]:
    """(how many rows `queryset` has, counted up to `limit`; whether there are more). The database stops after
    limit + 1 rows."""
    count = queryset.order_by()[: limit + 1].count()
    return min(count, limit), count > limit


class BoundedPaginator(Paginator):
    """A paginator that counts up to `limit` rows (`more`: there are others beyond them). Its pages are the first
    `limit` rows in the list's order."""

    def __init__(self, object_list, per_page, *, limit=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit or REGISTER_COUNT_LIMIT

    @cached_property
    def _bounded(self):
        return bounded_count(self.object_list, self.limit)

    @cached_property
    def count(self):
        return self._bounded[0]

    @property
    def more(self):
        return self._bounded[1]
