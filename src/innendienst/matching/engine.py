"""The duplicate engine: two profiles compared field by field, scored as Fellegi and Sunter
do (and Splink after them), and explained in words.

Each comparison puts a pair on one of a few graded levels (the same value, a variant, sounds
alike, similar, different) or says a value is missing. A level has two probabilities: *m*, of
seeing it when the two records are one, and *u*, of seeing it when they are two; the evidence of
the level is log2(m/u) bits, a missing value gives none. The score adds the bits to the prior
odds that a record has a twin among N others and turns them into a probability.

Where a level means "the same value", *u* is how common that value is (term frequency): two
firms called "Müller" in one database say little, two called "Mayer Werkzeugbau" much; the
counts come from the stored blocking keys. *m* starts from the values below; a whole-database
scan estimates it from the data (expectation maximisation, ``estimate.py``) and the stored
estimate (``Weights``) is what entry checks, imports and later scans score with.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from innendienst.matching.profiles import CompanyProfile, PersonProfile

MISSING = "missing"
DIFFERENT = "different"

# A new record has a twin among the others this often (an import's or a rep's typical
# share); the prior odds for one given pair are this over the number of records.
TWIN_SHARE = 0.1
# No value is rarer than once: the floor of a term frequency.
MIN_COUNT = 1
# A small database is scored as one of this size: counts of a few dozen records say nothing
# about how common a name is.
MIN_TOTAL = 10_000


@dataclass(frozen=True)
class Level:
    name: str
    m: float
    # For a level of equal values with a ``key``, u is that key's count over all records.
    u: float
    reason: Promise
    key: str = ""


@dataclass(frozen=True)
class Comparison:
    name: str
    label: Promise
    levels: tuple[Level, ...]
    level_of: Callable[[Any, Any], str]

    def __post_init__(self) -> None:
        # Looked up for every pair of a scan of millions.
        object.__setattr__(self, "_by_name", {level.name: level for level in self.levels})

    def level(self, name: str) -> Level:
        return self._by_name[name]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Reason:
    field: str
    level: str
    # Translated when shown: a scan of millions of pairs shows none of them.
    label: Promise | str
    bits: float

    @property
    def text(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Score:
    probability: float
    reasons: tuple[Reason, ...]
    levels: dict[str, str] = field(default_factory=dict)
    # The evidence in all: the prior odds and every reason, in bits.
    log_odds: float = 0.0

    @property
    def percent(self) -> int:
        return int(self.probability * 100)

    def explanation(self) -> str:
        """The reasons worth reading, strongest evidence first, as one German phrase."""
        shown = sorted((r for r in self.reasons if r.text), key=lambda r: -abs(r.bits))
        return ", ".join(r.text for r in shown)


def _similarity(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b)


def _one_slip(a: str, b: str) -> bool:
    """A letter dropped, doubled, swapped or replaced ("Jsna" for "Jana"), in a word long
    enough for that to be a slip and not another name."""
    return min(len(a), len(b)) >= 4 and OSA.distance(a, b) <= 1


# --- companies ----------------------------------------------------------------------------


def _company_name(a: CompanyProfile, b: CompanyProfile) -> str:
    if not a.core or not b.core:
        return MISSING
    if a.core == b.core:
        return "exact"
    if a.sound and a.sound == b.sound:
        return "sound"
    if _similarity(a.core, b.core) >= 0.92:
        return "similar"
    # One name's words within the other's ("Mayer" and "Mayer Werkzeugbau"), or nearly so;
    # a shared first word alone ("Allgäu Schweißtechnik", "Allgäu Kunststofftechnik") is not.
    if _similarity(a.core, b.core) >= 0.88 or token_set_ratio(a.core, b.core) >= 90:
        return "partly"
    return DIFFERENT


def _legal_form(a: CompanyProfile, b: CompanyProfile) -> str:
    if not a.legal_form or not b.legal_form:
        return MISSING
    return "same" if a.legal_form == b.legal_form else DIFFERENT


def _location(a: CompanyProfile, b: CompanyProfile) -> str:
    same_street = bool(a.street) and a.street == b.street
    same_place = (bool(a.postcode) and a.postcode == b.postcode) or (
        bool(a.city) and a.city == b.city
    )
    if same_street and same_place and a.number == b.number:
        return "address"
    if (
        same_place
        and a.street
        and b.street
        and a.number == b.number
        and _similarity(a.street, b.street) >= 0.9
    ):
        return "address_similar"
    if same_street and same_place:
        return "street"
    if a.postcode and a.postcode == b.postcode:
        return "postcode"
    if a.city and a.city == b.city:
        return "city"
    if not (a.postcode or a.city) or not (b.postcode or b.city):
        return MISSING
    if a.postcode[:2] and a.postcode[:2] == b.postcode[:2]:
        return "region"
    return DIFFERENT


def _equal(attribute: str) -> Callable[[Any, Any], str]:
    def level_of(a: Any, b: Any) -> str:
        left, right = getattr(a, attribute), getattr(b, attribute)
        if not left or not right:
            return MISSING
        return "exact" if left == right else DIFFERENT

    return level_of


def _contacts(a: CompanyProfile, b: CompanyProfile) -> str:
    if not a.contacts or not b.contacts:
        return MISSING
    return "shared" if a.contacts & b.contacts else DIFFERENT


def _identifier(
    name: str,
    label: Promise,
    m: float,
    u: float,
    same: Promise,
    other: Promise,
    level_of: Callable[[Any, Any], str],
) -> Comparison:
    """A value that names one firm or person (phone, domain, VAT ID, e-mail): the same, or
    another. How common the shared value is (``key``) says how much the same value weighs."""
    return Comparison(
        name,
        label,
        (Level("exact", m, u, same, key=name), Level(DIFFERENT, round(1 - m, 4), 1.0, other)),
        level_of,
    )


COMPANY_COMPARISONS = (
    Comparison(
        "name",
        _("Name"),
        (
            Level("exact", 0.75, 1e-4, _("same name"), key="name"),
            Level("sound", 0.10, 5e-5, _("name sounds alike")),
            Level("similar", 0.08, 5e-5, _("name almost the same")),
            Level("partly", 0.04, 1e-3, _("similar name")),
            Level(DIFFERENT, 0.03, 0.994, _("another name")),
        ),
        _company_name,
    ),
    Comparison(
        "legal_form",
        _("Legal form"),
        (
            Level("same", 0.8, 0.4, _("same legal form")),
            Level(DIFFERENT, 0.2, 0.6, _("another legal form")),
        ),
        _legal_form,
    ),
    Comparison(
        "location",
        _("Address"),
        (
            Level("address", 0.70, 2e-5, _("same street and house number"), key="address"),
            Level("address_similar", 0.06, 2e-5, _("street almost the same, same house number")),
            Level("street", 0.03, 2e-4, _("same street, another house number")),
            Level("postcode", 0.08, 2e-4, _("same postcode")),
            Level("city", 0.05, 5e-3, _("same city")),
            Level("region", 0.02, 0.02, _("same region")),
            Level(DIFFERENT, 0.06, 0.975, _("another place")),
        ),
        _location,
    ),
    _identifier(
        "phone",
        _("Phone"),
        0.6,
        1e-5,
        _("same phone number"),
        _("another phone number"),
        _equal("phone"),
    ),
    _identifier(
        "domain", _("Domain"), 0.6, 1e-5, _("same domain"), _("another domain"), _equal("domain")
    ),
    _identifier(
        "vat", _("VAT ID"), 0.95, 1e-6, _("same VAT ID"), _("another VAT ID"), _equal("vat")
    ),
    # The person match as evidence for the firm: an e-mail address or direct dial of a
    # contact at both records. Two firms rarely share one; twins often keep different people.
    Comparison(
        "contacts",
        _("Contacts"),
        (
            Level("shared", 0.5, 1e-6, _("a contact in common")),
            Level(DIFFERENT, 0.5, 1.0, _("no contact in common")),
        ),
        _contacts,
    ),
)


# --- people -------------------------------------------------------------------------------


def _first_name(a: PersonProfile, b: PersonProfile) -> str:
    if not a.first_folded or not b.first_folded:
        return MISSING
    if a.first_folded == b.first_folded:
        return "exact"
    if a.first == b.first:
        return "variant"
    if a.first_sound and a.first_sound == b.first_sound:
        return "sound"
    if _one_slip(a.first, b.first):
        return "typo"
    short, long = sorted((a.first_folded, b.first_folded), key=len)
    if len(short) == 1 and long.startswith(short):
        return "initial"
    if _similarity(a.first, b.first) >= 0.88:
        return "similar"
    return DIFFERENT


def _last_name(a: PersonProfile, b: PersonProfile) -> str:
    if not a.last or not b.last:
        return MISSING
    if a.last == b.last:
        return "exact"
    if a.last_sound and a.last_sound == b.last_sound:
        return "sound"
    if _one_slip(a.last, b.last):
        return "typo"
    if _similarity(a.last, b.last) >= 0.9:
        return "similar"
    return DIFFERENT


def _company(a: PersonProfile, b: PersonProfile) -> str:
    if a.company_id and a.company_id == b.company_id:
        return "same"
    if not a.company_core or not b.company_core:
        return MISSING
    same_name = (
        a.company_core == b.company_core
        or (bool(a.company_sound) and a.company_sound == b.company_sound)
        or _similarity(a.company_core, b.company_core) >= 0.92
    )
    same_place = (bool(a.company_postcode) and a.company_postcode == b.company_postcode) or (
        bool(a.company_city) and a.company_city == b.company_city
    )
    if same_name and same_place:
        return "alike"
    if same_name:
        return "name"
    return DIFFERENT


def _phones(a: PersonProfile, b: PersonProfile) -> str:
    if not a.phones or not b.phones:
        return MISSING
    return "exact" if a.phones & b.phones else DIFFERENT


PERSON_COMPARISONS = (
    Comparison(
        "first_name",
        _("First name"),
        (
            Level("exact", 0.82, 0.01, _("same first name"), key="first"),
            Level("variant", 0.06, 2e-3, _("first name in another spelling")),
            Level("sound", 0.04, 3e-3, _("first name sounds alike")),
            Level("typo", 0.03, 2e-3, _("first name with a typing error")),
            # One side only an initial: it fits in a match, by chance once in fifteen.
            Level("initial", 0.02, 1.5e-3, _("initial fits the first name")),
            Level("similar", 0.02, 0.01, _("first name almost the same")),
            # Two people of one surname at one firm are colleagues unless first name, e-mail
            # or direct dial agree: a first name that is no variant of the other nearly rules
            # a pair out, and only those can bring it back.
            Level(DIFFERENT, 0.002, 0.955, _("another first name")),
        ),
        _first_name,
    ),
    Comparison(
        "last_name",
        _("Last name"),
        (
            Level("exact", 0.85, 1e-3, _("same last name"), key="last"),
            Level("sound", 0.07, 2e-3, _("last name sounds alike")),
            Level("typo", 0.03, 5e-4, _("last name with a typing error")),
            Level("similar", 0.03, 2e-3, _("last name almost the same")),
            Level(DIFFERENT, 0.03, 0.995, _("another last name")),
        ),
        _last_name,
    ),
    Comparison(
        "company",
        _("Company"),
        (
            Level("same", 0.80, 1e-6, _("same company"), key="company"),
            Level("alike", 0.12, 1e-5, _("company of the same name at the same place")),
            Level("name", 0.03, 1e-4, _("company of the same name")),
            Level(DIFFERENT, 0.05, 1.0, _("another company")),
        ),
        _company,
    ),
    _identifier(
        "email",
        _("E-mail"),
        0.7,
        1e-6,
        _("same e-mail address"),
        _("another e-mail address"),
        _equal("email"),
    ),
    _identifier(
        "phone",
        _("Direct dial"),
        0.6,
        1e-6,
        _("same direct dial"),
        _("another direct dial"),
        _phones,
    ),
)


# --- scoring ------------------------------------------------------------------------------

# Estimated m per (comparison, level), replacing the starting values above.
Weights = Mapping[tuple[str, str], float]


class KeyCounts(Protocol):
    """How many records carry a key: a dict, or the scan's table of them."""

    def get(self, key: str, default: int, /) -> int: ...


