"""Reads of activities: timelines, open tasks and follow-ups, the activity list of the API,
and the call lists."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.access import MANAGERS
from innendienst.accounts.models import Team, User
from innendienst.activities.access import can_change_activity
from innendienst.activities.calling import (
    CLEARLY_WORSE,
    MIN_OWN_CALLS,
    MIN_OWN_CALLS_NOW,
    RATES_HISTORY,
    REACHABILITY_HISTORY,
    SLOT_HOURS,
    SLOTS,
    UNKNOWN_RATE,
    UNREACHED,
    WEEKDAYS,
    call_limits,
    posterior,
    slot_of,
)
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallEntryStatus,
    CallGuide,
    CallList,
    CallListEntry,
    CallOutcome,
    ReachabilityRate,
    WhomToCall,
)
from innendienst.campaigns.selectors import campaigns_for
from innendienst.contacts.models import (
    BuyingCenterMembership,
    BuyingCenterRole,
    Company,
    Person,
)
from innendienst.contacts.selectors import company_scope, people_for
from innendienst.core import registry
from innendienst.core.filters import ListFilterSet, sort_filter
from innendienst.privacy.selectors import people_objecting_to_calls


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


# Outcomes of a call in which the caller spoke with the contact.
SPOKEN = (
    CallOutcome.REACHED,
    CallOutcome.NO_NEED,
    CallOutcome.BOUGHT_ELSEWHERE,
    CallOutcome.APPOINTMENT,
    CallOutcome.CALLBACK,
    CallOutcome.SEND_INFORMATION,
    CallOutcome.DO_NOT_CALL,
)


def team_calls(user: User, *, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """For the sales manager: the calls of everybody in his scope, per rep, today and in the
    last seven days, with the reach rate (spoke with the contact) and the appointment rate
    (appointments for field sales per contact spoken to) of those seven days, in percent."""
    day = Day.of(today or timezone.localdate())
    week_start = day.tomorrow - datetime.timedelta(days=7)
    calls = activities_for(user).filter(kind=ActivityType.CALL, occurred_at__gte=week_start)
    rows = list(
        calls.filter(occurred_at__lt=day.tomorrow)
        .values("created_by", "created_by__first_name", "created_by__last_name")
        .annotate(
            week=Count("id"),
            today=Count("id", filter=Q(occurred_at__gte=day.start)),
            spoken=Count("id", filter=Q(outcome__in=SPOKEN)),
            appointments=Count("id", filter=Q(outcome=CallOutcome.APPOINTMENT)),
        )
        .order_by("-today", "-week", "created_by__last_name")[:25]
    )
    for row in rows:
        row["reach_rate"] = round(100 * row["spoken"] / row["week"])
        row["appointment_rate"] = (
            round(100 * row["appointments"] / row["spoken"]) if row["spoken"] else None
        )
    return rows


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


# --- call lists ------------------------------------------------------------------------------


def call_lists_for(user: User) -> QuerySet[CallList]:
    """The lists of the user's team and his own; managers see every list. Which contacts of a
    list he sees is decided per entry (``call_entries_for``)."""
    lists = CallList.objects.all()
    if not user.is_active:
        return lists.none()
    if user.is_superuser or user.role in MANAGERS:
        return lists
    return lists.filter(Q(created_by=user) | Q(team__isnull=False, team_id=user.team_id))


def call_entries_for(user: User) -> QuerySet[CallListEntry]:
    """Entries of the lists the user sees, of contacts he may see."""
    entries = CallListEntry.objects.filter(call_list__in=call_lists_for(user))
    scope = company_scope(user, prefix="company__")
    if scope is not None:
        entries = entries.filter(scope)
    hidden_people = registry.visibility_conditions(user, Person)
    if hidden_people:
        entries = entries.filter(person__in=Person.objects.filter(*hidden_people))
    return entries


def due_now(now: datetime.datetime, prefix: str = "") -> Q:
    """Open, due, and nobody calling: what "next call" may hand out now."""
    return (
        Q(**{f"{prefix}status": CallEntryStatus.OPEN})
        & (Q(**{f"{prefix}due_at__isnull": True}) | Q(**{f"{prefix}due_at__lte": now}))
        & (
            Q(**{f"{prefix}reserved_until__isnull": True})
            | Q(**{f"{prefix}reserved_until__lte": now})
        )
    )


def _progress(now: datetime.datetime) -> dict[str, Q]:
    """What the progress of a list counts, for the overview and the list's page alike."""
    return {
        "open": Q(status=CallEntryStatus.OPEN),
        "due": due_now(now),
        "done": Q(status=CallEntryStatus.DONE),
        "removed": Q(status=CallEntryStatus.REMOVED),
    }


