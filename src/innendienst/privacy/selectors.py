"""Reads of the consent ledger, and the rule that marketing sees only people who consented."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from innendienst.accounts.access import is_marketing
from innendienst.accounts.models import User
from innendienst.contacts.models import Person
from innendienst.privacy.models import Consent, ConsentStatus


def has_marketing_consent() -> Exists:
    """The person has at least one channel whose newest consent entry grants it."""
    newer_entry = Consent.objects.filter(
        person=OuterRef("person"),
        channel=OuterRef("channel"),
    ).filter(
        Q(recorded_on__gt=OuterRef("recorded_on"))
        | Q(recorded_on=OuterRef("recorded_on"), id__gt=OuterRef("id"))
    )
    current_grant = Consent.objects.filter(
        person=OuterRef("pk"), status=ConsentStatus.GRANTED
    ).filter(~Exists(newer_entry))
    return Exists(current_grant)


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
