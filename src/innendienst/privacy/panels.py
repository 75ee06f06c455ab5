"""The consent card on the person page."""

from __future__ import annotations

from typing import Any

from innendienst.accounts.models import User
from innendienst.contacts.models import Person
from innendienst.privacy.access import can_record_consent
from innendienst.privacy.selectors import consents_of, current_consents


def consent(user: User, person: Person) -> dict[str, Any]:
    ledger = list(consents_of(person))
    return {
        "consents": ledger,
        "current_consents": current_consents(ledger),
        "can_edit": can_record_consent(user),
    }
