"""Demo data of the offers app: price lists and discount limits, the letterhead, and three
years of offers with their lines, versions, approvals and outcomes.

Whether an offer was won follows a known rule (``true_win_probability``): the decider and the
evaluator known, an existing customer, the discount, the offer's size, the rep and the product
group. The win-probability model is trained on this history and measured on a holdout against
the stage defaults, so the rule is there to be found — and the model's quality is only
claimed for what it finds on this data.
"""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from innendienst.accounts.models import Role, User
from innendienst.catalog.demo import catalog_of, chf_price
from innendienst.catalog.models import DiscountLimit, PriceList, PriceListItem, Product, Unit
from innendienst.contacts.demo import CompanyPlan, company_plans
from innendienst.contacts.models import BuyingCenterRole, CustomerGroup, Person
from innendienst.core.models import Currency, SiteSetting
from innendienst.demo import data
from innendienst.demo.kit import CENT, Chunk, Run, Step, Weighted, office_minutes, workday
from innendienst.offers import documents, winning
from innendienst.offers.letterhead import LETTERHEAD_KEY
from innendienst.offers.models import (
    ApprovalStatus,
    DiscountApproval,
    LossReason,
    Offer,
    OfferLine,
    OfferRevision,
    OfferStatus,
)
from innendienst.offers.selectors import GERMAN_SPEAKING, PricedOffer
from innendienst.offers.selectors import priced as priced_offer
from innendienst.orders.models import Order, OrderLine, OrderSource, OrderStatus

HISTORY_DAYS = 3 * 365
# Offers per company over the three years, by how much it buys; prospects get a few.
OFFERS_PER_COMPANY = {"large": 5.0, "medium": 2.5, "small": 1.2, None: 0.4}
LINES_PER_OFFER = Weighted((1, 2, 3, 4, 5, 6, 8, 12), (18, 20, 18, 14, 10, 9, 7, 4))
DISCOUNT_LIMITS = {
    Role.INSIDE_SALES: Decimal("8"),
    Role.FIELD_SALES: Decimal("10"),
    Role.KEY_ACCOUNT: Decimal("15"),
    Role.SALES_MANAGER: Decimal("25"),
    Role.ADMIN: Decimal("40"),
}
LOSS_REASONS = Weighted(
    (
        LossReason.PRICE,
        LossReason.COMPETITOR,
        LossReason.DELIVERY_TIME,
        LossReason.NO_BUDGET,
        LossReason.TECHNOLOGY,
        LossReason.PROJECT_CANCELLED,
        LossReason.NO_RESPONSE,
    ),
    (32, 26, 12, 12, 6, 5, 7),
)
COMPETITORS = Weighted(
    ("Kraft Industriebedarf GmbH", "Technikhandel Süd KG", "Alpina Werkzeug AG",
     "Nordschrauben GmbH", "Brenner Betriebstechnik"),
    (30, 25, 15, 18, 12),
)  # fmt: skip
# Days from the request to the sent offer, and from sending to the customer's decision.
PROCESSING_DAYS = Weighted((0, 1, 2, 3, 5, 8), (10, 30, 25, 15, 12, 8))
TERMS = (
    "Lieferung ab Werk, zzgl. Verpackung. Zahlung 30 Tage netto, 10 Tage 2 % Skonto. "
    "Es gelten unsere Allgemeinen Verkaufsbedingungen."
)


def true_win_probability(
    *,
    decider_known: bool,
    evaluator_known: bool,
    customer: bool,
    discount: float,
    net_value: float,
    rep_effect: float,
    group_effect: float,
) -> float:
    """The rule the demo's outcomes follow (log-odds add up; see the module's docstring)."""
    log_odds = (
        -1.7
        + 0.95 * decider_known
        + 0.45 * evaluator_known
        + 0.8 * customer
        + 0.06 * (discount - 5)
        - 0.45 * math.log10(max(net_value, 100) / 5_000)
        + rep_effect
        + group_effect
    )
    return 1 / (1 + math.exp(-log_odds))


def _letterhead() -> dict[str, str]:
    return {
        "company_name": "Innendienst Demo GmbH",
        "street": "Gewerbepark 7",
        "postcode": "85748",
        "city": "Garching b. München",
        "country": "DE",
        "phone": "+49 89 3200 0",
        "email": "vertrieb@innendienst-demo.de",
        "website": "www.innendienst-demo.de",
        "vat_id": "DE123456789",
        "register": "Amtsgericht München HRB 234567",
        "managing_directors": "Dr. Eva Lindner, Paul Reiter",
        "bank": "Stadtsparkasse München · IBAN DE02 7015 0000 0000 1234 56 · BIC SSKMDEMMXXX",
    }


