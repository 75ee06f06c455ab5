"""What leads do when something happens elsewhere."""

from __future__ import annotations

from innendienst.activities.models import Activity
from innendienst.activities.services import CONTACT_KINDS
from innendienst.core.events import Event
from innendienst.leads import services


def activity_logged(event: Event) -> None:
    """A call, visit, e-mail or meeting at a company gives its waiting leads their first
    contact."""
    if event.data.get("kind") not in CONTACT_KINDS:
        return
    activity = (
        Activity.objects.filter(pk=event.object_id, occurred_at__isnull=False)
        .values("company_id", "occurred_at")
        .first()
    )
    if activity is not None:
        services.leads_contacted(company_id=activity["company_id"], at=activity["occurred_at"])
