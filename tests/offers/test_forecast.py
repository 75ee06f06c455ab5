"""The forecast: the expected revenue per month is exact, the Monte Carlo band lies around it,
quantities follow the lines, and an offer open for long does not close in its first week."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import numpy as np
import pytest
from django.utils import timezone

from innendienst.offers import forecast
from innendienst.offers.models import Offer, OfferStatus
from innendienst.offers.selectors import offers_for

pytestmark = pytest.mark.django_db


def _open(offer: Offer, *, probability: float, value: str, sent_days_ago: int = 2, **fields):
    today = timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(
        status=OfferStatus.SENT,
        sent_on=today - datetime.timedelta(days=sent_days_ago),
        win_probability=probability,
        net_total=D(value),
        **fields,
    )


def test_it_expects_value_times_probability_in_the_month_the_rep_named(offer, owner, pump):
    from innendienst.offers import services

    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 40})
    today = timezone.localdate()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=10)
    _open(offer, probability=0.25, value="40000", expected_close_on=next_month)
    result = forecast.forecast(offers_for(owner), today=today)
    assert result.offers == 1
    assert result.months[0].expected == D("0.00")
    assert result.months[1].expected == D("10000.00")
    assert result.expected_total == D("10000.00")
    # Won or not: the band of one offer is 0 or its value.
    assert result.months[1].p10 == D("0.00")
    assert result.months[1].p90 == D("40000.00")
    [pumps] = result.quantities
    assert pumps.product == pump
    assert pumps.per_month[1] == D("10.0")  # 40 × 25 %


def test_it_converts_francs_at_the_house_rate(offer, settings):
    settings.CHF_PER_EUR = D("0.95")
    today = timezone.localdate()
    _open(offer, probability=1.0, value="950", currency="CHF", expected_close_on=today)
    result = forecast.forecast(Offer.objects.all(), today=today)
    assert result.months[0].expected == D("1000.00")


def test_an_offer_open_for_long_closes_later_than_a_fresh_one():
    delays = np.arange(5, 61)
    today = datetime.date(2026, 12, 1)
    fresh = forecast._month_chances(today - datetime.timedelta(days=2), today, delays, today)
    old = forecast._month_chances(today - datetime.timedelta(days=50), today, delays, today)
    assert fresh.sum() == pytest.approx(1)
    assert old[0] == pytest.approx(1)  # what is left of its history closes this month
    assert fresh[1] > 0  # a fresh one may well close next month


def test_the_band_holds_the_expected_value_of_many_offers(owner, customer, offer):
    today = timezone.localdate()
    clones = []
    for number in range(200):
        offer.pk = None
        offer.number = f"AN-X-{number}"
        clones.append(
            Offer(**{f.attname: getattr(offer, f.attname) for f in Offer._meta.concrete_fields})
        )
    Offer.objects.bulk_create(clones)
    Offer.objects.update(
        status=OfferStatus.SENT, sent_on=today, win_probability=0.3, net_total=D("1000"),
        expected_close_on=today,
    )  # fmt: skip
    month = forecast.forecast(offers_for(owner), today=today).months[0]
    assert month.expected == D(f"{0.3 * 1000 * Offer.objects.count():.2f}")
    assert month.p10 < month.expected < month.p90
    assert abs(month.p50 - month.expected) < D("3000")


def test_it_counts_only_what_the_user_sees(offer, outsider):
    _open(offer, probability=0.5, value="1000")
    assert forecast.forecast(offers_for(outsider)).offers == 0
