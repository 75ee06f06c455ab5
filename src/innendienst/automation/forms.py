"""The rule form: when, if (all given conditions hold), then (each filled-in action)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Territory
from innendienst.automation.engine import MAX_DUE_DAYS, RULE_STAGES
from innendienst.automation.models import EVENT_TYPE, INBOUND_PREFIX, Assignee, Rule, Webhook
from innendienst.automation.selectors import trigger_choices
from innendienst.contacts.models import CompanyStatus, CustomerGroup, Industry
from innendienst.core import events
from innendienst.core.forms import WorkbenchFormMixin
from innendienst.leads.models import LeadSource, LeadStage

CONDITION_FIELDS = (
    "customer_group",
    "industry",
    "company_status",
    "territory",
    "lead_stage",
    "lead_source",
    "min_score",
    "detail_contains",
)
RECORD_CONDITIONS = ("customer_group", "industry", "territory")


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("– any –")), *choices]


def _none(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("– none –")), *choices]


class RuleForm(WorkbenchFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    trigger = forms.ChoiceField(label=_("Event"), required=False)
    inbound_type = forms.CharField(
        label=_("or another event from outside"), max_length=60, required=False,
        validators=[EVENT_TYPE], help_text=_("As the tool names it, e.g. webinar.attended."),
    )  # fmt: skip

    customer_group = forms.ModelChoiceField(
        label=_("Customer group"), queryset=CustomerGroup.objects.all(), required=False
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.all(), required=False
    )
    company_status = forms.ChoiceField(
        label=_("Company status"), choices=_any(CompanyStatus.choices), required=False
    )
    territory = forms.ModelChoiceField(
        label=_("Territory (with its regions)"), queryset=Territory.objects.all(), required=False
    )
    lead_stage = forms.ChoiceField(
        label=_("Lead stage"), choices=_any(LeadStage.choices), required=False
    )
    lead_source = forms.ChoiceField(
        label=_("Lead source"), choices=_any(LeadSource.choices), required=False
    )
    min_score = forms.IntegerField(
        label=_("Lead score at least"), min_value=0, max_value=100, required=False
    )
    detail_contains = forms.CharField(
        label=_("Event details contain"), max_length=100, required=False,
        help_text=_("E.g. “produktvideo”: the link or subject the event reports."),
    )  # fmt: skip

    task_assignee = forms.ChoiceField(
        label=_("Create a task for"), choices=_none(Assignee.choices), required=False
    )
    task_subject = forms.CharField(label=_("Task subject"), max_length=200, required=False)
    task_due_days = forms.IntegerField(
        label=_("Due in days"), min_value=0, max_value=MAX_DUE_DAYS, initial=1, required=False
    )
    score_points = forms.IntegerField(
        label=_("Change the lead's score by"), min_value=-100, max_value=100, required=False
    )
    score_label = forms.CharField(
        label=_("Because"), max_length=200, required=False,
        help_text=_("Shown with the score, e.g. “Produktvideo angesehen”."),
    )  # fmt: skip
    stage = forms.ChoiceField(
        label=_("Move the lead to"),
        choices=_none([(stage.value, stage.label) for stage in RULE_STAGES]),
        required=False,
    )
    notify_assignee = forms.ChoiceField(
        label=_("Send an e-mail to"), choices=_none(Assignee.choices), required=False
    )
    notify_message = forms.CharField(
        label=_("Text"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    webhook = forms.ModelChoiceField(
        label=_("Send to the webhook"), queryset=Webhook.objects.filter(active=True),
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trigger"].choices = [("", _("– please choose –")), *trigger_choices()]
        for name in RECORD_CONDITIONS:
            self.fields[name].empty_label = _("– any –")
        self.fields["webhook"].empty_label = _("– none –")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        trigger = data.get("trigger") or ""
        if data.get("inbound_type"):
            trigger = INBOUND_PREFIX + data["inbound_type"]
        if not trigger and "inbound_type" not in self.errors:
            self.add_error("trigger", _("Please choose the event the rule waits for."))
        data["trigger_value"] = trigger
        pairs = (
            ("task_assignee", "task_subject", _("Please give the task a subject.")),
            ("score_points", "score_label", _("Please say what the points are for.")),
            ("notify_assignee", "notify_message", _("Please write the text of the e-mail.")),
        )
        for first, second, message in pairs:
            if data.get(first) not in (None, "") and not data.get(second):
                self.add_error(second, message)
        if data.get("score_points") == 0:
            self.add_error("score_points", _("Zero points change nothing."))
        return data

    def rule_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        conditions: dict[str, Any] = {}
        for name in CONDITION_FIELDS:
            value = data.get(name)
            if value in (None, ""):
                continue
            conditions[name] = value.pk if name in RECORD_CONDITIONS else value
        actions: list[dict[str, Any]] = []
        if data.get("task_assignee"):
            actions.append({
                "kind": "task", "assignee": data["task_assignee"],
                "subject": data["task_subject"], "due_days": data.get("task_due_days") or 0,
            })  # fmt: skip
        if data.get("score_points"):
            actions.append(
                {"kind": "score", "points": data["score_points"], "label": data["score_label"]}
            )
        if data.get("stage"):
            actions.append({"kind": "stage", "stage": data["stage"]})
        if data.get("notify_assignee"):
            actions.append({
                "kind": "notify", "assignee": data["notify_assignee"],
                "message": data["notify_message"],
            })  # fmt: skip
        if data.get("webhook"):
            actions.append({"kind": "webhook", "webhook": data["webhook"].pk})
        return {
            "name": data["name"],
            "active": data["active"],
            "trigger": data["trigger_value"],
            "conditions": conditions,
            "actions": actions,
        }


def fits_the_form(rule: Rule) -> bool:
    """The form shows one action of each kind; a rule written through the API with two tasks
    (say) would lose one when saved here."""
    kinds = [action.get("kind") for action in rule.actions if isinstance(action, dict)]
    return len(kinds) == len(set(kinds))


def rule_initial(rule: Rule) -> dict[str, Any]:
    """The form's values for a stored rule."""
    initial: dict[str, Any] = {"name": rule.name, "active": rule.active, **rule.conditions}
    known = {value for _group, choices in trigger_choices() for value, _label in choices}
    if rule.trigger in known or rule.trigger in events.declared():
        initial["trigger"] = rule.trigger
    else:
        initial["inbound_type"] = rule.trigger.removeprefix(INBOUND_PREFIX)
    for action in rule.actions:
        kind = action.get("kind")
        if kind == "task":
            initial.update(task_assignee=action["assignee"], task_subject=action["subject"],
                           task_due_days=action.get("due_days", 1))  # fmt: skip
        elif kind == "score":
            initial.update(score_points=action["points"], score_label=action["label"])
        elif kind == "stage":
            initial["stage"] = action["stage"]
        elif kind == "notify":
            initial.update(notify_assignee=action["assignee"], notify_message=action["message"])
        elif kind == "webhook":
            initial["webhook"] = action["webhook"]
    return initial


class EventSourceForm(WorkbenchFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("E.g. “Newsletter”."))
    key = forms.SlugField(
        label=_("Key"), max_length=50,
        help_text=_("Sent by the tool in X-Innendienst-Source, e.g. “newsletter”."),
    )  # fmt: skip


class WebhookForm(WorkbenchFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(label=_("Address (URL)"), max_length=500)
    events = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple, required=False
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [
            (name, f"{name} — {text}") for name, text in sorted(events.declared().items())
        ]
