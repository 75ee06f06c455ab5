from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innendienst.activities.models import Activity, ActivityType, CallOutcome
from innendienst.contacts.models import Person
from innendienst.core.forms import LocalDateTimeField, WorkbenchFormMixin


class ActivityForm(WorkbenchFormMixin, forms.Form):
    """Log a call, visit, e-mail, meeting or note, or plan a task, on a company.

    A plain form: the service validates the activity as a whole (contact of this company,
    outcome of a call, dates) for the UI and the API alike.
    """

    kind = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices)
    person = forms.ModelChoiceField(
        label=_("Contact"), queryset=Person.objects.none(), required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *CallOutcome.choices], required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    occurred_at = LocalDateTimeField(
        label=_("When"), required=False, help_text=_("Empty means now.")
    )
    due_at = LocalDateTimeField(label=_("Due"), required=False)
    follow_up_at = LocalDateTimeField(
        label=_("Follow-up on"), required=False, help_text=_("Creates a follow-up task for you.")
    )

    def __init__(
        self, *args: Any, people: QuerySet[Person], instance: Activity | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": instance.kind,
                    "person": instance.person_id,
                    "subject": instance.subject,
                    "outcome": instance.outcome,
                    "notes": instance.notes,
                    "occurred_at": instance.occurred_at,
                    "due_at": instance.due_at,
                },
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            # Editing keeps what happened when; only a new entry defaults to now.
            self.fields["occurred_at"].help_text = ""
        self.fields["person"].queryset = people
        self.fields["person"].empty_label = _("(no contact)")

    def service_data(self) -> dict[str, Any]:
        data = {
            "kind": self.cleaned_data["kind"],
            "person": self.cleaned_data.get("person"),
            "subject": self.cleaned_data["subject"],
            "outcome": self.cleaned_data.get("outcome") or "",
            "notes": self.cleaned_data.get("notes") or "",
        }
        if data["kind"] == ActivityType.TASK:
            data["due_at"] = self.cleaned_data.get("due_at")
        else:
            data["occurred_at"] = self.cleaned_data.get("occurred_at")
        return data
