"""Roles and territories decide who sees what, on every page (ARCHITECTURE.md § Access).

owner: responsible inside rep; teammate: same team, sees the team's territories;
outsider: another team and territory, must see nothing of the company.
"""

import pytest
from django.urls import reverse

from innendienst.accounts.models import Role
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.activities.models import ActivityType
from innendienst.contacts.selectors import companies_for, people_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(company, person, owner):
    call = factories.ActivityFactory(company=company, person=person, created_by=owner)
    task = factories.ActivityFactory(
        company=company,
        kind=ActivityType.TASK,
        outcome="",
        occurred_at=None,
        due_at=call.occurred_at,
        done=False,
        assigned_to=owner,
    )
    address = company.addresses.create(
        kind="delivery", street="Lagerweg 1", postcode="85748", city="Garching", country="DE"
    )
    return {"call": call, "task": task, "address": address}


def _record_pages(company, person, records):
    return [
        ("GET", reverse("company_detail", args=[company.pk])),
        ("GET", reverse("company_edit", args=[company.pk])),
        ("GET", reverse("address_create", args=[company.pk])),
        ("GET", reverse("person_create", args=[company.pk])),
        ("GET", reverse("activity_create", args=[company.pk])),
        ("GET", reverse("person_detail", args=[person.pk])),
        ("GET", reverse("person_edit", args=[person.pk])),
        ("GET", reverse("person_consent", args=[person.pk])),
        ("GET", reverse("activity_edit", args=[records["call"].pk])),
        ("POST", reverse("activity_complete", args=[records["task"].pk])),
        ("POST", reverse("company_verify", args=[company.pk])),
        ("POST", reverse("person_verify", args=[person.pk])),
        ("POST", reverse("address_delete", args=[company.pk, records["address"].pk])),
    ]


@pytest.mark.parametrize("user_fixture", ["owner", "teammate"])
def test_it_shows_every_page_of_the_company_to_owner_and_teammate(
    request, client, company, person, records, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    for method, url in _record_pages(company, person, records):
        if method == "GET":
            assert client.get(url).status_code == 200, url
        else:
            response = client.post(url, {})
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith(("/companies/", "/people/", "/my-day/"))


def test_it_hides_every_page_of_the_company_from_an_outsider(
    client, outsider, company, person, records
):
    client.force_login(outsider)
    for method, url in _record_pages(company, person, records):
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == 404, (method, url, response.status_code)
    records["task"].refresh_from_db()
    assert not records["task"].done
    assert company.addresses.count() == 1


def test_it_keeps_the_company_out_of_an_outsiders_lists_searches_and_exports(
    client, outsider, owner, company, person
):
    for user, visible in ((owner, True), (outsider, False)):
        client.force_login(user)
        for url in (
            reverse("company_list") + "?q=mueller",
            reverse("company_list"),
            reverse("search") + "?q=mueller",
            reverse("company_export"),
        ):
            body = b"".join(client.get(url).streaming_content) if url.endswith(".csv") else None
            if body is None:
                body = client.get(url).content
            assert ("Müller Maschinenbau" in body.decode("utf-8-sig")) is visible, (user, url)
        body = client.get(reverse("person_list") + "?q=berger").content.decode()
        assert ("Berger" in body) is visible


def test_it_redirects_anonymous_users_to_the_login(client, company):
    for url in (
        reverse("my_day"),
        reverse("company_list"),
        reverse("company_detail", args=[company.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_shows_a_field_rep_his_own_territory_only(territories, company):
    field_rep = factories.UserFactory(role=Role.FIELD_SALES, territories=[territories["BY"]])
    north = factories.CompanyFactory(territory=territories["NORD"])
    visible = set(companies_for(field_rep))
    assert company in visible
    assert north not in visible


def test_it_shows_a_manager_everything_below_his_territory(territories, company):
    manager = factories.UserFactory(role=Role.SALES_MANAGER, territories=[territories["DE"]])
    north = factories.CompanyFactory(territory=territories["NORD"])
    elsewhere = factories.CompanyFactory(
        territory=factories.TerritoryFactory(code="AT", name="Österreich", country="AT")
    )
    visible = set(companies_for(manager))
    assert {company, north} <= visible
    assert elsewhere not in visible


def test_it_shows_an_administrator_everything(admin_user, company, territories):
    other = factories.CompanyFactory(territory=territories["NORD"])
    assert visible_territory_ids(admin_user) is None
    assert {company, other} <= set(companies_for(admin_user))


def test_it_shows_a_key_account_manager_his_accounts_outside_his_territories(territories):
    kam = factories.UserFactory(role=Role.KEY_ACCOUNT)
    key_account = factories.CompanyFactory(territory=territories["NORD"], key_account_manager=kam)
    other = factories.CompanyFactory(territory=territories["NORD"])
    assert list(companies_for(kam)) == [key_account]
    assert other not in companies_for(kam)


def test_it_shows_marketing_only_people_whose_consent_allows_it(territories, company):
    marketing = factories.UserFactory(role=Role.MARKETING, territories=[territories["DE"]])
    granted = factories.PersonFactory(company=company, last_name="Erlaubt")
    factories.ConsentFactory(person=granted)
    withdrawn = factories.PersonFactory(company=company, last_name="Widerrufen")
    factories.ConsentFactory(person=withdrawn, recorded_on="2026-01-01")
    factories.ConsentFactory(person=withdrawn, status="withdrawn", recorded_on="2026-02-01")
    silent = factories.PersonFactory(company=company, last_name="Ohne")
    assert set(people_for(marketing)) == {granted}
    inside = factories.UserFactory(role=Role.INSIDE_SALES, territories=[territories["DE"]])
    assert {granted, withdrawn, silent} <= set(people_for(inside))


def test_it_lets_marketing_read_but_not_change_master_data(client, territories, company):
    marketing = factories.UserFactory(role=Role.MARKETING, territories=[territories["DE"]])
    client.force_login(marketing)
    assert client.get(reverse("company_detail", args=[company.pk])).status_code == 200
    assert client.get(reverse("company_edit", args=[company.pk])).status_code == 403
    response = client.post(reverse("company_edit", args=[company.pk]), {"name": "Neu"})
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.name == "Müller Maschinenbau GmbH & Co. KG"


def test_it_lets_only_the_owner_see_and_revoke_his_api_tokens(client, owner, teammate):
    from innendienst.accounts.services import api_token_create

    token, _key = api_token_create(actor=owner, name="Zapier-Sync")
    client.force_login(teammate)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert "Zapier-Sync" not in client.get(reverse("settings")).content.decode()
    token.refresh_from_db()
    assert token.is_active


def test_marketing_logs_activities_but_changes_only_its_own(territories, company, owner):
    from django.core.exceptions import PermissionDenied

    from innendienst.activities.services import activity_complete, activity_log

    marketing = factories.UserFactory(role=Role.MARKETING, territories=[territories["DE"]])
    own, _follow_up = activity_log(
        actor=marketing, company=company, data={"kind": "note", "subject": "Messekontakt"}
    )
    others = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at=own.occurred_at,
        done=False,
        assigned_to=owner,
        created_by=owner,
    )
    with pytest.raises(PermissionDenied):
        activity_complete(actor=marketing, activity=others)
    assert activity_complete(actor=owner, activity=others).done


def test_roles_cannot_be_set_on_people_the_actor_does_not_see(outsider, person, company):
    from django.core.exceptions import PermissionDenied

    from innendienst.contacts.services import buying_center_set_roles

    with pytest.raises(PermissionDenied):
        buying_center_set_roles(actor=outsider, person=person, company=company, roles=["decider"])
