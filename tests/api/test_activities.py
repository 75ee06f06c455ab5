"""/api/v1/activities: the timeline: list, read, log, plan, change and complete activities."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone

from innendienst.activities.models import Activity, ActivityType, CallOutcome
from innendienst.core.models import AuditAction, AuditEntry
from tests import factories, volume
from tests.api.helpers import (
    assert_invalid,
    audit_changes,
    audit_entries,
    ids_of,
    problem_of,
    row_counts,
)

pytestmark = pytest.mark.django_db

# Token, count, page (the visible territories come from the cache).
ACTIVITY_LIST_QUERIES = 3


def in_days(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def test_it_lists_activities_newest_first_with_filters(
    api_as, owner, teammate, outsider, admin_user, company, person, call, task, north_company
):
    note = factories.ActivityFactory(
        company=company, kind=ActivityType.NOTE, outcome="", subject="Messe", created_by=owner
    )
    north_call = factories.ActivityFactory(company=north_company)
    expected = [note.pk, task.pk, call.pk]
    assert ids_of(api_as(owner).get("/activities")) == expected
    assert ids_of(api_as(teammate).get("/activities")) == expected
    assert ids_of(api_as(outsider).get("/activities")) == [north_call.pk]
    assert ids_of(api_as(admin_user).get("/activities")) == [north_call.pk, *expected]

    api = api_as(owner)
    assert ids_of(api.get("/activities", {"kind": "task"})) == [task.pk]
    assert ids_of(api.get("/activities", {"done": "false"})) == [task.pk]
    assert ids_of(api.get("/activities", {"done": "true"})) == [note.pk, call.pk]
    assert ids_of(api.get("/activities", {"mine": "true"})) == [task.pk]
    assert ids_of(api.get("/activities", {"person_id": person.pk})) == [call.pk]
    assert ids_of(api.get("/activities", {"company_id": company.pk})) == expected
    assert ids_of(api.get("/activities", {"company_id": north_company.pk})) == []
    assert ids_of(api.get("/activities", {"sort": "created"})) == list(reversed(expected))
    assert ids_of(api.get("/activities", {"sort": "due"})) == [task.pk, call.pk, note.pk]
    assert api.get("/activities", {"page_size": 2}).json()["count"] == 3
    assert_invalid(api.get("/activities", {"kind": "fax"}), "kind")
    assert_invalid(api.get("/activities", {"done": "vielleicht"}), "done")


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_with_the_same_number_of_queries_for_any_number_of_rows(
    api_as, owner, territories, rows, django_assert_num_queries
):
    volume.customer_base(territories["BY"], owner, rows)
    api = api_as(owner)
    api.get("/activities")  # notes when the token was used
    with django_assert_num_queries(ACTIVITY_LIST_QUERIES):
        response = api.get("/activities", {"page_size": 100})
    assert response.json()["count"] == len(response.json()["items"]) == 2 * rows


def test_it_shows_an_activity(api_as, teammate, person, call):
    body = api_as(teammate).get(f"/activities/{call.pk}").json()
    assert (body["kind"], body["outcome"], body["person_id"]) == ("call", "reached", person.pk)
    assert body["done"] is True
    assert body["subject"] == "Bedarf Hydraulik"


# --- logging and planning -----------------------------------------------------------------


def test_it_logs_a_call_and_plans_the_follow_up_for_the_actor(api_as, teammate, company, person):
    follow_up_at = timezone.now() + datetime.timedelta(days=7)
    response = api_as(teammate).post(
        "/activities",
        {
            "company_id": company.pk,
            "person_id": person.pk,
            "kind": "call",
            "subject": "Bedarf Hydraulikzylinder",
            "outcome": "callback",
            "follow_up_at": follow_up_at.isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    logged = Activity.objects.get(pk=body["id"])
    assert (logged.kind, logged.outcome, logged.done) == ("call", "callback", True)
    assert logged.occurred_at is not None
    assert body["created_by_id"] == teammate.pk
    follow_up = Activity.objects.get(follow_up_of=logged)
    assert follow_up.kind == ActivityType.TASK
    assert follow_up.due_at == follow_up_at
    assert follow_up.assigned_to == teammate
    assert follow_up.person == person
    assert not follow_up.done
    assert Activity.objects.count() == 2
    created = AuditEntry.objects.filter(
        content_type__model="activity", action=AuditAction.CREATE, actor=teammate
    )
    assert set(created.values_list("object_id", flat=True)) == {logged.pk, follow_up.pk}


def test_it_plans_a_task_for_the_actor(api_as, owner, company):
    due = timezone.now() + datetime.timedelta(days=2)
    response = api_as(owner).post(
        "/activities",
        {
            "company_id": company.pk,
            "kind": "task",
            "subject": "Muster schicken",
            "due_at": due.isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["done"] is False
    assert body["occurred_at"] is None
    assert body["assigned_to_id"] == owner.pk
    assert Activity.objects.get(pk=body["id"]).due_at == due


@pytest.mark.parametrize(
    ("field", "sent", "stored_as"),
    [
        ("occurred_at", "2025-03-01T10:00:00", "occurred_at"),
        ("follow_up_at", "2099-03-01T10:00:00", "due_at of the follow-up"),
    ],
)
def test_it_reads_a_date_time_without_offset_in_the_servers_time_zone(
    api_as, owner, company, field, sent, stored_as
):
    body = {"company_id": company.pk, "kind": "call", "subject": "Anruf", "outcome": "reached"}
    response = api_as(owner).post("/activities", {**body, field: sent})
    assert response.status_code == 201, response.content
    logged = Activity.objects.get(pk=response.json()["id"])
    stored = logged.occurred_at if field == "occurred_at" else logged.follow_ups.get().due_at
    local = datetime.datetime.fromisoformat(sent).replace(
        tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    assert stored == local, stored_as


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "visit", "occurred_at": "2025-03-01T10:00:00-22:45"}, "occurred_at"),
        ({"kind": "task", "due_at": "2099-03-01T10:00:00+23:00"}, "due_at"),
    ],
)
def test_it_stores_a_date_time_with_any_offset_python_accepts(api_as, owner, company, data, field):
    response = api_as(owner).post(
        "/activities", {"company_id": company.pk, "subject": "Weit weg", **data}
    )
    assert response.status_code == 201, response.content
    stored = getattr(Activity.objects.get(pk=response.json()["id"]), field)
    assert stored == datetime.datetime.fromisoformat(data[field])


# --- completing and changing --------------------------------------------------------------


def test_it_marks_an_activity_done_once_and_audits_it(api_as, teammate, task):
    api = api_as(teammate)
    response = api.post(f"/activities/{task.pk}/done")
    assert response.status_code == 200, response.content
    assert response.json()["done"] is True
    task.refresh_from_db()
    assert task.done
    assert task.done_at is not None
    changes = audit_changes(task)
    assert changes["done"] == ("false", "true")
    assert set(changes) == {"done", "done_at"}
    done_at = task.done_at
    assert api.post(f"/activities/{task.pk}/done").status_code == 200
    task.refresh_from_db()
    assert task.done_at == done_at
    assert audit_entries(task).filter(action=AuditAction.UPDATE).count() == 2


def test_it_answers_404_when_an_outsider_completes_or_changes_an_activity(api_as, outsider, task):
    api = api_as(outsider)
    assert problem_of(api.post(f"/activities/{task.pk}/done"), 404)["type"] == "not-found"
    assert problem_of(api.patch(f"/activities/{task.pk}", {"subject": "Gekapert"}), 404)
    task.refresh_from_db()
    assert (task.done, task.subject) == (False, "Angebot nachfassen")
    assert not audit_entries(task).exists()


def test_it_changes_an_activity_and_audits_it(api_as, teammate, call, company):
    other_contact = factories.PersonFactory(company=company, last_name="Vogel")
    response = api_as(teammate).patch(
        f"/activities/{call.pk}",
        {
            "subject": "Bedarf Pneumatik",
            "outcome": "send_information",
            "person_id": other_contact.pk,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["subject"], body["outcome"], body["person_id"]) == (
        "Bedarf Pneumatik",
        "send_information",
        other_contact.pk,
    )
    changes = audit_changes(call)
    assert changes["subject"] == ("Bedarf Hydraulik", "Bedarf Pneumatik")
    assert changes["outcome"] == ("reached", "send_information")
    assert changes["person"] == ("Anna Berger", f"Anna {other_contact.last_name}")


# --- bad input: 422 at the field, nothing written -----------------------------------------

ACTIVITY_BAD_INPUT = [
    ({"kind": "fax"}, "kind"),
    ({"kind": None}, "kind"),
    ({"outcome": ""}, "outcome"),
    ({"outcome": "maybe"}, "outcome"),
    ({"kind": "note", "outcome": "reached"}, "outcome"),
    ({"subject": ""}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"notes": "x" * 10_001}, "notes"),
    ({"occurred_at": "gestern"}, "occurred_at"),
    ({"occurred_at": in_days(2)}, "occurred_at"),
    ({"follow_up_at": in_days(-10)}, "follow_up_at"),
    ({"follow_up_at": "bald"}, "follow_up_at"),
    ({"person_id": 999_999}, "person_id"),
    ({"assigned_to_id": 999_999}, "assigned_to_id"),
    ({"person_id": "Anna"}, "person_id"),
]


@pytest.mark.parametrize(("data", "field"), ACTIVITY_BAD_INPUT)
def test_it_rejects_a_bad_new_activity_at_the_field(api_as, owner, company, data, field):
    before = row_counts()
    body = {"company_id": company.pk, "kind": "call", "subject": "Anruf", "outcome": "reached"}
    assert_invalid(api_as(owner).post("/activities", {**body, **data}), field)
    assert row_counts() == before


def test_it_names_due_at_when_a_task_has_no_due_date(api_as, owner, company):
    before = row_counts()
    response = api_as(owner).post(
        "/activities", {"company_id": company.pk, "kind": "task", "subject": "Rückruf"}
    )
    assert_invalid(response, "due_at")
    assert row_counts() == before


def test_it_rejects_a_contact_of_another_company(api_as, owner, company, territories):
    stranger = factories.PersonFactory(
        company=factories.CompanyFactory(territory=territories["BY"]), last_name="Fremd"
    )
    before = row_counts()
    response = api_as(owner).post(
        "/activities",
        {
            "company_id": company.pk,
            "person_id": stranger.pk,
            "kind": "call",
            "subject": "Anruf",
            "outcome": "reached",
            "follow_up_at": in_days(3),
        },
    )
    assert_invalid(response, "person_id")
    assert row_counts() == before


@pytest.mark.parametrize("visible", [False, True])
def test_it_rejects_a_company_that_does_not_exist_or_is_not_seen_at_the_field(
    api_as, outsider, company, visible
):
    before = row_counts()
    company_id = company.pk if visible else 999_999
    response = api_as(outsider).post(
        "/activities", {"company_id": company_id, "kind": "note", "subject": "Spioniert"}
    )
    assert_invalid(response, "company_id")
    assert "Müller" not in response.content.decode()
    assert row_counts() == before


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "task", "due_at": "9999-12-31T23:59:59-12:00"},
        {"kind": "call", "outcome": "reached", "occurred_at": "0001-01-01T00:30:00+14:00"},
        {"kind": "call", "outcome": "reached", "follow_up_at": "9999-12-31T23:59:59-12:00"},
    ],
)
def test_it_rejects_a_date_time_beyond_the_calendar(api_as, owner, company, data):
    before = row_counts()
    field = next(name for name in data if name.endswith("_at"))
    response = api_as(owner).post(
        "/activities", {"company_id": company.pk, "subject": "Irgendwann", **data}
    )
    assert_invalid(response, field)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": None}, "outcome"),
        ({"outcome": "maybe"}, "outcome"),
        ({"subject": ""}, "subject"),
        ({"subject": None}, "subject"),
        ({"occurred_at": in_days(2)}, "occurred_at"),
        ({"occurred_at": None}, "occurred_at"),
        ({"person_id": 999_999}, "person_id"),
        ({"notes": "x" * 10_001}, "notes"),
    ],
)
def test_it_rejects_a_bad_activity_change_at_the_field(api_as, owner, call, data, field):
    before = row_counts()
    assert_invalid(api_as(owner).patch(f"/activities/{call.pk}", data), field)
    assert row_counts() == before
    call.refresh_from_db()
    assert (call.subject, call.outcome) == ("Bedarf Hydraulik", CallOutcome.REACHED)


def test_it_rejects_moving_an_activity_to_a_contact_of_another_company(
    api_as, owner, call, north_company
):
    stranger = factories.PersonFactory(company=north_company)
    assert_invalid(
        api_as(owner).patch(f"/activities/{call.pk}", {"person_id": stranger.pk}), "person_id"
    )
    call.refresh_from_db()
    assert call.person_id is not None
    assert call.person.company_id == call.company_id