def call_list_overview(user: User) -> QuerySet[CallList]:
    """The lists with their progress, newest first; counted among the contacts the user may
    see, as on the list's page."""
    now = timezone.now()
    entries = call_entries_for(user).filter(call_list=OuterRef("pk")).order_by()

    def count(condition: Q) -> Coalesce:
        counted = entries.filter(condition).values("call_list").annotate(n=Count("id"))
        return Coalesce(Subquery(counted.values("n")[:1]), Value(0))

    return (
        call_lists_for(user)
        .select_related("team", "created_by")
        .annotate(**{f"{name}_count": count(q) for name, q in _progress(now).items()})
        .order_by("-created_at", "-id")
    )


def call_list_get(user: User, call_list_id: int) -> CallList:
    return (
        call_lists_for(user).select_related("team", "created_by", "campaign").get(pk=call_list_id)
    )


def call_list_progress(user: User, call_list: CallList) -> dict[str, int]:
    entries = call_entries_for(user).filter(call_list=call_list)
    return entries.aggregate(
        **{name: Count("id", filter=q) for name, q in _progress(timezone.now()).items()}
    )


def call_list_entries(user: User, call_list: CallList, status: str = "") -> QuerySet:
    """The list's entries as the list page shows them: in the order of "next call"."""
    entries = call_entries_for(user).filter(call_list=call_list)
    if status:
        entries = entries.filter(status=status)
    being_called = Q(
        status=CallEntryStatus.OPEN, reservation__isnull=False, reserved_until__gt=timezone.now()
    )
    entries = entries.annotate(
        being_called=ExpressionWrapper(being_called, output_field=BooleanField())
    )
    return entries.select_related("person", "company", "reserved_by").order_by(
        "status", F("due_at").asc(nulls_first=True), "-priority", "attempts", "id"
    )


def call_entry_get(user: User, entry_id: int) -> CallListEntry:
    return (
        call_entries_for(user)
        .select_related(
            "call_list__campaign", "person", "company", "company__field_rep", "reserved_by"
        )
        .get(pk=entry_id)
    )


def holds(user: User, entry: CallListEntry) -> bool:
    """The user was handed this contact and has not saved the call yet."""
    return (
        entry.status == CallEntryStatus.OPEN
        and entry.reservation is not None
        and entry.reserved_by_id == user.pk
    )


def call_entry_held(user: User, call_list: CallList) -> CallListEntry | None:
    """The contact the user was handed on this list, still reserved for him, and not saved
    yet (a page closed in the middle of a call). Found through the partial index of
    reservations, not by reading the list."""
    return (
        call_entries_for(user)
        .filter(
            call_list=call_list,
            status=CallEntryStatus.OPEN,
            reserved_by=user,
            reservation__isnull=False,
            reserved_until__gt=timezone.now(),
        )
        .select_related("person")
        .first()
    )


def call_list_teams(user: User) -> QuerySet[Team]:
    """The teams a user may share a list with: his own; a manager's, any team."""
    if user.is_superuser or user.role in MANAGERS:
        return Team.objects.order_by("name")
    return Team.objects.filter(pk=user.team_id)


def has_phone() -> Q:
    """The person has a number: his own or the switchboard's."""
    return ~Q(phone="") | ~Q(mobile="") | ~Q(company__phone="")


def calls_since(since: datetime.datetime, **outer: str) -> QuerySet[Activity]:
    """Calls since ``since``; ``outer`` matches fields to the outer query's (``person="pk"``)."""
    return Activity.objects.filter(
        kind=ActivityType.CALL,
        occurred_at__gte=since,
        **{field: OuterRef(reference) for field, reference in outer.items()},
    )


@dataclass
class CallCandidates:
    """Who a new call list would hold, and who the filter found but the list leaves out."""

    people: QuerySet[Person]
    found: int
    without_phone: int
    objecting: int
    over_limit: int

    @property
    def count(self) -> int:
        return self.found - self.without_phone - self.objecting - self.over_limit


def call_candidates(
    user: User, companies: QuerySet[Company], whom: str = WhomToCall.EVERYONE
) -> CallCandidates:
    """The contacts at ``companies`` (a company list's filter) whom a list may call."""
    people = people_for(user).filter(company__in=companies.values("pk"))
    if whom == WhomToCall.DECIDERS:
        people = people.filter(
            Exists(
                BuyingCenterMembership.objects.filter(
                    person=OuterRef("pk"),
                    role__in=[BuyingCenterRole.DECIDER, BuyingCenterRole.BUYER],
                )
            )
        )
    return callable_among(people)


