"""Factories for tests: valid DACH records with as few arguments as possible."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from innendienst.accounts.models import Role, Team, Territory, User
from innendienst.activities.models import Activity, ActivityType, CallOutcome
from innendienst.catalog.models import Product, ProductGroup
from innendienst.contacts.models import (
    BuyingCenterMembership,
    Company,
    CompanyStatus,
    CustomerGroup,
    LegalForm,
    Person,
)
from innendienst.matching import keys
from innendienst.matching.models import RecordKind
from innendienst.orders.models import Order, OrderLine, OrderStatus
from innendienst.privacy.models import Consent, ConsentStatus, LegalBasis


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.LazyAttribute(lambda o: f"Gebiet {o.code}")
    country = "DE"
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.code}/")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Lena"
    last_name = factory.Sequence(lambda n: f"Hoffmann{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = Role.INSIDE_SALES
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)
        if create:
            self.save()


class CustomerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.LazyAttribute(lambda o: f"Kundengruppe {o.code}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Beispiel Maschinenbau {n} GmbH")
    legal_form = LegalForm.GMBH
    status = CompanyStatus.CUSTOMER
    customer_number = factory.Sequence(lambda n: f"K-{n:06d}")
    street = "Industriestraße 12"
    postcode = "80331"
    city = "München"
    country = "DE"
    phone = "+49 89 1234567"
    territory = factory.SubFactory(TerritoryFactory)

    @factory.post_generation
    def match_keys(obj, create: bool, extracted: object, **kwargs: object) -> None:
        """As the services' events do: the duplicate engine finds the company."""
        if create:
            keys.refresh(RecordKind.COMPANY, [obj.pk])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    salutation = "ms"
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Schmidt{n}")
    function = "Einkaufsleiterin"
    email = factory.LazyAttribute(lambda o: f"anna.{o.last_name.lower()}@example.de")

    @factory.post_generation
    def match_keys(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            keys.refresh(RecordKind.PERSON, [obj.pk])


class BuyingCenterMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyingCenterMembership

    person = factory.SubFactory(PersonFactory)
    company = factory.LazyAttribute(lambda o: o.person.company)
    role = "buyer"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    channel = "email"
    status = ConsentStatus.GRANTED
    recorded_on = factory.LazyFunction(timezone.localdate)
    source = "Messe SPS 2026"
    legal_basis = LegalBasis.CONSENT


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = ActivityType.CALL
    company = factory.SubFactory(CompanyFactory)
    subject = "Bedarf abgefragt"
    outcome = CallOutcome.REACHED
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    done = True


class ProductGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PG{n}")
    name = factory.LazyAttribute(lambda o: f"Gruppe {o.code}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"A-{n:05d}")
    name = "Hydraulikzylinder HZ-50"
    group = factory.SubFactory(ProductGroupFactory)
    list_price = Decimal("100.00")
    cost_price = Decimal("60.00")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"A-{n:07d}")
    company = factory.SubFactory(CompanyFactory)
    ordered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    status = OrderStatus.DELIVERED


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("2")
    unit_price = Decimal("100.00")
    discount_percent = Decimal("10")
    unit_cost = Decimal("60.00")
