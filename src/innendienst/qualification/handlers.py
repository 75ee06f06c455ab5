"""The stored scores follow the records: after each commit that changed a company, one of its
people or channels, or, through an import or a merge, many of them."""

from __future__ import annotations

import datetime

from innendienst.contacts.models import ChannelVerification, Company, Person
from innendienst.core.events import Event
from innendienst.matching.models import Merge, RecordKind
from innendienst.qualification import quality


def company_changed(event: Event) -> None:
    quality.refresh([event.object_id])


def person_changed(event: Event) -> None:
    """His company; and the company whose buying center he joined or left as an advisor."""
    companies = set(Person.objects.filter(pk=event.object_id).values_list("company_id", flat=True))
    if event.data.get("company_id"):
        companies.add(event.data["company_id"])
    quality.refresh(sorted(companies))


def channel_verified(event: Event) -> None:
    verification = (
        ChannelVerification.objects.filter(pk=event.object_id)
        .values("company_id", "person__company_id")
        .first()
    )
    if verification is not None:
        quality.refresh([verification["company_id"] or verification["person__company_id"]])


def records_imported(event: Event) -> None:
    """An import wrote (or its undo restored) records past the services: every company changed
    since it started, and the companies of every person changed since."""
    since = datetime.datetime.fromisoformat(event.data["since"])
    companies = set(Company.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    companies.update(
        Person.objects.filter(updated_at__gte=since).values_list("company_id", flat=True)
    )
    # An undo removed people from companies that stay.
    companies.update(event.data.get("pointed_at", {}).get("contacts.company", ()))
    quality.refresh(sorted(companies))


def companies_merged(event: Event) -> None:
    """The survivor took the other's people and channels; an undone merge gives them back."""
    restored = [event.data["restored"]] if "restored" in event.data else []
    quality.refresh([event.object_id, *restored])


def people_merged(event: Event) -> None:
    """The survivor's company, and the companies the merged people worked for (they lost a
    contact) or the restored one works for."""
    person_changed(event)
    if "restored" in event.data:
        person_changed(Event(event.name, event.model, event.data["restored"], event.actor_id))
    merged = event.data.get("merged", [])
    if merged:
        left = Merge.objects.filter(kind=RecordKind.PERSON, merged_id__in=merged)
        quality.refresh(
            {row.get("company_id") for row in left.values_list("merged_values", flat=True)} - {None}
        )
