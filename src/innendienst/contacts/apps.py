from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "innendienst.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from innendienst.contacts import exports, handlers, import_targets, panels
        from innendienst.contacts.models import (
            BuyingCenterMembership,
            ChannelVerification,
            Company,
            CompanyAddress,
            CompanyStatus,
            CustomerGroup,
            Industry,
            Person,
            Priority,
        )
        from innendienst.contacts.selectors import company_search, person_search
        from innendienst.contacts.services import role_labels
        from innendienst.core import events, references, registry
        from innendienst.core.registry import NavItem, Panel, SearchProvider

        registry.register_nav(
            NavItem(_("Companies"), "company_list", "building-office-2", "companies", order=20)
        )
        registry.register_nav(NavItem(_("Contacts"), "person_list", "users", "people", order=30))

        company_panels = [
            Panel("contacts_actions", "contacts/_company_actions.html", panels.company_actions,
                  slot="actions", order=20),
            Panel("buying_center", "contacts/_buying_center_panel.html", panels.buying_center,
                  slot="main", order=10),
            Panel("master_data", "contacts/_master_data_panel.html", panels.master_data,
                  slot="side", order=30),
            Panel("addresses", "contacts/_addresses_panel.html", panels.addresses,
                  slot="side", order=40),
            Panel("history", "contacts/_history_panel.html", panels.company_history,
                  slot="bottom", order=100),
        ]  # fmt: skip
        for panel in company_panels:
            registry.register_panel("company", panel)
        person_panels = [
            Panel("contacts_actions", "contacts/_person_actions.html", panels.person_actions,
                  slot="actions", order=20),
            Panel("channels", "contacts/_channels_panel.html", panels.channels,
                  slot="side", order=10),
            Panel("history", "contacts/_history_panel.html", panels.person_history,
                  slot="bottom", order=100),
        ]  # fmt: skip
        for panel in person_panels:
            registry.register_panel("person", panel)

        registry.register_search_provider(
            SearchProvider("companies", _("Companies"), company_search,
                           "contacts/_company_hits.html", order=10)
        )  # fmt: skip
        registry.register_export_kind(exports.COMPANIES)
        registry.register_export_kind(exports.PEOPLE)
        registry.register_import_target(import_targets.COMPANIES)
        registry.register_import_target(import_targets.PEOPLE)
        registry.register_search_provider(
            SearchProvider("people", _("Contacts"), person_search,
                           "contacts/_person_hits.html", order=20)
        )  # fmt: skip

        registry.register_choice_display(
            Company,
            "status",
            tones={
                CompanyStatus.PROSPECT: "info",
                CompanyStatus.CUSTOMER: "ok",
                CompanyStatus.FORMER: "muted",
                CompanyStatus.LOST: "bad",
            },
        )
        registry.register_choice_display(
            Company, "priority", tones={Priority.A: "bad", Priority.B: "warn", Priority.C: "muted"}
        )
        registry.register_audit_note("buying_center_roles", _("buying-center roles"), role_labels)
        registry.register_audit_note("verification", _("verification"))
        registry.register_audit_note("address", _("address"))

        for name, description in [
            ("company.created", "A company was created."),
            ("company.updated", "A company's master data changed; data: fields."),
            ("company.address_added", "A further address was added to a company."),
            ("company.address_removed", "A further address was removed from a company."),
            ("person.created", "A contact was created at a company."),
            (
                "person.updated",
                "A contact or his buying-center roles changed; data: fields, and company_id "
                "(the company of the buying center) when his roles changed.",
            ),
            ("channel.verified", "A phone number, e-mail or address was confirmed."),
        ]:
            events.declare(name, description)

        events.subscribe("activity.logged", handlers.note_last_contact)
        events.subscribe("activity.updated", handlers.note_last_contact)

        # A merge carries people, addresses, roles and verifications to the company or person
        # that stays; an erased person loses his roles and verified values.
        for model, field in [
            (Person, "company"),
            (CompanyAddress, "company"),
            (ChannelVerification, "company"),
        ]:
            references.declare(Company, model, field, on_merge=references.relink)
        references.declare(
            Company,
            BuyingCenterMembership,
            "company",
            on_merge=references.relink_unique("person", "role"),
        )
        references.declare(
            Person,
            BuyingCenterMembership,
            "person",
            on_merge=references.relink_unique("company", "role"),
            on_erase=references.delete,
        )
        references.declare(
            Person,
            ChannelVerification,
            "person",
            on_merge=references.relink,
            on_erase=references.delete,
        )
        registry.register_demo_step(
            registry.DemoStep(
                "contacts",
                _("companies and contacts"),
                order=10,
                step="innendienst.contacts.demo.ContactStep",
                models=(Industry, CustomerGroup, Company, CompanyAddress, Person,
                        BuyingCenterMembership, ChannelVerification),
                version=2,
            )
        )  # fmt: skip
