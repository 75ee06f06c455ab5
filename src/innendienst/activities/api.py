"""/api/v1/activities: the timeline, with the same rules as the 360° page."""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from innendienst.activities import selectors, services
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallGuide,
    CallGuideQuestion,
    CallListEntry,
    CallOutcome,
)
from innendienst.contacts.selectors import companies_for
from innendienst.core.api import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    WRITE_RESPONSES,
    Conflict,
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


# --- call lists: so that a phone system can drive them ----------------------------------------


class CallListOut(Schema):
    id: int
    name: str
    description: str
    team_id: int | None
    created_at: datetime.datetime
    due_count: int = Field(description="Open, due now and nobody calling")
    open_count: int
    done_count: int
    removed_count: int


class CallContactOut(Schema):
    id: int
    full_name: str
    function: str
    phone: str
    mobile: str
    email: str
    best_time_to_reach: str


class CallCompanyOut(Schema):
    id: int
    name: str
    customer_number: str | None
    phone: str
    postcode: str
    city: str


class GuideQuestionOut(Schema):
    id: int = Field(description="The key of its answer in an outcome's ``answers``")
    text: str
    kind: str = Field(description="What the answer is and where it is written")


class CallGuideOut(Schema):
    id: int = Field(description="Send it back as ``guide_id`` with the answers")
    version: int
    goal: str
    opener: str
    hook: str
    close: str
    gatekeeper: str
    not_reached: str
    questions: list[GuideQuestionOut]

    @staticmethod
    def resolve_questions(guide: CallGuide) -> list[CallGuideQuestion]:
        return list(guide.questions.all())


class CallEntryOut(Schema):
    id: int
    call_list_id: int
    status: str
    priority: int
    attempts: int
    due_at: datetime.datetime | None
    reserved_until: datetime.datetime | None
    reservation: uuid.UUID | None = Field(
        description="Send it back with the outcome: a call is saved once, by whoever holds it"
    )
    last_outcome: str
    reason: str
    person: CallContactOut
    company: CallCompanyOut
    guide: CallGuideOut | None = Field(
        None, description="The call guide of the list's campaign, newest version"
    )

    @staticmethod
    def resolve_guide(entry: CallListEntry, context: dict[str, Any]) -> CallGuide | None:
        return selectors.call_guide_for(context["request"].user, entry)


class CallOutcomeIn(InputSchema):
    reservation: uuid.UUID
    outcome: CallOutcome
    notes: str = ""
    callback_at: datetime.datetime | None = None
    appointment_at: datetime.datetime | None = None
    recontact_at: datetime.datetime | None = None
    competitor: str = ""
    guide_id: int | None = Field(None, description="The call guide the answers belong to")
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the guide's questions by question id; each is checked like "
        "the call screen's field and written where the question's kind says",
    )


class CallSavedOut(CallEntryOut):
    call_id: int = Field(description="The call on the timeline")
    follow_up_id: int | None = Field(
        description="What the outcome planned: the callback, the visit, the next call"
    )


class CallSkipIn(InputSchema):
    reservation: uuid.UUID
    minutes: int = Field(60, ge=0, le=60 * 24 * 30)


@router.get(
    "/call-lists",
    response={200: list[CallListOut], **ERROR_RESPONSES},
    summary="List the call lists of the user's team, with their progress",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def list_call_lists(request: HttpRequest):
    return selectors.call_list_overview(request.user)


@router.post(
    "/call-lists/{call_list_id}/next",
    response={200: CallEntryOut | None, **ERROR_RESPONSES},
    summary="Next call: reserve the most important due contact for the caller (null: none due)",
)
def next_call(request: HttpRequest, call_list_id: int):
    call_list = selectors.call_list_get(request.user, call_list_id)
    entry = services.call_list_next(actor=request.user, call_list=call_list)
    return None if entry is None else selectors.call_entry_get(request.user, entry.pk)


@router.post(
    "/call-entries/{call_entry_id}/outcome",
    response={200: CallSavedOut, **BODY_RESPONSES, 409: Problem},
    summary="Save the call: its outcome, and what the outcome needs (409: saved already)",
)
def record_call_outcome(request: HttpRequest, call_entry_id: int, payload: CallOutcomeIn):
    entry = selectors.call_entry_get(request.user, call_entry_id)
    data = payload.model_dump()
    data["outcome"] = payload.outcome.value
    try:
        saved = services.call_outcome_record(actor=request.user, entry_id=entry.pk, **data)
    except services.CallAlreadySaved as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    answer = selectors.call_entry_get(request.user, entry.pk)
    answer.call_id = saved.call.pk
    answer.follow_up_id = saved.follow_up.pk if saved.follow_up else None
    return answer


class CallReserveIn(InputSchema):
    reservation: uuid.UUID


@router.post(
    "/call-entries/{call_entry_id}/reserve",
    response={200: CallEntryOut, **BODY_RESPONSES, 409: Problem},
    summary="Keep the contact reserved for the caller a while longer (409: reservation gone)",
)
def reserve_call(request: HttpRequest, call_entry_id: int, payload: CallReserveIn):
    entry = selectors.call_entry_get(request.user, call_entry_id)
    try:
        services.call_entry_renew(
            actor=request.user, entry_id=entry.pk, reservation=payload.reservation
        )
    except services.CallAlreadySaved as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    return selectors.call_entry_get(request.user, entry.pk)


@router.post(
    "/call-entries/{call_entry_id}/skip",
    response={200: CallEntryOut, **BODY_RESPONSES, 409: Problem},
    summary="Skip or snooze the contact: back on the list, due again in so many minutes",
)
def skip_call(request: HttpRequest, call_entry_id: int, payload: CallSkipIn):
    entry = selectors.call_entry_get(request.user, call_entry_id)
    try:
        services.call_entry_skip(actor=request.user, entry_id=entry.pk, **payload.model_dump())
    except services.CallAlreadySaved as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    return selectors.call_entry_get(request.user, entry.pk)