class OfferStep(Step):
    """Price lists, discount limits and the letterhead once; offers per chunk."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.catalog = catalog_of(run)
        self.start = run.anchor - datetime.timedelta(days=HISTORY_DAYS)
        self.price_lists = self._price_lists(run)
        for role, limit in DISCOUNT_LIMITS.items():
            DiscountLimit.objects.update_or_create(role=role, defaults={"max_percent": limit})
        run.count(DiscountLimit, len(DISCOUNT_LIMITS))
        SiteSetting.objects.update_or_create(key=LETTERHEAD_KEY, defaults={"value": _letterhead()})
        users = run.organisation.users
        self.manager: User = users["leitung"]
        rng = random.Random(f"{run.dataset.seed}:offers:effects")
        # Some reps win more than others, some product groups are harder to sell.
        self.rep_effect = {user.pk: rng.gauss(0, 0.35) for user in users.values()}
        self.group_effect = {code: rng.gauss(0, 0.3) for code in self.catalog.products_by_group}
        self.numbers: dict[int, int] = {}

    def _price_lists(self, run: Run) -> dict[tuple[str | None, str], tuple[PriceList, dict]]:
        """A standard list and one per customer group, in euros and Swiss francs, valid over
        the whole history; a group's list takes its usual discount off the list price."""
        lists: dict[tuple[str | None, str], tuple[PriceList, dict]] = {}
        groups = {group.code: group for group in CustomerGroup.objects.all()}
        specs = {spec.code: spec for spec in data.CUSTOMER_GROUPS}
        items = []
        for currency in (Currency.EUR, Currency.CHF):
            for code in (None, *sorted(groups)):
                spec = specs.get(code) if code else None
                name = f"{spec.name if spec else 'Standard'} {currency}"
                price_list = PriceList.objects.create(
                    name=name,
                    customer_group=groups.get(code) if code else None,
                    currency=currency,
                    valid_from=self.start,
                )
                off = Decimal(sum(spec.discount) / 2 / 100) if spec else Decimal(0)
                prices = {}
                for product in self.catalog.products:
                    base = (
                        chf_price(product.list_price)
                        if currency == Currency.CHF
                        else product.list_price
                    )
                    if not self.catalog.is_service(product):
                        base = (base * (1 - off)).quantize(CENT)
                    prices[product.pk] = base
                    items.append(
                        PriceListItem(
                            id=run.ids.next(PriceListItem),
                            price_list=price_list,
                            product=product,
                            unit_price=base,
                        )
                    )
                lists[(code, currency)] = (price_list, prices)
        PriceListItem.objects.bulk_create(items, batch_size=2_000)
        run.count(PriceList, len(lists))
        run.count(PriceListItem, len(items))
        return lists

    def chunk(self, chunk: Chunk) -> None:
        rng = self.run.rng(chunk, "offers")
        rows: dict[type, list] = {
            Offer: [], OfferLine: [], OfferRevision: [], DiscountApproval: [], Order: [],
            OrderLine: [],
        }  # fmt: skip
        for plan in company_plans(chunk):
            size = plan.habits.size if plan.habits else None
            for _ in range(_poisson(rng, OFFERS_PER_COMPANY[size])):
                self._offer(rng, plan, rows)
            if plan.story:
                self._story(plan, rows)
        # Orders first: won offers point at them.
        for model in (Order, OrderLine, Offer, OfferLine, OfferRevision, DiscountApproval):
            self.run.write(model, rows[model])

    def finish(self) -> None:
        """The win probability learnt from the history, and every open offer scored."""
        winning.train_and_rescore(today=self.run.anchor)

    def _number(self, day: datetime.date) -> str:
        self.numbers[day.year] = self.numbers.get(day.year, 0) + 1
        return f"AN-{day.year}-{self.numbers[day.year]:05d}"

    def _offer(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        rows: dict[type, list],
        *,
        requested: datetime.date | None = None,
        owner: User | None = None,
        force: str | None = None,
    ) -> None:
        """One offer with its outcome as of the anchor date; ``force`` keeps it a "draft" or
        "sent" and open (the story's offers)."""
        run = self.run
        company = plan.company
        requested = requested or workday(
            self.start + datetime.timedelta(days=rng.randrange(HISTORY_DAYS))
        )
        owner = owner or (plan.inside_rep if rng.random() < 0.8 else plan.field_rep)
        contact = self._contact(rng, plan)
        group_code = company.customer_group.code if company.customer_group_id else None
        price_list, prices = self.price_lists.get(
            (group_code, company.currency), self.price_lists[(None, company.currency)]
        )
        spec = next((s for s in data.CUSTOMER_GROUPS if s.code == group_code), None)
        offer = Offer(
            id=run.ids.next(Offer),
            number=self._number(requested),
            company=company,
            contact=contact,
            subject="",
            owner=owner,
            created_by=owner,
            currency=company.currency,
            price_list=price_list,
            language="de" if company.country in GERMAN_SPEAKING else "en",
            requested_on=requested,
            valid_until=requested + datetime.timedelta(days=30),
            terms=TERMS,
            created_at=run.at(requested, office_minutes(rng)),
        )
        lines, group = self._lines(rng, plan, offer, prices, spec)
        offer.subject = _subject(lines)
        if rng.random() < 0.25:
            offer.freight = Decimal(rng.choice((9.9, 19.9, 49, 89))).quantize(CENT)
        priced = priced_offer(offer, lines)
        offer.net_total = priced.totals.net - offer.freight - offer.extra_costs
        discount = offer.highest_discount_percent = priced.totals.highest_discount_percent
        processing = PROCESSING_DAYS.pick(rng)
        sent = workday(requested + datetime.timedelta(days=processing))
        if force == "draft" or (not force and sent > run.yesterday and rng.random() < 0.6):
            offer.status = OfferStatus.DRAFT  # still being written
        else:
            sent = min(sent, run.yesterday)
            self._approval(rng, offer, owner, discount, sent, rows)
            self._send(rng, offer, priced, sent, rows)
            probability = true_win_probability(
                decider_known=plan.has_decider,
                evaluator_known=any(m.role == BuyingCenterRole.EVALUATOR for m in plan.memberships),
                customer=plan.habits is not None,
                discount=float(discount),
                net_value=float(offer.net_total),
                rep_effect=self.rep_effect.get(owner.pk, 0.0),
                group_effect=self.group_effect.get(group, 0.0),
            )
            won = rng.random() < probability
            # Customers who will order decide sooner than those who drift away.
            decision = round(rng.lognormvariate(math.log(14 if won else 24), 0.6))
            closed = workday(sent + datetime.timedelta(days=max(1, decision)))
            if closed > run.yesterday or force == "sent":
                offer.expected_close_on = sent + datetime.timedelta(days=21)
            elif won:
                self._win(rng, plan, offer, lines, closed, rows)
            else:
                self._lose(rng, offer, closed)
        rows[Offer].append(offer)
        rows[OfferLine].extend(lines)

    def _story(self, plan: CompanyPlan, rows: dict[type, list]) -> None:
        """What the demo's inside rep finds: an offer with the customer for a week, due to be
        followed up today, and one she is writing with a discount above her limit, waiting
        for the sales manager's approval."""
        rng = self.run.story_rng("offers")
        requested = workday(self.run.days_ago(8))
        self._offer(rng, plan, rows, requested=requested, owner=plan.inside_rep, force="sent")
        rows[Offer][-1].follow_up_on = self.run.anchor
        requested = workday(self.run.yesterday)
        self._offer(rng, plan, rows, requested=requested, owner=plan.inside_rep, force="draft")
        offer = rows[Offer][-1]
        lines = offer_lines(rows, offer)
        for line in lines:
            if not self.catalog.is_service(line.product):
                line.discount_percent = Decimal(12)
        priced = priced_offer(offer, lines)
        offer.net_total = priced.totals.net - offer.freight - offer.extra_costs
        offer.highest_discount_percent = priced.totals.highest_discount_percent
        rows[DiscountApproval].append(
            DiscountApproval(
                id=self.run.ids.next(DiscountApproval),
                offer=offer,
                revision=offer.revision,
                discount_percent=priced.totals.highest_discount_percent,
                requested_by=plan.inside_rep,
                requested_at=self.run.at(self.run.yesterday, 15 * 60),
                reason="Rahmenvertrag 2027 in Verhandlung, der Wettbewerber bietet 10 %.",
            )
        )

    def _contact(self, rng: random.Random, plan: CompanyPlan) -> Person | None:
        buyers = [
            person.person
            for person in plan.people
            if {BuyingCenterRole.BUYER, BuyingCenterRole.DECIDER} & set(person.roles)
        ]
        if buyers:
            return rng.choice(buyers)
        return plan.people[0].person if plan.people else None

    def _lines(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        offer: Offer,
        prices: dict[int, Decimal],
        spec: data.CustomerGroupSpec | None,
    ) -> tuple[list[OfferLine], str]:
        groups = [
            code for code in plan.industry.product_groups if code in self.catalog.products_by_group
        ]
        group = rng.choice(groups)
        pool = self.catalog.products_by_group[group]
        chosen: list[Product] = []
        for _ in range(LINES_PER_OFFER.pick(rng)):
            product = rng.choice(pool if rng.random() < 0.75 else self.catalog.products)
            if product not in chosen:
                chosen.append(product)
        # Most offers stay within the group's usual discount; some go deeper for a project.
        low, high = spec.discount if spec else (0, 5)
        extra = rng.choice((0, 0, 0, 0, 2, 4, 6, 10))
        lines = []
        for position, product in enumerate(chosen, start=1):
            price = prices[product.pk]
            discount = Decimal(0)
            if not self.catalog.is_service(product):
                discount = Decimal(max(0, rng.randint(0, max(1, (high - low) // 2)) + extra))
            lines.append(
                OfferLine(
                    id=self.run.ids.next(OfferLine),
                    offer=offer,
                    position=position,
                    product=product,
                    description=product.name[:200],
                    quantity=_quantity(rng, product, price),
                    unit=product.unit,
                    unit_price=price,
                    list_price=price,
                    discount_percent=discount,
                )
            )
        return lines, group

    def _approval(
        self,
        rng: random.Random,
        offer: Offer,
        owner: User,
        discount: Decimal,
        sent: datetime.date,
        rows: dict[type, list],
    ) -> None:
        if discount <= DISCOUNT_LIMITS.get(owner.role, Decimal(0)):
            return
        asked = self.run.at(sent, office_minutes(rng))
        rows[DiscountApproval].append(
            DiscountApproval(
                id=self.run.ids.next(DiscountApproval),
                offer=offer,
                revision=1,
                discount_percent=discount,
                status=ApprovalStatus.APPROVED,
                requested_by=owner,
                requested_at=asked,
                decided_by=self.manager,
                decided_at=asked + datetime.timedelta(hours=rng.randint(1, 20)),
            )
        )

    def _send(
        self,
        rng: random.Random,
        offer: Offer,
        priced: PricedOffer,
        sent: datetime.date,
        rows: dict[type, list],
    ) -> None:
        offer.status = OfferStatus.SENT
        offer.sent_on = sent
        offer.follow_up_on = sent + datetime.timedelta(days=7)
        rows[OfferRevision].append(
            OfferRevision(
                id=self.run.ids.next(OfferRevision),
                offer=offer,
                number=offer.revision,
                sent_on=sent,
                sent_by=offer.owner,
                document=documents.document_of(offer, priced, sent, home_country="DE"),
            )
        )

    def _win(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        offer: Offer,
        lines: list[OfferLine],
        closed: datetime.date,
        rows: dict[type, list],
    ) -> None:
        order = Order(
            id=self.run.ids.next(Order),
            number=offer.number.replace("AN-", "AU-", 1),
            company=offer.company,
            ordered_on=closed,
            currency=offer.currency,
            source=OrderSource.FIELD_SALES
            if offer.owner.role == Role.FIELD_SALES
            else OrderSource.INSIDE_SALES,
            taken_by=offer.owner,
            status=OrderStatus.DELIVERED
            if closed < self.run.yesterday - datetime.timedelta(days=20)
            else OrderStatus.CONFIRMED,
            confirmed_on=closed,
            created_at=self.run.at(closed, office_minutes(rng)),
        )
        rows[Order].append(order)
        for line in lines:
            _, cost = self.catalog.price(line.product, offer.currency)
            rows[OrderLine].append(
                OrderLine(
                    id=self.run.ids.next(OrderLine),
                    order=order,
                    product=line.product,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                    unit_cost=cost,
                )
            )
        offer.status = OfferStatus.WON
        offer.closed_on = closed
        offer.follow_up_on = None
        offer.order = order

    def _lose(self, rng: random.Random, offer: Offer, closed: datetime.date) -> None:
        offer.status = OfferStatus.LOST
        offer.closed_on = closed
        offer.follow_up_on = None
        offer.loss_reason = LOSS_REASONS.pick(rng)
        if offer.loss_reason == LossReason.COMPETITOR:
            offer.competitor = COMPETITORS.pick(rng)


def offer_lines(rows: dict[type, list], offer: Offer) -> list[OfferLine]:
    return [line for line in rows[OfferLine] if line.offer is offer]


def _subject(lines: list[OfferLine]) -> str:
    first = lines[0].description
    if len(lines) == 1:
        return first[:200]
    return f"{first[:150]} und {len(lines) - 1} weitere Positionen"


def _quantity(rng: random.Random, product: Product, price: Decimal) -> Decimal:
    raw = 1_500 * rng.lognormvariate(0, 0.8) / max(float(price), 0.5)
    if product.unit == Unit.HOUR:
        return Decimal(str(min(80.0, max(2.0, round(raw * 2) / 2))))
    count = max(1, round(raw))
    if count > 20:
        count = round(count, -1)
    return Decimal(min(10_000, count))


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: the means here are small."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
