"""Rules: what they may say, whether they would loop, and running them.

A rule is checked when it is saved (``rule_errors``): known trigger, known conditions and
actions with sensible values, and no chain of rules that would trigger itself — rule A
creates a task, the task's event triggers rule B, which raises the score, whose event
triggers A again. The chain is found on the graph "A's actions emit what B waits for" and
the rule is refused with the chain in words. At run time a depth guard stops a chain that
got past the check (a rule changed in between by two people at once) after a few steps.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.activities.models import ActivityType
from innendienst.activities.services import activity_log
from innendienst.automation.access import can_edit_rules
from innendienst.automation.models import (
    INBOUND_PREFIX,
    Assignee,
    Rule,
    RuleRun,
    RunOutcome,
    Webhook,
    trigger_label,
)
from innendienst.contacts.models import Company, CompanyStatus, Person
from innendienst.core import events
from innendienst.leads.models import OPEN_STAGES, Lead, LeadSource, LeadStage
from innendienst.leads.services import lead_engage, lead_move

logger = logging.getLogger(__name__)

# What each action makes happen, for the loop check.
PRODUCES: dict[str, str | None] = {
    "task": "activity.logged",
    "score": "lead.engaged",
    "stage": "lead.stage_changed",
    "notify": None,
    "webhook": None,
}
ACTION_KINDS = tuple(PRODUCES)
CONDITION_KEYS = (
    "customer_group",
    "industry",
    "company_status",
    "territory",
    "lead_stage",
    "lead_source",
    "min_score",
    "detail_contains",
)
# Stages a rule may move a lead to: the marketing side of the funnel. Answering a handover
# and closing a lead stay with people.
RULE_STAGES = (LeadStage.MQL, LeadStage.SQL, LeadStage.DISQUALIFIED)
MAX_DEPTH = 3
MAX_DUE_DAYS = 365

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("automation_depth", default=0)


@dataclass
class Subject:
    """What an event is about, as far as rules care."""

    company: Company | None = None
    person: Person | None = None
    lead: Lead | None = None
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return str(self.person or self.company or self.lead or "")


def inbound_trigger(event_type: str) -> str:
    return INBOUND_PREFIX + event_type


def describe_actions(actions: Iterable[Mapping[str, Any]]) -> list[str]:
    """A rule's actions in words, for the rule list."""
    words = []
    for action in actions:
        kind = action.get("kind")
        if kind in ("task", "notify"):
            who = (
                Assignee(action["assignee"]).label
                if action.get("assignee") in Assignee.values
                else "?"
            )
            text = _("task for %(who)s") if kind == "task" else _("e-mail to %(who)s")
            words.append(text % {"who": who})
        elif kind == "score":
            words.append(_("score %(points)+d") % {"points": action.get("points", 0)})
        elif kind == "stage" and action.get("stage") in LeadStage.values:
            words.append(_("lead to %(stage)s") % {"stage": LeadStage(action["stage"]).label})
        elif kind == "webhook":
            words.append(_("to a webhook"))
    return words


# --- checking a rule ------------------------------------------------------------------------


