"""The ``demo`` command: valid, realistic, deterministic data, and safe re-runs."""

from __future__ import annotations

import dataclasses
import datetime
import io
import random

import phonenumbers
import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone

from innendienst.accounts.models import Team, Territory, User
from innendienst.activities.models import Activity, ActivityType
from innendienst.activities.selectors import my_tasks
from innendienst.catalog.models import DiscountLimit, PriceList, Product, ProductGroup
from innendienst.contacts.demo import company_plans
from innendienst.contacts.models import (
    BuyingCenterMembership,
    BuyingCenterRole,
    ChannelVerification,
    Company,
    CompanyAddress,
    CompanyStatus,
    CustomerGroup,
    Industry,
    LegalForm,
    Person,
)
from innendienst.core import registry
from innendienst.core.models import SiteSetting
from innendienst.core.registry import DemoStep
from innendienst.core.validation import normalize_postcode, normalize_vat_id
from innendienst.demo import data, kit
from innendienst.demo.kit import (
    COUNTRY_CODES,
    Chunk,
    Dataset,
    Run,
    Step,
    company_phone,
    mobile_phone,
    vat_id,
)
from innendienst.orders.models import Order, OrderLine
from innendienst.orders.selectors import order_summary_of
from innendienst.privacy.models import Consent
from innendienst.qualification.models import Checklist

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


def test_the_demos_scores_are_those_the_database_gives(demo: str) -> None:
    """Scored from the plans while loading, as a refresh scores from the stored rows."""
    from innendienst.qualification import quality
    from innendienst.qualification.models import CompanyQuality

    stored = {row.company_id: row for row in CompanyQuality.objects.all()}
    assert set(stored) == set(Company.objects.values_list("pk", flat=True))
    assert Checklist.objects.count() == 4
    for pk, scored in quality.scores_of(stored).items():
        row = stored[pk]
        assert (row.score, tuple(row.missing)) == (scored.score, scored.missing), pk
        assert (row.phones, row.phones_verified, row.emails, row.emails_verified) == (
            scored.phones, scored.phones_verified, scored.emails, scored.emails_verified,
        )  # fmt: skip
    assert len({row.score for row in stored.values()}) > 5


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
    assert "http://127.0.0.1:8000" in demo
    assert "innendienst" in demo


def test_the_output_is_german(demo: str) -> None:
    assert "Firmen und Ansprechpartner" in demo
    assert "Anmeldungen, Passwort für alle: demo" in demo
    assert "Benutzername" in demo
    assert "alles (Administrator)" in demo
    for english in ("companies", "password", "username", "scope", "everything", "total"):
        assert english not in demo.lower(), english


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


def test_rerun_without_reset_changes_nothing_but_the_passwords(demo: str) -> None:
    before = counts()
    lena = User.objects.get(username="innendienst")
    lena.set_password("forgotten")
    lena.save()

    output = run_demo("--size", SIZE, "--seed", SEED)

    assert "bereits geladen" in output
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

    with pytest.raises(CommandError, match="keine Demodaten"):
        run_demo("--size", SIZE)
    assert list(Company.objects.values_list("name", flat=True)) == ["Echte Kunde GmbH"]

    run_demo("--size", SIZE, "--reset")
    assert not Company.objects.filter(name="Echte Kunde GmbH").exists()
    assert not Territory.objects.filter(code="XX").exists()


def test_a_real_account_named_like_a_demo_login_is_left_alone(db: None) -> None:
    real = User.objects.create_superuser("admin", "it@example.com", "a-long-real-password")

    with pytest.raises(CommandError, match="keine Demodaten"):
        run_demo("--size", SIZE)
    real.refresh_from_db()
    assert real.check_password("a-long-real-password")


@pytest.mark.parametrize("size", ["tiny", "5", "-3"])
def test_unknown_sizes_are_refused(size: str) -> None:
    with pytest.raises(CommandError):
        call_command("demo", "--size", size, stdout=io.StringIO())


def _schema() -> set[tuple[str, str]]:
    """Every index and constraint of the database, as PostgreSQL would recreate it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " UNION ALL SELECT con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con"
            " JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = 'public'"
        )
        return set(cursor.fetchall())


def test_a_load_builds_the_indexes_and_foreign_keys_it_set_aside(db: None) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL sets indexes aside during a load")
    before = _schema()
    run_demo("--size", SIZE, "--seed", SEED)
    assert _schema() == before
    run_demo("--size", SIZE, "--seed", "2", "--reset")
    assert _schema() == before


def test_named_sizes() -> None:
    assert Dataset.parse("small", 1).companies == 2_000
    assert Dataset.parse("large", 1).companies == 100_000
    assert Dataset.parse("1m", 1).companies == 1_000_000
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


# --- the steps the apps register ----------------------------------------------------------

# What the probe steps saw: (step, chunk index or "made", names of the steps before it).
probe_log: list[tuple[str, int | str, list[str]]] = []


class EarlyProbe(Step):
    """A step as a further app registers it, ordered before every app's step."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        probe_log.append(("early", "made", list(run.steps)))

    def chunk(self, chunk: Chunk) -> int:
        probe_log.append(("early", chunk.index, list(chunk.results)))
        return chunk.companies


