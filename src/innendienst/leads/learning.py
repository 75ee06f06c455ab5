"""Den Lead-Score aus gewonnenen und verlorenen Leads lernen: a logistic regression over the
scoring factors (``scoring.FACTORS``), measured on held-out leads against the rule weights.

Outcome. A lead is won when it was converted, lost when it was disqualified: the two stages no
lead leaves. A recycled lead is open — marketing nurtures it, and it may come back as an MQL —
so it is no outcome yet and is left out; counting it as lost would teach the model that
marketing's nurture pool is hopeless, which is what nurturing is there to disprove.

Features. Each factor's count (``Factor.applies``) — what the rep reads next to the score,
nothing else — taken as the lead stood when it was closed, not today: contacts from its capture
up to its closing, engagement in the 90 days before, its age since it was last worked before
the closing step (closing touches the lead, so "untouched" would otherwise never hold). The
decider and the company's status, priority and size are read as they are now: their past
values are not kept.

Model. L2-regularised logistic regression fitted by Newton's method (iteratively reweighted
least squares) with NumPy: thirteen features and a few hundred thousand leads converge in a
handful of steps of a 14 × 14 system; the penalty keeps a factor that never occurs at 0 and
separation finite. A stratified fifth of the leads (``HOLDOUT_SHARE``) is held out; the AUC of
the points the inbox would sort by — the model's (``scoring.learned_points``) and the rule
weights' — is measured on the same held-out leads. The model is stored in any case and made
the active one only if its AUC beats the rule weights'; the newest training decides, so a model
that loses deactivates the one before it and the rule weights score again.

Enough history. At least ``MIN_OUTCOMES`` won and as many lost leads; below that nothing is
trained and the rule weights go on scoring.
"""

from __future__ import annotations

import bisect
import datetime
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.activities.models import Activity
from innendienst.activities.services import CONTACT_KINDS
from innendienst.contacts.models import BuyingCenterMembership, BuyingCenterRole
from innendienst.core.logistic import Fit, auc, fit, stratified_split
from innendienst.leads import scoring
from innendienst.leads.models import Lead, LeadEngagement, LeadStage, LeadStageChange, ScoreModel

WON = LeadStage.CONVERTED
LOST = LeadStage.DISQUALIFIED
MIN_OUTCOMES = 200
HOLDOUT_SHARE = 0.2
CHUNK = 5_000
SEED = 20_240_901


@dataclass(frozen=True)
class History:
    """The closed leads as features (one column per factor, ``scoring.FACTORS`` order) and
    outcomes (1 won, 0 lost)."""

    features: np.ndarray
    won: np.ndarray


@dataclass(frozen=True)
class Outcome:
    """What a training run did; ``model`` is None when there was too little history."""

    won: int
    lost: int
    model: ScoreModel | None
    rescored: int = 0

    @property
    def enough(self) -> bool:
        return self.model is not None


