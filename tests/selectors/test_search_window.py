"""contacts.search.best_ids: the best hits without ranking every hit.

Checked on the demo set of 2,000 companies, where "mueller" or "technik" has hundreds of hits
in every tier: a window that holds every row gives exactly the ranking of all hits; a smaller
window gives the name-prefix tiers exactly and the rest ranked among the window's rows.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innendienst.accounts.models import User
from innendienst.contacts import search
from innendienst.contacts.search import COMPANY_RELEVANCE, PERSON_RELEVANCE
from innendienst.contacts.selectors import companies_for, people_for

pytestmark = pytest.mark.django_db

COMPANY_QUERIES = ["mueller", "muel", "mueller masch", "technik", "zuerich", "80331", "meier", "x"]
PEOPLE_QUERIES = ["mueller", "anna", "schmid", "thomas mueller", "hub", "qqq"]
WINDOWS = [1, 7, 60, 100_000]


def ranked_in_full(queryset, query, relevance, limit):
    hits = queryset.filter(search.search_condition(query))
    return list(search.ranked(hits, query, *relevance.order).values_list("pk", flat=True)[:limit])


@pytest.fixture
def demo():
    call_command("demo", "--size", "small", stdout=io.StringIO())


# Marketing sees only the people whose consent allows it (a condition over another table).
@pytest.mark.parametrize("username", ["innendienst", "leitung", "marketing"])
def test_it_ranks_as_ranking_every_hit_would_with_exact_name_prefix_tiers(demo, username):
    user = User.objects.get(username=username)
    for queryset, queries, relevance in (
        (companies_for(user), COMPANY_QUERIES, COMPANY_RELEVANCE),
        (people_for(user), PEOPLE_QUERIES, PERSON_RELEVANCE),
        # A condition over a joined table: the rows are searched by their ids.
        (
            companies_for(user).filter(territory__path__startswith="/"),
            COMPANY_QUERIES[:3],
            COMPANY_RELEVANCE,
        ),
    ):
        for query in queries:
            tier_of = dict(
                search.ranked(queryset.filter(search.search_condition(query)), query).values_list(
                    "pk", "search_rank"
                )
            )
            for limit in (1, 10, 60):
                expected = ranked_in_full(queryset, query, relevance, limit)
                assert search.best_ids(queryset, query, relevance, 100_000, limit) == expected
                prefix_hits = [pk for pk in expected if tier_of[pk] <= 1]
                for window in WINDOWS:
                    found = search.best_ids(queryset, query, relevance, window, limit)
                    case = (query, window, limit)
                    assert len(found) == len(expected) == len(set(found)), case
                    assert found[: len(prefix_hits)] == prefix_hits, case
                    tiers = [tier_of[pk] for pk in found]
                    assert tiers == sorted(tiers), case


def test_it_reads_only_the_window_when_the_window_holds_enough_hits(demo):
    companies = companies_for(User.objects.get(username="leitung"))
    with CaptureQueriesContext(connection) as window_only:
        search.best_ids(companies, "mueller", COMPANY_RELEVANCE, 500, 10)
    assert len(window_only) == 1
    with CaptureQueriesContext(connection) as all_rows:
        search.best_ids(companies, "80331", COMPANY_RELEVANCE, 100_000, 10)
    assert len(all_rows) == 1, "a window that held every row has every hit"
    with CaptureQueriesContext(connection) as rare:
        search.best_ids(companies, "80331", COMPANY_RELEVANCE, 5, 10)
    # The window, then each name-prefix tier through the prefix index, a wider window, and the
    # rest ranked in full.
    assert len(rare) == 5


def test_it_tries_a_wider_window_before_ranking_every_hit(owner, territories):
    import datetime

    from django.utils import timezone

    from tests import factories

    now = timezone.now()
    for number in range(3):
        factories.CompanyFactory(
            name=f"Beta {number}", territory=territories["BY"], last_contact_at=now
        )
    for number in range(20):
        factories.CompanyFactory(
            name=f"Zeta Alpha {number}",
            territory=territories["BY"],
            last_contact_at=now - datetime.timedelta(days=number + 1),
        )
    companies = companies_for(owner)
    expected = ranked_in_full(companies, "alpha", COMPANY_RELEVANCE, 5)
    with CaptureQueriesContext(connection) as wider:
        found = search.best_ids(companies, "alpha", COMPANY_RELEVANCE, 3, 5)
    assert found == expected
    # The window, the two name-prefix tiers, the wider window: no ranking of every hit.
    assert len(wider) == 4
    with CaptureQueriesContext(connection) as in_full:
        found = search.best_ids(companies, "alpha", COMPANY_RELEVANCE, 1, 15)
    assert found == ranked_in_full(companies, "alpha", COMPANY_RELEVANCE, 15)
    assert len(in_full) == 5


def test_it_ranks_a_literal_hit_above_a_sound_alike(owner, territories):
    from tests import factories

    factories.CompanyFactory(
        name="Bremer Fensterbau GmbH", city="Bremen", territory=territories["BY"]
    )
    brunner = factories.CompanyFactory(
        name="Brunner Getränke GmbH", city="Bremen", territory=territories["BY"]
    )
    ids = search.best_ids(companies_for(owner), "brunner bremen", COMPANY_RELEVANCE, 100, 2)
    # "Bremer" sounds like "Brunner" (Kölner Phonetik 1767), but Brunner is what was typed.
    assert ids[0] == brunner.pk


def test_it_finds_a_name_typed_first_name_first(owner, territories):
    from tests import factories

    company = factories.CompanyFactory(name="Maschinenbau Thomas KG", territory=territories["BY"])
    thomas = factories.PersonFactory(company=company, first_name="Thomas", last_name="Müller")
    factories.PersonFactory(company=company, first_name="Anna", last_name="Thomas")
    ids = search.best_ids(people_for(owner), "Thomas Müller", PERSON_RELEVANCE, 100, 1)
    assert ids == [thomas.pk]
    muellers = factories.CompanyFactory(name="Müller Maschinenbau AG", territory=territories["BY"])
    ids = search.best_ids(companies_for(owner), "maschinenbau mueller", COMPANY_RELEVANCE, 100, 1)
    assert ids == [muellers.pk]


def test_it_plans_the_search_for_what_was_typed_and_prepares_the_rest_again():
    """On PostgreSQL a repeated statement is prepared (settings), but a search's plan depends
    on the typed text: a name prefix is a range of the index only in a plan made for it."""
    connection.ensure_connection()
    raw = connection.connection
    before = getattr(raw, "prepare_threshold", None)
    with search.planned_each_time(connection.alias):
        assert getattr(raw, "prepare_threshold", None) is None
    assert getattr(raw, "prepare_threshold", None) == before
    if connection.vendor == "postgresql":
        assert before == 2
