"""Die Auftragswahrscheinlichkeit aus gewonnenen und verlorenen Angeboten lernen — and explain it
per offer, factor by factor.

Outcome. An offer that was sent and then won or lost. Drafts given up without sending are no
outcome of an offer the customer saw.

Features, as the offer stood when it was looked at:
- the decider and the evaluator known at the customer (the buying center as it is now: its past
  is not kept),
- an existing customer (an order before the request),
- the highest discount (of a line, or of the whole against the price list),
- the offer's value (log10 of euros; francs at the house rate),
- how long it has been open. An open offer is looked at today; a closed one at a moment drawn
  evenly from its open time (fixed by its id), so the model learns what "still open after 45
  days" means without seeing how the story ended,
- the win rate of its responsible rep and of its main product group (the group of its largest
  line), smoothed towards the overall rate and counted on the training offers only.
Each feature is standardised, so a coefficient reads as log-odds per standard deviation.

Model. ``core.logistic``: L2-regularised logistic regression by Newton's method.

Measured. A stratified fifth of the offers is held out. On it, the model's Brier score and
reliability table are set against the stage default — the fixed probability per stage that
CRMs use, at its best: the share of sent offers won in the training data. A model is activated
only when its Brier score beats the stage default's; otherwise the stage default scores.

Too little history (fewer than ``MIN_OUTCOMES`` won or lost offers): nothing is trained, the
stage default scores.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.contacts.models import BuyingCenterMembership, BuyingCenterRole
from innendienst.core import logistic
from innendienst.core.money import eur_rate
from innendienst.offers.models import Offer, OfferLine, OfferStatus, WinModel
from innendienst.orders.models import Order

FEATURES = ("decider", "evaluator", "customer", "discount", "value", "age", "rep", "group")
MIN_OUTCOMES = 50
HOLDOUT_SHARE = 0.2
SMOOTHING = 20  # offers' worth of the overall rate in each rep's and group's win rate
MAX_AGE_DAYS = 180
SEED = 20_261_201
CHUNK = 5_000
# Without any history: what a CRM's stage would say.
FALLBACK_RATE = {OfferStatus.DRAFT: 0.2, OfferStatus.SENT: 0.3}
REASONS_SHOWN = 4
REASON_THRESHOLD = 0.1  # log-odds below which a factor is not worth naming
STAGE_RATES_KEY = "offers.stage_rates"
STAGE_RATES_SECONDS = 3600


@dataclass(frozen=True)
class Observation:
    id: int
    status: str
    decider: bool
    evaluator: bool
    customer: bool
    discount: float
    value_eur: float
    age: int
    owner_id: int
    group_id: int | None
    won: bool | None


def _annotated(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    def role(name: str) -> Exists:
        return Exists(
            BuyingCenterMembership.objects.filter(company_id=OuterRef("company_id"), role=name)
        )

    main_group = (
        OfferLine.objects.filter(offer_id=OuterRef("pk"), product__isnull=False)
        .order_by((F("quantity") * F("unit_price")).desc(), "position")
        .values("product__group_id")[:1]
    )
    return offers.annotate(
        has_decider=role(BuyingCenterRole.DECIDER),
        has_evaluator=role(BuyingCenterRole.EVALUATOR),
        is_customer=Exists(
            Order.objects.filter(
                company_id=OuterRef("company_id"), ordered_on__lt=OuterRef("requested_on")
            )
        ),
        main_group=Subquery(main_group),
    )


def _moment(offer_id: int, days: int) -> int:
    """A day of a closed offer's open time, the same for the same offer in every training."""
    digest = hashlib.blake2b(f"{SEED}:{offer_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % (days + 1)


def observations(offers: QuerySet[Offer], today: datetime.date) -> Iterable[list[Observation]]:
    """The offers as features, a chunk at a time (their ids ascending)."""
    rows = (
        _annotated(offers)
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "has_decider",
            "has_evaluator",
            "is_customer",
            "highest_discount_percent",
            "net_total",
            "currency",
            "sent_on",
            "closed_on",
            "owner_id",
            "main_group",
        )
    )
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1][0]
        found = []
        for (pk, status, decider, evaluator, customer, discount, value, currency, sent,
             closed, owner, group) in chunk:  # fmt: skip
            if status in (OfferStatus.WON, OfferStatus.LOST):
                open_days = max(0, ((closed or sent) - sent).days) if sent else 0
                age = _moment(pk, open_days)
                won: bool | None = status == OfferStatus.WON
            else:
                age = max(0, (today - sent).days) if sent else 0
                won = None
            found.append(
                Observation(
                    id=pk,
                    status=status,
                    decider=decider,
                    evaluator=evaluator,
                    customer=customer,
                    discount=float(discount),
                    value_eur=float(value * eur_rate(currency)),
                    age=min(age, MAX_AGE_DAYS),
                    owner_id=owner,
                    group_id=group,
                    won=won,
                )
            )
        yield found


