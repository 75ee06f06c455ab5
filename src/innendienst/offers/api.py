"""/api/v1/offers, the catalogue they are priced from, and the forecast: the same services and
selectors as the offer pages.

An offer is a ``VersionedModel``: its ``version`` is sent as ``ETag``, and every change of the
offer — of its header, its lines, its state — is refused with 412 when ``If-Match`` names an
older version. Lines have no version of their own: they are changed under their offer's, so a
line's answer carries the offer's new version (``offer_version`` and ``ETag``).

Products and price lists are the catalogue every user reads (the offer form offers them all);
only offers are scoped, by their company.
"""

import datetime
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Literal

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.accounts.models import User
from innendienst.accounts.selectors import colleagues_for
from innendienst.catalog.models import PriceList, PriceListItem, Product, ProductGroup, Unit
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core.api import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    WRITE_RESPONSES,
    Id,
    InputSchema,
    Pagination,
    Problem,
    RecordOut,
    if_match,
    model_input,
    referenced,
    versioned,
)
from innendienst.core.concurrency import etag
from innendienst.core.filters import ListFilterSet, query_schema, search_filter, sort_filter
from innendienst.core.models import Currency
from innendienst.offers import forecast, pricing, selectors, services
from innendienst.offers.access import can_write_offers, discount_limit_of, require_approver
from innendienst.offers.models import (
    DiscountApproval,
    LossReason,
    Offer,
    OfferLine,
    OfferRevision,
    OfferStatus,
)

router = Router(tags=["offers"])
CATALOG = ["catalog"]

VERSION_DESCRIPTION = "Sent as ETag; send it back in If-Match to change safely"
OFFER_VERSION_DESCRIPTION = (
    "The offer's version after this change, also sent as ETag: lines are changed under "
    "their offer's version (If-Match)"
)
# The services name relations as the model does; the API's fields are their ids.
RELATIONS = {"contact": "contact_id", "owner": "owner_id", "price_list": "price_list_id"}
LINE_RELATIONS = {"product": "product_id"}


