"""Offers written through their services: prices from the right list, the approval of a
discount above the limit, versions, won and lost — and every bad input refused clearly."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType
from innendienst.catalog.models import DiscountLimit, PriceList
from innendienst.core.concurrency import PreconditionFailed
from innendienst.core.models import AuditEntry
from innendienst.offers import selectors, services
from innendienst.offers.models import ApprovalStatus, LossReason, OfferStatus
from innendienst.orders.models import Order
from tests import factories

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def test_it_numbers_the_offer_and_takes_the_customer_groups_price_list(offer, price_list):
    assert offer.number == f"AN-{timezone.localdate():%Y}-00001"
    assert offer.price_list == price_list
    assert offer.currency == "EUR"
    assert offer.status == OfferStatus.DRAFT
    assert AuditEntry.objects.filter(object_id=offer.pk, action="create").exists()


def test_it_prices_a_line_from_the_price_list_with_its_availability(offer, owner, pump):
    line = services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": D("40")}
    )
    assert (line.unit_price, line.list_price, line.description) == (
        D("1100.00"), D("1100.00"), "Kreiselpumpe KP 40",
    )  # fmt: skip
    availability = line.availability
    assert (availability.from_stock, availability.later, availability.weeks) == (12, 28, 6)
    offer.refresh_from_db()
    assert offer.net_total == D("44000.00")
    assert offer.version == 2


def test_it_refuses_a_product_the_price_list_has_no_price_for(offer, owner):
    stray = factories.ProductFactory(sku="XX-1")
    with pytest.raises(ValidationError) as exc:
        services.offer_line_add(actor=owner, offer=offer, data={"product": stray, "quantity": 1})
    assert "XX-1" in _errors(exc)["unit_price"][0]
    # With a price typed in, the line is fine.
    line = services.offer_line_add(
        actor=owner, offer=offer, data={"product": stray, "quantity": 1, "unit_price": D("5")}
    )
    assert line.list_price is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "Sonderteil", "quantity": D("-1"), "unit_price": D("5")}, "quantity"),
        ({"description": "Sonderteil", "quantity": D("0"), "unit_price": D("5")}, "quantity"),
        (
            {"description": "Sonderteil", "quantity": 1, "unit_price": 5, "discount_percent": 101},
            "discount_percent",
        ),
        ({"description": "Sonderteil", "quantity": 1, "unit_price": D("-5")}, "unit_price"),
        ({"quantity": 1, "unit_price": D("5")}, "description"),
    ],
)
def test_it_refuses_bad_lines_at_their_field(offer, owner, data, field):
    with pytest.raises(ValidationError) as exc:
        services.offer_line_add(actor=owner, offer=offer, data=data)
    assert field in _errors(exc)
    assert not offer.lines.exists()


def test_it_refuses_a_total_discount_over_a_hundred_percent(offer, owner):
    with pytest.raises(ValidationError) as exc:
        services.offer_update(actor=owner, offer=offer, data={"discount_percent": D("100.5")})
    assert "discount_percent" in _errors(exc)


def test_it_refuses_a_price_list_in_another_currency(offer, owner, group_b):
    swiss = PriceList.objects.create(
        name="B-Kunden CH", customer_group=group_b, currency="CHF",
        valid_from=datetime.date(2026, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.offer_update(actor=owner, offer=offer, data={"price_list": swiss})
    assert "CHF" in _errors(exc)["price_list"][0]


def test_it_refuses_an_expired_price_list(offer, owner, group_b):
    old = PriceList.objects.create(
        name="B-Kunden 2024", customer_group=group_b, currency="EUR",
        valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2024, 12, 31),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.offer_update(actor=owner, offer=offer, data={"price_list": old})
    assert "31.12.2024" in _errors(exc)["price_list"][0]


def test_two_people_editing_one_offer_do_not_overwrite_each_other(offer, owner, teammate, pump):
    seen_version = frozenset({offer.version})
    services.offer_line_add(
        actor=teammate, offer=offer, data={"product": pump, "quantity": 2},
        expected_version=seen_version,
    )  # fmt: skip
    with pytest.raises(PreconditionFailed):
        services.offer_line_add(
            actor=owner, offer=offer, data={"product": pump, "quantity": 40},
            expected_version=seen_version,
        )  # fmt: skip
    assert offer.lines.count() == 1


def _discounted(offer, owner, pump, discount="12"):
    return services.offer_line_add(
        actor=owner,
        offer=offer,
        data={"product": pump, "quantity": 40, "discount_percent": D(discount)},
    )


def test_a_discount_above_the_limit_needs_the_managers_approval(offer, owner, manager, pump):
    _discounted(offer, owner, pump)
    with pytest.raises(ValidationError) as exc:
        services.offer_send(actor=owner, offer=offer)
    assert exc.value.code == "approval_required"
    approval = services.discount_approval_request(actor=owner, offer=offer, reason="Rahmenvertrag")
    assert approval.discount_percent == D("12.00")
    assert list(selectors.approvals_waiting_for(manager)) == [approval]
    services.discount_approval_decide(actor=manager, approval=approval, approve=True)
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by) == (ApprovalStatus.APPROVED, manager)
    revision = services.offer_send(actor=owner, offer=offer)
    assert revision.number == 1


def test_a_discount_within_the_limit_needs_no_approval(offer, owner, pump):
    _discounted(offer, owner, pump, "8")
    services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT


def test_nobody_approves_his_own_request(offer, owner, manager, pump):
    DiscountLimit.objects.create(role=Role.ADMIN, max_percent=D("50"))
    services.offer_update(actor=manager, offer=offer, data={"owner": manager})
    _discounted(offer, manager, pump, "30")
    approval = services.discount_approval_request(actor=manager, offer=offer)
    with pytest.raises(PermissionDenied):
        services.discount_approval_decide(actor=manager, approval=approval, approve=True)


def test_a_rep_cannot_approve(offer, owner, teammate, pump):
    _discounted(offer, owner, pump)
    approval = services.discount_approval_request(actor=owner, offer=offer)
    with pytest.raises(PermissionDenied):
        services.discount_approval_decide(actor=teammate, approval=approval, approve=True)
    assert selectors.approvals_waiting_for(teammate).count() == 0


def test_an_approval_does_not_cover_a_deeper_discount_after_it(offer, owner, manager, pump):
    line = _discounted(offer, owner, pump)
    approval = services.discount_approval_request(actor=owner, offer=offer)
    services.discount_approval_decide(actor=manager, approval=approval, approve=True)
    services.offer_line_update(actor=owner, line=line, data={"discount_percent": D("15")})
    with pytest.raises(ValidationError):
        services.offer_send(actor=owner, offer=offer)


def test_sending_freezes_the_version_and_plans_the_follow_up(offer, owner, pump, person):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 3})
    revision = services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    assert revision.document["totals"]["total"] == "3927.00"  # 3 × 1100 + 19 %
    assert offer.sent_on == timezone.localdate()
    assert offer.follow_up_on == timezone.localdate() + datetime.timedelta(days=7)
    task = Activity.objects.get(kind=ActivityType.TASK, company=offer.company)
    assert (task.assigned_to, task.person) == (owner, person)
    assert offer.number in task.subject
    assert Activity.objects.filter(kind=ActivityType.EMAIL, subject__contains=offer.number).exists()
    with pytest.raises(ValidationError):
        services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 1})


def test_a_change_request_starts_version_two_and_keeps_version_one(offer, owner, pump):
    line = services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 3})
    services.offer_send(actor=owner, offer=offer)
    services.offer_revise(actor=owner, offer=offer)
    services.offer_line_update(actor=owner, line=line, data={"quantity": D("5")})
    services.offer_send(actor=owner, offer=offer)
    first, second = selectors.revisions_of(offer)
    assert (first.number, first.document["lines"][0]["quantity"]) == (1, "3.000")
    assert (second.number, second.document["lines"][0]["quantity"]) == (2, "5.000")


def test_sending_an_empty_offer_is_refused(offer, owner):
    with pytest.raises(ValidationError, match="mindestens eine Position"):
        services.offer_send(actor=owner, offer=offer)


def test_a_won_offer_becomes_an_order_and_is_no_longer_changed(offer, owner, pump, installation):
    services.offer_update(
        actor=owner, offer=offer, data={"discount_percent": D("2"), "freight": D("80")}
    )
    services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 4, "discount_percent": D("5")}
    )
    services.offer_line_add(actor=owner, offer=offer, data={"product": installation, "quantity": 6})
    services.offer_send(actor=owner, offer=offer)
    services.offer_win(actor=owner, offer=offer)
    offer.refresh_from_db()
    order = Order.objects.get()
    assert offer.order == order
    assert offer.status == OfferStatus.WON
    assert order.number == offer.number.replace("AN-", "AU-")
    # 4 × 1100 × 0.95 = 4180, 6 × 89 = 534; 2 % off the whole: −94.28; freight 80.
    net = sum(line.net_amount for line in order.lines.all())
    assert net == D("4699.72") == offer.net_total + D("80")
    pump_line = order.lines.get(product=pump)
    assert (pump_line.discount_percent, pump_line.unit_cost) == (D("5.00"), D("700.00"))
    discount_line = order.lines.get(description__startswith="Gesamtrabatt")
    assert discount_line.net_amount == D("-94.28")


def test_the_order_of_a_won_offer_keeps_every_cent_with_awkward_discounts(offer, owner, pump):
    """40 × 1,234.56 at 12.5 % and 3.33 % off the whole: folding the discounts into one per
    line would cost 1.85 €."""
    services.offer_update(actor=owner, offer=offer, data={"discount_percent": D("3.33")})
    services.offer_line_add(
        actor=owner, offer=offer,
        data={"product": pump, "quantity": 40, "unit_price": D("1234.56"),
              "discount_percent": D("12.5")},
    )  # fmt: skip
    DiscountLimit.objects.filter(role=Role.INSIDE_SALES).update(max_percent=D("20"))
    services.offer_send(actor=owner, offer=offer)
    services.offer_win(actor=owner, offer=offer)
    offer.refresh_from_db()
    assert sum(line.net_amount for line in offer.order.lines.all()) == offer.net_total
    with pytest.raises(ValidationError, match="gewonnen"):
        services.offer_update(actor=owner, offer=offer, data={"subject": "Änderung"})
    with pytest.raises(ValidationError):
        services.offer_lose(actor=owner, offer=offer, reason=LossReason.PRICE)


def test_a_lost_offer_needs_a_reason_and_the_competitor(offer, owner, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 3})
    services.offer_send(actor=owner, offer=offer)
    with pytest.raises(ValidationError) as exc:
        services.offer_lose(actor=owner, offer=offer, reason="")
    assert "reason" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.offer_lose(actor=owner, offer=offer, reason=LossReason.COMPETITOR)
    assert "competitor" in _errors(exc)
    services.offer_lose(
        actor=owner, offer=offer, reason=LossReason.COMPETITOR, competitor="Grundfos"
    )
    offer.refresh_from_db()
    assert (offer.status, offer.competitor) == (OfferStatus.LOST, "Grundfos")
    call = Activity.objects.get(kind=ActivityType.TASK, notes__contains="Grundfos")
    assert call.assigned_to == owner
    assert call.due_at.date() == timezone.localdate() + datetime.timedelta(days=3)


def test_an_outsider_neither_sees_nor_writes_the_offer(offer, outsider, pump):
    assert not selectors.offers_for(outsider).exists()
    with pytest.raises(PermissionDenied):
        services.offer_line_add(actor=outsider, offer=offer, data={"product": pump, "quantity": 1})


def test_marketing_reads_but_does_not_write_offers(offer, marketer, pump):
    assert selectors.offers_for(marketer).filter(pk=offer.pk).exists()
    with pytest.raises(PermissionDenied):
        services.offer_line_add(actor=marketer, offer=offer, data={"product": pump, "quantity": 1})


def test_it_refuses_a_line_too_large_to_store(offer, owner):
    with pytest.raises(ValidationError) as exc:
        services.offer_line_add(
            actor=owner,
            offer=offer,
            data={
                "description": "Sonderanlage",
                "quantity": D("999999999.999"),
                "unit_price": D("9999999999.99"),
            },
        )
    assert "quantity" in _errors(exc)
    assert not offer.lines.exists()


def test_it_refuses_an_order_date_before_sending_and_a_follow_up_years_ahead(offer, owner, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 1})
    with pytest.raises(ValidationError) as exc:
        services.offer_send(
            actor=owner,
            offer=offer,
            follow_up_on=timezone.localdate() + datetime.timedelta(days=900),
        )
    assert "follow_up_on" in _errors(exc)
    services.offer_send(actor=owner, offer=offer)
    with pytest.raises(ValidationError) as exc:
        services.offer_win(actor=owner, offer=offer, ordered_on=datetime.date(1, 1, 1))
    assert "ordered_on" in _errors(exc)


def test_a_line_starts_with_the_products_technical_notes(offer, owner, pump):
    pump.technical_notes = "Nur mit Gleitringdichtung SiC/SiC für Medien über 80 °C."
    pump.save()
    line = services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 1})
    assert line.note == pump.technical_notes
    own = services.offer_line_add(
        actor=owner,
        offer=offer,
        data={"product": pump, "quantity": 1, "note": "Sonderlack RAL 5010"},
    )
    assert own.note == "Sonderlack RAL 5010"
