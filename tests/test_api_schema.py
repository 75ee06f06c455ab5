"""Schemathesis over the OpenAPI schema of /api/v1/, through the WSGI application.

Each operation is fuzzed with data that fits the schema and with data that does not, as a
user who sees data (the owner), with real ids for half of the path parameters and foreign
keys so the requests get past the 404 and reach validation and the database. No answer may
be a 5xx, and every documented answer (200/201 JSON) must match its schema.

Schemathesis' own pytest integration is not used: ``schemathesis.pytest.from_fixture`` fails
on pytest 9 (``'Function' object has no attribute '_nodeid'``) and a schema loaded at import
time would need the database before pytest-django allows it. Each test loads the schema
from the running app instead and drives Hypothesis itself. The tests are transactional
because the WSGI handler closes the connection at the end of each request, which would break
the transaction that a plain ``django_db`` test runs in.
"""

from __future__ import annotations

import functools
import json
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from innendienst.accounts.services import api_token_create
from innendienst.activities.models import CallList
from innendienst.api import api
from innendienst.imports.models import Import, ImportStatus
from innendienst.leads.services import lead_capture
from innendienst.wsgi import application
from tests import factories

PREFIX = "/api/v1"
MAX_EXAMPLES = 15

pytestmark = [
    pytest.mark.api_fuzz,
    pytest.mark.django_db(transaction=True),
]

OPERATIONS = [
    ("GET", "/companies"),
    ("POST", "/companies"),
    ("GET", "/companies/{company_id}"),
    ("PATCH", "/companies/{company_id}"),
    ("POST", "/companies/match"),
    ("GET", "/people"),
    ("POST", "/people"),
    ("GET", "/people/{person_id}"),
    ("PATCH", "/people/{person_id}"),
    ("POST", "/people/match"),
    ("GET", "/activities"),
    ("POST", "/activities"),
    ("GET", "/activities/{activity_id}"),
    ("PATCH", "/activities/{activity_id}"),
    ("POST", "/activities/{activity_id}/done"),
    ("GET", "/imports"),
    ("POST", "/imports"),
    ("GET", "/imports/{import_id}"),
    ("GET", "/imports/{import_id}/errors"),
    ("POST", "/imports/{import_id}/undo"),
    ("GET", "/exports/companies"),
    ("GET", "/exports/people"),
    ("GET", "/exports/activities"),
    ("GET", "/exports/orders"),
    ("GET", "/exports/jobs/{export_id}"),
    ("GET", "/exports/jobs/{export_id}/file"),
    ("GET", "/exports/field-notes"),  # the test app's list (tests/plugin_app)
    ("GET", "/leads"),
    ("POST", "/leads"),
    ("GET", "/leads/{lead_id}"),
    ("POST", "/leads/{lead_id}/stage"),
    ("POST", "/leads/{lead_id}/owner"),
    ("GET", "/leads/web-form/token"),
    ("POST", "/leads/web-form"),
    ("POST", "/leads/booth"),
    ("POST", "/events"),
    ("GET", "/rules"),
    ("POST", "/rules"),
    ("GET", "/rules/{rule_id}"),
    ("PATCH", "/rules/{rule_id}"),
    ("DELETE", "/rules/{rule_id}"),
    ("GET", "/rules/{rule_id}/runs"),
    ("GET", "/webhooks"),
    ("POST", "/webhooks"),
    ("GET", "/webhooks/{webhook_id}"),
    ("PATCH", "/webhooks/{webhook_id}"),
    ("GET", "/webhooks/{webhook_id}/deliveries"),
    ("POST", "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay"),
    ("GET", "/call-lists"),
    ("POST", "/call-lists/{call_list_id}/next"),
    ("POST", "/call-entries/{call_entry_id}/outcome"),
    ("POST", "/call-entries/{call_entry_id}/skip"),
    ("POST", "/call-entries/{call_entry_id}/reserve"),
    ("GET", "/products"),
    ("GET", "/products/{product_id}"),
    ("GET", "/price-lists"),
    ("GET", "/price-lists/{price_list_id}"),
    ("GET", "/price-lists/{price_list_id}/prices"),
    ("GET", "/offers"),
    ("POST", "/offers"),
    ("GET", "/offers/{offer_id}"),
    ("PATCH", "/offers/{offer_id}"),
    ("POST", "/offers/{offer_id}/lines"),
    ("PATCH", "/offer-lines/{line_id}"),
    ("DELETE", "/offer-lines/{line_id}"),
    ("POST", "/offers/{offer_id}/approval-requests"),
    ("POST", "/approvals/{approval_id}/approve"),
    ("POST", "/approvals/{approval_id}/reject"),
    ("POST", "/offers/{offer_id}/send"),
    ("POST", "/offers/{offer_id}/revise"),
    ("POST", "/offers/{offer_id}/win"),
    ("POST", "/offers/{offer_id}/lose"),
    ("GET", "/offers/{offer_id}/versions"),
    ("GET", "/offer-versions/{revision_id}"),
    ("GET", "/forecast"),
]
# Operations whose schema leaves nothing to make invalid: the token takes no input, the web
# form's fields are free text (its rules are the service's, tested in test_lead_capture_paths).
NOTHING_TO_NEGATE = {("GET", "/leads/web-form/token"), ("POST", "/leads/web-form")}
# Without a user by design: the website's enquiry form, and events signed by their source.
PUBLIC_OPERATIONS = {
    ("GET", "/leads/web-form/token"),
    ("POST", "/leads/web-form"),
    ("POST", "/events"),
}


