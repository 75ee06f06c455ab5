from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    """Leads: capture, the agreed stages QL → MQL → SQL with their written definitions, the
    handover to sales with an SLA in business hours, and the lead inbox."""

    name = "innendienst.leads"
    label = "leads"
    verbose_name = _("Leads")

    def ready(self) -> None:
        from django import forms

        from innendienst.accounts.models import Role
        from innendienst.activities.guide import AnswerKind, register_answer_kind
        from innendienst.contacts.models import Company, Person
        from innendienst.core import events, references, registry
        from innendienst.core.registry import MyDaySection, NavItem, Panel
        from innendienst.leads import handlers, import_targets, panels, services
        from innendienst.leads.access import can_work_leads
        from innendienst.leads.models import (
            Lead,
            LeadAlert,
            LeadEngagement,
            LeadStage,
            LeadStageChange,
        )

        registry.register_nav(NavItem(_("Leads"), "lead_inbox", "funnel", "leads", order=15))
        registry.register_panel(
            "company",
            Panel("leads", "leads/_company_leads_panel.html", panels.company_leads,
                  slot="side", order=5),
        )  # fmt: skip
        registry.register_my_day_section(
            MyDaySection("my_leads", "leads/_my_leads_section.html", panels.my_leads, order=5)
        )
        registry.register_my_day_section(
            MyDaySection(
                "lead_escalations",
                "leads/_escalations_section.html",
                panels.my_escalations,
                order=6,
                roles=frozenset({Role.SALES_MANAGER}),
            )
        )
        registry.register_import_target(import_targets.LEADS)
        registry.register_demo_step(
            registry.DemoStep(
                "leads",
                _("leads"),
                order=55,
                step="innendienst.leads.demo.LeadStep",
                models=(Lead, LeadStageChange),
                needs=("contacts", "catalog"),
            )
        )
        registry.register_choice_display(
            Lead,
            "stage",
            tones={
                LeadStage.QL: "muted",
                LeadStage.MQL: "info",
                LeadStage.SQL: "warn",
                LeadStage.ACCEPTED: "ok",
                LeadStage.RECYCLED: "muted",
                LeadStage.CONVERTED: "ok",
                LeadStage.DISQUALIFIED: "bad",
            },
        )
        events.declare("lead.captured", "A lead was captured; data: stage, source, owner_id.")
        events.declare(
            "lead.stage_changed", "A lead moved to another stage; data: from_stage, stage, reason."
        )
        events.declare("lead.assigned", "A lead was given to another rep by hand; data: owner_id.")
        events.declare(
            "lead.sla_breached", "A lead's reaction time passed; data: kind, due_at, owner_id."
        )
        events.declare(
            "lead.engaged",
            "The contact did something that counts into the lead's score; data: points, label.",
        )
        events.declare(
            "lead.followed_up",
            "The follow-up call of a lead was recorded (Messe-Nachfassgespräch); data: outcome, "
            "interest, activity_id, visit_on, visit_rep_id.",
        )
        events.subscribe("activity.logged", handlers.activity_logged)

        # A lead follows its company and contact into a merge; an erased person's leads stay
        # for the statistics, without the link to him.
        references.declare(Company, Lead, "company", on_merge=references.relink)
        references.declare(
            Person, Lead, "person", on_merge=references.relink, on_erase=references.set_null
        )
        # A lead's stages and warnings are part of it: they go where it goes.
        references.declare(Lead, LeadStageChange, "lead", on_merge=references.relink, derived=True)
        references.declare(Lead, LeadAlert, "lead", on_merge=references.relink, derived=True)
        references.declare(Lead, LeadEngagement, "lead", on_merge=references.relink, derived=True)
        references.declare(
            LeadStageChange, LeadAlert, "stage_change", on_merge=references.delete, derived=True
        )

        # A call guide's question "current need?" turns the answer into a lead.
        register_answer_kind(
            AnswerKind(
                "lead_need",
                _("Need → a new lead"),
                lambda _actor, _person: forms.CharField(
                    max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
                ),
                services.lead_from_call,
                writable_by=can_work_leads,
            )
        )
