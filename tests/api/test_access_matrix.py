"""Every API operation × {owner, teammate, outsider, anonymous}, read from the OpenAPI schema.

The operations are not listed by hand: a new endpoint is in the matrix the moment it is in the
schema. Path parameters are filled from the ``records`` fixture (tests/matrix.py: an unknown
parameter fails); an operation with a request body needs its body in BODIES (a missing one
fails).

- owner and teammate get the success status the schema declares;
- the outsider gets 404 for every record of the company, his own empty lists, and a 422 at the
  field when a body points at the company; the catalogue (products, price lists) he reads as
  the owner does;
- a call without credentials gets 401 with ``WWW-Authenticate: Bearer``;
- neither the outsider nor an anonymous caller changes anything.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.api import api
from innendienst.catalog.models import DiscountLimit
from innendienst.offers.models import ApprovalStatus, OfferStatus
from tests import matrix
from tests.api.helpers import API, Api, assert_invalid, problem_of, row_counts

pytestmark = pytest.mark.django_db

PREFIX = f"{API}/"


@dataclass(frozen=True)
class Body:
    """A valid body for the owner; ``points_at`` names the field that refers to a record of
    the company (the outsider's call fails there). A body that points at nothing of the
    company (an upload to import) is the caller's own: the outsider's call succeeds too.
    ``multipart`` bodies are sent as a form with files."""

    make: Callable[[dict[str, Any]], dict[str, Any]]
    points_at: str | None = None
    multipart: bool = False


def _handed_to_owner(records: dict[str, Any]) -> str:
    """Reserve the call list's contact for the owner, as "next call" does; its token."""
    entry = records["call_entry"]
    entry.reserved_by = records["call_list"].created_by
    entry.reserved_until = timezone.now() + datetime.timedelta(minutes=10)
    entry.reservation = uuid.uuid4()
    entry.save()
    return str(entry.reservation)


RULE_TASK = {"kind": "task", "assignee": "field_rep", "subject": "Besuch", "due_days": 1}
BODIES: dict[str, Body] = {
    "POST /companies": Body(
        lambda r: {"name": "Neukunde GmbH", "territory_id": r["company"].territory_id},
        points_at="territory_id",
    ),
    "PATCH /companies/{company_id}": Body(lambda r: {"city": "Garching"}),
    "POST /people": Body(
        lambda r: {"company_id": r["company"].pk, "last_name": "Neu"}, points_at="company_id"
    ),
    "PATCH /people/{person_id}": Body(lambda r: {"department": "Einkauf"}),
    "POST /companies/match": Body(lambda r: {"name": "Müller Maschinenbau", "postcode": "80331"}),
    "POST /people/match": Body(
        lambda r: {"company_id": r["company"].pk, "last_name": "Berger"}, points_at="company_id"
    ),
    "POST /activities": Body(
        lambda r: {"company_id": r["company"].pk, "kind": "note", "subject": "Notiz"},
        points_at="company_id",
    ),
    "PATCH /activities/{activity_id}": Body(lambda r: {"notes": "Preis klären"}),
    "POST /leads": Body(
        lambda r: {"company_id": r["company"].pk, "source": "inbound_call", "need": "Pumpen"},
        points_at="company_id",
    ),
    "POST /leads/{lead_id}/stage": Body(lambda r: {"stage": "mql", "note": "Bedarf bestätigt"}),
    "POST /leads/{lead_id}/owner": Body(lambda r: {"owner_id": r["lead"].owner_id}),
    # The booth online, with the company picked from the hints (typed ones: the lead tests).
    "POST /leads/booth": Body(
        lambda r: {
            "capture_id": "5b0f3c1e-8d4a-4f7e-9a51-2c6d7e8f9a0b",
            "company_id": r["company"].pk,
            "source_name": "LogiMAT 2027",
            "person_last_name": "Berger",
        },
        points_at="company_id",
    ),
    "POST /imports": Body(
        lambda r: {
            "file": SimpleUploadedFile("messe.csv", b"Firma;PLZ\nNeu GmbH;80331\n"),
            "kind": "companies",
        },
        multipart=True,
    ),
    "POST /rules": Body(
        lambda r: {"name": "R", "trigger": "lead.captured", "actions": [RULE_TASK]}
    ),
    "PATCH /rules/{rule_id}": Body(
        lambda r: {"name": "R", "trigger": "lead.captured", "actions": [RULE_TASK]}
    ),
    "POST /webhooks": Body(
        lambda r: {"name": "W", "url": "https://example.com/w", "events": ["lead.captured"]}
    ),
    "PATCH /webhooks/{webhook_id}": Body(
        lambda r: {"name": "W", "url": "https://example.com/w", "events": ["lead.captured"]}
    ),
    "POST /events": Body(
        lambda r: {"id": "e-1", "type": "newsletter.click", "email": r["person"].email}
    ),
    # The call on the owner's screen: reached, nothing to plan; put back for an hour; or kept
    # reserved a while longer.
    "POST /call-entries/{call_entry_id}/outcome": Body(
        lambda r: {"reservation": _handed_to_owner(r), "outcome": "reached"}
    ),
    "POST /call-entries/{call_entry_id}/skip": Body(
        lambda r: {"reservation": _handed_to_owner(r), "minutes": 60}
    ),
    "POST /call-entries/{call_entry_id}/reserve": Body(
        lambda r: {"reservation": _handed_to_owner(r)}
    ),
    "POST /offers": Body(
        lambda r: {"company_id": r["company"].pk, "subject": "Ersatzteile"}, points_at="company_id"
    ),
    "PATCH /offers/{offer_id}": Body(lambda r: {"subject": "Pumpen für Halle 4"}),
    "POST /offers/{offer_id}/lines": Body(
        lambda r: {"description": "Montage vor Ort", "quantity": "8", "unit_price": "95.00"}
    ),
    "PATCH /offer-lines/{line_id}": Body(lambda r: {"quantity": "5"}),
    "POST /offers/{offer_id}/approval-requests": Body(lambda r: {"reason": "Rahmenvertrag"}),
    "POST /approvals/{approval_id}/approve": Body(lambda r: {"note": "Rahmenvertrag"}),
    "POST /approvals/{approval_id}/reject": Body(lambda r: {"note": "zu hoch"}),
    "POST /offers/{offer_id}/send": Body(lambda r: {}),
    "POST /offers/{offer_id}/win": Body(lambda r: {}),
    "POST /offers/{offer_id}/lose": Body(lambda r: {"reason": "price"}),
}


def _offer_sent(records: dict[str, Any]) -> None:
    """The records' offer is a draft: revising and winning need it with the customer."""
    offer = records["offer"]
    offer.status = OfferStatus.SENT
    offer.sent_on = offer.requested_on
    offer.save()


def _discount_above_the_limit(records: dict[str, Any]) -> None:
    """The records' offer has no discount, and its request is pending: asking for an approval
    needs a discount above the reps' limit (none), a manager who may approve it and no
    request waiting."""
    records["approval"].status = ApprovalStatus.REJECTED
    records["approval"].save()
    records["offer_line"].discount_percent = Decimal("12")
    records["offer_line"].save()
    DiscountLimit.objects.create(role=Role.SALES_MANAGER, max_percent=Decimal("25"))


# Operations that need the records in another state than the fixture's, put there first.
STATE: dict[str, Callable[[dict[str, Any]], None]] = {
    "POST /offers/{offer_id}/revise": _offer_sent,
    "POST /offers/{offer_id}/win": _offer_sent,
    "POST /offers/{offer_id}/approval-requests": _discount_above_the_limit,
}
# Operations of the caller who holds the contact: the teammate, who was not handed him, is
# refused like a colleague whose reservation ran out (409), and changes nothing.
HOLDER_OPERATIONS = {
    "POST /call-entries/{call_entry_id}/outcome",
    "POST /call-entries/{call_entry_id}/skip",
    "POST /call-entries/{call_entry_id}/reserve",
}
# Operations that answer another record than the one their path names: "next call" answers
# the contact it hands out, not the list.
ANSWER_ANOTHER_RECORD = {
    "POST /call-lists/{call_list_id}/next",
    # A line added to the offer, an approval asked for it: the new record.
    "POST /offers/{offer_id}/lines",
    "POST /offers/{offer_id}/approval-requests",
}
# Operations without login by design (the company website's enquiry form), each tested in
# its own file: tests/api/test_lead_capture_paths.py.
PUBLIC_OPERATIONS = {"GET /leads/web-form/token", "POST /leads/web-form"}
# Automation's configuration, for management, marketing and administrators: the matrix's
# inside reps get 403 (tests/api/test_automation.py shows it to them).
MANAGER_OPERATIONS = {
    "GET /rules",
    "POST /rules",
    "GET /rules/{rule_id}",
    "PATCH /rules/{rule_id}",
    "DELETE /rules/{rule_id}",
    "GET /rules/{rule_id}/runs",
    "GET /webhooks",
    "POST /webhooks",
    "GET /webhooks/{webhook_id}",
    "PATCH /webhooks/{webhook_id}",
    "GET /webhooks/{webhook_id}/deliveries",
    "POST /webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
}
# Discounts are decided by whoever's limit covers them, never by the requester himself: the
# matrix's inside reps have no limit and get 403 (tests/api/test_offers.py shows the manager).
APPROVER_OPERATIONS = {
    "POST /approvals/{approval_id}/approve",
    "POST /approvals/{approval_id}/reject",
}
# The catalogue the offers are priced from: every user reads all of it, the outsider too.
SHARED_LISTS = {"GET /products", "GET /price-lists"}
# Reports over the caller's scope, not lists: how many of the company's records each counts
# (the outsider's none).
REPORTS: dict[str, Callable[[dict[str, Any]], int]] = {"GET /forecast": lambda a: a["offers"]}
# Authenticated by the source's signature, not by a user: every call here is unsigned and
# refused (tests/automation/test_inbound.py signs them).
SIGNED_OPERATIONS = {"POST /events"}
# Lists of the caller's own records (his imports): the teammate does not see the owner's.
PERSONAL_LISTS = {"GET /imports"}
# Questions with a body that change nothing: the duplicate checks.
QUESTIONS = {"POST /companies/match", "POST /people/match"}
COMPANY_DATA = ("Müller Maschinenbau", "Berger", "Angebot nachfassen", "Bedarf Hydraulik")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # below /api/v1, with {parameters}
    parameters: tuple[str, ...]
    has_body: bool
    success: int

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, records: dict[str, Any]) -> str:
        ids = matrix.fill(self.parameters, records)
        return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), self.path)

    def body(self, records: dict[str, Any]) -> dict[str, Any] | None:
        if not self.has_body:
            return None
        if str(self) not in BODIES:
            pytest.fail(f"{self} takes a body: add a valid one to BODIES in {__file__}")
        return BODIES[str(self)].make(records)


