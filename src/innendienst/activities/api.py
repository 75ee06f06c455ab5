"""/api/v1/activities: the timeline, with the same rules as the 360° page."""

import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.activities import selectors, services
from innendienst.activities.models import Activity, ActivityType
from innendienst.contacts.selectors import companies_for
from innendienst.core.api import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    WRITE_RESPONSES,
    Id,
    InputSchema,
    Pagination,
    Problem,
    RecordOut,
    if_match,
    model_input,
    referenced,
    versioned,
)
from innendienst.core.filters import query_schema

router = Router(tags=["activities"])


class ActivityOut(RecordOut):
    id: int
    version: int = Field(description="Sent as ETag; send it back in If-Match to change safely")
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


ActivityQuery = query_schema(selectors.ActivityFilterSet, "ActivityQuery")


@router.get(
    "/activities",
    response={200: list[ActivityOut], **ERROR_RESPONSES},
    summary="List activities, newest first",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_activities(request: HttpRequest, filters: Query[ActivityQuery]):  # type: ignore[valid-type]
    return selectors.activity_list(request.user, filters.model_dump(exclude_none=True))


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut, **ERROR_RESPONSES},
    summary="Get an activity",
)
def get_activity(request: HttpRequest, response: HttpResponse, activity_id: int):
    return versioned(response, selectors.activity_get(request.user, activity_id))


@router.post(
    "/activities",
    response={201: ActivityOut, **BODY_RESPONSES},
    summary="Log an activity or plan a task",
)
def create_activity(request: HttpRequest, response: HttpResponse, payload: ActivityIn):
    company = referenced(companies_for(request.user), payload.company_id, "company_id")
    data = payload.model_dump(exclude_unset=True, exclude={"company_id", "follow_up_at"})
    data["kind"] = payload.kind.value
    activity, _follow_up = services.activity_log(
        actor=request.user,
        company=company,
        data=model_input(Activity, data),
        follow_up_at=payload.follow_up_at,
    )
    return Status(201, versioned(response, activity))


@router.patch(
    "/activities/{activity_id}",
    response={200: ActivityOut, **WRITE_RESPONSES},
    summary="Change an activity",
)
def update_activity(
    request: HttpRequest, response: HttpResponse, activity_id: int, payload: ActivityPatch
):
    activity = selectors.activity_get(request.user, activity_id)
    data = model_input(Activity, payload.model_dump(exclude_unset=True))
    activity = services.activity_update(
        actor=request.user, activity=activity, data=data, expected_version=if_match(request)
    )
    return versioned(response, activity)


@router.post(
    "/activities/{activity_id}/done",
    response={200: ActivityOut, **ERROR_RESPONSES, 412: Problem},
    summary="Mark as done",
)
def complete_activity(request: HttpRequest, response: HttpResponse, activity_id: int):
    activity = selectors.activity_get(request.user, activity_id)
    activity = services.activity_complete(
        actor=request.user, activity=activity, expected_version=if_match(request)
    )
    return versioned(response, activity)
