"""Search over the folded ``search_text`` of companies and people (see ``core.text``).

Every typed word must occur in the search text or sound like a word of the name. Hits are
ranked by how well the name matches — the name starting with the whole query as words, then
as a word start, then the query as a whole word inside the name, then a word starting with
it, then anything else (city, postcode, number, sound) — and within a tier by relevance, which
each list decides (for companies: the user's own accounts, then the most recent contact).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from innendienst.core.text import PHONETIC_MARK, fold, phonetic_code

MAX_SEARCH_TOKENS = 6
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
    """0 (best) … 4: how the name matches the whole query."""
    phrase = " ".join(tokens_of(query))
    return Case(
        When(search_text__startswith=f"{phrase} ", then=Value(0)),
        When(search_text__startswith=phrase, then=Value(1)),
        When(search_text__contains=f" {phrase} ", then=Value(2)),
        When(search_text__contains=f" {phrase}", then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def ranked(queryset: QuerySet, query: str, *then: Any) -> QuerySet:
    """Hits best first: by match tier, then by ``then`` (expressions or field names)."""
    return queryset.annotate(search_rank=match_tier(query)).order_by("search_rank", *then)
