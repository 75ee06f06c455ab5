"""Amounts across currencies: Swiss francs count in euro figures at the house rate."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from innendienst.core.models import Currency


def eur_rate(currency: str) -> Decimal:
    """Euros for one unit of ``currency``."""
    if currency == Currency.CHF:
        return 1 / settings.CHF_PER_EUR
    return Decimal(1)


def to_eur(amount: Decimal, currency: str) -> Decimal:
    return (amount * eur_rate(currency)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
