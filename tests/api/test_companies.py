"""/api/v1/companies: list, search, filter, read, create and change companies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from innendienst.contacts.models import Company
from innendienst.core.models import AuditAction
from tests import factories, volume
from tests.api.helpers import (
    assert_invalid,
    audit_changes,
    audit_entries,
    ids_of,
    row_counts,
)

pytestmark = pytest.mark.django_db

# Token, count, page (the visible territories come from the cache).
COMPANY_LIST_QUERIES = 3


# --- list, search, filters, pagination ----------------------------------------------------


def test_it_lists_companies_by_scope(
    api_as, owner, teammate, outsider, admin_user, company, north_company
):
    assert ids_of(api_as(owner).get("/companies")) == [company.pk]
    assert ids_of(api_as(teammate).get("/companies")) == [company.pk]
    assert ids_of(api_as(outsider).get("/companies")) == [north_company.pk]
    response = api_as(admin_user).get("/companies")
    assert ids_of(response) == [company.pk, north_company.pk]
    assert response.json()["count"] == 2


def test_it_returns_the_documented_fields_of_a_company_in_the_list(api_as, owner, company):
    item = api_as(owner).get("/companies").json()["items"][0]
    assert item["name"] == "Müller Maschinenbau GmbH & Co. KG"
    assert item["territory_id"] == company.territory_id
    assert item["inside_rep_id"] == owner.pk
    assert item["phone"] == "+49 89 1234567"
    assert item["version"] == company.version
    assert "search_text" not in item


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mueller", ["Müller Maschinenbau GmbH & Co. KG"]),
        ("MÜLLER maschinenbau", ["Müller Maschinenbau GmbH & Co. KG"]),
        ("Maier", ["Meyer Werkzeugbau GmbH"]),
        ("Augsburg", ["Meyer Werkzeugbau GmbH"]),
        ("86150", ["Meyer Werkzeugbau GmbH"]),
        ("Schraubenwerk", []),
    ],
)
def test_it_searches_companies_tolerant_of_umlauts_and_sound(
    api_as, owner, outsider, company, territories, query, expected
):
    factories.CompanyFactory(
        name="Meyer Werkzeugbau GmbH",
        territory=territories["BY"],
        postcode="86150",
        city="Augsburg",
    )
    factories.CompanyFactory(name="Schulz Elektrotechnik GmbH", territory=territories["BY"])
    factories.CompanyFactory(name="Müller Nord GmbH", territory=territories["NORD"])
    response = api_as(owner).get("/companies", {"q": query})
    assert [item["name"] for item in response.json()["items"]] == expected
    assert response.json()["count"] == len(expected)
    assert company.pk not in ids_of(api_as(outsider).get("/companies", {"q": query}))


def test_it_filters_companies_without_leaving_the_users_scope(
    api_as, owner, admin_user, company, territories, north_company
):
    group = factories.CustomerGroupFactory(code="A", name="A-Kunden")
    prospect = factories.CompanyFactory(
        name="Alpha Antriebe GmbH",
        territory=territories["BY"],
        status="prospect",
        customer_group=group,
        field_rep=admin_user,
    )
    api = api_as(owner)
    assert ids_of(api.get("/companies", {"status": "prospect"})) == [prospect.pk]
    assert ids_of(api.get("/companies", {"status": "customer"})) == [company.pk]
    assert ids_of(api.get("/companies", {"customer_group_id": group.pk})) == [prospect.pk]
    assert ids_of(api.get("/companies", {"responsible_id": owner.pk})) == [company.pk]
    assert ids_of(api.get("/companies", {"responsible_id": admin_user.pk})) == [prospect.pk]
    assert ids_of(api.get("/companies", {"territory_id": territories["BY"].pk})) == [
        prospect.pk,
        company.pk,
    ]
    assert ids_of(api.get("/companies", {"sort": "-name"})) == [company.pk, prospect.pk]
    # A filter narrows the user's scope, it never widens it: a territory the user does not
    # see is not a filter he may use, an error rather than an empty list.
    assert_invalid(api.get("/companies", {"territory_id": territories["NORD"].pk}), "territory_id")
    admin = api_as(admin_user)
    assert ids_of(admin.get("/companies", {"territory_id": territories["NORD"].pk})) == [
        north_company.pk
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "foo"}, "status"),
        ({"territory_id": "abc"}, "territory_id"),
        ({"q": "x" * 201}, "q"),
        ({"sort": "phone"}, "sort"),
        ({"page": 0}, "page"),
        ({"page": "zwei"}, "page"),
        ({"page_size": 0}, "page_size"),
    ],
)
def test_it_rejects_bad_list_parameters_at_the_field(api_as, owner, company, params, field):
    assert_invalid(api_as(owner).get("/companies", params), field)


def test_it_paginates_companies_and_caps_the_page_size(api_as, owner, company, territories):
    Company.objects.bulk_create(
        Company(name=f"Zulieferer {n:03d} GmbH", territory=territories["BY"]) for n in range(205)
    )
    api = api_as(owner)
    first = api.get("/companies").json()
    assert first["count"] == 206
    assert len(first["items"]) == 50
    page = api.get("/companies", {"page": 2, "page_size": 3}).json()
    assert [item["name"] for item in page["items"]] == [
        "Zulieferer 002 GmbH",
        "Zulieferer 003 GmbH",
        "Zulieferer 004 GmbH",
    ]
    assert page["count"] == 206
    last = api.get("/companies", {"page": 69, "page_size": 3}).json()
    assert [item["name"] for item in last["items"]] == [
        "Zulieferer 203 GmbH",
        "Zulieferer 204 GmbH",
    ]
    capped = api.get("/companies", {"page_size": 1000}).json()
    assert len(capped["items"]) == 200
    assert capped["count"] == 206
    beyond = api.get("/companies", {"page": 1000}).json()
    assert beyond["items"] == []
    assert first["count_is_limited"] is False


@pytest.mark.parametrize("path", ["/companies", "/people"])
def test_it_lists_a_query_of_punctuation_as_no_query(api_as, owner, company, person, path):
    everything = api_as(owner).get(path).json()
    assert everything["count"] == 1
    assert api_as(owner).get(path, {"q": "@"}).json() == everything


def test_it_counts_the_list_up_to_the_limit_and_pages_on_beyond(
    api_as, owner, company, territories, monkeypatch
):
    monkeypatch.setattr("innendienst.core.paging.LIST_COUNT_LIMIT", 4)
    Company.objects.bulk_create(
        Company(name=f"Zulieferer {n:03d} GmbH", territory=territories["BY"]) for n in range(9)
    )
    api = api_as(owner)
    first = api.get("/companies", {"page_size": 3}).json()
    assert (first["count"], first["count_is_limited"]) == (4, True)
    # An integration reads on to the end: the count is a lower bound, not the end.
    third = api.get("/companies", {"page": 3, "page_size": 3}).json()
    assert [item["name"] for item in third["items"]] == [
        "Zulieferer 005 GmbH",
        "Zulieferer 006 GmbH",
        "Zulieferer 007 GmbH",
    ]


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_with_the_same_number_of_queries_for_any_number_of_rows(
    api_as, owner, territories, rows, django_assert_num_queries
):
    volume.customer_base(territories["BY"], owner, rows)
    api = api_as(owner)
    api.get("/companies")  # notes when the token was used
    with django_assert_num_queries(COMPANY_LIST_QUERIES):
        response = api.get("/companies", {"page_size": 100})
    assert response.json()["count"] == rows
    assert len(response.json()["items"]) == rows


# --- reading one ------------------------------------------------------------------------


def test_it_sends_the_version_as_etag(api_as, owner, company):
    response = api_as(owner).get(f"/companies/{company.pk}")
    assert response.json()["version"] == company.version
    assert response["ETag"] == f'"{company.version}"'


# --- creating ---------------------------------------------------------------------------


def test_it_creates_a_company_with_normalised_data_and_an_audit_entry(api_as, owner, territories):
    response = api_as(owner).post(
        "/companies",
        {
            "name": "  Huber   Fördertechnik GmbH ",
            "territory_id": territories["BY"].pk,
            "legal_form": "gmbh",
            "street": "Am Hafen 3",
            "postcode": "D-93047",
            "city": "Regensburg",
            "phone": "089 1234567",
            "email": "info@huber-foerdertechnik.de",
            "website": "https://huber-foerdertechnik.de",
            "vat_id": "de 123456788",
            "employees": 120,
            "annual_revenue": "12500000.50",
            "inside_rep_id": owner.pk,
            "customer_number": None,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    company = Company.objects.get(pk=body["id"])
    assert body["name"] == company.name == "Huber Fördertechnik GmbH"
    assert body["phone"] == company.phone == "+49 89 1234567"
    assert body["postcode"] == "93047"
    assert body["vat_id"] == "DE123456788"
    assert body["customer_number"] is None
    assert body["status"] == "prospect"
    assert company.annual_revenue == Decimal("12500000.50")
    assert Decimal(str(body["annual_revenue"])) == Decimal("12500000.50")
    entry = audit_entries(company).get()
    assert (entry.action, entry.actor) == (AuditAction.CREATE, owner)


@pytest.mark.parametrize(
    ("country", "postcode", "vat_id", "phone", "normalised_phone"),
    [
        ("DE", "80331", "DE123456788", "089 1234567", "+49 89 1234567"),
        ("AT", "1010", "ATU13585627", "01 5344 0", "+43 1 53440"),
        ("CH", "8001", "CHE-116.281.710", "044 668 18 00", "+41 44 668 18 00"),
    ],
)
def test_it_accepts_valid_dach_postcodes_vat_ids_and_phones(
    api_as, owner, territories, country, postcode, vat_id, phone, normalised_phone
):
    response = api_as(owner).post(
        "/companies",
        {
            "name": "Grenzland Logistik",
            "territory_id": territories["BY"].pk,
            "country": country,
            "postcode": postcode,
            "vat_id": vat_id,
            "phone": phone,
            "currency": "CHF" if country == "CH" else "EUR",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["vat_id"] == vat_id
    assert response.json()["phone"] == normalised_phone


def test_it_lets_an_outsider_create_a_company_only_in_his_own_territory(
    api_as, outsider, territories
):
    api = api_as(outsider)
    before = row_counts()
    assert_invalid(
        api.post("/companies", {"name": "Fremd GmbH", "territory_id": territories["BY"].pk}),
        "territory_id",
    )
    assert row_counts() == before
    response = api.post(
        "/companies", {"name": "Hanse GmbH", "territory_id": territories["NORD"].pk}
    )
    assert response.status_code == 201
    assert response.json()["territory_id"] == territories["NORD"].pk


def test_it_lets_an_administrator_create_a_company_anywhere(api_as, admin_user, territories):
    response = api_as(admin_user).post(
        "/companies", {"name": "Zentrale AG", "territory_id": territories["DE"].pk}
    )
    assert response.status_code == 201
    assert Company.objects.get(pk=response.json()["id"]).territory == territories["DE"]


# --- changing ---------------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["owner", "teammate", "admin_user"])
def test_it_changes_a_company_and_audits_each_field(request, api_as, company, user_fixture):
    actor = request.getfixturevalue(user_fixture)
    response = api_as(actor).patch(
        f"/companies/{company.pk}",
        {"name": "Müller Maschinenbau GmbH", "phone": "089 7654321", "status": "former"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["phone"], body["status"]) == (
        "Müller Maschinenbau GmbH",
        "+49 89 7654321",
        "former",
    )
    assert body["city"] == "München"  # fields not sent stay as they are
    company.refresh_from_db()
    assert (company.name, company.phone, company.status) == (
        "Müller Maschinenbau GmbH",
        "+49 89 7654321",
        "former",
    )
    assert audit_changes(company) == {
        "name": ("Müller Maschinenbau GmbH & Co. KG", "Müller Maschinenbau GmbH"),
        "phone": ("+49 89 1234567", "+49 89 7654321"),
        "status": ("customer", "former"),
    }
    entries = audit_entries(company).filter(action=AuditAction.UPDATE)
    assert {(entry.actor, entry.actor_name) for entry in entries} == {
        (actor, actor.get_full_name() or actor.username)
    }


def test_it_writes_no_audit_entry_when_nothing_changes(api_as, owner, company):
    response = api_as(owner).patch(
        f"/companies/{company.pk}", {"phone": "089 1234567", "city": "München"}
    )
    assert response.status_code == 200
    assert not audit_entries(company).exists()


def test_it_empties_an_optional_field_with_null(api_as, owner, company):
    response = api_as(owner).patch(
        f"/companies/{company.pk}", {"phone": None, "customer_number": None}
    )
    assert response.status_code == 200, response.content
    company.refresh_from_db()
    assert company.phone == ""
    assert company.customer_number is None
    assert audit_changes(company)["phone"] == ("+49 89 1234567", "")


def test_it_empties_the_vat_id_with_null(api_as, owner, company, territories):
    Company.objects.filter(pk=company.pk).update(vat_id="DE123456788")
    api = api_as(owner)
    response = api.patch(f"/companies/{company.pk}", {"vat_id": None})
    assert response.status_code == 200, response.status_code
    assert Company.objects.get(pk=company.pk).vat_id == ""
    response = api.post(
        "/companies",
        {"name": "Ohne USt GmbH", "territory_id": territories["BY"].pk, "vat_id": None},
    )
    assert response.status_code == 201, response.status_code
    assert response.json()["vat_id"] == ""


def test_it_refuses_to_move_a_company_into_a_territory_the_user_does_not_work_in(
    api_as, owner, admin_user, company, territories
):
    api = api_as(owner)
    before = row_counts()
    assert_invalid(
        api.patch(f"/companies/{company.pk}", {"territory_id": territories["NORD"].pk}),
        "territory_id",
    )
    company.refresh_from_db()
    assert company.territory == territories["BY"]
    assert row_counts() == before
    response = api_as(admin_user).patch(
        f"/companies/{company.pk}", {"territory_id": territories["NORD"].pk}
    )
    assert response.status_code == 200
    assert audit_changes(company)["territory"] == ("Bayern", "Nord")


def test_it_lets_a_rep_change_his_own_account_outside_his_territories(api_as, owner, north_company):
    north_company.key_account_manager = owner
    north_company.save()
    api = api_as(owner)
    assert api.get(f"/companies/{north_company.pk}").status_code == 200
    response = api.patch(f"/companies/{north_company.pk}", {"employees": 80})
    assert response.status_code == 200, response.content
    assert response.json()["employees"] == 80


# --- bad input: 422 at the field, nothing written -----------------------------------------

COMPANY_BAD_INPUT = [
    ({"email": "info(at)mueller.de"}, "email"),
    ({"phone": "12ab"}, "phone"),
    ({"phone": "+49 123"}, "phone"),
    ({"postcode": "1234"}, "postcode"),
    ({"country": "AT", "postcode": "12345"}, "postcode"),
    ({"country": "CH", "postcode": "123"}, "postcode"),
    ({"vat_id": "DE123456789"}, "vat_id"),
    ({"vat_id": "ATU13585626"}, "vat_id"),
    ({"vat_id": "CHE-116.281.711"}, "vat_id"),
    ({"website": "kein link"}, "website"),
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"notes": "x" * 10_001}, "notes"),
    ({"status": "foo"}, "status"),
    ({"legal_form": "ltd"}, "legal_form"),
    ({"country": "XX"}, "country"),
    ({"currency": "USD"}, "currency"),
    ({"territory_id": 999_999}, "territory_id"),
    ({"inside_rep_id": 999_999}, "inside_rep_id"),
    ({"customer_group_id": 999_999}, "customer_group_id"),
    ({"employees": -1}, "employees"),
    ({"employees": "viele"}, "employees"),
    ({"annual_revenue": "-5"}, "annual_revenue"),
    ({"annual_revenue": "1e20"}, "annual_revenue"),
    ({"order_cycle_days": 0}, "order_cycle_days"),
    ({"source_date": "gestern"}, "source_date"),
    ({"source": "bought_list"}, "source_vendor"),
    ({"name": 42}, "name"),
    ({"name": ["Müller"]}, "name"),
    ({"territory_id": "Bayern"}, "territory_id"),
    ({"nmae": "Tippfehler GmbH"}, "nmae"),
]


@pytest.mark.parametrize(("data", "field"), COMPANY_BAD_INPUT)
def test_it_rejects_a_bad_new_company_at_the_field(api_as, owner, territories, data, field):
    before = row_counts()
    body = {"name": "Neue Firma GmbH", "territory_id": territories["BY"].pk, **data}
    assert_invalid(api_as(owner).post("/companies", body), field)
    assert row_counts() == before


@pytest.mark.parametrize("missing", ["name", "territory_id"])
def test_it_requires_name_and_territory_of_a_new_company(api_as, owner, territories, missing):
    body = {"name": "Neue Firma GmbH", "territory_id": territories["BY"].pk}
    del body[missing]
    before = row_counts()
    errors = assert_invalid(api_as(owner).post("/companies", body), missing)
    assert errors[0]["code"] == "missing"
    assert row_counts() == before


@pytest.mark.parametrize(("data", "field"), COMPANY_BAD_INPUT)
def test_it_rejects_a_bad_company_change_at_the_field(api_as, owner, company, data, field):
    before = row_counts()
    assert_invalid(api_as(owner).patch(f"/companies/{company.pk}", data), field)
    assert row_counts() == before
    unchanged = Company.objects.get(pk=company.pk)
    assert (unchanged.name, unchanged.phone, unchanged.postcode, unchanged.territory_id) == (
        company.name,
        company.phone,
        company.postcode,
        company.territory_id,
    )


@pytest.mark.parametrize("field", ["name", "territory_id", "country", "status", "currency"])
def test_it_refuses_to_empty_a_required_company_field(api_as, owner, company, field):
    api = api_as(owner)
    before = row_counts()
    assert_invalid(api.patch(f"/companies/{company.pk}", {field: None}), field)
    assert row_counts() == before
    assert Company.objects.get(pk=company.pk).territory_id == company.territory_id


def test_it_rejects_a_duplicate_customer_number(api_as, owner, company, territories):
    before = row_counts()
    response = api_as(owner).post(
        "/companies",
        {
            "name": "Doppelt GmbH",
            "territory_id": territories["BY"].pk,
            "customer_number": company.customer_number,
        },
    )
    assert_invalid(response, "customer_number")
    assert row_counts() == before


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_it_rejects_a_company_name_of_blanks(api_as, owner, company, territories, method):
    api = api_as(owner)
    if method == "POST":
        response = api.post("/companies", {"name": "   ", "territory_id": territories["BY"].pk})
    else:
        response = api.patch(f"/companies/{company.pk}", {"name": " \t "})
    assert_invalid(response, "name")
    assert not Company.objects.filter(name="").exists()
    assert Company.objects.get(pk=company.pk).name == "Müller Maschinenbau GmbH & Co. KG"
