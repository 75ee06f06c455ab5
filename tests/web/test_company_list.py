"""/companies/: the company list with its filter bar, as a page and as an htmx fragment."""

import pytest
from django.urls import reverse

from tests import factories, volume

pytestmark = pytest.mark.django_db

# Session, user, visible territories, the filter choices (territories, customer groups,
# colleagues), the count and the page of rows with territory, rep and customer group joined.
COMPANY_LIST_QUERIES = 8


def names_on(response) -> list[str]:
    return [company.name for company in response.context["page"].object_list]


def test_it_answers_htmx_with_the_results_fragment_and_a_reload_with_the_page(
    client, owner, company
):
    client.force_login(owner)
    response = client.get(
        reverse("company_list"),
        {"q": "mueller"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="company-results",
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Müller Maschinenbau GmbH &amp; Co. KG" in page
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("company_list"), {"q": "mueller"}).content.decode()
    assert "<html" in full
    assert "Müller Maschinenbau GmbH &amp; Co. KG" in full


def test_it_filters_and_sorts_with_the_same_parameters_as_the_api(
    client, owner, company, territories
):
    prospect = factories.CompanyFactory(
        name="Alpha Antriebe GmbH", territory=territories["BY"], status="prospect"
    )
    client.force_login(owner)
    url = reverse("company_list")
    assert names_on(client.get(url, {"status": "prospect"})) == [prospect.name]
    assert names_on(client.get(url, {"responsible_id": owner.pk})) == [company.name]
    assert names_on(client.get(url, {"sort": "-name"})) == [company.name, prospect.name]
    assert names_on(client.get(url, {"territory_id": territories["BY"].pk})) == [
        prospect.name,
        company.name,
    ]


def test_it_ignores_unknown_parameters_and_shows_the_last_page_for_one_beyond(
    client, owner, company, territories
):
    factories.CompanyFactory(name="Schmidt Logistik GmbH", territory=territories["BY"])
    client.force_login(owner)
    response = client.get(
        reverse("company_list"), {"q": "mueller", "territory": "abc", "page": "999", "rep": "-1"}
    )
    assert response.status_code == 200
    assert names_on(response) == ["Müller Maschinenbau GmbH & Co. KG"]
    assert response.context["page"].number == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"territory_id": "abc"}, "territory_id"),
        ({"status": "foo"}, "status"),
        ({"sort": "phone"}, "sort"),
    ],
)
def test_it_shows_an_invalid_filter_at_the_field_and_no_rows(client, owner, company, params, field):
    client.force_login(owner)
    response = client.get(reverse("company_list"), params)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert names_on(response) == []
    if field != "sort":  # the sort order is a hidden field of the table headers
        assert f'id="id_{field}_error"' in response.content.decode()


def test_it_refuses_a_territory_the_user_does_not_see_as_a_filter(
    client, owner, company, territories, north_company
):
    client.force_login(owner)
    response = client.get(reverse("company_list"), {"territory_id": territories["NORD"].pk})
    assert "territory_id" in response.context["form"].errors
    assert 'id="id_territory_id_error"' in response.content.decode()
    assert names_on(response) == []
    assert "Nordlicht" not in response.content.decode()


def test_it_keeps_the_company_out_of_an_outsiders_list(client, owner, outsider, company):
    for user, visible in ((owner, True), (outsider, False)):
        client.force_login(user)
        for params in ({"q": "mueller"}, {}):
            page = client.get(reverse("company_list"), params).content.decode()
            assert ("Müller Maschinenbau" in page) is visible, (user, params)


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_the_same_number_of_queries_for_any_number_of_rows(
    client, owner, territories, rows, django_assert_num_queries
):
    volume.customer_base(territories["BY"], owner, rows)
    client.force_login(owner)
    client.get(reverse("company_list"))
    with django_assert_num_queries(COMPANY_LIST_QUERIES):
        response = client.get(reverse("company_list"))
    assert len(names_on(response)) == rows
    with django_assert_num_queries(COMPANY_LIST_QUERIES):
        response = client.get(reverse("company_list"), {"q": "maschinenbau"})
    assert len(names_on(response)) == rows
