"""Reads of automation, for the pages and the API; each checks who may read it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.automation.access import can_edit_rules, can_manage_integrations
from innendienst.automation.models import (
    INBOUND_PREFIX,
    EventSource,
    InboundEvent,
    Rule,
    RuleRun,
    Webhook,
    WebhookDelivery,
)
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import events

# The inbound event types the rule form offers before a source ever sent one.
KNOWN_INBOUND_TYPES = (
    "newsletter.open",
    "newsletter.click",
    "webinar.registered",
    "webinar.attended",
    "website.form_submitted",
    "website.download",
)


def _rule_reader(user: User) -> None:
    if not can_edit_rules(user):
        raise PermissionDenied(_("Your role may not see automation rules."))


def _integration_reader(user: User) -> None:
    if not can_manage_integrations(user):
        raise PermissionDenied(_("Only administrators manage event sources and webhooks."))


def rules_for(user: User) -> QuerySet[Rule]:
    _rule_reader(user)
    return Rule.objects.select_related("run_as")


def rule_get(user: User, rule_id: int) -> Rule:
    return rules_for(user).get(pk=rule_id)


def runs_of(user: User, rule: Rule | None = None) -> QuerySet[RuleRun]:
    """The runs about companies and contacts the user sees."""
    _rule_reader(user)
    runs = RuleRun.objects.select_related("rule", "company", "person").filter(
        Q(company__isnull=True) | Q(company__in=companies_for(user)),
        Q(person__isnull=True) | Q(person__in=people_for(user)),
    )
    return runs.filter(rule=rule) if rule is not None else runs


def trigger_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The events a rule can wait for, grouped: from outside, then inside the system."""
    # The types of the latest events (along the primary key: a DISTINCT over millions of
    # events would read them all).
    seen = set(InboundEvent.objects.order_by("-id").values_list("type", flat=True)[:1_000])
    inbound = sorted(seen | set(KNOWN_INBOUND_TYPES))
    return [
        (_("Events from outside"), [(INBOUND_PREFIX + name, name) for name in inbound]),
        (
            _("Events in Innendienst"),
            [(name, f"{name} — {text}") for name, text in sorted(events.declared().items())],
        ),
    ]


def sources_for(user: User) -> QuerySet[EventSource]:
    _integration_reader(user)
    return EventSource.objects.all()


def source_get(user: User, source_id: int) -> EventSource:
    return sources_for(user).get(pk=source_id)


def inbound_events_for(user: User) -> QuerySet[InboundEvent]:
    """The events of contacts the user sees (marketing: only those who consented)."""
    _rule_reader(user)
    return InboundEvent.objects.select_related("source", "person", "company").filter(
        person__in=people_for(user)
    )


def webhooks_for(user: User) -> QuerySet[Webhook]:
    _integration_reader(user)
    return Webhook.objects.all()


def webhook_get(user: User, webhook_id: int) -> Webhook:
    return webhooks_for(user).get(pk=webhook_id)


def deliveries_of(user: User, webhook: Webhook) -> QuerySet[WebhookDelivery]:
    _integration_reader(user)
    return webhook.deliveries.all()


def delivery_get(user: User, webhook: Webhook, delivery_id: int) -> WebhookDelivery:
    return deliveries_of(user, webhook).select_related("webhook").get(pk=delivery_id)