def closed_offers() -> QuerySet[Offer]:
    return Offer.objects.filter(
        status__in=[OfferStatus.WON, OfferStatus.LOST], sent_on__isnull=False
    )


def open_offers() -> QuerySet[Offer]:
    return Offer.objects.filter(status__in=[OfferStatus.DRAFT, OfferStatus.SENT])


def _rates(keys: Sequence[int | None], won: np.ndarray, base: float) -> dict[str, float]:
    totals: dict[str, list[float]] = {}
    for key, outcome in zip(keys, won, strict=True):
        entry = totals.setdefault(str(key), [0.0, 0.0])
        entry[0] += outcome
        entry[1] += 1
    return {
        key: (wins + SMOOTHING * base) / (count + SMOOTHING)
        for key, (wins, count) in totals.items()
    }


def _matrix(rows: Sequence[Observation], encodings: dict[str, Any]) -> np.ndarray:
    base = encodings["base"]
    reps, groups = encodings["rep"], encodings["group"]
    return np.array(
        [
            [
                float(row.decider),
                float(row.evaluator),
                float(row.customer),
                row.discount,
                math.log10(max(row.value_eur, 10.0)),
                float(row.age),
                reps.get(str(row.owner_id), base),
                groups.get(str(row.group_id), base),
            ]
            for row in rows
        ],
        dtype=float,
    ).reshape(len(rows), len(FEATURES))


@dataclass(frozen=True)
class Trained:
    fit: logistic.Fit
    means: np.ndarray
    scales: np.ndarray
    encodings: dict[str, Any]

    def log_odds_parts(self, matrix: np.ndarray) -> np.ndarray:
        return (matrix - self.means) / self.scales * self.fit.coefficients

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return logistic.sigmoid(self.fit.intercept + self.log_odds_parts(matrix).sum(axis=1))


def train_on(rows: Sequence[Observation]) -> Trained:
    won = np.array([row.won for row in rows], dtype=float)
    base = float(won.mean())
    encodings = {
        "base": base,
        "rep": _rates([row.owner_id for row in rows], won, base),
        "group": _rates([row.group_id for row in rows], won, base),
    }
    matrix = _matrix(rows, encodings)
    means = matrix.mean(axis=0)
    scales = matrix.std(axis=0)
    scales[scales == 0] = 1.0
    fit = logistic.fit((matrix - means) / scales, won)
    return Trained(fit, means, scales, encodings)


def _table(probabilities: np.ndarray, won: np.ndarray) -> list[dict[str, float]]:
    return [
        {
            "low": bin.low,
            "high": bin.high,
            "count": bin.count,
            "predicted": bin.predicted,
            "observed": bin.observed,
        }
        for bin in logistic.reliability(probabilities, won)
    ]


def evaluate(rows: Sequence[Observation], seed: int = SEED) -> tuple[Trained, dict[str, Any]]:
    """Train on four fifths, measure the model and the stage default on the held-out fifth."""
    won = np.array([row.won for row in rows], dtype=float)
    train, holdout = logistic.stratified_split(won, HOLDOUT_SHARE, seed)
    trained = train_on([rows[index] for index in train])
    held = [rows[index] for index in holdout]
    held_won = won[holdout]
    predicted = trained.predict(_matrix(held, trained.encodings))
    stage = np.full(len(held), trained.encodings["base"])
    return trained, {
        "n_train": len(train),
        "n_holdout": len(holdout),
        "brier": logistic.brier(predicted, held_won),
        "stage_brier": logistic.brier(stage, held_won),
        "auc": logistic.auc(predicted, held_won),
        "stage_rate": trained.encodings["base"],
        "reliability": _table(predicted, held_won),
        "stage_reliability": _table(stage, held_won),
    }


@dataclass(frozen=True)
class Outcome:
    model: WinModel | None
    won: int
    lost: int


