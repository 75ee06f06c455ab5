"""/search/: the global search of the top bar, a dropdown for htmx and a page without it."""

import pytest
from django.urls import reverse

from innendienst.contacts.models import Company
from innendienst.overview.selectors import GLOBAL_SEARCH_LIMIT
from tests import factories, volume

pytestmark = pytest.mark.django_db

# Session, user (his visible territories come from the cache); for companies and for people the
# window of the search and the rows of the best hits (people with their company joined).
SEARCH_QUERIES = 6


def test_it_finds_companies_and_contacts_in_groups(client, owner, company, person):
    client.force_login(owner)
    response = client.get(reverse("search"), {"q": "berger"})
    groups = {provider.name: hits for provider, hits in response.context["groups"]}
    assert groups == {"people": [person]}
    page = response.content.decode()
    assert reverse("person_detail", args=[person.pk]) in page
    groups = {
        provider.name: hits
        for provider, hits in client.get(reverse("search"), {"q": "mueller"}).context["groups"]
    }
    assert groups == {"companies": [company]}


def test_it_answers_htmx_with_the_hits_only(client, owner, company):
    client.force_login(owner)
    response = client.get(
        reverse("search"), {"q": "mueller"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-hits"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Müller Maschinenbau GmbH &amp; Co. KG" in page


def test_it_says_when_nothing_is_found(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("search"), {"q": "Schraubenwerk"})
    assert response.context["groups"] == []
    assert "Schraubenwerk" in response.content.decode()


def test_it_refuses_a_query_longer_than_the_limit_with_a_message(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("search"), {"q": "mueller" + "x" * 200})
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "q" in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()


def test_it_keeps_the_company_out_of_an_outsiders_search(client, owner, outsider, company, person):
    for user, visible in ((owner, True), (outsider, False)):
        client.force_login(user)
        for query, name in (("mueller", "Müller Maschinenbau"), ("berger", "Berger")):
            page = client.get(reverse("search"), {"q": query}).content.decode()
            assert (name in page) is visible, (user, query)


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_the_same_number_of_queries_for_any_number_of_hits(
    client, owner, territories, rows, django_assert_num_queries
):
    volume.customer_base(territories["BY"], owner, rows, name="Hydraulik")
    for company in Company.objects.all():
        factories.PersonFactory(company=company, last_name="Hydraulikfreund")
    client.force_login(owner)
    client.get(reverse("search"), {"q": "hydraulik"})
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("search"), {"q": "hydraulik"})
    hits = {provider.name: len(hits) for provider, hits in response.context["groups"]}
    shown = min(rows, GLOBAL_SEARCH_LIMIT)
    assert hits == {"companies": shown, "people": shown}
