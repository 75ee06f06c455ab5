"""Offer arithmetic in ``Decimal``, as on a German or Swiss commercial document.

Every amount printed on the offer is rounded to the cent once, where it is printed, and the
printed amounts add up: line net amounts are rounded per line (half up, as merchants round),
the total discount and the VAT are computed from the rounded subtotals, and a total in Swiss
francs is rounded to 5 Rappen with the difference shown as its own line. No float ever
touches an amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from innendienst.core.models import Country, Currency

CENT = Decimal("0.01")
FIVE_RAPPEN = Decimal("0.05")
HUNDRED = Decimal(100)

# Standard VAT rates by the customer's country (Umsatzsteuer / Mehrwertsteuer); Liechtenstein
# shares the Swiss rate. A business customer elsewhere in the EU is invoiced without VAT
# (reverse charge), which the document says.
VAT_RATES: dict[str, Decimal] = {
    Country.DE: Decimal("19"),
    Country.AT: Decimal("20"),
    Country.CH: Decimal("8.1"),
    Country.LI: Decimal("8.1"),
}


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_five_rappen(amount: Decimal) -> Decimal:
    return (
        (amount / FIVE_RAPPEN).quantize(Decimal(1), rounding=ROUND_HALF_UP) * FIVE_RAPPEN
    ).quantize(CENT)


def vat_rate_for(country: str) -> Decimal:
    return VAT_RATES.get(country, Decimal(0))


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return to_cents(amount * percent / HUNDRED)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = Decimal(0)
    # The price list's price, when the line has one: a unit price below it is a discount too.
    list_price: Decimal | None = None


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal  # quantity × unit price
    discount: Decimal
    net: Decimal
    list_value: Decimal | None  # quantity × price-list price

    @property
    def effective_discount_percent(self) -> Decimal:
        """The discount against the price list, whether given as a percentage or as a lower
        unit price; against the line's own price for free text."""
        base = self.list_value if self.list_value is not None else self.gross
        if not base:
            return Decimal(0)
        return ((base - self.net) / base * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(line: LineInput) -> LineAmounts:
    gross = to_cents(line.quantity * line.unit_price)
    net = to_cents(line.quantity * line.unit_price * (HUNDRED - line.discount_percent) / HUNDRED)
    list_value = to_cents(line.quantity * line.list_price) if line.list_price is not None else None
    return LineAmounts(gross=gross, discount=gross - net, net=net, list_value=list_value)


@dataclass(frozen=True)
class Totals:
    lines_net: Decimal
    discount_percent: Decimal
    discount: Decimal
    freight: Decimal
    extra_costs: Decimal
    net: Decimal  # what VAT is charged on
    vat_rate: Decimal
    vat: Decimal
    rounding: Decimal  # to 5 Rappen for Swiss francs, else 0
    total: Decimal
    highest_discount_percent: Decimal  # of any line, or of the whole against the price list

    @property
    def reverse_charge(self) -> bool:
        return not self.vat_rate


def totals(
    lines: Sequence[LineAmounts],
    *,
    discount_percent: Decimal,
    freight: Decimal,
    extra_costs: Decimal,
    currency: str,
    country: str,
) -> Totals:
    lines_net = sum((line.net for line in lines), Decimal("0.00"))
    discount = percent_of(lines_net, discount_percent)
    net = lines_net - discount + freight + extra_costs
    rate = vat_rate_for(country)
    vat = percent_of(net, rate)
    exact = net + vat
    total = to_five_rappen(exact) if currency == Currency.CHF else exact
    return Totals(
        lines_net=lines_net,
        discount_percent=discount_percent,
        discount=discount,
        freight=freight,
        extra_costs=extra_costs,
        net=net,
        vat_rate=rate,
        vat=vat,
        rounding=total - exact,
        total=total,
        highest_discount_percent=_highest_discount(lines, lines_net - discount),
    )


def _highest_discount(lines: Iterable[LineAmounts], discounted_net: Decimal) -> Decimal:
    """The discount an approval must cover: the deepest line, or the whole offer after its
    total discount against the value of its lines at the price list's prices."""
    lines = list(lines)
    highest = max((line.effective_discount_percent for line in lines), default=Decimal(0))
    base = sum(
        (line.list_value if line.list_value is not None else line.gross for line in lines),
        Decimal(0),
    )
    if base:
        overall = ((base - discounted_net) / base * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        highest = max(highest, overall)
    return max(highest, Decimal(0))
