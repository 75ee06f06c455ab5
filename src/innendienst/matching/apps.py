from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """One spelling per thing: normalisation of DACH names, addresses and channels, and the
    duplicate engine that serves entry, import and the whole-database scan."""

    name = "innendienst.matching"
    label = "matching"
    verbose_name = _("Duplicates")

    def ready(self) -> None:
        from innendienst.accounts.access import MASTER_DATA_EDITORS
        from innendienst.core import events, registry
        from innendienst.matching import checks, handlers
        from innendienst.matching.models import MatchKey

        for name in ("company.created", "company.updated"):
            events.subscribe(name, handlers.company_changed)
        for name in ("person.created", "person.updated"):
            events.subscribe(name, handlers.person_changed)
        for name in ("import.finished", "import.undone"):
            events.subscribe(name, handlers.records_imported)
        events.subscribe("import.undone", handlers.records_removed)
        for kind in ("company", "person"):
            events.declare(
                f"{kind}.merged", "Others were merged into this record; data: merged (their ids)."
            )
            events.declare(
                f"{kind}.merge_undone",
                "A merge into this record was undone; data: restored (the record back).",
            )
            events.subscribe(f"{kind}.merged", handlers.records_merged)
            events.subscribe(f"{kind}.merge_undone", handlers.merge_undone)
        registry.register_audit_note("duplicate_check", _("created despite a duplicate check"))
        registry.register_audit_note("merge", _("merged into this record"))
        registry.register_nav(
            registry.NavItem(
                _("Duplicates"),
                "duplicate_queue_company",
                "document-duplicate",
                "duplicates",
                order=85,
                roles=MASTER_DATA_EDITORS,
            )
        )
        registry.register_duplicate_check(
            registry.DuplicateCheck(
                "company",
                "matching/_duplicate_check.html",
                checks.strong_companies,
                checks.creation_confirmed,
                checks.company_twins,
            )
        )
        registry.register_duplicate_check(
            registry.DuplicateCheck(
                "person",
                "matching/_duplicate_check.html",
                checks.strong_people,
                checks.creation_confirmed,
                checks.person_twins,
            )
        )
        registry.register_demo_step(
            registry.DemoStep(
                "matching",
                _("duplicate check keys"),
                order=15,
                step="innendienst.matching.demo.MatchKeyStep",
                models=(MatchKey,),
                needs=("contacts",),
            )
        )
