"""orders.selectors: the order summary of the 360° page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from innendienst.orders.models import OrderStatus
from innendienst.orders.selectors import order_summary_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_sums_the_revenue_of_the_last_twelve_months(owner, company):
    today = timezone.localdate()
    recent = factories.OrderFactory(company=company, ordered_on=today - datetime.timedelta(days=20))
    factories.OrderLineFactory(order=recent, quantity=Decimal("3"), unit_price=Decimal("100"))
    old = factories.OrderFactory(company=company, ordered_on=today - datetime.timedelta(days=400))
    factories.OrderLineFactory(order=old, quantity=Decimal("50"))
    cancelled = factories.OrderFactory(company=company, status=OrderStatus.CANCELLED)
    factories.OrderLineFactory(order=cancelled, quantity=Decimal("50"))
    unpaid = factories.OrderFactory(
        company=company,
        ordered_on=today - datetime.timedelta(days=60),
        invoiced_on=today - datetime.timedelta(days=50),
        payment_due_on=today - datetime.timedelta(days=20),
    )
    factories.OrderLineFactory(order=unpaid, quantity=Decimal("1"), discount_percent=Decimal("0"))

    summary = order_summary_of(owner, company)

    # 3 × 100 − 10 % = 270; 1 × 100 = 100
    assert summary.revenue_12m == {"EUR": Decimal("370.00")}
    assert summary.margin_12m == {"EUR": Decimal("370.00") - Decimal("240.00")}
    assert summary.last_order_on == recent.ordered_on
    assert summary.orders_12m == 2
    assert summary.open_items == {"EUR": Decimal("100.00")}
    assert (summary.open_items_count, summary.overdue_items_count) == (1, 1)


def test_it_gives_an_outsider_an_empty_summary(outsider, company):
    factories.OrderLineFactory(order__company=company)
    summary = order_summary_of(outsider, company)
    assert (summary.revenue_12m, summary.orders_12m, summary.recent_orders) == ({}, 0, [])
