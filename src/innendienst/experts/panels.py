"""The expert requests on the offer's page and the expert's section of "Mein Tag"."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from innendienst.accounts.models import User
from innendienst.experts import selectors
from innendienst.experts.access import can_withdraw
from innendienst.offers.access import can_write_offers
from innendienst.offers.models import Offer

SECTION_ROWS = 8


def offer_requests(user: User, offer: Offer) -> dict[str, Any] | None:
    """The offer's requests with status, due date, expert, question and answer; for who
    writes offers also when there is none yet, to ask the first. One query."""
    requests = selectors.requests_of_offer(user, offer)
    can_ask = can_write_offers(user) and offer.is_open
    if not requests and not can_ask:
        return None
    today = timezone.localdate()
    return {
        "expert_requests": [
            (
                expert_request,
                selectors.due_state(expert_request, today),
                expert_request.is_open and can_withdraw(user, expert_request),
            )
            for expert_request in requests
        ],
        "can_ask_experts": can_ask,
    }


def my_requests(user: User, today: datetime.date) -> dict[str, Any] | None:
    """The open requests that wait for the user's answer; None (after one query) for
    everybody who has none."""
    waiting = selectors.open_requests_for_expert(user, SECTION_ROWS)
    if not waiting:
        return None
    return {
        "waiting_requests": [
            (expert_request, selectors.due_state(expert_request, today))
            for expert_request in waiting[:SECTION_ROWS]
        ],
        "more_waiting_requests": len(waiting) > SECTION_ROWS,
    }
