"""imports.values: numbers and dates as DACH files write them."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innendienst.imports.values import (
    InvalidValue,
    NumberStyle,
    number_style,
    parse_date,
    parse_decimal,
)

GERMAN, ENGLISH = NumberStyle.GERMAN, NumberStyle.ENGLISH


@pytest.mark.parametrize(
    ("text", "style", "number"),
    [
        ("1.234,50", GERMAN, Decimal("1234.50")),
        ("1,234.50", ENGLISH, Decimal("1234.50")),
        ("-0,5", GERMAN, Decimal("-0.5")),
        ("€ 12,00", GERMAN, Decimal("12.00")),
        ("12,00 EUR", GERMAN, Decimal("12.00")),
        ("CHF 1'234.50", ENGLISH, Decimal("1234.50")),
        ("1 234,50", GERMAN, Decimal("1234.50")),
        ("1\u00a0234,50", GERMAN, Decimal("1234.50")),
        ("1,234", GERMAN, Decimal("1.234")),
        ("1,234", ENGLISH, Decimal("1234")),
        (1234.5, GERMAN, Decimal("1234.5")),
        (7, ENGLISH, Decimal("7")),
        ("", GERMAN, None),
        (None, GERMAN, None),
    ],
)
def test_it_reads_numbers_in_the_column_style(text, style, number):
    assert parse_decimal(text, style) == number


@pytest.mark.parametrize("text", ["zwölf", "1,2,3.4.5x", "NaN", "Infinity", True, "12 Stück"])
def test_it_says_what_is_not_a_number(text):
    with pytest.raises(InvalidValue, match="keine Zahl"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("values", "style"),
    [
        (["1.234,50", "12", "3,5"], GERMAN),
        (["1,234.50", "12", "3.5"], ENGLISH),
        (["1,234", "17"], GERMAN),  # nothing tells: a German file
        (["1.000", "2.500"], GERMAN),
        ([12.5, None, "9"], GERMAN),
        (["1'234.50", "12"], ENGLISH),  # Swiss
    ],
)
def test_it_finds_the_style_of_a_column(values, style):
    assert number_style(values) == style


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.sampled_from([GERMAN, ENGLISH]),
)
def test_it_reads_back_any_amount_written_with_thousands_separators(amount, style):
    thousands, decimal = (".", ",") if style is GERMAN else (",", ".")
    text = f"{amount:,.2f}".replace(",", "_").replace(".", decimal).replace("_", thousands)
    assert parse_decimal(text, style) == amount
    assert parse_decimal(text, number_style([text])) == amount


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("31.12.2025", datetime.date(2025, 12, 31)),
        ("1.2.2026", datetime.date(2026, 2, 1)),
        ("31.12.25", datetime.date(2025, 12, 31)),
        ("2025-12-31", datetime.date(2025, 12, 31)),
        ("2025-12-31T14:30:00", datetime.date(2025, 12, 31)),
        ("31.12.2025 14:30", datetime.date(2025, 12, 31)),
        ("31/12/2025", datetime.date(2025, 12, 31)),
        ("20251231", datetime.date(2025, 12, 31)),
        ("45657", datetime.date(2024, 12, 31)),
        (45657, datetime.date(2024, 12, 31)),
        (45657.75, datetime.date(2024, 12, 31)),
        (datetime.datetime(2025, 1, 2, 3, 4), datetime.date(2025, 1, 2)),
        (datetime.date(2025, 1, 2), datetime.date(2025, 1, 2)),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_dates_as_dach_files_write_them(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize("value", ["31.02.2025", "morgen", "12/31/2025", -5, 10**9, True])
def test_it_says_what_is_not_a_date(value):
    with pytest.raises(InvalidValue, match="kein Datum"):
        parse_date(value)
