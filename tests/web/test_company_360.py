"""/companies/<id>/: the 360° page, composed of the panels the apps register, and each panel
alone at /companies/<id>/panels/<name>/."""

import pytest
from django.urls import reverse

from tests import factories, volume

pytestmark = pytest.mark.django_db

# Session, user, the company; then the panels: contacts, roles, orders (revenue, counts, open
# items, recent orders), timeline, open tasks, verified values, addresses, external keys, the
# field notes of the test settings' plugin app (tests/plugin_app), history, the qualification
# (checklist, people, the company's and its people's confirmed channels, roles, last order,
# last re-qualification), the open leads, the offers. The user's visible territories come from
# the cache after his first request; the activity form comes when its dialog opens.
COMPANY_360_QUERIES = 25


def test_it_warns_when_no_decider_is_known(client, owner, company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    client.force_login(owner)
    response = client.get(reverse("company_detail", args=[company.pk]))
    assert response.context["buying_center"].decider_missing
    assert 'class="alert warn"' in response.content.decode()


def test_it_shows_no_warning_once_a_decider_is_known(client, owner, company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="decider")
    client.force_login(owner)
    response = client.get(reverse("company_detail", args=[company.pk]))
    assert not response.context["buying_center"].decider_missing
    assert 'class="alert warn"' not in response.content.decode()


def test_it_shows_the_panels_of_every_app(client, owner, records):
    client.force_login(owner)
    page = client.get(reverse("company_detail", args=[records["company"].pk])).content.decode()
    for shown in (
        "Anna Berger",  # contacts and buying center
        "Bedarf Hydraulik",  # timeline
        "Angebot nachfassen",  # open tasks
        "Lagerweg 1",  # addresses
        'id="h-history"',  # history
        "100042",  # external keys
    ):
        assert shown in page, shown


def test_it_serves_one_panel_alone_for_htmx(client, owner, records):
    client.force_login(owner)
    url = reverse("company_panel", args=[records["company"].pk, "timeline"])
    page = client.get(url).content.decode()
    assert "<html" not in page
    assert "Bedarf Hydraulik" in page
    assert "Lagerweg 1" not in page


def test_it_answers_404_for_a_panel_that_does_not_exist(client, owner, company):
    client.force_login(owner)
    assert client.get(reverse("company_panel", args=[company.pk, "nope"])).status_code == 404


def test_it_answers_empty_for_a_panel_with_nothing_to_show(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("company_panel", args=[company.pk, "open_tasks"]))
    assert (response.status_code, response.content) == (200, b"")


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_the_same_number_of_queries_for_any_number_of_rows(
    client, owner, company, rows, django_assert_num_queries
):
    volume.busy_company(company, owner, rows)
    client.force_login(owner)
    url = reverse("company_detail", args=[company.pk])
    client.get(url)
    with django_assert_num_queries(COMPANY_360_QUERIES):
        response = client.get(url)
    assert len(response.context["people"]) == rows
    assert len(response.context["open_tasks"]) == rows
