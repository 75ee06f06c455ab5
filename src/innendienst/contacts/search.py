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

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate
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
    """The order within a tier: as ORM expressions for a list's ranking (``ranked``), and
    written out for ``best_ids`` — ``{text}`` is the search text as it sorts."""

    order: tuple[Any, ...]
    sql: str
    # The order starts with the search text: a name-prefix tier is a range of its index,
    # already in this order (people). Otherwise the tier is sorted, which also keeps the
    # planner from walking the order's index past rows the prefix never matches.
    prefix_in_order: bool = False


# Companies: the one in contact most recently is the one most likely meant.
COMPANY_RELEVANCE = Relevance(
    order=(F("last_contact_at").desc(nulls_last=True), "id"),
    sql="{table}.last_contact_at DESC NULLS LAST, {table}.id",
)
# People by their folded name, last name first: the phone-book order (Müller as Mueller).
PERSON_RELEVANCE = Relevance(
    order=(Bytewise("search_text"), "id"), sql="{text}, {table}.id", prefix_in_order=True
)


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


@dataclass(frozen=True)
class Searched:
    """The rows a search reads, as SQL that its statements add conditions to: the queryset's
    table and its condition, compiled once. The statements are written out rather than
    compiled from querysets: compiling them cost as much as running them (a search box's ten
    hits took twice the time of the same statements written by hand)."""

    table: str
    where: str
    params: tuple[Any, ...]
    # The search text as it sorts in the relevance order, and as a prefix reads the index.
    text: str
    order: str
    using: str

    @classmethod
    def of(cls, queryset: QuerySet, relevance: Relevance) -> Searched:
        connection = connections[queryset.db]
        query = queryset.query
        table_alias = query.get_meta().db_table
        table = connection.ops.quote_name(table_alias)
        text = f"{table}.search_text"
        if relevance.prefix_in_order and connection.vendor == "postgresql":
            text = f'{text} COLLATE "C"'
        order = relevance.sql.format(table=table, text=text)
        joined = any(
            query.alias_refcount[alias] for alias in query.alias_map if alias != table_alias
        )
        if joined or query.combinator or query.is_sliced or query.distinct or query.extra_tables:
            # More than conditions on the table's own columns (a join, a union, a slice): the
            # rows by their ids.
            inner, params = queryset.order_by().values("pk").query.sql_with_params()
            where, params = f"{table}.id IN ({inner})", tuple(params)
            return cls(table, where, params, text, order, queryset.db)
        try:
            where, params = query.get_compiler(connection=connection).compile(query.where)
        except FullResultSet:
            where, params = "1 = 1", ()
        except EmptyResultSet:
            where, params = "1 = 0", ()
        return cls(table, where, tuple(params), text, order, queryset.db)

    def ids(
        self, condition: str, params: list[Any], limit: int, order: tuple[str, list[Any]]
    ) -> list[int]:
        order_sql, order_params = order
        sql = (
            f"SELECT {self.table}.id FROM {self.table} WHERE ({self.where}) AND {condition}"
            f" ORDER BY {order_sql} LIMIT %s"
        )
        return [row[0] for row in self.fetch(sql, [*self.params, *params, *order_params, limit])]

    def fetch(self, sql: str, params: list[Any]) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


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
    searched = Searched.of(queryset, relevance)
    rows_read, in_window = window_hits(searched, tokens, window, limit)
    complete = rows_read < window
    starts = name_starts(tokens)
    any_start = " OR ".join([f"{searched.text} LIKE %s"] * len(starts))
    whole_words = [f"{start} %" for start in starts]
    prefixes = [f"{start}%" for start in starts]
    tier_sql, tier_params = _tier_sql(tokens, f"{searched.table}.search_text")
    # Sorted as a tier, so that the planner reads the prefix ranges and never walks the
    # relevance index past rows that no prefix can match — unless one range of the index is
    # already in relevance order.
    tier_order = (f"{tier_sql}, {searched.order}", tier_params)
    prefix_order = (
        (searched.order, []) if relevance.prefix_in_order and len(starts) == 1 else tier_order
    )
    found: list[int] = []
    for current, condition, params in (
        (0, f"({any_start})", whole_words),
        (1, f"({any_start}) AND NOT ({any_start})", [*prefixes, *whole_words]),
    ):
        need = limit - len(found)
        hits = [pk for pk, hit_tier in in_window if hit_tier == current]
        if len(hits) < need and not complete:
            hits = searched.ids(condition, params, need, prefix_order)
        found += hits[:need]
    need = limit - len(found)
    if need <= 0:
        return found[:limit]
    rest = [pk for pk, hit_tier in in_window if hit_tier > 1]
    if len(rest) < need and not complete:
        # A word that is rare among the most relevant rows (a first name among people in
        # phone-book order) is usually common enough in a wider window, which costs a
        # fraction of ranking all its hits.
        wider = window * WIDER_WINDOW_FACTOR
        rows_read, in_window = window_hits(searched, tokens, wider, limit)
        complete = rows_read < wider
        rest = [pk for pk, hit_tier in in_window if hit_tier > 1]
    if len(rest) < need and not complete:
        # Ordered by the tier first, so no index can stand in for the ranking: the planner
        # finds the hits through the trigram index and sorts only those.
        match_sql, match_params = _match_sql(tokens, f"{searched.table}.search_text")
        rest = searched.ids(
            f"{match_sql} AND NOT ({any_start})", [*match_params, *prefixes], need, tier_order
        )
    return found + rest[:need]