def callable_among(people: QuerySet[Person]) -> CallCandidates:
    """Of ``people`` (already scoped to the user), whom a list may call: with a phone number,
    without an objection to calls, within the contact limits. The objections and the contacts
    and companies over their limits are each read once (``IN``), not per person."""
    limits = call_limits()
    recent = calls_since(timezone.now() - limits.window).order_by()
    people_over = (
        recent.filter(person__isnull=False)
        .values("person")
        .annotate(calls=Count("id"))
        .filter(calls__gte=limits.per_person)
        .values("person")
    )
    companies_over = (
        recent.values("company")
        .annotate(calls=Count("id"))
        .filter(calls__gte=limits.per_company)
        .values("company")
    )
    people = people.annotate(
        reachable=ExpressionWrapper(has_phone(), output_field=BooleanField()),
        objection=ExpressionWrapper(
            Q(pk__in=people_objecting_to_calls()), output_field=BooleanField()
        ),
        limited=ExpressionWrapper(
            Q(pk__in=people_over) | Q(company_id__in=companies_over), output_field=BooleanField()
        ),
    )
    counts = people.aggregate(
        found=Count("id"),
        without_phone=Count("id", filter=Q(reachable=False)),
        objecting=Count("id", filter=Q(reachable=True, objection=True)),
        over_limit=Count("id", filter=Q(reachable=True, objection=False, limited=True)),
    )
    eligible = people.filter(reachable=True, objection=False, limited=False)
    return CallCandidates(people=eligible, **counts)


def call_guide_current(campaign_id: int | None) -> CallGuide | None:
    """The newest version of a campaign's guide, with its questions."""
    if campaign_id is None:
        return None
    return (
        CallGuide.objects.filter(campaign_id=campaign_id)
        .select_related("created_by")
        .prefetch_related("questions")
        .order_by("-version")
        .first()
    )


def call_guide_for(
    user: User, entry: CallListEntry, guide_id: int | None = None
) -> CallGuide | None:
    """The guide of the entry's campaign the user is shown: the version ``guide_id`` if it
    is one of the campaign's, else the newest; none when he does not see the campaign."""
    campaign_id = entry.call_list.campaign_id
    if campaign_id is None or not campaigns_for(user).filter(pk=campaign_id).exists():
        return None
    if guide_id is not None:
        shown = call_guide_get(campaign_id, guide_id)
        if shown is not None:
            return shown
    return call_guide_current(campaign_id)


def call_guide_version(campaign_id: int, version: int) -> CallGuide | None:
    return (
        CallGuide.objects.filter(campaign_id=campaign_id, version=version)
        .prefetch_related("questions")
        .first()
    )


def call_guide_get(campaign_id: int, guide_id: int) -> CallGuide | None:
    return (
        CallGuide.objects.filter(campaign_id=campaign_id, pk=guide_id)
        .prefetch_related("questions")
        .first()
    )


def call_guide_versions(campaign_id: int) -> QuerySet[CallGuide]:
    return (
        CallGuide.objects.filter(campaign_id=campaign_id)
        .select_related("created_by")
        .order_by("-version")
    )


def campaign_call_lists(user: User, campaign_id: int) -> QuerySet[CallList]:
    """The campaign's call lists the user sees, with their progress."""
    return call_list_overview(user).filter(campaign_id=campaign_id)


@dataclass(frozen=True)
class SlotEstimate:
    weekday: int
    slot: int
    chance: float
    calls: int  # the contact's own calls in this slot
    reached: int

    @property
    def until(self) -> int:
        return self.slot + SLOT_HOURS

    @property
    def percent(self) -> int:
        return round(100 * self.chance)

    @property
    def band(self) -> str:
        return "high" if self.chance >= 0.6 else "mid" if self.chance >= 0.35 else "low"

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS_ABBR[self.weekday - 1])


