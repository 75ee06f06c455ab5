"""The company's open leads on its 360° page, and the leads waiting for me in "My day"."""

from __future__ import annotations

import datetime
from typing import Any

from innendienst.accounts.models import User
from innendienst.contacts.models import Company
from innendienst.leads import selectors, sla
from innendienst.leads.access import can_work_leads


def company_leads(user: User, company: Company) -> dict[str, Any] | None:
    leads = selectors.open_leads_of(user, company)
    can_capture = can_work_leads(user)
    if not leads and not can_capture:
        return None
    return {"leads": leads, "can_capture": can_capture}


def my_leads(user: User, today: datetime.date) -> dict[str, Any] | None:
    leads, count = selectors.my_waiting_leads(user)
    if not leads:
        return None
    return {"waiting_leads": leads, "waiting_count": count, "more_leads": count - len(leads)}


def my_escalations(user: User, today: datetime.date) -> dict[str, Any] | None:
    escalations = sla.my_escalations(user, selectors.leads_for(user))
    return {"escalations": escalations} if escalations else None
