"""activities call lists: putting a list together, "next call", outcomes and their follow-ups,
contact limits and objections."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities import selectors, services
from innendienst.activities.calling import MAX_ATTEMPTS
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallEntryReason,
    CallEntryStatus,
    CallList,
    CallListEntry,
    CallOutcome,
    WhomToCall,
)
from innendienst.contacts.models import BuyingCenterRole, Channel, Person, Priority
from innendienst.contacts.selectors import company_filter
from innendienst.privacy.models import Consent, ConsentStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def field_rep(team_south):
    return factories.UserFactory(username="aussendienst", role=Role.FIELD_SALES, team=team_south)


@pytest.fixture
def callees(company, territories, owner, field_rep):
    """Three contacts at companies of priority A, C and none, each with a phone number."""
    company.priority, company.field_rep = Priority.C, field_rep
    company.save()
    important = factories.CompanyFactory(
        name="Huber Fördertechnik AG", territory=territories["BY"], priority=Priority.A
    )
    plain = factories.CompanyFactory(name="Wagner Logistik GmbH", territory=territories["BY"])
    return [
        factories.PersonFactory(company=important, last_name="Adler", phone="+49 89 111"),
        factories.PersonFactory(company=company, last_name="Berger", phone="+49 89 222"),
        factories.PersonFactory(company=plain, last_name="Conrad", mobile="+49 171 333"),
    ]


def _candidates(user, **filters):
    return selectors.call_candidates(user, company_filter(user, filters).matches())


def _list(owner, name="Reaktivierung C-Kunden Q1", team=None):
    return services.call_list_create(
        actor=owner, name=name, team=team, people=_candidates(owner).people
    )


def _next(user, call_list):
    entry = services.call_list_next(actor=user, call_list=call_list)
    assert entry is not None
    return entry


def _save(user, entry, outcome, **fields):
    return services.call_outcome_record(
        actor=user, entry_id=entry.pk, reservation=entry.reservation, outcome=outcome, **fields
    )


def test_it_puts_a_list_together_in_the_order_of_priority(owner, team_south, callees):
    call_list = _list(owner, team=team_south)
    entries = list(call_list.entries.order_by("-priority", "id"))
    assert [entry.person.last_name for entry in entries] == ["Adler", "Berger", "Conrad"]
    assert entries[0].priority > entries[1].priority > entries[2].priority


def test_it_leaves_out_who_has_no_phone_objects_or_was_called_enough(owner, company, callees):
    factories.PersonFactory(company=company, last_name="Ohnetelefon", phone="")
    company_without_phone = factories.CompanyFactory(territory=company.territory, phone="")
    factories.PersonFactory(company=company_without_phone, last_name="Stumm", phone="")
    adler, berger, _conrad = callees
    factories.ConsentFactory(
        person=adler, channel=Channel.PHONE, status=ConsentStatus.WITHDRAWN, legal_basis="consent"
    )
    for _ in range(3):
        factories.ActivityFactory(company=company, person=berger, created_by=owner)

    candidates = _candidates(owner)

    # The company's switchboard reaches Ohnetelefon; Stumm has no number at all.
    assert (candidates.found, candidates.without_phone) == (5, 1)
    assert (candidates.objecting, candidates.over_limit) == (1, 1)
    assert candidates.count == 2
    assert {person.last_name for person in candidates.people} == {"Conrad", "Ohnetelefon"}


def test_it_calls_only_deciders_and_buyers_when_asked(owner, callees):
    adler, berger, _conrad = callees
    factories.BuyingCenterMembershipFactory(
        person=adler, company=adler.company, role=BuyingCenterRole.DECIDER
    )
    factories.BuyingCenterMembershipFactory(
        person=berger, company=berger.company, role=BuyingCenterRole.USER
    )
    companies = company_filter(owner, {}).matches()
    candidates = selectors.call_candidates(owner, companies, WhomToCall.DECIDERS)
    assert [person.last_name for person in candidates.people] == ["Adler"]


def test_it_refuses_an_empty_list_and_a_foreign_team(owner, team_north, callees):
    with pytest.raises(ValidationError) as raised:
        services.call_list_create(
            actor=owner, name="Leer", people=_candidates(owner, q="gibt es nicht").people
        )
    assert not hasattr(raised.value, "error_dict")  # about the list, not one field
    assert not CallList.objects.exists()
    with pytest.raises(ValidationError) as raised:
        _list(owner, team=team_north)
    assert "team" in raised.value.error_dict


def test_it_lets_only_the_list_makers_put_lists_together(field_rep, callees):
    with pytest.raises(PermissionDenied):
        _list(field_rep)


def test_it_hands_two_reps_different_contacts_and_the_same_one_twice_to_nobody(
    owner, teammate, team_south, callees
):
    call_list = _list(owner, team=team_south)
    first = _next(owner, call_list)
    second = _next(teammate, call_list)
    assert first.person.last_name == "Adler"
    assert second.person.last_name == "Berger"
    # Pressing "next" again while on the phone gives the same contact back.
    assert _next(owner, call_list).pk == first.pk


def test_it_hands_on_a_contact_whose_reservation_ran_out(owner, teammate, team_south, callees):
    call_list = _list(owner, team=team_south)
    first = _next(owner, call_list)
    CallListEntry.objects.filter(pk=first.pk).update(
        reserved_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    taken_over = _next(teammate, call_list)
    assert taken_over.pk == first.pk
    with pytest.raises(services.CallAlreadySaved, match="Jonas Keller"):
        _save(owner, first, CallOutcome.REACHED)


def test_it_saves_a_call_once(owner, callees):
    call_list = _list(owner)
    entry = _next(owner, call_list)
    saved = _save(owner, entry, CallOutcome.REACHED, notes="Interesse an Rollenbahnen")
    assert saved.call.kind == ActivityType.CALL
    assert saved.call.person == entry.person
    assert saved.entry.status == CallEntryStatus.DONE
    with pytest.raises(services.CallAlreadySaved):
        _save(owner, entry, CallOutcome.REACHED)
    assert Activity.objects.filter(kind=ActivityType.CALL).count() == 1


@override_settings(CALL_LIMIT_PER_PERSON=10)
def test_it_tries_again_later_and_takes_the_contact_off_after_the_fifth_miss(
    owner, teammate, team_south, callees
):
    call_list = _list(owner, team=team_south)
    entry = _next(owner, call_list)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        saved = _save(owner, entry, CallOutcome.NOT_REACHED)
        assert saved.entry.attempts == attempt
        if attempt == 1:
            # Not due again yet: a colleague gets the next contact.
            assert saved.entry.due_at > timezone.now()
            assert _next(teammate, call_list).pk != entry.pk
        if attempt < MAX_ATTEMPTS:
            assert saved.entry.status == CallEntryStatus.OPEN
            CallListEntry.objects.filter(pk=entry.pk).update(due_at=None)
            entry = _next(owner, call_list)
            assert entry.pk == saved.entry.pk
    assert saved.entry.status == CallEntryStatus.REMOVED
    assert saved.entry.reason == CallEntryReason.NOT_REACHED


@override_settings(CALL_LIMIT_PER_PERSON=3)
def test_it_skips_a_contact_over_the_limit_and_says_when_he_is_due(owner, callees):
    call_list = _list(owner)
    adler = callees[0]
    for _ in range(3):
        factories.ActivityFactory(company=adler.company, person=adler, created_by=owner)
    entry = _next(owner, call_list)
    assert entry.person.last_name == "Berger"
    held_back = call_list.entries.get(person=adler)
    assert held_back.reason
    assert held_back.due_at > timezone.now()


def test_it_plans_the_callback_for_the_caller(owner, callees):
    entry = _next(owner, _list(owner))
    with pytest.raises(ValidationError) as raised:
        _save(owner, entry, CallOutcome.CALLBACK)
    assert "callback_at" in raised.value.error_dict
    with pytest.raises(ValidationError) as raised:
        _save(
            owner,
            entry,
            CallOutcome.CALLBACK,
            callback_at=timezone.now() - datetime.timedelta(hours=1),
        )
    assert "callback_at" in raised.value.error_dict
    callback_at = timezone.now() + datetime.timedelta(days=2)
    saved = _save(owner, entry, CallOutcome.CALLBACK, callback_at=callback_at)
    assert saved.follow_up.due_at == callback_at
    assert saved.follow_up.assigned_to == owner
    assert saved.entry.status == CallEntryStatus.DONE


def test_it_gives_the_field_rep_the_appointment(owner, field_rep, callees):
    call_list = _list(owner)
    _next(owner, call_list)  # Adler, whose company has no field rep
    services.call_entry_skip(
        actor=owner,
        entry_id=call_list.entries.get(reserved_by=owner).pk,
        reservation=call_list.entries.get(reserved_by=owner).reservation,
        minutes=60,
    )
    entry = _next(owner, call_list)
    assert entry.person.last_name == "Berger"
    appointment_at = timezone.now() + datetime.timedelta(days=7)
    saved = _save(owner, entry, CallOutcome.APPOINTMENT, appointment_at=appointment_at)
    assert saved.follow_up.assigned_to == field_rep
    assert saved.follow_up.due_at == appointment_at
    assert saved.follow_up.follow_up_of == saved.call


def test_it_keeps_a_customer_who_bought_elsewhere_warm(owner, callees):
    entry = _next(owner, _list(owner))
    with pytest.raises(ValidationError) as raised:
        _save(owner, entry, CallOutcome.BOUGHT_ELSEWHERE)
    assert "competitor" in raised.value.error_dict
    saved = _save(owner, entry, CallOutcome.BOUGHT_ELSEWHERE, competitor="Konkurrenz AG")
    assert "Konkurrenz AG" in saved.call.notes
    assert saved.follow_up.due_at > timezone.now() + datetime.timedelta(days=170)


def test_it_writes_do_not_call_to_the_ledger_and_takes_him_off_every_list(owner, callees):
    first_list, second_list = _list(owner, name="Q1"), _list(owner, name="Q2")
    entry = _next(owner, first_list)
    _save(owner, entry, CallOutcome.DO_NOT_CALL)
    consent = Consent.objects.get(person=entry.person)
    assert (consent.channel, consent.status) == (Channel.PHONE, ConsentStatus.WITHDRAWN)
    other = second_list.entries.get(person=entry.person)
    assert other.status == CallEntryStatus.REMOVED
    assert entry.person not in _candidates(owner).people


def test_it_refuses_an_unknown_outcome(owner, callees):
    entry = _next(owner, _list(owner))
    with pytest.raises(ValidationError) as raised:
        _save(owner, entry, "vielleicht")
    assert "outcome" in raised.value.error_dict


def test_it_shows_a_list_to_its_team_and_the_managers_only(
    owner, teammate, outsider, team_south, callees
):
    team_list, own_list = _list(owner, team=team_south), _list(owner, name="Privat")
    manager = factories.UserFactory(role=Role.SALES_MANAGER)
    assert set(selectors.call_lists_for(teammate)) == {team_list}
    assert set(selectors.call_lists_for(owner)) == {team_list, own_list}
    assert set(selectors.call_lists_for(manager)) == {team_list, own_list}
    assert not selectors.call_lists_for(outsider).exists()


def test_it_hands_out_only_contacts_the_caller_may_see(owner, team_south, north_company):
    factories.PersonFactory(company=north_company, last_name="Nord", phone="+49 40 1")
    admin = factories.UserFactory(role=Role.ADMIN, team=team_south)
    call_list = services.call_list_create(
        actor=admin, name="Alle", team=team_south, people=_candidates(admin).people
    )
    assert call_list.entries.count() == 1
    assert services.call_list_next(actor=owner, call_list=call_list) is None


def test_it_takes_off_whom_an_objection_or_a_lost_number_reached_after_the_list_was_made(
    owner, callees
):
    call_list = _list(owner)
    adler, berger, _conrad = callees
    factories.ConsentFactory(
        person=adler, channel=Channel.PHONE, status=ConsentStatus.WITHDRAWN, legal_basis="consent"
    )
    berger.phone = ""
    berger.save()
    berger.company.phone = ""
    berger.company.save()
    entry = _next(owner, call_list)
    assert entry.person.last_name == "Conrad"
    reasons = dict(call_list.entries.values_list("person__last_name", "reason"))
    assert reasons["Adler"] == CallEntryReason.OBJECTION
    assert reasons["Berger"] == CallEntryReason.NO_PHONE


@override_settings(CALL_LIMIT_PER_COMPANY=2)
def test_it_postpones_every_contact_of_a_company_over_its_limit_at_once(owner, company, callees):
    call_list = _list(owner)
    for _ in range(2):
        factories.ActivityFactory(company=company, created_by=owner)
    [factories.PersonFactory(company=company, phone="+49 89 9") for _ in range(3)]
    more = services.call_list_create(
        actor=owner, name="Mehr", people=Person.objects.filter(company=company)
    )
    with CaptureQueriesContext(connection) as queries:
        assert services.call_list_next(actor=owner, call_list=more) is None
    postponed = more.entries.filter(company=company)
    assert postponed.count() == 4  # Berger and the three new contacts
    assert set(postponed.values_list("reason", flat=True)) == {CallEntryReason.CONTACT_LIMIT}
    assert not postponed.filter(due_at__isnull=True).exists()
    assert len(queries) < 15  # one postponement for the company, not one per contact
    assert _next(owner, call_list).company != company


def test_it_saves_a_call_with_a_contact_who_moved_to_another_company(owner, territories, callees):
    entry = _next(owner, _list(owner))
    new_home = factories.CompanyFactory(territory=territories["BY"], name="Neuer Arbeitgeber AG")
    entry.person.company = new_home
    entry.person.save()
    saved = _save(owner, entry, CallOutcome.REACHED)
    assert saved.call.company == new_home
    assert saved.entry.company == new_home


def test_it_keeps_the_call_subject_within_its_length_for_a_long_list_name(owner, callees):
    call_list = _list(owner, name="R" * 200)
    saved = _save(owner, _next(owner, call_list), CallOutcome.REACHED)
    assert len(saved.call.subject) == 200


@override_settings(CALL_LIMIT_PER_PERSON=0, CALL_LIMIT_PER_COMPANY=0)
def test_it_takes_a_limit_of_none_as_one_call(owner, callees):
    assert _next(owner, _list(owner)) is not None
