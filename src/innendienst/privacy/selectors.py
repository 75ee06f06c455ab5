"""Reads of the consent ledger, and the rule that marketing sees only people who consented."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from innendienst.accounts.access import is_marketing
from innendienst.accounts.models import User
from innendienst.contacts.models import Channel, Person
from innendienst.privacy.models import Consent, ConsentStatus


def _no_newer_entry() -> Q:
    """The ledger entry is the newest of its person and channel: the current state."""
    newer_entry = Consent.objects.filter(
        person=OuterRef("person"),
        channel=OuterRef("channel"),
    ).filter(
        Q(recorded_on__gt=OuterRef("recorded_on"))
        | Q(recorded_on=OuterRef("recorded_on"), id__gt=OuterRef("id"))
    )
    return ~Exists(newer_entry)


def current_entries(person_ref: str = "pk", **match: object) -> QuerySet[Consent]:
    """The ledger entries of the person (the outer query's ``person_ref``) that are the newest
    of their channel, i.e. the current state per channel; ``match`` narrows them."""
    return Consent.objects.filter(person=OuterRef(person_ref), **match).filter(_no_newer_entry())


def people_objecting_to_calls() -> QuerySet[Consent]:
    """The ids (``person``) of everybody whose current phone entry withdraws it: one query
    over the withdrawals, for a list of thousands of contacts."""
    withdrawn = Consent.objects.filter(channel=Channel.PHONE, status=ConsentStatus.WITHDRAWN)
    return withdrawn.filter(_no_newer_entry()).values("person")


def has_marketing_consent() -> Exists:
    """The person has at least one channel whose newest consent entry grants it."""
    return Exists(current_entries(status=ConsentStatus.GRANTED))


def objects_to_calls_now(person_id: int) -> bool:
    """The newest entry of the person's ledger for the phone withdraws it: do not call."""
    newest = (
        Consent.objects.filter(person_id=person_id, channel=Channel.PHONE)
        .order_by("-recorded_on", "-id")
        .values_list("status", flat=True)
        .first()
    )
    return newest == ConsentStatus.WITHDRAWN


def consent_visibility(user: User) -> Q | None:
    """Marketing sees only the people whose consent allows it (a visibility rule of Person)."""
    return Q(has_marketing_consent()) if is_marketing(user) else None


def consents_of(person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("recorded_by").order_by("-recorded_on", "-id")


def current_consents(ledger: Iterable[Consent]) -> dict[str, Consent]:
    """The state per channel: the newest entry of a person's ledger (given newest first)."""
    current: dict[str, Consent] = {}
    for consent in ledger:
        current.setdefault(consent.channel, consent)
    return current
