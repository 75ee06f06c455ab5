"""/api/v1/events (signed events from outside tools), /api/v1/rules and /api/v1/webhooks.

An event is signed with the source's secret, not sent with a personal token::

    X-Innendienst-Source: newsletter
    X-Innendienst-Timestamp: 1798794000
    X-Innendienst-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">

and answers 202 the first time, 200 with the same event for a resent id.
"""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.automation import selectors, services, signing
from innendienst.automation.models import EventSource, Rule, Webhook
from innendienst.core.api import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    PROBLEM_CONTENT_TYPE,
    InputSchema,
    Pagination,
    Problem,
    problem_body,
)

router = Router(tags=["automation"])
MAX_KEY_LENGTH = 50
MAX_CACHED_SOURCES = 1_000


class InboundEventOut(Schema):
    id: int
    event_id: str
    type: str
    person_id: int | None
    company_id: int | None
    occurred_at: datetime.datetime
    status: str


BATCH_STATES = ("accepted", "duplicate", "refused")


class BatchResultOut(Schema):
    index: int = Field(description="The event's place in the list sent")
    status: str = Field(description="accepted, duplicate (sent before) or refused")
    id: int | None = None
    errors: list[dict[str, str]] | None = None


class BatchOut(Schema):
    accepted: int
    duplicate: int
    refused: int
    results: list[BatchResultOut]


EVENT_SCHEMA = {
    "type": "object",
    "required": ["id", "type", "email"],
    "properties": {
        "id": {"type": "string", "maxLength": 100,
               "description": "The sender's id of the event; a resend is ignored"},
        "type": {"type": "string", "example": "newsletter.click"},
        "email": {"type": "string", "description": "The contact's e-mail address"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "data": {"type": "object", "description": "Details, e.g. the link"},
    },
}  # fmt: skip
EVENT_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        EVENT_SCHEMA,
                        {"type": "array", "items": EVENT_SCHEMA, "maxItems": services.MAX_BATCH},
                    ]
                }
            }
        },
        "required": True,
    }
}


def _problem(status: int, title: str, *, kind: str, detail: str = "") -> HttpResponse:
    body = problem_body(status, title, kind=kind, detail=detail)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


# Sources by key, read once per few seconds and process: a tool sends hundreds of events a
# second. A new secret or a paused source takes effect within that time.
SOURCE_SECONDS = 10.0
_sources: dict[str, tuple[float, EventSource | None]] = {}


def _source(key: str) -> EventSource | None:
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    now = time.monotonic()
    cached = _sources.get(key)
    if cached is None or cached[0] < now:
        source = EventSource.objects.filter(key=key, active=True).first()
        if len(_sources) > MAX_CACHED_SOURCES:
            _sources.clear()
        cached = _sources[key] = (now + SOURCE_SECONDS, source)
    return cached[1]


def _no_constant(name: str) -> Any:
    """NaN and Infinity are JavaScript, not JSON."""
    raise ValueError(name)


def _bad_signature(code: str) -> HttpResponse:
    details = {
        "source": _("Unknown or inactive source: send its key in X-Innendienst-Source."),
        "missing": _("Send X-Innendienst-Timestamp and X-Innendienst-Signature."),
        "timestamp": _("X-Innendienst-Timestamp must be whole seconds since 1970."),
        "stale": _("The timestamp is more than five minutes away from our clock."),
        "signature": _("The signature does not match the body and the source's secret."),
    }
    return _problem(
        401, _("The event is not signed correctly."), kind="bad-signature", detail=details[code]
    )


@router.post(
    "/events",
    auth=None,
    response={
        202: InboundEventOut,
        200: InboundEventOut | BatchOut,
        401: Problem,
        **BODY_RESPONSES,
    },
    summary="Report what a contact did (signed with the source's secret)",
    description=(
        "One event as a JSON object: 202 when stored, 200 with the first event when its id was "
        "sent before. Or up to 500 events as a JSON array, as newsletter tools send them in "
        "batches: 200 with one result per event (accepted, duplicate or refused with its "
        "errors); the accepted ones are stored even if others are refused."
    ),
    openapi_extra=EVENT_BODY,
)
def receive_event(request: HttpRequest) -> Any:
    if request.content_type != "application/json":
        return _problem(
            415, _("Please send the body as JSON."), kind="unsupported-media-type",
            detail=_("Set Content-Type: application/json."),
        )  # fmt: skip
    source = _source(request.headers.get(signing.SOURCE_HEADER, ""))
    if source is None:
        return _bad_signature("source")
    body = request.body
    try:
        signing.verify(
            source.secret,
            request.headers.get(signing.TIMESTAMP_HEADER),
            request.headers.get(signing.SIGNATURE_HEADER),
            body,
        )
    except signing.BadSignature as exc:
        return _bad_signature(exc.code)
    try:
        parsed = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return _problem(422, _("The request body is not valid JSON."), kind="validation-error")
    if not isinstance(parsed, list):
        event, created = services.inbound_receive(source=source, body=parsed)
        return Status(202 if created else 200, event)
    if not 0 < len(parsed) <= services.MAX_BATCH:
        return _problem(
            422, _("Please send between 1 and %(max)s events at once.")
            % {"max": services.MAX_BATCH}, kind="validation-error",
        )  # fmt: skip
    answers = services.inbound_receive_many(source=source, bodies=parsed)
    return Status(200, _batch_answer(answers))


def _batch_answer(answers: list[services.Received]) -> dict[str, Any]:
    results = []
    for index, answer in enumerate(answers):
        if answer.errors or answer.event is None:
            errors = [
                {"field": name, "message": str(message), "code": error.code or "invalid"}
                for name, problems in answer.errors.items()
                for error in problems
                for message in error.messages
            ]
            results.append({"index": index, "status": "refused", "errors": errors})
        else:
            status = "accepted" if answer.created else "duplicate"
            results.append({"index": index, "status": status, "id": answer.event.pk})
    counts = {key: sum(row["status"] == key for row in results) for key in BATCH_STATES}
    return {**counts, "results": results}


