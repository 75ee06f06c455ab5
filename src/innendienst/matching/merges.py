"""Zusammenführen: duplicates become one record, and a wrong merge is undone.

A merge keeps one record (the survivor) with the values chosen per field, carries every row of
every app that points at the others over to it (``core.references``, each app's declared
rule), keeps their external keys and history with it, notes the values that did not survive in
its history, and removes the others. What it moved is kept in a ``Merge`` row, so that the undo
puts back exactly that: the removed record with its id, the rows it moved, the twins it dropped.
Both records are locked first: a concurrent edit waits, and a merge is whole or not at all.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.access import require_master_data_editor
from innendienst.contacts.models import Company
from innendienst.core import audit, concurrency, events, references
from innendienst.core.models import ExternalKey
from innendienst.matching.models import (
    DuplicatePair,
    Merge,
    PairStatus,
    RecordKind,
    choosable_fields,
    model_of,
)
from innendienst.matching.selectors import visible_records

User = Any


@transaction.atomic
def records_merge(
    *,
    actor: User,
    kind: str,
    survivor_id: int,
    merged_ids: Iterable[int],
    choices: Mapping[str, int] | None = None,
) -> list[Merge]:
    """Merge ``merged_ids`` into ``survivor_id``; ``choices``: per field name, the id of the
    record whose value survives (default: the survivor's, or the first non-empty one)."""
    require_master_data_editor(actor)
    merged = list(dict.fromkeys(int(pk) for pk in merged_ids))
    if not merged or survivor_id in merged:
        raise ValidationError(_("Choose at least two different records to merge."))
    wanted = [survivor_id, *merged]
    model = model_of(kind)
    # In id order, as every merge does: two merges of the same records wait, never deadlock.
    locked = {
        record.pk: record
        for record in model._base_manager.select_for_update().filter(pk__in=wanted).order_by("pk")
    }
    gone = [pk for pk in wanted if pk not in locked]
    if gone:
        raise ValidationError(
            _("Record %(ids)s was merged or deleted meanwhile.")
            % {"ids": ", ".join(f"#{pk}" for pk in gone)}
        )
    if visible_records(actor, kind).filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied(_("You may merge only records you see, all of them."))
    choices = dict(choices or {})
    fields = {field.name: field for field in choosable_fields(kind)}
    errors = {
        name: [_("Choose the value of one of the merged records.")]
        for name, pk in choices.items()
        if name not in fields or int(pk) not in locked
    }
    if errors:
        raise ValidationError(errors)
    survivor = locked[survivor_id]
    done = []
    for merged_id in merged:
        taken = {name for name, pk in choices.items() if int(pk) == merged_id}
        done.append(_merge_one(actor, kind, survivor, locked[merged_id], taken))
    _pairs_decided(actor, kind, wanted)
    events.emit(f"{_event_prefix(kind)}.merged", actor=actor, instance=survivor, merged=merged)
    return done


def _event_prefix(kind: str) -> str:
    return "company" if kind == RecordKind.COMPANY else "person"


def _merge_one(
    actor: User, kind: str, survivor: models.Model, merged: models.Model, taken: set[str]
) -> Merge:
    model = type(survivor)
    before = audit.snapshot(survivor)
    merged_values = {
        field.attname: getattr(merged, field.attname) for field in model._meta.concrete_fields
    }
    unchanged = copy.copy(survivor)
    replaced: dict[str, list[Any]] = {}
    for name in taken:
        field = model._meta.get_field(name)
        old, new = getattr(survivor, field.attname), getattr(merged, field.attname)
        if old != new:
            replaced[field.attname] = [old, new]
            setattr(survivor, field.attname, new)
    _check_chosen(survivor, unchanged, taken)
    # The newest contact of the two: the merged record's calls and visits come along.
    latest = getattr(merged, "last_contact_at", None)
    if latest is not None and (survivor.last_contact_at or latest) <= latest:
        replaced["last_contact_at"] = [survivor.last_contact_at, latest]
        survivor.last_contact_at = latest
    moved = references.relink_all(merged, survivor)
    content_type = ContentType.objects.get_for_model(model)
    keys = list(
        ExternalKey.objects.filter(content_type=content_type, object_id=merged.pk).values_list(
            "pk", flat=True
        )
    )
    ExternalKey.objects.filter(pk__in=keys).update(object_id=survivor.pk)
    audit.record_note(
        actor=actor,
        instance=survivor,
        field="merge",
        new_value=_kept_in_history(merged, survivor, taken),
    )
    audit.record_deletes(actor=actor, instances=[merged])
    repr_ = str(merged)[:200]
    merged.delete()
    if replaced:
        concurrency.bump(survivor)
        survivor.save()
        audit.record_update(actor=actor, instance=survivor, before=before)
    return Merge.objects.create(
        kind=kind,
        survivor_id=survivor.pk,
        merged_id=merged_values["id"],
        merged_repr=repr_,
        merged_values=merged_values,
        replaced=replaced,
        moved=moved,
        external_keys=keys,
        merged_by=actor,
    )


def _check_chosen(survivor: models.Model, before: models.Model, taken: set[str]) -> None:
    """Values taken from two records must fit together (a postcode to its country): the
    record's own rules, for what the choice broke. An old flaw the record had before stays
    its own business."""
    if taken:
        broken = _flaws(survivor)
        for name in _flaws(before):
            broken.pop(name, None)
        if broken:
            raise ValidationError(broken)


def _flaws(record: models.Model) -> dict[str, list[str]]:
    try:
        copy.copy(record).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.message_dict)
    return {}


