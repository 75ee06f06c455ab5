"""Everything the 360° company page and the person page show, assembled from the apps."""

from __future__ import annotations

from typing import Any

from innendienst.accounts.models import User
from innendienst.activities.selectors import open_tasks_of, timeline_of
from innendienst.contacts import selectors as contacts
from innendienst.contacts.models import BuyingCenterRole, Company, Person
from innendienst.core import audit
from innendienst.orders.selectors import order_summary_of

HISTORY_LIMIT = 30
TIMELINE_LIMIT = 50


def company_360(user: User, company: Company) -> dict[str, Any]:
    people = list(contacts.people_of_company(user, company))
    buying_center = contacts.buying_center_of(user, company)
    history = audit.history_for(
        (Company, [company.pk]), (Person, [person.pk for person in people])
    )[:HISTORY_LIMIT]
    return {
        "company": company,
        "people": [
            (person, set(buying_center.roles_by_person.get(person.pk, []))) for person in people
        ],
        "buying_center": buying_center,
        "addresses": list(company.addresses.all()),
        "verified": contacts.verified_values(company=company),
        "timeline": timeline_of(user, company=company, limit=TIMELINE_LIMIT),
        "open_tasks": open_tasks_of(user, company=company),
        "orders": order_summary_of(user, company),
        "history": audit.describe(list(history)),
    }


def person_page(user: User, person: Person) -> dict[str, Any]:
    consents = list(contacts.consents_of(person))
    history = audit.history_for((Person, [person.pk]))[:HISTORY_LIMIT]
    return {
        "person": person,
        "roles": [BuyingCenterRole(role).label for role in contacts.roles_of(person)],
        "verified": contacts.verified_values(person=person),
        "consents": consents,
        "current_consents": contacts.current_consents(consents),
        "timeline": timeline_of(user, person=person, limit=TIMELINE_LIMIT),
        "history": audit.describe(list(history)),
    }


def global_search(user: User, query: str) -> dict[str, Any]:
    return {
        "query": query,
        "companies": contacts.company_search(user, query, limit=8),
        "people": contacts.person_search(user, query, limit=8),
    }
