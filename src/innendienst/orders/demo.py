"""Demo data of the orders app: three years of orders and order lines of every company that
buys, following its buying habits, the seasons and the working days."""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from decimal import Decimal
from typing import NamedTuple

from innendienst.catalog.demo import catalog_of
from innendienst.catalog.models import Product, Unit
from innendienst.contacts.demo import BuyingHabits, CompanyPlan, company_plans
from innendienst.demo.kit import (
    ORDER_HISTORY_DAYS,
    Chunk,
    Run,
    Step,
    Weighted,
    office_minutes,
    workday,
)
from innendienst.orders.models import Order, OrderLine, OrderSource, OrderStatus

# Fewer orders in the summer holidays and around Christmas, more in spring and autumn.
SEASON: dict[int, float] = {
    1: 0.9, 2: 1.0, 3: 1.15, 4: 1.15, 5: 1.1, 6: 1.0,
    7: 0.9, 8: 0.6, 9: 1.1, 10: 1.15, 11: 1.1, 12: 0.8,
}  # fmt: skip
LATE_DECEMBER_SEASON = 0.35

# Large customers order through EDI from their ERP, small ones by phone and in the web shop.
_CHANNELS = (
    OrderSource.INSIDE_SALES,
    OrderSource.FIELD_SALES,
    OrderSource.WEB_SHOP,
    OrderSource.ERP,
)
ORDER_CHANNELS = {
    "large": Weighted(_CHANNELS, (25, 5, 15, 55)),
    "medium": Weighted(_CHANNELS, (40, 8, 25, 27)),
    "small": Weighted(_CHANNELS, (50, 10, 40, 0)),
}
LINES_PER_ORDER = Weighted((1, 2, 3, 4, 5, 6), (25, 22, 18, 15, 11, 9))


def _season(day: datetime.date) -> float:
    if day.month == 12 and day.day >= 20:
        return LATE_DECEMBER_SEASON
    return SEASON[day.month]


class OrderLineRow(NamedTuple):
    """An order line as a plain tuple: there are millions, and instances cost more than rows."""

    id: int
    order_id: int
    product_id: int
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    unit_cost: Decimal
    description: str = ""


class Assortment(NamedTuple):
    """What one customer buys from us: a few product groups, and favourites among them."""

    products: list[Product]
    favourites: list[Product]


