from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "innendienst.offers"
    label = "offers"
    verbose_name = _("Offers")

    def ready(self) -> None:
        from innendienst.catalog.models import DiscountLimit, PriceList, PriceListItem
        from innendienst.contacts.models import Company, Person
        from innendienst.core import events, references, registry
        from innendienst.offers import handlers, panels
        from innendienst.offers.models import (
            ApprovalStatus,
            DiscountApproval,
            Offer,
            OfferLine,
            OfferRevision,
            OfferStatus,
        )

        # An offer's page shows what other apps have of it (the expert requests) after its
        # lines and before the next step.
        registry.register_record_page(
            registry.RecordPage("offer", slots=("main",), lazy_panels=False)
        )
        registry.register_nav(
            registry.NavItem(_("Offers"), "offer_tracking", "document-text", "offers", order=17)
        )
        registry.register_panel(
            "company",
            registry.Panel(
                "offers", "offers/_offers_panel.html", panels.company_offers, "main", 35
            ),
        )
        registry.register_panel(
            "call",
            registry.Panel(
                "open_offers", "offers/_call_offers_panel.html", panels.open_offers, "side", 30
            ),
        )
        registry.register_my_day_section(
            registry.MyDaySection(
                "approvals", "offers/_approvals_section.html", panels.approvals, order=5
            )
        )
        registry.register_my_day_section(
            registry.MyDaySection(
                "offer_follow_ups", "offers/_follow_ups_section.html", panels.follow_ups, order=15
            )
        )
        registry.register_choice_display(
            Offer,
            "status",
            tones={
                OfferStatus.DRAFT: "muted",
                OfferStatus.SENT: "info",
                OfferStatus.WON: "ok",
                OfferStatus.LOST: "bad",
            },
        )
        registry.register_choice_display(
            DiscountApproval,
            "status",
            tones={
                ApprovalStatus.PENDING: "warn",
                ApprovalStatus.APPROVED: "ok",
                ApprovalStatus.REJECTED: "bad",
            },
        )
        for name, description in (
            ("offer.created", "An offer was created."),
            ("offer.changed", "An offer's lines, discount or terms changed."),
            ("offer.sent", "A version of an offer was sent to the customer."),
            ("offer.won", "An offer was won and became an order."),
            ("offer.lost", "An offer was lost, with its reason."),
            ("offer.approval_requested", "A discount above the limit waits for approval."),
            ("offer.approval_decided", "A discount approval was granted or refused."),
        ):
            events.declare(name, description)
        for name in ("offer.created", "offer.changed", "offer.sent"):
            events.subscribe(name, handlers.rescore_offer)
        # An offer follows its company and contact into a merge; an erased contact's offers
        # stay for the figures, without the link to him.
        references.declare(Company, Offer, "company", on_merge=references.relink)
        references.declare(
            Person, Offer, "contact", on_merge=references.relink, on_erase=references.set_null
        )
        registry.register_demo_step(
            registry.DemoStep(
                "offers",
                _("offers"),
                order=45,
                step="innendienst.offers.demo.OfferStep",
                # Price lists and limits are written with the offers that use them, and
                # emptied after them.
                models=(
                    PriceList,
                    PriceListItem,
                    DiscountLimit,
                    Offer,
                    OfferLine,
                    OfferRevision,
                    DiscountApproval,
                ),
                needs=("contacts", "catalog", "orders"),
            )
        )