def _api_fields(exc: ValidationError, relations: Mapping[str, str]) -> ValidationError:
    """The service's errors at the fields as the client names them: ``price_list`` is
    ``price_list_id``, also when the client did not send it (a default list, or a currency
    that no longer fits the offer's list)."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed: dict[str, list[ValidationError]] = {}
    for name, errors in exc.error_dict.items():
        renamed.setdefault(relations.get(name, name), []).extend(errors)
    return ValidationError(renamed)


@contextmanager
def _named_as_sent(relations: Mapping[str, str]) -> Iterator[None]:
    """Around a service call: its field errors at the fields as the client names them."""
    try:
        yield
    except ValidationError as exc:
        raise _api_fields(exc, relations) from exc


# --- the catalogue: products and price lists ---------------------------------------------------


class ProductOut(RecordOut):
    """A product as the offer form shows it; the cost price stays with product management."""

    id: int
    sku: str = Field(description="Article number")
    name: str
    group_id: int
    unit: str
    currency: str
    list_price: Decimal = Field(description="The catalogue's price, in ``currency``")
    lead_time_days: int
    stock: int
    is_active: bool


PRODUCT_SORTS = {"sku": ("sku", "id"), "name": ("name", "sku", "id")}


class ProductFilterSet(ListFilterSet):
    q = search_filter(help_text=_("Article number (beginning) or name"))
    group_id = django_filters.NumberFilter(
        method="in_group", min_value=1, label=_("Product group, with the groups below it")
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))
    sort = sort_filter(PRODUCT_SORTS)

    sorts = PRODUCT_SORTS
    default_sort = "sku"

    class Meta(ListFilterSet.Meta):
        model = Product
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(sku__istartswith=value) | Q(name__icontains=value))

    def in_group(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # Product groups are a short tree: its levels are read one query each.
        groups = {int(value)}
        level = groups
        while level:
            level = set(
                ProductGroup.objects.filter(parent_id__in=level)
                .exclude(pk__in=groups)
                .values_list("pk", flat=True)
            )
            groups |= level
        return queryset.filter(group_id__in=groups)


ProductQuery = query_schema(ProductFilterSet, "ProductQuery")


@router.get(
    "/products",
    response={200: list[ProductOut], **ERROR_RESPONSES},
    summary="List and search products",
    tags=CATALOG,
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_products(request: HttpRequest, filters: Query[ProductQuery]):  # type: ignore[valid-type]
    params = filters.model_dump(exclude_none=True)
    return ProductFilterSet(
        params, queryset=Product.objects.all(), user=request.user
    ).results_or_raise()


@router.get(
    "/products/{product_id}",
    response={200: ProductOut, **ERROR_RESPONSES},
    summary="Get a product",
    tags=CATALOG,
)
def get_product(request: HttpRequest, product_id: int):
    return Product.objects.get(pk=product_id)


class PriceListOut(RecordOut):
    id: int
    name: str
    customer_group_id: int | None = Field(
        description="null: the standard list, for customers without a list of their group"
    )
    currency: str
    valid_from: datetime.date
    valid_until: datetime.date | None


class PriceOut(Schema):
    product_id: int
    sku: str
    name: str
    unit: str
    unit_price: Decimal = Field(description="In the price list's currency")


PRICE_LIST_SORTS = {
    "currency": ("currency", "name", "-valid_from", "id"),
    "-valid_from": ("-valid_from", "currency", "name", "id"),
}


class PriceListFilterSet(ListFilterSet):
    currency = django_filters.ChoiceFilter(choices=Currency.choices, label=_("Currency"))
    customer_group_id = django_filters.NumberFilter(
        field_name="customer_group_id", min_value=1, label=_("Customer group")
    )
    valid_on = django_filters.DateFilter(method="valid_on_day", label=_("Valid on"))
    sort = sort_filter(PRICE_LIST_SORTS)

    sorts = PRICE_LIST_SORTS
    default_sort = "currency"

    class Meta(ListFilterSet.Meta):
        model = PriceList
        fields: list[str] = []

    def valid_on_day(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(valid_from__lte=value).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=value)
        )


PriceListQuery = query_schema(PriceListFilterSet, "PriceListQuery")


class PriceQuery(Schema):
    q: str | None = Field(
        None, max_length=200, description="Article number (beginning) or name of the product"
    )


@router.get(
    "/price-lists",
    response={200: list[PriceListOut], **ERROR_RESPONSES},
    summary="List price lists",
    tags=CATALOG,
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_price_lists(request: HttpRequest, filters: Query[PriceListQuery]):  # type: ignore[valid-type]
    params = filters.model_dump(exclude_none=True)
    return PriceListFilterSet(
        params, queryset=selectors.price_lists_for_offer(), user=request.user
    ).results_or_raise()


@router.get(
    "/price-lists/{price_list_id}",
    response={200: PriceListOut, **ERROR_RESPONSES},
    summary="Get a price list (its prices: GET /price-lists/{price_list_id}/prices)",
    tags=CATALOG,
)
def get_price_list(request: HttpRequest, price_list_id: int):
    return selectors.price_lists_for_offer().get(pk=price_list_id)


@router.get(
    "/price-lists/{price_list_id}/prices",
    response={200: list[PriceOut], **ERROR_RESPONSES},
    summary="The prices of a price list, by article number",
    tags=CATALOG,
)
@paginate(Pagination, page_size=100, max_page_size=500)
def list_prices(request: HttpRequest, price_list_id: int, filters: Query[PriceQuery]):
    price_list = selectors.price_lists_for_offer().get(pk=price_list_id)
    prices = PriceListItem.objects.filter(price_list=price_list)
    if filters.q and filters.q.strip():
        query = filters.q.strip()
        prices = prices.filter(
            Q(product__sku__istartswith=query) | Q(product__name__icontains=query)
        )
    return prices.annotate(
        sku=F("product__sku"), name=F("product__name"), unit=F("product__unit")
    ).order_by("product__sku", "id")


# --- offers ----------------------------------------------------------------------------------


class OfferOut(RecordOut):
    id: int
    version: int = Field(description=VERSION_DESCRIPTION)
    number: str
    company_id: int
    company_name: str
    contact_id: int | None
    subject: str
    owner_id: int = Field(description="The responsible rep")
    status: str
    revision: int = Field(description="The offer's version as the customer counts them")
    currency: str
    price_list_id: int | None
    language: str = Field(description="Of the document: de or en")
    discount_percent: Decimal = Field(description="Total discount on the lines, %")
    freight: Decimal
    extra_costs: Decimal
    extra_costs_label: str
    net_total: Decimal = Field(description="The lines' value after the total discount")
    highest_discount_percent: Decimal = Field(
        description="The discount an approval must cover: of the deepest line, or of the whole"
    )
    win_probability: float | None = Field(description="0–1, with the forecast's model")
    terms: str
    deviations: str
    requested_on: datetime.date
    valid_until: datetime.date
    sent_on: datetime.date | None
    follow_up_on: datetime.date | None
    expected_close_on: datetime.date | None
    closed_on: datetime.date | None
    loss_reason: str
    competitor: str
    loss_note: str
    order_id: int | None = Field(description="The order a won offer became")
    order_number: str | None
    created_by_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_company_name(offer: Offer) -> str:
        return offer.company.name

    @staticmethod
    def resolve_order_number(offer: Offer) -> str | None:
        return offer.order.number if offer.order_id else None


class AvailabilityOut(Schema):
    from_stock: Decimal
    later: Decimal
    weeks: int = Field(description="Until the rest can be delivered")


class LineOut(Schema):
    id: int
    offer_id: int
    position: int
    product_id: int | None
    sku: str = Field(description="The product's article number; empty for free text")
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    list_price: Decimal | None = Field(description="The price list's price when it was priced")
    discount_percent: Decimal
    note: str
    gross: Decimal = Field(description="quantity × unit price")
    discount: Decimal
    net: Decimal
    effective_discount_percent: Decimal = Field(
        description="Against the price list's price, whether as a percentage or a lower price"
    )
    availability: AvailabilityOut | None = Field(description="null for free text")


class LineChangedOut(LineOut):
    offer_version: int = Field(description=OFFER_VERSION_DESCRIPTION)


class TotalsOut(Schema):
    lines_net: Decimal
    discount_percent: Decimal
    discount: Decimal
    freight: Decimal
    extra_costs: Decimal
    net: Decimal = Field(description="What VAT is charged on")
    vat_rate: Decimal
    vat: Decimal
    rounding: Decimal = Field(description="To 5 Rappen for Swiss francs, else 0")
    total: Decimal
    highest_discount_percent: Decimal
    reverse_charge: bool = Field(description="No VAT: a business customer abroad")


class ApprovalOut(RecordOut):
    id: int
    offer_id: int
    revision: int = Field(description="The offer's version it was asked for")
    discount_percent: Decimal
    status: str = Field(description="pending, approved or rejected")
    requested_by_id: int
    requested_at: datetime.datetime
    reason: str
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    decision_note: str


class OfferDetailOut(OfferOut):
    lines: list[LineOut]
    totals: TotalsOut
    approvals: list[ApprovalOut]
    approval_required: bool = Field(
        description="Sending needs an approval first: the discount is above your limit"
    )
    discount_limit: Decimal = Field(description="The highest discount you may give, %")

    # ``_offer_detail`` puts the priced lines and the approvals on the offer.
    @staticmethod
    def resolve_lines(offer: Offer) -> list[dict[str, Any]]:
        return offer.lines_out

    @staticmethod
    def resolve_approvals(offer: Offer) -> list[DiscountApproval]:
        return offer.approvals_out


def _line_out(line: OfferLine, amounts: pricing.LineAmounts) -> dict[str, Any]:
    availability = line.availability
    return {
        "id": line.pk,
        "offer_id": line.offer_id,
        "position": line.position,
        "product_id": line.product_id,
        "sku": line.product.sku if line.product else "",
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit,
        "unit_price": line.unit_price,
        "list_price": line.list_price,
        "discount_percent": line.discount_percent,
        "note": line.note,
        "gross": amounts.gross,
        "discount": amounts.discount,
        "net": amounts.net,
        "effective_discount_percent": amounts.effective_discount_percent,
        "availability": None
        if availability is None
        else {
            "from_stock": availability.from_stock,
            "later": availability.later,
            "weeks": availability.weeks,
        },
    }


def _offer_detail(user: User, offer_id: int, response: HttpResponse) -> Offer:
    """The offer as its page shows it: its lines priced, its totals, its approvals."""
    offer = selectors.offer_get(user, offer_id)
    priced = selectors.priced(offer)
    totals = priced.totals
    offer.lines_out = [_line_out(row.line, row.amounts) for row in priced.lines]
    offer.totals = totals
    offer.approvals_out = list(offer.approvals.all())
    offer.approval_required = (
        offer.is_editable
        and can_write_offers(user)
        and services.approval_required(user, offer, totals.highest_discount_percent)
    )
    offer.discount_limit = discount_limit_of(user)
    versioned(response, offer)
    return offer


OFFER_SORTS = {
    # The tracking list's order: the overdue follow-ups first, drafts (no follow-up) last.
    "follow_up": (F("follow_up_on").asc(nulls_last=True), "valid_until", "id"),
    "-requested": ("-requested_on", "-id"),
    "requested": ("requested_on", "id"),
    "-value": ("-net_total", "-id"),
}
OPEN_STATUSES = (OfferStatus.DRAFT, OfferStatus.SENT)


class OfferFilterSet(ListFilterSet):
    q = search_filter(help_text=_("Offer number (beginning) or subject"))
    status = django_filters.ChoiceFilter(
        choices=OfferStatus.choices,
        label=_("Status"),
        help_text=_("Without it: the open offers (draft and sent)"),
        method="with_status",
    )
    mine = django_filters.ChoiceFilter(
        choices=[("yes", _("mine"))], method="owned_by_me", label=_("Responsible")
    )
    company_id = django_filters.NumberFilter(field_name="company_id", min_value=1)
    sort = sort_filter(OFFER_SORTS)

    sorts = OFFER_SORTS
    default_sort = "follow_up"

    class Meta(ListFilterSet.Meta):
        model = Offer
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Without a chosen status the list is the tracking list: the offers still to win.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return super().filter_queryset(queryset)

    def with_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status=value)

    def owned_by_me(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(owner=self.user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(number__istartswith=value) | Q(subject__icontains=value))


OfferQuery = query_schema(OfferFilterSet, "OfferQuery")

OfferLanguage = Literal["de", "en"]


class OfferPatch(InputSchema):
    """Only the fields sent are changed. Once sent, only the tracking fields (``follow_up_on``,
    ``expected_close_on``, ``owner_id``) change; the content changes in a new version
    (POST /offers/{offer_id}/revise)."""

    subject: str | None = None
    contact_id: Id | None = Field(None, description="A person of the offer's company")
    owner_id: Id = Field(None, description="The responsible rep")  # type: ignore[assignment]
    currency: Currency | None = None
    price_list_id: Id | None = Field(None, description="In the offer's currency; null: none")
    language: OfferLanguage | None = None
    requested_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    expected_close_on: datetime.date | None = None
    follow_up_on: datetime.date | None = None
    discount_percent: Decimal | None = Field(None, description="Total discount, 0–100 %")
    freight: Decimal | None = None
    extra_costs: Decimal | None = None
    extra_costs_label: str | None = None
    terms: str | None = None
    deviations: str | None = None


class OfferIn(OfferPatch):
    company_id: Id
    subject: str
    owner_id: Id = Field(None, description="Default: you")  # type: ignore[assignment]
    currency: Currency | None = Field(None, description="Default: the company's")
    price_list_id: Id | None = Field(
        None,
        description="Default: the list of the company's customer group in the currency, valid "
        "today, else the standard list; null: none",
    )
    language: OfferLanguage | None = Field(
        None, description="Default: de in Germany, Austria, Switzerland, Liechtenstein, else en"
    )
    requested_on: datetime.date | None = Field(None, description="Default: today")
    valid_until: datetime.date | None = Field(None, description="Default: in 30 days")


def _offer_data(user: User, payload: OfferPatch) -> dict[str, Any]:
    """The sent fields as the service takes them: the related records, not their ids."""
    data = model_input(Offer, payload.model_dump(exclude_unset=True, exclude={"company_id"}))
    choices = {
        "contact_id": people_for(user),
        "owner_id": colleagues_for(user),
        "price_list_id": selectors.price_lists_for_offer(),
    }
    for name, queryset in choices.items():
        if name in data:
            pk = data.pop(name)
            data[name.removesuffix("_id")] = None if pk is None else referenced(queryset, pk, name)
    return data


@router.get(
    "/offers",
    response={200: list[OfferOut], **ERROR_RESPONSES},
    summary="List offers: the open ones by follow-up date (the tracking list) unless filtered",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_offers(request: HttpRequest, filters: Query[OfferQuery]):  # type: ignore[valid-type]
    offers = selectors.offers_for(request.user).select_related("company", "order")
    params = filters.model_dump(exclude_none=True)
    return OfferFilterSet(params, queryset=offers, user=request.user).results_or_raise()


@router.post(
    "/offers",
    response={201: OfferDetailOut, **BODY_RESPONSES},
    summary="Write an offer for a company (then add its lines)",
)
def create_offer(request: HttpRequest, response: HttpResponse, payload: OfferIn):
    company = referenced(companies_for(request.user), payload.company_id, "company_id")
    data = _offer_data(request.user, payload)
    with _named_as_sent(RELATIONS):
        offer = services.offer_create(actor=request.user, company=company, data=data)
    return Status(201, _offer_detail(request.user, offer.pk, response))


@router.get(
    "/offers/{offer_id}",
    response={200: OfferDetailOut, **ERROR_RESPONSES},
    summary="Get an offer with its priced lines, totals and approvals",
)
def get_offer(request: HttpRequest, response: HttpResponse, offer_id: int):
    return _offer_detail(request.user, offer_id, response)


@router.patch(
    "/offers/{offer_id}",
    response={200: OfferDetailOut, **WRITE_RESPONSES},
    summary="Change an offer",
)
def update_offer(request: HttpRequest, response: HttpResponse, offer_id: int, payload: OfferPatch):
    offer = selectors.offer_get(request.user, offer_id)
    data = _offer_data(request.user, payload)
    with _named_as_sent(RELATIONS):
        services.offer_update(
            actor=request.user, offer=offer, data=data, expected_version=if_match(request)
        )
    return _offer_detail(request.user, offer_id, response)


# --- lines -------------------------------------------------------------------------------------


class LinePatch(InputSchema):
    product_id: Id | None = Field(None, description="null: a free-text line")
    description: str | None = Field(None, description="Empty: the product's name")
    quantity: Decimal | None = Field(None, description="More than 0")
    unit: Unit | None = Field(None, description="Default: the product's unit")
    unit_price: Decimal | None = Field(
        None, description="null: the price list's price (sent again, the line is repriced)"
    )
    discount_percent: Decimal | None = Field(None, description="0–100 %")
    note: str | None = Field(None, description="Technical note")


class LineIn(LinePatch):
    quantity: Decimal = Field(description="More than 0")
    discount_percent: Decimal = Field(Decimal(0), description="0–100 %")


def _line_data(payload: LinePatch) -> dict[str, Any]:
    data = model_input(OfferLine, payload.model_dump(exclude_unset=True))
    if "product_id" in data:
        pk = data.pop("product_id")
        # Every product can be named; the service refuses one that is no longer sold.
        data["product"] = (
            None if pk is None else referenced(Product.objects.all(), pk, "product_id")
        )
    return data


def _line_changed(user: User, line_id: int, response: HttpResponse) -> dict[str, Any]:
    line = selectors.line_get(user, line_id)
    answer = _line_out(line, pricing.line_amounts(selectors.line_input(line)))
    answer["offer_version"] = line.offer.version
    response["ETag"] = etag(line.offer.version)
    return answer


@router.post(
    "/offers/{offer_id}/lines",
    response={201: LineChangedOut, **WRITE_RESPONSES},
    summary="Add a line: a product at the price list's price, or free text with a price",
)
def add_line(request: HttpRequest, response: HttpResponse, offer_id: int, payload: LineIn):
    offer = selectors.offer_get(request.user, offer_id)
    with _named_as_sent(LINE_RELATIONS):
        line = services.offer_line_add(
            actor=request.user,
            offer=offer,
            data=_line_data(payload),
            expected_version=if_match(request),
        )
    return Status(201, _line_changed(request.user, line.pk, response))


@router.patch(
    "/offer-lines/{line_id}",
    response={200: LineChangedOut, **WRITE_RESPONSES},
    summary="Change a line (If-Match: the offer's version)",
)
def update_line(request: HttpRequest, response: HttpResponse, line_id: int, payload: LinePatch):
    line = selectors.line_get(request.user, line_id)
    with _named_as_sent(LINE_RELATIONS):
        services.offer_line_update(
            actor=request.user,
            line=line,
            data=_line_data(payload),
            expected_version=if_match(request),
        )
    return _line_changed(request.user, line_id, response)


@router.delete(
    "/offer-lines/{line_id}",
    response={204: None, **ERROR_RESPONSES, 412: Problem},
    summary="Remove a line (If-Match: the offer's version); the later lines move up",
)
def delete_line(request: HttpRequest, response: HttpResponse, line_id: int):
    line = selectors.line_get(request.user, line_id)
    services.offer_line_delete(actor=request.user, line=line, expected_version=if_match(request))
    response["ETag"] = etag(Offer.objects.values_list("version", flat=True).get(pk=line.offer_id))
    return Status(204, None)


# --- discount approvals ------------------------------------------------------------------------


class ApprovalRequestIn(InputSchema):
    reason: str = Field("", description="Why this discount")


class ApprovalDecisionIn(InputSchema):
    note: str = ""


@router.post(
    "/offers/{offer_id}/approval-requests",
    response={201: ApprovalOut, **WRITE_RESPONSES},
    summary="Ask for the approval of a discount above your limit",
)
def request_approval(request: HttpRequest, offer_id: int, payload: ApprovalRequestIn):
    offer = selectors.offer_get(request.user, offer_id)
    approval = services.discount_approval_request(
        actor=request.user,
        offer=offer,
        reason=payload.reason,
        expected_version=if_match(request),
    )
    return Status(201, approval)


def _decide(
    request: HttpRequest, approval_id: int, note: str, *, approve: bool
) -> DiscountApproval:
    # As on the page: who may approve no discount at all is told so before anything is read.
    require_approver(request.user)
    approval = selectors.approval_get(request.user, approval_id)
    return services.discount_approval_decide(
        actor=request.user, approval=approval, approve=approve, note=note
    )


@router.post(
    "/approvals/{approval_id}/approve",
    response={200: ApprovalOut, **BODY_RESPONSES},
    summary="Approve a discount (within your limit; never your own request)",
)
def approve_discount(request: HttpRequest, approval_id: int, payload: ApprovalDecisionIn):
    return _decide(request, approval_id, payload.note, approve=True)


@router.post(
    "/approvals/{approval_id}/reject",
    response={200: ApprovalOut, **BODY_RESPONSES},
    summary="Refuse a discount (within your limit; never your own request)",
)
def reject_discount(request: HttpRequest, approval_id: int, payload: ApprovalDecisionIn):
    return _decide(request, approval_id, payload.note, approve=False)


# --- sending, versions, won and lost -----------------------------------------------------------


class SendIn(InputSchema):
    follow_up_on: datetime.date | None = Field(
        None, description="Default: in a week; the follow-up call is planned for the owner"
    )


class WinIn(InputSchema):
    ordered_on: datetime.date | None = Field(None, description="Default: today")


class LoseIn(InputSchema):
    reason: LossReason
    competitor: str = Field("", description="Required when the reason is competitor")
    note: str = ""


@router.post(
    "/offers/{offer_id}/send",
    response={200: OfferDetailOut, **WRITE_RESPONSES},
    summary="Send the offer: its version is frozen and the follow-up call planned",
)
def send_offer(request: HttpRequest, response: HttpResponse, offer_id: int, payload: SendIn):
    offer = selectors.offer_get(request.user, offer_id)
    services.offer_send(
        actor=request.user,
        offer=offer,
        follow_up_on=payload.follow_up_on,
        expected_version=if_match(request),
    )
    return _offer_detail(request.user, offer_id, response)


@router.post(
    "/offers/{offer_id}/revise",
    response={200: OfferDetailOut, **ERROR_RESPONSES, 412: Problem},
    summary="Start the next version of a sent offer, as a copy of it, to change it",
)
def revise_offer(request: HttpRequest, response: HttpResponse, offer_id: int):
    offer = selectors.offer_get(request.user, offer_id)
    services.offer_revise(actor=request.user, offer=offer, expected_version=if_match(request))
    return _offer_detail(request.user, offer_id, response)


@router.post(
    "/offers/{offer_id}/win",
    response={200: OfferDetailOut, **WRITE_RESPONSES},
    summary="Won: the sent version becomes an order (its number: order_number)",
)
def win_offer(request: HttpRequest, response: HttpResponse, offer_id: int, payload: WinIn):
    offer = selectors.offer_get(request.user, offer_id)
    services.offer_win(
        actor=request.user,
        offer=offer,
        ordered_on=payload.ordered_on,
        expected_version=if_match(request),
    )
    return _offer_detail(request.user, offer_id, response)


@router.post(
    "/offers/{offer_id}/lose",
    response={200: OfferDetailOut, **WRITE_RESPONSES},
    summary="Lost, with the reason; a call to ask why is planned",
)
def lose_offer(request: HttpRequest, response: HttpResponse, offer_id: int, payload: LoseIn):
    offer = selectors.offer_get(request.user, offer_id)
    services.offer_lose(
        actor=request.user,
        offer=offer,
        reason=payload.reason.value,
        competitor=payload.competitor,
        note=payload.note,
        expected_version=if_match(request),
    )
    return _offer_detail(request.user, offer_id, response)


class RevisionOut(RecordOut):
    id: int
    offer_id: int
    number: int = Field(description="The version's number")
    sent_on: datetime.date
    sent_by_id: int | None


class RevisionDetailOut(RevisionOut):
    document: dict[str, Any] = Field(
        description="The version as the customer got it: texts in the offer's language, "
        "amounts as text"
    )


@router.get(
    "/offers/{offer_id}/versions",
    response={200: list[RevisionOut], **ERROR_RESPONSES},
    summary="The sent versions of an offer, the first first",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_versions(request: HttpRequest, offer_id: int):
    offer = selectors.offer_get(request.user, offer_id)
    return OfferRevision.objects.filter(offer=offer).order_by("number", "id")


@router.get(
    "/offer-versions/{revision_id}",
    response={200: RevisionDetailOut, **ERROR_RESPONSES},
    summary="A sent version of an offer, frozen as the customer got it",
)
def get_version(request: HttpRequest, revision_id: int):
    return selectors.revision_get(request.user, revision_id)


# --- forecast ----------------------------------------------------------------------------------


class MonthOut(Schema):
    month: datetime.date = Field(description="Its first day")
    expected: Decimal = Field(description="Expected revenue: value × win probability")
    p10: Decimal
    p50: Decimal
    p90: Decimal


class ProductForecastOut(Schema):
    product_id: int
    sku: str
    name: str
    unit: str
    per_month: list[Decimal] = Field(description="Expected quantity in each month of `months`")
    later: Decimal
    total: Decimal


class ForecastOut(Schema):
    today: datetime.date
    currency: str = Field(description="Amounts in euros, Swiss francs at the house rate")
    months: list[MonthOut]
    later: Decimal = Field(description="Expected after the last month")
    expected_total: Decimal
    offers: int = Field(description="Open offers counted")
    open_value: Decimal = Field(description="The open offers' value, won or not")
    simulations: int = Field(description="Runs behind P10, P50 and P90")
    products: list[ProductForecastOut] = Field(description="The largest expected quantities")
    more_products: bool = Field(description="More products are expected than listed")


@router.get(
    "/forecast",
    response={200: ForecastOut, **ERROR_RESPONSES},
    summary="Revenue expected from your open offers per month, with a band, and quantities",
)
def get_forecast(request: HttpRequest) -> dict[str, Any]:
    result = forecast.forecast(selectors.offers_for(request.user))
    shown = result.quantities[: selectors.FORECAST_PRODUCTS]
    return {
        "today": result.today,
        "currency": Currency.EUR.value,
        "months": [
            {
                "month": band.month,
                "expected": band.expected,
                "p10": band.p10,
                "p50": band.p50,
                "p90": band.p90,
            }
            for band in result.months
        ],
        "later": result.later,
        "expected_total": result.expected_total,
        "offers": result.offers,
        "open_value": result.open_value,
        "simulations": result.simulations,
        "products": [
            {
                "product_id": entry.product.pk,
                "sku": entry.product.sku,
                "name": entry.product.name,
                "unit": entry.product.unit,
                "per_month": entry.per_month,
                "later": entry.later,
                "total": entry.total,
            }
            for entry in shown
        ],
        "more_products": len(result.quantities) > len(shown),
    }
