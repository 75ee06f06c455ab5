"""Reads of activities: timelines, my open tasks and follow-ups."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from innendienst.accounts.models import Role, User
from innendienst.activities.models import Activity
from innendienst.contacts.models import Company, Person
from innendienst.contacts.selectors import companies_for, people_for


def activities_for(user: User) -> QuerySet[Activity]:
    activities = Activity.objects.filter(company__in=companies_for(user))
    if user.role == Role.MARKETING and not user.is_superuser:
        activities = activities.filter(Q(person__isnull=True) | Q(person__in=people_for(user)))
    return activities


def _with_relations(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("company", "person", "created_by", "assigned_to")


def timeline_of(
    user: User, *, company: Company | None = None, person: Person | None = None, limit: int = 50
) -> list[Activity]:
    """What happened and what is planned, newest first (planned items by their due date)."""
    activities = activities_for(user)
    if company is not None:
        activities = activities.filter(company=company)
    if person is not None:
        activities = activities.filter(person=person)
    return list(
        _with_relations(activities)
        .annotate(timeline_at=Coalesce("occurred_at", "due_at"))
        .order_by(F("timeline_at").desc(), "-id")[:limit]
    )


def open_tasks_of(user: User, *, company: Company) -> list[Activity]:
    return list(
        _with_relations(activities_for(user).filter(company=company, done=False)).order_by(
            F("due_at").asc(nulls_last=True), "id"
        )
    )


def my_day(user: User, *, today: datetime.date | None = None) -> dict[str, list[Activity]]:
    """Mein Tag: my open tasks and follow-ups, split into overdue, today and upcoming."""
    today = today or timezone.localdate()
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    start_of_tomorrow = start_of_today + datetime.timedelta(days=1)
    week_ahead = start_of_today + datetime.timedelta(days=8)
    mine = (
        activities_for(user)
        .filter(assigned_to=user, done=False)
        .select_related("company", "person")
        .order_by("due_at", "id")
    )
    return {
        "overdue": list(mine.filter(due_at__lt=start_of_today)[:100]),
        "today": list(mine.filter(due_at__gte=start_of_today, due_at__lt=start_of_tomorrow)),
        "upcoming": list(mine.filter(due_at__gte=start_of_tomorrow, due_at__lt=week_ahead)[:100]),
    }


def activity_get(user: User, activity_id: int) -> Activity:
    return _with_relations(activities_for(user)).get(pk=activity_id)
