"""POST /api/v1/leads/booth (the booth's queue, session or token) and the public
GET /api/v1/leads/web-form/token and POST /api/v1/leads/web-form."""

from __future__ import annotations

import json
import time
import uuid
from unittest import mock

import pytest
from django.core.cache import cache

from innendienst.contacts.models import Company
from innendienst.leads import webform
from innendienst.leads.capture import web_form_actor
from innendienst.leads.models import Lead
from innendienst.privacy.models import Consent
from tests.api.helpers import API, Api, assert_invalid, problem_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def booth_body(**values):
    return {
        "capture_id": str(uuid.uuid4()),
        "source_name": "LogiMAT 2027",
        "company_name": "Neuland Fördertechnik GmbH",
        "company_postcode": "85748",
        "company_city": "Garching",
        "person_first_name": "Kai",
        "person_last_name": "Brandt",
        "person_email": "kai@neuland.de",
        "interests": "Rollenbahnen, Sorter",
        "notes": "Will Angebot bis Ende Mai",
        "consent": True,
        "consent_text": "Einverstanden mit Kontakt per E-Mail.",
        **values,
    }


def test_the_booth_captures_a_typed_company_once_per_capture_id(api_as, owner, territories):
    api = api_as(owner)
    body = booth_body()
    first = api.post("/leads/booth", body)
    assert first.status_code == 201, first.content
    again = api.post("/leads/booth", body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    lead = Lead.objects.get()
    assert (lead.source, lead.source_name, lead.capture_id) == (
        "trade_fair", "LogiMAT 2027", uuid.UUID(body["capture_id"]),
    )  # fmt: skip
    assert Company.objects.filter(name="Neuland Fördertechnik GmbH").count() == 1
    assert lead.company.source == "trade_fair"
    assert Consent.objects.get(person=lead.person).note == "Einverstanden mit Kontakt per E-Mail."


def test_the_booth_answers_bad_input_with_the_field(api_as, owner, territories, north_company):
    api = api_as(owner)
    assert_invalid(
        api.post("/leads/booth", booth_body(company_postcode="8574")), "company_postcode"
    )
    assert_invalid(api.post("/leads/booth", booth_body(source_name="")), "source_name")
    assert_invalid(api.post("/leads/booth", booth_body(company_id=north_company.pk)), "company_id")
    assert_invalid(api.post("/leads/booth", booth_body(capture_id="nope")), "capture_id")
    assert not Lead.objects.exists()


def test_the_booth_refuses_a_capture_queued_by_another_user(api_as, owner, teammate, territories):
    body = booth_body(queued_by=teammate.pk)
    refused = problem_of(api_as(owner).post("/leads/booth", body), 409)
    assert refused["detail"]
    assert not Lead.objects.exists()
    sent = api_as(teammate).post("/leads/booth", body)
    assert sent.status_code == 201, sent.content
    assert Lead.objects.get().created_by == teammate


def test_a_resent_capture_is_found_after_it_left_the_actors_scope(api_as, owner, territories):
    api = api_as(owner)
    body = booth_body()
    first = api.post("/leads/booth", body)
    assert first.status_code == 201, first.content
    Company.objects.filter(pk=first.json()["company_id"]).update(territory=territories["NORD"])
    again = api.post("/leads/booth", body)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert Lead.objects.count() == 1


def test_a_capture_id_of_somebody_else_is_a_field_error(api_as, owner, teammate, territories):
    body = booth_body()
    assert api_as(owner).post("/leads/booth", body).status_code == 201
    assert_invalid(api_as(teammate).post("/leads/booth", body), "capture_id")
    assert Lead.objects.count() == 1


def test_the_web_forms_account_cannot_be_picked_as_owner(api_as, owner, company, territories):
    api = api_as(owner)
    system = web_form_actor()
    body = {"company_id": company.pk, "source": "inbound_call", "owner_id": system.pk}
    assert_invalid(api.post("/leads", body), "owner_id")
    lead = api.post("/leads", {**body, "owner_id": None}).json()
    assert_invalid(api.post(f"/leads/{lead['id']}/owner", {"owner_id": system.pk}), "owner_id")


def test_the_booth_with_a_session_needs_the_csrf_token(client, owner, territories):
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(owner)
    csrf_client.get("/leads/booth/")  # sets the CSRF cookie
    token = csrf_client.cookies["csrftoken"].value
    body = json.dumps(booth_body())
    refused = csrf_client.post(f"{API}/leads/booth", body, content_type="application/json")
    assert problem_of(refused, 403)["type"] == "csrf-failed"
    sent = csrf_client.post(
        f"{API}/leads/booth", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert sent.status_code == 201, sent.content


# --- the public web form ----------------------------------------------------------------------


def web_body(**values):
    return {
        "form_token": webform.form_token(time.time() - 10),
        "company_name": "Neuland Fördertechnik GmbH",
        "company_postcode": "20095",
        "company_city": "Hamburg",
        "person_last_name": "Vogt",
        "person_email": "m.vogt@neuland.de",
        "need": "Bitte um Rückruf",
        "consent": True,
        **values,
    }


def test_the_web_form_endpoint_takes_an_enquiry_without_login(client, territories):
    anonymous = Api(client, None)
    token = anonymous.get("/leads/web-form/token").json()
    assert token["min_seconds"] == webform.min_fill_seconds()
    assert token["consent_text"] == str(webform.CONSENT_WORDING)
    response = anonymous.post("/leads/web-form", web_body())
    assert response.status_code == 201, response.content
    assert response.json() == {"received": True}
    lead = Lead.objects.get()
    assert (lead.source, lead.owner, lead.person.email) == ("web_form", None, "m.vogt@neuland.de")
    # The evidence is our own wording, in the language of the request.
    assert Consent.objects.get(person=lead.person).note == str(webform.CONSENT_WORDING)


def test_the_web_form_endpoint_takes_no_wording_from_the_client(client, territories):
    response = Api(client, None).post(
        "/leads/web-form", web_body(consent_text="Ich erlaube alles, auch Werbung per Fax.")
    )
    assert_invalid(response, "consent_text")
    assert not Lead.objects.exists()


def test_a_web_form_token_is_used_once(client, territories):
    anonymous = Api(client, None)
    body = web_body()
    assert anonymous.post("/leads/web-form", body).status_code == 201
    again = anonymous.post("/leads/web-form", {**body, "person_last_name": "Anders"})
    errors = assert_invalid(again, "form_token")
    # The same answer as for a form left open too long.
    long_ago = time.time() - 2 * webform.MAX_FORM_AGE_SECONDS
    with mock.patch("time.time", return_value=long_ago):
        old = webform.form_token()
    expired = webform.token_error(old)
    assert expired
    assert [error["message"] for error in errors] == [expired]
    assert Lead.objects.count() == 1


def test_a_web_form_refused_by_the_services_may_be_sent_again(client, territories):
    anonymous = Api(client, None)
    body = web_body(company_postcode="2009")  # the contacts services refuse it
    assert_invalid(anonymous.post("/leads/web-form", body), "company_postcode")
    fixed = anonymous.post("/leads/web-form", {**body, "company_postcode": "20095"})
    assert fixed.status_code == 201, fixed.content


def test_a_filled_honeypot_is_answered_like_an_enquiry_and_keeps_nothing(client, territories):
    response = Api(client, None).post("/leads/web-form", web_body(homepage="spam"))
    assert (response.status_code, response.json()) == (201, {"received": True})
    assert not Lead.objects.exists()
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person_email": "keine-adresse"}, "person_email"),
        ({"consent": False}, "consent"),
        ({"need": "<script>alert(1)</script>"}, "need"),
        ({"company_name": "<img src=x onerror=alert(1)>"}, "company_name"),
        ({"form_token": ""}, "form_token"),
        ({"form_token": "forged"}, "form_token"),
        ({"form_token": "fast"}, "form_token"),
        ({"person_last_name": None}, "person_last_name"),
        ({"unknown": "x"}, "unknown"),
        ({"company_postcode": "2009"}, "company_postcode"),
    ],
)
def test_the_web_form_endpoint_refuses_bad_input_at_the_field(client, territories, change, field):
    if change.get("form_token") == "fast":
        change = {"form_token": webform.form_token()}
    body = web_body(**change)
    if body.get("person_last_name") is None:
        del body["person_last_name"]
    assert_invalid(Api(client, None).post("/leads/web-form", body), field)
    assert not Lead.objects.exists()
    assert not Company.objects.exists()


def test_the_web_form_endpoint_refuses_size_type_and_rate(client, territories):
    anonymous = Api(client, None)
    big = anonymous.post("/leads/web-form", web_body(need="x" * 20_000))
    assert problem_of(big, 413)["type"] == "too-large"
    not_json = client.post(f"{API}/leads/web-form", {"company_name": "X"})
    assert problem_of(not_json, 415)["type"] == "unsupported-media-type"
    garbage = client.post(f"{API}/leads/web-form", "{nope", content_type="application/json")
    assert problem_of(garbage, 422)["type"] == "validation-error"
    for _ in range(webform.rate_limit()):
        anonymous.post("/leads/web-form", {})
    limited = anonymous.post("/leads/web-form", web_body())
    assert problem_of(limited, 429)["type"] == "too-many-requests"
    assert not Lead.objects.exists()
