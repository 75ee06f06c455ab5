"""Search over the folded ``search_text`` of companies and people (see ``core.text``).

Every typed word must occur in the search text or sound like a word of the name. Hits are
ranked by how well the name matches the whole query — the name starting with it as words
(tier 0), starting with it (1), the query as a whole word inside (2), a word starting with it
(3), anything else: city, postcode, number (4), sound (5) — and within a tier by relevance, which
each list decides (for companies: the most recent contact). A hit that needs a sound-alike
(5) comes after every hit with the words as typed (4): "Brunner" finds "Bremer" by sound, but
"brunner bremen" means Brunner in Bremen.

A search box wants the best ten of possibly 200,000 hits ("technik" at a million companies),
so it must not rank every hit: ``best_ids`` finds them tier by tier, first among the most
relevant rows only (``window``), and goes to the whole table only for a tier that has too few
hits there — which makes that tier rare, and its exact ranking cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Collate, RowNumber
from django.db.models.lookups import StartsWith

from innendienst.core.text import PHONETIC_MARK, fold, phonetic_code

MAX_SEARCH_TOKENS = 6
# A window without enough hits outside the name-prefix tiers is tried once this much wider
# before every hit is ranked.
WIDER_WINDOW_FACTOR = 5
# Shorter words match too much to be worth a sound-alike lookup.
MIN_PHONETIC_TOKEN_LENGTH = 3


def tokens_of(query: str) -> list[str]:
    return fold(query).split()[:MAX_SEARCH_TOKENS]


def search_condition(query: str) -> Q | None:
    """Every typed word occurs in the folded search text, or sounds like a word there."""
    tokens = tokens_of(query)
    if not tokens:
        return None
    condition = Q()
    for token in tokens:
        token_condition = Q(search_text__contains=token)
        code = phonetic_code(token)
        if code and len(token) >= MIN_PHONETIC_TOKEN_LENGTH:
            token_condition |= Q(search_text__contains=f" {PHONETIC_MARK}{code} ")
        condition &= token_condition
    return condition


def name_starts(tokens: list[str]) -> list[str]:
    """What the name may start with: the words as typed and, for several words, the last
    one first — people are stored last name first ("mueller thomas") and typed first name
    first ("Thomas Müller"); a company typed "Maschinenbau Müller" is "Müller Maschinenbau"."""
    phrase = " ".join(tokens)
    return [phrase, " ".join([tokens[-1], *tokens[:-1]])] if len(tokens) > 1 else [phrase]


def _starts_with(starts: list[str], text: Any = "search_text", suffix: str = "") -> Q:
    condition = Q()
    for start in starts:
        condition |= Q(StartsWith(F(text) if isinstance(text, str) else text, start + suffix))
    return condition


def match_tier(query: str) -> Case:
    """0 (best) … 5: how the name matches the whole query."""
    tokens = tokens_of(query)
    if not tokens:
        return Case(default=Value(0), output_field=IntegerField())
    phrase = " ".join(tokens)
    starts = name_starts(tokens)
    return Case(
        When(_starts_with(starts, suffix=" "), then=Value(0)),
        When(_starts_with(starts), then=Value(1)),
        When(search_text__contains=f" {phrase} ", then=Value(2)),
        When(search_text__contains=f" {phrase}", then=Value(3)),
        When(literal_condition(tokens), then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )


def literal_condition(tokens: list[str]) -> Q:
    """Every typed word occurs as typed: a hit found without a sound-alike."""
    condition = Q()
    for token in tokens:
        condition &= Q(search_text__contains=token)
    return condition


def ranked(queryset: QuerySet, query: str, *then: Any) -> QuerySet:
    """Hits best first: by match tier, then by ``then`` (expressions or field names)."""
    return queryset.annotate(search_rank=match_tier(query)).order_by("search_rank", *then)


class Bytewise(Collate):
    """The search text compared byte by byte, as its folded ASCII sorts (Müller as
    Mueller: the phone-book order): PostgreSQL's "C" collation, SQLite's default. Under "C",
    PostgreSQL also reads a prefix ``LIKE`` as a range of the index."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, "C")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return compiler.compile(self.get_source_expressions()[0])