def _kept_in_history(merged: models.Model, survivor: models.Model, taken: set[str]) -> str:
    """The merged record and its values that did not survive, for the survivor's history."""
    lost = []
    for field in choosable_fields(
        RecordKind.COMPANY if isinstance(merged, Company) else RecordKind.PERSON
    ):
        value = getattr(merged, field.attname)
        if field.name in taken or value in (None, "") or value == getattr(survivor, field.attname):
            continue
        lost.append(f"{field.verbose_name}: {audit.display_value(field, value)}")
    head = f"{merged} (#{merged.pk})"
    return f"{head} — {'; '.join(lost)}" if lost else head


def _pairs_decided(actor: User, kind: str, ids: list[int]) -> None:
    """The pairs among the merged records are decided; the other open pairs of a removed
    record are gone with it (the next scan compares the survivor anew)."""
    among = Q()
    for left, right in combinations(sorted(ids), 2):
        among |= Q(left_id=left, right_id=right)
    DuplicatePair.objects.filter(among, kind=kind).update(
        status=PairStatus.MERGED, decided_by=actor, decided_at=timezone.now()
    )
    removed = ids[1:]
    DuplicatePair.objects.filter(kind=kind, status=PairStatus.OPEN).filter(
        Q(left_id__in=removed) | Q(right_id__in=removed)
    ).delete()


class CannotUndo(Exception):
    pass