def outcome_counts() -> tuple[int, int]:
    """(won, lost) leads so far."""
    counts = dict(
        Lead.objects.filter(stage__in=(WON, LOST))
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return counts.get(WON, 0), counts.get(LOST, 0)


# --- the features ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Company:
    status: str
    priority: str
    employees: int | None


@dataclass(slots=True)
class _Closed:
    """What the factors read of a closed lead: a few hundred thousand of these are read, and
    a model instance costs several times a plain object."""

    pk: int
    stage: str
    stage_changed_at: datetime.datetime
    company_id: int
    source: str
    need: str
    budget: Any
    created_at: datetime.datetime
    company: _Company
    touched_at: datetime.datetime | None = None


def _closed_leads() -> Iterator[list[_Closed]]:
    closed = (
        Lead.objects.filter(stage__in=(WON, LOST))
        .order_by("pk")
        .values_list(
            "pk", "stage", "stage_changed_at", "company_id", "source", "need", "budget",
            "created_at", "company__status", "company__priority", "company__employees",
        )
    )  # fmt: skip
    chunk: list[_Closed] = []
    for pk, stage, changed, company_id, source, need, budget, created, *company in closed.iterator(
        chunk_size=CHUNK
    ):
        chunk.append(
            _Closed(pk, stage, changed, company_id, source, need, budget, created,
                    _Company(*company))
        )  # fmt: skip
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _features_at_closing(leads: Sequence[_Closed]) -> np.ndarray:
    """The factors' counts of closed leads as they stood when each was closed (see the module
    docstring); four queries per chunk. A chunk is a range of ids, so the queries name the
    range, not thousands of ids (other leads of the range only add rows nobody reads)."""
    ids = (leads[0].pk, leads[-1].pk)
    companies = (
        Lead.objects.filter(pk__range=ids, stage__in=(WON, LOST)).values("company_id").distinct()
    )
    deciders = set(
        BuyingCenterMembership.objects.filter(
            company_id__in=companies, role=BuyingCenterRole.DECIDER
        ).values_list("company_id", flat=True)
    )
    contacts: dict[int, list[datetime.datetime]] = {}
    for company_id, at in (
        Activity.objects.filter(
            company_id__in=companies,
            kind__in=CONTACT_KINDS,
            occurred_at__gte=min(lead.created_at for lead in leads),
            occurred_at__lt=max(lead.stage_changed_at for lead in leads),
        )
        .order_by("occurred_at")
        .values_list("company_id", "occurred_at")
    ):
        contacts.setdefault(company_id, []).append(at)
    engagements: dict[int, list[tuple[datetime.datetime, int]]] = {}
    for lead_id, at, points in LeadEngagement.objects.filter(lead__pk__range=ids).values_list(
        "lead", "occurred_at", "points"
    ):
        engagements.setdefault(lead_id, []).append((at, points))
    # The step before the closing one: when the lead was last moved while it was open.
    previous_step = dict(
        LeadStageChange.objects.filter(lead__pk__range=ids, at__lt=F("lead__stage_changed_at"))
        .values("lead")
        .annotate(last=Max("at"))
        .values_list("lead", "last")
    )
    window = datetime.timedelta(days=scoring.ENGAGEMENT_DAYS)
    rows = np.zeros((len(leads), len(scoring.FACTORS)))
    for row, lead in enumerate(leads):
        closed = lead.stage_changed_at
        times = contacts.get(lead.company_id, [])
        first = bisect.bisect_left(times, lead.created_at)
        last = bisect.bisect_left(times, closed)
        touched = [lead.created_at, previous_step.get(lead.pk, lead.created_at)]
        if last > first:
            touched.append(times[last - 1])
        facts = scoring.Facts(
            decider_known=lead.company_id in deciders,
            contacts=last - first,
            engagement=sum(
                points
                for at, points in engagements.get(lead.pk, ())
                if closed - window <= at <= closed
            ),
            now=closed,
        )
        # Only in memory, for the age factors: the lead is never saved from here.
        lead.touched_at = max(touched)
        rows[row] = [factor.applies(lead, facts) for factor in scoring.FACTORS]
    return rows


def history() -> History:
    """Every won and lost lead, as features and outcome."""
    blocks, outcomes = [], []
    for chunk in _closed_leads():
        blocks.append(_features_at_closing(chunk))
        outcomes.extend(lead.stage == WON for lead in chunk)
    width = len(scoring.FACTORS)
    features = np.vstack(blocks) if blocks else np.zeros((0, width))
    return History(features=features, won=np.asarray(outcomes, dtype=float))


# --- the model ---------------------------------------------------------------------------------


def rule_scores(features: np.ndarray, points: dict[str, int]) -> np.ndarray:
    """What ``scoring.scored`` gives with the rule weights, for many leads at once."""
    vector = np.array([points[factor.key] for factor in scoring.FACTORS], dtype=float)
    return np.clip(features @ vector, 0, 100)


def learned_scores(features: np.ndarray, model: Fit) -> np.ndarray:
    """What ``scoring.scored`` gives with the model's points: each reason rounded, then summed
    and kept within 0–100, as the inbox sorts by it."""
    keys = [factor.key for factor in scoring.FACTORS]
    points = scoring.learned_points(
        model.intercept, dict(zip(keys, model.coefficients, strict=True))
    )
    per_factor = np.array([points.per_factor[key] for key in keys])
    total = np.rint(features * per_factor[None, :]).sum(axis=1) + round(points.base)
    return np.clip(total, 0, 100)


def evaluate(
    data: History, points: dict[str, int], seed: int = SEED
) -> tuple[Fit, dict[str, float | int]]:
    """Fit on the training leads, and the AUC of the model and of the rule weights on the
    held-out ones."""
    train, holdout = stratified_split(data.won, HOLDOUT_SHARE, seed)
    model = fit(data.features[train], data.won[train])
    held_features, held_won = data.features[holdout], data.won[holdout]
    return model, {
        "n_train": len(train),
        "n_holdout": len(holdout),
        "auc": auc(learned_scores(held_features, model), held_won),
        "baseline_auc": auc(rule_scores(held_features, points), held_won),
    }


def train(*, now: datetime.datetime | None = None, seed: int = SEED) -> Outcome:
    """Learn the score from the history if there is enough of it, store the model and make it
    the active one if it beats the rule weights (see the module docstring)."""
    won, lost = outcome_counts()
    if min(won, lost) < MIN_OUTCOMES:
        return Outcome(won=won, lost=lost, model=None)
    started = time.perf_counter()
    data = history()
    points = scoring.weights()
    model, measured = evaluate(data, points, seed)
    keys = [factor.key for factor in scoring.FACTORS]
    stored = ScoreModel(
        trained_at=now or timezone.now(),
        n_won=int(data.won.sum()),
        n_lost=int(len(data.won) - data.won.sum()),
        intercept=model.intercept,
        coefficients={
            key: round(float(value), 6) for key, value in zip(keys, model.coefficients, strict=True)
        },
        baseline_points=points,
        **measured,
    )
    stored.active = stored.beats_baseline
    stored.seconds = round(time.perf_counter() - started, 2)
    with transaction.atomic():
        ScoreModel.objects.filter(active=True).update(active=False)
        stored.save()
    return Outcome(won=stored.n_won, lost=stored.n_lost, model=stored)


def train_and_rescore(*, now: datetime.datetime | None = None) -> Outcome:
    """The weekly run: train, then score the open leads with whatever scores now."""
    before = ScoreModel.objects.filter(active=True).values_list("pk", flat=True).first()
    outcome = train(now=now)
    after = ScoreModel.objects.filter(active=True).values_list("pk", flat=True).first()
    if before == after:
        return outcome
    return Outcome(
        won=outcome.won,
        lost=outcome.lost,
        model=outcome.model,
        rescored=scoring.rescore_open(now),
    )


def summary(outcome: Outcome) -> str:
    """What a training did, in a sentence for the administrator."""
    model = outcome.model
    if model is None:
        return _(
            "Not enough history yet: %(won)d won and %(lost)d lost leads, %(needed)d of each "
            "needed. The rule weights go on scoring."
        ) % {"won": outcome.won, "lost": outcome.lost, "needed": MIN_OUTCOMES}
    values = {
        "n": model.n_train + model.n_holdout,
        "auc": f"{model.auc:.3f}",
        "baseline": f"{model.baseline_auc:.3f}",
        "rescored": outcome.rescored,
    }
    if model.active:
        return (
            _(
                "Trained on %(n)d leads: AUC %(auc)s against %(baseline)s of the rule weights. The "
                "learnt model scores now; %(rescored)d open leads scored again."
            )
            % values
        )
    return (
        _(
            "Trained on %(n)d leads: AUC %(auc)s against %(baseline)s of the rule weights. Not "
            "better than the rule weights, so they go on scoring; %(rescored)d open leads scored "
            "again."
        )
        % values
    )


@dataclass(frozen=True)
class FactorWeight:
    label: str
    rule_points: int
    coefficient: float | None
    odds_ratio: float | None
    learned_points: int | None


def overview() -> dict[str, Any]:
    """What the administrator's page shows: the latest trainings, the one that scores, the
    history there is, and each factor's learnt weight next to its rule weight."""
    trainings = list(ScoreModel.objects.all()[:10])
    latest = trainings[0] if trainings else None
    active = next((model for model in trainings if model.active), None)
    if active is None:
        active = ScoreModel.objects.filter(active=True).first()
    shown = active or latest
    rules = scoring.weights()
    learned = scoring.learned_points(shown.intercept, shown.coefficients) if shown else None
    factors = []
    for factor in scoring.FACTORS:
        coefficient = shown.coefficients.get(factor.key) if shown else None
        factors.append(
            FactorWeight(
                label=str(factor.label),
                rule_points=rules[factor.key],
                coefficient=coefficient,
                odds_ratio=math.exp(coefficient) if coefficient is not None else None,
                learned_points=round(learned.per_factor[factor.key]) if learned else None,
            )
        )
    won, lost = outcome_counts()
    return {
        "trainings": trainings,
        "latest": latest,
        "active": active,
        "shown": shown,
        "base_points": round(learned.base) if learned else None,
        "factors": factors,
        "won": won,
        "lost": lost,
        "needed": MIN_OUTCOMES,
        "enough": min(won, lost) >= MIN_OUTCOMES,
        "points_per_doubling": scoring.POINTS_PER_DOUBLING,
    }
