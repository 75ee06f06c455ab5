"""Reads of orders, scoped through the companies a user sees."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import User
from innendienst.contacts.models import Company
from innendienst.contacts.selectors import company_scope
from innendienst.core.filters import ListFilterSet, sort_filter
from innendienst.orders.models import Order, OrderLine, OrderStatus

OPEN_STATUSES = (OrderStatus.RECEIVED, OrderStatus.CONFIRMED)


def orders_for(user: User) -> QuerySet[Order]:
    scope = company_scope(user, prefix="company__")
    return Order.objects.all() if scope is None else Order.objects.filter(scope)


@dataclass
class OrderSummary:
    """Umsatz der letzten 12 Monate, letzter Auftrag, offene Aufträge und offene Posten."""

    revenue_12m: dict[str, Decimal] = field(default_factory=dict)
    margin_12m: dict[str, Decimal] = field(default_factory=dict)
    orders_12m: int = 0
    last_order_on: datetime.date | None = None
    open_orders: int = 0
    open_items: dict[str, Decimal] = field(default_factory=dict)
    open_items_count: int = 0
    overdue_items_count: int = 0
    recent_orders: list[Order] = field(default_factory=list)


def order_summary_of(
    user: User, company: Company, *, today: datetime.date | None = None, recent: int = 5
) -> OrderSummary:
    today = today or timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    orders = orders_for(user).filter(company=company)
    summary = OrderSummary()

    revenue_rows = (
        OrderLine.objects.filter(
            order__in=orders.filter(ordered_on__gt=year_ago).exclude(status=OrderStatus.CANCELLED)
        )
        .values("order__currency")
        .annotate(revenue=Sum("net_amount"), cost=Sum("cost_amount"))
        .order_by()
    )
    for row in revenue_rows:
        currency = row["order__currency"]
        revenue = (row["revenue"] or Decimal(0)).quantize(Decimal("0.01"))
        summary.revenue_12m[currency] = revenue
        summary.margin_12m[currency] = (revenue - (row["cost"] or Decimal(0))).quantize(
            Decimal("0.01")
        )

    counts = orders.exclude(status=OrderStatus.CANCELLED).aggregate(
        last=Max("ordered_on"),
        in_year=Count("id", filter=Q(ordered_on__gt=year_ago)),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        unpaid=Count("id", filter=Q(invoiced_on__isnull=False, paid_on__isnull=True)),
        overdue=Count(
            "id",
            filter=Q(invoiced_on__isnull=False, paid_on__isnull=True, payment_due_on__lt=today),
        ),
    )
    summary.last_order_on = counts["last"]
    summary.orders_12m = counts["in_year"]
    summary.open_orders = counts["open"]
    summary.open_items_count = counts["unpaid"]
    summary.overdue_items_count = counts["overdue"]

    if summary.open_items_count:
        open_rows = (
            OrderLine.objects.filter(
                order__in=orders.filter(invoiced_on__isnull=False, paid_on__isnull=True).exclude(
                    status=OrderStatus.CANCELLED
                )
            )
            .values("order__currency")
            .annotate(amount=Sum("net_amount"))
            .order_by()
        )
        summary.open_items = {
            row["order__currency"]: (row["amount"] or Decimal(0)).quantize(Decimal("0.01"))
            for row in open_rows
        }

    summary.recent_orders = list(
        orders.annotate(total=Sum("lines__net_amount")).order_by("-ordered_on", "-id")[:recent]
    )
    return summary


@dataclass(frozen=True)
class MonthRevenue:
    currency: str
    this_month: Decimal
    last_month: Decimal

    @property
    def change(self) -> Decimal | None:
        """Percent change against the same days of last month."""
        if not self.last_month:
            return None
        return (self.this_month - self.last_month) / self.last_month * 100


def revenue_month_to_date(user: User, today: datetime.date) -> list[MonthRevenue]:
    """Net revenue of the orders received this month up to today, against the same days of
    last month (a fair comparison on any day of the month), per currency."""
    first = today.replace(day=1)
    last_month_first = (first - datetime.timedelta(days=1)).replace(day=1)
    last_month_end = min(
        last_month_first + datetime.timedelta(days=today.day - 1),
        first - datetime.timedelta(days=1),
    )
    orders = orders_for(user).exclude(status=OrderStatus.CANCELLED)
    in_this = Q(order__ordered_on__gte=first, order__ordered_on__lte=today)
    in_last = Q(order__ordered_on__gte=last_month_first, order__ordered_on__lte=last_month_end)
    rows = (
        OrderLine.objects.filter(order__in=orders.filter(ordered_on__gte=last_month_first))
        .filter(in_this | in_last)
        .values("order__currency")
        .annotate(this=Sum("net_amount", filter=in_this), last=Sum("net_amount", filter=in_last))
        .order_by("order__currency")
    )
    return [
        MonthRevenue(
            row["order__currency"],
            (row["this"] or Decimal(0)).quantize(Decimal("0.01")),
            (row["last"] or Decimal(0)).quantize(Decimal("0.01")),
        )
        for row in rows
    ]


MIN_ORDER_NUMBER_QUERY = 4


def order_search(user: User, query: str, limit: int = 8) -> list[Order]:
    """Orders by the start of their number ("AU24-00012"), for the global search. A query
    without a digit is a name, not an order number."""
    start = query.strip().upper()
    if len(start) < MIN_ORDER_NUMBER_QUERY or not any(ch.isdigit() for ch in start):
        return []
    return list(
        orders_for(user)
        .filter(number__startswith=start)
        .select_related("company")
        .only("id", "number", "ordered_on", "status", "company__id", "company__name")
        .order_by("number")[:limit]
    )


def order_lines_for(user: User) -> QuerySet[OrderLine]:
    scope = company_scope(user, prefix="order__company__")
    return OrderLine.objects.all() if scope is None else OrderLine.objects.filter(scope)


ORDER_LINE_SORTS = {
    "ordered_on": ("order__ordered_on", "order__number", "id"),
    "-ordered_on": ("-order__ordered_on", "-order__number", "id"),
    "number": ("order__number", "id"),
    "-number": ("-order__number", "id"),
}


class OrderLineFilterSet(ListFilterSet):
    """The order lines of the orders a user sees: of one company, a status, a period."""

    company_id = django_filters.NumberFilter(field_name="order__company_id", min_value=1)
    status = django_filters.ChoiceFilter(
        field_name="order__status", choices=OrderStatus.choices, label=_("Status")
    )
    ordered_from = django_filters.DateFilter(
        field_name="order__ordered_on", lookup_expr="gte", label=_("Ordered from")
    )
    ordered_to = django_filters.DateFilter(
        field_name="order__ordered_on", lookup_expr="lte", label=_("Ordered until")
    )
    sort = sort_filter(ORDER_LINE_SORTS)

    sorts = ORDER_LINE_SORTS
    default_sort = "-ordered_on"

    class Meta(ListFilterSet.Meta):
        model = OrderLine
        fields: list[str] = []


def order_line_filter(user: User, params: Mapping[str, Any] | None) -> OrderLineFilterSet:
    return OrderLineFilterSet(params, queryset=order_lines_for(user), user=user)
