"""The qualification card of the 360° page."""

from __future__ import annotations

from typing import Any

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import User
from innendienst.contacts.models import Company, Person
from innendienst.qualification import selectors


def qualification(user: User, company: Company) -> dict[str, Any]:
    return {
        "qualification": selectors.company_qualification(user, company),
        "may_requalify": can_edit_master_data(user),
    }


def person_qualification(user: User, person: Person) -> dict[str, Any]:
    return {"qualification": selectors.person_qualification(person)}
