"""activities best time to reach: learned per contact from his calls by weekday and two-hour
slot, shrunk towards his industry's rate, shown with its evidence and used by "next call"."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from innendienst.activities import selectors, services
from innendienst.activities.calling import next_start_of, slot_of
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallEntryReason,
    ReachabilityRate,
)
from innendienst.contacts.models import Industry, Priority
from innendienst.contacts.selectors import company_filter
from tests import factories

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# Monday 11 January 2027, 14:30 in Munich.
MONDAY_AFTERNOON = datetime.datetime(2027, 1, 11, 14, 30, tzinfo=BERLIN)


def _calls(person, at: datetime.datetime, outcomes: list[str]) -> None:
    """Calls to ``person`` on the weeks before ``at``, same weekday and hour."""
    for weeks, outcome in enumerate(outcomes, start=1):
        Activity.objects.create(
            kind=ActivityType.CALL,
            company=person.company,
            person=person,
            subject="Anruf",
            outcome=outcome,
            occurred_at=at - datetime.timedelta(weeks=weeks),
        )


@pytest.fixture
def mechanics():
    return Industry.objects.create(code="28", name="Maschinenbau")


@pytest.fixture
def contact(company, mechanics):
    company.industry, company.priority = mechanics, Priority.A
    company.save()
    return factories.PersonFactory(company=company, last_name="Berger", phone="+49 89 222")


def test_it_knows_the_slots_of_the_office_week():
    assert slot_of(MONDAY_AFTERNOON) == (1, 14)
    assert slot_of(MONDAY_AFTERNOON.replace(hour=7)) is None
    assert slot_of(MONDAY_AFTERNOON.replace(hour=18)) is None
    assert slot_of(MONDAY_AFTERNOON + datetime.timedelta(days=5)) is None  # Saturday
    tuesday_ten = next_start_of((2, 10), MONDAY_AFTERNOON)
    assert tuesday_ten == datetime.datetime(2027, 1, 12, 10, tzinfo=BERLIN)
    # The slot running now begins next week.
    assert next_start_of((1, 14), MONDAY_AFTERNOON).date() == datetime.date(2027, 1, 18)


def test_it_learns_the_contacts_best_time_with_the_evidence(contact):
    tuesday_ten = MONDAY_AFTERNOON + datetime.timedelta(days=1, hours=-4)
    _calls(contact, tuesday_ten, ["reached", "reached", "callback", "not_reached"])
    _calls(contact, MONDAY_AFTERNOON, ["not_reached", "gatekeeper", "not_reached"])

    reach = selectors.reachability_of(contact, now=MONDAY_AFTERNOON)

    assert (reach.best.weekday, reach.best.slot) == (2, 10)
    # No rates yet: the prior is even, worth four calls. (3 + 2) / (4 + 4)
    assert reach.best.chance == pytest.approx(5 / 8)
    assert (reach.best.reached, reach.best.calls) == (3, 4)
    assert reach.now.chance == pytest.approx(2 / 7)
    assert reach.own_calls == 7
    assert reach.better_later


def test_it_shrinks_a_contact_without_calls_to_his_industrys_rate(contact, mechanics, owner):
    colleague = factories.PersonFactory(company=contact.company, phone="+49 89 333")
    _calls(colleague, MONDAY_AFTERNOON, ["not_reached"] * 6 + ["reached"] * 2)
    other_industry = factories.PersonFactory(
        company=factories.CompanyFactory(industry=Industry.objects.create(code="47", name="Handel"))
    )
    _calls(other_industry, MONDAY_AFTERNOON, ["reached"] * 8)

    assert services.reachability_rates_refresh() == 2 + 1  # two industries and all of them
    rates = {
        (r.industry_id, r.weekday, r.slot): (r.reached, r.calls)
        for r in ReachabilityRate.objects.all()
    }
    assert rates[(mechanics.pk, 1, 14)] == (2, 8)
    assert rates[(None, 1, 14)] == (10, 16)

    reach = selectors.reachability_of(contact, now=MONDAY_AFTERNOON)
    assert reach.prior_from_industry
    assert reach.own_calls == 0
    assert reach.now.chance == pytest.approx(2 / 8)
    # Without his own calls he is never postponed: the industry is a hint, not a verdict.
    assert not reach.better_later


@pytest.fixture
def no_contact_limits(settings):
    """The calls of the weeks before would otherwise put him over the contact limit."""
    settings.CALL_LIMIT_PER_PERSON = settings.CALL_LIMIT_PER_COMPANY = 20


@pytest.mark.usefixtures("no_contact_limits")
def test_next_call_lets_a_contact_wait_for_his_better_hours(
    monkeypatch, owner, contact, territories
):
    tuesday_ten = MONDAY_AFTERNOON + datetime.timedelta(days=1, hours=-4)
    _calls(contact, tuesday_ten, ["reached", "reached", "reached"])
    _calls(contact, MONDAY_AFTERNOON, ["not_reached", "not_reached", "not_reached"])
    other = factories.PersonFactory(
        company=factories.CompanyFactory(territory=territories["BY"], priority=Priority.C),
        last_name="Conrad",
        phone="+49 89 444",
    )
    people = selectors.call_candidates(owner, company_filter(owner, {}).matches()).people
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_AFTERNOON)
    call_list = services.call_list_create(actor=owner, name="Reaktivierung", people=people)

    handed = services.call_list_next(actor=owner, call_list=call_list)
    assert handed.person == other
    waiting = call_list.entries.get(person=contact)
    assert waiting.reason == CallEntryReason.BEST_TIME
    assert waiting.due_at == datetime.datetime(2027, 1, 12, 10, tzinfo=BERLIN)


@pytest.mark.usefixtures("no_contact_limits")
def test_next_call_hands_out_a_contact_with_little_evidence(monkeypatch, owner, contact):
    _calls(contact, MONDAY_AFTERNOON, ["not_reached", "not_reached"])
    people = selectors.call_candidates(owner, company_filter(owner, {}).matches()).people
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_AFTERNOON)
    call_list = services.call_list_create(actor=owner, name="Reaktivierung", people=people)
    assert services.call_list_next(actor=owner, call_list=call_list).person == contact


def test_it_has_nothing_to_say_without_any_calls(contact):
    reach = selectors.reachability_of(contact, now=MONDAY_AFTERNOON)
    assert reach.best is None
    assert reach.own_calls == 0
    assert not reach.better_later


@pytest.mark.usefixtures("no_contact_limits")
def test_next_call_does_not_postpone_on_the_industrys_word_alone(monkeypatch, owner, contact):
    tuesday_ten = MONDAY_AFTERNOON + datetime.timedelta(days=1, hours=-4)
    _calls(contact, tuesday_ten, ["reached", "reached", "reached"])
    ReachabilityRate.objects.create(
        industry=contact.company.industry, weekday=1, slot=14, calls=40, reached=4
    )
    reach = selectors.reachability_of(contact, now=MONDAY_AFTERNOON)
    assert reach.now.chance < 0.5 * reach.best.chance
    assert not reach.better_later  # never called on a Monday afternoon
