from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


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