@dataclass(frozen=True)
class Relevance:
    """The order within a tier."""

    order: tuple[Any, ...]
    # The order starts with the search text: a name-prefix tier is a range of its index,
    # already in this order (people). Otherwise the tier is sorted, which also keeps the
    # planner from walking the order's index past rows the prefix never matches.
    prefix_in_order: bool = False


# Companies: the one in contact most recently is the one most likely meant.
COMPANY_RELEVANCE = Relevance(order=(F("last_contact_at").desc(nulls_last=True), "id"))
# People by their folded name, last name first: the phone-book order (Müller as Mueller).
PERSON_RELEVANCE = Relevance(order=(Bytewise("search_text"), "id"), prefix_in_order=True)


@contextmanager
def planned_each_time(using: str) -> Iterator[None]:
    """The statements run inside are not prepared (settings: ``prepare_threshold``): planned
    for a prepared statement, ``LIKE $1`` cannot read a name prefix as a range of the index,
    nor guess how many rows a typed word matches — a search's plan depends on what was typed."""
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    if not hasattr(raw, "prepare_threshold"):  # SQLite prepares nothing across calls
        yield
        return
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def best_ids(
    queryset: QuerySet, query: str, relevance: Relevance, window: int, limit: int
) -> list[int]:
    """The ids of the ``limit`` best hits in ``queryset``: by tier, then relevance — as
    ``ranked`` orders them, without ranking every hit.

    The first ``window`` rows of ``queryset`` in relevance order are searched first. The
    name-prefix tiers are exact: a tier with enough hits in the window has its best hits
    there, since the window is the start of that order; a tier without enough is read through
    the prefix index. The other tiers come from the window when it holds enough of them (the
    most relevant rows' hits, whole words before parts); only when it does not are they ranked
    in full — after a window five times as wide — which then concerns a word with few hits,
    or few among the most relevant rows. A window that held every row has every hit.
    """
    with planned_each_time(queryset.db):
        return _best_ids(queryset, query, relevance, window, limit)


def _best_ids(
    queryset: QuerySet, query: str, relevance: Relevance, window: int, limit: int
) -> list[int]:
    tokens = tokens_of(query)
    if not tokens:
        return []
    rows_read, in_window = window_hits(queryset, query, relevance, window, limit)
    complete = rows_read < window
    text = Bytewise("search_text") if relevance.prefix_in_order else F("search_text")
    starts = name_starts(tokens)
    found: list[int] = []
    for current in (0, 1):
        need = limit - len(found)
        hits = [pk for pk, hit_tier in in_window if hit_tier == current]
        if len(hits) < need and not complete:
            hits_of_tier = (
                queryset.filter(_starts_with(starts, text, " "))
                if current == 0
                else queryset.filter(_starts_with(starts, text)).exclude(
                    _starts_with(starts, text, " ")
                )
            )
            if relevance.prefix_in_order and len(starts) == 1:
                # One range of the index, already in relevance order.
                hits_of_tier = hits_of_tier.order_by(*relevance.order)
            else:
                # Sorted as a tier, so that the planner reads the prefix ranges and never walks
                # the relevance index past rows that no prefix can match.
                hits_of_tier = hits_of_tier.annotate(search_rank=match_tier(query))
                hits_of_tier = hits_of_tier.order_by("search_rank", *relevance.order)
            hits = list(hits_of_tier.values_list("pk", flat=True)[:need])
        found += hits[:need]
    need = limit - len(found)
    if need <= 0:
        return found[:limit]
    rest = [pk for pk, hit_tier in in_window if hit_tier > 1]
    if len(rest) < need and not complete:
        # A word that is rare among the most relevant rows (a first name among people in
        # phone-book order) is usually common enough in a wider window, which costs a
        # fraction of ranking all its hits.
        rows_read, in_window = window_hits(
            queryset, query, relevance, window * WIDER_WINDOW_FACTOR, limit
        )
        complete = rows_read < window * WIDER_WINDOW_FACTOR
        rest = [pk for pk, hit_tier in in_window if hit_tier > 1]
    if len(rest) < need and not complete:
        # Ordered by the tier first, so no index can stand in for the ranking: the planner
        # finds the hits through the trigram index and sorts only those.
        rest = list(
            queryset.filter(search_condition(query))
            .exclude(_starts_with(starts, text))
            .annotate(search_rank=match_tier(query))
            .order_by("search_rank", *relevance.order)
            .values_list("pk", flat=True)[:need]
        )
    return found + rest[:need]


