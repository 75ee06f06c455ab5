"""The blocking keys follow the records: after each commit that changed a company, a person
or, through an import, many of them."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef

from innendienst.contacts.models import Company, Person
from innendienst.core.events import Event
from innendienst.matching import keys
from innendienst.matching.models import MatchKey, RecordKind, model_of

# The kind of the records an event names (by its model's label).
_KINDS = {
    Company._meta.label_lower: RecordKind.COMPANY,
    Person._meta.label_lower: RecordKind.PERSON,
}


def company_changed(event: Event) -> None:
    keys.refresh(RecordKind.COMPANY, [event.object_id])
    # A person's keys hold his company's place, and its switchboard is not his direct dial.
    people = Person.objects.filter(company_id=event.object_id).values_list("pk", flat=True)
    keys.refresh(RecordKind.PERSON, people)


def person_changed(event: Event) -> None:
    keys.refresh(RecordKind.PERSON, [event.object_id])


def records_imported(event: Event) -> None:
    """An import wrote (or its undo restored) records past the services: every company and
    person changed since it started."""
    since = datetime.datetime.fromisoformat(event.data["since"])
    for kind, model in ((RecordKind.COMPANY, Company), (RecordKind.PERSON, Person)):
        changed = model.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
        keys.refresh(kind, changed.iterator(chunk_size=keys.CHUNK))


def records_removed(event: Event) -> None:
    """An undone import removed the records it created: their keys go too. Left behind, they
    would count as namesakes of the same file imported again — a new record's own e-mail
    address held twice weighs half — and each would be read as a candidate that is gone."""
    for label, (lowest, highest) in event.data.get("removed", {}).items():
        kind = _KINDS.get(label)
        if kind is None:
            continue
        MatchKey.objects.filter(kind=kind, record_id__range=(lowest, highest)).exclude(
            Exists(model_of(kind).objects.filter(pk=OuterRef("record_id")))
        ).delete()


def records_merged(event: Event) -> None:
    """The merged records have no keys any more; the survivor's changed."""
    kind = _KINDS[event.model]
    MatchKey.objects.filter(kind=kind, record_id__in=event.data["merged"]).delete()
    (company_changed if kind == RecordKind.COMPANY else person_changed)(event)


def merge_undone(event: Event) -> None:
    kind = _KINDS[event.model]
    refreshed = company_changed if kind == RecordKind.COMPANY else person_changed
    refreshed(event)
    refreshed(Event(event.name, event.model, event.data["restored"], event.actor_id))
