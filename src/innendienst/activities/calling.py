"""The rules of telephone acquisition that the call lists share: how often a contact may be
called ("keine Belästigung"), how a list is ordered, when a contact is tried again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable

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
