"""The offer pages as the inside rep and the sales manager use them: an offer from the
company's page, lines priced from the customer's price list with their availability, the
discount approval from the manager's "Mein Tag", sending, versions compared line by line, won
and lost — and every bad input answered at its field."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innendienst.offers import services
from innendienst.offers.models import ApprovalStatus, Offer, OfferStatus
from innendienst.orders.models import Order
from tests import factories

pytestmark = pytest.mark.django_db

# Session and user, the offer with company and price list, its lines with their products, the
# sent versions, the approvals, the pending one, the user's discount limit, the buying center
# (the company's people and the memberships), the expert requests' panel.
OFFER_PAGE_QUERIES = 13


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def _page(client: Client, offer: Offer) -> str:
    return client.get(reverse("offer_detail", args=[offer.pk])).content.decode()


def _add_line(client: Client, offer: Offer, **fields: str):
    offer.refresh_from_db()
    data = {"version": offer.version, **{f"line-{name}": value for name, value in fields.items()}}
    return client.post(reverse("offer_line_add", args=[offer.pk]), data)


def test_it_writes_an_offer_from_the_company_page(owner_client, customer, price_list, person):
    page = owner_client.get(reverse("company_detail", args=[customer.pk])).content.decode()
    assert reverse("offer_create", args=[customer.pk]) in page
    form = owner_client.get(reverse("offer_create", args=[customer.pk]))
    assert form.context["form"].initial["price_list"] == price_list.pk
    today = timezone.localdate()
    response = owner_client.post(
        reverse("offer_create", args=[customer.pk]),
        {
            "subject": "40 Pumpen mit Montage",
            "contact": person.pk,
            "owner": form.context["form"].initial["owner"],
            "currency": "EUR",
            "price_list": price_list.pk,
            "language": "de",
            "requested_on": today.strftime("%d.%m.%Y"),
            "valid_until": (today + datetime.timedelta(days=30)).strftime("%d.%m.%Y"),
        },
    )
    offer = Offer.objects.get()
    assert response["Location"] == reverse("offer_detail", args=[offer.pk])
    assert offer.contact == person


def test_it_shows_the_price_and_the_availability_of_a_line(owner_client, offer, pump):
    response = _add_line(owner_client, offer, product=pump.sku, quantity="40")
    assert response.status_code == 302
    page = _page(owner_client, offer)
    assert "12 ab Lager, 28 in 6 Wochen" in page
    assert "1.100,00\xa0€" in page
    assert "44.000,00\xa0€" in page  # net
    assert "52.360,00\xa0€" in page  # with 19 % VAT


def test_it_answers_a_negative_quantity_at_its_field(owner_client, offer, pump):
    response = _add_line(owner_client, offer, product=pump.sku, quantity="-3")
    assert response.status_code == 422
    assert response.context["line_form"].errors["quantity"]
    assert not offer.lines.exists()


def test_it_answers_a_product_without_price_at_the_price(owner_client, offer):
    stray = factories.ProductFactory(sku="XX-9")
    response = _add_line(owner_client, offer, product=stray.sku, quantity="1")
    assert response.status_code == 422
    assert "XX-9" in response.context["line_form"].errors["unit_price"][0]


def test_it_answers_an_unknown_article_number_at_its_field(owner_client, offer):
    response = _add_line(owner_client, offer, product="PU-9999", quantity="1")
    assert response.status_code == 422
    assert response.context["line_form"].errors["product"] == [
        "Es gibt keinen Artikel mit dieser Nummer."
    ]


def test_it_tells_the_second_editor_that_the_offer_changed(owner_client, offer, pump, teammate):
    stale = offer.version
    services.offer_line_add(actor=teammate, offer=offer, data={"product": pump, "quantity": 2})
    response = owner_client.post(
        reverse("offer_line_add", args=[offer.pk]),
        {"version": stale, "line-product": pump.sku, "line-quantity": "40"},
        follow=True,
    )
    assert "Inzwischen hat jemand anderes dieses Angebot geändert" in response.content.decode()
    assert offer.lines.count() == 1


def test_a_discount_above_the_limit_goes_to_the_manager_and_back(
    owner_client, manager_client, offer, pump
):
    _add_line(owner_client, offer, product=pump.sku, quantity="40", discount_percent="12")
    page = _page(owner_client, offer)
    assert "Der Rabatt von 12,00 % liegt über Ihrer Grenze von 8,00 %" in page
    offer.refresh_from_db()
    owner_client.post(
        reverse("offer_approval_request", args=[offer.pk]),
        {"version": offer.version, "approval-reason": "Rahmenvertrag 2027"},
    )
    approval = offer.approvals.get()
    my_day = manager_client.get(reverse("my_day")).content.decode()
    assert "Rabatte, die auf Ihre Freigabe warten" in my_day
    assert reverse("approval_decide", args=[approval.pk]) in my_day
    response = manager_client.post(
        reverse("approval_decide", args=[approval.pk]), {"decision": "approve"}
    )
    assert response["Location"] == reverse("offer_detail", args=[offer.pk])
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    offer.refresh_from_db()
    response = owner_client.post(reverse("offer_send", args=[offer.pk]), {"version": offer.version})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT


def test_the_requester_cannot_approve_his_own_discount(manager_client, manager, offer):
    approval = offer.approvals.create(
        revision=offer.revision, discount_percent=D("20"), requested_by=manager
    )
    response = manager_client.post(
        reverse("approval_decide", args=[approval.pk]), {"decision": "approve"}, follow=True
    )
    assert response.status_code == 403
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING


def test_a_rep_may_not_approve(owner_client, offer, teammate):
    approval = offer.approvals.create(
        revision=offer.revision, discount_percent=D("12"), requested_by=teammate
    )
    response = owner_client.post(
        reverse("approval_decide", args=[approval.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403


def test_it_compares_version_two_with_version_one(owner_client, owner, offer, pump, installation):
    line = services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 40})
    services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    owner_client.post(reverse("offer_revise", args=[offer.pk]), {"version": offer.version})
    services.offer_line_update(actor=owner, line=line, data={"quantity": D("36")})
    services.offer_line_add(
        actor=owner, offer=offer, data={"product": installation, "quantity": 16}
    )
    services.offer_send(actor=owner, offer=offer)
    second = offer.revisions.get(number=2)
    page = owner_client.get(reverse("offer_revision", args=[second.pk])).content.decode()
    assert "Positionen im Vergleich mit Version 1" in page
    assert "<del>40</del> 36" in page
    assert "neu" in page
    assert "Montage vor Ort" in page


def test_it_asks_why_the_offer_was_lost_at_the_field(owner_client, owner, offer, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 4})
    services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    response = owner_client.post(
        reverse("offer_lose", args=[offer.pk]),
        {"version": offer.version, "lose-reason": "competitor"},
    )
    assert response.status_code == 422
    assert response.context["lose_form"].errors["competitor"]
    response = owner_client.post(
        reverse("offer_lose", args=[offer.pk]),
        {"version": offer.version, "lose-reason": "competitor", "lose-competitor": "Grundfos"},
        follow=True,
    )
    page = response.content.decode()
    assert "Verloren am" in page
    assert "Grundfos" in page


def test_a_won_offer_becomes_an_order(owner_client, owner, offer, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 4})
    services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    response = owner_client.post(
        reverse("offer_win", args=[offer.pk]), {"version": offer.version}, follow=True
    )
    order = Order.objects.get()
    assert order.number in response.content.decode()
    assert "Bearbeiten" not in _page(owner_client, offer).split("<h1>")[1].split("</div>")[0]


def test_the_tracking_list_puts_the_overdue_follow_ups_first(owner_client, owner, offer, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 4})
    services.offer_send(actor=owner, offer=offer, follow_up_on=timezone.localdate())
    Offer.objects.filter(pk=offer.pk).update(
        follow_up_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    later = services.offer_create(
        actor=owner, company=offer.company, data={"subject": "Ersatzteile"}
    )
    page = owner_client.get(reverse("offer_tracking")).content.decode()
    assert page.index(offer.number) < page.index(later.number)
    my_day = owner_client.get(reverse("my_day")).content.decode()
    assert "Nachzufassende Angebote" in my_day
    assert offer.number in my_day


def test_it_warns_when_no_decider_or_evaluator_is_known(owner_client, offer):
    page = _page(owner_client, offer)
    assert "als Entscheider oder Gutachter dieses Angebots bekannt" in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_offer_page_reads_the_same_for_any_number_of_lines(
    owner_client, owner, offer, pump, rows, django_assert_num_queries
):
    for _ in range(rows):
        services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 1})
    with django_assert_num_queries(OFFER_PAGE_QUERIES):
        owner_client.get(reverse("offer_detail", args=[offer.pk]))


def test_the_call_screen_shows_the_companys_open_offers(owner_client, owner, offer, person):
    from innendienst.activities import services as call_services
    from innendienst.activities.models import CallList

    person.phone = "+49 89 1234 100"
    person.save()
    call_list = CallList.objects.create(name="Nachfassen", team=owner.team, created_by=owner)
    call_list.entries.create(person=person, company=offer.company, priority=10)
    entry = call_services.call_list_next(actor=owner, call_list=call_list)
    page = owner_client.get(reverse("call_screen", args=[entry.pk])).content.decode()
    assert 'id="call-open-offers"' in page
    assert offer.number in page


def test_a_sent_offer_is_followed_up_again_and_its_call_moves(owner_client, owner, offer, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 4})
    services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    later = timezone.localdate() + datetime.timedelta(days=21)
    response = owner_client.post(
        reverse("offer_track", args=[offer.pk]),
        {
            "version": offer.version,
            "tracking-follow_up_on": later.isoformat(),
            "tracking-owner": owner.pk,
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.follow_up_on == later
    assert timezone.localtime(offer.follow_up_task.due_at).date() == later
    past = owner_client.post(
        reverse("offer_track", args=[offer.pk]),
        {
            "version": offer.version,
            "tracking-follow_up_on": "2020-01-01",
            "tracking-owner": owner.pk,
        },
    )
    assert past.status_code == 422
    assert past.context["tracking_form"].errors["follow_up_on"]


def test_the_pdf_of_an_offer_lost_as_a_draft(owner_client, owner, offer, pump):
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 4})
    services.offer_lose(actor=owner, offer=offer, reason="no_budget")
    response = owner_client.get(reverse("offer_pdf", args=[offer.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_winning_closes_the_follow_up_call_and_overtakes_a_waiting_approval(
    owner, manager, offer, pump
):
    services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 4, "discount_percent": 12}
    )
    approval = services.discount_approval_request(actor=owner, offer=offer)
    services.discount_approval_decide(actor=manager, approval=approval, approve=True)
    services.offer_send(actor=owner, offer=offer)
    offer.refresh_from_db()
    services.offer_win(actor=owner, offer=offer)
    offer.refresh_from_db()
    assert offer.follow_up_task.done
    assert not offer.approvals.filter(status="pending").exists()


def test_an_approval_does_not_cover_a_larger_offer(owner, manager, offer, pump):
    from django.core.exceptions import ValidationError

    line = services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 4, "discount_percent": 12}
    )
    approval = services.discount_approval_request(actor=owner, offer=offer)
    services.discount_approval_decide(actor=manager, approval=approval, approve=True)
    services.offer_line_update(actor=owner, line=line, data={"quantity": D("40")})
    with pytest.raises(ValidationError):
        services.offer_send(actor=owner, offer=offer)


def test_a_request_for_an_offer_that_moved_on_cannot_be_approved(owner, manager, offer, pump):
    from django.core.exceptions import ValidationError

    services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 4, "discount_percent": 12}
    )
    approval = services.discount_approval_request(actor=owner, offer=offer)
    services.offer_lose(actor=owner, offer=offer, reason="price")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.OVERTAKEN
    with pytest.raises(ValidationError):
        services.discount_approval_decide(actor=manager, approval=approval, approve=True)


def test_changing_the_price_list_reprices_the_lines_and_keeps_typed_prices(
    owner, offer, pump, installation, group_b
):
    from innendienst.catalog.models import PriceList

    listed = services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 1}
    )
    typed = services.offer_line_add(
        actor=owner,
        offer=offer,
        data={"product": installation, "quantity": 1, "unit_price": D("80")},
    )
    special = PriceList.objects.create(
        name="Aktion", currency="EUR", valid_from=timezone.localdate() - datetime.timedelta(days=1)
    )
    special.items.create(product=pump, unit_price=D("999.00"))
    special.items.create(product=installation, unit_price=D("85.00"))
    services.offer_update(actor=owner, offer=offer, data={"price_list": special})
    listed.refresh_from_db()
    typed.refresh_from_db()
    assert (listed.unit_price, listed.list_price) == (D("999.00"), D("999.00"))
    assert (typed.unit_price, typed.list_price) == (D("80.00"), D("85.00"))


def test_the_currency_of_an_offer_with_lines_stays(owner, offer, pump):
    from django.core.exceptions import ValidationError

    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": 1})
    with pytest.raises(ValidationError) as exc:
        services.offer_update(
            actor=owner, offer=offer, data={"currency": "CHF", "price_list": None}
        )
    assert "currency" in exc.value.message_dict


@pytest.mark.parametrize("rows", [3, 30])
def test_the_tracking_list_reads_the_same_for_any_number_of_offers(
    owner_client, owner, customer, rows, django_assert_num_queries
):
    for _ in range(rows):
        services.offer_create(actor=owner, company=customer, data={"subject": "Ersatzteile"})
    # Session and user, the page's offers with company, owner and contact, whether there are
    # more than a page.
    with django_assert_num_queries(4):
        owner_client.get(reverse("offer_tracking"))
