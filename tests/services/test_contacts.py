"""contacts.services: every write of companies, people, roles and verifications validated,
permitted and audited in the same transaction."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from innendienst.accounts.models import Role
from innendienst.contacts import selectors, services
from innendienst.contacts.models import BuyingCenterMembership, Company
from innendienst.core.audit import describe
from innendienst.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def entries_of(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    )


def test_it_records_who_changed_which_field_from_what_to_what(owner, company):
    services.company_update(actor=owner, company=company, data={"phone": "089 7654321"})
    company.refresh_from_db()
    assert company.phone == "+49 89 7654321"
    entry = entries_of(company).get(field="phone")
    assert (entry.old_value, entry.new_value) == ("+49 89 1234567", "+49 89 7654321")
    assert entry.actor == owner
    assert entry.actor_name == "Lena Hoffmann"


def test_it_records_nothing_when_nothing_changed(owner, company):
    services.company_update(actor=owner, company=company, data={"phone": "+49 89 1234567"})
    assert not entries_of(company).exists()


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
    assert list(entries_of(company).values_list("action", flat=True)) == ["create"]


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
    assert not entries_of(company).exists()


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
    assert not Company.objects.filter(name="Zweite GmbH").exists()


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
    assert Company.objects.get(pk=company.pk).phone == "+49 89 1234567"


def test_it_refuses_master_data_changes_by_product_management(territories, company):
    product_manager = factories.UserFactory(
        role=Role.PRODUCT_MANAGEMENT, territories=[territories["DE"]]
    )
    with pytest.raises(PermissionDenied):
        services.company_update(actor=product_manager, company=company, data={"city": "Ulm"})
    assert Company.objects.get(pk=company.pk).city == "München"


def test_it_sets_buying_center_roles_and_audits_the_change(owner, person, company):
    services.buying_center_set_roles(
        actor=owner, person=person, company=company, roles=["buyer", "decider"]
    )
    services.buying_center_set_roles(actor=owner, person=person, company=company, roles=["buyer"])
    assert list(
        BuyingCenterMembership.objects.filter(person=person).values_list("role", flat=True)
    ) == ["buyer"]
    notes = entries_of(person).filter(field="buying_center_roles").order_by("id")
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


def test_it_refuses_roles_for_people_the_actor_does_not_see(outsider, person, company):
    with pytest.raises(PermissionDenied):
        services.buying_center_set_roles(
            actor=outsider, person=person, company=company, roles=["decider"]
        )
    assert not BuyingCenterMembership.objects.exists()


def test_it_creates_a_person_with_roles_and_normalised_phone(owner, company):
    person = services.person_create(
        actor=owner,
        company=company,
        data={"last_name": "Gruber", "first_name": "Stefan", "phone": "089 12345-67"},
        roles=["decider"],
    )
    assert person.phone == "+49 89 1234567"
    assert not selectors.buying_center_of(owner, company).decider_missing


def test_it_lets_a_verification_lapse_when_the_value_changes(owner, company):
    services.channel_verify(actor=owner, company=company, channel="phone", method="phone")
    assert selectors.verified_values(company=company)["phone"].verified_by == owner
    services.company_update(actor=owner, company=company, data={"phone": "089 7654321"})
    company.refresh_from_db()
    assert "phone" not in selectors.verified_values(company=company)


def test_it_refuses_to_verify_an_empty_channel(owner, company):
    with pytest.raises(ValidationError):
        services.channel_verify(actor=owner, company=company, channel="email", method="phone")
    assert not company.verifications.exists()
