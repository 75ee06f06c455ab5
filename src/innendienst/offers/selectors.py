"""Reads of offers, scoped by the user: an offer is seen by whoever sees its company."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Subquery

from innendienst.accounts.models import User
from innendienst.catalog.models import DiscountLimit, PriceList, PriceListItem
from innendienst.contacts.models import Company
from innendienst.contacts.selectors import company_scope
from innendienst.offers import pricing
from innendienst.offers.models import (
    ApprovalStatus,
    DiscountApproval,
    Offer,
    OfferLine,
    OfferRevision,
    OfferStatus,
)


def offers_for(user: User) -> QuerySet[Offer]:
    scope = company_scope(user, "company__")
    offers = Offer.objects.all()
    return offers if scope is None else offers.filter(scope)


def offer_get(user: User, offer_id: int) -> Offer:
    return (
        offers_for(user)
        .select_related("company", "contact", "owner", "price_list", "order")
        .get(pk=offer_id)
    )


def lines_of(offer: Offer) -> list[OfferLine]:
    return list(offer.lines.select_related("product"))


@dataclass(frozen=True)
class PricedLine:
    line: OfferLine
    amounts: pricing.LineAmounts


@dataclass(frozen=True)
class PricedOffer:
    lines: list[PricedLine]
    totals: pricing.Totals


def line_input(line: OfferLine) -> pricing.LineInput:
    return pricing.LineInput(
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount_percent=line.discount_percent,
        list_price=line.list_price,
    )


def priced(offer: Offer, lines: list[OfferLine] | None = None) -> PricedOffer:
    lines = lines_of(offer) if lines is None else lines
    rows = [PricedLine(line, pricing.line_amounts(line_input(line))) for line in lines]
    totals = pricing.totals(
        [row.amounts for row in rows],
        discount_percent=offer.discount_percent,
        freight=offer.freight,
        extra_costs=offer.extra_costs,
        currency=offer.currency,
        country=offer.company.country,
    )
    return PricedOffer(rows, totals)


def price_lists_for_offer(currency: str | None = None) -> QuerySet[PriceList]:
    lists = PriceList.objects.select_related("customer_group")
    return lists.filter(currency=currency) if currency else lists


def default_price_list(company: Company, currency: str, day: datetime.date) -> PriceList | None:
    """The company's customer group's list in the currency, valid on ``day``; else the
    standard list."""
    valid = (
        PriceList.objects.filter(currency=currency, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from", "-id")
    )
    if company.customer_group_id is not None:
        own = valid.filter(customer_group_id=company.customer_group_id).first()
        if own is not None:
            return own
    return valid.filter(customer_group__isnull=True).first()


DEFAULT_VALIDITY_DAYS = 30
# Offer documents are written in German or English: German where the country speaks it.
GERMAN_SPEAKING = frozenset({"DE", "AT", "CH", "LI"})


def offer_defaults(company: Company, today: datetime.date) -> dict[str, Any]:
    """What a new offer of the company starts with, for the form and the service alike."""
    return {
        "currency": company.currency,
        "language": "de" if company.country in GERMAN_SPEAKING else "en",
        "requested_on": today,
        "valid_until": today + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS),
        "price_list": default_price_list(company, company.currency, today),
    }


def list_price_of(price_list: PriceList | None, product_id: int) -> Decimal | None:
    if price_list is None:
        return None
    return (
        PriceListItem.objects.filter(price_list=price_list, product_id=product_id)
        .values_list("unit_price", flat=True)
        .first()
    )


def approval_covering(
    offer: Offer, discount: Decimal, net_total: Decimal
) -> DiscountApproval | None:
    """The approval of this version that covers ``discount`` on an offer of this value, if
    there is one."""
    return (
        offer.approvals.filter(
            status=ApprovalStatus.APPROVED,
            revision=offer.revision,
            discount_percent__gte=discount,
            net_total__gte=net_total,
        )
        .order_by("-decided_at")
        .first()
    )


def pending_approval(offer: Offer) -> DiscountApproval | None:
    return (
        offer.approvals.filter(status=ApprovalStatus.PENDING, revision=offer.revision)
        .select_related("requested_by")
        .first()
    )


def approvals_waiting_for(user: User) -> QuerySet[DiscountApproval]:
    """The requests ``user`` may decide: within his limit, of offers he sees, not his own."""
    waiting = DiscountApproval.objects.filter(
        status=ApprovalStatus.PENDING, offer__status=OfferStatus.DRAFT
    )
    if not user.is_superuser:
        # The limit as a subquery: "Mein Tag" asks this of everybody, most have no limit.
        limit = DiscountLimit.objects.filter(role=user.role).values("max_percent")[:1]
        waiting = waiting.filter(discount_percent__lte=Subquery(limit))
    return (
        waiting.filter(offer__in=offers_for(user))
        .exclude(requested_by=user)
        .select_related("offer", "offer__company", "requested_by")
        .order_by("requested_at")
    )


def approvers_exist(discount: Decimal) -> bool:
    return DiscountLimit.objects.filter(max_percent__gte=discount).exists()


def offer_tracking_list(user: User, *, mine: bool = False) -> QuerySet[Offer]:
    """Angebotsverfolgung: the open offers, the overdue follow-ups first, then by date."""
    offers = offers_for(user).filter(status__in=[OfferStatus.DRAFT, OfferStatus.SENT])
    if mine:
        offers = offers.filter(owner=user)
    # Drafts have no follow-up date yet: they come after the offers with the customer.
    return offers.select_related("company", "owner", "contact").order_by(
        F("follow_up_on").asc(nulls_last=True), "valid_until", "id"
    )


def overdue_follow_ups(user: User, today: datetime.date) -> QuerySet[Offer]:
    return (
        offers_for(user)
        .filter(owner=user, status=OfferStatus.SENT, follow_up_on__lte=today)
        .select_related("company")
        .order_by("follow_up_on", "id")
    )


def offers_of_company(user: User, company: Company, limit: int = 8) -> list[Offer]:
    return list(
        offers_for(user)
        .filter(company=company)
        .select_related("owner")
        .order_by("-requested_on", "-id")[:limit]
    )


def open_offers_of_company(user: User, company: Company, limit: int = 5) -> list[Offer]:
    return list(
        offers_for(user)
        .filter(company=company, status__in=[OfferStatus.DRAFT, OfferStatus.SENT])
        .order_by(F("follow_up_on").asc(nulls_last=True), "-id")[:limit]
    )


def revisions_of(offer: Offer) -> list[OfferRevision]:
    return list(offer.revisions.select_related("sent_by").order_by("number"))


TRACKING_ROWS = 50
FORECAST_PRODUCTS = 30


def line_get(user: User, line_id: int) -> OfferLine:
    return OfferLine.objects.select_related("offer", "offer__company", "product").get(
        pk=line_id, offer__in=offers_for(user)
    )


def approval_get(user: User, approval_id: int) -> DiscountApproval:
    return DiscountApproval.objects.select_related("offer").get(
        pk=approval_id, offer__in=offers_for(user)
    )


def revision_get(user: User, revision_id: int) -> OfferRevision:
    return OfferRevision.objects.select_related("offer", "offer__company", "sent_by").get(
        pk=revision_id, offer__in=offers_for(user)
    )
