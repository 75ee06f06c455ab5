from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Team
from innendienst.activities.guide import answer_kind, answer_kind_choices
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallGuide,
    CallOutcome,
    WhomToCall,
)
from innendienst.campaigns.models import Campaign
from innendienst.contacts.models import Person
from innendienst.core.forms import LocalDateTimeField, SeenValuesMixin, WorkbenchFormMixin

EDITABLE_FIELDS = ("kind", "person", "subject", "outcome", "notes", "occurred_at", "due_at")


class ActivityForm(SeenValuesMixin, WorkbenchFormMixin, forms.Form):
    """Log a call, visit, e-mail, meeting or note, or plan a task, on a company.

    A plain form: the service validates the activity as a whole (contact of this company,
    outcome of a call, dates) for the UI and the API alike. The contacts come as a list the
    page has already read, so the form costs no query of its own.
    """

    seen_model = Activity

    kind = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices)
    person = forms.TypedChoiceField(
        label=_("Contact"), coerce=int, required=False, empty_value=None
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
        self,
        *args: Any,
        people: Sequence[Person],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            ("", _("(no contact)")),
            *((person.pk, person.full_name) for person in people),
        ]
        if editing:
            # Editing keeps what happened when and what it was; only a new entry defaults
            # to now and plans a follow-up.
            self.fields.pop("follow_up_at")
            self.fields["kind"].disabled = True
            self.fields["occurred_at"].help_text = ""

    def service_data(self) -> dict[str, Any]:
        data = {
            "kind": self.cleaned_data["kind"],
            "person_id": self.cleaned_data.get("person"),
            "subject": self.cleaned_data["subject"],
            "outcome": self.cleaned_data.get("outcome") or "",
            "notes": self.cleaned_data.get("notes") or "",
        }
        if data["kind"] == ActivityType.TASK:
            data["due_at"] = self.cleaned_data.get("due_at")
        else:
            data["occurred_at"] = self.cleaned_data.get("occurred_at")
        return data

    def changed_service_data(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """What the user changed while editing, in the service's terms, and what he saw."""
        data, seen = self.changes()
        # A task has a due date, everything else a date when it happened.
        other_date = "occurred_at" if self.seen.get("kind") == ActivityType.TASK else "due_at"
        renamed = {"person": "person_id"}
        return (
            {renamed.get(k, k): v for k, v in data.items() if k != other_date},
            {renamed.get(k, k): v for k, v in seen.items() if k != other_date},
        )


class CallListForm(WorkbenchFormMixin, forms.Form):
    """Name, team and whom to call of a new call list; the companies come from the company
    list's filters, shown next to it."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("(only me)"),
        help_text=_("Everyone in the team calls from the list."),
    )
    whom = forms.ChoiceField(
        label=_("Whom to call"), choices=WhomToCall.choices, initial=WhomToCall.EVERYONE
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        help_text=_("Its call guide is shown on the call screen."),
    )

    def __init__(self, *args: Any, teams: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["campaign"].queryset = campaigns


class CallOutcomeForm(WorkbenchFormMixin, forms.Form):
    """The outcome of a call from a list, with what that outcome needs."""

    reservation = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CallOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    callback_at = LocalDateTimeField(
        label=_("Callback at"), required=False, help_text=_("When the customer wants the call.")
    )
    appointment_at = LocalDateTimeField(
        label=_("Appointment at"), required=False, help_text=_("The field rep's visit.")
    )
    recontact_at = LocalDateTimeField(
        label=_("Call again on"),
        required=False,
        help_text=_("For “no need” and “bought elsewhere”; empty means in six months."),
    )
    competitor = forms.CharField(label=_("Competitor"), required=False, max_length=200)
    guide_id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        guide: CallGuide | None = None,
        actor: Any = None,
        person: Person | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.guide = guide
        if guide is None or person is None:
            return
        self.fields["guide_id"].initial = guide.pk
        for question in guide.questions.all():
            kind = answer_kind(question.kind)
            if kind is None:
                continue
            field = kind.field(actor, person)
            field.label = question.text
            field.required = False
            if kind.write is not None and not kind.writes_for(actor):
                field.help_text = _("Only into the call’s notes: your role does not change this.")
            self.fields[f"answer_{question.pk}"] = field

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("answer_")]

    def raw_answers(self) -> dict[str, Any]:
        """The answers as typed: the service checks them with the same fields."""
        return {
            name.removeprefix("answer_"): self.data.get(name, "")
            for name in self.fields
            if name.startswith("answer_")
        }

    def outcome_data(self) -> dict[str, Any]:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith("answer_")
        }
        data["answers"] = self.raw_answers()
        return data


def _guide_text(label: Any, rows: int = 2, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class CallGuideForm(WorkbenchFormMixin, forms.Form):
    goal = _guide_text(
        _("Call goal"),
        help_text=_("What the call should achieve, e.g. an appointment for the field rep."),
    )
    opener = _guide_text(
        _("Opener"), rows=3, help_text=_("The first sentences: who calls, and why now.")
    )
    hook = _guide_text(
        _("Hook / benefit"), rows=3, help_text=_("What the customer gains, in his words.")
    )
    close = _guide_text(_("How to close"))
    gatekeeper = _guide_text(_("At the gatekeeper"))
    not_reached = _guide_text(_("When not reached"))


class GuideQuestionForm(WorkbenchFormMixin, forms.Form):
    text = forms.CharField(label=_("Question"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Answer"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("– please choose –")), *answer_kind_choices()]


GuideQuestionFormSet = forms.formset_factory(GuideQuestionForm, extra=3, max_num=20)


class CallSkipForm(forms.Form):
    reservation = forms.UUIDField(widget=forms.HiddenInput)
    minutes = forms.TypedChoiceField(
        label=_("Call again in"),
        coerce=int,
        choices=[(15, _("15 minutes")), (60, _("one hour")), (24 * 60, _("one day"))],
        initial=60,
    )
