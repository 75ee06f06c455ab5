"""The ``demo`` command: valid, realistic, deterministic data, and safe re-runs."""

from __future__ import annotations

import datetime
import io
import random

import phonenumbers
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone

from innendienst.accounts.models import Territory, User
from innendienst.activities.models import Activity, ActivityType
from innendienst.activities.selectors import my_tasks
from innendienst.contacts.models import (
    BuyingCenterMembership,
    BuyingCenterRole,
    ChannelVerification,
    Company,
    CompanyAddress,
    CompanyStatus,
    LegalForm,
    Person,
)
from innendienst.core.models import SiteSetting
from innendienst.core.validation import normalize_postcode, normalize_vat_id
from innendienst.demo import data
from innendienst.demo.generator import (
    COUNTRY_CODES,
    Dataset,
    company_phone,
    mobile_phone,
    vat_id,
)
from innendienst.orders.models import Order, OrderLine
from innendienst.orders.selectors import order_summary_of
from innendienst.privacy.models import Consent

SEED = "7"
SIZE = "60"
STORY = data.STORY_COMPANY.name


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db: None) -> str:
    return run_demo("--size", SIZE, "--seed", SEED)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Company, Person, BuyingCenterMembership, Consent, Order, OrderLine, Activity)
    }


def snapshot() -> list[tuple]:
    """What must be identical for the same seed: names, numbers, people, orders."""
    return [
        *Company.objects.order_by("name", "customer_number", "id").values_list(
            "name", "customer_number", "postcode", "city", "phone", "vat_id", "status"
        ),
        *Person.objects.order_by("last_name", "first_name", "email", "id").values_list(
            "first_name", "last_name", "function", "email", "phone"
        ),
        *Order.objects.order_by("number").values_list("number", "ordered_on", "status"),
        *OrderLine.objects.order_by("order__number", "id").values_list(
            "order__number", "product__sku", "quantity", "unit_price", "discount_percent"
        ),
    ]


def test_story_company_is_there_without_a_decider(demo: str) -> None:
    story = Company.objects.get(name=STORY)
    lena = User.objects.get(username="innendienst")

    assert story.legal_form == LegalForm.GMBH_CO_KG
    assert story.status == CompanyStatus.CUSTOMER
    assert (story.city, story.territory.code) == ("München", "DE-BY")
    assert story.inside_rep == lena
    assert story.field_rep.username == "aussendienst"
    roles = set(story.buying_center.values_list("role", flat=True))
    assert roles == {
        BuyingCenterRole.BUYER,
        BuyingCenterRole.USER,
        BuyingCenterRole.GATEKEEPER,
        BuyingCenterRole.INFLUENCER,
    }
    summary = order_summary_of(lena, story)
    assert summary.revenue_12m["EUR"] > 0
    assert summary.last_order_on >= timezone.localdate() - datetime.timedelta(days=42)
    timeline = story.activities.filter(done=True)
    assert timeline.filter(kind=ActivityType.CALL).count() >= 5
    assert timeline.filter(kind=ActivityType.VISIT).count() >= 3
    due_today = [task for task in my_tasks(lena)["today"] if task.company_id == story.pk]
    assert len(due_today) == 1
    assert due_today[0].follow_up_of.kind == ActivityType.CALL


def test_sound_alikes_and_the_organisation_are_there(demo: str) -> None:
    names = set(Company.objects.values_list("name", flat=True))
    assert {c.name for c in data.SOUND_ALIKES} <= names
    assert Company.objects.get(name="Mayer Elektrotechnik AG").currency == "CHF"
    assert Territory.objects.get(code="DE-BY").path == "/DE/DE-BY/"
    assert Territory.objects.get(code="CH-TI").path == "/CH/CH-TI/"
    assert Company.objects.filter(key_account_manager__username="kam").exists()
    for company in Company.objects.select_related("territory", "inside_rep", "field_rep"):
        inside, field_rep = data.REGION_STAFF[company.territory.code]
        assert (company.inside_rep.username, company.field_rep.username) == (inside, field_rep)


def test_every_login_authenticates_and_has_something_to_do(demo: str) -> None:
    for spec in (s for s in data.USERS if s.login):
        user = authenticate(
            RequestFactory().post("/login/"), username=spec.username, password=data.DEMO_PASSWORD
        )
        assert user is not None, spec.username
        assert user.role == spec.role
        user.full_clean()
        day = my_tasks(user)
        assert day["overdue"] or day["today"] or day["upcoming"], spec.username
    assert "Open http://127.0.0.1:8000" in demo
    assert "innendienst" in demo


