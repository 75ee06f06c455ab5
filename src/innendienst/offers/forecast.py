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

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from innendienst.catalog.models import Product
from innendienst.core.models import Currency
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


def _eur_factor(currency: str) -> float:
    return 1 / float(settings.CHF_PER_EUR) if currency == Currency.CHF else 1.0


def forecast(
    offers: QuerySet[Offer], *, today: datetime.date | None = None, seed: int = SEED
) -> Forecast:
    today = today or timezone.localdate()
    first = _month_start(today)
    open_offers = offers.filter(status__in=[OfferStatus.DRAFT, OfferStatus.SENT])
    rows = list(
        open_offers.values_list(
            "pk", "sent_on", "expected_close_on", "net_total", "currency", "win_probability"
        )
    )
    rates = winning.stage_rates()
    delays = decision_delays()
    count = len(rows)
    values = np.empty(count)
    chances = np.empty(count)
    months = np.empty((count, HORIZON_MONTHS + 1))
    by_sent: dict[datetime.date, np.ndarray] = {}
    open_value = Decimal(0)
    for index, (_pk, sent, expected_close, net, currency, probability) in enumerate(rows):
        values[index] = float(net) * _eur_factor(currency)
        open_value += net * Decimal(_eur_factor(currency))
        chances[index] = probability if probability is not None else rates[OfferStatus.SENT]
        if expected_close is not None and expected_close >= today:
            months[index] = 0
            months[index, _bucket(expected_close, first)] = 1
            continue
        sent = min(sent or today, today)
        if sent not in by_sent:
            by_sent[sent] = _month_chances(sent, today, delays, first)
        months[index] = by_sent[sent]
    expected = (values * chances) @ months
    bands = _simulate(values, chances, months, seed)
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
        quantities=_quantities(open_offers, [row[0] for row in rows], chances, months),
    )


def _simulate(values: np.ndarray, chances: np.ndarray, months: np.ndarray, seed: int) -> np.ndarray:
    """P10, P50 and P90 of each month bucket's won revenue over the simulations."""
    buckets = HORIZON_MONTHS + 1
    if not len(values):
        return np.zeros((3, buckets))
    rng = np.random.default_rng(seed)
    cumulative = np.cumsum(months, axis=1)
    cumulative[:, -1] = 1.0  # no offer falls off the end through rounding
    revenue = np.empty((SIMULATIONS, buckets))
    for start in range(0, SIMULATIONS, BLOCK):
        size = min(BLOCK, SIMULATIONS - start)
        won = rng.random((size, len(values))) < chances
        draws = rng.random((size, len(values)))
        month = (draws[:, :, None] > cumulative[None, :, :]).sum(axis=2)
        keys = month + buckets * np.arange(size)[:, None]
        revenue[start : start + size] = np.bincount(
            keys[won], weights=np.broadcast_to(values, won.shape)[won], minlength=size * buckets
        ).reshape(size, buckets)
    return np.percentile(revenue, [10, 50, 90], axis=0)


def _quantities(
    open_offers: QuerySet[Offer], offer_ids: list[int], chances: np.ndarray, months: np.ndarray
) -> list[ProductQuantities]:
    """Expected quantities per product and month bucket, the largest first."""
    if not offer_ids:
        return []
    position = {offer_id: index for index, offer_id in enumerate(offer_ids)}
    lines = OfferLine.objects.filter(
        offer__in=open_offers.values("pk"), product__isnull=False
    ).values_list("offer_id", "product_id", "quantity")
    products: dict[int, np.ndarray] = {}
    for offer_id, product_id, quantity in lines.iterator(chunk_size=10_000):
        index = position.get(offer_id)
        if index is None:
            continue
        expected = float(quantity) * chances[index] * months[index]
        if product_id in products:
            products[product_id] += expected
        else:
            products[product_id] = expected.copy()
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
