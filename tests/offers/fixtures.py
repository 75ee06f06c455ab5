"""The offers' world: a B customer with its euro price list, a pump and an hour of installation,
the discount limits of the inside rep (8 %) and the sales manager (25 %), and a draft offer.
Shared by the service, page and API tests."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.catalog.models import DiscountLimit, PriceList
from innendienst.offers import services
from tests import factories


@pytest.fixture
def group_b(db):
    return factories.CustomerGroupFactory(code="B", name="B-Kunden")


@pytest.fixture
def pump(db):
    return factories.ProductFactory(
        sku="PU-4000",
        name="Kreiselpumpe KP 40",
        list_price=D("1200.00"),
        cost_price=D("700.00"),
        stock=12,
        lead_time_days=42,
    )


@pytest.fixture
def installation(db):
    return factories.ProductFactory(
        sku="SRV-MONT",
        name="Montage vor Ort",
        unit="h",
        list_price=D("95.00"),
        cost_price=D("50.00"),
    )


@pytest.fixture
def price_list(group_b, pump, installation):
    """The B customers' euro prices, valid this year."""
    today = timezone.localdate()
    price_list = PriceList.objects.create(
        name="B-Kunden 2026",
        customer_group=group_b,
        currency="EUR",
        valid_from=today - datetime.timedelta(days=60),
        valid_until=today + datetime.timedelta(days=300),
    )
    price_list.items.create(product=pump, unit_price=D("1100.00"))
    price_list.items.create(product=installation, unit_price=D("89.00"))
    return price_list


@pytest.fixture
def limits(db):
    DiscountLimit.objects.create(role=Role.INSIDE_SALES, max_percent=D("8"))
    DiscountLimit.objects.create(role=Role.SALES_MANAGER, max_percent=D("25"))


@pytest.fixture
def manager(team_south):
    return factories.UserFactory(
        username="leitung", first_name="Petra", last_name="Brandt", role=Role.SALES_MANAGER,
        team=team_south,
    )  # fmt: skip


@pytest.fixture
def customer(company, group_b):
    company.customer_group = group_b
    company.save(update_fields=["customer_group"])
    return company


@pytest.fixture
def offer(owner, customer, person, price_list, limits):
    return services.offer_create(
        actor=owner, company=customer, data={"subject": "40 Pumpen mit Montage", "contact": person}
    )