def window_hits(
    queryset: QuerySet, query: str, relevance: Relevance, window: int, limit: int
) -> tuple[int, list[tuple[int, int]]]:
    """How many rows the window holds (at most ``window``), and (id, tier) of the best
    ``limit`` hits of each tier among them."""
    tokens = tokens_of(query)
    first_rows = (
        queryset.annotate(place=Window(RowNumber(), order_by=relevance.order))
        .order_by(*relevance.order)
        .values("id", "search_text", "place")[:window]
    )
    inner_sql, inner_params = first_rows.query.sql_with_params()
    # Written out over the window's columns rather than compiled from ``search_condition``
    # and ``match_tier`` (a test holds them equal): compiled, they cost 2 ms more a search.
    match_sql, match_params = _match_sql(tokens)
    tier_sql, tier_params = _tier_sql(tokens)
    # The window is read once, along the order's index, and no further than its LIMIT,
    # however few of its rows match.
    sql = (
        f"WITH first_rows AS ({inner_sql})"
        " SELECT seen.rows_read, ranked.id, ranked.tier"
        " FROM (SELECT COUNT(*) AS rows_read FROM first_rows) seen LEFT JOIN ("
        "SELECT id, tier, ROW_NUMBER() OVER (PARTITION BY tier ORDER BY place)"
        f" AS place FROM (SELECT first_rows.*, {tier_sql} AS tier FROM first_rows"
        f" WHERE {match_sql}) hits) ranked ON ranked.place <= %s"
        " ORDER BY ranked.tier, ranked.place"
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, (*inner_params, *tier_params, *match_params, limit))
        rows = cursor.fetchall()
    return rows[0][0], [(pk, tier) for _read, pk, tier in rows if pk is not None]


def _match_sql(tokens: list[str]) -> tuple[str, list[str]]:
    """``search_condition`` over the column ``search_text`` of a subquery."""
    parts, params = [], []
    for token in tokens:
        alternatives = ["search_text LIKE %s"]
        params.append(f"%{token}%")
        code = phonetic_code(token)
        if code and len(token) >= MIN_PHONETIC_TOKEN_LENGTH:
            alternatives.append("search_text LIKE %s")
            params.append(f"% {PHONETIC_MARK}{code} %")
        parts.append(f"({' OR '.join(alternatives)})")
    return " AND ".join(parts), params


def _tier_sql(tokens: list[str]) -> tuple[str, list[str]]:
    """``match_tier`` over the column ``search_text`` of a subquery."""
    phrase = " ".join(tokens)
    starts = name_starts(tokens)
    any_start = " OR ".join(["search_text LIKE %s"] * len(starts))
    literal = " AND ".join(["search_text LIKE %s"] * len(tokens))
    return (
        f"CASE WHEN ({any_start}) THEN 0 WHEN ({any_start}) THEN 1"
        " WHEN search_text LIKE %s THEN 2 WHEN search_text LIKE %s THEN 3"
        f" WHEN {literal} THEN 4 ELSE 5 END",
        [f"{start} %" for start in starts]
        + [f"{start}%" for start in starts]
        + [f"% {phrase} %", f"% {phrase}%"]
        + [f"%{token}%" for token in tokens],
    )
