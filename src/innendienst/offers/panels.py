"""The offers card of the 360° page and the offer sections of "Mein Tag"."""

from __future__ import annotations

import datetime
from typing import Any

from innendienst.accounts.models import User
from innendienst.contacts.models import Company
from innendienst.offers import selectors
from innendienst.offers.access import can_write_offers

SECTION_ROWS = 8


def company_offers(user: User, company: Company) -> dict[str, Any]:
    return {
        "offers": selectors.offers_of_company(user, company),
        "can_write_offers": can_write_offers(user),
    }


def approvals(user: User, today: datetime.date) -> dict[str, Any] | None:
    waiting = list(selectors.approvals_waiting_for(user)[: SECTION_ROWS + 1])
    if not waiting:
        return None
    return {"approvals": waiting[:SECTION_ROWS], "more_approvals": len(waiting) > SECTION_ROWS}


def follow_ups(user: User, today: datetime.date) -> dict[str, Any] | None:
    overdue = list(selectors.overdue_follow_ups(user, today)[: SECTION_ROWS + 1])
    if not overdue:
        return None
    return {
        "overdue_offers": overdue[:SECTION_ROWS],
        "more_overdue": len(overdue) > SECTION_ROWS,
        "today": today,
    }


def open_offers(user: User, company: Company) -> dict[str, Any] | None:
    """On the call screen: what the company has on the table."""
    offers = selectors.open_offers_of_company(user, company)
    return {"open_offers": offers} if offers else None
