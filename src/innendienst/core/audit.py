"""Field-level audit trail, written by services inside their transaction.

Usage in a service::

    before = audit.snapshot(company)
    ...change and save...
    audit.record_update(actor=actor, instance=company, before=before)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from innendienst.core import registry
from innendienst.core.bulk import RowWriter
from innendienst.core.models import AuditAction, AuditEntry

# Bookkeeping columns whose changes nobody needs to read in a history.
IGNORED_FIELDS = {"id", "created_at", "updated_at", "search_text", "version", "last_contact_at"}


def _audited_fields(instance: models.Model) -> list[models.Field]:
    return [
        f
        for f in instance._meta.concrete_fields
        if f.name not in IGNORED_FIELDS and not isinstance(f, models.GeneratedField)
    ]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The current raw value of every audited field (FKs as ids)."""
    return {f.name: getattr(instance, f.attname) for f in _audited_fields(instance)}


def _as_text(field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, models.ForeignKey):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": _("System")}
    return {"actor": actor, "actor_name": actor.get_full_name() or actor.get_username()}


def _entry(actor: Any, instance: models.Model, action: str, **values: str) -> AuditEntry:
    return AuditEntry(
        **_actor_fields(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        **values,
    )


def record_create(*, actor: Any, instance: models.Model) -> AuditEntry:
    """One entry: the initial values are the record itself, and every later update keeps
    the value it replaced, so the full history can always be read back."""
    entry = _entry(actor, instance, AuditAction.CREATE)
    entry.save()
    return entry


def record_creates(*, actor: Any, instances: Sequence[models.Model]) -> int:
    """``record_create`` for many records in one statement (an import's batch), written by
    ``COPY``: an import writes as many audit entries as records."""
    return _record_many(actor, instances, AuditAction.CREATE)


def record_deletes(*, actor: Any, instances: Sequence[models.Model]) -> int:
    """Records that are removed (an import undone): their last state stays in the history."""
    return _record_many(actor, instances, AuditAction.DELETE)


_MANY_COLUMNS = (
    "at", "actor_id", "actor_name", "action", "content_type_id", "object_id", "object_repr",
    "field", "old_value", "new_value",
)  # fmt: skip


def _record_many(actor: Any, instances: Sequence[models.Model], action: str) -> int:
    """As rows, not AuditEntry instances: building a model instance per entry was a twentieth
    of an import's time."""
    who = _actor_fields(actor)
    actor_id = who["actor"].pk if who["actor"] is not None else None
    at = timezone.now()
    content_types = {
        model: ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        for model in {type(instance) for instance in instances}
    }
    rows = [
        (at, actor_id, who["actor_name"], action, content_types[type(instance)], instance.pk,
         str(instance)[:200], "", "", "")
        for instance in instances
    ]  # fmt: skip
    return RowWriter().write_tuples(AuditEntry, _MANY_COLUMNS, rows)


def record_update(
    *, actor: Any, instance: models.Model, before: dict[str, Any]
) -> list[AuditEntry]:
    entries = []
    for field in _audited_fields(instance):
        old, new = before.get(field.name), getattr(instance, field.attname)
        if field.name in before and old != new:
            entries.append(
                _entry(
                    actor,
                    instance,
                    AuditAction.UPDATE,
                    field=field.name,
                    old_value=_as_text(field, old),
                    new_value=_as_text(field, new),
                )
            )
    return AuditEntry.objects.bulk_create(entries)


def record_note(
    *, actor: Any, instance: models.Model, field: str, old_value: str = "", new_value: str = ""
) -> AuditEntry:
    """A change that is not a column of ``instance`` (e.g. a role added to a person)."""
    entry = _entry(
        actor,
        instance,
        AuditAction.UPDATE,
        field=field,
        old_value=old_value,
        new_value=new_value,
    )
    entry.save()
    return entry


def history_for(*groups: tuple[type[models.Model], Iterable[int]]) -> QuerySet[AuditEntry]:
    """The audit entries of the given records, newest first; one query for all groups."""
    condition = Q(pk__in=[])
    for model, ids in groups:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        condition |= Q(content_type=content_type, object_id__in=list(ids))
    return AuditEntry.objects.filter(condition).select_related("content_type")


@dataclass(frozen=True)
class HistoryLine:
    entry: AuditEntry
    field_label: str
    old: str
    new: str


def _display(field: models.Field | None, raw: str) -> str:
    if raw == "" or field is None:
        return raw
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(field, models.BooleanField):
        return _("yes") if raw == "true" else _("no")
    if isinstance(field, models.DateTimeField):
        moment = datetime.datetime.fromisoformat(raw)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return formats.date_format(datetime.date.fromisoformat(raw), "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField):
        return formats.number_format(Decimal(raw), use_l10n=True, force_grouping=True)
    return raw


def display_value(field: models.Field, value: Any) -> str:
    """A stored value as a reader sees it: choice label, name of the related record, local
    date and time, number in the reader's format."""
    return _display(field, _as_text(field, value))


def describe(entries: Sequence[AuditEntry]) -> list[HistoryLine]:
    """Entries with translated field labels and choice labels, for the history tables."""
    lines = []
    for entry in entries:
        model = entry.content_type.model_class()
        field = None
        label = entry.field
        note = registry.audit_note(entry.field) if entry.field else None
        if note is not None:  # a note about a relation, not a column
            label = str(note.label)
            render = note.render
            if render is not None:
                lines.append(
                    HistoryLine(entry, label, render(entry.old_value), render(entry.new_value))
                )
                continue
        elif model is not None and entry.field:
            try:
                field = model._meta.get_field(entry.field)
                label = str(field.verbose_name)
            except FieldDoesNotExist:
                field = None
        lines.append(
            HistoryLine(
                entry=entry,
                field_label=label,
                old=_display(field, entry.old_value),
                new=_display(field, entry.new_value),
            )
        )
    return lines
