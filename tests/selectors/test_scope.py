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


def _scope_of(person):
    return (
        type(person)
        .objects.values_list(
            "territory_id", "inside_rep_id", "field_rep_id", "key_account_manager_id"
        )
        .get(pk=person.pk)
    )


def test_it_gives_a_new_person_the_scope_of_his_company(territories, owner):
    company = factories.CompanyFactory(territory=territories["NORD"], inside_rep=owner)
    person = factories.PersonFactory(company=company)
    assert _scope_of(person) == (territories["NORD"].pk, owner.pk, None, None)


def test_it_moves_the_people_with_their_company_on_every_write_path(territories, owner):
    kam = factories.UserFactory(role=Role.KEY_ACCOUNT)
    company = factories.CompanyFactory(territory=territories["BY"])
    person = factories.PersonFactory(company=company)
    company.territory = territories["NORD"]
    company.save()
    assert _scope_of(person)[0] == territories["NORD"].pk
    # A bulk update, as an import or a reassignment of accounts writes.
    type(company).objects.filter(pk=company.pk).update(key_account_manager=kam, field_rep=owner)
    assert _scope_of(person) == (territories["NORD"].pk, None, owner.pk, kam.pk)
    # The person's own stale values never win over the company's.
    person.refresh_from_db()
    person.territory_id = territories["BY"].pk
    person.save()
    assert _scope_of(person)[0] == territories["NORD"].pk


def test_it_gives_a_person_moved_to_another_company_that_companys_scope(territories, owner):
    person = factories.PersonFactory(company=factories.CompanyFactory(territory=territories["BY"]))
    elsewhere = factories.CompanyFactory(territory=territories["NORD"], inside_rep=owner)
    type(person).objects.filter(pk=person.pk).update(company=elsewhere)
    assert _scope_of(person) == (territories["NORD"].pk, owner.pk, None, None)


def test_it_shows_the_people_of_a_company_that_left_the_reps_territories(territories):
    rep = factories.UserFactory(role=Role.INSIDE_SALES, territories=[territories["BY"]])
    company = factories.CompanyFactory(territory=territories["BY"])
    person = factories.PersonFactory(company=company)
    assert list(people_for(rep)) == [person]
    company.territory = territories["NORD"]
    company.save()
    assert list(people_for(rep)) == []
    # … and again once he is made responsible for it.
    company.inside_rep = rep
    company.save()
    assert list(people_for(rep)) == [person]


def _next_request(user):
    return type(user).objects.get(pk=user.pk)


def test_it_reads_the_scope_of_a_later_request_from_the_cache(owner, django_assert_num_queries):
    expected = visible_territory_ids(owner)
    user = _next_request(owner)
    with django_assert_num_queries(0):
        assert visible_territory_ids(user) == expected


def test_it_forgets_the_cached_scopes_when_assignments_change(territories, owner):
    rep = factories.UserFactory(role=Role.INSIDE_SALES, territories=[territories["NORD"]])
    assert visible_territory_ids(rep) == {territories["NORD"].pk}
    rep = _next_request(rep)
    rep.territories.add(territories["BY"])
    assert visible_territory_ids(_next_request(rep)) == {
        territories["NORD"].pk,
        territories["BY"].pk,
    }
    # His team's territories, and a move to another team.
    team = factories.TeamFactory(territories=[])
    rep.team = team
    rep.save()
    rep.territories.clear()
    assert visible_territory_ids(_next_request(rep)) == set()
    team.territories.add(territories["BY"])
    assert visible_territory_ids(_next_request(rep)) == {territories["BY"].pk}
    # A new territory below his.
    below = factories.TerritoryFactory(code="BY-S", name="Südbayern", parent=territories["BY"])
    assert visible_territory_ids(_next_request(rep)) == {territories["BY"].pk, below.pk}


def test_it_keeps_the_cached_scopes_when_someone_logs_in(
    owner, client, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from innendienst.accounts.selectors import SCOPE_VERSION_KEY

    visible_territory_ids(owner)
    version = cache.get(SCOPE_VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(owner)
    assert cache.get(SCOPE_VERSION_KEY) == version
