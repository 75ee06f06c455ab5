"""Who sees which companies and people (ARCHITECTURE.md § Access): territories, teams, roles."""

import pytest

from innendienst.accounts.models import Role
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts.selectors import companies_for, people_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_shows_an_inside_rep_his_teams_territories(owner, teammate, outsider, company):
    assert list(companies_for(owner)) == [company]
    assert list(companies_for(teammate)) == [company]
    assert list(companies_for(outsider)) == []


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
    assert visible == {company, north}
    assert elsewhere not in visible


def test_it_sets_no_condition_for_a_manager_who_sees_every_territory(territories, company):
    manager = factories.UserFactory(role=Role.SALES_MANAGER, territories=[territories["DE"]])
    assert visible_territory_ids(manager) is None
    assert "WHERE" not in str(companies_for(manager).query)
    # A territory outside his makes him one who sees a part again.
    elsewhere = factories.TerritoryFactory(code="AT", name="Österreich", country="AT")
    manager = type(manager).objects.get(pk=manager.pk)  # a new request
    assert visible_territory_ids(manager) == {t.pk for t in territories.values()}
    assert elsewhere.pk not in visible_territory_ids(manager)


def test_it_shows_an_administrator_everything(admin_user, company, territories):
    other = factories.CompanyFactory(territory=territories["NORD"])
    assert visible_territory_ids(admin_user) is None
    assert set(companies_for(admin_user)) == {company, other}


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
    assert set(people_for(inside)) == {granted, withdrawn, silent}
