"""``innendienst import FILE --kind companies [--dry-run]``: import a file, or see what importing
it would do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.accounts.selectors import command_user
from innendienst.core import registry
from innendienst.core.registry import RowOutcome
from innendienst.imports.models import ImportStatus
from innendienst.imports.pipeline import InvalidMapping, check_file
from innendienst.imports.readers import UnreadableFile, open_table
from innendienst.imports.services import chosen_mapping, import_create, import_run

_SOURCE_OPTIONS = {
    "source": "where the addresses come from: trade_fair, bought_list, … (or its German name)",
    "fair": 'the fair or campaign, e.g. "LogiMAT 2027"',
    "vendor": "the list vendor of a bought list",
    "licence": "the licence of a bought list",
    "source-date": "the date of the list (31.12.2026 or 2026-12-31)",
}
_SOURCE_FIELDS = {
    "source": "source",
    "fair": "source_name",
    "vendor": "source_vendor",
    "licence": "source_licence",
    "source-date": "source_date",
}


class Command(BaseCommand):
    help = (
        "Imports a file, or (--dry-run) shows how it is read and mapped and what each row would do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, help="companies, people, …")
        parser.add_argument("--sheet", default="", help="the workbook's sheet (default: first)")
        parser.add_argument(
            "--mapping",
            default="auto",
            help="a saved mapping's name, or auto: a saved mapping of the file's headers, "
            "else one proposed from headers and values",
        )
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="fill a field with one value for every row, e.g. territory=DE-BY",
        )
        for option, meaning in _SOURCE_OPTIONS.items():
            parser.add_argument(f"--{option}", default="", help=meaning)
        parser.add_argument(
            "--as", dest="username", help="whose view of the data (default: an administrator)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="import nothing if a row has errors"
        )
        parser.add_argument("--json", action="store_true", help="the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["username"])
        target = registry.import_target(options["kind"])
        if target is None or not target.visible_to(user):
            names = ", ".join(t.name for t in registry.import_targets_for(user))
            raise CommandError(
                _("Unknown kind “%(kind)s”; choose from %(names)s.")
                % {"kind": options["kind"], "names": names}
            )
        constants = {}
        for assignment in options["set"]:
            name, equals, value = assignment.partition("=")
            if not equals:
                raise CommandError(
                    _("--set needs FIELD=VALUE, not “%(value)s”.") % {"value": assignment}
                )
            constants[name.strip()] = value.strip()
        constants.update(self._source(target, options))
        if not options["dry_run"]:
            self._import(user, target, options, constants)
            return
        try:
            with options["file"].open("rb") as file:
                headers = open_table(file, sheet=options["sheet"]).headers
                file.seek(0)
                mapping, chosen = chosen_mapping(
                    user, target.name, headers, options["mapping"], proposed=(None, {})
                )
                constants = {**chosen, **constants}
                report = check_file(
                    user,
                    file,
                    target,
                    mapping=mapping,
                    constants=constants,
                    sheet=options["sheet"],
                )
        except OSError as exc:
            raise CommandError(
                _("The file cannot be opened: %(error)s") % {"error": exc.strerror}
            ) from exc
        except (UnreadableFile, InvalidMapping) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        table = report.table
        read_as = table.format.upper() + (
            f", {table.encoding}, „{table.delimiter}“"
            if table.format == "csv"
            else f", {table.sheet}"
        )
        self.stdout.write(
            _("%(file)s read as %(format)s") % {"file": options["file"].name, "format": read_as}
        )
        for header, name in zip(table.headers, report.mapping, strict=True):
            label = str(target.field(name).label) if name else _("(left out)")
            self.stdout.write(f"  {header or '–'} → {label}")
        for warning in table.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(_("%(rows)s rows:") % {"rows": report.rows})
        for outcome in RowOutcome:
            self.stdout.write(f"  {outcome.label}: {report.outcomes[outcome]}")
        for error in report.errors:
            self.stdout.write(self.style.ERROR(str(error)))

    def _import(
        self,
        user: User,
        target: registry.ImportTarget,
        options: dict,
        constants: dict,
    ) -> None:
        try:
            with options["file"].open("rb") as file:
                run = import_create(
                    actor=user,
                    file=file,
                    file_name=options["file"].name,
                    target_name=target.name,
                    constants=constants,
                    sheet=options["sheet"],
                    mapping=options["mapping"],
                    all_or_nothing=options["all_or_nothing"],
                    queue=False,
                )
        except OSError as exc:
            raise CommandError(
                _("The file cannot be opened: %(error)s") % {"error": exc.strerror}
            ) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        run = import_run(run.pk)
        summary = {
            "import": run.pk,
            "status": run.status,
            "rows": run.rows,
            **{outcome.value: run.counts.get(outcome.value, 0) for outcome in RowOutcome},
            "failure": run.failure,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                _("Import %(id)s: %(status)s, %(rows)s rows")
                % {"id": run.pk, "status": run.get_status_display(), "rows": run.rows}
            )
            for outcome in RowOutcome:
                self.stdout.write(f"  {outcome.label}: {run.counts.get(outcome.value, 0)}")
            if run.failure:
                self.stdout.write(self.style.ERROR(run.failure))
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.failure)

    def _source(self, target: registry.ImportTarget, options: dict[str, Any]) -> dict[str, str]:
        """The --source, --vendor … options as the fields they fill for every row: the
        company's, also when a row is a person with their company."""
        filled = {}
        for option, field in _SOURCE_FIELDS.items():
            value = options[option.replace("-", "_")]
            if not value:
                continue
            name = next(
                (n for n in (field, f"company_{field}") if target.field(n) is not None), None
            )
            if name is None:
                raise CommandError(
                    _("--%(option)s is for imports of companies and contacts.") % {"option": option}
                )
            filled[name] = value
        return filled

    def _user(self, username: str | None) -> User:
        user = command_user(username)
        if user is None and username:
            raise CommandError(_("No active user “%(name)s”.") % {"name": username})
        if user is None:
            raise CommandError(_("No administrator exists: name the user with --as."))
        return user
