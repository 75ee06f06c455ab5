"""The rules of telephone acquisition that the call lists share: how often a contact may be
called ("keine Belästigung"), how a list is ordered, when a contact is tried again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.utils import timezone

from innendienst.contacts.models import Priority

# After this many "not reached" the contact leaves the list, with that reason.
MAX_ATTEMPTS = 5
# A contact not reached is tried again after this pause, at another hour of the day.
RETRY_AFTER = datetime.timedelta(hours=3)
# A contact on screen is kept for the caller this long; then "next call" may hand it on.
RESERVATION = datetime.timedelta(minutes=20)
# "No need" or "bought elsewhere" without a date: the customer is called again after this.
RECONTACT_AFTER = datetime.timedelta(days=180)


@dataclass(frozen=True)
class CallLimits:
    """At most ``per_person`` calls to one contact and ``per_company`` to one company within
    ``days``, across all lists and campaigns (settings ``CALL_LIMIT_*``)."""

    per_person: int
    per_company: int
    days: int

    @property
    def window(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.days)


def call_limits() -> CallLimits:
    # A limit of no calls at all would take everyone off every list: one call is the least.
    return CallLimits(
        per_person=max(1, settings.CALL_LIMIT_PER_PERSON),
        per_company=max(1, settings.CALL_LIMIT_PER_COMPANY),
        days=max(1, settings.CALL_LIMIT_DAYS),
    )


def priority_of(prefix: str = "") -> Combinable:
    """The order of a new list: the field-sales priority A/B/C, an acute need on top."""
    return Case(
        When(**{f"{prefix}priority": Priority.A}, then=Value(30)),
        When(**{f"{prefix}priority": Priority.B}, then=Value(20)),
        When(**{f"{prefix}priority": Priority.C}, then=Value(10)),
        default=Value(0),
        output_field=IntegerField(),
    ) + Case(
        When(~Q(**{f"{prefix}acute_need": ""}), then=Value(5)),
        default=Value(0),
        output_field=IntegerField(),
    )


def ranked_entries(people: QuerySet, limit: int | None = None) -> QuerySet:
    """The rows of a new list's entries of ``people`` — ``entry_person``, ``entry_company``,
    ``entry_priority`` —; with ``limit``, the most important ones."""
    rows = people.order_by().annotate(rank=priority_of("company__"))
    if limit is not None:
        rows = rows.order_by("-rank", "pk")[:limit]
    return rows.values(
        entry_person=F("pk"), entry_company=F("company_id"), entry_priority=F("rank")
    )


# Best time to reach: the office week in two-hour slots, Monday 8–10 to Friday 16–18.
WEEKDAYS = (1, 2, 3, 4, 5)  # ISO weekdays
SLOTS = (8, 10, 12, 14, 16)  # the hour each slot starts
SLOT_HOURS = 2
# What the industry's rate weighs against the contact's own calls: as much as four calls. A
# contact's own record takes over after a handful of calls, never from one lucky hit.
PRIOR_CALLS = 4
# Only a contact tried this often in his own right, and this often at the hour it is now, is
# postponed to his better hours.
MIN_OWN_CALLS = 3
MIN_OWN_CALLS_NOW = 2
# … and only when now is clearly worse than his best slot.
CLEARLY_WORSE = 0.5
UNKNOWN_RATE = 0.5
# The calls a contact's best time is learned from, and those of the industries' rates.
REACHABILITY_HISTORY = datetime.timedelta(days=2 * 365)
RATES_HISTORY = datetime.timedelta(days=365)
# Outcomes that mean nobody picked up, or nobody let us through.
UNREACHED = ("not_reached", "gatekeeper")


def slot_of(moment: datetime.datetime) -> tuple[int, int] | None:
    """(ISO weekday, slot start hour) of a moment in the site's time zone; None outside the
    office week."""
    local = timezone.localtime(moment)
    weekday, hour = local.isoweekday(), local.hour
    if weekday not in WEEKDAYS or not SLOTS[0] <= hour < SLOTS[-1] + SLOT_HOURS:
        return None
    return weekday, SLOTS[0] + (hour - SLOTS[0]) // SLOT_HOURS * SLOT_HOURS


def posterior(reached: int, calls: int, prior_rate: float) -> float:
    """The chance of reaching the contact: his own record, shrunk towards the prior (a Beta
    prior worth ``PRIOR_CALLS`` calls at ``prior_rate``)."""
    return (reached + PRIOR_CALLS * prior_rate) / (calls + PRIOR_CALLS)


def next_start_of(slot: tuple[int, int], after: datetime.datetime) -> datetime.datetime:
    """The next moment the slot begins after ``after``, in the site's time zone."""
    weekday, hour = slot
    local = timezone.localtime(after)
    day = local.date() + datetime.timedelta(days=(weekday - local.isoweekday()) % 7)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    if start <= after:
        start = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=7), datetime.time(hour))
        )
    return start
