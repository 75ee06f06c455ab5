"""/api/v1/companies/match and /api/v1/people/match: candidates with score and reasons."""

from __future__ import annotations

import pytest

from innendienst.matching import keys
from innendienst.matching.models import RecordKind
from tests import factories
from tests.api.helpers import assert_invalid

pytestmark = pytest.mark.django_db


@pytest.fixture
def mayer(territories):
    company = factories.CompanyFactory(
        name="Mayer Werkzeugbau GmbH & Co. KG",
        legal_form="gmbh_co_kg",
        street="Hauptstraße 5",
        postcode="80331",
        city="München",
        territory=territories["BY"],
    )
    keys.refresh(RecordKind.COMPANY, [company.pk])
    return company


TYPED = {"name": "Maier Werkzeugbau KG", "street": "Hauptstr. 5", "postcode": "80331"}


def test_it_returns_the_candidates_with_score_and_reasons(api_as, owner, mayer):
    response = api_as(owner).post("/companies/match", TYPED)
    assert response.status_code == 200
    [candidate] = response.json()["candidates"]
    assert candidate["id"] == mayer.pk
    assert candidate["strong"] is True
    assert candidate["score"] > 0.9
    levels = {reason["field"]: reason["level"] for reason in candidate["reasons"]}
    assert levels == {"name": "sound", "legal_form": "different", "location": "address"}
    assert response.json()["hidden_strong"] == 0


def test_it_counts_the_matches_the_caller_may_not_see(api_as, outsider, mayer):
    body = api_as(outsider).post("/companies/match", TYPED).json()
    assert body == {"candidates": [], "hidden_strong": 1}


def test_an_empty_name_or_one_of_only_a_legal_form_is_a_field_error(api_as, owner):
    assert_invalid(api_as(owner).post("/companies/match", {"name": ""}), "name")
    assert_invalid(api_as(owner).post("/companies/match", {"name": "GmbH"}), "name")


def test_an_unknown_field_is_an_error(api_as, owner):
    assert_invalid(api_as(owner).post("/companies/match", {"name": "X", "nmae": "Y"}), "nmae")


def test_it_finds_the_person_and_not_her_colleague(api_as, owner, company):
    known = factories.PersonFactory(
        company=company, first_name="Jürgen", last_name="Schmidt", email="js@mueller.de"
    )
    colleague = factories.PersonFactory(company=company, first_name="Anna", last_name="Schmidt")
    keys.refresh(RecordKind.PERSON, [known.pk, colleague.pk])
    body = {"company_id": company.pk, "first_name": "Juergen", "last_name": "Schmid",
            "email": "JS@mueller.de"}  # fmt: skip
    candidates = api_as(owner).post("/people/match", body).json()["candidates"]
    assert [c["id"] for c in candidates if c["strong"]] == [known.pk]
    assert colleague.pk not in [c["id"] for c in candidates]


def test_a_person_without_last_name_is_a_field_error(api_as, owner, company):
    body = {"company_id": company.pk, "last_name": " "}
    assert_invalid(api_as(owner).post("/people/match", body), "last_name")


def test_creating_a_strong_duplicate_asks_for_a_confirmation_and_notes_it(
    api_as, owner, mayer, territories
):
    from innendienst.contacts.models import Company
    from innendienst.core.models import AuditEntry

    body = {**TYPED, "city": "München", "territory_id": territories["BY"].pk}
    errors = assert_invalid(api_as(owner).post("/companies", body), "confirm_duplicate")
    assert f"#{mayer.pk}" in errors[0]["message"]
    assert Company.objects.count() == 1

    response = api_as(owner).post("/companies", {**body, "confirm_duplicate": True})
    assert response.status_code == 201
    note = AuditEntry.objects.get(object_id=response.json()["id"], field="duplicate_check")
    assert f"#{mayer.pk}" in note.new_value


def test_creating_a_person_who_exists_asks_too(api_as, owner, company):
    from innendienst.contacts.models import Person

    known = factories.PersonFactory(
        company=company, first_name="Jürgen", last_name="Schmidt", email="js@mueller.de"
    )
    keys.refresh(RecordKind.PERSON, [known.pk])
    body = {"company_id": company.pk, "first_name": "Juergen", "last_name": "Schmid",
            "email": "JS@mueller.de"}  # fmt: skip
    assert_invalid(api_as(owner).post("/people", body), "confirm_duplicate")
    assert Person.objects.count() == 1
    assert api_as(owner).post("/people", {**body, "confirm_duplicate": True}).status_code == 201
