from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Files in: reading, mapping to the targets that the apps register, validation, the
    import job and its undo, and the Importe pages."""

    name = "innendienst.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from innendienst.accounts.access import MASTER_DATA_EDITORS, PRODUCT_MAINTAINERS
        from innendienst.core import events, registry
        from innendienst.imports import panels
        from innendienst.imports.models import Import, ImportStatus

        events.declare(
            "import.finished",
            "An import wrote its last batch; data: since (every record it wrote or changed "
            "was updated since then).",
        )
        events.declare(
            "import.undone",
            "An import was undone; data: since (the records it restored were updated since), "
            "pointed_at (by model label, the ids of the records that the removed ones pointed "
            "at and that stay), removed (by model label, the lowest and highest id of the "
            "records it removed).",
        )
        for page in ("company", "person"):
            registry.register_panel(
                page,
                registry.Panel(
                    "external_keys", "imports/_external_keys_panel.html", panels.external_keys,
                    slot="side", order=90,
                ),
            )  # fmt: skip
        registry.register_nav(
            registry.NavItem(
                _("Imports"),
                "import_list",
                "arrow-up-tray",
                "imports",
                order=80,
                roles=MASTER_DATA_EDITORS | PRODUCT_MAINTAINERS,
            )
        )
        registry.register_choice_display(
            Import,
            "status",
            tones={
                ImportStatus.DRAFT: "warn",
                ImportStatus.QUEUED: "info",
                ImportStatus.RUNNING: "info",
                ImportStatus.DONE: "ok",
                ImportStatus.FAILED: "bad",
                ImportStatus.UNDONE: "muted",
            },
        )
