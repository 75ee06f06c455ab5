"""What contacts does when other apps' events arrive (after their commit)."""

from __future__ import annotations

import datetime

from django.db.models import Q

from innendienst.contacts.models import Company
from innendienst.core.events import Event


def note_last_contact(event: Event) -> None:
    """An activity that is a contact with the customer moves the company's last contact on;
    an older one (logged late) leaves it."""
    moment = event.data.get("contact_at")
    if not moment:
        return
    at = datetime.datetime.fromisoformat(moment)
    Company.objects.filter(pk=event.data["company_id"]).filter(
        Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=at)
    ).update(last_contact_at=at)
