"""What contacts does when other apps' events arrive (after their commit)."""

from __future__ import annotations

import datetime

from innendienst.contacts.models import Company
from innendienst.core.events import Event


def note_last_contact(event: Event) -> None:
    """The activities app tells the company's newest contact with each logged or changed
    activity; the company keeps it for ranking and sorting."""
    if "company_last_contact_at" not in event.data:
        return
    moment = event.data["company_last_contact_at"]
    at = datetime.datetime.fromisoformat(moment) if moment else None
    Company.objects.filter(pk=event.data["company_id"]).update(last_contact_at=at)
