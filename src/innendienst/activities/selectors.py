"""Reads of activities: timelines, open tasks and follow-ups, the activity list of the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import User
from innendienst.activities.access import can_change_activity
from innendienst.activities.models import Activity, ActivityType
from innendienst.contacts.models import Company, Person
from innendienst.contacts.selectors import company_scope
from innendienst.core import registry
from innendienst.core.filters import ListFilterSet, sort_filter


def activities_for(user: User) -> QuerySet[Activity]:
    """Activities at companies the user sees; of contacts only those he may see."""
    scope = company_scope(user, prefix="company__")
    activities = Activity.objects.all() if scope is None else Activity.objects.filter(scope)
    hidden_people = registry.visibility_conditions(user, Person)
    if hidden_people:
        visible = Person.objects.filter(*hidden_people)
        activities = activities.filter(Q(person__isnull=True) | Q(person__in=visible))
    return activities


def _with_relations(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("company", "person", "created_by", "assigned_to")


def _mark_changeable(user: User, activities: list[Activity]) -> list[Activity]:
    for activity in activities:
        activity.changeable = can_change_activity(user, activity)
    return activities


def timeline_of(
    user: User, *, company: Company | None = None, person: Person | None = None, limit: int = 50
) -> list[Activity]:
    """What happened and what is planned, newest first (planned items by their due date)."""
    activities = activities_for(user)
    if company is not None:
        activities = activities.filter(company=company)
    if person is not None:
        activities = activities.filter(person=person)
    return _mark_changeable(
        user,
        list(
            _with_relations(activities)
            .annotate(timeline_at=Coalesce("occurred_at", "due_at"))
            .order_by(F("timeline_at").desc(), "-id")[:limit]
        ),
    )


def open_tasks_of(user: User, *, company: Company) -> list[Activity]:
    return _mark_changeable(
        user,
        list(
            _with_relations(activities_for(user).filter(company=company, done=False)).order_by(
                F("due_at").asc(nulls_last=True), "id"
            )
        ),
    )


@dataclass(frozen=True)
class Day:
    today: datetime.date
    start: datetime.datetime
    tomorrow: datetime.datetime
    week_ahead: datetime.datetime

    @classmethod
    def of(cls, today: datetime.date) -> Day:
        start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        return cls(
            today,
            start,
            start + datetime.timedelta(days=1),
            start + datetime.timedelta(days=8),
        )


# Tasks shown per bucket of "My day"; the count says how many there are in all.
MY_DAY_TASKS = 25


def _first_due(tasks: QuerySet[Activity], count: int) -> QuerySet[Activity]:
    """The first ``count`` of ``tasks`` by due time, chosen in a subquery of their own, read
    along the open-task indexes in their order, before anything is joined to them: joined at
    once, the planner took the overdue tasks for a handful (it multiplies "open" and "overdue"
    as if unrelated) and fetched and sorted every one — 30 ms for the manager's longest overdue
    at 100,000 companies, ten times that at a million, and a rep with thousands of tasks."""
    chosen = tasks.order_by("due_at", "id").values("pk")[:count]
    return Activity.objects.filter(pk__in=chosen).order_by("due_at", "id")


def _my_open_tasks(user: User) -> QuerySet[Activity]:
    return activities_for(user).filter(assigned_to=user, done=False)


def _my_buckets(day: Day) -> dict[str, Q]:
    return {
        "overdue": Q(due_at__lt=day.start),
        "today": Q(due_at__gte=day.start, due_at__lt=day.tomorrow),
        "upcoming": Q(due_at__gte=day.tomorrow, due_at__lt=day.week_ahead),
    }


def my_tasks(user: User, *, today: datetime.date | None = None) -> dict[str, list[Activity]]:
    """Mein Tag: my open tasks and follow-ups, split into overdue, today and upcoming, the
    first ``MY_DAY_TASKS`` of each by due time."""
    day = Day.of(today or timezone.localdate())
    mine = _my_open_tasks(user)
    buckets = {
        name: list(
            _first_due(mine.filter(condition), MY_DAY_TASKS).select_related("company", "person")
        )
        for name, condition in _my_buckets(day).items()
    }
    for tasks in buckets.values():
        _mark_changeable(user, tasks)
    return buckets


def my_task_counts(user: User, *, today: datetime.date | None = None) -> dict[str, int]:
    """How many tasks each bucket of ``my_tasks`` has in all, in one query."""
    day = Day.of(today or timezone.localdate())
    # Only the week the buckets cover, read as a range of the rep's open-task index: his tasks
    # further ahead were read and joined to their companies too (17,000 at a million companies).
    return (
        _my_open_tasks(user)
        .filter(due_at__lt=day.week_ahead)
        .aggregate(
            **{name: Count("id", filter=condition) for name, condition in _my_buckets(day).items()}
        )
    )


def team_follow_ups(user: User, *, today: datetime.date | None = None) -> dict[str, Any]:
    """For the sales manager: the open follow-ups of everybody in his scope, per rep, and the
    longest-overdue ones."""
    day = Day.of(today or timezone.localdate())
    open_tasks = activities_for(user).filter(done=False, due_at__isnull=False)
    per_rep = list(
        open_tasks.values("assigned_to", "assigned_to__first_name", "assigned_to__last_name")
        # Counted by due_at (never empty here), which the open-task index holds: the
        # database counts in the index without reading millions of activities.
        .annotate(
            open=Count("due_at"),
            overdue=Count("due_at", filter=Q(due_at__lt=day.start)),
            today=Count("due_at", filter=Q(due_at__gte=day.start, due_at__lt=day.tomorrow)),
        )
        .order_by("-overdue", "-open", "assigned_to__last_name")[:25]
    )
    oldest = list(_with_relations(_first_due(open_tasks.filter(due_at__lt=day.start), 10)))
    return {"per_rep": per_rep, "oldest_overdue": _mark_changeable(user, oldest)}


def activity_get(user: User, activity_id: int) -> Activity:
    return _with_relations(activities_for(user)).get(pk=activity_id)


ACTIVITY_SORTS = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "-occurred": (F("occurred_at").desc(nulls_last=True), "-id"),
    "due": (F("due_at").asc(nulls_last=True), "id"),
}


class ActivityFilterSet(ListFilterSet):
    company_id = django_filters.NumberFilter(field_name="company_id", min_value=1)
    person_id = django_filters.NumberFilter(field_name="person_id", min_value=1)
    kind = django_filters.ChoiceFilter(choices=ActivityType.choices, label=_("Type"))
    done = django_filters.BooleanFilter(label=_("Done"))
    mine = django_filters.BooleanFilter(
        method="assigned_to_me", label=_("Only activities assigned to me")
    )
    sort = sort_filter(ACTIVITY_SORTS)

    sorts = ACTIVITY_SORTS
    default_sort = "-created"

    class Meta(ListFilterSet.Meta):
        model = Activity
        fields: list[str] = []

    def assigned_to_me(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(assigned_to=self.user) if value else queryset


def activity_filter(user: User, params: Mapping[str, Any] | None) -> ActivityFilterSet:
    return ActivityFilterSet(params, queryset=activities_for(user), user=user)


def activity_list(user: User, params: Mapping[str, Any]) -> QuerySet[Activity]:
    return activity_filter(user, params).results_or_raise()
