"""Vorausschau: the revenue the open offers will bring, per month, with a band, and the
quantities production should expect per product and month.

Each open offer is won with its win probability (``offers.winning``). When it is won is drawn
from history: the days from sending to the order of the offers won so far, given that this one
is still open after as many days as it is now (an offer open for 40 days does not close in its
first week); a rep's expected decision date, where he set one, is taken as it is. A draft is
counted as sent today.

The expected revenue per month is exact (the sum of value × probability × the chance of
closing in that month). The band comes from ``SIMULATIONS`` Monte Carlo runs over all open
offers at once: P10, P50 and P90 of each month's won revenue. Amounts in euros, Swiss francs
at the house rate. The expected quantities are exact as well.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import FloatField, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from innendienst.catalog.models import Product
from innendienst.core.money import eur_rate
from innendienst.offers import winning
from innendienst.offers.models import Offer, OfferLine, OfferStatus

HORIZON_MONTHS = 6
SIMULATIONS = 1_000
BLOCK = 25  # simulations drawn at once: memory stays flat at any number of offers
SEED = 20_261_202
# Without enough won offers to learn from: decisions spread over two months.
DEFAULT_DELAYS = np.arange(7, 63, dtype=np.int64)
MIN_DELAYS = 30
MAX_DELAY_DAYS = 365


@dataclass(frozen=True)
class MonthBand:
    month: datetime.date  # the first of the month
    expected: Decimal
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass(frozen=True)
class ProductQuantities:
    product: Product
    per_month: list[Decimal]
    later: Decimal

    @property
    def total(self) -> Decimal:
        return sum(self.per_month, Decimal(0)) + self.later


@dataclass(frozen=True)
class Forecast:
    today: datetime.date
    months: list[MonthBand]
    later: Decimal  # expected after the horizon
    offers: int
    open_value: Decimal  # the open offers' value, won or not
    simulations: int
    quantities: list[ProductQuantities]

    @property
    def expected_total(self) -> Decimal:
        return sum((band.expected for band in self.months), Decimal(0)) + self.later


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def decision_delays() -> np.ndarray:
    """Days from sending to winning, of the offers won so far (sorted)."""
    rows = Offer.objects.filter(
        status=OfferStatus.WON, sent_on__isnull=False, closed_on__isnull=False
    ).values_list("sent_on", "closed_on")
    delays = np.array(
        [min(max((closed - sent).days, 0), MAX_DELAY_DAYS) for sent, closed in rows.iterator()],
        dtype=np.int64,
    )
    if len(delays) < MIN_DELAYS:
        return DEFAULT_DELAYS
    return np.sort(delays)


def _bucket(day: datetime.date, first: datetime.date) -> int:
    """The month bucket of ``day``: 0 is this month (also for a day already past), the
    horizon's last month is ``HORIZON_MONTHS - 1``, later ones share the last bucket."""
    months = (day.year - first.year) * 12 + day.month - first.month
    return min(max(months, 0), HORIZON_MONTHS)


def _month_chances(
    sent: datetime.date, today: datetime.date, delays: np.ndarray, first: datetime.date
) -> np.ndarray:
    """The chance of closing in each month bucket, for an offer sent on ``sent`` that is still
    open today."""
    age = (today - sent).days
    remaining = delays[np.searchsorted(delays, age, side="right") :]
    if not len(remaining):
        remaining = np.array([age + 1])
    chances = np.zeros(HORIZON_MONTHS + 1)
    days, counts = np.unique(remaining, return_counts=True)
    for delay, count in zip(days.tolist(), counts.tolist(), strict=True):
        chances[_bucket(sent + datetime.timedelta(days=delay), first)] += count
    return chances / chances.sum()