def train(*, today: datetime.date | None = None, seed: int = SEED) -> Outcome:
    """Learn from the closed offers if there are enough, store the model, and activate it if
    it beat the stage default on the held-out offers."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    rows = [row for chunk in observations(closed_offers(), today) for row in chunk]
    won = sum(1 for row in rows if row.won)
    lost = len(rows) - won
    if won < MIN_OUTCOMES or lost < MIN_OUTCOMES:
        return Outcome(None, won, lost)
    _measured, metrics = evaluate(rows, seed)
    # The stored model is trained on all the history; its measures are the holdout's.
    final = train_on(rows)
    with transaction.atomic():
        better = metrics["brier"] < metrics["stage_brier"]
        WinModel.objects.filter(active=True).update(active=False)
        model = WinModel.objects.create(
            trained_at=timezone.now(),
            n_train=metrics["n_train"],
            n_holdout=metrics["n_holdout"],
            n_won=won,
            n_lost=lost,
            intercept=final.fit.intercept,
            coefficients=dict(zip(FEATURES, final.fit.coefficients.tolist(), strict=True)),
            scaling={
                "means": dict(zip(FEATURES, final.means.tolist(), strict=True)),
                "scales": dict(zip(FEATURES, final.scales.tolist(), strict=True)),
            },
            encodings=final.encodings,
            metrics=metrics,
            seconds=time.perf_counter() - started,
            active=better,
        )
    return Outcome(model, won, lost)


def _trained(model: WinModel) -> Trained:
    return Trained(
        fit=logistic.Fit(
            intercept=model.intercept,
            coefficients=np.array([model.coefficients[name] for name in FEATURES]),
        ),
        means=np.array([model.scaling["means"][name] for name in FEATURES]),
        scales=np.array([model.scaling["scales"][name] for name in FEATURES]),
        encodings=model.encodings,
    )


def stage_rates() -> dict[str, float]:
    """The stage default: the share of sent offers won so far, for drafts and sent offers
    alike; without history, what a CRM's stage would say. Counted once an hour: every changed
    offer asks for it."""
    cached = cache.get(STAGE_RATES_KEY)
    if cached is not None:
        return cached
    closed = closed_offers()
    total = closed.count()
    rates = dict(FALLBACK_RATE)
    if total:
        rate = closed.filter(status=OfferStatus.WON).count() / total
        rates = {OfferStatus.DRAFT: rate, OfferStatus.SENT: rate}
    cache.set(STAGE_RATES_KEY, rates, STAGE_RATES_SECONDS)
    return rates


def _reasons(row: Observation, parts: np.ndarray, encodings: dict[str, Any]) -> list[list[Any]]:
    base = encodings["base"]
    values = {
        "decider": int(row.decider),
        "evaluator": int(row.evaluator),
        "customer": int(row.customer),
        "discount": round(row.discount, 2),
        "value": round(row.value_eur),
        "age": row.age,
        "rep": round(100 * encodings["rep"].get(str(row.owner_id), base)),
        "group": round(100 * encodings["group"].get(str(row.group_id), base)),
    }
    order = np.argsort(-np.abs(parts))
    return [
        [FEATURES[index], round(float(parts[index]), 3), values[FEATURES[index]]]
        for index in order[:REASONS_SHOWN]
        if abs(parts[index]) >= REASON_THRESHOLD
    ]


def rescore(offers: QuerySet[Offer], today: datetime.date | None = None) -> int:
    """Write the win probability and its reasons of ``offers`` (open ones)."""
    today = today or timezone.localdate()
    model = WinModel.objects.filter(active=True).first()
    trained = _trained(model) if model else None
    updated = 0
    rates = stage_rates() if trained is None else {}
    for rows in observations(offers, today):
        changed = []
        if trained is None:
            for row in rows:
                changed.append(
                    Offer(
                        pk=row.id,
                        win_probability=round(rates.get(row.status, 0.0), 4),
                        win_reasons=[["stage", 0.0, row.status]],
                    )
                )
        else:
            matrix = _matrix(rows, trained.encodings)
            parts = trained.log_odds_parts(matrix)
            probabilities = trained.predict(matrix)
            for index, row in enumerate(rows):
                changed.append(
                    Offer(
                        pk=row.id,
                        win_probability=round(float(probabilities[index]), 4),
                        win_reasons=_reasons(row, parts[index], trained.encodings),
                    )
                )
        Offer.objects.bulk_update(changed, ["win_probability", "win_reasons"], batch_size=1_000)
        updated += len(changed)
    return updated


def rescore_open(today: datetime.date | None = None) -> int:
    return rescore(open_offers(), today)


def train_and_rescore(today: datetime.date | None = None) -> Outcome:
    outcome = train(today=today)
    rescore_open(today)
    return outcome


def explained(reasons: Sequence[Sequence[Any]]) -> list[tuple[str, bool | None]]:
    """The stored reasons as the rep reads them, each with whether it raises the chance (None:
    neither, the stage default)."""
    return [
        (_text(key, value), log_odds > 0 if log_odds else None) for key, log_odds, value in reasons
    ]


def _text(key: str, value: Any) -> str:
    if key == "stage":
        return _("the stage's default: no model learnt yet")
    if key in ("decider", "evaluator", "customer"):
        return str(_YES_NO[key][bool(value)])
    texts = {
        "discount": _("discount %(value)s %%"),
        "value": _("value %(value)s €"),
        "age": _("open for %(value)s days"),
        "rep": _("the rep wins %(value)s %% of offers"),
        "group": _("%(value)s %% won in this product group"),
    }
    shown = formats.number_format(value, decimal_pos=0 if key != "discount" else None)
    return texts[key] % {"value": shown}


_YES_NO = {
    "decider": {True: gettext_lazy("decider known"), False: gettext_lazy("no decider known")},
    "evaluator": {True: gettext_lazy("evaluator known"), False: gettext_lazy("no evaluator known")},
    "customer": {True: gettext_lazy("existing customer"), False: gettext_lazy("new customer")},
}
