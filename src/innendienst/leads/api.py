"""/api/v1/leads: capture leads and move them through the stages, with the same rules as the
lead inbox and the lead page."""

import datetime
import uuid
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.accounts.models import User
from innendienst.contacts.models import Priority
from innendienst.contacts.selectors import companies_for
from innendienst.core.api import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    WRITE_RESPONSES,
    Id,
    InputSchema,
    Pagination,
    RecordOut,
    if_match,
    model_input,
    referenced,
    versioned,
)
from innendienst.core.filters import query_schema
from innendienst.core.models import Currency
from innendienst.leads import selectors, services
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
    return None if pk is None else referenced(User.objects.filter(is_active=True), pk, field)


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
