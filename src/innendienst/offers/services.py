"""Writes of offers: priced in ``Decimal``, validated, audited, with events.

Every change of an offer moves its ``version`` (``core.concurrency``): two people editing one
offer never overwrite each other's lines — the second is told to reload.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from innendienst.accounts.access import is_manager
from innendienst.accounts.models import Role, User
from innendienst.accounts.selectors import colleagues_for
from innendienst.activities.models import ActivityType
from innendienst.activities.services import activity_complete, activity_log, activity_update
from innendienst.catalog.models import DiscountLimit, Product
from innendienst.contacts.models import Company
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import audit, concurrency, events
from innendienst.core.inputs import apply_changes, clean_value
from innendienst.core.models import SiteSetting
from innendienst.offers import documents, pricing, selectors
from innendienst.offers.access import discount_limit_of, require_offer_writer
from innendienst.offers.letterhead import FIELDS as LETTERHEAD_FIELDS
from innendienst.offers.letterhead import LETTERHEAD_KEY, letterhead_values
from innendienst.offers.models import (
    ApprovalStatus,
    DiscountApproval,
    LossReason,
    Offer,
    OfferLine,
    OfferRevision,
    OfferStatus,
)
from innendienst.orders.models import OrderLine
from innendienst.orders.services import order_create

OFFER_FIELDS = (
    "subject",
    "contact",
    "owner",
    "currency",
    "price_list",
    "language",
    "requested_on",
    "valid_until",
    "expected_close_on",
    "follow_up_on",
    "discount_percent",
    "freight",
    "extra_costs",
    "extra_costs_label",
    "terms",
    "deviations",
)
# What may still change once the offer is with the customer: the tracking, not the content.
TRACKING_FIELDS = frozenset({"follow_up_on", "expected_close_on", "owner"})
LINE_FIELDS = (
    "product",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "note",
)
FOLLOW_UP_DAYS = 7
MAX_FOLLOW_UP_DAYS = 365
WHY_LOST_CALL_DAYS = 3
WORKDAY_START = datetime.time(9, 0)


def _text(value: str, field: str) -> str:
    """Free text from a form or the API, checked as every input is (no NUL characters)."""
    try:
        return str(clean_value(value or "")).strip()
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _at_nine(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, WORKDAY_START))


def _validate_follow_up(day: datetime.date | None, today: datetime.date, *, required: bool) -> None:
    if day is None:
        if required:
            raise ValidationError({"follow_up_on": _("Please enter the follow-up date.")})
        return
    if day < today:
        raise ValidationError({"follow_up_on": _("The follow-up date lies in the past.")})
    if day > today + datetime.timedelta(days=MAX_FOLLOW_UP_DAYS):
        raise ValidationError(
            {"follow_up_on": _("Follow up within a year; an offer is not left alone longer.")}
        )


def _require_visible(actor: User, offer: Offer) -> None:
    if not selectors.offers_for(actor).filter(pk=offer.pk).exists():
        raise PermissionDenied(_("You may not see this offer."))


def _locked(actor: User, offer: Offer, expected_version: frozenset[int] | None) -> Offer:
    require_offer_writer(actor)
    _require_visible(actor, offer)
    locked = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("company", "price_list")
        .get(pk=offer.pk)
    )
    concurrency.check_version(locked, expected_version)
    return locked


def _require_draft(offer: Offer) -> None:
    if offer.status == OfferStatus.WON:
        raise ValidationError(_("The offer was won and became an order: it cannot be changed."))
    if offer.status == OfferStatus.LOST:
        raise ValidationError(_("The offer was lost: it cannot be changed."))
    if offer.status == OfferStatus.SENT:
        raise ValidationError(
            _("Version %(revision)s was sent. Start a new version to change it.")
            % {"revision": offer.revision}
        )


def _validate_price_list(offer: Offer, day: datetime.date) -> None:
    price_list = offer.price_list
    if price_list is None:
        return
    if price_list.currency != offer.currency:
        raise ValidationError(
            {
                "price_list": _(
                    "The price list “%(list)s” is in %(list_currency)s, the offer in %(currency)s."
                )
                % {
                    "list": price_list.name,
                    "list_currency": price_list.currency,
                    "currency": offer.currency,
                }
            }
        )
    if not price_list.is_valid_on(day):
        if price_list.valid_until is not None and price_list.valid_until < day:
            message = _("The price list “%(list)s” was valid until %(date)s.") % {
                "list": price_list.name,
                "date": _day(price_list.valid_until),
            }
        else:
            message = _("The price list “%(list)s” is valid from %(date)s.") % {
                "list": price_list.name,
                "date": _day(price_list.valid_from),
            }
        raise ValidationError({"price_list": message})


def _validate_offer(actor: User, offer: Offer) -> None:
    errors: dict[str, list[str]] = {}
    if offer.contact_id is not None and (
        offer.contact.company_id != offer.company_id
        or not people_for(actor).filter(pk=offer.contact_id).exists()
    ):
        errors["contact"] = [_("Choose a contact of this company.")]
    if offer.owner_id is not None and not colleagues_for(actor).filter(pk=offer.owner_id).exists():
        errors["owner"] = [_("Please choose an active colleague.")]
    if offer.requested_on and offer.valid_until and offer.valid_until < offer.requested_on:
        errors["valid_until"] = [_("The offer would expire before it was requested.")]
    if errors:
        raise ValidationError(errors)
    offer.full_clean(exclude=["number", "owner", "created_by"])
    _validate_price_list(offer, offer.requested_on)


def _next_number(today: datetime.date) -> str:
    """The year's next offer number. The counter is a locked row: two offers created at the
    same moment wait for each other instead of taking one number."""
    counter, _created = SiteSetting.objects.select_for_update().get_or_create(
        key=f"offers.numbers.{today:%Y}", defaults={"value": {"last": 0}}
    )
    if _created:
        # The first offer of the year on a database that numbered offers without the counter.
        prefix = f"AN-{today:%Y}-"
        numbers = Offer.objects.filter(number__startswith=prefix).values_list("number", flat=True)
        counter.value["last"] = max(
            (
                int(number.removeprefix(prefix))
                for number in numbers
                if number[len(prefix) :].isdigit()
            ),
            default=0,
        )
    counter.value["last"] += 1
    counter.save(update_fields=["value", "updated_at"])
    return f"AN-{today:%Y}-{counter.value['last']:05d}"


# What an offer's value column holds (14 digits, 2 of them cents).
LARGEST_AMOUNT = Decimal(10) ** 12


def _check_line_size(line: OfferLine) -> None:
    if abs(line.quantity * line.unit_price) >= LARGEST_AMOUNT:
        raise ValidationError(
            {"quantity": _("Quantity × price is more than this system can hold for one line.")}
        )


def _refresh_value(offer: Offer, priced: selectors.PricedOffer | None = None) -> None:
    totals = (priced or selectors.priced(offer)).totals
    if abs(totals.total) >= LARGEST_AMOUNT:
        raise ValidationError(_("The offer's total would be more than this system can hold."))
    offer.net_total = totals.net - offer.freight - offer.extra_costs
    offer.highest_discount_percent = totals.highest_discount_percent


@transaction.atomic
def offer_create(*, actor: User, company: Company, data: Mapping[str, Any]) -> Offer:
    require_offer_writer(actor)
    if not companies_for(actor).filter(pk=company.pk).exists():
        raise PermissionDenied(_("You may not see this company."))
    today = timezone.localdate()
    offer = Offer(
        company=company,
        owner=actor,
        created_by=actor,
        **selectors.offer_defaults(company, today),
    )
    apply_changes(offer, data, OFFER_FIELDS)
    if "price_list" not in data and "price_list_id" not in data:
        # In the offer's currency, valid on its request date, which the data may have set.
        offer.price_list = selectors.default_price_list(company, offer.currency, offer.requested_on)
    _validate_offer(actor, offer)
    offer.number = _next_number(today)
    offer.save()
    audit.record_create(actor=actor, instance=offer)
    events.emit("offer.created", actor=actor, instance=offer)
    return offer


@transaction.atomic
def offer_update(
    *,
    actor: User,
    offer: Offer,
    data: Mapping[str, Any],
    seen: Mapping[str, Any] | None = None,
    expected_version: frozenset[int] | None = None,
) -> Offer:
    offer = _locked(actor, offer, expected_version)
    if not data:
        return offer
    if not set(data) <= TRACKING_FIELDS | {"owner_id"} or not offer.is_open:
        _require_draft(offer)
    before = audit.snapshot(offer)

    def apply() -> None:
        apply_changes(offer, data, OFFER_FIELDS)
        _validate_offer(actor, offer)
        if offer.currency != before["currency"] and offer.lines.exists():
            raise ValidationError(
                {
                    "currency": _("The lines are priced in %(currency)s: write a new offer.")
                    % {"currency": before["currency"]}
                }
            )
        if offer.follow_up_on != before["follow_up_on"]:
            _validate_follow_up(offer.follow_up_on, timezone.localdate(), required=False)

    concurrency.apply_checking_conflicts(offer, before, data, seen, apply)
    if offer.price_list_id != before["price_list"]:
        _reprice(actor, offer)
    if offer.follow_up_on != before["follow_up_on"]:
        _move_follow_up(actor, offer)
    _refresh_value(offer)
    concurrency.bump(offer)
    offer.save()
    audit.record_update(actor=actor, instance=offer, before=before)
    events.emit("offer.changed", actor=actor, instance=offer)
    return offer


def _price_line(offer: Offer, line: OfferLine, data: Mapping[str, Any]) -> None:
    """A product's line takes its text, unit and price from the catalogue and the price list
    unless the user gave them; a product the list has no price for needs one typed in."""
    if line.product_id is None:
        line.list_price = None
        if not line.description:
            raise ValidationError({"description": _("Choose a product or describe the line.")})
        if line.pk is None and data.get("unit_price") in (None, ""):
            raise ValidationError({"unit_price": _("A line of free text needs its price.")})
        return
    product: Product = line.product
    if not product.is_active:
        raise ValidationError({"product": _("This product is no longer sold.")})
    line.description = line.description or product.name[:200]
    if "note" not in data:
        line.note = product.technical_notes
    if "unit" not in data:
        line.unit = product.unit
    line.list_price = selectors.list_price_of(offer.price_list, product.pk)
    # Without a price list the catalogue's list price holds, in its own currency only.
    if offer.price_list is None and product.currency == offer.currency:
        line.list_price = product.list_price
    if data.get("unit_price") in (None, ""):
        if line.list_price is None:
            where = offer.price_list.name if offer.price_list else offer.currency
            raise ValidationError(
                {
                    "unit_price": _(
                        "“%(product)s” has no price in “%(list)s”: enter a price or choose "
                        "another price list."
                    )
                    % {"product": product.sku, "list": where}
                }
            )
        line.unit_price = line.list_price


def _reprice(actor: User, offer: Offer) -> None:
    """Another price list: each article line takes its price, unless the price was typed in
    by hand (it differed from the old list's); an article the new list has no price for is
    named at the price list."""
    missing = []
    for line in offer.lines.select_related("product").filter(product__isnull=False):
        new_price = selectors.list_price_of(offer.price_list, line.product_id)
        if (
            new_price is None
            and offer.price_list is None
            and line.product.currency == offer.currency
        ):
            new_price = line.product.list_price
        typed = line.list_price is not None and line.unit_price != line.list_price
        if new_price is None:
            if not typed:
                missing.append(line.product.sku)
            continue
        before = audit.snapshot(line)
        line.list_price = new_price
        if not typed:
            line.unit_price = new_price
        if line.list_price != before["list_price"] or line.unit_price != before["unit_price"]:
            line.save(update_fields=["list_price", "unit_price"])
            audit.record_update(actor=actor, instance=line, before=before)
    if missing:
        raise ValidationError(
            {
                "price_list": _("The new price list has no price for %(skus)s.")
                % {"skus": ", ".join(missing[:5])}
            }
        )


def _after_line_change(actor: User, offer: Offer, before: dict[str, Any]) -> None:
    _refresh_value(offer)
    concurrency.bump(offer)
    offer.save(update_fields=["net_total", "highest_discount_percent", "version", "updated_at"])
    audit.record_update(actor=actor, instance=offer, before=before)
    events.emit("offer.changed", actor=actor, instance=offer)


@transaction.atomic
def offer_line_add(
    *,
    actor: User,
    offer: Offer,
    data: Mapping[str, Any],
    expected_version: frozenset[int] | None = None,
) -> OfferLine:
    offer = _locked(actor, offer, expected_version)
    _require_draft(offer)
    before = audit.snapshot(offer)
    last = offer.lines.aggregate(last=Max("position"))["last"] or 0
    line = OfferLine(offer=offer, position=last + 1, unit_price=Decimal(0))
    apply_changes(line, data, LINE_FIELDS)
    _price_line(offer, line, data)
    line.full_clean(exclude=["offer"])
    _check_line_size(line)
    line.save()
    audit.record_note(
        actor=actor, instance=offer, field="line", new_value=f"{line.position}: {line.description}"
    )
    _after_line_change(actor, offer, before)
    return line


@transaction.atomic
def offer_line_update(
    *,
    actor: User,
    line: OfferLine,
    data: Mapping[str, Any],
    expected_version: frozenset[int] | None = None,
) -> OfferLine:
    offer = _locked(actor, line.offer, expected_version)
    _require_draft(offer)
    before = audit.snapshot(offer)
    line = OfferLine.objects.select_related("product").get(pk=line.pk, offer=offer)
    line_before = audit.snapshot(line)
    product_before = line.product_id
    apply_changes(line, data, LINE_FIELDS)
    if line.product_id != product_before and "description" not in data:
        line.description = ""
    if line.product_id != product_before or "unit_price" in data:
        _price_line(offer, line, data)
    line.full_clean(exclude=["offer"])
    _check_line_size(line)
    line.save()
    audit.record_update(actor=actor, instance=line, before=line_before)
    _after_line_change(actor, offer, before)
    return line


@transaction.atomic
def offer_line_delete(
    *, actor: User, line: OfferLine, expected_version: frozenset[int] | None = None
) -> None:
    offer = _locked(actor, line.offer, expected_version)
    _require_draft(offer)
    before = audit.snapshot(offer)
    line = OfferLine.objects.get(pk=line.pk, offer=offer)
    audit.record_note(
        actor=actor, instance=offer, field="line", old_value=f"{line.position}: {line.description}"
    )
    line.delete()
    for position, later in enumerate(offer.lines.order_by("position", "id"), start=1):
        if later.position != position:
            later.position = position
            later.save(update_fields=["position"])
    _after_line_change(actor, offer, before)


def approval_required(actor: User, offer: Offer, discount: Decimal) -> bool:
    """Whether sending needs an approval: the discount is above the actor's limit and no
    approval of this version covers it at the offer's value."""
    return (
        discount > discount_limit_of(actor)
        and selectors.approval_covering(offer, discount, offer.net_total) is None
    )


def _overtake_approvals(actor: User, offer: Offer) -> None:
    """Requests still waiting when the offer moves on (sent, decided) are overtaken: nobody
    is asked to approve what is gone."""
    for approval in offer.approvals.select_for_update().filter(status=ApprovalStatus.PENDING):
        before = audit.snapshot(approval)
        approval.status = ApprovalStatus.OVERTAKEN
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_at"])
        audit.record_update(actor=actor, instance=approval, before=before)


def _move_follow_up(actor: User, offer: Offer) -> None:
    """A new follow-up date moves the planned call with it."""
    task = offer.follow_up_task
    if task is None or task.done or offer.follow_up_on is None:
        return
    try:
        activity_update(actor=actor, activity=task, data={"due_at": _at_nine(offer.follow_up_on)})
    except PermissionDenied:
        # Another rep's task that the actor may not change: the offer's date still moves.
        return


def _close_follow_up(actor: User, offer: Offer) -> None:
    """The follow-up call of the version sent before is done once the offer moves on."""
    task = offer.follow_up_task
    if task is None or task.done:
        return
    try:
        activity_complete(actor=actor, activity=task)
    except PermissionDenied:
        # Another rep's task that the actor may not change: it stays on his list.
        return


@transaction.atomic
def discount_approval_request(
    *, actor: User, offer: Offer, reason: str = "", expected_version: frozenset[int] | None = None
) -> DiscountApproval:
    offer = _locked(actor, offer, expected_version)
    _require_draft(offer)
    discount = selectors.priced(offer).totals.highest_discount_percent
    if not approval_required(actor, offer, discount):
        raise ValidationError(_("This discount needs no approval."))
    if not selectors.approvers_exist(discount):
        raise ValidationError(
            _("Nobody may approve %(discount)s %% discount: lower it.")
            % {"discount": formats.number_format(discount, 2)}
        )
    waiting = selectors.pending_approval(offer)
    if waiting is not None:
        raise ValidationError(
            _("An approval was asked for on %(date)s and is still waiting.")
            % {"date": _day(timezone.localdate(waiting.requested_at))}
        )
    approval = DiscountApproval(
        offer=offer,
        revision=offer.revision,
        discount_percent=discount,
        net_total=offer.net_total,
        requested_by=actor,
        reason=_text(reason, "reason"),
    )
    approval.full_clean(exclude=["offer", "requested_by"])
    approval.save()
    audit.record_create(actor=actor, instance=approval)
    events.emit("offer.approval_requested", actor=actor, instance=offer, approval_id=approval.pk)
    return approval


@transaction.atomic
def discount_approval_decide(
    *, actor: User, approval: DiscountApproval, approve: bool, note: str = ""
) -> DiscountApproval:
    approval = (
        DiscountApproval.objects.select_for_update(of=("self",))
        .select_related("offer", "offer__company")
        .get(pk=approval.pk)
    )
    _require_visible(actor, approval.offer)
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    if approval.requested_by_id == actor.pk:
        raise PermissionDenied(_("You cannot approve your own request."))
    if discount_limit_of(actor) < approval.discount_percent:
        raise PermissionDenied(
            _("Your limit does not cover %(discount)s %% discount.")
            % {"discount": formats.number_format(approval.discount_percent, 2)}
        )
    offer = approval.offer
    if offer.status != OfferStatus.DRAFT or offer.revision != approval.revision:
        raise ValidationError(_("The offer has moved on since the request: it needs none now."))
    totals = selectors.priced(offer).totals
    if approve and (
        totals.highest_discount_percent > approval.discount_percent
        or totals.net - offer.freight - offer.extra_costs > approval.net_total
    ):
        raise ValidationError(
            _("The offer has changed since the request: its discount is now higher. Reject it.")
        )
    before = audit.snapshot(approval)
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.decision_note = _text(note, "note")
    approval.full_clean()
    approval.save()
    audit.record_update(actor=actor, instance=approval, before=before)
    events.emit("offer.approval_decided", actor=actor, instance=offer, approved=approve, note=note)
    return approval


@transaction.atomic
def offer_send(
    *,
    actor: User,
    offer: Offer,
    follow_up_on: datetime.date | None = None,
    expected_version: frozenset[int] | None = None,
) -> OfferRevision:
    """Sent to the customer: the version is frozen, the timeline says so, and the follow-up
    call is planned for the responsible rep."""
    offer = _locked(actor, offer, expected_version)
    _require_draft(offer)
    today = timezone.localdate()
    lines = selectors.lines_of(offer)
    if not lines:
        raise ValidationError(_("Add at least one line before sending the offer."))
    if offer.valid_until < today:
        raise ValidationError({"valid_until": _("The validity date has passed.")})
    _validate_price_list(offer, today)
    follow_up_on = follow_up_on or today + datetime.timedelta(days=FOLLOW_UP_DAYS)
    _validate_follow_up(follow_up_on, today, required=True)
    priced = selectors.priced(offer, lines)
    discount = priced.totals.highest_discount_percent
    if approval_required(actor, offer, discount):
        raise ValidationError(
            _(
                "%(discount)s %% discount is above your limit of %(limit)s %%: ask for an "
                "approval first."
            )
            % {
                "discount": formats.number_format(discount, 2),
                "limit": formats.number_format(discount_limit_of(actor), 2),
            },
            code="approval_required",
        )
    before = audit.snapshot(offer)
    revision = OfferRevision.objects.create(
        offer=offer,
        number=offer.revision,
        sent_on=today,
        sent_by=actor,
        document=documents.document_of(offer, priced, today),
    )
    offer.status = OfferStatus.SENT
    # The first version's day: processing time and the offer's age count from it.
    offer.sent_on = offer.sent_on or today
    offer.follow_up_on = follow_up_on
    _refresh_value(offer, priced)
    _overtake_approvals(actor, offer)
    _close_follow_up(actor, offer)
    version = _("version %(revision)s") % {"revision": offer.revision}
    activity_log(
        actor=actor,
        company=offer.company,
        data={
            "kind": ActivityType.EMAIL,
            "person": offer.contact,
            "subject": _("Offer %(number)s sent (%(version)s)")
            % {"number": offer.number, "version": version},
        },
    )
    offer.follow_up_task, _none = activity_log(
        actor=actor,
        company=offer.company,
        data={
            "kind": ActivityType.TASK,
            "person": offer.contact,
            "subject": _("Follow up offer %(number)s") % {"number": offer.number},
            "due_at": _at_nine(follow_up_on),
            "assigned_to": offer.owner,
        },
    )
    concurrency.bump(offer)
    offer.save()
    audit.record_update(actor=actor, instance=offer, before=before)
    events.emit("offer.sent", actor=actor, instance=offer, revision=offer.revision)
    return revision


@transaction.atomic
def offer_revise(
    *, actor: User, offer: Offer, expected_version: frozenset[int] | None = None
) -> Offer:
    """The customer asks for a change: the next version starts as a copy of the sent one."""
    offer = _locked(actor, offer, expected_version)
    if offer.status != OfferStatus.SENT:
        if offer.status == OfferStatus.DRAFT:
            raise ValidationError(_("This version has not been sent yet: change it directly."))
        _require_draft(offer)
    before = audit.snapshot(offer)
    offer.status = OfferStatus.DRAFT
    offer.revision += 1
    concurrency.bump(offer)
    offer.save()
    audit.record_update(actor=actor, instance=offer, before=before)
    return offer


def _line_cost(line: OfferLine, currency: str) -> Decimal:
    product = line.product
    if product is None:
        return Decimal(0)
    if product.currency == currency:
        return product.cost_price
    # Another currency: the product's cost share of its list price, applied to this line's
    # list price — no exchange rate is kept.
    if not product.list_price:
        return Decimal(0)
    base = line.list_price if line.list_price is not None else line.unit_price
    return pricing.to_cents(base * product.cost_price / product.list_price)


def _order_lines(offer: Offer, priced: selectors.PricedOffer) -> list[OrderLine]:
    """The offer's lines as order lines with their own discounts; the total discount, freight
    and extra costs as lines of text — the total discount as a negative amount, as an ERP
    books it, so the order's net is the offer's to the cent."""
    lines = [
        OrderLine(
            product=row.line.product,
            description=row.line.description if row.line.product is None else "",
            quantity=row.line.quantity,
            unit_price=row.line.unit_price,
            discount_percent=row.line.discount_percent,
            unit_cost=_line_cost(row.line, offer.currency),
        )
        for row in priced.lines
    ]
    totals = priced.totals
    discount_text = _("Total discount %(percent)s %%") % {
        "percent": formats.number_format(totals.discount_percent, 2)
    }
    for amount, text in (
        (-totals.discount, discount_text),
        (totals.freight, _("Freight")),
        (totals.extra_costs, offer.extra_costs_label or _("Extra costs")),
    ):
        if amount:
            lines.append(
                OrderLine(
                    description=text[:200], quantity=1, unit_price=amount, unit_cost=Decimal(0)
                )
            )
    return lines


@transaction.atomic
def offer_win(
    *,
    actor: User,
    offer: Offer,
    ordered_on: datetime.date | None = None,
    expected_version: frozenset[int] | None = None,
) -> Offer:
    """Won: the sent version becomes an order."""
    offer = _locked(actor, offer, expected_version)
    if offer.status != OfferStatus.SENT:
        if offer.status == OfferStatus.DRAFT:
            raise ValidationError(_("Send the offer before marking it as won."))
        _require_draft(offer)
    today = timezone.localdate()
    ordered_on = ordered_on or today
    if ordered_on > today:
        raise ValidationError({"ordered_on": _("The order date lies in the future.")})
    if offer.sent_on and ordered_on < offer.sent_on:
        raise ValidationError(
            {
                "ordered_on": _("The order date lies before the offer was sent (%(date)s).")
                % {"date": _day(offer.sent_on)}
            }
        )
    priced = selectors.priced(offer)
    order = order_create(
        actor=actor,
        company=offer.company,
        number=offer.number.replace("AN-", "AU-", 1),
        currency=offer.currency,
        ordered_on=ordered_on,
        lines=_order_lines(offer, priced),
    )
    before = audit.snapshot(offer)
    _overtake_approvals(actor, offer)
    _close_follow_up(actor, offer)
    offer.status = OfferStatus.WON
    offer.closed_on = ordered_on
    offer.order = order
    offer.follow_up_on = None
    concurrency.bump(offer)
    offer.save()
    audit.record_update(actor=actor, instance=offer, before=before)
    events.emit("offer.won", actor=actor, instance=offer, order_id=order.pk)
    return offer


@transaction.atomic
def offer_lose(
    *,
    actor: User,
    offer: Offer,
    reason: str,
    competitor: str = "",
    note: str = "",
    expected_version: frozenset[int] | None = None,
) -> Offer:
    """Lost: the reason is required (and the competitor, when one got the order); a call asks
    the customer why, so the reason is known and not guessed."""
    offer = _locked(actor, offer, expected_version)
    if not offer.is_open:
        _require_draft(offer)
    errors: dict[str, str] = {}
    if reason not in LossReason.values:
        errors["reason"] = _("Please choose why the offer was lost.")
    if reason == LossReason.COMPETITOR and not _text(competitor, "competitor"):
        errors["competitor"] = _("Which competitor got the order?")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(offer)
    today = timezone.localdate()
    _overtake_approvals(actor, offer)
    _close_follow_up(actor, offer)
    offer.status = OfferStatus.LOST
    offer.loss_reason = reason
    offer.competitor = _text(competitor, "competitor")
    offer.loss_note = _text(note, "note")
    offer.closed_on = today
    offer.follow_up_on = None
    offer.full_clean(exclude=["number", "owner", "created_by"])
    concurrency.bump(offer)
    offer.save()
    audit.record_update(actor=actor, instance=offer, before=before)
    activity_log(
        actor=actor,
        company=offer.company,
        data={
            "kind": ActivityType.TASK,
            "person": offer.contact,
            "subject": _("Why lost? Call about offer %(number)s") % {"number": offer.number},
            "notes": _("Reason given: %(reason)s") % {"reason": LossReason(reason).label}
            + (f" ({offer.competitor})" if offer.competitor else ""),
            "due_at": _at_nine(today + datetime.timedelta(days=WHY_LOST_CALL_DAYS)),
            "assigned_to": offer.owner,
        },
    )
    events.emit("offer.lost", actor=actor, instance=offer, reason=reason)
    return offer


@transaction.atomic
def letterhead_save(*, actor: User, data: Mapping[str, Any]) -> SiteSetting:
    """Management sets the letterhead of every offer document; the change is audited."""
    if not is_manager(actor):
        raise PermissionDenied(_("Only management sets the letterhead."))
    unknown = set(data) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    if not str(data.get("company_name", "")).strip():
        raise ValidationError({"company_name": _("The letterhead needs the company's name.")})
    setting, _created = SiteSetting.objects.select_for_update().get_or_create(
        key=LETTERHEAD_KEY, defaults={"value": {}}
    )
    before = audit.snapshot(setting)
    setting.value = {
        **letterhead_values(),
        **{name: str(value).strip() for name, value in data.items()},
    }
    setting.save()
    audit.record_update(actor=actor, instance=setting, before=before)
    return setting


@transaction.atomic
def discount_limits_save(*, actor: User, limits: Mapping[str, Decimal | None]) -> None:
    """Management sets the highest discount each role gives without approval; an empty
    limit removes it (the role then asks for every discount)."""
    if not is_manager(actor):
        raise PermissionDenied(_("Only management sets the discount limits."))
    errors = {
        role: _("Enter a percentage between 0 and 100.")
        for role, limit in limits.items()
        if limit is not None and not Decimal(0) <= limit <= Decimal(100)
    }
    unknown = set(limits) - set(Role.values)
    errors.update({role: _("There is no such role.") for role in unknown})
    if errors:
        raise ValidationError(errors)
    current = {limit.role: limit for limit in DiscountLimit.objects.select_for_update()}
    for role, value in limits.items():
        existing = current.get(role)
        if value is None:
            if existing is not None:
                audit.record_deletes(actor=actor, instances=[existing])
                existing.delete()
            continue
        if existing is None:
            audit.record_create(
                actor=actor, instance=DiscountLimit.objects.create(role=role, max_percent=value)
            )
        elif existing.max_percent != value:
            before = audit.snapshot(existing)
            existing.max_percent = value
            existing.save(update_fields=["max_percent"])
            audit.record_update(actor=actor, instance=existing, before=before)
