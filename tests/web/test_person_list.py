"""/people/: the contact list with its search."""

import pytest
from django.urls import reverse

from tests import volume

pytestmark = pytest.mark.django_db

# Session, user (his visible territories come from the cache), the count and the page of rows
# with the company joined.
PERSON_LIST_QUERIES = 4
# A search instead of the count and the page: the window of the search (which counts the
# hits too), then the best hits' rows.
PERSON_SEARCH_QUERIES = PERSON_LIST_QUERIES


def names_on(response) -> list[str]:
    return [person.last_name for person in response.context["page"].object_list]


def test_it_finds_a_contact_by_name_tolerant_of_umlauts(client, owner, company, person):
    client.force_login(owner)
    assert names_on(client.get(reverse("person_list"), {"q": "berger"})) == ["Berger"]
    assert names_on(client.get(reverse("person_list"), {"q": "Bérger"})) == ["Berger"]
    assert names_on(client.get(reverse("person_list"), {"q": "Schmitz"})) == []


def test_it_filters_by_company(client, owner, company, person, territories):
    other = volume.customer_base(territories["BY"], owner, 1)[0]
    client.force_login(owner)
    response = client.get(reverse("person_list"), {"company_id": other.pk})
    assert names_on(response) == ["Kunde00"]


def test_it_shows_an_invalid_filter_at_the_field_and_no_rows(client, owner, person, north_company):
    client.force_login(owner)
    for params, field in (
        ({"q": "x" * 201}, "q"),
        ({"company_id": north_company.pk}, "company_id"),
    ):
        response = client.get(reverse("person_list"), params)
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field]
        assert names_on(response) == []


def test_it_keeps_the_companys_contacts_out_of_an_outsiders_list(client, owner, outsider, person):
    for user, visible in ((owner, True), (outsider, False)):
        client.force_login(user)
        for params in ({"q": "berger"}, {}):
            page = client.get(reverse("person_list"), params).content.decode()
            assert ("Berger" in page) is visible, (user, params)


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_the_same_number_of_queries_for_any_number_of_rows(
    client, owner, territories, rows, django_assert_num_queries
):
    volume.customer_base(territories["BY"], owner, rows)
    client.force_login(owner)
    client.get(reverse("person_list"))
    with django_assert_num_queries(PERSON_LIST_QUERIES):
        response = client.get(reverse("person_list"))
    assert len(names_on(response)) == rows
    with django_assert_num_queries(PERSON_SEARCH_QUERIES):
        response = client.get(reverse("person_list"), {"q": "kunde"})
    assert len(names_on(response)) == rows