class LateProbe(Step):
    """Ordered between orders and activities; reads what earlier steps made of the chunk."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        probe_log.append(("late", "made", list(run.steps)))

    def chunk(self, chunk: Chunk) -> None:
        probe_log.append(("late", chunk.index, list(chunk.results)))
        assert chunk.results["early_probe"] == chunk.companies == len(company_plans(chunk))


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registered steps, restored after the test."""
    monkeypatch.setattr(registry, "_demo_steps", dict(registry._demo_steps))


def test_registered_steps_run_in_their_order(
    db: None, steps: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe_log.clear()
    # Registered in the wrong order on purpose: ``order`` decides.
    registry.register_demo_step(
        DemoStep("late_probe", "late", order=45, step="tests.test_demo.LateProbe",
                 needs=("early_probe", "orders"))
    )  # fmt: skip
    registry.register_demo_step(
        DemoStep("early_probe", "early", order=5, step="tests.test_demo.EarlyProbe")
    )
    monkeypatch.setattr(kit, "CHUNK_SIZE", 25)  # two chunks: 25 and 15 companies

    run_demo("--size", "40", "--seed", SEED)

    before_late = [step.name for step in registry.demo_steps() if step.order < 45]
    assert before_late[0] == "early_probe"
    assert {"contacts", "catalog", "privacy", "orders"} <= set(before_late)
    assert "activities" not in before_late
    assert probe_log == [
        ("early", "made", []),
        ("late", "made", before_late),
        ("early", 0, []),
        ("late", 0, before_late),
        ("early", 1, []),
        ("late", 1, before_late),
    ]
    assert Company.objects.count() == 40
    assert SiteSetting.objects.get(key="demo").value["steps"]["late_probe"] == 1


def test_a_step_needing_a_later_step_is_refused(steps: None) -> None:
    registry.register_demo_step(
        DemoStep("too_early", "early", order=1, step="tests.test_demo.EarlyProbe",
                 needs=("orders",))
    )  # fmt: skip
    with pytest.raises(ImproperlyConfigured, match="too_early"):
        registry.demo_steps()
    with pytest.raises(ImproperlyConfigured, match="twice"):
        registry.register_demo_step(
            DemoStep("too_early", "again", order=2, step="tests.test_demo.EarlyProbe")
        )


def test_a_changed_step_makes_another_dataset(demo: str, steps: None) -> None:
    orders = registry._demo_steps["orders"]
    registry._demo_steps["orders"] = dataclasses.replace(orders, version=orders.version + 1)
    before = counts()

    with pytest.raises(CommandError, match="anderen Version"):
        run_demo("--size", SIZE, "--seed", SEED)
    assert counts() == before

    run_demo("--size", SIZE, "--seed", SEED, "--reset")
    assert counts() == before


# Rows that ``--reset`` deletes and the next load saves anew through the ORM get new ids:
# they, and the references to them, are compared by these keys.
NATURAL_KEYS: dict[type[models.Model], str] = {
    User: "username",
    Team: "name",
    Territory: "code",
    Industry: "code",
    CustomerGroup: "code",
    ProductGroup: "code",
    Product: "sku",
    Checklist: "customer_group",
    PriceList: "name",
    DiscountLimit: "role",
}


def every_row() -> dict[str, list[tuple]]:
    """Every stored value of every row the demo steps write, but the clock of the load."""
    tables = {}
    for step in registry.demo_steps():
        for model in step.models:
            columns = []
            for field in model._meta.concrete_fields:
                if field.name == "updated_at" or (
                    model in NATURAL_KEYS and field.name in ("id", "created_at")
                ):
                    continue
                key = NATURAL_KEYS.get(field.related_model) if field.is_relation else None
                columns.append(f"{field.name}__{key}" if key else field.attname)
            tables[model._meta.label] = list(model.objects.order_by("pk").values_list(*columns))
    return tables


def test_same_seed_gives_the_same_rows(demo: str) -> None:
    first = every_row()
    assert all(first.values())

    run_demo("--size", SIZE, "--seed", SEED, "--reset")
    assert every_row() == first

    run_demo("--size", SIZE, "--seed", "8", "--reset")
    assert every_row() != first


@pytest.mark.django_db
def test_a_reset_deletes_rows_that_others_point_at_a_chunk_at_a_time(monkeypatch, territories):
    """Companies that a re-qualification points at go through the ORM; at 100,000 at once its
    statement had more parameters than PostgreSQL takes."""
    from innendienst.demo import loader
    from innendienst.qualification.models import Requalification
    from tests import factories

    monkeypatch.setattr(loader, "ORM_DELETE_CHUNK", 3)
    companies = [factories.CompanyFactory(territory=territories["BY"]) for _ in range(7)]
    Requalification.objects.create(company=companies[4])
    assert loader._delete_all(Company, {Company}) == 8  # seven companies, one re-qualification
    assert not Company.objects.exists()
    assert not Requalification.objects.exists()
