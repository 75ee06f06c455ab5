from django.apps import AppConfig

# What the event handler saw, for the tests to read.
SEEN_EVENTS: list = []


class PluginAppConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"

    def ready(self) -> None:
        from innendienst.accounts.models import Role
        from innendienst.contacts.models import Company, Person
        from innendienst.contacts.selectors import companies_for
        from innendienst.core import events, references, registry
        from tests.plugin_app import views
        from tests.plugin_app.models import FieldNote, NoteStatus

        registry.register_nav(
            registry.NavItem(
                "Field notes",
                "field_notes",
                "document-text",
                "field_notes",
                order=500,
                roles=frozenset({Role.ADMIN}),
            )
        )
        registry.register_panel(
            "company",
            registry.Panel("field_notes", "plugin_app/_notes_panel.html", views.notes_panel,
                           slot="side", order=50),
        )  # fmt: skip
        registry.register_choice_display(
            FieldNote, "status", tones={NoteStatus.OPEN: "warn", NoteStatus.SETTLED: "ok"}
        )
        registry.register_import_target(
            registry.ImportTarget(
                "field_notes",
                "Feldnotizen",
                fields=(
                    registry.ImportField("text", "Notiz", ("Bemerkung",)),
                    registry.ImportField("noted_on", "Datum", ("Besuchsdatum",), kind="date"),
                ),
                check=lambda user, rows, seen: [
                    registry.RowCheck()
                    if row.get("text")
                    else registry.RowCheck(registry.RowOutcome.ERROR, {"text": ["Pflichtfeld"]})
                    for row in rows
                ],
                # The sample app proves the seam, not a write: its notes are not kept.
                write=lambda user, rows, made: [registry.Written() for _row in rows],
                roles=frozenset({Role.FIELD_SALES}),
            )
        )
        registry.register_export_kind(
            registry.ExportKind(
                "field_notes",
                "Feldnotizen",
                path="field-notes",
                file_stem="feldnotizen",
                columns=(
                    registry.ExportColumn("Firma", lambda note: note.company.name),
                    registry.ExportColumn("Notiz", lambda note: note.text),
                ),
                rows=lambda user, params: FieldNote.objects.filter(
                    company__in=companies_for(user)
                ).select_related("company"),
            )
        )
        events.subscribe("company.updated", SEEN_EVENTS.append)
        references.declare(Company, FieldNote, "company", on_merge=references.relink)
        references.declare(
            Person,
            FieldNote,
            "person",
            on_merge=references.relink,
            on_erase=references.set_null,
        )
