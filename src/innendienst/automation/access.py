"""Who may configure automation: one rule for the services, the pages and the API."""

from __future__ import annotations

from typing import Any

from innendienst.accounts.models import Role

# Marketing writes the rules for its campaigns (newsletter click → task for the rep); sales
# management writes those for the handover.
RULE_EDITORS = frozenset({Role.MARKETING, Role.SALES_MANAGER, Role.ADMIN})


def can_edit_rules(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in RULE_EDITORS)


def can_manage_integrations(user: Any) -> bool:
    """Event sources and webhooks carry secrets and see every change: administrators only."""
    return user.is_active and (user.is_superuser or user.role == Role.ADMIN)
