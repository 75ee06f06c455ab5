"""The one place where input values are made fit for storage, for the UI and the API alike.

Services assign incoming values through ``apply_changes``: strings are trimmed (so "   " is
empty and fails the required check), characters no database can store are refused at their
field, and dates outside a sensible range or naive date-times are dealt with before Django
converts them to UTC.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.utils import from_current_timezone
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innendienst.core.text import fold

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def _has_unstorable_characters(text: str) -> bool:
    return any(ch == "\x00" or "\ud800" <= ch <= "\udfff" for ch in text)


def has_unstorable_text(value: Any) -> bool:
    """Whether a JSON value (nested dicts and lists included) holds text the database cannot
    store: NUL, or a lone surrogate."""
    if isinstance(value, str):
        return _has_unstorable_characters(value)
    if isinstance(value, dict):
        return any(
            has_unstorable_text(key) or has_unstorable_text(item) for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        return any(has_unstorable_text(item) for item in value)
    return False


def clean_value(value: Any) -> Any:
    """Raises ValidationError (without field) for a value that cannot be stored."""
    if isinstance(value, str):
        if _has_unstorable_characters(value):
            raise ValidationError(
                _("This text contains characters that cannot be stored."), code="invalid_chars"
            )
        return value.strip()
    if isinstance(value, datetime.date):
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValidationError(
                _("Please enter a date between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                code="date_out_of_range",
            )
        if isinstance(value, datetime.datetime):
            if timezone.is_naive(value):
                # The forms' rule: a local time that does not exist (the hour skipped in
                # spring) or exists twice (autumn) is refused, not guessed.
                return from_current_timezone(value)
            return value.astimezone(datetime.UTC)
    return value


def _reference_exists(instance: Any, name: str, value: Any) -> bool:
    """An id given for a relation must name an existing record."""
    if value is None or isinstance(value, models.Model):
        return True
    try:
        field = instance._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return True
    if not (field.is_relation and field.many_to_one and name == field.attname):
        return True
    return field.related_model._base_manager.filter(pk=value).exists()


def apply_changes(instance: Any, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Set ``data`` on ``instance``; all problems are reported together, per field."""
    allowed_fields = set(allowed)
    errors: dict[str, list[ValidationError]] = {}
    for name, value in data.items():
        if name not in allowed_fields:
            errors[name] = [ValidationError(_("This field cannot be set."), code="not_allowed")]
            continue
        try:
            value = clean_value(value)
        except ValidationError as exc:
            errors[name] = [exc]
            continue
        if not _reference_exists(instance, name, value):
            errors[name] = [
                ValidationError(
                    _("There is no such record, or you may not see it."), code="does_not_exist"
                )
            ]
            continue
        setattr(instance, name, value)
    if errors:
        raise ValidationError(errors)


def writable_fields(model: type[models.Model], exclude: Iterable[str] = ()) -> frozenset[str]:
    """The fields a service may set from input, by name and, for relations, by id:
    every editable column but the key and ``exclude``."""
    skipped = set(exclude)
    return frozenset(
        name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skipped
        for name in (field.name, field.attname)
    )


@functools.cache
def choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """A choice's code by its code or its label in German or English, folded, also without a
    label's remark in brackets ("GesmbH (AT)" is written "GesmbH" in files)."""
    found: dict[str, str] = {}
    for language in ("en", "de"):
        with translation.override(language):
            for code, label in choices.choices:
                for name in (code, str(label), re.sub(r"\(.*?\)", "", str(label))):
                    found[fold(name)] = code
    return found
