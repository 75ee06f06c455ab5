"""/api/v1/leads: capture leads and move them through the stages, with the same rules as the
lead inbox and the lead page."""

import datetime
import uuid
from decimal import Decimal
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict
from pydantic import ValidationError as PydanticValidationError

from innendienst.accounts.models import SYSTEM_USERNAME_PREFIX, User
from innendienst.contacts.models import Priority, Salutation
from innendienst.contacts.selectors import companies_for
from innendienst.core.api import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    PROBLEM_CONTENT_TYPE,
    WRITE_RESPONSES,
    Conflict,
    Id,
    InputSchema,
    Pagination,
    Problem,
    RecordOut,
    if_match,
    is_json,
    model_input,
    problem_body,
    referenced,
    versioned,
)
from innendienst.core.filters import query_schema
from innendienst.core.models import Country, Currency
from innendienst.leads import capture, selectors, services, webform
from innendienst.leads.models import Lead, LeadSource, LeadStage, StageReason

router = Router(tags=["leads"])


class LeadOut(RecordOut):
    id: int
    version: int = Field(description="Sent as ETag; send it back in If-Match to change safely")
    company_id: int
    person_id: int | None
    stage: str
    source: str
    source_name: str
    interests: str
    need: str
    timing: str
    budget: Decimal | None
    currency: str
    priority: str
    notes: str
    owner_id: int | None
    created_by_id: int | None
    stage_changed_at: datetime.datetime
    touched_at: datetime.datetime
    sla_kind: str = Field(description="What the lead waits for: first_contact or acceptance")
    sla_due_at: datetime.datetime | None
    sla_met_at: datetime.datetime | None
    reason: str
    assigned_at: datetime.datetime | None
    assignment_reason: str = Field(description="Why the lead went to its rep, in words")
    capture_id: uuid.UUID | None
    created_at: datetime.datetime


class LeadIn(InputSchema):
    company_id: Id
    person_id: Id | None = None
    source: LeadSource
    source_name: str = ""
    stage: LeadStage = Field(LeadStage.QL, description="ql, mql or sql")
    interests: str = ""
    need: str = ""
    timing: str = ""
    budget: Decimal | None = None
    currency: Currency = Currency.EUR
    priority: Priority = Priority.B
    notes: str = ""
    owner_id: Id | None = Field(None, description="Default: the company's responsible rep")
    capture_id: uuid.UUID | None = Field(
        None, description="Your id of this capture: sent again, it returns the first lead (200)"
    )


class LeadMoveIn(InputSchema):
    stage: LeadStage
    reason: StageReason | None = Field(None, description="Required for recycled, disqualified")
    note: str = ""
    owner_id: Id | None = Field(
        None, description="Who takes the lead; on handover (sql) default: the field rep"
    )


class LeadAssignIn(InputSchema):
    owner_id: Id
    note: str = ""


LeadQuery = query_schema(selectors.LeadFilterSet, "LeadQuery")


def _user(pk: int | None, field: str) -> User | None:
    """A user picked as owner; a system account (the web form's) is nobody to pick."""
    if pk is None:
        return None
    user = referenced(User.objects.filter(is_active=True), pk, field)
    if user.username.startswith(SYSTEM_USERNAME_PREFIX):
        raise ValidationError(
            {field: _("A system account cannot take leads: please choose a person.")}
        )
    return user


