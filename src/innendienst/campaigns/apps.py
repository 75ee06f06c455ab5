from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "innendienst.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from innendienst.campaigns.models import Campaign, CampaignPhase
        from innendienst.core import events, registry
        from innendienst.core.registry import NavItem

        # A campaign's page shows what other apps have of it (activities: its call guide and
        # call lists) one below the other after the plan.
        registry.register_record_page(
            registry.RecordPage("campaign", slots=("main",), lazy_panels=False)
        )
        registry.register_nav(
            NavItem(_("Campaigns"), "campaign_index", "megaphone", "campaigns", order=19)
        )
        events.declare("campaign.created", "A campaign was created.")
        registry.register_demo_step(
            registry.DemoStep(
                "campaigns",
                _("campaigns"),
                # Before the call lists, whose demo list belongs to the campaign.
                order=85,
                step="innendienst.campaigns.demo.CampaignStep",
                models=(Campaign, CampaignPhase),
                needs=(),
            )
        )
