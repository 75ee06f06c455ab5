"""The weights learnt from the data: *m* of each level estimated by expectation maximisation
over the candidate pairs of a whole-database scan, as Splink does, with the reviewers'
decisions as known answers.

*u* stays as the engine has it (term frequencies from the key counts, or the level's value);
*m* — how often a level is seen when two records are one — is what differs between databases:
how often a firm's twin record has another street, a person's another first name. A pair's
posterior is its probability under the current *m*; the next *m* of a level is the posterior-
weighted share of pairs on that level among the pairs where the field is known. Merged pairs
count as one, pairs marked "kein Duplikat" as none, whatever the model says.

Pairs are grouped by their levels and their starting evidence (to a tenth of a bit), so the
iterations run over a few thousand groups rather than millions of pairs. As in any estimate
from blocked pairs, twins that share no blocking key are not seen, which flatters the levels of
agreement on the blocked fields; the bounds below keep that in check. The starting values
of the engine weigh in as ``PRIOR_PAIRS`` pseudo-pairs, and an estimate stays within a factor of
``MAX_FACTOR`` of them: a database with few twins, or an odd one, moves the weights, it does not
overturn what is known of German business data (two different first names are rarely one
person).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.utils import timezone

from innendienst.matching.engine import Comparison, Score, Weights, probability_of
from innendienst.matching.models import Weights as Stored

PRIOR_PAIRS = 50.0
MAX_FACTOR = 4.0
ITERATIONS = 30
TOLERANCE = 1e-5
# Fewer expected twins than this among the pairs: the data says too little to estimate.
MIN_MATCHES = 30.0
# A reviewer's decision counts as this many pairs.
DECISION_WEIGHT = 10.0
# Pairs this unlikely (in bits of log-odds) stay unlikely whatever m does within its bounds.
FLOOR_BITS = -25.0

Pattern = tuple[tuple[str, str], ...]


@dataclass
class Evidence:
    """The candidate pairs of a scan as EM needs them: per group of equal levels and starting
    log-odds, how many pairs; and the reviewers' decisions per pattern."""

    groups: Counter[tuple[Pattern, float]] = field(default_factory=Counter)
    decided: Counter[tuple[Pattern, bool]] = field(default_factory=Counter)
    decided_pairs: set[tuple[int, int]] = field(default_factory=set)

    def add(self, result: Score) -> None:
        if result.log_odds >= FLOOR_BITS:
            pattern = pattern_of((reason.field, reason.level) for reason in result.reasons)
            self.groups[(pattern, round(result.log_odds, 1))] += 1

    def add_decision(
        self, pair: tuple[int, int], reasons: Iterable[Iterable], is_match: bool
    ) -> None:
        """A pair a reviewer decided (merged, or "kein Duplikat"), with its stored reasons."""
        self.decided_pairs.add(pair)
        pattern = pattern_of((field, level) for field, level, *_bits in reasons)
        self.decided[(pattern, is_match)] += 1


def pattern_of(levels: Iterable[tuple[str, str]]) -> Pattern:
    """The (comparison, level) pairs of a pair's reasons, in one order."""
    return tuple(sorted(levels))


def starting_m(comparisons: Iterable[Comparison]) -> dict[tuple[str, str], float]:
    return {(c.name, level.name): level.m for c in comparisons for level in c.levels}


def scored_with(comparisons: Iterable[Comparison], weights: Weights | None) -> dict:
    """The m of every level as a pair was scored: the weights, else the engine's value."""
    return {**starting_m(comparisons), **(weights or {})}


@dataclass(frozen=True)
class Estimate:
    m: dict[tuple[str, str], float]
    pairs: int
    decisions: int
    matches: float
    iterations: int


