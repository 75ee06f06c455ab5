from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Territory, User
from innendienst.activities.models import CallOutcome
from innendienst.contacts.models import BuyingCenterRole, Person, Priority, Salutation
from innendienst.core.forms import DateInput, WorkbenchFormMixin
from innendienst.core.models import Country, Currency
from innendienst.leads.models import Lead, LeadSource, LeadStage, StageReason
from innendienst.leads.services import CAPTURE_STAGES, FollowUpInterest


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


# Rows for key contacts in one follow-up call: a decider, a buyer, a user is the usual call.
FOLLOW_UP_CONTACT_ROWS = 3


class LeadFollowUpForm(WorkbenchFormMixin, forms.Form):
    """Messe-Nachfassgespräch: what the follow-up call found out. Plain fields; the service
    checks them as a whole (an interest only where somebody was reached, a visit only with
    interest, the field rep able to take the lead), for the UI and the API alike."""

    outcome = forms.ChoiceField(
        label=_("Outcome of the call"), choices=[("", "---------"), *CallOutcome.choices]
    )
    person = forms.TypedChoiceField(
        label=_("Spoke with"), coerce=int, required=False, empty_value=None
    )
    interest = forms.ChoiceField(
        label=_("How concrete is the interest?"),
        choices=FollowUpInterest.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    need = forms.CharField(
        label=_("Need"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    timing = forms.CharField(
        label=_("Timing"), max_length=100, required=False,
        help_text=_("When the customer wants to decide or buy."),
    )  # fmt: skip
    information = forms.CharField(
        label=_("Information needed"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. brochure, reference list, price indication."),
    )  # fmt: skip
    send_material = forms.BooleanField(label=_("Send material: plan a task for me"), required=False)
    visit_on = forms.DateField(
        label=_("Field sales may visit on"), required=False, widget=DateInput,
        help_text=_("A concrete need with a visit day hands the lead over to the field rep."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        lead: Lead,
        people: Sequence[Person] = (),
        with_key_contacts: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "follow-up-%s")
        kwargs.setdefault(
            "initial", {"person": lead.person_id, "need": lead.need, "timing": lead.timing}
        )
        super().__init__(*args, **kwargs)
        contacts = [(person.pk, _person_label(person)) for person in people]
        self.fields["person"].choices = [("", _("(nobody in particular)")), *contacts]
        self.with_key_contacts = with_key_contacts
        self.key_contact_rows: list[tuple[str, str]] = []
        if not with_key_contacts:
            return  # buying-center roles are master data: not for every role
        for index in range(FOLLOW_UP_CONTACT_ROWS):
            person_name, role_name = f"key_contacts_{index}_person", f"key_contacts_{index}_role"
            self.fields[person_name] = forms.TypedChoiceField(
                label=_("Key contact %(number)s") % {"number": index + 1},
                coerce=int, required=False, empty_value=None,
                choices=[("", "---------"), *contacts],
            )  # fmt: skip
            self.fields[role_name] = forms.ChoiceField(
                label=_("Role of key contact %(number)s") % {"number": index + 1},
                required=False,
                choices=[("", "---------"), *BuyingCenterRole.choices],
            )
            self.key_contact_rows.append((person_name, role_name))
            # Added after the mixin labelled the empty choices: labelled here.
            for name in (person_name, role_name):
                self.fields[name].choices = [
                    (value, self.empty_choice_label if value == "" else label)
                    for value, label in self.fields[name].choices
                ]

    def key_contact_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[person], self[role]) for person, role in self.key_contact_rows]

    def service_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        data: dict[str, Any] = {
            name: cleaned.get(name)
            for name in ("outcome", "interest", "need", "timing", "information", "note")
        }
        data["person_id"] = cleaned.get("person")
        data["send_material"] = bool(cleaned.get("send_material"))
        data["visit_on"] = cleaned.get("visit_on")
        data["key_contacts"] = [
            {"person_id": cleaned.get(person), "role": cleaned.get(role) or ""}
            for person, role in self.key_contact_rows
        ]
        return data

    def add_service_errors(self, exc: Any) -> None:
        """The service names a key contact's row ``key_contacts.<n>.person``; the form's field
        is ``key_contacts_<n>_person``. An error of a field the form does not show goes above
        it."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, errors in exc.error_dict.items():
            field = name.replace(".", "_")
            field = field if field in self.fields else field.removesuffix("_id")
            self.add_error(field if field in self.fields else None, errors)


def _person_label(person: Person) -> str:
    return f"{person.full_name} · {person.function}" if person.function else person.full_name


# --- capture paths: quick entry, web form ---------------------------------------------------


def _company_fields(required_name: bool) -> dict[str, forms.Field]:
    return {
        "company_name": forms.CharField(label=_("Company"), max_length=200, required=required_name),
        "company_street": forms.CharField(
            label=_("Street and number"), max_length=200, required=False
        ),
        "company_postcode": forms.CharField(label=_("Postcode"), max_length=10, required=False),
        "company_city": forms.CharField(label=_("City"), max_length=100, required=False),
        "company_country": forms.ChoiceField(
            label=_("Country"), choices=Country.choices, initial=Country.DE
        ),
        "company_phone": forms.CharField(label=_("Phone"), max_length=40, required=False),
        "company_email": forms.EmailField(label=_("E-mail"), max_length=254, required=False),
        "company_website": forms.CharField(label=_("Website"), max_length=200, required=False),
    }


def _person_fields(*, email_required: bool) -> dict[str, forms.Field]:
    return {
        "person_salutation": forms.ChoiceField(
            label=_("Salutation"), choices=Salutation.choices, initial=Salutation.NONE
        ),
        "person_first_name": forms.CharField(label=_("First name"), max_length=100, required=False),
        "person_last_name": forms.CharField(
            label=_("Last name"), max_length=100, required=email_required
        ),
        "person_email": forms.EmailField(
            label=_("E-mail"),
            max_length=254,
            required=email_required,
            error_messages={"invalid": _("Please enter a valid e-mail address.")},
        ),
        "person_phone": forms.CharField(label=_("Phone"), max_length=40, required=False),
        "person_function": forms.CharField(label=_("Function"), max_length=100, required=False),
    }


class CaptureForm(WorkbenchFormMixin, forms.Form):
    """The typed company and contact of a capture path; ``*_values`` hand them to
    ``leads.capture`` by the names the contacts services know."""

    company_prefix = "company_"
    person_prefix = "person_"

    def values(self, prefix: str) -> dict[str, Any]:
        return {
            name.removeprefix(prefix): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and name != f"{prefix}id" and value not in (None, "")
        }

    def company_values(self) -> dict[str, Any]:
        values = self.values(self.company_prefix)
        values.pop("territory", None)
        return values

    def person_values(self) -> dict[str, Any]:
        values = self.values(self.person_prefix)
        if values.get("salutation") == Salutation.NONE and len(values) == 1:
            return {}
        return values


class QuickEntryForm(CaptureForm):
    """Inbound call: the company picked from the hints or typed, the caller, his need."""

    company_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    need = forms.CharField(
        label=_("Need"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    interests = forms.CharField(label=_("Product interests"), max_length=300, required=False)
    timing = forms.CharField(
        label=_("Timing"), max_length=100, required=False,
        help_text=_("When the customer wants to decide or buy."),
    )  # fmt: skip
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.B)
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[(stage.value, stage.label) for stage in LeadStage if stage in CAPTURE_STAGES],
        initial=LeadStage.QL,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    consent = forms.BooleanField(label=_("The caller consents"), required=False)

    def __init__(self, *args: Any, territories: Sequence[Territory] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_company_fields(required_name=False))
        self.fields["company_territory"] = forms.TypedChoiceField(
            label=_("Territory of a new company"),
            coerce=int,
            required=False,
            empty_value=None,
            choices=[("", _("(my territory)")), *((t.pk, t.name) for t in territories)],
        )
        self.fields.update(_person_fields(email_required=False))
        # The order of the page: company, caller, lead.
        order = [name for name in self.fields if name.startswith(("company_", "person_"))]
        self.order_fields(order)

    def lead_data(self) -> dict[str, Any]:
        names = ("need", "interests", "timing", "notes", "priority")
        data = {name: self.cleaned_data.get(name) or "" for name in names}
        return {**data, "source": LeadSource.INBOUND_CALL}


class WebForm(CaptureForm):
    """The public enquiry form: what a visitor of the company's website tells us."""

    need = forms.CharField(
        label=_("Your enquiry"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    interests = forms.CharField(
        label=_("Products you are interested in"), max_length=300, required=False
    )
    timing = forms.CharField(label=_("When do you need it?"), max_length=100, required=False)
    consent = forms.BooleanField(
        label=_("I agree"),
        error_messages={"required": _("Please agree so that we may answer you.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    homepage = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        company = _company_fields(required_name=True)
        del company["company_email"]  # the visitor's own address is the one we answer
        self.fields.update(company)
        self.fields.update(_person_fields(email_required=True))
        self.order_fields(
            [name for name in self.fields if name.startswith(("company_", "person_"))]
        )

    def lead_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) or "" for name in ("need", "interests", "timing")}
        return {**data, "source": LeadSource.WEB_FORM}