def _still_there(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """The merged record's values with the records they point at checked: a rep who has left
    since is no rep of it any more; a company or territory that is gone makes the undo
    impossible."""
    values = dict(values)
    for field in model._meta.concrete_fields:
        if not field.is_relation or values.get(field.attname) is None:
            continue
        if field.related_model._base_manager.filter(pk=values[field.attname]).exists():
            continue
        if not field.null:
            raise CannotUndo(
                _("The %(field)s of the merged record is gone: the merge cannot be undone.")
                % {"field": field.verbose_name}
            )
        values[field.attname] = None
    return values


def _python(field: models.Field, stored: Any) -> Any:
    """A value as the merge kept it (JSON) back in the field's type."""
    return None if stored is None else field.to_python(stored)


@transaction.atomic
def merge_undo(*, actor: User, merge: Merge) -> list[str]:
    """Put the merged record back with everything the merge moved. The survivor's fields the
    merge replaced get their old value back where nobody has changed them since; the names of
    those kept as changed later are returned. Refused while a later merge into the survivor
    stands (undo that first) or when the survivor is gone (merged into another, deleted)."""
    require_master_data_editor(actor)
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise CannotUndo(_("This merge was undone already."))
    model = model_of(merge.kind)
    survivor = model._base_manager.select_for_update().filter(pk=merge.survivor_id).first()
    if survivor is None:
        raise CannotUndo(
            _("The record that was kept is gone (merged again or deleted): undo that first.")
        )
    if not visible_records(actor, merge.kind).filter(pk=survivor.pk).exists():
        raise PermissionDenied(_("You may undo only merges of records you see."))
    later = Merge.objects.filter(
        kind=merge.kind, survivor_id=merge.survivor_id, undone_at=None, pk__gt=merge.pk
    )
    if later.exists():
        raise CannotUndo(_("A later merge into this record stands: undo it first."))
    before = audit.snapshot(survivor)
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    kept_as_changed = []
    for attname, (old, new) in merge.replaced.items():
        field = by_attname[attname]
        if getattr(survivor, attname) == _python(field, new):
            setattr(survivor, attname, _python(field, old))
        else:
            kept_as_changed.append(str(field.verbose_name))
    if merge.replaced:
        concurrency.bump(survivor)
        survivor.save()
        audit.record_update(actor=actor, instance=survivor, before=before)
    restored = model(**_still_there(model, merge.merged_values))
    restored.save(force_insert=True)
    if not visible_records(actor, merge.kind).filter(pk=restored.pk).exists():
        raise PermissionDenied(_("The merged record lies in a territory you do not see."))
    references.relink_back(merge.moved, restored, survivor)
    ExternalKey.objects.filter(pk__in=merge.external_keys).update(object_id=restored.pk)
    audit.record_create(actor=actor, instance=restored)
    DuplicatePair.objects.filter(
        kind=merge.kind,
        status=PairStatus.MERGED,
        left_id=min(merge.survivor_id, merge.merged_id),
        right_id=max(merge.survivor_id, merge.merged_id),
    ).update(status=PairStatus.OPEN, decided_by=None, decided_at=None)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    prefix = _event_prefix(merge.kind)
    events.emit(f"{prefix}.merge_undone", actor=actor, instance=survivor, restored=restored.pk)
    return kept_as_changed


def pair_merge(
    *, actor: User, pair_id: int, survivor_id: Any, choices: Mapping[str, int]
) -> list[Merge]:
    """Merge the two records of a pair of the review queue, keeping ``survivor_id`` (one of
    the two)."""
    pair = DuplicatePair.objects.filter(pk=pair_id, status=PairStatus.OPEN).first()
    if pair is None:
        raise ValidationError(_("This pair was decided or is gone meanwhile."))
    kept = int(survivor_id) if str(survivor_id).isdigit() else None
    if kept not in (pair.left_id, pair.right_id):
        raise ValidationError({"survivor": [_("Keep one of the two records.")]})
    other = pair.right_id if kept == pair.left_id else pair.left_id
    return records_merge(
        actor=actor, kind=pair.kind, survivor_id=kept, merged_ids=[other], choices=choices
    )


@transaction.atomic
def pair_reject(*, actor: User, kind: str, pair_id: int) -> DuplicatePair:
    """Kein Duplikat: the pair is decided and never asked again."""
    require_master_data_editor(actor)
    pair = DuplicatePair.objects.select_for_update().filter(pk=pair_id, kind=kind).first()
    if pair is None or pair.status != PairStatus.OPEN:
        raise ValidationError(_("This pair was decided or is gone meanwhile."))
    visible = visible_records(actor, kind).filter(pk__in=[pair.left_id, pair.right_id]).count()
    if visible != 2:
        raise PermissionDenied(_("You may decide only pairs of records you see."))
    before = audit.snapshot(pair)
    pair.status, pair.decided_by, pair.decided_at = PairStatus.NOT_DUPLICATE, actor, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record_update(actor=actor, instance=pair, before=before)
    return pair