# --- rules ----------------------------------------------------------------------------------


class RuleOut(Schema):
    id: int
    name: str
    active: bool
    trigger: str = Field(description='A domain event, or "inbound:<type>" for one from outside')
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]
    run_as_id: int | None
    updated_at: datetime.datetime


class RuleIn(InputSchema):
    name: str = Field(max_length=100)
    active: bool = True
    trigger: str = Field(max_length=80)
    conditions: dict[str, Any] = Field(default_factory=dict)
    actions: list[dict[str, Any]]


class RulePatch(InputSchema):
    name: str | None = Field(None, max_length=100)
    active: bool | None = None
    trigger: str | None = Field(None, max_length=80)
    conditions: dict[str, Any] | None = None
    actions: list[dict[str, Any]] | None = None


class RuleRunOut(Schema):
    id: int
    trigger: str
    person_id: int | None
    company_id: int | None
    inbound_event_id: int | None
    outcome: str
    detail: str
    at: datetime.datetime


@router.get("/rules", response={200: list[RuleOut], **ERROR_RESPONSES}, summary="List rules")
@paginate(Pagination, page_size=50, max_page_size=200)
def list_rules(request: HttpRequest) -> Any:
    return selectors.rules_for(request.user)


@router.get("/rules/{rule_id}", response={200: RuleOut, **ERROR_RESPONSES}, summary="Get a rule")
def get_rule(request: HttpRequest, rule_id: int) -> Rule:
    return selectors.rule_get(request.user, rule_id)


@router.post(
    "/rules",
    response={201: RuleOut, **BODY_RESPONSES},
    summary="Create a rule (refused when it would trigger itself)",
)
def create_rule(request: HttpRequest, payload: RuleIn) -> Any:
    rule = services.rule_save(actor=request.user, rule=None, data=payload.model_dump())
    return Status(201, rule)


@router.patch(
    "/rules/{rule_id}", response={200: RuleOut, **BODY_RESPONSES}, summary="Change a rule"
)
def update_rule(request: HttpRequest, rule_id: int, payload: RulePatch) -> Rule:
    rule = selectors.rule_get(request.user, rule_id)
    data = payload.model_dump(exclude_unset=True)
    return services.rule_save(actor=request.user, rule=rule, data=data)


@router.delete("/rules/{rule_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete a rule")
def delete_rule(request: HttpRequest, rule_id: int) -> Any:
    services.rule_delete(actor=request.user, rule=selectors.rule_get(request.user, rule_id))
    return Status(204, None)


@router.get(
    "/rules/{rule_id}/runs",
    response={200: list[RuleRunOut], **ERROR_RESPONSES},
    summary="What a rule did, newest first",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_rule_runs(request: HttpRequest, rule_id: int) -> Any:
    return selectors.runs_of(request.user, selectors.rule_get(request.user, rule_id))


# --- webhooks -------------------------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Shown once: verify our signature with it")


class WebhookIn(InputSchema):
    name: str = Field(max_length=100)
    url: str = Field(max_length=500)
    events: list[str]
    active: bool = True


class WebhookPatch(InputSchema):
    name: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=500)
    events: list[str] | None = None
    active: bool | None = None


class DeliveryOut(Schema):
    id: int
    delivery_id: str
    event: str
    status: str
    attempts: int
    response_status: int | None
    error: str
    duration_ms: int | None
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None
    next_attempt_at: datetime.datetime | None
    replay_of_id: int | None

    @staticmethod
    def resolve_delivery_id(obj: Any) -> str:
        return str(obj.delivery_id)


@router.get(
    "/webhooks", response={200: list[WebhookOut], **ERROR_RESPONSES}, summary="List webhooks"
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_webhooks(request: HttpRequest) -> Any:
    return selectors.webhooks_for(request.user)


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut, **BODY_RESPONSES},
    summary="Create a webhook; the answer holds its signing secret, shown only here",
)
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Any:
    webhook = services.webhook_save(actor=request.user, webhook=None, data=payload.model_dump())
    return Status(201, webhook)


@router.get(
    "/webhooks/{webhook_id}", response={200: WebhookOut, **ERROR_RESPONSES}, summary="Get a webhook"
)
def get_webhook(request: HttpRequest, webhook_id: int) -> Webhook:
    return selectors.webhook_get(request.user, webhook_id)


@router.patch(
    "/webhooks/{webhook_id}",
    response={200: WebhookOut, **BODY_RESPONSES},
    summary="Change a webhook",
)
def update_webhook(request: HttpRequest, webhook_id: int, payload: WebhookPatch) -> Webhook:
    webhook = selectors.webhook_get(request.user, webhook_id)
    data = payload.model_dump(exclude_unset=True)
    return services.webhook_save(actor=request.user, webhook=webhook, data=data)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response={200: list[DeliveryOut], **ERROR_RESPONSES},
    summary="The delivery log of a webhook, newest first",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_deliveries(request: HttpRequest, webhook_id: int) -> Any:
    return selectors.deliveries_of(request.user, selectors.webhook_get(request.user, webhook_id))


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
    response={202: DeliveryOut, **ERROR_RESPONSES},
    summary="Send a delivery again (a new entry in the log)",
)
def replay_delivery(request: HttpRequest, webhook_id: int, delivery_id: int) -> Any:
    webhook = selectors.webhook_get(request.user, webhook_id)
    delivery = selectors.delivery_get(request.user, webhook, delivery_id)
    return Status(202, services.webhook_replay(actor=request.user, delivery=delivery))
