"""Reads of the duplicate engine: the records a new or changed company or person may
duplicate, scored and explained, as the acting user may see them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Model, Q, QuerySet
from django.urls import reverse

from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts.models import Company, Person
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import audit
from innendienst.matching import estimate, keys
from innendienst.matching.engine import (
    COMPANY_COMPARISONS,
    PERSON_COMPARISONS,
    Comparison,
    Reason,
    Score,
    score,
)
from innendienst.matching.keys import Profile
from innendienst.matching.models import (
    DuplicatePair,
    Merge,
    PairStatus,
    RecordKind,
    choosable_fields,
)
from innendienst.matching.profiles import (
    PERSON_COMPANY_FIELDS,
    PersonProfile,
    company_profile,
    person_profile,
)

User = Any

# Shown as a possible duplicate from here on; a creation despite a match from ``STRONG`` on
# asks for a confirmation.
HINT = 0.3
STRONG = 0.9


@dataclass(frozen=True)
class Candidate:
    record: Model
    score: Score


@dataclass(frozen=True)
class Matches:
    candidates: list[Candidate]
    # Strong matches in territories the user does not see: named as a number only.
    hidden: int = 0

    @property
    def strong(self) -> list[Candidate]:
        return [c for c in self.candidates if c.score.probability >= STRONG]


def comparisons_of(kind: str) -> tuple[Comparison, ...]:
    return COMPANY_COMPARISONS if kind == RecordKind.COMPANY else PERSON_COMPARISONS


def _scored(
    kind: str,
    probes: Sequence[Profile],
    comparisons: tuple,
    extra: Mapping[str, int] | None = None,
) -> list[dict[int, Score]]:
    """Each probe's candidates that score at least ``HINT``, for a whole batch in four
    queries. ``extra``: counts known otherwise (the people of a company)."""
    counts = {**keys.counts(kind, {k for p in probes for k in p.keys.values()}), **(extra or {})}
    found = keys.members(kind, counts, {k for p in probes for k in keys.telling(p)})
    candidates = [
        {pk for key in keys.telling(probe) for pk in found.get(key, ())} - {probe.id}
        for probe in probes
    ]
    others = {other.id: other for other in keys.profiles(kind, set().union(*candidates))}
    total = keys.total(kind)
    weights = estimate.weights_for(kind)
    results = []
    for probe, ids in zip(probes, candidates, strict=True):
        # Both records of a pair carry a shared key; a new one is not counted yet.
        new = 1 if probe.id is None else 0
        own = {key: counts.get(key, 0) + new for key in probe.keys.values()}
        if isinstance(probe, PersonProfile) and probe.company_id:
            company_key = f"Y|{probe.company_id}"
            own[company_key] = counts.get(company_key, 0) + new
        scores = {
            pk: score(comparisons, probe, others[pk], total=total, counts=own, weights=weights)
            for pk in ids
            if pk in others
        }
        results.append({pk: s for pk, s in scores.items() if s.probability >= HINT})
    return results


def _matches(scores: dict[int, Score], visible: Mapping[int, Model], limit: int) -> Matches:
    hidden = sum(1 for pk, s in scores.items() if pk not in visible and s.probability >= STRONG)
    ranked = sorted(
        (Candidate(visible[pk], s) for pk, s in scores.items() if pk in visible),
        key=lambda c: (-c.score.probability, c.record.pk),
    )
    return Matches(ranked[:limit], hidden)


def company_matches(
    user: User, values: Mapping[str, Any], *, exclude: int | None = None, limit: int = 5
) -> Matches:
    """The companies that ``values`` (a form's) may be, best first."""
    return company_matches_many(user, [values], exclude=[exclude], limit=limit)[0]


def company_matches_many(
    user: User,
    rows: Sequence[Mapping[str, Any]],
    *,
    exclude: Sequence[int | None] | None = None,
    limit: int = 5,
) -> list[Matches]:
    """The companies each of ``rows`` (an import's batch) may be; ``exclude``: per row, the
    company it is (no duplicate of itself)."""
    excluded = exclude or [None] * len(rows)
    probes = [
        company_profile({**values, "id": pk}) for values, pk in zip(rows, excluded, strict=True)
    ]
    scored = _scored(RecordKind.COMPANY, probes, COMPANY_COMPARISONS)
    wanted = {pk for scores in scored for pk in scores}
    companies = companies_for(user).select_related("territory").filter(pk__among=list(wanted))
    visible = {company.pk: company for company in companies}
    return [_matches(scores, visible, limit) for scores in scored]


def person_matches(
    user: User,
    values: Mapping[str, Any],
    company: Company,
    *,
    exclude: int | None = None,
    limit: int = 5,
) -> Matches:
    """The people that ``values`` at ``company`` may be, best first."""
    firm = {name: getattr(company, name) for name in PERSON_COMPANY_FIELDS}
    row = {**values, "company_id": company.pk}
    return person_matches_many(user, [(row, firm)], exclude=[exclude], limit=limit)[0]


def person_matches_many(
    user: User,
    rows: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
    *,
    exclude: Sequence[int | None] | None = None,
    limit: int = 5,
) -> list[Matches]:
    """The people each of ``rows`` may be: (the person's values with his ``company_id`` if
    the company exists, the company's name, postcode, city, country and phone)."""
    excluded = exclude or [None] * len(rows)
    probes = [
        person_profile({**values, "id": pk}, firm)
        for (values, firm), pk in zip(rows, excluded, strict=True)
    ]
    companies = {probe.company_id for probe in probes if probe.company_id}
    colleagues = (
        Person.objects.filter(company_id__among=companies)
        .values("company_id")
        .annotate(n=Count("pk"))
        .values_list("company_id", "n")
    )
    extra = {f"Y|{company_id}": n for company_id, n in colleagues}
    scored = _scored(RecordKind.PERSON, probes, PERSON_COMPARISONS, extra)
    wanted = {pk for scores in scored for pk in scores}
    people = people_for(user).select_related("company").filter(pk__among=list(wanted))
    visible = {person.pk: person for person in people}
    return [_matches(scores, visible, limit) for scores in scored]


# --- the review queue -------------------------------------------------------------------------


def visible_records(user: User, kind: str) -> QuerySet:
    return companies_for(user) if kind == RecordKind.COMPANY else people_for(user)


def pairs_for(user: User, kind: str) -> QuerySet[DuplicatePair]:
    """The open pairs of which the user sees both records (and both still exist: a record
    deleted since the scan takes its pairs out of the queue)."""
    visible = visible_records(user, kind).values("pk")
    return DuplicatePair.objects.filter(
        kind=kind, status=PairStatus.OPEN, left_id__in=visible, right_id__in=visible
    )


@dataclass(frozen=True)
class ShownPair:
    pair: DuplicatePair
    left: Model
    right: Model
    reasons: list[Reason]


@dataclass(frozen=True)
class Cluster:
    id: int
    best: float
    pairs: list[ShownPair]


def review_queue(
    user: User, kind: str, number: Any = 1, per_page: int = 20
) -> tuple[Page, list[Cluster]]:
    """One page of clusters, largest evidence first, each with its pairs and both records."""
    clusters = (
        pairs_for(user, kind)
        .values("cluster")
        .annotate(best=Max("score"))
        .order_by("-best", "cluster")
    )
    page = Paginator(clusters, per_page).get_page(number)
    wanted = [row["cluster"] for row in page]
    pairs = list(pairs_for(user, kind).filter(cluster__in=wanted).order_by("-score", "pk"))
    records = (
        visible_records(user, kind)
        .select_related(*_RELATED[kind])
        .in_bulk({pk for pair in pairs for pk in (pair.left_id, pair.right_id)})
    )
    by_cluster: dict[int, list[ShownPair]] = {}
    for pair in pairs:
        if pair.left_id in records and pair.right_id in records:
            shown = ShownPair(pair, records[pair.left_id], records[pair.right_id], reasons_of(pair))
            by_cluster.setdefault(pair.cluster, []).append(shown)
    return page, [
        Cluster(row["cluster"], row["best"], by_cluster.get(row["cluster"], [])) for row in page
    ]


_RELATED = {RecordKind.COMPANY: ("territory",), RecordKind.PERSON: ("company",)}


def reasons_of(pair: DuplicatePair) -> list[Reason]:
    """The stored evidence in the reader's language."""
    comparisons = {c.name: c for c in comparisons_of(pair.kind)}
    shown = []
    for field, level, bits in pair.reasons:
        comparison = comparisons.get(field)
        if comparison is None:
            continue
        text = next((str(lv.reason) for lv in comparison.levels if lv.name == level), level)
        shown.append(Reason(field, level, text, bits))
    return shown


def pair_get(user: User, pair_id: int) -> DuplicatePair:
    """An open pair of which the user sees both records (``DoesNotExist`` otherwise)."""
    pair = DuplicatePair.objects.get(pk=pair_id)
    return pairs_for(user, pair.kind).get(pk=pair_id)


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    left: str
    right: str
    differ: bool
    # The record whose value is proposed to survive.
    chosen: int


@dataclass(frozen=True)
class PairComparison:
    left: Model
    right: Model
    survivor: int
    rows: list[FieldRow]
    reasons: list[Reason]

    @property
    def records(self) -> tuple[Model, Model]:
        return self.left, self.right


def pair_comparison(user: User, pair: DuplicatePair) -> PairComparison:
    """Both records field by field; the older one is proposed to stay, and where it has no
    value the other's is proposed."""
    records = visible_records(user, pair.kind).in_bulk([pair.left_id, pair.right_id])
    left, right = records[pair.left_id], records[pair.right_id]
    rows = []
    for field in choosable_fields(pair.kind):
        left_value, right_value = getattr(left, field.attname), getattr(right, field.attname)
        chosen = left.pk if left_value not in (None, "") or right_value in (None, "") else right.pk
        rows.append(
            FieldRow(
                field.name,
                str(field.verbose_name),
                audit.display_value(field, left_value),
                audit.display_value(field, right_value),
                left_value != right_value,
                chosen,
            )
        )
    return PairComparison(left, right, left.pk, rows, reasons_of(pair))


def merges_for(user: User, limit: int = 100) -> list[tuple[Merge, Model | None]]:
    """The latest merges into records the user sees, with the record that stayed."""
    found = Merge.objects.select_related("merged_by", "undone_by")
    if visible_territory_ids(user) is not None:
        found = found.filter(
            Q(kind=RecordKind.COMPANY, survivor_id__in=companies_for(user).values("pk"))
            | Q(kind=RecordKind.PERSON, survivor_id__in=people_for(user).values("pk"))
        )
    rows = list(found[:limit])
    kept = {
        kind: visible_records(user, kind).in_bulk({m.survivor_id for m in rows if m.kind == kind})
        for kind in RecordKind.values
    }
    return [(merge, kept[merge.kind].get(merge.survivor_id)) for merge in rows]


def merge_get(user: User, merge_id: int) -> Merge:
    merge = Merge.objects.get(pk=merge_id)
    if not visible_records(user, merge.kind).filter(pk=merge.survivor_id).exists():
        raise Merge.DoesNotExist
    return merge


def restored_url(merge: Merge) -> str:
    name = "company_detail" if merge.kind == RecordKind.COMPANY else "person_detail"
    return reverse(name, args=[merge.merged_id])
