"""No lost updates: two people editing one record never silently overwrite each other.

Two checks, both inside the service's transaction on the locked row:

- The API sends the record's ``version`` as its ETag; a write with ``If-Match`` of an older
  version is refused as a whole (``PreconditionFailed``, HTTP 412).
- A form carries the values the user saw. Only what the user changed is written; a field the
  user changed that someone else changed in the meantime is refused at that field, naming the
  other value and who set it (``check_conflicts``); the other fields are untouched.

Every service that changes a ``VersionedModel`` calls ``bump`` so the version moves on.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def parse_if_match(header: str | None) -> int | None:
    """The version a client expects from ``If-Match: "7"``; ``*`` or no header: any."""
    if not header or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError:
        return -1  # a tag we never issued matches no version


def check_version(instance: VersionedModel, expected: int | None) -> None:
    if expected is not None and expected != instance.version:
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


def check_conflicts(
    instance: models.Model, before: Mapping[str, Any], data: Mapping[str, Any], seen: Mapping
) -> None:
    """Refuse each change to a field that somebody else changed since the user saw it.

    ``before`` is the locked row (``audit.snapshot``), ``data`` what the user wants to write,
    ``seen`` the values the user's form was built from. A change that the other person also
    made is no conflict.
    """
    model = type(instance)
    errors: dict[str, ValidationError] = {}
    for name, wanted in data.items():
        if name not in seen:
            continue
        field = _field(model, name)
        if field is None or field.name not in before:
            continue
        current = comparable(field, before[field.name])
        if comparable(field, seen[name]) == current or comparable(field, wanted) == current:
            continue
        shown = _display_current(instance, field)
        errors[name] = conflict_error(instance, field.name, shown)
    if errors:
        raise ValidationError(errors)


def _display_current(instance: models.Model, field: models.Field) -> str:
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    value = getattr(instance, field.name)
    return "" if value is None else str(value)
