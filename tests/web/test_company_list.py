"""/companies/: the company list with its filter bar, as a page and as an htmx fragment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories, volume

pytestmark = pytest.mark.django_db

# Session, user (his visible territories come from the cache), the filter choices
# (territories, customer groups, colleagues), the count and the page of rows with territory,
# rep and customer group joined.
COMPANY_LIST_QUERIES = 7
# A search instead of the count and the page: the window of the search (which counts the
# hits too), then the best hits' rows.
COMPANY_SEARCH_QUERIES = COMPANY_LIST_QUERIES


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
    with django_assert_num_queries(COMPANY_SEARCH_QUERIES):
        response = client.get(reverse("company_list"), {"q": "maschinenbau"})
    assert len(names_on(response)) == rows


def test_it_counts_up_to_the_limit_and_ends_the_pages_there(
    client, owner, territories, monkeypatch
):
    monkeypatch.setattr("innendienst.core.paging.LIST_COUNT_LIMIT", 4)
    monkeypatch.setattr("innendienst.contacts.selectors.LIST_PER_PAGE", 2)
    for n in range(7):
        factories.CompanyFactory(name=f"Firma {n}", territory=territories["BY"])
    factories.CompanyFactory(name="Zuckerbäckerei Einzig GmbH", territory=territories["BY"])
    client.force_login(owner)
    first = client.get(reverse("company_list"))
    assert first.context["page"].paginator.is_limited
    assert "mehr als 4\xa0Firmen" in first.content.decode()
    assert "Seite 1 von über 2" in first.content.decode()
    last = client.get(reverse("company_list"), {"page": 2})
    assert names_on(last) == ["Firma 2", "Firma 3"]
    assert not last.context["page"].has_next()
    assert "Für die übrigen Treffer Suche oder Filter eingrenzen." in last.content.decode()
    # Below the limit the count is exact.
    exact = client.get(reverse("company_list"), {"q": "zuckerbaeckerei"})
    assert not exact.context["page"].paginator.is_limited
    assert "1\xa0Firma<" in exact.content.decode()


def test_it_pages_search_hits_in_the_order_of_the_search_box(
    client, owner, territories, monkeypatch
):
    from innendienst.contacts.selectors import company_search

    monkeypatch.setattr("innendienst.contacts.selectors.SEARCH_LIST_LIMIT", 5)
    monkeypatch.setattr("innendienst.contacts.selectors.LIST_PER_PAGE", 2)
    now = timezone.now()
    for n in range(8):
        factories.CompanyFactory(
            name=f"Hydraulik {n} GmbH" if n % 2 else f"Nord Hydraulik {n} GmbH",
            territory=territories["BY"],
            last_contact_at=now - datetime.timedelta(days=n),
        )
    client.force_login(owner)
    pages = [client.get(reverse("company_list"), {"q": "hydraulik", "page": n}) for n in (1, 2, 3)]
    shown = [name for page in pages for name in names_on(page)]
    assert shown == [company.name for company in company_search(owner, "hydraulik", limit=5)]
    # Name starts first, each tier by the most recent contact.
    assert shown == [
        "Hydraulik 1 GmbH",
        "Hydraulik 3 GmbH",
        "Hydraulik 5 GmbH",
        "Hydraulik 7 GmbH",
        "Nord Hydraulik 0 GmbH",
    ]
    assert "mehr als 5\xa0Firmen" in pages[0].content.decode()
    assert not pages[2].context["page"].has_next()


@pytest.mark.parametrize("sort", ["customer_number", "-customer_number"])
def test_it_sorts_companies_without_a_number_last_either_way(client, owner, territories, sort):
    for number in ("K-000002", "", "K-000001"):
        factories.CompanyFactory(
            name=f"Firma {number or 'ohne'}",
            customer_number=number or None,
            territory=territories["BY"],
        )
    client.force_login(owner)
    names = names_on(client.get(reverse("company_list"), {"sort": sort}))
    assert names[-1] == "Firma ohne"
    assert names[0] == ("Firma K-000001" if sort == "customer_number" else "Firma K-000002")


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "prospect"}, {"territory_id": "0"}, {"responsible_id": "abc"}],
)
def test_it_renders_each_filter_as_the_form_widget_would(owner, territories, params):
    from django.test.html import parse_html

    from innendienst.contacts.selectors import company_filter
    from innendienst.core.templatetags.innendienst import filter_select

    form = company_filter(owner, params).form
    form.is_valid()
    for name in ("territory_id", "status", "customer_group_id", "responsible_id"):
        assert parse_html(filter_select(form[name])) == parse_html(str(form[name])), name


def test_it_lists_a_query_of_punctuation_as_no_query(client, owner, company):
    client.force_login(owner)
    for typed in ("@", " -- ", "&"):
        response = client.get(reverse("company_list"), {"q": typed})
        assert names_on(response) == ["Müller Maschinenbau GmbH & Co. KG"], typed