def estimate(
    comparisons: Iterable[Comparison], evidence: Evidence, start: Weights | None = None
) -> Estimate | None:
    """New *m* per (comparison, level), or None when the pairs say too little. ``start``: the
    weights the pairs were scored with (the engine's values where it has none)."""
    comparisons = list(comparisons)
    default = starting_m(comparisons)
    start_m = scored_with(comparisons, start)
    levels_of: dict[str, list[str]] = defaultdict(list)
    for name, level in default:
        levels_of[name].append(level)
    current = dict(start_m)
    groups = list(evidence.groups.items())
    iterations = 0
    matches = 0.0
    while iterations < ITERATIONS:
        iterations += 1
        seen: dict[tuple[str, str], float] = defaultdict(float)
        known: dict[str, float] = defaultdict(float)
        matches = 0.0
        for (pattern, log_odds), count in groups:
            bits = log_odds + sum(
                math.log2(current[key] / start_m[key]) for key in pattern if key in current
            )
            posterior = count * probability_of(bits)
            matches += posterior
            _tally(pattern, posterior, seen, known)
        for (pattern, is_match), count in evidence.decided.items():
            if is_match:
                _tally(pattern, DECISION_WEIGHT * count, seen, known)
        if matches < MIN_MATCHES:
            return None
        following = {}
        for name, levels in levels_of.items():
            for level in levels:
                key = (name, level)
                share = (seen[key] + PRIOR_PAIRS * default[key]) / (known[name] + PRIOR_PAIRS)
                low, high = default[key] / MAX_FACTOR, min(default[key] * MAX_FACTOR, 0.9999)
                following[key] = min(max(share, low), high)
        change = max(abs(following[key] - current[key]) for key in following)
        current = following
        if change < TOLERANCE:
            break
    return Estimate(
        m=current,
        pairs=sum(evidence.groups.values()),
        decisions=sum(evidence.decided.values()),
        matches=round(matches, 1),
        iterations=iterations,
    )


def _tally(
    pattern: Pattern,
    weight: float,
    seen: dict[tuple[str, str], float],
    known: dict[str, float],
) -> None:
    for name, level in pattern:
        seen[(name, level)] += weight
        known[name] += weight


def rescored(result: Score, before: Mapping, weights: Mapping) -> Score:
    """The pair's score under new weights: each level's evidence moves by log2(m'/m);
    ``before``: the m it was scored with (``scored_with``)."""
    log_odds = result.log_odds
    reasons = []
    for reason in result.reasons:
        key = (reason.field, reason.level)
        shift = math.log2(weights[key] / before[key]) if key in weights else 0.0
        log_odds += shift
        reasons.append(replace(reason, bits=reason.bits + shift))
    return Score(probability_of(log_odds), tuple(reasons), result.levels, log_odds)


# --- stored -----------------------------------------------------------------------------------

CACHE_SECONDS = 300


def _cache_key(kind: str) -> str:
    return f"matching:weights:{kind}"


def weights_for(kind: str) -> Weights | None:
    """The last estimate for the kind, as the engine takes it; None: the engine's values. Kept a
    few minutes in the cache (an entry check must not read it each time)."""
    cached = cache.get(_cache_key(kind))
    if cached is None:
        stored = Stored.objects.filter(kind=kind).first()
        cached = {} if stored is None else _decoded(stored.m)
        cache.set(_cache_key(kind), cached, CACHE_SECONDS)
    return cached or None


def store(kind: str, estimated: Estimate) -> None:
    Stored.objects.update_or_create(
        kind=kind,
        defaults={
            "m": {f"{name}|{level}": round(m, 6) for (name, level), m in estimated.m.items()},
            "pairs": estimated.pairs,
            "decisions": estimated.decisions,
            "matches": estimated.matches,
            "estimated_at": timezone.now(),
        },
    )
    # Written, not deleted: a request that read the old weights meanwhile cannot put them back.
    cache.set(_cache_key(kind), dict(estimated.m), CACHE_SECONDS)


def _decoded(stored: Mapping[str, float]) -> dict[tuple[str, str], float]:
    result = {}
    for key, m in stored.items():
        name, _sep, level = key.partition("|")
        result[(name, level)] = float(m)
    return result
