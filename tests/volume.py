"""A realistic amount of data for the query-count tests: enough rows that an N+1 query would
show, built the same way for 3 and for 30 rows so the pinned count can be compared."""

from __future__ import annotations

import datetime

from django.utils import timezone

from innendienst.activities.models import ActivityType
from tests import factories


def open_task(company, owner, *, due, person=None, subject="Angebot nachfassen"):
    return factories.ActivityFactory(
        company=company,
        person=person,
        kind=ActivityType.TASK,
        outcome="",
        occurred_at=None,
        due_at=due,
        done=False,
        assigned_to=owner,
        created_by=owner,
        subject=subject,
    )


def customer_base(territory, owner, rows: int, *, name="Maschinenbau") -> list:
    """``rows`` companies of ``owner``, each with a contact in the buying center, a call, an
    open follow-up of the owner due today and an order."""
    companies = []
    now = timezone.now()
    customer_group = factories.CustomerGroupFactory(code="A", name="A-Kunden")
    for n in range(rows):
        company = factories.CompanyFactory(
            name=f"{name} {n:02d} GmbH",
            territory=territory,
            inside_rep=owner,
            customer_group=customer_group,
        )
        person = factories.PersonFactory(company=company, last_name=f"Kunde{n:02d}")
        factories.BuyingCenterMembershipFactory(person=person, role="decider")
        factories.ActivityFactory(company=company, person=person, created_by=owner)
        open_task(company, owner, person=person, due=now - datetime.timedelta(days=n % 3))
        factories.OrderLineFactory(order__company=company)
        companies.append(company)
    return companies


def busy_company(company, owner, rows: int) -> None:
    """``rows`` contacts at ``company``, each with a role, a call, an open follow-up, an order
    with an unpaid invoice, a further address and a change in the history."""
    from innendienst.contacts.services import person_update

    for n in range(rows):
        person = factories.PersonFactory(company=company, last_name=f"Kontakt{n:02d}")
        factories.BuyingCenterMembershipFactory(person=person, role="user")
        factories.ActivityFactory(company=company, person=person, created_by=owner)
        open_task(company, owner, person=person, due=timezone.now())
        factories.OrderLineFactory(
            order__company=company, order__invoiced_on=timezone.localdate(), order__paid_on=None
        )
        company.addresses.create(
            kind="delivery", street=f"Lagerweg {n}", postcode="85748", city="Garching"
        )
        person_update(actor=owner, person=person, data={"function": "Technik"})


def busy_person(person, owner, rows: int) -> None:
    """``rows`` calls, follow-ups, consents and changes of one contact."""
    from innendienst.contacts.services import person_update

    for n in range(rows):
        factories.ActivityFactory(company=person.company, person=person, created_by=owner)
        open_task(person.company, owner, person=person, due=timezone.now())
        factories.ConsentFactory(person=person, channel="email" if n % 2 else "phone")
        person_update(actor=owner, person=person, data={"function": f"Einkauf {n}"})
