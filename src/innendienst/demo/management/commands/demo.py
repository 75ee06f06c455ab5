"""``manage.py demo``: realistic, deterministic DACH demo data at any scale."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.contacts.models import Company
from innendienst.demo import data, loader
from innendienst.demo.generator import SIZES, Dataset

DEFAULT_SEED = 1


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
        named = f" ({dataset.size})" if dataset.size in SIZES else ""
        self.stdout.write(
            f"Demo data: {dataset.companies:,} companies{named}, seed {seed}, "
            f"dates relative to {anchor:%d.%m.%Y}"
        )
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        self._line("migrate", "", time.perf_counter() - started)

        state = loader.state_of(dataset)
        if state is loader.State.SAME and not reset:
            self.stdout.write("  already loaded; demo users and their passwords checked")
            self._logins(loader.ensure_organisation())
            return
        if state is loader.State.OTHER and not reset:
            other = loader.marker() or {}
            raise CommandError(
                f"Another demo dataset is loaded ({other.get('companies', 0):,} companies, seed "
                f"{other.get('seed')}). Use --reset to replace it."
            )
        if state is loader.State.FOREIGN and not reset:
            raise CommandError(
                "The database holds companies, products or users that are not demo data. "
                "Use --reset only if you mean to DELETE all business data and load the demo."
            )

        report = loader.load(
            dataset,
            anchor=anchor,
            reset=reset,
            progress=lambda text: self.stdout.write(f"  {text}"),
        )
        if report.deleted:
            self.stdout.write(f"  deleted {report.deleted:,} rows of earlier data first")
        for stage in report.stages:
            rows = ", ".join(f"{count:,} {label}" for label, count in stage.rows.items())
            self._line(stage.name, rows, stage.seconds)
        self._line("total", "", time.perf_counter() - started)
        self._logins(report.organisation)

    def _line(self, name: str, rows: str, seconds: float) -> None:
        self.stdout.write(f"  {name:<26} {seconds:6.1f} s  {rows}".rstrip())

    def _logins(self, organisation: loader.Organisation) -> None:
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
                scope = "everything (administrator)"
            elif spec.role == Role.KEY_ACCOUNT:
                scope = f"key accounts ({key_accounts:,} companies)"
            else:
                codes = spec.territories or teams.get(spec.team, ())
                scope = ", ".join(names[code] for code in codes)
            name = " ".join(part for part in (spec.title, spec.first_name, spec.last_name) if part)
            team = f" ({spec.team})" if spec.team else ""
            rows.append((spec.username, str(Role(spec.role).label), name + team, scope))
        self.stdout.write(f"\nLogins, password for all: {data.DEMO_PASSWORD}")
        header = ("username", "role", "name", "scope")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        self.stdout.write("\nOpen http://127.0.0.1:8000")
