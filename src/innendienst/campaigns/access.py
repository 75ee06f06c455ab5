"""Who plans campaigns: one rule for the services and the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from innendienst.accounts.models import Role

# Campaigns are planned by the inside service (telephone campaigns), key accounts, marketing
# and the managers; everyone who sees a campaign may read its plan.
CAMPAIGN_PLANNERS = frozenset(
    {Role.INSIDE_SALES, Role.KEY_ACCOUNT, Role.MARKETING, Role.SALES_MANAGER, Role.ADMIN}
)


def can_plan_campaigns(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in CAMPAIGN_PLANNERS)


def require_campaign_planner(user: Any) -> None:
    if not can_plan_campaigns(user):
        raise PermissionDenied(_("Your role may not plan campaigns."))