class OrderStep(Step):
    """Orders with their lines, status and dates, for every company that buys."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.catalog = catalog_of(run)
        self._calendar = [
            run.order_start + datetime.timedelta(days=offset)
            for offset in range(-1, ORDER_HISTORY_DAYS + 1)
        ]
        self._seasonal_time = list(itertools.accumulate(_season(day) for day in self._calendar))
        self._order_number = 0

    def chunk(self, chunk: Chunk) -> None:
        rng = self.run.rng(chunk, "orders")
        orders: list[Order] = []
        lines: list[OrderLineRow] = []
        for plan in company_plans(chunk):
            if plan.habits is None:
                continue
            plan_rng = self.run.story_rng("orders") if plan.story else rng
            assortment = self._assortment(plan_rng, plan)
            for day in self._order_days(plan_rng, plan.habits):
                self._order(plan_rng, plan, plan.habits, assortment, day, orders, lines)
        self.run.write(Order, orders)
        self.run.write_tuples(OrderLine, OrderLineRow._fields, lines)

    def _assortment(self, rng: random.Random, plan: CompanyPlan) -> Assortment:
        groups = list(plan.industry.product_groups)
        count = rng.randint(2, min(4, len(groups)))
        chosen = rng.sample(groups[: count + 1], count)
        products = [p for code in chosen for p in self.catalog.products_by_group[code]]
        favourites = rng.sample(products, min(len(products), rng.randint(5, 15)))
        return Assortment(products, favourites)

    def _order_days(self, rng: random.Random, habits: BuyingHabits) -> list[datetime.date]:
        """Order dates from the newest backwards.

        The rhythm runs in seasonal time (the running sum of ``SEASON`` over the calendar), so
        orders thin out in August and late December and gather in spring and autumn.
        """
        origin = self._calendar[0].toordinal()
        index = habits.last_order.toordinal() - origin
        first = max(1, habits.since.toordinal() - origin)
        position = self._seasonal_time[index]
        days = []
        while index >= first:
            days.append(self._calendar[index])
            position -= habits.cycle * rng.lognormvariate(0, 0.35)
            index = min(index - 1, bisect.bisect_left(self._seasonal_time, position))
        days.reverse()
        return days

    def _order(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        habits: BuyingHabits,
        assortment: Assortment,
        day: datetime.date,
        orders: list[Order],
        lines: list[OrderLineRow],
    ) -> None:
        run = self.run
        company = plan.company
        source = ORDER_CHANNELS[habits.size].pick(rng)
        minutes = office_minutes(rng)
        if source == OrderSource.WEB_SHOP:
            minutes = rng.randrange(0, 24 * 60)
        else:
            day = workday(day)
        products: list[Product] = []
        for _ in range(LINES_PER_ORDER.pick(rng)):
            pool = assortment.favourites if rng.random() < 0.7 else assortment.products
            product = rng.choice(pool)
            if product not in products:
                products.append(product)
        taken_by = None
        if source == OrderSource.INSIDE_SALES:
            taken_by = plan.inside_rep
            if rng.random() < 0.1:
                taken_by = rng.choice(run.colleagues[plan.inside_rep.pk])
        elif source == OrderSource.FIELD_SALES:
            taken_by = plan.field_rep
        self._order_number += 1
        order = Order(
            id=run.ids.next(Order),
            number=f"AU{day:%y}-{self._order_number:07d}",
            company_id=company.pk,
            ordered_on=day,
            source=source,
            currency=company.currency,
            taken_by=taken_by,
            created_at=run.at(day, minutes),
        )
        self._progress(rng, order, habits, products, cancellable=not plan.story)
        orders.append(order)
        for product in products:
            price, cost = self.catalog.price(product, company.currency)
            quantity = self._quantity(rng, product, price, habits.line_value)
            lines.append(
                OrderLineRow(
                    run.ids.next(OrderLine),
                    order.pk,
                    product.pk,
                    quantity,
                    price,
                    Decimal(0) if self.catalog.is_service(product) else habits.discount,
                    cost,
                )
            )

    def _progress(
        self,
        rng: random.Random,
        order: Order,
        habits: BuyingHabits,
        products: list[Product],
        cancellable: bool,
    ) -> None:
        """Status and the dates that go with it, as far as the anchor date allows."""
        yesterday = self.run.yesterday
        day = order.ordered_on
        confirmed = day + datetime.timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        if cancellable and rng.random() < 0.02:
            order.status = OrderStatus.CANCELLED
            order.confirmed_on = (
                confirmed if confirmed <= yesterday and rng.random() < 0.5 else None
            )
            return
        if confirmed > yesterday:
            order.status = OrderStatus.RECEIVED
            return
        lead = rng.randint(1, 4)
        if any(p.stock == 0 for p in products) or rng.random() < 0.15:
            lead = max([lead] + [p.lead_time_days for p in products])
        delivery = confirmed + datetime.timedelta(days=lead)
        order.confirmed_on, order.delivery_on = confirmed, delivery
        if delivery > yesterday:
            order.status = OrderStatus.CONFIRMED
            return
        order.status = OrderStatus.DELIVERED
        invoiced = delivery + datetime.timedelta(days=rng.choice((0, 0, 1)))
        if invoiced > yesterday:
            invoiced = delivery
        paid = invoiced + datetime.timedelta(days=rng.randint(*habits.pay_delay))
        order.invoiced_on = invoiced
        order.payment_due_on = invoiced + datetime.timedelta(days=30)
        order.paid_on = paid if paid <= yesterday else None

    @staticmethod
    def _quantity(
        rng: random.Random, product: Product, price: Decimal, line_value: float
    ) -> Decimal:
        raw = line_value * rng.lognormvariate(0, 0.5) / max(float(price), 0.5)
        if product.unit == Unit.HOUR:
            return Decimal(str(min(40.0, max(1.0, round(raw * 2) / 2))))
        if product.unit in (Unit.METER, Unit.LITER):
            return Decimal(min(2_000, max(5, round(raw / 5) * 5)))
        count = max(1, round(raw))
        if count > 20:
            count = round(count, -1)
        return Decimal(min(5_000, count))
