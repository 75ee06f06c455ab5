"""/api/v1/people: list, search, read, create and change contacts with their buying-center
roles."""

from __future__ import annotations

import pytest

from innendienst.contacts.models import Person
from innendienst.core.models import AuditAction
from tests import factories, volume
from tests.api.helpers import assert_invalid, audit_changes, audit_entries, ids_of, row_counts

pytestmark = pytest.mark.django_db

# Token, count, page, the buying-center roles of the page (the visible territories come
# from the cache).
PERSON_LIST_QUERIES = 4


def test_it_lists_people_by_scope_with_search_and_company_filter(
    api_as, owner, teammate, outsider, admin_user, company, person, territories, north_company
):
    mueller = factories.PersonFactory(
        company=company, first_name="Jürgen", last_name="Müller", email="j.mueller@example.de"
    )
    meyer = factories.PersonFactory(company=company, first_name="Sabine", last_name="Meyer")
    factories.BuyingCenterMembershipFactory(person=meyer, role="decider")
    other = factories.CompanyFactory(territory=territories["BY"])
    colleague = factories.PersonFactory(company=other, last_name="Zander")
    northerner = factories.PersonFactory(company=north_company, last_name="Nielsen")

    expected = [person.pk, meyer.pk, mueller.pk, colleague.pk]
    assert ids_of(api_as(owner).get("/people")) == expected
    assert ids_of(api_as(teammate).get("/people")) == expected
    assert ids_of(api_as(outsider).get("/people")) == [northerner.pk]
    assert ids_of(api_as(admin_user).get("/people")) == [
        person.pk,
        meyer.pk,
        mueller.pk,
        northerner.pk,
        colleague.pk,
    ]

    api = api_as(owner)
    assert ids_of(api.get("/people", {"q": "mueller"})) == [mueller.pk]
    assert ids_of(api.get("/people", {"q": "Maier"})) == [meyer.pk]
    assert ids_of(api.get("/people", {"q": "j.mueller@example"})) == [mueller.pk]
    assert ids_of(api.get("/people", {"company_id": other.pk})) == [colleague.pk]
    assert ids_of(api.get("/people", {"sort": "-name"})) == list(reversed(expected))
    assert_invalid(api.get("/people", {"company_id": north_company.pk}), "company_id")
    found = api.get("/people", {"q": "Meyer"}).json()["items"]
    assert found[0]["buying_center_roles"] == ["decider"]
    assert found[0]["company_id"] == company.pk


def test_it_paginates_people(api_as, owner, company):
    for n in range(7):
        factories.PersonFactory(company=company, last_name=f"Kunde{n}")
    response = api_as(owner).get("/people", {"page": 3, "page_size": 3}).json()
    assert response["count"] == 7
    assert [item["last_name"] for item in response["items"]] == ["Kunde6"]


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_with_the_same_number_of_queries_for_any_number_of_rows(
    api_as, owner, territories, rows, django_assert_num_queries
):
    volume.customer_base(territories["BY"], owner, rows)
    api = api_as(owner)
    api.get("/people")  # notes when the token was used
    with django_assert_num_queries(PERSON_LIST_QUERIES):
        response = api.get("/people", {"page_size": 100})
    items = response.json()["items"]
    assert len(items) == response.json()["count"] == rows
    assert {tuple(item["buying_center_roles"]) for item in items} == {("decider",)}