def _shared_key(level: Level, a: Any, b: Any) -> str | None:
    """The key both records have for an equal-value level ("T|+4989…"); for the phones of
    two people, the number they share."""
    if not level.key:
        return None
    if level.key == "phone" and isinstance(a, PersonProfile):
        shared = sorted(a.phones & b.phones)
        return f"T|{shared[0]}" if shared else None
    if level.key == "company":
        return f"Y|{a.company_id}"
    return a.keys.get(level.key) or b.keys.get(level.key)


def score(
    comparisons: Iterable[Comparison],
    a: Any,
    b: Any,
    *,
    total: int,
    counts: KeyCounts,
    weights: Weights | None = None,
) -> Score:
    """``total``: how many records of the kind there are; ``counts``: how many carry each key
    (at least the keys of ``a``)."""
    total = max(total, MIN_TOTAL)
    bits = math.log2(TWIN_SHARE / total)
    reasons = []
    levels = {}
    for comparison in comparisons:
        name = comparison.level_of(a, b)
        levels[comparison.name] = name
        if name == MISSING:
            continue
        level = comparison.level(name)
        m = (weights or {}).get((comparison.name, name), level.m)
        u = level.u
        key = _shared_key(level, a, b)
        if key is not None:
            u = max(counts.get(key, MIN_COUNT), MIN_COUNT) / total
        evidence = math.log2(m / u)
        bits += evidence
        reasons.append(Reason(comparison.name, name, level.reason, evidence))
    return Score(probability_of(bits), tuple(reasons), levels, bits)


def probability_of(log_odds: float) -> float:
    return 1 / (1 + 2 ** -max(min(log_odds, 60), -60))