@dataclass(frozen=True)
class Reachability:
    """Beste Erreichbarkeit of a contact, learned: per weekday and slot the chance of reaching
    him, with the evidence — his own calls, and the prior from his industry's calls."""

    rows: list[list[SlotEstimate]]  # by weekday, then slot
    own_calls: int
    prior_from_industry: bool
    best: SlotEstimate | None
    now: SlotEstimate | None

    @property
    def better_later(self) -> bool:
        """Worth calling at his best time instead of now: his own calls, also at this hour,
        show it clearly."""
        return (
            self.best is not None
            and self.now is not None
            and self.own_calls >= MIN_OWN_CALLS
            and self.now.calls >= MIN_OWN_CALLS_NOW
            and self.now.chance < CLEARLY_WORSE * self.best.chance
        )


def reachability_rates(industry_id: int | None) -> tuple[dict[tuple[int, int], float], bool]:
    """The prior per slot: the industry's rates where it has calls, else those of all
    industries; ``True`` when the industry's own rates are used."""
    rows = ReachabilityRate.objects.filter(
        Q(industry_id=industry_id) | Q(industry__isnull=True)
        if industry_id
        else Q(industry__isnull=True)
    ).values_list("industry_id", "weekday", "slot", "calls", "reached")
    overall: dict[tuple[int, int], float] = {}
    own: dict[tuple[int, int], float] = {}
    for industry, weekday, slot, calls, reached in rows:
        if calls:
            (own if industry else overall)[(weekday, slot)] = reached / calls
    return ({**overall, **own}, bool(own))


def reachability_of(person: Person, now: datetime.datetime | None = None) -> Reachability:
    now = now or timezone.now()
    counts: dict[tuple[int, int], list[int]] = {}
    calls = Activity.objects.filter(
        person=person,
        kind=ActivityType.CALL,
        occurred_at__gte=now - REACHABILITY_HISTORY,
    ).exclude(outcome="")
    for occurred_at, outcome in calls.values_list("occurred_at", "outcome"):
        slot = slot_of(occurred_at)
        if slot is not None:
            tally = counts.setdefault(slot, [0, 0])
            tally[0] += 1
            tally[1] += outcome not in UNREACHED
    rates, from_industry = reachability_rates(person.company.industry_id)
    rows = [
        [
            SlotEstimate(
                weekday,
                slot,
                posterior(
                    counts.get((weekday, slot), [0, 0])[1],
                    counts.get((weekday, slot), [0, 0])[0],
                    rates.get((weekday, slot), UNKNOWN_RATE),
                ),
                *counts.get((weekday, slot), [0, 0]),
            )
            for slot in SLOTS
        ]
        for weekday in WEEKDAYS
    ]
    estimates = [estimate for row in rows for estimate in row]
    informed = bool(counts) or bool(rates)
    best = max(estimates, key=lambda e: (e.chance, e.calls)) if informed else None
    current = slot_of(now)
    return Reachability(
        rows=rows,
        own_calls=sum(tally[0] for tally in counts.values()),
        prior_from_industry=from_industry,
        best=best,
        now=next((e for e in estimates if (e.weekday, e.slot) == current), None),
    )


def reachability_rates_computed(now: datetime.datetime | None = None) -> list[ReachabilityRate]:
    """The rates per industry and over all industries from the last year's calls, counted
    by the database per local weekday and hour, unsaved."""
    since = (now or timezone.now()) - RATES_HISTORY
    zone = timezone.get_current_timezone()
    grouped = (
        Activity.objects.filter(kind=ActivityType.CALL, occurred_at__gte=since)
        .exclude(outcome="")
        .annotate(
            weekday=ExtractIsoWeekDay("occurred_at", tzinfo=zone),
            hour=ExtractHour("occurred_at", tzinfo=zone),
        )
        .values("company__industry_id", "weekday", "hour")
        .annotate(calls=Count("id"), reached=Count("id", filter=~Q(outcome__in=UNREACHED)))
        .order_by()
    )
    tallies: dict[tuple[int | None, int, int], list[int]] = {}
    for row in grouped:
        hour = row["hour"]
        if row["weekday"] not in WEEKDAYS or not SLOTS[0] <= hour < SLOTS[-1] + SLOT_HOURS:
            continue
        slot = SLOTS[0] + (hour - SLOTS[0]) // SLOT_HOURS * SLOT_HOURS
        for industry in {row["company__industry_id"], None}:
            tally = tallies.setdefault((industry, row["weekday"], slot), [0, 0])
            tally[0] += row["calls"]
            tally[1] += row["reached"]
    return [
        ReachabilityRate(
            industry_id=industry, weekday=weekday, slot=slot, calls=calls, reached=reached
        )
        for (industry, weekday, slot), (calls, reached) in sorted(
            tallies.items(), key=lambda item: (item[0][0] or 0, item[0][1], item[0][2])
        )
    ]
