"""``manage.py demo``: realistic, deterministic DACH demo data at any scale."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innendienst.accounts.models import Role
from innendienst.contacts.models import Company
from innendienst.demo import data, loader
from innendienst.demo.kit import SIZES, Dataset, Organisation

DEFAULT_SEED = 1


def _number(value: float, decimals: int | None = None) -> str:
    """A number as the active language writes it: 20.000 and 8,6 in German."""
    return number_format(value, decimals, force_grouping=True)


def _rows_of(model: type[models.Model], count: int) -> str:
    meta = model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


class Command(BaseCommand):
    help = (
        "Load synthetic demo data: companies, people, orders and activities of a B2B supplier "
        "in Germany, Austria and Switzerland, plus one login per role (password: demo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sizes = ", ".join(f"{name} ({count:,})" for name, count in SIZES.items())
        parser.add_argument(
            "--size",
            default="small",
            help=f"{sizes} or a number of companies; default: small",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="the same seed gives the same data"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete ALL business data (companies, people, orders, activities, products, "
            "territories, teams, demo users) before loading",
        )

    def handle(self, *args: Any, size: str, seed: int, reset: bool, **options: Any) -> None:
        try:
            dataset = Dataset.parse(size, seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        anchor = timezone.localdate()
        self.stdout.write(
            _(
                "Demo data: %(companies)s companies%(size)s, seed %(seed)s, "
                "dates relative to %(anchor)s"
            )
            % {
                "companies": _number(dataset.companies),
                "size": f" ({dataset.size})" if dataset.size in SIZES else "",
                "seed": seed,
                "anchor": f"{anchor:%d.%m.%Y}",
            }
        )
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        self._line(_("database migrations"), "", time.perf_counter() - started)

        state = loader.state_of(dataset)
        if state is loader.State.SAME and not reset:
            self._say(_("already loaded; demo users and their passwords checked"))
            self._logins(loader.ensure_organisation())
            return
        if state is loader.State.OTHER and not reset:
            raise CommandError(self._other_dataset(dataset) + " " + _("Use --reset to replace it."))
        if state is loader.State.FOREIGN and not reset:
            raise CommandError(
                _(
                    "The database holds business data or users that are not demo data. Use "
                    "--reset only if you mean to DELETE all business data and load the demo."
                )
            )

        def progress(loaded: int, seconds: float) -> None:
            self._say(
                _("%(loaded)s of %(companies)s companies (%(seconds)s s)")
                % {
                    "loaded": _number(loaded),
                    "companies": _number(dataset.companies),
                    "seconds": _number(seconds, 0),
                }
            )

        report = loader.load(dataset, anchor=anchor, reset=reset, progress=progress)
        if report.deleted:
            self._say(
                ngettext(
                    "deleted %(rows)s row of earlier data first",
                    "deleted %(rows)s rows of earlier data first",
                    report.deleted,
                )
                % {"rows": _number(report.deleted)}
            )
        for stage in report.stages:
            # A step that only writes reference rows has nothing to show per chunk.
            if stage.rows or stage.seconds >= 0.05:
                rows = ", ".join(
                    f"{_number(count)} {_rows_of(model, count)}"
                    for model, count in stage.rows.items()
                )
                self._line(stage.name, rows, stage.seconds)
        self._line(_("total"), "", time.perf_counter() - started)
        self._logins(report.organisation)

    @staticmethod
    def _other_dataset(dataset: Dataset) -> str:
        loaded = loader.marker() or {}
        if dataset.same_as(loaded):
            return _("The demo data in the database was made by another version of the demo.")
        return _("Another demo dataset is loaded (%(companies)s companies, seed %(seed)s).") % {
            "companies": _number(loaded.get("companies", 0)),
            "seed": loaded.get("seed"),
        }

    def _say(self, text: str) -> None:
        self.stdout.write(f"  {text}")

    def _line(self, name: str, rows: str, seconds: float) -> None:
        self.stdout.write(f"  {name:<28} {_number(seconds, 1):>6} s  {rows}".rstrip())

    def _logins(self, organisation: Organisation) -> None:
        key_accounts = Company.objects.filter(
            key_account_manager=organisation.users[data.KEY_ACCOUNT_MANAGER]
        ).count()
        names = {code: t.name for code, t in organisation.territories.items()}
        teams = {spec.name: spec.territories for spec in data.TEAMS}
        rows = []
        for spec in data.USERS:
            if not spec.login:
                continue
            if spec.superuser:
                scope = _("everything (administrator)")
            elif spec.role == Role.KEY_ACCOUNT:
                scope = ngettext(
                    "key accounts (%(count)s company)",
                    "key accounts (%(count)s companies)",
                    key_accounts,
                ) % {"count": _number(key_accounts)}
            else:
                codes = spec.territories or teams.get(spec.team, ())
                scope = ", ".join(names[code] for code in codes)
            name = " ".join(part for part in (spec.title, spec.first_name, spec.last_name) if part)
            team = f" ({spec.team})" if spec.team else ""
            rows.append((spec.username, str(Role(spec.role).label), name + team, scope))
        self.stdout.write(
            "\n" + _("Logins, password for all: %(password)s") % {"password": data.DEMO_PASSWORD}
        )
        header = (_("username"), _("role"), _("name"), _("scope"))
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        self.stdout.write("\n" + _("Open %(url)s") % {"url": "http://127.0.0.1:8000"})
