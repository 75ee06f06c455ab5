from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.core.registry import ImportTarget
from innendienst.imports.models import Import, SavedMapping


class UploadForm(forms.Form):
    target = forms.ChoiceField(label=_("Import as"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (any delimiter and encoding), Excel (.xlsx, .xls) or OpenDocument (.ods)"),
    )

    def __init__(self, *args: Any, targets: list[ImportTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(target.name, target.label) for target in targets]


class MappingForm(forms.Form):
    """For each column of the file the field it fills ("" leaves it out), and for each field
    a value for every row (the source of a trade fair's list, its territory)."""

    # The sheet the form's columns belong to.
    sheet_read = forms.CharField(required=False, widget=forms.HiddenInput)
    all_or_nothing = forms.BooleanField(
        label=_("Import nothing if a row has errors"), required=False
    )
    mapping_name = forms.CharField(label=_("Save this mapping as"), required=False, max_length=100)
    for_team = forms.BooleanField(label=_("for my whole team"), required=False)
    saved_mapping = forms.TypedChoiceField(
        label=_("Saved mapping"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data: Any = None,
        *,
        run: Import,
        target: ImportTarget,
        saved_mappings: list[SavedMapping],
    ) -> None:
        super().__init__(data)
        self.run, self.target = run, target
        self.fields["sheet_read"].initial = run.sheet
        self.fields["saved_mapping"].choices = [
            ("", "–"),
            *((saved.pk, saved.name) for saved in saved_mappings),
        ]
        choices = [("", _("— leave out —")), *((f.name, f.label) for f in target.fields)]
        for column, header in enumerate(run.headers):
            self.fields[f"column_{column}"] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": column + 1},
                choices=choices,
                required=False,
                initial=run.mapping[column] if column < len(run.mapping) else "",
            )
        for target_field in target.fields:
            self.fields[f"value_{target_field.name}"] = forms.CharField(
                label=target_field.label,
                required=False,
                max_length=200,
                initial=run.constants.get(target_field.name, ""),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{column}"] for column in range(len(self.run.headers))]

    def value_fields(self) -> list[forms.BoundField]:
        return [self[f"value_{f.name}"] for f in self.target.fields]

    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"column_{column}"] for column in range(len(self.run.headers))]

    def constants(self) -> dict[str, str]:
        names = (f.name for f in self.target.fields)
        values = ((name, self.cleaned_data[f"value_{name}"].strip()) for name in names)
        return {name: value for name, value in values if value}

    def add_service_error(self, name: str, messages: list[str]) -> None:
        """A service's error at its input: a field's value, the mapping's name; the mapping
        as a whole above the form."""
        field = {"name": "mapping_name"}.get(name, name)
        if field not in self.fields:
            field = f"value_{name}" if f"value_{name}" in self.fields else None
        self.add_error(field, messages)
