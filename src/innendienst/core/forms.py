from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from innendienst.core.concurrency import comparable


class FormRenderer(TemplatesSetting):
    """Label above the field, help and error text below it (UI.md § Forms)."""

    field_template_name = "forms/field.html"


class WorkbenchFormMixin:
    """Labels without a trailing colon (they sit above the field) and a readable empty
    choice instead of Django's "---------"."""

    empty_choice_label = _("– please choose –")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = self.empty_choice_label
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.MultipleChoiceField
            ):
                field.choices = [
                    (
                        value,
                        self.empty_choice_label if (value, label) == ("", "---------") else label,
                    )
                    for value, label in field.choices
                ]


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the UI language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


ISO_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]


class LocalDateTimeField(forms.DateTimeField):
    widget = DateTimeInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ISO_DATETIME_FORMATS)
        super().__init__(**kwargs)


SEEN_FIELD = "seen"
_SEEN_SALT = "innendienst.forms.seen"


def seen_token(values: Mapping[str, Any]) -> str:
    """The values a form was built from, signed, to travel with the form."""
    plain = json.loads(json.dumps(dict(values), cls=DjangoJSONEncoder))
    return signing.dumps(plain, salt=_SEEN_SALT, compress=True)


def read_seen_token(token: str) -> dict[str, Any] | None:
    try:
        loaded = signing.loads(token, salt=_SEEN_SALT)
    except signing.BadSignature:
        return None
    return loaded if isinstance(loaded, dict) else None


def seen_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The record's values as an edit form shows them (relations by id, times to the minute)."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        values[name] = comparable(field, getattr(instance, field.attname))
    return values


class SeenValuesMixin:
    """An edit form that remembers what the user saw (``core.concurrency``), so that saving
    writes only what the user changed and a change somebody else made meanwhile is noticed.

    Built with ``seen=`` (``seen_values(record, …)``) for a new page; a posted form reads the
    values back from its hidden field. ``changed_data`` then compares the input with what the
    user saw, not with the record as it is now.
    """

    seen_model: type[models.Model]

    def __init__(self, *args: Any, seen: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        self.seen_invalid = False
        self.seen = dict(seen or {})
        if data is not None and seen is not None:
            # Without the values the user saw, "what he changed" cannot be told from what
            # somebody else changed meanwhile: a form that lost them is refused.
            carried = read_seen_token(data.get(SEEN_FIELD, ""))
            self.seen_invalid = carried is None
            self.seen.update(self._from_token(carried or {}))
        kwargs["initial"] = {**kwargs.get("initial", {}), **self.seen}
        super().__init__(*args, **kwargs)

    def _from_token(self, carried: Mapping[str, Any]) -> dict[str, Any]:
        values = {}
        for name, raw in carried.items():
            try:
                field = self.seen_model._meta.get_field(name)
            except FieldDoesNotExist:
                values[name] = raw
                continue
            values[name] = comparable(field, raw)
        return values

    @property
    def seen_token(self) -> str:
        return seen_token(self.seen)

    def clean(self) -> Any:
        if self.seen_invalid:
            raise ValidationError(
                _("The form could not be read back. Please reload the page."), code="seen"
            )
        return super().clean()

    def changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """What the user changed, and what those fields showed when the form was built."""
        data = {name: self.cleaned_data[name] for name in self.changed_data}
        return data, {name: self.seen.get(name) for name in data}

    def see(self, values: Mapping[str, Any]) -> None:
        """After a conflict the user has seen the current values: saving again overwrites
        them deliberately."""
        self.seen.update(values)

    def note_conflicts(self, exc: ValidationError, current: models.Model) -> None:
        """Mark the values the conflicts named (``current`` is the record as it is now) as
        seen."""
        names = [
            name.removesuffix("_id") if name not in self.fields else name
            for name, errors in getattr(exc, "error_dict", {}).items()
            if any(error.code == "conflict" for error in errors)
        ]
        fields = [name for name in names if name in self.fields]
        model_fields = {field.name for field in current._meta.concrete_fields}
        self.see(seen_values(current, [name for name in fields if name in model_fields]))


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors at the form's fields: ``person_id`` is the form's ``person``,
    and an error about a field the form does not show goes above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        field = name if name in form.fields else name.removesuffix("_id")
        form.add_error(field if field in form.fields else None, errors)
