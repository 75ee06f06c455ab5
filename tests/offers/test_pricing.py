"""Offer arithmetic to the cent and the Rappen: what the document prints adds up."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from innendienst.offers import pricing


def _line(quantity: str, price: str, discount: str = "0", list_price: str | None = None):
    return pricing.line_amounts(
        pricing.LineInput(
            quantity=D(quantity),
            unit_price=D(price),
            discount_percent=D(discount),
            list_price=D(list_price) if list_price is not None else None,
        )
    )


def _totals(lines, currency="EUR", country="DE", discount="0", freight="0", extra="0"):
    return pricing.totals(
        lines,
        discount_percent=D(discount),
        freight=D(freight),
        extra_costs=D(extra),
        currency=currency,
        country=country,
    )


def test_it_adds_ten_and_twenty_cents_to_thirty_exactly():
    totals = _totals([_line("1", "0.10"), _line("1", "0.20")])
    assert totals.lines_net == D("0.30")
    assert totals.vat == D("0.06")  # 19 % of 0.30 = 0.057 → 0.06
    assert totals.total == D("0.36")


def test_it_rounds_a_line_half_up_to_the_cent():
    # 3 × 3.335 would be 10.005: merchants round the half cent up, banks would not.
    assert _line("3", "3.335").net == D("10.01")
    # 7 × 1.99 with 15 % discount: 11.8405 → 11.84
    line = _line("7", "1.99", "15")
    assert (line.gross, line.discount, line.net) == (D("13.93"), D("2.09"), D("11.84"))


def test_its_printed_amounts_add_up_with_many_percentages():
    lines = [_line("3", "19.99", "12.5"), _line("0.333", "7.77", "3"), _line("11", "0.49", "33.33")]
    totals = _totals(lines, discount="2.5", freight="12.90", extra="4.10")
    assert totals.lines_net == sum(line.net for line in lines)
    assert totals.net == totals.lines_net - totals.discount + D("12.90") + D("4.10")
    assert totals.total == totals.net + totals.vat + totals.rounding
    assert all(amount == amount.quantize(pricing.CENT) for amount in (totals.discount, totals.vat))


def test_it_charges_the_vat_of_the_customers_country():
    lines = [_line("1", "1000")]
    assert _totals(lines, country="DE").vat == D("190.00")
    assert _totals(lines, country="AT").vat == D("200.00")
    swiss = _totals(lines, currency="CHF", country="CH")
    assert (swiss.vat_rate, swiss.vat) == (D("8.1"), D("81.00"))
    french = _totals(lines, country="FR")
    assert french.vat == 0
    assert french.reverse_charge


def test_it_rounds_a_swiss_total_to_five_rappen_and_shows_the_difference():
    # 93.47 + 8.1 % (7.57) = 101.04 → 101.05
    totals = _totals([_line("1", "93.47")], currency="CHF", country="CH")
    assert (totals.net, totals.vat) == (D("93.47"), D("7.57"))
    assert totals.total == D("101.05")
    assert totals.rounding == D("0.01")
    # 101.02 → 101.00: the rounding goes down as well.
    down = _totals([_line("1", "93.45")], currency="CHF", country="CH")
    assert down.net + down.vat == D("101.02")
    assert (down.total, down.rounding) == (D("101.00"), D("-0.02"))


def test_it_rounds_half_a_five_rappen_step_up():
    assert pricing.to_five_rappen(D("10.025")) == D("10.05")
    assert pricing.to_five_rappen(D("10.024")) == D("10.00")
    assert pricing.to_five_rappen(D("10.075")) == D("10.10")


def test_it_leaves_a_euro_total_to_the_cent():
    totals = _totals([_line("1", "93.47")], currency="EUR", country="DE")
    assert totals.total == D("111.23")
    assert totals.rounding == 0


def test_it_counts_a_lower_unit_price_as_discount_against_the_price_list():
    line = _line("10", "88.00", list_price="100.00")
    assert line.effective_discount_percent == D("12.00")
    assert _totals([line]).highest_discount_percent == D("12.00")


def test_it_takes_the_deepest_line_discount_for_the_approval():
    lines = [_line("1", "1000", "0"), _line("1", "100", "12")]
    assert _totals(lines).highest_discount_percent == D("12.00")


def test_it_combines_line_and_total_discounts_for_the_approval():
    # 5 % on the line and 5 % on the whole: 9.75 % less than the list.
    totals = _totals([_line("1", "100", "5", list_price="100")], discount="5")
    assert totals.highest_discount_percent == D("9.75")


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=D("0.001"), max_value=D("9999"), places=3),
            st.decimals(min_value=D("0"), max_value=D("99999"), places=2),
            st.decimals(min_value=D("0"), max_value=D("100"), places=2),
        ),
        min_size=1,
        max_size=30,
    ),
    st.decimals(min_value=D("0"), max_value=D("100"), places=2),
    st.sampled_from([("EUR", "DE"), ("EUR", "AT"), ("CHF", "CH")]),
)
def test_its_totals_always_add_up_to_the_cent(rows, discount, where):
    lines = [
        pricing.line_amounts(pricing.LineInput(quantity=q, unit_price=p, discount_percent=d))
        for q, p, d in rows
    ]
    currency, country = where
    totals = _totals(lines, currency=currency, country=country, discount=str(discount))
    assert totals.net == totals.lines_net - totals.discount
    assert totals.total == totals.net + totals.vat + totals.rounding
    assert abs(totals.rounding) <= D("0.025")
    if currency == "CHF":
        assert totals.total % D("0.05") == 0
    assert 0 <= totals.highest_discount_percent <= 100
