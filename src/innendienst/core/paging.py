"""Pages of long lists whose count stops at a limit.

An exact count of 300,000 visible companies costs more than the page itself (it reads every
row); nobody pages through more than a few hundred pages, they search or filter instead. So
a list counts up to ``LIST_COUNT_LIMIT`` rows, says "more than 10,000" beyond, and offers the
pages up to there — which also keeps every ``OFFSET`` below the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.core.paginator import Page, Paginator

LIST_COUNT_LIMIT = 10_000


class LimitedPaginator(Paginator):
    def __init__(self, object_list, per_page: int, limit: int | None = None) -> None:
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

    ``rank()`` gives the ids of the best hits, up to ``limit``, in the same order for every
    page; ``fetch(ids)`` their rows in that order; ``object_list`` (the hits, unordered) is
    only counted. A search is for finding, not for paging: the pages end at ``limit`` hits.
    """

    def __init__(
        self,
        object_list,
        per_page: int,
        *,
        rank: Callable[[], list[int]],
        fetch: Callable[[list[int]], list],
        limit: int,
    ) -> None:
        super().__init__(object_list, per_page, limit)
        self.rank, self.fetch = rank, fetch

    def _check_object_list_is_ordered(self) -> None:
        """The hits are only counted here; ``rank`` orders them."""

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(self.fetch(self.rank()[bottom:top]), number, self)
