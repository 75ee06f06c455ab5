"""The orders card of the 360° page and the revenue section of the manager's start page."""

from __future__ import annotations

import datetime
from typing import Any

from innendienst.accounts.models import User
from innendienst.contacts.models import Company
from innendienst.orders import selectors


def orders(user: User, company: Company) -> dict[str, Any]:
    return {"orders": selectors.order_summary_of(user, company)}


def revenue(user: User, today: datetime.date) -> dict[str, Any]:
    return {
        "revenue": selectors.revenue_month_to_date(user, today),
        "month": today,
        "today": today,
    }
