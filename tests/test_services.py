"""Services: every write validated, permitted and audited in the same transaction."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from innendienst.accounts.models import ApiToken, Role
from innendienst.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    territory_save,
)
from innendienst.activities.models import Activity, ActivityType
from innendienst.activities.services import activity_complete, activity_log
from innendienst.contacts import selectors, services
from innendienst.contacts.models import BuyingCenterMembership, Company
from innendienst.core.audit import describe
from innendienst.core.models import AuditEntry
from innendienst.privacy import selectors as privacy_selectors
from innendienst.privacy import services as privacy_services
from innendienst.privacy.models import Consent
from tests import factories

pytestmark = pytest.mark.django_db


def _entries(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    )


def test_it_records_who_changed_which_field_from_what_to_what(owner, company):
    services.company_update(actor=owner, company=company, data={"phone": "089 7654321"})
    company.refresh_from_db()
    assert company.phone == "+49 89 7654321"
    entry = _entries(company).get(field="phone")
    assert (entry.old_value, entry.new_value) == ("+49 89 1234567", "+49 89 7654321")
    assert entry.actor == owner
    assert entry.actor_name == "Lena Hoffmann"


def test_it_records_nothing_when_nothing_changed(owner, company):
    services.company_update(actor=owner, company=company, data={"phone": "+49 89 1234567"})
    assert not _entries(company).exists()


def test_it_creates_a_company_with_normalised_data_and_one_audit_entry(owner, territories):
    company = services.company_create(
        actor=owner,
        data={
            "name": "  Huber   Kunststofftechnik GmbH ",
            "territory": territories["BY"],
            "postcode": "D-86150",
            "city": "Augsburg",
            "phone": "0821/123456",
            "vat_id": "de 123 456 788",
            "customer_number": "",
        },
    )
    assert company.name == "Huber Kunststofftechnik GmbH"
    assert company.postcode == "86150"
    assert company.phone == "+49 821 123456"
    assert company.vat_id == "DE123456788"
    assert company.customer_number is None
    assert company.search_text.startswith("huber kunststofftechnik gmbh")
    assert list(_entries(company).values_list("action", flat=True)) == ["create"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "kein-at-zeichen"}, "email"),
        ({"phone": "12ab"}, "phone"),
        ({"postcode": "1234"}, "postcode"),
        ({"country": "AT", "postcode": "80331"}, "postcode"),
        ({"vat_id": "DE123456789"}, "vat_id"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"notes": "x" * 10_001}, "notes"),
        ({"status": "unknown"}, "status"),
        ({"website": "not a url"}, "website"),
        ({"employees": -3}, "employees"),
        ({"source": "bought_list"}, "source_vendor"),
        ({"source": "trade_fair", "source_vendor": "Schober"}, "source_vendor"),
    ],
)
def test_it_rejects_bad_input_at_the_field_and_writes_nothing(owner, company, data, field):
    with pytest.raises(ValidationError) as error:
        services.company_update(actor=owner, company=company, data=data)
    assert field in error.value.message_dict
    fresh = Company.objects.get(pk=company.pk)
    assert fresh.name == "Müller Maschinenbau GmbH & Co. KG"
    assert fresh.postcode == "80331"
    assert not _entries(company).exists()


def test_it_rejects_a_duplicate_customer_number(owner, company, territories):
    with pytest.raises(ValidationError) as error:
        services.company_create(
            actor=owner,
            data={
                "name": "Zweite GmbH",
                "territory": territories["BY"],
                "customer_number": company.customer_number,
            },
        )
    assert "customer_number" in error.value.message_dict


def test_it_refuses_a_territory_the_actor_does_not_work_in(owner, territories):
    with pytest.raises(ValidationError) as error:
        services.company_create(
            actor=owner, data={"name": "Nordlicht GmbH", "territory": territories["NORD"]}
        )
    assert "territory" in error.value.message_dict
    assert not Company.objects.filter(name="Nordlicht GmbH").exists()


def test_it_refuses_changes_to_companies_the_actor_does_not_see(outsider, company):
    with pytest.raises(PermissionDenied):
        services.company_update(actor=outsider, company=company, data={"phone": "089 7654321"})


def test_it_refuses_master_data_changes_by_product_management(territories, company):
    product_manager = factories.UserFactory(
        role=Role.PRODUCT_MANAGEMENT, territories=[territories["DE"]]
    )
    with pytest.raises(PermissionDenied):
        services.company_update(actor=product_manager, company=company, data={"city": "Ulm"})


def test_it_sets_buying_center_roles_and_audits_the_change(owner, person, company):
    services.buying_center_set_roles(
        actor=owner, person=person, company=company, roles=["buyer", "decider"]
    )
    services.buying_center_set_roles(actor=owner, person=person, company=company, roles=["buyer"])
    assert list(
        BuyingCenterMembership.objects.filter(person=person).values_list("role", flat=True)
    ) == ["buyer"]
    notes = _entries(person).filter(field="buying_center_roles").order_by("id")
    assert [(n.old_value, n.new_value) for n in notes] == [
        ("", "buyer, decider"),
        ("buyer, decider", "buyer"),
    ]
    with translation.override("de"):
        shown = describe(list(notes))
    assert (shown[0].field_label, shown[0].new) == (
        "Buying-Center-Rollen",
        "Einkäufer, Entscheider",
    )
    assert selectors.buying_center_of(owner, company).decider_missing


def test_it_creates_a_person_with_roles_and_normalised_phone(owner, company):
    person = services.person_create(
        actor=owner,
        company=company,
        data={"last_name": "Gruber", "first_name": "Stefan", "phone": "089 12345-67"},
        roles=["decider"],
    )
    assert person.phone == "+49 89 1234567"
    assert not selectors.buying_center_of(owner, company).decider_missing


def test_it_logs_a_call_and_plans_the_follow_up(owner, company, person):
    follow_up_at = timezone.now() + datetime.timedelta(days=3)
    call, follow_up = activity_log(
        actor=owner,
        company=company,
        data={"kind": "call", "person": person, "subject": "Bedarf Q1", "outcome": "callback"},
        follow_up_at=follow_up_at,
    )
    assert call.done
    assert call.occurred_at is not None
    assert call.created_by == owner
    assert follow_up.kind == ActivityType.TASK
    assert follow_up.due_at == follow_up_at
    assert follow_up.assigned_to == owner
    assert not follow_up.done
    assert follow_up.follow_up_of == call
    activity_complete(actor=owner, activity=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.done
    assert follow_up.done_at is not None
    assert _entries(follow_up).filter(field="done", new_value="true").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "call", "subject": "Ohne Ergebnis"}, "outcome"),
        ({"kind": "visit", "subject": "Besuch", "outcome": "reached"}, "outcome"),
        ({"kind": "call", "subject": "", "outcome": "reached"}, "subject"),
        ({"kind": "task", "subject": "Ohne Datum"}, "due_at"),
        (
            {
                "kind": "call",
                "subject": "Zukunft",
                "outcome": "reached",
                "occurred_at": timezone.now() + datetime.timedelta(days=1),
            },
            "occurred_at",
        ),
    ],
)
def test_it_rejects_invalid_activities(owner, company, data, field):
    with pytest.raises(ValidationError) as error:
        activity_log(actor=owner, company=company, data=data)
    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def test_it_rejects_a_contact_of_another_company(owner, company, territories):
    stranger = factories.PersonFactory(
        company=factories.CompanyFactory(territory=territories["BY"])
    )
    with pytest.raises(ValidationError) as error:
        activity_log(
            actor=owner,
            company=company,
            data={"kind": "call", "subject": "x", "outcome": "reached", "person": stranger},
        )
    assert "person" in error.value.message_dict


def test_it_keeps_the_consent_ledger_append_only(owner, person):
    privacy_services.consent_record(
        actor=owner,
        person=person,
        data={"channel": "email", "status": "granted", "source": "Messe", "legal_basis": "consent"},
    )
    privacy_services.consent_record(
        actor=owner,
        person=person,
        data={
            "channel": "email",
            "status": "withdrawn",
            "source": "Anruf",
            "legal_basis": "consent",
        },
    )
    assert Consent.objects.filter(person=person).count() == 2
    assert (
        privacy_selectors.current_consents(privacy_selectors.consents_of(person))["email"].status
        == "withdrawn"
    )


def test_a_verification_lapses_when_the_value_changes(owner, company):
    services.channel_verify(actor=owner, company=company, channel="phone", method="phone")
    assert selectors.verified_values(company=company)["phone"].verified_by == owner
    services.company_update(actor=owner, company=company, data={"phone": "089 7654321"})
    company.refresh_from_db()
    assert "phone" not in selectors.verified_values(company=company)


def test_it_refuses_to_verify_an_empty_channel(owner, company):
    with pytest.raises(ValidationError):
        services.channel_verify(actor=owner, company=company, channel="email", method="phone")


def test_api_tokens_are_stored_hashed_and_can_be_revoked(owner):
    token, key = api_token_create(actor=owner, name="ERP")
    assert key.startswith("idt_")
    assert key not in token.key_hash
    assert ApiToken.objects.get().key_hash == ApiToken.hash_key(key)
    assert api_token_authenticate(key) == owner
    api_token_revoke(actor=owner, token=token)
    assert api_token_authenticate(key) is None
    assert api_token_authenticate("idt_wrong") is None


def test_moving_a_territory_moves_its_subtree(territories):
    austria = factories.TerritoryFactory(code="AT", name="Österreich", country="AT")
    bavaria = territories["BY"]
    munich = factories.TerritoryFactory(code="DE-BY-M", name="München", parent=bavaria)
    bavaria.parent = austria
    territory_save(actor=None, territory=bavaria)
    munich.refresh_from_db()
    assert (bavaria.path, munich.path) == ("/AT/DE-BY/", "/AT/DE-BY/DE-BY-M/")


def test_a_consent_dated_in_the_future_is_refused(owner, person):
    with pytest.raises(ValidationError) as error:
        privacy_services.consent_record(
            actor=owner,
            person=person,
            data={
                "channel": "email",
                "status": "granted",
                "source": "Formular",
                "legal_basis": "consent",
                "recorded_on": timezone.localdate() + datetime.timedelta(days=1),
            },
        )
    assert "recorded_on" in error.value.message_dict
    assert not Consent.objects.exists()
