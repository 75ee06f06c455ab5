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

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Collate, RowNumber
from django.db.models.lookups import StartsWith

from innendienst.core.text import PHONETIC_MARK, fold, phonetic_code

MAX_SEARCH_TOKENS = 6
TIERS = range(6)
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


def match_tier(query: str) -> Case:
    """0 (best) … 5: how the name matches the whole query."""
    tokens = tokens_of(query)
    phrase = " ".join(tokens)
    return Case(
        When(search_text__startswith=f"{phrase} ", then=Value(0)),
        When(search_text__startswith=phrase, then=Value(1)),
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


def best_ids(
    queryset: QuerySet, query: str, relevance: Relevance, window: int, limit: int
) -> list[int]:
    """The ids of the ``limit`` best hits in ``queryset``: by tier, then relevance — exactly
    as ``ranked`` orders them, without ranking every hit.

    The first ``window`` rows of ``queryset`` in relevance order are searched first. A tier
    with enough hits there has its best hits there, since the window is the start of that
    order; so has every tier when the window held all rows. For the first tier without
    enough, the hits are ranked in full: through the prefix index for the name-prefix tiers,
    and for the others in one query for all remaining tiers — few hits overall, or few among
    the window's rows.
    """
    tokens = tokens_of(query)
    if not tokens:
        return []
    rows_read, in_window = window_hits(queryset, query, relevance, window, limit)
    phrase = " ".join(tokens)
    tier = match_tier(query)
    found: list[int] = []
    for current in TIERS:
        need = limit - len(found)
        if need <= 0:
            break
        hits = [pk for pk, hit_tier in in_window if hit_tier == current]
        if len(hits) >= need or rows_read < window:
            found += hits[:need]
            continue
        # Ordered by the tier first, so no index can stand in for the ranking: the planner
        # finds the hits through the search indexes and sorts only those.
        text = Bytewise("search_text") if relevance.prefix_in_order else F("search_text")
        if current == 0:
            hits_of_tier = queryset.filter(StartsWith(text, f"{phrase} "))
        elif current == 1:
            hits_of_tier = queryset.filter(StartsWith(text, phrase)).exclude(
                StartsWith(text, f"{phrase} ")
            )
        else:
            hits_of_tier = (
                queryset.filter(search_condition(query))
                .exclude(search_text__startswith=phrase)
                .annotate(search_rank=tier)
                .filter(search_rank__gte=current)
            )
        if current > 1 or not relevance.prefix_in_order:
            hits_of_tier = hits_of_tier.annotate(search_rank=tier).order_by(
                "search_rank", *relevance.order
            )
        else:
            hits_of_tier = hits_of_tier.order_by(*relevance.order)
        found += list(hits_of_tier.values_list("pk", flat=True)[:need])
        if current > 1:
            break  # the remaining tiers are ranked in full
    return found


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
    literal = " AND ".join(["search_text LIKE %s"] * len(tokens))
    return (
        "CASE WHEN search_text LIKE %s THEN 0 WHEN search_text LIKE %s THEN 1"
        " WHEN search_text LIKE %s THEN 2 WHEN search_text LIKE %s THEN 3"
        f" WHEN {literal} THEN 4 ELSE 5 END",
        [f"{phrase} %", f"{phrase}%", f"% {phrase} %", f"% {phrase}%"]
        + [f"%{token}%" for token in tokens],
    )
