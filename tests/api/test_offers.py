"""/api/v1/offers, the catalogue and the forecast: an offer written, priced from the customer's
price list, approved, sent, won or lost through the API, with the same rules as the pages —
every bad input a problem at its field, a stale If-Match a 412, and an offer the caller
cannot see a 404."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.offers import services
from innendienst.offers.models import Offer, OfferStatus
from innendienst.orders.models import Order
from tests import factories
from tests.api.helpers import API, assert_invalid, ids_of, problem_of

pytestmark = pytest.mark.django_db


def _patch(api, path: str, body: dict, version: int):
    """A change based on ``version`` of the offer (If-Match)."""
    return api.client.patch(
        f"{API}{path}",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=f'"{version}"',
        **api.headers,
    )


def _sent(owner, offer: Offer, pump, quantity: int = 40) -> Offer:
    services.offer_line_add(actor=owner, offer=offer, data={"product": pump, "quantity": quantity})
    services.offer_send(actor=owner, offer=offer)
    return Offer.objects.get(pk=offer.pk)


# --- the catalogue -----------------------------------------------------------------------------


def test_it_finds_products_by_article_number_and_group(api_as, outsider, pump, installation):
    api = api_as(outsider)  # the catalogue is everybody's
    assert ids_of(api.get("/products", {"q": "pu-4"})) == [pump.pk]
    assert ids_of(api.get("/products", {"group_id": installation.group_id})) == [installation.pk]
    product = api.get(f"/products/{pump.pk}").json()
    assert product["sku"] == "PU-4000"
    assert product["list_price"] == "1200.00"
    assert "cost_price" not in product


def test_it_lists_a_group_with_the_groups_below_it(api_as, owner, pump):
    sub = factories.ProductGroupFactory(code="PU-KP", parent=pump.group)
    small = factories.ProductFactory(sku="PU-1000", group=sub)
    factories.ProductFactory(sku="ZZ-1")
    assert ids_of(api_as(owner).get("/products", {"group_id": pump.group_id})) == [
        small.pk,
        pump.pk,
    ]


def test_it_filters_inactive_products(api_as, owner, pump, installation):
    installation.is_active = False
    installation.save()
    assert ids_of(api_as(owner).get("/products", {"active": "true"})) == [pump.pk]
    assert ids_of(api_as(owner).get("/products", {"active": "false"})) == [installation.pk]


def test_it_lists_the_price_lists_valid_on_a_day_with_their_prices(api_as, owner, price_list):
    api = api_as(owner)
    today = timezone.localdate()
    assert ids_of(api.get("/price-lists", {"valid_on": today.isoformat()})) == [price_list.pk]
    assert ids_of(api.get("/price-lists", {"valid_on": "2001-01-01"})) == []
    assert ids_of(api.get("/price-lists", {"currency": "CHF"})) == []
    customer_group = {"customer_group_id": price_list.customer_group_id}
    assert ids_of(api.get("/price-lists", customer_group)) == [price_list.pk]
    assert api.get(f"/price-lists/{price_list.pk}").json()["name"] == "B-Kunden 2026"
    prices = api.get(f"/price-lists/{price_list.pk}/prices").json()
    assert [(p["sku"], p["unit_price"]) for p in prices["items"]] == [
        ("PU-4000", "1100.00"),
        ("SRV-MONT", "89.00"),
    ]
    assert prices["count"] == 2
    only_pump = api.get(f"/price-lists/{price_list.pk}/prices", {"q": "kreisel"}).json()
    assert [p["sku"] for p in only_pump["items"]] == ["PU-4000"]


def test_it_answers_an_invalid_day_at_its_parameter(api_as, owner, price_list):
    assert_invalid(api_as(owner).get("/price-lists", {"valid_on": "gestern"}), "valid_on")


# --- writing an offer ----------------------------------------------------------------------------


def test_it_creates_an_offer_with_the_customer_groups_price_list(
    api_as, owner, customer, person, price_list, limits
):
    response = api_as(owner).post(
        "/offers",
        {"company_id": customer.pk, "subject": "40 Pumpen mit Montage", "contact_id": person.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    offer = Offer.objects.get()
    assert body["id"] == offer.pk
    assert body["number"] == offer.number
    assert body["number"].startswith(f"AN-{timezone.localdate():%Y}-")
    assert body["price_list_id"] == price_list.pk
    assert body["owner_id"] == owner.pk
    assert (body["status"], body["currency"], body["language"]) == ("draft", "EUR", "de")
    assert body["lines"] == []
    assert body["totals"]["total"] == "0.00"
    assert response["ETag"] == f'"{offer.version}"'


def test_it_answers_a_contact_of_another_company_at_its_field(api_as, owner, customer, price_list):
    stranger = factories.PersonFactory(
        company=factories.CompanyFactory(territory=customer.territory)
    )
    response = api_as(owner).post(
        "/offers", {"company_id": customer.pk, "subject": "Pumpen", "contact_id": stranger.pk}
    )
    assert_invalid(response, "contact_id")
    assert not Offer.objects.exists()


def test_it_answers_a_price_list_in_another_currency_at_its_field(
    api_as, owner, customer, price_list
):
    response = api_as(owner).post(
        "/offers",
        {
            "company_id": customer.pk,
            "subject": "Pumpen",
            "currency": "CHF",
            "price_list_id": price_list.pk,
        },
    )
    assert_invalid(response, "price_list_id")


def test_it_prices_a_line_from_the_price_list(api_as, owner, offer, pump):
    response = api_as(owner).post(
        f"/offers/{offer.pk}/lines", {"product_id": pump.pk, "quantity": "40"}
    )
    assert response.status_code == 201, response.content
    line = response.json()
    assert (line["sku"], line["description"]) == ("PU-4000", "Kreiselpumpe KP 40")
    assert (line["unit_price"], line["list_price"], line["net"]) == (
        "1100.00",
        "1100.00",
        "44000.00",
    )
    assert D(line["availability"]["from_stock"]) == 12
    assert D(line["availability"]["later"]) == 28
    assert line["availability"]["weeks"] == 6
    offer.refresh_from_db()
    assert line["offer_version"] == offer.version
    assert response["ETag"] == f'"{offer.version}"'

    detail = api_as(owner).get(f"/offers/{offer.pk}").json()
    assert [row["id"] for row in detail["lines"]] == [line["id"]]
    assert detail["totals"]["net"] == "44000.00"
    assert detail["totals"]["vat"] == "8360.00"
    assert detail["totals"]["total"] == "52360.00"
    assert (detail["totals"]["vat_rate"], detail["totals"]["reverse_charge"]) == ("19", False)
    assert detail["net_total"] == "44000.00"


def test_it_answers_a_negative_quantity_at_its_field(api_as, owner, offer, pump):
    response = api_as(owner).post(
        f"/offers/{offer.pk}/lines", {"product_id": pump.pk, "quantity": "-3"}
    )
    assert_invalid(response, "quantity")
    assert not offer.lines.exists()


def test_it_answers_a_discount_over_100_at_its_field(api_as, owner, offer, pump):
    api = api_as(owner)
    line = api.post(
        f"/offers/{offer.pk}/lines",
        {"product_id": pump.pk, "quantity": "1", "discount_percent": "120"},
    )
    assert_invalid(line, "discount_percent")
    assert_invalid(api.patch(f"/offers/{offer.pk}", {"discount_percent": 101}), "discount_percent")
    assert not offer.lines.exists()
    offer.refresh_from_db()
    assert offer.discount_percent == 0


def test_it_answers_a_product_without_price_at_the_price(api_as, owner, offer):
    stray = factories.ProductFactory(sku="XX-9")
    response = api_as(owner).post(
        f"/offers/{offer.pk}/lines", {"product_id": stray.pk, "quantity": "1"}
    )
    assert_invalid(response, "unit_price")


def test_it_answers_an_unknown_product_at_its_field(api_as, owner, offer):
    response = api_as(owner).post(
        f"/offers/{offer.pk}/lines", {"product_id": 999_999, "quantity": "1"}
    )
    assert_invalid(response, "product_id")


def test_it_changes_and_removes_lines(api_as, owner, offer, pump, installation):
    api = api_as(owner)
    pumps = api.post(f"/offers/{offer.pk}/lines", {"product_id": pump.pk, "quantity": "4"}).json()
    hours = api.post(
        f"/offers/{offer.pk}/lines", {"product_id": installation.pk, "quantity": "8"}
    ).json()
    assert (hours["position"], hours["unit"], hours["unit_price"]) == (2, "h", "89.00")

    changed = _patch(
        api, f"/offer-lines/{pumps['id']}", {"discount_percent": "5"}, hours["offer_version"]
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["net"] == "4180.00"

    removed = api.delete(f"/offer-lines/{pumps['id']}")
    assert removed.status_code == 204
    offer.refresh_from_db()
    assert removed["ETag"] == f'"{offer.version}"'
    [left] = offer.lines.all()
    assert (left.pk, left.position) == (hours["id"], 1)
    assert offer.net_total == D("712.00")


def test_it_refuses_a_change_based_on_an_older_version(api_as, owner, teammate, offer, pump):
    api = api_as(owner)
    seen = offer.version
    services.offer_line_add(actor=teammate, offer=offer, data={"product": pump, "quantity": 2})

    response = _patch(api, f"/offers/{offer.pk}", {"subject": "Neu"}, seen)
    problem = problem_of(response, 412)
    assert problem["type"] == "precondition-failed"
    offer.refresh_from_db()
    assert response["ETag"] == f'"{offer.version}"'
    assert offer.subject == "40 Pumpen mit Montage"
    stale_line = api.client.post(
        f"{API}/offers/{offer.pk}/lines",
        {"product_id": pump.pk, "quantity": "1"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{seen}"',
        **api.headers,
    )
    assert problem_of(stale_line, 412)["type"] == "precondition-failed"
    assert offer.lines.count() == 1

    current = _patch(api, f"/offers/{offer.pk}", {"subject": "Neu"}, offer.version)
    assert current.status_code == 200, current.content
    assert current.json()["subject"] == "Neu"
    assert current["ETag"] == f'"{offer.version + 1}"'


def test_it_answers_an_unknown_field_and_a_missing_owner(api_as, owner, offer):
    api = api_as(owner)
    assert_invalid(api.patch(f"/offers/{offer.pk}", {"discount": 5}), "discount")
    assert_invalid(api.patch(f"/offers/{offer.pk}", {"owner_id": None}), "owner_id")


# --- approval, sending, versions -----------------------------------------------------------------


def test_a_discount_above_the_limit_is_approved_by_the_manager_and_sent(
    api_as, owner, manager, offer, pump
):
    rep, lead = api_as(owner), api_as(manager)
    rep.post(
        f"/offers/{offer.pk}/lines",
        {"product_id": pump.pk, "quantity": "40", "discount_percent": "12"},
    )
    refused = rep.post(f"/offers/{offer.pk}/send", {})
    assert [error["code"] for error in assert_invalid(refused, "__all__")] == ["approval_required"]
    assert rep.get(f"/offers/{offer.pk}").json()["approval_required"] is True

    asked = rep.post(f"/offers/{offer.pk}/approval-requests", {"reason": "Rahmenvertrag"})
    assert asked.status_code == 201, asked.content
    approval = asked.json()
    assert (approval["status"], approval["discount_percent"]) == ("pending", "12.00")
    assert approval["requested_by_id"] == owner.pk

    own = rep.post(f"/approvals/{approval['id']}/approve", {"note": "passt"})
    assert problem_of(own, 403)["type"] == "forbidden"

    approved = lead.post(f"/approvals/{approval['id']}/approve", {"note": "Rahmenvertrag"})
    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["decided_by_id"]) == ("approved", manager.pk)

    follow_up = timezone.localdate() + datetime.timedelta(days=3)
    sent = rep.post(f"/offers/{offer.pk}/send", {"follow_up_on": follow_up.isoformat()})
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert (body["status"], body["follow_up_on"]) == ("sent", follow_up.isoformat())
    assert body["approval_required"] is False
    assert [a["status"] for a in body["approvals"]] == ["approved"]

    versions = rep.get(f"/offers/{offer.pk}/versions").json()
    assert [v["number"] for v in versions["items"]] == [1]
    document = rep.get(f"/offer-versions/{versions['items'][0]['id']}").json()["document"]
    assert document["number"] == offer.number
    assert document["lines"][0]["discount_percent"] == "12.00"


def test_it_answers_a_follow_up_date_out_of_range_at_its_field(api_as, owner, offer, pump):
    api = api_as(owner)
    api.post(f"/offers/{offer.pk}/lines", {"product_id": pump.pk, "quantity": "1"})
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for day in (yesterday.isoformat(), "9999-12-31"):
        response = api.post(f"/offers/{offer.pk}/send", {"follow_up_on": day})
        assert_invalid(response, "follow_up_on")
    offer.refresh_from_db()
    assert (offer.status, offer.revisions.count()) == (OfferStatus.DRAFT, 0)


def test_a_rep_cannot_approve_above_his_limit(api_as, owner, teammate, offer, pump):
    services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 4, "discount_percent": 12}
    )
    approval = services.discount_approval_request(actor=owner, offer=offer)
    response = api_as(teammate).post(f"/approvals/{approval.pk}/reject", {})
    assert problem_of(response, 403)["type"] == "forbidden"
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_a_manager_who_does_not_see_the_offer_gets_404(api_as, owner, team_north, offer, pump):
    services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 4, "discount_percent": 12}
    )
    approval = services.discount_approval_request(actor=owner, offer=offer)
    north = factories.UserFactory(username="nord-leitung", role=Role.SALES_MANAGER, team=team_north)
    response = api_as(north).post(f"/approvals/{approval.pk}/approve", {})
    assert problem_of(response, 404)["type"] == "not-found"
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_a_manager_rejects_a_discount(api_as, owner, manager, offer, pump):
    services.offer_line_add(
        actor=owner, offer=offer, data={"product": pump, "quantity": 4, "discount_percent": 12}
    )
    approval = services.discount_approval_request(actor=owner, offer=offer)
    response = api_as(manager).post(f"/approvals/{approval.pk}/reject", {"note": "zu hoch"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decision_note"]) == ("rejected", "zu hoch")


def test_it_starts_the_next_version_of_a_sent_offer(api_as, owner, offer, pump):
    offer = _sent(owner, offer, pump)
    api = api_as(owner)
    assert_invalid(
        api.post(
            f"/offers/{offer.pk}/lines", {"description": "X", "quantity": "1", "unit_price": "1"}
        ),
        "__all__",
    )
    response = api.post(f"/offers/{offer.pk}/revise")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["revision"]) == ("draft", 2)
    assert_invalid(api.post(f"/offers/{offer.pk}/revise"), "__all__")


# --- won and lost --------------------------------------------------------------------------------


def test_it_turns_a_won_offer_into_an_order(api_as, owner, offer, pump):
    offer = _sent(owner, offer, pump)
    response = api_as(owner).post(f"/offers/{offer.pk}/win", {})
    assert response.status_code == 200, response.content
    body = response.json()
    order = Order.objects.get()
    assert body["status"] == "won"
    assert (body["order_id"], body["order_number"]) == (order.pk, order.number)
    assert order.number == offer.number.replace("AN-", "AU-")
    assert body["closed_on"] == timezone.localdate().isoformat()


def test_it_answers_a_win_in_the_future_at_its_field(api_as, owner, offer, pump):
    offer = _sent(owner, offer, pump)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api_as(owner).post(f"/offers/{offer.pk}/win", {"ordered_on": tomorrow.isoformat()})
    assert_invalid(response, "ordered_on")
    assert not Order.objects.exists()


def test_it_asks_which_competitor_got_a_lost_order(api_as, owner, offer, pump):
    offer = _sent(owner, offer, pump)
    api = api_as(owner)
    missing = api.post(f"/offers/{offer.pk}/lose", {"reason": "competitor"})
    assert_invalid(missing, "competitor")
    assert_invalid(api.post(f"/offers/{offer.pk}/lose", {"reason": "weather"}), "reason")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT

    lost = api.post(f"/offers/{offer.pk}/lose", {"reason": "competitor", "competitor": "Hydro AG"})
    assert lost.status_code == 200, lost.content
    body = lost.json()
    assert (body["status"], body["loss_reason"], body["competitor"]) == (
        "lost",
        "competitor",
        "Hydro AG",
    )


# --- who may do what -----------------------------------------------------------------------------


def test_an_outsider_gets_404_for_the_offer(api_as, outsider, customer, offer, pump):
    api = api_as(outsider)
    assert problem_of(api.get(f"/offers/{offer.pk}"), 404)["type"] == "not-found"
    assert problem_of(api.patch(f"/offers/{offer.pk}", {"subject": "X"}), 404)
    lines = api.post(f"/offers/{offer.pk}/lines", {"product_id": pump.pk, "quantity": "1"})
    problem_of(lines, 404)
    problem_of(api.post(f"/offers/{offer.pk}/send", {}), 404)
    problem_of(api.get(f"/offers/{offer.pk}/versions"), 404)
    assert ids_of(api.get("/offers")) == []
    assert_invalid(api.post("/offers", {"company_id": customer.pk, "subject": "X"}), "company_id")
    offer.refresh_from_db()
    assert (offer.subject, offer.lines.count(), offer.status) == (
        "40 Pumpen mit Montage",
        0,
        OfferStatus.DRAFT,
    )


def test_marketing_reads_offers_but_does_not_write_them(api_as, marketer, offer, pump):
    api = api_as(marketer)
    assert api.get(f"/offers/{offer.pk}").status_code == 200
    response = api.post(f"/offers/{offer.pk}/lines", {"product_id": pump.pk, "quantity": "1"})
    assert problem_of(response, 403)["type"] == "forbidden"
    assert not offer.lines.exists()


def test_it_lists_the_open_offers_by_follow_up(api_as, owner, teammate, customer, offer, pump):
    later = _sent(owner, offer, pump)
    sooner = services.offer_create(actor=teammate, company=customer, data={"subject": "Ventile"})
    services.offer_line_add(actor=teammate, offer=sooner, data={"product": pump, "quantity": 1})
    services.offer_send(
        actor=teammate, offer=sooner, follow_up_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    draft = services.offer_create(actor=owner, company=customer, data={"subject": "Entwurf"})
    lost = services.offer_create(actor=owner, company=customer, data={"subject": "Verloren"})
    services.offer_lose(actor=owner, offer=lost, reason="price")
    api = api_as(owner)

    assert ids_of(api.get("/offers")) == [sooner.pk, later.pk, draft.pk]
    assert ids_of(api.get("/offers", {"mine": "yes"})) == [later.pk, draft.pk]
    assert ids_of(api.get("/offers", {"status": "lost"})) == [lost.pk]
    assert ids_of(api.get("/offers", {"q": "ventil"})) == [sooner.pk]
    assert ids_of(api.get("/offers", {"company_id": customer.pk + 1})) == []
    assert api.get("/offers").json()["items"][0]["company_name"] == customer.name
    assert_invalid(api.get("/offers", {"status": "open"}), "status")


# Token, count, page (with company and order; the visible territories come from the cache).
OFFER_LIST_QUERIES = 3
# Token, offer (with company, contact, owner, price list, order), lines with their products,
# approvals, the caller's discount limit twice (approval needed? his limit).
OFFER_QUERIES = 6


@pytest.mark.parametrize("rows", [2, 12])
def test_it_lists_and_shows_offers_with_the_same_number_of_queries_for_any_number_of_rows(
    api_as, owner, customer, offer, pump, installation, rows, django_assert_num_queries
):
    for number in range(rows):
        services.offer_line_add(
            actor=owner,
            offer=offer,
            data={"product": pump if number % 2 else installation, "quantity": 1},
        )
        other = services.offer_create(
            actor=owner, company=customer, data={"subject": f"Nr. {number}"}
        )
        services.offer_lose(actor=owner, offer=other, reason="price")
    api = api_as(owner)
    api.get("/offers")  # notes when the token was used
    with django_assert_num_queries(OFFER_LIST_QUERIES):
        response = api.get("/offers", {"status": "lost"})
    assert response.json()["count"] == len(response.json()["items"]) == rows
    with django_assert_num_queries(OFFER_QUERIES):
        response = api.get(f"/offers/{offer.pk}")
    assert len(response.json()["lines"]) == rows


# --- forecast ------------------------------------------------------------------------------------


def test_it_forecasts_the_revenue_and_the_quantities_of_the_open_offers(
    api_as, owner, outsider, offer, pump
):
    _sent(owner, offer, pump)
    response = api_as(owner).get("/forecast")
    assert response.status_code == 200, response.content
    forecast = response.json()
    assert forecast["offers"] == 1
    assert forecast["open_value"] == "44000.00"
    assert forecast["currency"] == "EUR"
    assert len(forecast["months"]) == 6
    first = forecast["months"][0]
    assert first["month"] == timezone.localdate().replace(day=1).isoformat()
    for month in forecast["months"]:
        assert {"expected", "p10", "p50", "p90"} <= set(month)
        assert all(isinstance(month[name], str) for name in ("expected", "p10", "p50", "p90"))
        assert D(month["p10"]) <= D(month["p50"]) <= D(month["p90"])
    assert D(forecast["expected_total"]) > 0
    [product] = forecast["products"]
    assert (product["product_id"], product["sku"]) == (pump.pk, "PU-4000")
    assert len(product["per_month"]) == 6
    assert 0 < D(product["total"]) <= 40
    assert forecast["more_products"] is False

    nothing = api_as(outsider).get("/forecast").json()
    assert (nothing["offers"], nothing["open_value"], nothing["products"]) == (0, "0.00", [])
