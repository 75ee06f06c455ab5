"""A rep's company list by postcode, merged from one range per territory
(``contacts.selectors.company_page``): the same rows in the same order as one query gives."""

import itertools

import pytest

from innendienst.accounts.models import Role
from innendienst.contacts.filters import COMPANY_SORTS
from innendienst.contacts.selectors import companies_for, company_filter, company_page
from innendienst.core.paging import MergedPaginator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep(territories):
    rep = factories.UserFactory(
        role=Role.INSIDE_SALES, territories=[territories["BY"], territories["NORD"]]
    )
    elsewhere = factories.TerritoryFactory(code="AT", name="Österreich", country="AT")
    postcodes = itertools.cycle(["80331", "20095", "80331", "10115", "93047", "01067"])
    statuses = itertools.cycle(["customer", "prospect", "customer"])
    for number in range(64):
        factories.CompanyFactory(
            name=f"Firma {number % 7}",
            postcode=next(postcodes),
            status=next(statuses),
            territory=territories["BY"] if number % 3 else territories["NORD"],
        )
    # His own accounts outside his territories, and companies he may not see.
    for number in range(3):
        factories.CompanyFactory(
            name=f"Kunde AT {number}", postcode="1010", territory=elsewhere, field_rep=rep
        )
        factories.CompanyFactory(name=f"Fremd {number}", postcode="1010", territory=elsewhere)
    return rep


@pytest.mark.parametrize("sort", ["postcode", "-postcode"])
@pytest.mark.parametrize("status", ["", "customer"])
def test_it_pages_as_one_query_would(rep, sort, status):
    params = {"sort": sort, **({"status": status} if status else {})}
    expected = companies_for(rep).order_by(*COMPANY_SORTS[sort])
    if status:
        expected = expected.filter(status=status)
    expected_ids = list(expected.values_list("pk", flat=True))
    first = company_page(company_filter(rep, params), 1)
    assert isinstance(first.paginator, MergedPaginator)
    shown = [company.pk for company in first.object_list]
    if first.has_next():
        shown += [company.pk for company in company_page(company_filter(rep, params), 2)]
    assert shown == expected_ids
    assert first.paginator.count == len(expected_ids)


def test_it_merges_only_the_territory_sorts_of_a_rep_with_a_territory_scope(rep, admin_user):
    page = company_page(company_filter(admin_user, {"sort": "postcode"}), 1)
    assert not isinstance(page.paginator, MergedPaginator)
    page = company_page(company_filter(rep, {"sort": "city"}), 1)
    assert not isinstance(page.paginator, MergedPaginator)
