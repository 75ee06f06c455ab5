"""An order line's net amount is computed by the database, on SQLite as on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_it_keeps_the_cents_when_every_input_is_a_whole_number():
    # SQLite stores 89.00 as the integer 89: 6 × 89 × 98 / 100 must not be integer division.
    line = factories.OrderLineFactory(
        quantity=D("6"), unit_price=D("89.00"), discount_percent=D("2"), unit_cost=D("50")
    )
    line.refresh_from_db()
    assert line.net_amount == D("523.32")
    assert line.cost_amount == D("300.00")


def test_it_rounds_to_the_cent():
    line = factories.OrderLineFactory(
        quantity=D("3"), unit_price=D("3.35"), discount_percent=D("0.5"), unit_cost=D("1")
    )
    line.refresh_from_db()
    assert line.net_amount == D("10.00")  # 10.05 × 0.995 = 9.99975