def forecast(
    offers: QuerySet[Offer], *, today: datetime.date | None = None, seed: int = SEED
) -> Forecast:
    today = today or timezone.localdate()
    first = _month_start(today)
    open_offers = offers.filter(status__in=[OfferStatus.DRAFT, OfferStatus.SENT])
    rows = list(
        open_offers.values_list(
            "sent_on", "expected_close_on", "net_total", "currency", "win_probability"
        )
    )
    rates = winning.stage_rates()
    delays = decision_delays()
    # Offers sent on the same day (or expected on the same day) share their month chances.
    groups: dict[tuple[datetime.date | None, datetime.date | None], int] = {}
    vectors: list[np.ndarray] = []

    def group_of(sent: datetime.date | None, expected_close: datetime.date | None) -> int:
        key = (sent, expected_close)
        if key not in groups:
            if expected_close is not None and expected_close >= today:
                vector = np.zeros(HORIZON_MONTHS + 1)
                vector[_bucket(expected_close, first)] = 1
            else:
                vector = _month_chances(min(sent or today, today), today, delays, first)
            groups[key] = len(vectors)
            vectors.append(vector)
        return groups[key]

    count = len(rows)
    values = np.empty(count)
    chances = np.empty(count)
    group = np.empty(count, dtype=np.int64)
    open_value = Decimal(0)
    for index, (sent, expected_close, net, currency, probability) in enumerate(rows):
        rate = eur_rate(currency)
        values[index] = float(net * rate)
        open_value += net * rate
        chances[index] = probability if probability is not None else rates[OfferStatus.SENT]
        group[index] = group_of(sent, expected_close)
    months = np.array(vectors).reshape(len(vectors), HORIZON_MONTHS + 1)
    expected = np.bincount(group, weights=values * chances, minlength=len(vectors)) @ months
    bands = _simulate(values, chances, group, months, seed)
    quantities = _quantities(
        open_offers,
        rates[OfferStatus.SENT],
        lambda sent, expected_close: vectors[group_of(sent, expected_close)],
    )
    return Forecast(
        today=today,
        months=[
            MonthBand(
                month=_add_months(first, number),
                expected=_cents(expected[number]),
                p10=_cents(bands[0, number]),
                p50=_cents(bands[1, number]),
                p90=_cents(bands[2, number]),
            )
            for number in range(HORIZON_MONTHS)
        ],
        later=_cents(expected[HORIZON_MONTHS]),
        offers=count,
        open_value=open_value.quantize(Decimal("0.01")),
        simulations=SIMULATIONS,
        quantities=quantities,
    )


def _simulate(
    values: np.ndarray, chances: np.ndarray, group: np.ndarray, months: np.ndarray, seed: int
) -> np.ndarray:
    """P10, P50 and P90 of each month bucket's won revenue over the simulations.

    Only the won offers of a run draw their month, by inverse transform on their group's
    cumulative month chances: the groups' rows laid end to end (row ``g`` shifted by ``g``),
    so one sorted search of a few hundred numbers serves every offer."""
    buckets = HORIZON_MONTHS + 1
    if not len(values):
        return np.zeros((3, buckets))
    rng = np.random.default_rng(seed)
    cumulative = np.cumsum(months, axis=1)
    cumulative[:, -1] = 1.0  # no offer falls off the end through rounding
    laid_out = (cumulative + np.arange(len(months))[:, None]).ravel()
    revenue = np.empty((SIMULATIONS, buckets))
    count = len(values)
    chances = chances.astype(np.float32)
    for start in range(0, SIMULATIONS, BLOCK):
        size = min(BLOCK, SIMULATIONS - start)
        draws = rng.random((size, count), dtype=np.float32)
        won = np.flatnonzero(draws < chances)
        runs, offers = np.divmod(won, count)
        rows = group[offers]
        # Below its chance, a draw divided by the chance is again uniform: it picks the month.
        when = draws.ravel()[won] / chances[offers]
        position = np.searchsorted(laid_out, when + rows, side="right")
        month = np.minimum(position - rows * buckets, buckets - 1)
        revenue[start : start + size] = np.bincount(
            runs * buckets + month, weights=values[offers], minlength=size * buckets
        ).reshape(size, buckets)
    return np.percentile(revenue, [10, 50, 90], axis=0)


def _quantities(
    open_offers: QuerySet[Offer], default_chance: float, month_chances: Any
) -> list[ProductQuantities]:
    """Expected quantities per product and month bucket, the largest first. The database sums
    quantity × chance per product and the dates that decide the months."""
    grouped = (
        OfferLine.objects.filter(offer__in=open_offers.values("pk"), product__isnull=False)
        .values("product_id", "offer__sent_on", "offer__expected_close_on")
        .annotate(
            expected=Sum(
                Cast("quantity", FloatField())
                * Coalesce("offer__win_probability", Value(default_chance))
            )
        )
    )
    products: dict[int, np.ndarray] = {}
    for row in grouped:
        expected = row["expected"] * month_chances(
            row["offer__sent_on"], row["offer__expected_close_on"]
        )
        if row["product_id"] in products:
            products[row["product_id"]] += expected
        else:
            products[row["product_id"]] = expected
    found = Product.objects.in_bulk(list(products))
    table = [
        ProductQuantities(
            product=found[product_id],
            per_month=[_amount(value) for value in row[:HORIZON_MONTHS]],
            later=_amount(row[HORIZON_MONTHS]),
        )
        for product_id, row in products.items()
    ]
    return sorted(table, key=lambda entry: (-entry.total, entry.product.sku))


def _cents(value: float) -> Decimal:
    return Decimal(str(round(float(value), 2))).quantize(Decimal("0.01"))


def _amount(value: float) -> Decimal:
    return Decimal(str(round(float(value), 1))).quantize(Decimal("0.1"))
