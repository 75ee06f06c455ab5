from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "innendienst.experts"
    label = "experts"
    verbose_name = _("Experts")

    def ready(self) -> None:
        from innendienst.core import events, registry
        from innendienst.experts import panels
        from innendienst.experts.models import Expert, ExpertRequest, ExpertRequestStatus

        registry.register_nav(
            registry.NavItem(_("Experts"), "expert_index", "academic-cap", "experts", order=25)
        )
        # On the offer's page after its lines and terms: what the experts were asked and
        # what they answered.
        registry.register_panel(
            "offer",
            registry.Panel(
                "expert_requests", "experts/_offer_panel.html", panels.offer_requests, "main", 20
            ),
        )
        registry.register_my_day_section(
            registry.MyDaySection(
                "expert_requests", "experts/_my_day_section.html", panels.my_requests, order=12
            )
        )
        registry.register_choice_display(
            ExpertRequest,
            "status",
            tones={
                ExpertRequestStatus.OPEN: "warn",
                ExpertRequestStatus.ANSWERED: "ok",
                ExpertRequestStatus.WITHDRAWN: "muted",
            },
        )
        events.declare("expert_request.created", "An expert was asked from an offer.")
        events.declare("expert_request.answered", "An expert answered a request.")
        registry.register_demo_step(
            registry.DemoStep(
                "experts",
                _("experts"),
                # After the offers: the requests are asked from the open demo offers.
                order=47,
                step="innendienst.experts.demo.ExpertStep",
                models=(
                    Expert,
                    Expert.product_groups.through,
                    Expert.industries.through,
                    ExpertRequest,
                ),
                needs=("contacts", "catalog", "offers"),
            )
        )
