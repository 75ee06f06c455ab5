"""/api/v1/leads: capture (idempotent by capture id), list, read and move leads."""

from __future__ import annotations

import uuid

import pytest

from innendienst.accounts.models import Role
from innendienst.leads.models import Lead, LeadCapacity, LeadStage
from tests import factories
from tests.api.helpers import assert_invalid, ids_of, problem_of

pytestmark = pytest.mark.django_db


def lead_body(company, **values):
    return {"company_id": company.pk, "source": "web_form", "need": "Angebot Pumpen", **values}


def test_it_captures_a_lead_once_per_capture_id(api_as, owner, company, person):
    api = api_as(owner)
    body = lead_body(company, person_id=person.pk, capture_id=str(uuid.uuid4()))
    first = api.post("/leads", body)
    assert first.status_code == 201, first.content
    again = api.post("/leads", body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    lead = Lead.objects.get()
    assert (lead.owner, lead.person, lead.sla_kind) == (owner, person, "first_contact")
    assert first["ETag"] == '"1"'


def test_it_answers_bad_leads_with_the_field(api_as, owner, company, north_company):
    api = api_as(owner)
    assert_invalid(api.post("/leads", lead_body(north_company)), "company_id")
    assert_invalid(api.post("/leads", lead_body(company, source="fax")), "source")
    assert_invalid(api.post("/leads", lead_body(company, source="trade_fair")), "source_name")
    assert_invalid(api.post("/leads", lead_body(company, stage="accepted")), "stage")
    assert_invalid(api.post("/leads", lead_body(company, budget="-1")), "budget")
    assert not Lead.objects.exists()


def test_it_lists_and_reads_only_the_leads_the_caller_sees(
    api_as, owner, outsider, company, north_company
):
    mine = api_as(owner).post("/leads", lead_body(company)).json()["id"]
    theirs = api_as(outsider).post("/leads", lead_body(north_company)).json()["id"]
    assert ids_of(api_as(owner).get("/leads")) == [mine]
    assert ids_of(api_as(owner).get("/leads", {"mine": "yes"})) == [mine]
    assert problem_of(api_as(owner).get(f"/leads/{theirs}"), 404)["type"] == "not-found"
    assert_invalid(api_as(owner).get("/leads", {"temperature": "lukewarm"}), "temperature")


def test_it_moves_a_lead_and_refuses_what_the_stages_do_not_allow(
    api_as, owner, company, territories
):
    field_rep = factories.UserFactory(role=Role.FIELD_SALES, territories=[territories["BY"]])
    lead_id = api_as(owner).post("/leads", lead_body(company)).json()["id"]
    assert_invalid(api_as(owner).post(f"/leads/{lead_id}/stage", {"stage": "converted"}), "stage")
    assert_invalid(api_as(owner).post(f"/leads/{lead_id}/stage", {"stage": "sql"}), "owner")
    moved = api_as(owner).post(
        f"/leads/{lead_id}/stage", {"stage": "sql", "owner_id": field_rep.pk}
    )
    assert moved.status_code == 200, moved.content
    assert (moved.json()["stage"], moved.json()["owner_id"]) == ("sql", field_rep.pk)
    assert moved.json()["sla_kind"] == "acceptance"
    # The inside rep may not answer the handover in the field rep's place.
    refused = api_as(owner).post(f"/leads/{lead_id}/stage", {"stage": "accepted"})
    assert problem_of(refused, 403)
    assert_invalid(
        api_as(field_rep).post(f"/leads/{lead_id}/stage", {"stage": "recycled"}), "reason"
    )
    rejected = api_as(field_rep).post(
        f"/leads/{lead_id}/stage", {"stage": "recycled", "reason": "no_budget"}
    )
    assert rejected.json()["stage"] == LeadStage.RECYCLED
    assert rejected.json()["owner_id"] == owner.pk
    stale = api_as(owner).client.post(
        f"/api/v1/leads/{lead_id}/stage",
        '{"stage": "mql"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=api_as(owner).headers["HTTP_AUTHORIZATION"],
        HTTP_IF_MATCH='"1"',
    )
    assert problem_of(stale, 412)


def test_it_gives_a_lead_to_another_rep_unless_he_is_full(api_as, owner, teammate, company):
    api = api_as(owner)
    lead_id = api.post("/leads", lead_body(company)).json()["id"]
    LeadCapacity.objects.create(user=teammate, per_month=0)
    assert_invalid(api.post(f"/leads/{lead_id}/owner", {"owner_id": teammate.pk}), "owner_id")
    LeadCapacity.objects.filter(user=teammate).update(per_month=5)
    moved = api.post(f"/leads/{lead_id}/owner", {"owner_id": teammate.pk, "note": "Urlaub"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["owner_id"] == teammate.pk
    assert moved.json()["assignment_reason"].endswith("Urlaub")
