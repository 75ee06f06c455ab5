"""No lost updates: two people editing one record never silently overwrite each other.

Two checks, both inside the service's transaction on the locked row:

- The API sends the record's ``version`` as its ETag; a write with ``If-Match`` of an older
  version is refused as a whole (``PreconditionFailed``, HTTP 412).
- A form carries the values the user saw. Only what the user changed is written; a field the
  user changed that someone else changed in the meantime is refused at that field, naming the
  other value and who set it (``conflicts``); the other fields are untouched.

Every service that changes a ``VersionedModel`` calls ``bump`` so the version moves on.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.core import audit
from innendienst.core.models import AuditEntry


class VersionedModel(models.Model):
    """A record that changes through services and is edited by several people."""

    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class PreconditionFailed(Exception):
    """The client wrote on the basis of an older version of the record."""

    def __init__(self, current_version: int) -> None:
        super().__init__(current_version)
        self.current_version = current_version


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str | None) -> frozenset[int] | None:
    """The versions a client accepts from ``If-Match: "7"`` (or a list: ``"7", "8"``);
    ``*`` or no header: any. A tag we never issued matches no version."""
    if not header or header.strip() == "*":
        return None
    versions = set()
    for tag in header.split(","):
        value = tag.strip().removeprefix("W/").strip('"')
        if value.isdigit():
            versions.add(int(value))
    return frozenset(versions)


def check_version(instance: VersionedModel, expected: frozenset[int] | None) -> None:
    if expected is not None and instance.version not in expected:
        raise PreconditionFailed(instance.version)


def bump(instance: VersionedModel) -> None:
    instance.version += 1


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        try:
            return model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            return None


def comparable(field: models.Field, value: Any) -> Any:
    """One representation for a value as stored, as posted and as carried in a form."""
    if isinstance(value, models.Model):
        value = value.pk
    if value in (None, ""):
        return None
    try:
        value = field.to_python(value)
    except ValidationError:
        return value
    if isinstance(value, datetime.datetime):
        # People edit times to the minute; seconds never make two values differ.
        return value.replace(second=0, microsecond=0)
    return value


def last_change(instance: models.Model, field_name: str) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(
            content_type__app_label=instance._meta.app_label,
            content_type__model=instance._meta.model_name,
            object_id=instance.pk,
            field=field_name,
        )
        .order_by("-at", "-id")
        .first()
    )


def conflict_error(instance: models.Model, field_name: str, shown_value: str) -> ValidationError:
    change = last_change(instance, field_name)
    who = change.actor_name if change else _("someone else")
    return ValidationError(
        _(
            "Meanwhile %(who)s changed this to “%(value)s”. Your entry is kept: "
            "save again to overwrite it."
        )
        % {"who": who, "value": shown_value or _("(empty)")},
        code="conflict",
    )


def conflicts(
    instance: models.Model, before: Mapping[str, Any], data: Mapping[str, Any], seen: Mapping
) -> dict[str, ValidationError]:
    """The changes to refuse: fields that somebody else changed since the user saw them.

    ``instance`` has the user's changes applied and normalised, ``before`` is the locked row
    as it was (``audit.snapshot``), ``data`` what the user changed, ``seen`` what his form
    showed. A change the other person made too (after normalising, "089 7654321" is
    "+49 89 7654321") is no conflict.
    """
    model = type(instance)
    errors: dict[str, ValidationError] = {}
    for name in data:
        field = _field(model, name)
        if name not in seen or field is None or field.name not in before:
            continue
        was = comparable(field, before[field.name])
        if comparable(field, seen[name]) == was:
            continue
        if comparable(field, getattr(instance, field.attname)) == was:
            continue
        shown = audit.display_value(field, before[field.name])
        errors[name] = conflict_error(instance, field.name, shown)
    return errors


def apply_checking_conflicts(
    instance: models.Model,
    before: Mapping[str, Any],
    data: Mapping[str, Any],
    seen: Mapping[str, Any] | None,
    apply: Callable[[], None],
) -> None:
    """Apply and validate a change (``apply``); report its validation errors and its
    conflicts with changes made meanwhile together, so the user sees everything at once."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        apply()
    except ValidationError as exc:
        errors = dict(exc.update_error_dict({}))
    if seen is not None:
        for name, error in conflicts(instance, before, data, seen).items():
            errors[name] = [error]
    if errors:
        raise ValidationError(errors)