def operations() -> list[Operation]:
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = tuple(
                parameter["name"]
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "path"
            )
            successes = sorted(int(code) for code in operation["responses"] if str(code)[0] == "2")
            # An export answers 202 only for a list longer than the records fixture's; a capture
            # sent again answers 200 with the lead of the first one.
            assert len(successes) == 1 or successes in ([200, 202], [200, 201]), (
                method,
                path,
                successes,
            )
            found.append(
                Operation(
                    method.upper(),
                    path.removeprefix(API),
                    parameters,
                    "requestBody" in operation,
                    201 if successes == [200, 201] else successes[0],
                )
            )
    return found


OPERATIONS = [operation for operation in operations() if str(operation) not in PUBLIC_OPERATIONS]


def text_of(response) -> str:
    """The answer as text, also a streamed one (a CSV export)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig", errors="replace")
    return response.content.decode(errors="replace")


USERS = ["owner", "teammate", "outsider", "anonymous"]


def test_it_reads_every_operation_from_the_schema():
    assert {str(operation) for operation in OPERATIONS} >= {
        "GET /companies",
        "POST /companies",
        "GET /companies/{company_id}",
        "PATCH /companies/{company_id}",
        "GET /people",
        "POST /people",
        "GET /people/{person_id}",
        "PATCH /people/{person_id}",
        "GET /activities",
        "POST /activities",
        "GET /activities/{activity_id}",
        "PATCH /activities/{activity_id}",
        "POST /activities/{activity_id}/done",
        "GET /imports",
        "POST /imports",
        "GET /imports/{import_id}",
        "GET /imports/{import_id}/errors",
        "POST /imports/{import_id}/undo",
        "GET /exports/companies",
        "GET /exports/people",
        "GET /exports/activities",
        "GET /exports/orders",
        "GET /exports/jobs/{export_id}",
        "GET /exports/jobs/{export_id}/file",
    }
    # Every body in BODIES belongs to an operation that still exists.
    assert set(BODIES) <= {str(operation) for operation in OPERATIONS if operation.has_body}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_it_gives_each_caller_his_share_of_every_operation(
    client, request, api_as, records, operation, who
):
    if str(operation) in STATE:
        STATE[str(operation)](records)
    url = operation.url(records)
    body = operation.body(records)
    caller = Api(client, None) if who == "anonymous" else api_as(request.getfixturevalue(who))
    before = row_counts()
    multipart = body is not None and BODIES[str(operation)].multipart
    if multipart:
        response = caller.post_form(url, body)
    else:
        response = caller.send(operation.method, url, body)

    if str(operation) in SIGNED_OPERATIONS:
        assert problem_of(response, 401)["type"] == "bad-signature"
        assert row_counts() == before
        return
    if who == "anonymous":
        problem = problem_of(response, 401)
        assert problem["type"] == "unauthorized"
        assert response["WWW-Authenticate"] == 'Bearer realm="innendienst"'
        assert row_counts() == before
        return
    if str(operation) in MANAGER_OPERATIONS | APPROVER_OPERATIONS:
        assert problem_of(response, 403)["type"] == "forbidden"
        assert row_counts() == before
        return
    shared = str(operation) in SHARED_LISTS or matrix.is_shared(operation.parameters)
    if who == "outsider" and not shared:
        if operation.parameters:
            assert problem_of(response, 404)["type"] == "not-found"
        elif body is not None and BODIES[str(operation)].points_at is None:
            # His own upload: nothing of the company in the answer or changed.
            assert response.status_code == operation.success, response.content[:300]
            assert not any(data in response.content.decode() for data in COMPANY_DATA)
            assert {k: v for k, v in row_counts().items() if k != "audit"} == {
                k: v for k, v in before.items() if k != "audit"
            }
            return
        elif body is not None:
            assert_invalid(response, BODIES[str(operation)].points_at)
        else:
            assert response.status_code == operation.success, response.content[:300]
            if str(operation) in REPORTS:
                assert REPORTS[str(operation)](response.json()) == 0
            elif response["Content-Type"].startswith("application/json"):
                assert response.json()["items"] == []
        assert not any(data in text_of(response) for data in COMPANY_DATA)
        assert row_counts() == before
        return

    if who == "teammate" and str(operation) in HOLDER_OPERATIONS:
        assert problem_of(response, 409)["type"] == "conflict"
        assert row_counts() == before
        return
    if who == "teammate" and matrix.is_personal(operation.parameters):
        assert problem_of(response, 404)["type"] == "not-found"
        assert row_counts() == before
        return
    assert response.status_code == operation.success, (url, response.content[:500])
    if response.status_code == 204:
        return  # removed: nothing to answer (a line of an offer)
    if not response["Content-Type"].startswith("application/json"):
        return  # a download (the rows of an import with errors as a workbook)
    answer = response.json()
    if str(operation) in QUESTIONS:
        assert row_counts() == before
        assert "candidates" in answer
    elif str(operation) in REPORTS:
        assert REPORTS[str(operation)](answer) > 0
    elif operation.method == "GET" and "items" in answer and operation.parameters:
        # A list of a record's parts (the versions of an offer): the record's are in it.
        assert answer["count"] == len(answer["items"]) > 0
    elif operation.method == "GET" and not operation.parameters:
        # A list: the owner's records are in it; a list of his own for the teammate is empty.
        if who == "teammate" and str(operation) in PERSONAL_LISTS:
            assert answer["items"] == []
        else:
            assert answer["count"] == len(answer["items"]) > 0
    elif operation.parameters and str(operation) not in ANSWER_ANOTHER_RECORD:
        # The record the path names (the last parameter: /activities/{activity_id}/done).
        last = operation.parameters[-1]
        assert answer["id"] == matrix.fill([last], records)[last]
    else:
        assert answer["id"] > 0


def test_it_fails_an_operation_with_a_body_it_does_not_know(records):
    operation = Operation("POST", "/widgets", (), True, 201)
    with pytest.raises(pytest.fail.Exception, match="add a valid one to BODIES"):
        operation.body(records)
