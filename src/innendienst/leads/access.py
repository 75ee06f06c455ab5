"""Who may do what with leads: one rule for the services, the pages and the API."""

from __future__ import annotations

from typing import Any

from innendienst.accounts.access import MANAGERS, MASTER_DATA_EDITORS
from innendienst.accounts.models import Role

# Marketing captures leads at fairs and from campaigns and nurtures the recycled ones; it
# does not maintain the customer base, but it works leads.
LEAD_WORKERS = frozenset({*MASTER_DATA_EDITORS, Role.MARKETING})
# Who a lead is handed over to (SQL): sales, who then accepts or rejects it.
SALES = frozenset({Role.FIELD_SALES, Role.KEY_ACCOUNT})
# Who a team's new leads are shared among: the reps, not their managers or marketing.
REPS = frozenset({Role.INSIDE_SALES, Role.FIELD_SALES, Role.KEY_ACCOUNT})


def can_work_leads(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in LEAD_WORKERS)


def is_lead_manager(user: Any) -> bool:
    return user.is_active and (user.is_superuser or user.role in MANAGERS)


def can_answer_handover(user: Any, lead: Any) -> bool:
    """A handed-over lead is accepted or rejected by the rep it was handed to, or by a
    manager standing in for him."""
    return user.is_active and (user.pk == lead.owner_id or is_lead_manager(user))
