"""Who may change an activity: one rule for the services, the pages and the API."""

from __future__ import annotations

from typing import Any

from innendienst.accounts.access import can_edit_master_data
from innendienst.activities.models import Activity


def can_change_activity(user: Any, activity: Activity) -> bool:
    """Reps who maintain the customer base may change every activity they see; marketing
    and product management only their own (written by them or assigned to them). Whether
    the user sees the activity at all is the selectors' business."""
    if not user.is_active:
        return False
    own = user.pk in (activity.created_by_id, activity.assigned_to_id)
    return own or can_edit_master_data(user)
