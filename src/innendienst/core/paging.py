"""Pages of long lists whose count stops at a limit.

An exact count of 300,000 visible companies costs more than the page itself (it reads every
row); nobody pages through a hundred pages, they search or filter instead. So a list counts
up to ``LIST_COUNT_LIMIT`` rows, says "more than 5,000" beyond, and offers the pages up to
there — which also keeps every ``OFFSET`` below the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet

LIST_COUNT_LIMIT = 5_000


class LimitedPaginator(Paginator):
    def __init__(
        self, object_list: QuerySet | list[Any], per_page: int, limit: int | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        self.limit = LIST_COUNT_LIMIT if limit is None else limit

    @cached_property
    def _counted(self) -> int:
        """The rows up to one past the limit: enough to know whether there are more."""
        return self.object_list.values("pk").order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def is_limited(self) -> bool:
        """More rows match than the count says (and the pages reach)."""
        return self._counted > self.limit


class RankedPaginator(LimitedPaginator):
    """Pages of search hits, best first, ranked without ranking every hit.

    ``rank(n)`` gives the ids of the best ``n`` hits (fewer when there are fewer), the same
    order for every page; ``fetch(ids)`` their rows in that order. The hits are counted from
    the ranking itself — one past the limit says whether there are more. A search is for
    finding, not for paging: the pages end at ``limit`` hits.
    """

    def __init__(
        self,
        per_page: int,
        *,
        rank: Callable[[int], list[int]],
        fetch: Callable[[list[int]], list],
        limit: int,
    ) -> None:
        super().__init__([], per_page, limit)
        self.rank, self.fetch = rank, fetch

    @cached_property
    def ranked(self) -> list[int]:
        return self.rank(self.limit + 1)

    @cached_property
    def _counted(self) -> int:
        return len(self.ranked)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(self.fetch(self.ranked[bottom:top]), number, self)


class MergedPaginator(LimitedPaginator):
    """Pages of a list read as a merge of ordered parts.

    ``parts`` and ``rest`` hold exactly the rows of ``object_list`` between them. Each part is
    read along an index in ``order`` (field names, ``-`` for descending, ending in a unique
    one), only up to the page's end, however far the whole list's index would walk past rows of
    other parts; ``rest`` is expected to be small and is read whole, by its own indexes, and
    sorted. ``fetch(ids)`` gives the page's rows in that order.
    """

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        parts: list[QuerySet],
        rest: QuerySet,
        order: tuple[str, ...],
        fetch: Callable[[list[int]], list],
    ) -> None:
        super().__init__(object_list, per_page)
        self.parts, self.rest, self.order, self.fetch = parts, rest, order, fetch

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(self.fetch(self.merged_ids(bottom, top)), number, self)

    def merged_ids(self, bottom: int, top: int) -> list[int]:
        columns = ["pk", *(term.lstrip("-") for term in self.order)]
        selects, params = [], []
        for part in self.parts:
            rows = part.order_by(*self.order).values_list(*columns)[:top]
            sql, part_params = rows.query.sql_with_params()
            selects.append(f"SELECT * FROM ({sql}) part")
            params += part_params
        # OFFSET 0 keeps the planner from reading the rest along the order's index, walking
        # past every row of the parts to find its few.
        connection = connections[self.object_list.db]
        sql, rest_params = self.rest.order_by().values_list(*columns).query.sql_with_params()
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        selects.append(f"SELECT * FROM ({sql}{fence}) rest")
        params += rest_params
        order = ", ".join(
            f"{place} {'DESC' if term.startswith('-') else 'ASC'}"
            for place, term in enumerate(self.order, start=2)
        )
        merged = " UNION ALL ".join(selects)
        sql = f"SELECT * FROM ({merged}) merged ORDER BY {order} LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, top - bottom, bottom])
            return [row[0] for row in cursor.fetchall()]
