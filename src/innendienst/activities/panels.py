"""The timeline, the open tasks and the "Log activity" dialog on the record pages, the call
guide and the call lists on a campaign's page, and the sections of "My day"."""

from __future__ import annotations

import datetime
from typing import Any

from innendienst.accounts.models import User
from innendienst.activities import selectors
from innendienst.activities.access import can_make_call_lists
from innendienst.campaigns.models import Campaign
from innendienst.contacts.models import Company, Person

TIMELINE_LIMIT = 50


def log_activity(user: User, company: Company) -> dict[str, Any]:
    """The button and its dialog; the form comes when the dialog opens (most visits of the
    page log nothing, and the form was a quarter of the page's time)."""
    return {}


def company_timeline(user: User, company: Company) -> dict[str, Any]:
    return {"timeline": selectors.timeline_of(user, company=company, limit=TIMELINE_LIMIT)}


def open_tasks(user: User, company: Company) -> dict[str, Any] | None:
    tasks = selectors.open_tasks_of(user, company=company)
    return {"open_tasks": tasks} if tasks else None


def log_activity_for_person(user: User, person: Person) -> dict[str, Any]:
    return {}


def person_timeline(user: User, person: Person) -> dict[str, Any]:
    return {"timeline": selectors.timeline_of(user, person=person, limit=TIMELINE_LIMIT)}


def my_tasks(user: User, today: datetime.date) -> dict[str, Any]:
    buckets = selectors.my_tasks(user, today=today)
    counts = selectors.my_task_counts(user, today=today)
    more = {name: counts[name] - len(tasks) for name, tasks in buckets.items()}
    return {"buckets": buckets, "counts": counts, "more": more, "total": sum(counts.values())}


def team_follow_ups(user: User, today: datetime.date) -> dict[str, Any] | None:
    follow_ups = selectors.team_follow_ups(user, today=today)
    return follow_ups if follow_ups["per_rep"] else None


def team_calls(user: User, today: datetime.date) -> dict[str, Any] | None:
    per_rep = selectors.team_calls(user, today=today)
    return {"per_rep": per_rep} if per_rep else None


def campaign_call_guide(user: User, campaign: Campaign) -> dict[str, Any]:
    return {
        "guide": selectors.call_guide_current(campaign.pk),
        "can_write": can_make_call_lists(user),
    }


def campaign_call_lists(user: User, campaign: Campaign) -> dict[str, Any]:
    return {
        "campaign_call_lists": selectors.campaign_call_lists(user, campaign.pk),
        "can_make": can_make_call_lists(user),
    }
