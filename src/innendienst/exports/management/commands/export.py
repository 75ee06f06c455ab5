"""``innendienst export --kind companies [--format xlsx] [--filter q=müller] FILE``: a list as
a file, as the user named with ``--as`` sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.accounts.selectors import command_user
from innendienst.core import registry
from innendienst.exports import services, writers


class Command(BaseCommand):
    help = "Writes a list (companies, people, activities, …) as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, help="companies, people, activities, …")
        parser.add_argument(
            "--format", choices=writers.FORMATS, help="default: from the file's extension"
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a filter of the list, as in its URL, e.g. q=müller or territory_id=3",
        )
        parser.add_argument(
            "--as", dest="username", help="whose view of the data (default: an administrator)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = registry.export_kind(options["kind"])
        if kind is None:
            names = ", ".join(k.name for k in registry.export_kinds())
            raise CommandError(
                _("Unknown kind “%(kind)s”; choose from %(names)s.")
                % {"kind": options["kind"], "names": names}
            )
        user = self._user(options["username"])
        if not kind.visible_to(user):
            raise CommandError(_("Your role may not export this list."))
        path: Path = options["file"]
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in writers.FORMATS:
            raise CommandError(_("Name the format with --format csv or --format xlsx."))
        params = QueryDict(mutable=True)
        for assignment in options["filter"]:
            name, equals, value = assignment.partition("=")
            if not equals:
                raise CommandError(
                    _("--filter needs NAME=VALUE, not “%(value)s”.") % {"value": assignment}
                )
            params.appendlist(name.strip(), value.strip())
        try:
            records = kind.rows(user, params).iterator(chunk_size=writers.CHUNK)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            with path.open("wb") as output:
                if fmt == "csv":
                    rows = -1  # the header
                    for line in writers.csv_lines(kind, records):
                        output.write(line.encode("utf-8"))
                        rows += line != "\ufeff"
                else:
                    rows = writers.write_xlsx(kind, records, output)
        except OSError as exc:
            raise CommandError(
                _("The file cannot be written: %(error)s") % {"error": exc.strerror}
            ) from exc
        services.export_record(actor=user, kind=kind, fmt=fmt, params=params, rows=rows)
        self.stdout.write(_("%(rows)s rows written to %(file)s") % {"rows": rows, "file": path})

    def _user(self, username: str | None) -> User:
        user = command_user(username)
        if user is None and username:
            raise CommandError(_("No active user “%(name)s”.") % {"name": username})
        if user is None:
            raise CommandError(_("No administrator exists: name the user with --as."))
        return user
