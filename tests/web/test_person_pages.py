"""/people/<id>/ (the person page, composed of panels), /companies/<id>/people/new/ and
/people/<id>/edit/."""

import pytest
from django.urls import reverse

from innendienst.activities.panels import TIMELINE_LIMIT
from innendienst.contacts.forms import PersonForm
from innendienst.contacts.models import Person
from innendienst.core.models import AuditEntry
from tests import factories, volume
from tests.forms import seen_of

pytestmark = pytest.mark.django_db

# Session, user (his visible territories come from the cache), the person with the company;
# then the panels: roles and verified values (channels), timeline, consent ledger, external
# keys, history, and the qualification (verified values and roles once more).
PERSON_PAGE_QUERIES = 11


def test_it_creates_a_person_with_buying_center_roles(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("person_create", args=[company.pk]),
        {
            "salutation": "mr",
            "last_name": "Wagner",
            "first_name": "Peter",
            "roles": ["decider", "buyer"],
        },
    )
    person = Person.objects.get(last_name="Wagner")
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    assert person.company == company
    assert sorted(person.buying_center_roles.values_list("role", flat=True)) == [
        "buyer",
        "decider",
    ]
    page = client.get(reverse("company_detail", args=[company.pk]))
    assert not page.context["buying_center"].decider_missing
    assert 'class="alert warn"' not in page.content.decode()


def test_it_shows_errors_at_the_field_of_a_new_person(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("person_create", args=[company.pk]),
        {"salutation": "mr", "last_name": "", "first_name": "Peter", "email": "peter@"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"last_name", "email"}
    assert 'value="Peter"' in response.content.decode()
    assert not Person.objects.filter(first_name="Peter").exists()


def test_it_changes_the_buying_center_roles_of_an_edited_person(client, owner, company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    client.force_login(owner)
    response = client.post(
        reverse("person_edit", args=[person.pk]),
        {
            "salutation": "ms",
            "last_name": "Berger",
            "first_name": "Anna",
            "roles": ["decider"],
            "seen": seen_of(person, PersonForm._meta.fields, roles=["buyer"]),
        },
    )
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    roles = person.buying_center_roles.values_list("role", flat=True)
    assert list(roles) == ["decider"]
    assert AuditEntry.objects.filter(field="buying_center_roles", object_id=person.pk).exists()
    page = client.get(reverse("company_detail", args=[company.pk]))
    assert not page.context["buying_center"].decider_missing


def test_it_shows_roles_consent_and_timeline_on_the_person_page(client, owner, records):
    client.force_login(owner)
    response = client.get(reverse("person_detail", args=[records["person"].pk]))
    page = response.content.decode()
    assert "Anna Berger" in page
    assert "Bedarf Hydraulik" in page
    assert "Messe SPS 2026" in page  # the source of her consent
    assert response.context["roles"] == ["Entscheider"]


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_the_same_number_of_queries_for_any_number_of_rows(
    client, owner, person, rows, django_assert_num_queries
):
    volume.busy_person(person, owner, rows)
    client.force_login(owner)
    url = reverse("person_detail", args=[person.pk])
    client.get(url)
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        response = client.get(url)
    assert len(response.context["timeline"]) == min(2 * rows, TIMELINE_LIMIT)
    assert len(response.context["consents"]) == rows
