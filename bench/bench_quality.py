"""Search quality: is the company a user means among the first three hits of what she types?

For companies drawn at random, each typed the ways people type a name they half remember.
At a million companies many share a name (dozens of "Müller Metallbau GmbH"), and what is
typed without the legal form cannot tell "… GmbH" from "… KG": a hit is the company itself or
one that the typed words cannot tell from it — the same full name for the full name, the same
name words for the name without legal form, the same name words and city with the city; for
the customer number only the company itself.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

SAMPLE = 150
TOP = 3

LEGAL_FORM = re.compile(
    r"\b(gmbh|ag|kg|ohg|ug|e\.?\s?k\.?|e\.?\s?u\.?|gesmbh|og|sàrl|sarl|sa|co\.?|"
    r"haftungsbeschränkt|&)\b|[()&.,]",
    re.IGNORECASE,
)
UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
DOTLESS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U"})
# Spellings that sound alike in German names: what a rep types after a phone call.
SOUND_ALIKE = [
    ("ai", "ei"),
    ("ei", "ai"),
    ("ey", "ei"),
    ("ay", "ai"),
    ("dt", "tt"),
    ("tt", "dt"),
    ("th", "t"),
    ("ph", "f"),
    ("ck", "k"),
    ("tz", "z"),
    ("mm", "m"),
    ("nn", "n"),
    ("ll", "l"),
    ("ss", "ß"),
]


def _words(name: str) -> list[str]:
    return [word for word in LEGAL_FORM.sub(" ", name).split() if len(word) > 1]


def _sound_alike(word: str) -> str | None:
    lowered = word.lower()
    for old, new in SOUND_ALIKE:
        if old in lowered:
            return lowered.replace(old, new, 1)
    return None


def variants(name: str, city: str, customer_number: str) -> list[tuple[str, str, str]]:
    """(kind, typed, what tells the hit apart: "name", "words", "words_city" or "id")."""
    words = _words(name)
    typed: list[tuple[str, str, str]] = [("exact name", name, "name")]
    if not words:
        return typed
    core = " ".join(words)
    typed.append(("without legal form, lower case", core.lower(), "words"))
    if core.translate(UMLAUTS) != core:
        typed.append(("umlaut as ae/oe/ue", core.translate(UMLAUTS), "words"))
        typed.append(("umlaut without dots", core.translate(DOTLESS), "words"))
    if len(words) > 1 and len(words[0]) >= 7 and len(words[1]) >= 6:
        typed.append(("word starts", f"{words[0][:5]} {words[1][:4]}", "words"))
    sounding = _sound_alike(words[0])
    if sounding:
        typed.append(("sounds alike", " ".join([sounding, *words[1:]]), "words"))
    typed.append(("name and city", f"{core} {city}", "words_city"))
    if customer_number:
        typed.append(("customer number", customer_number, "id"))
    return typed


def _name_words(name: str) -> str:
    from innendienst.core.text import fold

    return fold(" ".join(_words(name)))


def _hit(expected: Any, found: list[Any], identity: str) -> bool:
    for company in found:
        if company.pk == expected.pk:
            return True
        same_words = _name_words(company.name) == _name_words(expected.name)
        if identity == "name" and company.name == expected.name:
            return True
        if identity == "words" and same_words:
            return True
        if identity == "words_city" and same_words and company.city == expected.city:
            return True
    return False


def measure(search: Callable[[Any, str, int], list[Any]], user: Any, companies: list[Any]) -> dict:
    per_kind: dict[str, list[int]] = {}
    misses: list[str] = []
    for company in companies:
        for kind, typed, identity in variants(
            company.name, company.city, company.customer_number or ""
        ):
            found = search(user, typed, TOP)
            hit = _hit(company, found, identity)
            per_kind.setdefault(kind, []).append(int(hit))
            if not hit and len(misses) < 20:
                misses.append(f"{typed!r} → {[c.name for c in found]} (wanted {company.name})")
    total = [hit for hits in per_kind.values() for hit in hits]
    return {
        "companies": len(companies),
        "typed": len(total),
        "top3_rate": round(sum(total) / len(total), 4),
        "per_kind": {
            kind: {"typed": len(hits), "top3_rate": round(sum(hits) / len(hits), 4)}
            for kind, hits in per_kind.items()
        },
        "first_misses": misses,
    }


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from innendienst.accounts.models import User
    from innendienst.contacts.models import Company
    from innendienst.contacts.selectors import company_search

    manager = User.objects.get(username="leitung")
    last = Company.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rng = random.Random(seed)
    ids = sorted({rng.randint(1, last) for _ in range(SAMPLE * 2)})
    companies = list(
        Company.objects.filter(id__in=ids).only("id", "name", "city", "customer_number")
    )
    rng.shuffle(companies)
    return measure(company_search, manager, companies[:SAMPLE])