def test_generated_rows_pass_the_models_validation(demo: str) -> None:
    companies = list(Company.objects.all())
    for company in companies:
        stored = (company.phone, company.postcode, company.vat_id, company.name)
        company.full_clean()
        # Stored exactly as the normalisers return it, so clean() changes nothing.
        assert (company.phone, company.postcode, company.vat_id, company.name) == stored
        assert company.search_text == company.build_search_text()
        assert phonenumbers.is_valid_number(phonenumbers.parse(company.phone))
        assert company.currency == ("CHF" if company.country == "CH" else "EUR")
    people = list(Person.objects.select_related("company")[:120])
    for person in people:
        stored = (person.phone, person.mobile)
        person.full_clean()
        assert (person.phone, person.mobile) == stored
        assert person.search_text == person.build_search_text()
        assert person.email == "" or person.email.isascii()
    for model in (CompanyAddress, Consent, ChannelVerification, Order, OrderLine):
        for row in model.objects.all()[:40]:
            row.full_clean()
    for activity in Activity.objects.all()[:80]:
        activity.full_clean()
        assert bool(activity.outcome) == (activity.kind == ActivityType.CALL)


def test_counts_scale_with_the_size(db: None) -> None:
    run_demo("--size", "40", "--seed", SEED)
    small = counts()
    run_demo("--size", "120", "--seed", SEED, "--reset")
    large = counts()

    assert (small["Company"], large["Company"]) == (40, 120)
    for name in ("Person", "BuyingCenterMembership", "Order", "OrderLine", "Activity"):
        assert 2.0 < large[name] / small[name] < 4.5, name
    assert 2.5 < large["Person"] / 120 < 4.5
    assert 3 < large["Activity"] / 120 < 8
    assert large["OrderLine"] / 120 > 15
    no_decider = Company.objects.exclude(buying_center__role=BuyingCenterRole.DECIDER).count()
    assert 0.1 < no_decider / 120 < 0.5


def test_same_seed_gives_the_same_data(demo: str) -> None:
    first = snapshot()
    run_demo("--size", SIZE, "--seed", SEED, "--reset")
    assert snapshot() == first
    run_demo("--size", SIZE, "--seed", "8", "--reset")
    assert snapshot() != first


def test_rerun_without_reset_changes_nothing_but_the_passwords(demo: str) -> None:
    before = counts()
    lena = User.objects.get(username="innendienst")
    lena.set_password("forgotten")
    lena.save()

    output = run_demo("--size", SIZE, "--seed", SEED)

    assert "already loaded" in output
    assert counts() == before
    assert (
        authenticate(
            RequestFactory().post("/login/"), username="innendienst", password=data.DEMO_PASSWORD
        )
        is not None
    )
    duplicates = Company.objects.values("customer_number").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exclude(customer_number=None).exists()


def test_another_dataset_is_refused_without_reset(demo: str) -> None:
    before = counts()
    with pytest.raises(CommandError, match="--reset"):
        run_demo("--size", "80", "--seed", SEED)
    assert counts() == before

    run_demo("--size", "80", "--seed", SEED, "--reset")
    assert Company.objects.count() == 80
    assert SiteSetting.objects.get(key="demo").value["companies"] == 80


def test_real_data_without_marker_is_refused(db: None) -> None:
    territory = Territory.objects.create(code="XX", name="Echt", country="DE", path="/XX/")
    Company.objects.create(name="Echte Kunde GmbH", territory=territory)

    with pytest.raises(CommandError, match="not demo data"):
        run_demo("--size", SIZE)
    assert list(Company.objects.values_list("name", flat=True)) == ["Echte Kunde GmbH"]

    run_demo("--size", SIZE, "--reset")
    assert not Company.objects.filter(name="Echte Kunde GmbH").exists()
    assert not Territory.objects.filter(code="XX").exists()


def test_a_real_account_named_like_a_demo_login_is_left_alone(db: None) -> None:
    real = User.objects.create_superuser("admin", "it@example.com", "a-long-real-password")

    with pytest.raises(CommandError, match="not demo data"):
        run_demo("--size", SIZE)
    real.refresh_from_db()
    assert real.check_password("a-long-real-password")


@pytest.mark.parametrize("size", ["tiny", "5", "-3"])
def test_unknown_sizes_are_refused(size: str) -> None:
    with pytest.raises(CommandError):
        call_command("demo", "--size", size, stdout=io.StringIO())


def test_named_sizes() -> None:
    assert Dataset.parse("small", 1).companies == 2_000
    assert Dataset.parse("large", 1).companies == 100_000
    assert Dataset.parse("2000", 1).size == "small"
    assert Dataset.parse("250", 3).chunk_sizes() == [250]


def test_every_city_has_valid_postcodes_and_phone_numbers() -> None:
    rng = random.Random(1)
    for city in data.CITIES:
        country = city.region[:2]
        for postcode in city.postcodes:
            assert normalize_postcode(postcode, country) == postcode, city.name
        phone, block = company_phone(rng, city, country)
        assert block.area == city.area_code[1:]
        assert phone.startswith(f"+{COUNTRY_CODES[country]} {block.area} "), city.name


@pytest.mark.parametrize("country", ["DE", "AT", "CH"])
def test_vat_ids_and_mobiles_are_valid(country: str) -> None:
    rng = random.Random(2)
    for _ in range(50):
        vat = vat_id(rng, country)
        assert normalize_vat_id(vat) == vat
        mobile = mobile_phone(rng, country)
        assert phonenumbers.is_valid_number(phonenumbers.parse(mobile))
