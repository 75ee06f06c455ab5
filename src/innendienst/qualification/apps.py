from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationConfig(AppConfig):
    """Adressqualifizierung: checklists per customer group, the completeness score of each
    company with what is missing, verification shares, and the re-qualification queue."""

    name = "innendienst.qualification"
    label = "qualification"
    verbose_name = _("Qualification")

    def ready(self) -> None:
        from innendienst.accounts.access import MASTER_DATA_EDITORS
        from innendienst.contacts.models import Company
        from innendienst.core import events, references, registry
        from innendienst.qualification import handlers, panels
        from innendienst.qualification.models import Checklist, CompanyQuality, Requalification

        for name in ("company.created", "company.updated"):
            events.subscribe(name, handlers.company_changed)
        for name in ("person.created", "person.updated"):
            events.subscribe(name, handlers.person_changed)
        events.subscribe("channel.verified", handlers.channel_verified)
        for name in ("import.finished", "import.undone"):
            events.subscribe(name, handlers.records_imported)
        for name in ("company.merged", "company.merge_undone"):
            events.subscribe(name, handlers.companies_merged)
        for name in ("person.merged", "person.merge_undone"):
            events.subscribe(name, handlers.people_merged)

        # The survivor of a merge keeps the other's re-qualifications and is scored again; the
        # other's score goes with it (and comes back with an undo).
        references.declare(Company, Requalification, "company", on_merge=references.relink)
        references.declare(
            Company, CompanyQuality, "company", on_merge=references.delete, derived=True
        )

        registry.register_panel(
            "company",
            registry.Panel(
                "qualification",
                "qualification/_qualification_panel.html",
                panels.qualification,
                slot="main",
                order=15,
            ),
        )
        registry.register_panel(
            "person",
            registry.Panel(
                "qualification",
                "qualification/_person_panel.html",
                panels.person_qualification,
                slot="side",
                order=20,
            ),
        )
        registry.register_audit_note("requalification", _("re-qualified"))
        registry.register_nav(
            registry.NavItem(
                _("Qualification"),
                "requalification_queue",
                "clipboard-document-check",
                "qualification",
                order=87,
                roles=MASTER_DATA_EDITORS,
            )
        )
        registry.register_demo_step(
            registry.DemoStep(
                "qualification",
                _("qualification checklists and scores"),
                order=16,
                step="innendienst.qualification.demo.QualificationStep",
                models=(Checklist, CompanyQuality),
                needs=("contacts",),
            )
        )