@functools.cache
def load_schema() -> schemathesis.BaseSchema:
    """The schema as /api/v1/openapi.json serves it to a logged-in user, driving the WSGI
    application itself."""
    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix=f"{PREFIX}/"), default=str))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = application
    return schema


@pytest.fixture
def seeded(owner, company, person, territories, settings, tmp_path) -> dict[str, Any]:
    """Records the owner sees, and his token; uploads go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path
    activity = factories.ActivityFactory(company=company, person=person, created_by=owner)
    finished_import = Import.objects.create(
        target="companies",
        file="imports/erp.csv",
        file_name="erp.csv",
        file_sha256="0" * 64,
        file_size=10,
        headers=["Firma"],
        status=ImportStatus.DONE,
        created_by=owner,
    )
    factories.BuyingCenterMembershipFactory(person=person, role="buyer")
    lead, _created = lead_capture(
        actor=owner, company=company, data={"source": "inbound_call", "person_id": person.pk}
    )
    call_list = CallList.objects.create(name="Reaktivierung", team=owner.team, created_by=owner)
    call_entry = call_list.entries.create(person=person, company=company)
    offer_ids = _seeded_offer(owner, company)
    _token, key = api_token_create(actor=owner, name="Schemathesis")
    return {
        "headers": {"Authorization": f"Bearer {key}"},
        "ids": {
            "company_id": company.pk,
            "person_id": person.pk,
            "activity_id": activity.pk,
            "import_id": finished_import.pk,
            "territory_id": territories["BY"].pk,
            "assigned_to_id": owner.pk,
            "inside_rep_id": owner.pk,
            "lead_id": lead.pk,
            "owner_id": owner.pk,
            "call_list_id": call_list.pk,
            "call_entry_id": call_entry.pk,
            "contact_id": person.pk,
            **offer_ids,
        },
    }


def _seeded_offer(owner, company) -> dict[str, int]:
    """An offer of the company priced from a price list, sent once and now in its second
    version with a discount waiting for approval; the ids of it and of its catalogue."""
    import datetime
    from decimal import Decimal

    from innendienst.catalog.models import PriceList
    from innendienst.offers import services as offer_services

    product = factories.ProductFactory(sku="PU-9000")
    price_list = PriceList.objects.create(
        name="Standard", currency="EUR", valid_from=datetime.date(2026, 1, 1)
    )
    price_list.items.create(product=product, unit_price=Decimal("90.00"))
    offer = offer_services.offer_create(
        actor=owner, company=company, data={"subject": "Pumpen", "price_list": price_list}
    )
    line = offer_services.offer_line_add(
        actor=owner, offer=offer, data={"product": product, "quantity": 4}
    )
    revision = offer_services.offer_send(actor=owner, offer=offer)
    offer_services.offer_revise(actor=owner, offer=offer)
    approval = offer.approvals.create(
        revision=2, discount_percent=Decimal("12"), requested_by=owner
    )
    return {
        "offer_id": offer.pk,
        "line_id": line.pk,
        "revision_id": revision.pk,
        "approval_id": approval.pk,
        "product_id": product.pk,
        "price_list_id": price_list.pk,
    }


def _prepared(case: schemathesis.Case, known_ids: dict[str, int] | None) -> schemathesis.Case:
    if isinstance(case.body, dict) and known_ids:
        for name in set(case.body) & set(known_ids):
            case.body[name] = known_ids[name]
    return case


def _cases(operation, mode: GenerationMode, ids: dict[str, int]):
    path_ids = {name: ids[name] for name in ids if f"{{{name}}}" in operation.path}
    generated = operation.as_strategy(generation_mode=mode)
    if path_ids:
        generated = st.one_of(
            generated, operation.as_strategy(generation_mode=mode, path_parameters=path_ids)
        )
    return st.tuples(generated, st.booleans()).map(
        lambda pair: _prepared(pair[0], ids if pair[1] else None)
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_it_never_answers_with_a_server_error(method, path, mode, seeded):
    if mode == GenerationMode.NEGATIVE and (method, path) in NOTHING_TO_NEGATE:
        pytest.skip("the operation takes nothing that could be invalid")
    operation = load_schema()[f"{PREFIX}{path}"][method]
    statuses: list[int] = []

    @given(case=_cases(operation, mode, seeded["ids"]))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call_and_validate(
            headers=seeded["headers"],
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        )
        statuses.append(response.status_code)

    check()
    assert statuses
    assert all(status < 500 for status in statuses)


def test_it_declares_every_operation_that_the_fuzzer_runs():
    schema = load_schema().raw_schema
    declared = {
        (method.upper(), path.removeprefix(PREFIX))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert declared == set(OPERATIONS)


def test_it_declares_the_token_auth_on_every_operation():
    schema = load_schema().raw_schema
    schemes = schema["components"]["securitySchemes"]
    bearer = [name for name, scheme in schemes.items() if scheme.get("scheme") == "bearer"]
    assert bearer
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if (method.upper(), path.removeprefix(PREFIX)) in PUBLIC_OPERATIONS:
                assert "security" not in operation, (method, path)
                continue
            assert {bearer[0]: []} in operation["security"], (method, path)


def test_it_declares_the_problem_responses():
    schema = load_schema().raw_schema
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            public = (method.upper(), path.removeprefix(PREFIX)) in PUBLIC_OPERATIONS
            expected = ({"422"} if public else {"401", "422"}) | ({"404"} if "{" in path else set())
            if (method.upper(), path.removeprefix(PREFIX)) == ("GET", "/leads/web-form/token"):
                expected = set()  # takes nothing that could be wrong
            assert expected <= set(operation["responses"]), (method, path)
            for status in expected:
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content, (method, path, status)


def _reads_json(method: str, path: str) -> bool:
    operation = api.get_openapi_schema(path_prefix=f"{PREFIX}/")["paths"][f"{PREFIX}{path}"]
    content = operation[method.lower()].get("requestBody", {}).get("content", {})
    return "application/json" in content


# The operations that read a JSON body ("/done" reads none, so a body there is ignored; an
# upload to import is a multipart form).
BODY_OPERATIONS = [(method, path) for method, path in OPERATIONS if _reads_json(method, path)]


def _encoded(body: Any, encoding: str) -> tuple[Any, str | None]:
    fields = body if isinstance(body, dict) else {"value": str(body)}
    flat = {str(key): json.dumps(value) for key, value in fields.items()}
    if encoding == "multipart":
        return flat, None  # the test client encodes multipart/form-data itself
    return urlencode(flat), "application/x-www-form-urlencoded"


@pytest.mark.parametrize("encoding", ["multipart", "form"])
@pytest.mark.parametrize("auth", ["session", "token"])
@pytest.mark.parametrize(("method", "path"), BODY_OPERATIONS)
def test_it_answers_a_form_encoded_body_with_415(method, path, auth, encoding, seeded, owner):
    """Bodies the schema generates, sent as forms (as a browser or a careless client would):
    the API reads JSON only and says so, with a session (CSRF token sent) or a token."""
    operation = load_schema()[f"{PREFIX}{path}"][method]
    client = Client()
    headers = dict(seeded["headers"]) if auth == "token" else {}
    if auth == "session":
        client.force_login(owner)
        client.get("/my-day/")  # sets the CSRF cookie, as the browser would have it
        headers["X-CSRFToken"] = client.cookies["csrftoken"].value
    statuses: list[int] = []

    @given(case=_cases(operation, GenerationMode.POSITIVE, seeded["ids"]))
    @settings(
        max_examples=5,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        url = case.formatted_path
        data, content_type = _encoded(case.body, encoding)
        # An empty form is no body at all (a missing body, 422), not one of the wrong type;
        # a body of only optional fields may come out empty.
        assume(data != "")
        kwargs = {"content_type": content_type} if content_type else {}
        response = getattr(client, method.lower())(url, data, headers=headers, **kwargs)
        statuses.append(response.status_code)
        assert response.status_code in {404, 415}, (url, response.status_code, response.content)
        if response.status_code == 415:
            assert response["Content-Type"] == "application/problem+json"

    check()
    assert 415 in statuses
