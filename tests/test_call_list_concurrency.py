"""Eight reps pressing "next call" on one list at the same moment, each in its own database
connection: every contact is handed out, none twice. On PostgreSQL the rows are locked with
SKIP LOCKED; SQLite runs one writing transaction at a time and is tested sequentially."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from innendienst.accounts.models import Role
from innendienst.activities import services
from innendienst.activities.models import CallEntryStatus, CallOutcome
from innendienst.contacts.models import Person
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

REPS = 8
CONTACTS = 60


@pytest.fixture
def crowded_list(territories):
    team = factories.TeamFactory(name="Telefonteam", territories=[territories["BY"]])
    reps = [
        factories.UserFactory(username=f"rep{number}", role=Role.INSIDE_SALES, team=team)
        for number in range(REPS)
    ]
    for number in range(CONTACTS):
        # One contact per company: the contact limit per company stays out of the way.
        company = factories.CompanyFactory(territory=territories["BY"])
        factories.PersonFactory(company=company, last_name=f"Kontakt{number:03d}", phone="+49 89 1")
    call_list = services.call_list_create(
        actor=reps[0], name="Reaktivierung", team=team, people=Person.objects.all()
    )
    return call_list, reps


def test_it_never_hands_one_contact_to_two_reps(crowded_list):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    call_list, reps = crowded_list
    handed: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(REPS)

    def work(rep) -> None:
        try:
            start.wait()
            while (entry := services.call_list_next(actor=rep, call_list=call_list)) is not None:
                handed.append(entry.pk)
                services.call_outcome_record(
                    actor=rep,
                    entry_id=entry.pk,
                    reservation=entry.reservation,
                    outcome=CallOutcome.REACHED,
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(rep,)) for rep in reps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    twice = [pk for pk, count in Counter(handed).items() if count > 1]
    assert twice == []
    assert len(handed) == CONTACTS
    assert not call_list.entries.exclude(status=CallEntryStatus.DONE).exists()


def test_it_hands_each_contact_once_one_after_another(crowded_list):
    call_list, reps = crowded_list
    handed = []
    for turn in range(CONTACTS):
        rep = reps[turn % REPS]
        entry = services.call_list_next(actor=rep, call_list=call_list)
        handed.append(entry.pk)
        services.call_outcome_record(
            actor=rep, entry_id=entry.pk, reservation=entry.reservation, outcome="reached"
        )
    assert len(set(handed)) == CONTACTS
    assert all(services.call_list_next(actor=rep, call_list=call_list) is None for rep in reps)
