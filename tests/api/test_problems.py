"""Input the API refuses for every endpoint alike: bodies that are not JSON objects, text with
characters no database keeps, numbers beyond 64 bits. Always a problem document, never a 500,
and nothing written."""

from __future__ import annotations

import pytest

from tests.api.helpers import API, assert_invalid, problem_of, row_counts

pytestmark = pytest.mark.django_db


def test_it_answers_400_problem_for_a_body_that_is_not_json(api_as, owner, company):
    api = api_as(owner)
    response = api.client.patch(
        f"{API}/companies/{company.pk}",
        "{name: kaputt",
        content_type="application/json",
        **api.headers,
    )
    assert problem_of(response, 400)["type"] == "bad-request"
    company.refresh_from_db()
    assert company.name == "Müller Maschinenbau GmbH & Co. KG"


@pytest.mark.parametrize("body", [[], "Neuer Name", 5, None])
def test_it_rejects_a_body_that_is_not_an_object_with_422(api_as, owner, company, body):
    before = row_counts()
    errors = assert_invalid(api_as(owner).patch(f"/companies/{company.pk}", body), "__all__")
    assert [error["code"] for error in errors] == ["value_error"]
    assert row_counts() == before


def test_it_answers_415_for_a_body_that_is_not_sent_as_json(api_as, owner, company):
    api = api_as(owner)
    response = api.client.patch(
        f"{API}/companies/{company.pk}",
        '{"name": "Neu"}',
        content_type="text/plain",
        **api.headers,
    )
    assert problem_of(response, 415)["type"] == "unsupported-media-type"
    company.refresh_from_db()
    assert company.name == "Müller Maschinenbau GmbH & Co. KG"


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/companies", {"name": "Müller\x00 GmbH"}, "name"),
        ("/people", {"last_name": "Ber\x00ger"}, "last_name"),
        ("/activities", {"subject": "An\x00ruf"}, "subject"),
        ("/companies", {"name": "M\ud800ller GmbH"}, "name"),
        ("/people", {"last_name": "Ber\udfffger"}, "last_name"),
    ],
)
def test_it_rejects_nul_characters_and_lone_surrogates_in_text(
    api_as, owner, company, territories, path, data, field
):
    base = {
        "/companies": {"territory_id": territories["BY"].pk, "name": "X"},
        "/people": {"company_id": company.pk, "last_name": "X"},
        "/activities": {"company_id": company.pk, "kind": "note", "subject": "X"},
    }[path]
    before = row_counts()
    assert_invalid(api_as(owner).post(path, {**base, **data}), field)
    assert row_counts() == before


@pytest.mark.parametrize("page", [2**62, 10**20])
def test_it_rejects_a_page_number_beyond_the_limit_at_the_field(api_as, owner, company, page):
    errors = assert_invalid(api_as(owner).get("/companies", {"page": page}), "page")
    assert [error["code"] for error in errors] == ["less_than_equal"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/companies", "territory_id"),
        ("/companies", "customer_group_id"),
        ("/companies", "responsible_id"),
        ("/people", "company_id"),
        ("/activities", "company_id"),
        ("/activities", "person_id"),
    ],
)
def test_it_rejects_an_id_filter_beyond_64_bits_at_the_field(api_as, owner, company, path, field):
    errors = assert_invalid(api_as(owner).get(path, {field: 10**20}), field)
    assert [error["code"] for error in errors] == ["less_than_equal"]


@pytest.mark.parametrize(
    "path", ["/companies/{}", "/people/{}", "/activities/{}", "/activities/{}/done"]
)
def test_it_answers_a_huge_id_in_the_path_with_404(api_as, admin_user, path):
    response = api_as(admin_user).send(
        "POST" if path.endswith("done") else "GET", path.format(10**20)
    )
    assert problem_of(response, 404)["type"] == "not-found"