@router.get(
    "/leads",
    response={200: list[LeadOut], **ERROR_RESPONSES},
    summary="List leads: open ones by SLA due time unless filtered otherwise",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_leads(request: HttpRequest, filters: Query[LeadQuery]):  # type: ignore[valid-type]
    return selectors.lead_list(request.user, filters.model_dump(exclude_none=True))


@router.get("/leads/{lead_id}", response={200: LeadOut, **ERROR_RESPONSES}, summary="Get a lead")
def get_lead(request: HttpRequest, response: HttpResponse, lead_id: int):
    return versioned(response, selectors.lead_get(request.user, lead_id))


@router.post(
    "/leads",
    response={201: LeadOut, 200: LeadOut, **BODY_RESPONSES},
    summary="Capture a lead",
)
def create_lead(request: HttpRequest, response: HttpResponse, payload: LeadIn):
    company = referenced(companies_for(request.user), payload.company_id, "company_id")
    owner = _user(payload.owner_id, "owner_id")
    data = payload.model_dump(
        exclude_unset=True, exclude={"company_id", "stage", "owner_id", "capture_id"}
    )
    lead, created = services.lead_capture(
        actor=request.user,
        company=company,
        data=model_input(Lead, {**data, "source": payload.source.value}),
        stage=payload.stage.value,
        owner=owner,
        capture_id=payload.capture_id,
    )
    return Status(201 if created else 200, versioned(response, lead))


@router.post(
    "/leads/{lead_id}/stage",
    response={200: LeadOut, **WRITE_RESPONSES},
    summary="Move a lead to another stage (hand over, accept, reject, convert, disqualify)",
)
def move_lead(request: HttpRequest, response: HttpResponse, lead_id: int, payload: LeadMoveIn):
    lead = selectors.lead_get(request.user, lead_id)
    lead = services.lead_move(
        actor=request.user,
        lead=lead,
        to_stage=payload.stage.value,
        reason=payload.reason.value if payload.reason else "",
        note=payload.note,
        owner=_user(payload.owner_id, "owner_id"),
        expected_version=if_match(request),
    )
    return versioned(response, selectors.lead_get(request.user, lead.pk))


@router.post(
    "/leads/{lead_id}/owner",
    response={200: LeadOut, **WRITE_RESPONSES},
    summary="Give a lead to another rep (refused for one who is away or has no capacity left)",
)
def assign_lead(request: HttpRequest, response: HttpResponse, lead_id: int, payload: LeadAssignIn):
    lead = selectors.lead_get(request.user, lead_id)
    lead = services.lead_assign(
        actor=request.user,
        lead=lead,
        owner=_user(payload.owner_id, "owner_id"),
        note=payload.note,
        expected_version=if_match(request),
    )
    return versioned(response, selectors.lead_get(request.user, lead.pk))


# --- capture paths: the booth's queue and the public web form --------------------------------


class CaptureLeadIn(InputSchema):
    """A capture with the company picked (``company_id``) or typed (``company_*``) and the
    contact typed (``person_*``): the booth sends what the visitor said, also hours later."""

    capture_id: uuid.UUID = Field(description="Generated on the device; sent again, nothing new")
    company_id: Id | None = Field(None, description="The company picked; else the typed one")
    company_name: str = Field("", max_length=200)
    company_street: str = Field("", max_length=200)
    company_postcode: str = Field("", max_length=10)
    company_city: str = Field("", max_length=100)
    company_country: Country = Country.DE
    company_phone: str = Field("", max_length=40)
    company_email: str = Field("", max_length=254)
    company_website: str = Field("", max_length=200)
    person_salutation: Salutation = Salutation.NONE
    person_first_name: str = Field("", max_length=100)
    person_last_name: str = Field("", max_length=100)
    person_email: str = Field("", max_length=254)
    person_phone: str = Field("", max_length=40)
    person_function: str = Field("", max_length=100)
    source: LeadSource = LeadSource.TRADE_FAIR
    source_name: str = Field("", max_length=100, description="The fair")
    interests: str = Field("", max_length=300)
    need: str = Field("", max_length=10_000)
    timing: str = Field("", max_length=100)
    notes: str = Field("", max_length=10_000)
    consent: bool = Field(False, description="The visitor agreed to be contacted")
    consent_text: str = Field("", max_length=2000, description="The words he agreed to")
    queued_by: Id | None = Field(
        None,
        description="The user whose device queue held the capture; sent by another user, it "
        "is refused (409)",
    )


class WebFormIn(Schema):
    """The company website's enquiry form; fields as on the embeddable page."""

    model_config = ConfigDict(extra="forbid")

    form_token: str = Field(
        "", max_length=500, description="From GET /leads/web-form/token, at least seconds old"
    )
    homepage: str = Field("", max_length=200, description="Honeypot: leave it empty")
    company_name: str = Field(max_length=200)
    company_street: str = Field("", max_length=200)
    company_postcode: str = Field("", max_length=10)
    company_city: str = Field("", max_length=100)
    company_country: Country = Country.DE
    company_phone: str = Field("", max_length=40)
    company_website: str = Field("", max_length=200)
    person_salutation: Salutation = Salutation.NONE
    person_first_name: str = Field("", max_length=100)
    person_last_name: str = Field(max_length=100)
    person_email: str = Field(max_length=254)
    person_phone: str = Field("", max_length=40)
    person_function: str = Field("", max_length=100)
    need: str = Field(max_length=5000)
    interests: str = Field("", max_length=300)
    timing: str = Field("", max_length=100)
    consent: bool = Field(
        description="Must be true: the visitor agreed to our wording (GET …/token, "
        "consent_text), which is recorded in the language of the request"
    )


class WebFormTokenOut(Schema):
    form_token: str
    min_seconds: int = Field(description="Send the form no sooner than this after the token")
    consent_text: str = Field(description="Our wording of the consent, to show with the form")


class WebFormOut(Schema):
    received: bool


def _typed(payload: Schema, prefix: str) -> dict[str, Any]:
    return {
        name.removeprefix(prefix): value.value if isinstance(value, Enum) else value
        for name, value in payload.model_dump().items()
        if name.startswith(prefix) and name != f"{prefix}id" and value not in (None, "")
    }


def _flat_errors(exc: ValidationError) -> ValidationError:
    """The service names ``company.name``; the body's field is ``company_name``."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {name.replace(".", "_"): errors for name, errors in exc.error_dict.items()}
    )


@router.post(
    "/leads/booth",
    url_name="lead_booth_capture",
    response={201: LeadOut, 200: LeadOut, **BODY_RESPONSES, 409: Problem},
    summary="Capture a lead from the booth: the company picked or typed, matched or created",
)
def capture_booth_lead(request: HttpRequest, response: HttpResponse, payload: CaptureLeadIn):
    if payload.queued_by is not None and payload.queued_by != request.user.pk:
        # A shared tablet: the capture is in the name of whoever saved it, not of whoever is
        # logged in when the connection returns.
        raise Conflict(
            _(
                "Another user saved this capture on this device: it is sent only when he is "
                "logged in. Or correct it and save it again in your name."
            )
        )
    consent = None
    if payload.consent:
        wording = payload.consent_text.strip() or str(webform.CONSENT_WORDING)
        source = payload.source_name or str(payload.source.label)
        consent = capture.ConsentGiven(wording=wording, source=source)
    data = {
        "source": payload.source.value,
        **{name: getattr(payload, name) for name in capture.LEAD_TEXT_FIELDS},
    }
    try:
        result = capture.lead_capture_matching(
            actor=request.user,
            data=data,
            company=_typed(payload, "company_"),
            company_id=payload.company_id,
            person=_typed(payload, "person_"),
            capture_id=payload.capture_id,
            consent=consent,
        )
    except ValidationError as exc:
        raise _flat_errors(exc) from exc
    return Status(201 if result.created else 200, versioned(response, result.lead))


@router.get(
    "/leads/web-form/token",
    auth=None,
    response={200: WebFormTokenOut},
    summary="Start the public web form: its signed start time and the consent's wording",
)
def web_form_token(request: HttpRequest):
    return {
        "form_token": webform.form_token(),
        "min_seconds": webform.min_fill_seconds(),
        "consent_text": str(webform.CONSENT_WORDING),
    }


def _problem(status: int, title: str, kind: str, errors: dict[str, str] | None = None):
    body = problem_body(
        status,
        title,
        kind=kind,
        errors=None
        if errors is None
        else [
            {"field": name, "message": message, "code": kind} for name, message in errors.items()
        ],
    )
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


@router.post(
    "/leads/web-form",
    auth=None,
    response={201: WebFormOut, 413: Problem, 415: Problem, 422: Problem, 429: Problem},
    summary="Send the public web form (no login): honeypot, one-time token with fill time, "
    "rate limit, consent",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": WebFormIn.model_json_schema()}},
            "required": True,
        }
    },
)
def send_web_form(request: HttpRequest):
    # The body is read here, after its size is checked, not by the framework before.
    if webform.too_big(request):
        return _problem(413, webform.too_big_message(), "too-large")
    try:
        webform.count_submission(request)
    except webform.TooManySubmissions:
        return _problem(429, webform.too_many_message(), "too-many-requests")
    if not is_json(request.content_type or ""):
        return _problem(415, _("Please send the body as JSON."), "unsupported-media-type")
    try:
        payload = WebFormIn.model_validate_json(request.body or b"")
    except PydanticValidationError as exc:
        raise NinjaValidationError(exc.errors(include_url=False)) from exc
    if payload.homepage:
        # A bot filled the honeypot: it is told what a person is told, and nothing is kept.
        return Status(201, {"received": True})
    errors = webform.markup_errors(payload.model_dump())
    token_problem = webform.token_error(payload.form_token)
    if token_problem:
        errors["form_token"] = token_problem
    if not payload.consent:
        errors["consent"] = _("Please agree so that we may answer you.")
    if not errors and (token_problem := webform.claim_token(payload.form_token)):
        errors["form_token"] = token_problem  # sent twice at the same moment
    if errors:
        return _problem(422, _("The input is not valid."), "validation-error", errors)
    try:
        capture.lead_capture_web_form(
            company=_typed(payload, "company_"),
            person=_typed(payload, "person_"),
            data={"need": payload.need, "interests": payload.interests, "timing": payload.timing},
            consent_wording=str(webform.CONSENT_WORDING),
            consent_source=_("Web form (API)"),
        )
    except ValidationError as exc:
        webform.release_token(payload.form_token)
        raise _flat_errors(exc) from exc
    return Status(201, {"received": True})
