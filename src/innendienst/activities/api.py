"""/api/v1/activities: the timeline, with the same rules as the 360° page."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.activities import selectors, services
from innendienst.activities.models import Activity, ActivityType
from innendienst.contacts.selectors import companies_for
from innendienst.core.api import (
    ERROR_RESPONSES,
    Id,
    InputSchema,
    Pagination,
    model_input,
    referenced,
)

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    kind: str
    company_id: int
    person_id: int | None
    subject: str
    notes: str
    outcome: str
    occurred_at: datetime.datetime | None
    due_at: datetime.datetime | None
    done: bool
    done_at: datetime.datetime | None
    assigned_to_id: int | None
    created_by_id: int | None
    follow_up_of_id: int | None
    created_at: datetime.datetime


class ActivityPatch(InputSchema):
    person_id: Id | None = None
    subject: str | None = None
    notes: str | None = None
    outcome: str | None = None
    occurred_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    assigned_to_id: Id | None = None


class ActivityIn(ActivityPatch):
    company_id: Id
    kind: ActivityType
    subject: str
    follow_up_at: datetime.datetime | None = Field(
        None, description="Also plan a follow-up task (Wiedervorlage) for you at this time"
    )


class ActivityQuery(Schema):
    company_id: Id | None = None
    person_id: Id | None = None
    kind: ActivityType | None = None
    done: bool | None = None
    mine: bool = Field(False, description="Only activities assigned to me")


@router.get(
    "/activities",
    response={200: list[ActivityOut], **ERROR_RESPONSES},
    summary="List activities, newest first",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_activities(request: HttpRequest, filters: Query[ActivityQuery]):
    activities = selectors.activities_for(request.user)
    if filters.company_id:
        activities = activities.filter(company_id=filters.company_id)
    if filters.person_id:
        activities = activities.filter(person_id=filters.person_id)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.done is not None:
        activities = activities.filter(done=filters.done)
    if filters.mine:
        activities = activities.filter(assigned_to=request.user)
    return activities.order_by("-created_at", "-id")


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut, **ERROR_RESPONSES},
    summary="Get an activity",
)
def get_activity(request: HttpRequest, activity_id: int):
    return selectors.activity_get(request.user, activity_id)


@router.post(
    "/activities",
    response={201: ActivityOut, **ERROR_RESPONSES},
    summary="Log an activity or plan a task",
)
def create_activity(request: HttpRequest, payload: ActivityIn):
    company = referenced(companies_for(request.user), payload.company_id, "company_id")
    data = payload.model_dump(exclude_unset=True, exclude={"company_id", "follow_up_at"})
    data["kind"] = payload.kind.value
    activity, _follow_up = services.activity_log(
        actor=request.user,
        company=company,
        data=model_input(Activity, data),
        follow_up_at=payload.follow_up_at,
    )
    return Status(201, activity)


@router.patch(
    "/activities/{activity_id}",
    response={200: ActivityOut, **ERROR_RESPONSES},
    summary="Change an activity",
)
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    activity = selectors.activity_get(request.user, activity_id)
    data = model_input(Activity, payload.model_dump(exclude_unset=True))
    return services.activity_update(actor=request.user, activity=activity, data=data)


@router.post(
    "/activities/{activity_id}/done",
    response={200: ActivityOut, **ERROR_RESPONSES},
    summary="Mark as done",
)
def complete_activity(request: HttpRequest, activity_id: int):
    activity = selectors.activity_get(request.user, activity_id)
    return services.activity_complete(actor=request.user, activity=activity)
