"""Who may change an activity and who puts together call lists: one rule for the services,
the pages and the API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import Role
from innendienst.activities.models import Activity


def can_change_activity(user: Any, activity: Activity) -> bool:
    """Reps who maintain the customer base may change every activity they see; marketing
    and product management only their own (written by them or assigned to them). Whether
    the user sees the activity at all is the selectors' business."""
    if not user.is_active:
        return False
    own = user.pk in (activity.created_by_id, activity.assigned_to_id)
    return own or can_edit_master_data(user)


# Who puts together call lists: the inside service, key accounts, marketing (campaigns)
# and the managers. Everyone who sees a list may call from it.
CALL_LIST_MAKERS = frozenset(
    {Role.INSIDE_SALES, Role.KEY_ACCOUNT, Role.MARKETING, Role.SALES_MANAGER, Role.ADMIN}
)


def can_make_call_lists(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in CALL_LIST_MAKERS)


def require_call_list_maker(user: Any) -> None:
    if not can_make_call_lists(user):
        raise PermissionDenied(_("Your role may not put together call lists."))
