"""The cards that contacts contributes to the 360° company page and the person page."""

from __future__ import annotations

from typing import Any

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import User
from innendienst.contacts import selectors
from innendienst.contacts.forms import VerificationForm
from innendienst.contacts.models import BuyingCenterRole, Company, Person
from innendienst.core import audit

HISTORY_LIMIT = 30


def company_actions(user: User, company: Company) -> dict[str, Any] | None:
    return {} if can_edit_master_data(user) else None


def buying_center(user: User, company: Company) -> dict[str, Any]:
    people = selectors.people_of_company(user, company)
    center = selectors.buying_center_of(user, company)
    return {
        "people": [(person, set(center.roles_by_person.get(person.pk, []))) for person in people],
        "buying_center": center,
        "can_edit": can_edit_master_data(user),
    }


def master_data(user: User, company: Company) -> dict[str, Any]:
    return {
        "verified": selectors.verified_values(company=company),
        "verification_form": VerificationForm(),
        "can_edit": can_edit_master_data(user),
    }


def addresses(user: User, company: Company) -> dict[str, Any]:
    return {"addresses": list(company.addresses.all()), "can_edit": can_edit_master_data(user)}


def company_history(user: User, company: Company) -> dict[str, Any]:
    people = selectors.people_of_company(user, company)
    entries = audit.history_for(
        (Company, [company.pk]), (Person, [person.pk for person in people])
    )[:HISTORY_LIMIT]
    return {"history": audit.describe(list(entries))}


def person_actions(user: User, person: Person) -> dict[str, Any] | None:
    return {} if can_edit_master_data(user) else None


def channels(user: User, person: Person) -> dict[str, Any]:
    return {
        "roles": [BuyingCenterRole(role).label for role in selectors.roles_of(person)],
        "verified": selectors.verified_values(person=person),
        "verification_form": VerificationForm(),
        "can_edit": can_edit_master_data(user),
    }


def person_history(user: User, person: Person) -> dict[str, Any]:
    entries = audit.history_for((Person, [person.pk]))[:HISTORY_LIMIT]
    return {"history": audit.describe(list(entries))}
