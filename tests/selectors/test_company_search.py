"""contacts.selectors: the company search box and the company list, scoped by the user."""

import pytest
from django.utils import timezone

from innendienst.contacts.models import Company
from innendienst.contacts.selectors import company_list, company_search
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def haystack(territories, owner, company):
    by = territories["BY"]
    return {
        "mueller": company,
        "mueller_metall": factories.CompanyFactory(
            name="Mueller Metallbau GmbH", territory=by, city="Augsburg", postcode="86150"
        ),
        "meyer": factories.CompanyFactory(name="Meyer Elektro GmbH", territory=by, city="Zürich"),
        "schmidt": factories.CompanyFactory(
            name="Schmidt Logistik GmbH", territory=by, customer_number="K-777001", city="Passau"
        ),
        "hidden": factories.CompanyFactory(name="Müller Nord GmbH", territory=territories["NORD"]),
    }


def names(companies):
    return [company.name for company in companies]


def test_it_finds_the_last_contacted_mueller_first_and_nothing_outside_the_scope(owner, haystack):
    Company.objects.filter(pk=haystack["mueller_metall"].pk).update(last_contact_at=timezone.now())
    hits = names(company_search(owner, "mueller"))
    # Both match equally well; the company in contact most recently comes first.
    assert hits == ["Mueller Metallbau GmbH", "Müller Maschinenbau GmbH & Co. KG"]


def test_it_finds_the_same_for_umlauts_typed_either_way(owner, haystack):
    assert set(names(company_search(owner, "Müller"))) == set(
        names(company_search(owner, "MUELLER"))
    )
    assert len(company_search(owner, "Müller")) == 2


def test_it_lets_sound_alikes_find_each_other(owner, haystack):
    assert "Meyer Elektro GmbH" in names(company_search(owner, "Maier"))
    assert "Meyer Elektro GmbH" in names(company_search(owner, "meier"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Augsburg", "Mueller Metallbau GmbH"),
        ("86150", "Mueller Metallbau GmbH"),
        ("K-777001", "Schmidt Logistik GmbH"),
        ("777001", "Schmidt Logistik GmbH"),
        ("muell masch", "Müller Maschinenbau GmbH & Co. KG"),
        ("zuerich", "Meyer Elektro GmbH"),
    ],
)
def test_it_searches_city_postcode_and_customer_number(owner, haystack, query, expected):
    assert names(company_search(owner, query))[0] == expected


def test_it_needs_every_word_to_match(owner, haystack):
    assert names(company_search(owner, "mueller passau")) == []


def test_it_finds_nothing_for_an_empty_query(owner, haystack):
    assert company_search(owner, "  ") == []


def test_it_limits_the_hits_of_the_search_box(owner, haystack):
    assert len(company_search(owner, "gmbh", limit=2)) == 2


def test_it_filters_and_sorts_the_list(owner, haystack):
    haystack["schmidt"].status = "prospect"
    haystack["schmidt"].save()
    prospects = company_list(owner, {"status": "prospect"})
    assert names(prospects) == ["Schmidt Logistik GmbH"]
    by_city_desc = names(company_list(owner, {"sort": "-city"}))
    assert by_city_desc[0] == "Meyer Elektro GmbH"
    mine = company_list(owner, {"responsible_id": owner.pk})
    assert names(mine) == ["Müller Maschinenbau GmbH & Co. KG"]
