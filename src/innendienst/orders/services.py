"""Writes of orders: audited, with events."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from innendienst.accounts.models import User
from innendienst.contacts.models import Company
from innendienst.core import audit, events
from innendienst.orders.models import Order, OrderLine, OrderSource


@transaction.atomic
def order_create(
    *,
    actor: User,
    company: Company,
    number: str,
    currency: str,
    ordered_on: datetime.date,
    lines: Sequence[OrderLine],
    source: str = OrderSource.INSIDE_SALES,
) -> Order:
    """An order with its lines (unsaved ``OrderLine``s without ``order``), e.g. a won offer."""
    order = Order(
        number=number,
        company=company,
        currency=currency,
        ordered_on=ordered_on,
        source=source,
        taken_by=actor,
    )
    order.full_clean()
    order.save()
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    audit.record_create(actor=actor, instance=order)
    events.emit("order.created", actor=actor, instance=order, lines=len(lines))
    return order