def window_hits(
    searched: Searched, tokens: list[str], window: int, limit: int
) -> tuple[int, list[tuple[int, int]]]:
    """How many rows the window holds (at most ``window``), and (id, tier) of the best
    ``limit`` hits of each tier among them."""
    match_sql, match_params = _match_sql(tokens)
    tier_sql, tier_params = _tier_sql(tokens)
    table = searched.table
    # The window is read once, along the order's index, and no further than its LIMIT,
    # however few of its rows match.
    sql = (
        f"WITH first_rows AS (SELECT {table}.id AS id, {table}.search_text AS search_text,"
        f" ROW_NUMBER() OVER (ORDER BY {searched.order}) AS place"
        f" FROM {table} WHERE {searched.where} ORDER BY {searched.order} LIMIT %s)"
        " SELECT seen.rows_read, ranked.id, ranked.tier"
        " FROM (SELECT COUNT(*) AS rows_read FROM first_rows) seen LEFT JOIN ("
        "SELECT id, tier, ROW_NUMBER() OVER (PARTITION BY tier ORDER BY place)"
        f" AS place FROM (SELECT first_rows.*, {tier_sql} AS tier FROM first_rows"
        f" WHERE {match_sql}) hits) ranked ON ranked.place <= %s"
        " ORDER BY ranked.tier, ranked.place"
    )
    rows = searched.fetch(sql, [*searched.params, window, *tier_params, *match_params, limit])
    return rows[0][0], [(pk, tier) for _read, pk, tier in rows if pk is not None]


def _match_sql(tokens: list[str], column: str = "search_text") -> tuple[str, list[str]]:
    """``search_condition`` over ``column``: a subquery's ``search_text`` or the table's."""
    parts, params = [], []
    for token in tokens:
        alternatives = [f"{column} LIKE %s"]
        params.append(f"%{token}%")
        code = phonetic_code(token)
        if code and len(token) >= MIN_PHONETIC_TOKEN_LENGTH:
            alternatives.append(f"{column} LIKE %s")
            params.append(f"% {PHONETIC_MARK}{code} %")
        parts.append(f"({' OR '.join(alternatives)})")
    return " AND ".join(parts), params


def _tier_sql(tokens: list[str], column: str = "search_text") -> tuple[str, list[str]]:
    """``match_tier`` over ``column``: a subquery's ``search_text`` or the table's."""
    phrase = " ".join(tokens)
    starts = name_starts(tokens)
    any_start = " OR ".join([f"{column} LIKE %s"] * len(starts))
    literal = " AND ".join([f"{column} LIKE %s"] * len(tokens))
    return (
        f"CASE WHEN ({any_start}) THEN 0 WHEN ({any_start}) THEN 1"
        f" WHEN {column} LIKE %s THEN 2 WHEN {column} LIKE %s THEN 3"
        f" WHEN {literal} THEN 4 ELSE 5 END",
        [f"{start} %" for start in starts]
        + [f"{start}%" for start in starts]
        + [f"% {phrase} %", f"% {phrase}%"]
        + [f"%{token}%" for token in tokens],
    )
