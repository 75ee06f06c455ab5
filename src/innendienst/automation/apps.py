from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    """Automation: signed events from outside, rules "when E for a contact with C → do A",
    and signed outgoing webhooks on domain events — each run and delivery logged."""

    name = "innendienst.automation"
    label = "automation"
    verbose_name = _("Automation")

    def ready(self) -> None:
        from innendienst.automation import engine, webhooks
        from innendienst.automation.access import RULE_EDITORS
        from innendienst.automation.models import (
            DeliveryStatus,
            EventSource,
            InboundEvent,
            Rule,
            RuleRun,
            RunOutcome,
            WebhookDelivery,
        )
        from innendienst.contacts.models import Company, Person
        from innendienst.core import events, references, registry
        from innendienst.core.registry import NavItem

        registry.register_nav(
            NavItem(_("Automation"), "automation_rules", "bolt", "automation", order=80,
                    roles=RULE_EDITORS)
        )  # fmt: skip
        registry.register_choice_display(
            RuleRun,
            "outcome",
            tones={RunOutcome.DONE: "ok", RunOutcome.SKIPPED: "muted", RunOutcome.FAILED: "bad"},
        )
        registry.register_choice_display(
            WebhookDelivery,
            "status",
            tones={
                DeliveryStatus.PENDING: "muted",
                DeliveryStatus.RETRYING: "warn",
                DeliveryStatus.DELIVERED: "ok",
                DeliveryStatus.FAILED: "bad",
            },
        )
        registry.register_demo_step(
            registry.DemoStep(
                "automation",
                _("automation rules"),
                order=60,
                step="innendienst.automation.demo.AutomationStep",
                models=(EventSource, Rule),
                needs=("leads",),
            )
        )
        events.subscribe(events.ALL, engine.domain_event)
        events.subscribe(events.ALL, webhooks.on_domain_event)

        # The log keeps what happened; a merge points it at the surviving record, an erased
        # person's events lose the link to him.
        references.declare(
            Person, InboundEvent, "person", on_merge=references.relink, on_erase=references.delete
        )
        references.declare(Company, InboundEvent, "company", on_merge=references.relink)
        references.declare(Company, RuleRun, "company", on_merge=references.relink)
        references.declare(
            Person, RuleRun, "person", on_merge=references.relink, on_erase=references.set_null
        )
