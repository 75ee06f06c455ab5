from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import User
from innendienst.contacts.models import Person, Priority
from innendienst.core.forms import WorkbenchFormMixin
from innendienst.core.models import Currency
from innendienst.leads.models import LeadSource, LeadStage, StageReason
from innendienst.leads.services import CAPTURE_STAGES


class LeadCaptureForm(WorkbenchFormMixin, forms.Form):
    """Quick entry of a lead at a company: a visitor at the booth, a caller, a reply card.

    A plain form: the service validates the lead as a whole (contact of this company, the
    fair named), for the UI and the API alike. The contacts come as a list the page has read.
    """

    person = forms.TypedChoiceField(
        label=_("Contact"), coerce=int, required=False, empty_value=None
    )
    source = forms.ChoiceField(label=_("Source"), choices=LeadSource.choices)
    source_name = forms.CharField(
        label=_("Fair or campaign"), max_length=100, required=False,
        help_text=_("E.g. “LogiMAT 2027” or “Mailing Frühjahr”."),
    )  # fmt: skip
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[(stage.value, stage.label) for stage in LeadStage if stage in CAPTURE_STAGES],
        initial=LeadStage.QL,
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.B)
    interests = forms.CharField(label=_("Product interests"), max_length=300, required=False)
    need = forms.CharField(
        label=_("Need"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    timing = forms.CharField(
        label=_("Timing"), max_length=100, required=False,
        help_text=_("When the customer wants to decide or buy."),
    )  # fmt: skip
    budget = forms.DecimalField(
        label=_("Budget"), required=False, min_value=0, max_digits=14, decimal_places=2,
        localize=True,
    )  # fmt: skip
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, people: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            ("", _("(no contact)")),
            *((person.pk, person.full_name) for person in people),
        ]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.fields if name != "stage"}
        data["person_id"] = data.pop("person")
        for name in ("source_name", "interests", "need", "timing", "notes"):
            data[name] = data[name] or ""
        return data


class LeadMoveForm(WorkbenchFormMixin, forms.Form):
    """One step of the lead: the target stage comes from the button that was pressed."""

    stage = forms.ChoiceField(choices=LeadStage.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "---------"), *StageReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    owner = forms.TypedChoiceField(
        label=_("Hand over to"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, reps: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", _("the company's field rep")),
            *((rep.pk, rep.get_full_name() or rep.username) for rep in reps),
        ]


class LeadAssignForm(WorkbenchFormMixin, forms.Form):
    owner = forms.TypedChoiceField(label=_("Responsible"), coerce=int)
    note = forms.CharField(label=_("Why"), max_length=200, required=False)

    def __init__(self, *args: Any, reps: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            (rep.pk, rep.get_full_name() or rep.username) for rep in reps
        ]