def test_it_shows_a_person_with_the_roles_at_his_company(api_as, teammate, company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    body = api_as(teammate).get(f"/people/{person.pk}").json()
    assert (body["last_name"], body["company_id"]) == ("Berger", company.pk)
    assert body["buying_center_roles"] == ["buyer"]


def test_it_creates_a_person_with_roles_and_normalised_phone(api_as, teammate, company):
    response = api_as(teammate).post(
        "/people",
        {
            "company_id": company.pk,
            "salutation": "mr",
            "first_name": "Jürgen",
            "last_name": "Müller",
            "phone": "089 1234567",
            "mobile": "0171 2345678",
            "email": "j.mueller@example.de",
            "buying_center_roles": ["decider", "buyer"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.company == company
    assert body["phone"] == person.phone == "+49 89 1234567"
    assert body["mobile"] == "+49 171 2345678"
    assert body["buying_center_roles"] == ["buyer", "decider"]
    assert set(person.buying_center_roles.values_list("role", flat=True)) == {"buyer", "decider"}
    actions = set(audit_entries(person).values_list("action", "field"))
    assert actions == {(AuditAction.CREATE, ""), (AuditAction.UPDATE, "buying_center_roles")}


def test_it_uses_the_companys_country_for_a_persons_phone(api_as, owner, territories):
    vienna = factories.CompanyFactory(
        territory=territories["BY"], country="AT", postcode="1010", phone="+43 1 53440"
    )
    response = api_as(owner).post(
        "/people", {"company_id": vienna.pk, "last_name": "Gruber", "phone": "01 5344 0"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == "+43 1 53440"


def test_it_changes_a_person_and_replaces_the_roles(api_as, teammate, person):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    response = api_as(teammate).patch(
        f"/people/{person.pk}",
        {"function": "Technische Leitung", "mobile": "0171 2345678", "buying_center_roles": []},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["buying_center_roles"] == []
    assert body["mobile"] == "+49 171 2345678"
    assert body["last_name"] == "Berger"
    changes = audit_changes(person)
    assert changes["function"] == ("Einkaufsleiterin", "Technische Leitung")
    assert changes["mobile"] == ("", "+49 171 2345678")
    assert changes["buying_center_roles"] == ("buyer", "")
    assert not person.buying_center_roles.exists()


def test_it_keeps_the_roles_when_they_are_not_sent(api_as, owner, person):
    factories.BuyingCenterMembershipFactory(person=person, role="decider")
    response = api_as(owner).patch(f"/people/{person.pk}", {"title": "Dr."})
    assert response.status_code == 200
    assert response.json()["buying_center_roles"] == ["decider"]
    assert response.json()["title"] == "Dr."


# --- bad input: 422 at the field, nothing written -----------------------------------------

PERSON_BAD_INPUT = [
    ({"email": "anna.berger@"}, "email"),
    ({"phone": "12ab"}, "phone"),
    ({"phone": "+49 123"}, "phone"),
    ({"mobile": "+49 123"}, "mobile"),
    ({"last_name": ""}, "last_name"),
    ({"last_name": "x" * 101}, "last_name"),
    ({"notes": "x" * 10_001}, "notes"),
    ({"preferences": "x" * 10_001}, "preferences"),
    ({"salutation": "herr"}, "salutation"),
    ({"authority": "god"}, "authority"),
    ({"buying_center_roles": ["chef"]}, "buying_center_roles.0"),
    ({"buying_center_roles": "buyer"}, "buying_center_roles"),
    ({"last_name": 7}, "last_name"),
]


@pytest.mark.parametrize(("data", "field"), PERSON_BAD_INPUT)
def test_it_rejects_a_bad_new_person_at_the_field(api_as, owner, company, data, field):
    before = row_counts()
    body = {"company_id": company.pk, "last_name": "Neu", **data}
    assert_invalid(api_as(owner).post("/people", body), field)
    assert row_counts() == before


@pytest.mark.parametrize(("data", "field"), PERSON_BAD_INPUT)
def test_it_rejects_a_bad_person_change_at_the_field(api_as, owner, person, data, field):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    before = row_counts()
    assert_invalid(api_as(owner).patch(f"/people/{person.pk}", data), field)
    assert row_counts() == before
    unchanged = Person.objects.get(pk=person.pk)
    assert (unchanged.last_name, unchanged.email, unchanged.phone) == (
        person.last_name,
        person.email,
        person.phone,
    )
    assert list(unchanged.buying_center_roles.values_list("role", flat=True)) == ["buyer"]


@pytest.mark.parametrize("visible", [False, True])
def test_it_rejects_a_company_that_does_not_exist_or_is_not_seen_at_the_field(
    api_as, outsider, company, visible
):
    """The outsider names the owner's company: the same answer as for one that does not
    exist, and nothing of it in the answer."""
    before = row_counts()
    company_id = company.pk if visible else 999_999
    response = api_as(outsider).post("/people", {"last_name": "Spion", "company_id": company_id})
    assert_invalid(response, "company_id")
    assert "Müller" not in response.content.decode()
    assert row_counts() == before


def test_it_names_an_unknown_company_with_the_code_does_not_exist(api_as, owner):
    response = api_as(owner).post("/people", {"last_name": "Neu", "company_id": 999_999})
    errors = assert_invalid(response, "company_id")
    assert [error["code"] for error in errors] == ["does_not_exist"]
