"""A paginator whose count stays cheap on a table of a million rows: exact up to a cap, estimated above.

Counting every one of 1,000,000 findings to print "1,000,000 findings" and the number of pages costs
more than reading the page itself. Up to `cap` rows the count is exact (counting at most `cap + 1`
rows); above it, PostgreSQL's planner estimate of the query's rows is used and `estimated` is set, so
the page says "about 1,000,000". Other databases (SQLite, the embedded default, with small data) count
exactly.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

__all__ = ["EstimatedCountPaginator"]


class EstimatedCountPaginator(Paginator):
    cap = 10_000
    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list.order_by()
        if connections[queryset.db].vendor != "postgresql":
            return queryset.count()
        exact = queryset[: self.cap + 1].count()
        if exact <= self.cap:
            return exact
        plan = json.loads(queryset.explain(format="json"))
        self.estimated = True
        return max(int(plan[0]["Plan"]["Plan Rows"]), exact)