def _condition_errors(conditions: Mapping[str, Any]) -> list[str]:
    from innendienst.accounts.models import Territory
    from innendienst.contacts.models import CustomerGroup, Industry

    if not isinstance(conditions, Mapping):
        return [_("Please send the conditions as a JSON object.")]
    errors = []
    unknown = sorted(set(conditions) - set(CONDITION_KEYS))
    if unknown:
        errors.append(
            _("Unknown condition: %(names)s. Known: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(CONDITION_KEYS)}
        )
    lookups = {"customer_group": CustomerGroup, "industry": Industry, "territory": Territory}
    for key, model in lookups.items():
        value = conditions.get(key)
        if value is not None and (not _whole(value) or not model.objects.filter(pk=value).exists()):
            errors.append(_("%(key)s: there is no such record.") % {"key": key})
    choices = {
        "company_status": CompanyStatus.values,
        "lead_stage": LeadStage.values,
        "lead_source": LeadSource.values,
    }
    for key, allowed in choices.items():
        value = conditions.get(key)
        if value is not None and value not in allowed:
            errors.append(
                _("%(key)s: please choose one of %(allowed)s.")
                % {"key": key, "allowed": ", ".join(allowed)}
            )
    score = conditions.get("min_score")
    if score is not None and (not _whole(score) or not 0 <= score <= 100):
        errors.append(_("min_score: please give a whole number from 0 to 100."))
    text = conditions.get("detail_contains")
    if text is not None and (not isinstance(text, str) or not 0 < len(text.strip()) <= 100):
        errors.append(_("detail_contains: please give a text of at most 100 characters."))
    return errors


def _whole(value: Any) -> bool:
    """A whole number as JSON sends it (true and false are no numbers)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _text(action: Mapping[str, Any], key: str, limit: int) -> str | None:
    value = action.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        return None
    return value.strip()


def _action_errors(actions: Any) -> list[str]:
    if not isinstance(actions, list) or not actions:
        return [_("A rule needs at least one action.")]
    errors = []
    for number, action in enumerate(actions, 1):
        kind = action.get("kind") if isinstance(action, Mapping) else None
        where = _("Action %(number)s") % {"number": number}
        if kind not in PRODUCES:
            errors.append(
                _("%(where)s: please choose one of %(kinds)s.")
                % {"where": where, "kinds": ", ".join(ACTION_KINDS)}
            )
            continue
        if kind in ("task", "notify") and action.get("assignee") not in Assignee.values:
            errors.append(
                _("%(where)s: please choose whom it is for (%(choices)s).")
                % {"where": where, "choices": ", ".join(Assignee.values)}
            )
        if kind == "task":
            due = action.get("due_days", 1)
            if _text(action, "subject", 200) is None:
                errors.append(_("%(where)s: the task needs a subject.") % {"where": where})
            if not _whole(due) or not 0 <= due <= MAX_DUE_DAYS:
                errors.append(
                    _("%(where)s: due in 0 to %(max)s days.")
                    % {"where": where, "max": MAX_DUE_DAYS}
                )
        elif kind == "notify" and _text(action, "message", 500) is None:
            errors.append(_("%(where)s: the notice needs a text.") % {"where": where})
        elif kind == "score":
            points = action.get("points")
            if not _whole(points) or points == 0 or not -100 <= points <= 100:
                errors.append(_("%(where)s: points from −100 to 100, not 0.") % {"where": where})
            if _text(action, "label", 200) is None:
                errors.append(
                    _("%(where)s: please say what the points are for.") % {"where": where}
                )
        elif kind == "stage" and action.get("stage") not in RULE_STAGES:
            errors.append(
                _("%(where)s: a rule may move a lead to %(stages)s.")
                % {"where": where, "stages": ", ".join(str(stage.label) for stage in RULE_STAGES)}
            )
        elif kind == "webhook":
            webhook = action.get("webhook")
            if not _whole(webhook) or not Webhook.objects.filter(pk=webhook, active=True).exists():
                errors.append(
                    _("%(where)s: there is no such webhook, or it is paused.") % {"where": where}
                )
    return errors


def produced_by(actions: Iterable[Mapping[str, Any]]) -> set[str]:
    return {
        produced
        for action in actions
        if isinstance(action, Mapping)
        and (produced := PRODUCES.get(str(action.get("kind")))) is not None
    }


def find_loop(rule: Rule, others: Iterable[Rule]) -> list[Rule] | None:
    """The chain of active rules from ``rule`` back to itself, if its actions can trigger it
    again: [rule, B, …, rule]. Depth-first over "the actions of X emit the trigger of Y"."""
    rules = [rule, *(other for other in others if other.active and other.pk != rule.pk)]

    def triggered_by(source: Rule) -> list[Rule]:
        emitted = produced_by(source.actions)
        return [target for target in rules if target.trigger in emitted]

    stack: list[tuple[Rule, list[Rule]]] = [(rule, [rule])]
    seen: set[int] = set()
    while stack:
        current, path = stack.pop()
        for target in triggered_by(current):
            if target is rule:
                return [*path, rule]
            if id(target) not in seen:
                seen.add(id(target))
                stack.append((target, [*path, target]))
    return None


def rule_errors(rule: Rule) -> dict[str, list[str]]:
    """Everything wrong with a rule, by field; empty when it may be saved."""
    errors: dict[str, list[str]] = {}
    if rule.trigger.startswith(INBOUND_PREFIX):
        from innendienst.automation.models import EVENT_TYPE

        try:
            EVENT_TYPE(rule.trigger.removeprefix(INBOUND_PREFIX))
        except ValidationError as exc:
            errors["trigger"] = list(exc.messages)
    elif rule.trigger not in events.declared():
        errors["trigger"] = [_("There is no such event.")]
    if messages := _condition_errors(rule.conditions):
        errors["conditions"] = messages
    if messages := _action_errors(rule.actions):
        errors["actions"] = messages
    if not errors and rule.active:
        chain = find_loop(rule, Rule.objects.filter(active=True))
        if chain is not None:
            names = " → ".join(f"„{item.name}“" for item in chain)
            errors["actions"] = [
                _("These actions would trigger the rule again: %(chain)s. Change an action or "
                  "the trigger of one of these rules.") % {"chain": names}
            ]  # fmt: skip
    return errors


# --- running --------------------------------------------------------------------------------


def open_lead(person: Person | None, company: Company | None) -> Lead | None:
    leads = Lead.objects.filter(stage__in=OPEN_STAGES).select_related("company", "owner")
    if person is not None:
        lead = leads.filter(person=person).order_by("-created_at").first()
        if lead is not None:
            return lead
    if company is not None:
        return leads.filter(company=company).order_by("-created_at").first()
    return None


def subject_of(event: events.Event) -> Subject:
    """The company, contact and lead a domain event is about."""
    data = dict(event.data)
    if event.model == "leads.lead":
        lead = (
            Lead.objects.select_related("company", "person", "owner")
            .filter(pk=event.object_id)
            .first()
        )
        if lead is None:
            return Subject(data=data)
        return Subject(company=lead.company, person=lead.person, lead=lead, data=data)
    if event.model == "contacts.person":
        person = Person.objects.select_related("company").filter(pk=event.object_id).first()
        company = person.company if person else None
        return Subject(company, person, open_lead(person, company), data)
    company_id = event.object_id if event.model == "contacts.company" else data.get("company_id")
    company = Company.objects.filter(pk=company_id).first() if company_id else None
    return Subject(company, None, open_lead(None, company), data)


def _holds(key: str, wanted: Any, subject: Subject) -> bool:
    company, lead = subject.company, subject.lead
    if key == "customer_group":
        return company is not None and company.customer_group_id == wanted
    if key == "industry":
        return company is not None and company.industry_id == wanted
    if key == "company_status":
        return company is not None and company.status == wanted
    if key == "territory":
        from innendienst.accounts.models import Territory

        if company is None or company.territory_id is None:
            return False
        root = Territory.objects.filter(pk=wanted).values_list("path", flat=True).first()
        return bool(root) and company.territory.path.startswith(root)
    if key == "lead_stage":
        return lead is not None and lead.stage == wanted
    if key == "lead_source":
        return lead is not None and lead.source == wanted
    if key == "min_score":
        return lead is not None and lead.score >= wanted
    if key == "detail_contains":
        needle = str(wanted).casefold()
        return any(needle in str(value).casefold() for value in _values(subject.data))
    return False


def _values(data: Any) -> Iterable[Any]:
    if isinstance(data, Mapping):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    elif data is not None:
        yield data


def unmet(conditions: Mapping[str, Any], subject: Subject) -> str | None:
    """The first condition the subject does not meet, or None."""
    for key in CONDITION_KEYS:
        if key in conditions and not _holds(key, conditions[key], subject):
            return key
    return None


def _assignee(kind: str, subject: Subject) -> User | None:
    company = subject.company
    candidates = {
        Assignee.LEAD_OWNER: subject.lead.owner if subject.lead else None,
        Assignee.FIELD_REP: company.field_rep if company else None,
        Assignee.INSIDE_REP: company.inside_rep if company else None,
        Assignee.KEY_ACCOUNT: company.key_account_manager if company else None,
    }
    user = candidates.get(kind)
    return user if user is not None and user.is_active else None


class Skip(Exception):
    """An action that cannot apply to this subject (no lead, nobody responsible)."""


def _do(action: Mapping[str, Any], rule: Rule, subject: Subject, trigger: str) -> str:
    kind = action["kind"]
    actor = rule.run_as
    if actor is None or not actor.is_active:
        raise PermissionDenied(_("The user this rule runs as is no longer active."))
    if not can_edit_rules(actor):
        raise PermissionDenied(_("The user this rule runs as may no longer write rules."))
    if kind in ("task", "notify"):
        user = _assignee(action["assignee"], subject)
        if user is None:
            raise Skip(_("nobody is %(who)s") % {"who": Assignee(action["assignee"]).label})
    if kind == "task":
        if subject.company is None:
            raise Skip(_("no company"))
        due = timezone.now() + datetime.timedelta(days=action.get("due_days", 1))
        activity_log(
            actor=actor,
            company=subject.company,
            data={
                "kind": ActivityType.TASK,
                "subject": action["subject"],
                "notes": _("Created by the rule “%(rule)s” (%(event)s).")
                % {"rule": rule.name, "event": trigger_label(trigger)},
                "person": subject.person,
                "due_at": due,
                "assigned_to": user,
            },
        )
        return _("task for %(user)s") % {"user": user}
    if kind == "notify":
        if not user.email:
            raise Skip(_("%(user)s has no e-mail address") % {"user": user})
        text = f"{action['message']}\n\n{subject.label}"
        # After the run's commit; a mail server that fails is logged and stops nothing else.
        transaction.on_commit(
            lambda: send_mail(
                _("Innendienst: %(rule)s") % {"rule": rule.name},
                text,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            ),
            robust=True,
        )
        return _("notice to %(user)s") % {"user": user}
    if kind == "webhook":
        from innendienst.automation import webhooks

        webhook = Webhook.objects.filter(pk=action["webhook"], active=True).first()
        if webhook is None:
            raise Skip(_("the webhook is paused or gone"))
        webhooks.enqueue_for_rule(webhook, trigger, subject)
        return _("sent to the webhook")
    lead = subject.lead
    if lead is None or lead.stage not in OPEN_STAGES:
        raise Skip(_("no open lead"))
    if kind == "score":
        lead_engage(
            actor=actor,
            lead=lead,
            points=action["points"],
            label=action["label"],
            occurred_at=subject.occurred_at,
        )
        return _("score %(points)+d") % {"points": action["points"]}
    if lead.stage == action["stage"]:
        raise Skip(_("the lead is in this stage already"))
    subject.lead = lead_move(actor=actor, lead=lead, to_stage=action["stage"], note=rule.name[:500])
    return _("lead moved to %(stage)s") % {"stage": LeadStage(action["stage"]).label}


def _record(
    rule: Rule, trigger: str, subject: Subject, outcome: str, detail: str, inbound: Any
) -> RuleRun:
    return RuleRun.objects.create(
        rule=rule,
        trigger=trigger,
        person=subject.person,
        company=subject.company,
        inbound_event=inbound,
        outcome=outcome,
        detail=detail[:500],
    )


def run_rule(rule: Rule, trigger: str, subject: Subject, inbound: Any = None) -> RuleRun:
    """Run one rule for one subject: all its actions or none, and a log line either way."""
    missing = unmet(rule.conditions, subject)
    if missing is not None:
        return _record(
            rule, trigger, subject, RunOutcome.SKIPPED,
            _("condition not met: %(key)s") % {"key": missing}, inbound,
        )  # fmt: skip
    done, skipped = [], []
    try:
        with transaction.atomic():
            for action in rule.actions:
                try:
                    with transaction.atomic():
                        done.append(_do(action, rule, subject, trigger))
                except Skip as exc:
                    skipped.append(str(exc))
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return _record(rule, trigger, subject, RunOutcome.FAILED, "; ".join(messages), inbound)
    detail = "; ".join(done)
    if skipped:
        detail = "; ".join(
            [*done, *(_("skipped: %(why)s") % {"why": reason} for reason in skipped)]
        )
    outcome = RunOutcome.DONE if done else RunOutcome.SKIPPED
    return _record(rule, trigger, subject, outcome, detail, inbound)


def run_rules(trigger: str, subject: Subject, inbound: Any = None) -> list[RuleRun]:
    """Every active rule waiting for ``trigger``. Rules their own actions set off run nested
    (a service commits and its events' handlers run), so the depth says how deep a chain is."""
    rules = list(Rule.objects.filter(trigger=trigger, active=True).select_related("run_as"))
    if not rules:
        return []
    depth = _depth.get()
    if depth >= MAX_DEPTH:
        return [
            _record(rule, trigger, subject, RunOutcome.SKIPPED,
                    _("stopped: rules triggered each other %(depth)s times in a row")
                    % {"depth": depth}, inbound)
            for rule in rules
        ]  # fmt: skip
    token = _depth.set(depth + 1)
    try:
        return [_run_guarded(rule, trigger, subject, inbound) for rule in rules]
    finally:
        _depth.reset(token)


def _run_guarded(rule: Rule, trigger: str, subject: Subject, inbound: Any) -> RuleRun:
    """A rule that fails unexpectedly is logged as failed; the other rules still run."""
    try:
        return run_rule(rule, trigger, subject, inbound)
    except Exception:
        logger.exception("rule %s failed on %s", rule.pk, trigger)
        detail = _("unexpected error; the administrator finds it in the log")
        return _record(rule, trigger, subject, RunOutcome.FAILED, detail, inbound)


def domain_event(event: events.Event) -> None:
    """Handler of every domain event: the rules waiting for it run in the worker, never in
    the request of the user who changed something. The depth of a chain goes along."""
    if not Rule.objects.filter(trigger=event.name, active=True).exists():
        return
    from innendienst.automation.tasks import run_domain_rules

    run_domain_rules(event, _depth.get())


def run_for_domain_event(event: events.Event, depth: int) -> list[RuleRun]:
    token = _depth.set(depth)
    try:
        return run_rules(event.name, subject_of(event))
    finally:
        _depth.reset(token)
