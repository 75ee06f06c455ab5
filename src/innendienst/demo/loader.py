"""Runs the demo steps that the apps registered and keeps track of what is loaded.

The generated rows bypass the services on purpose: they are synthetic, need no audit trail
and must load fast at 100,000 companies. They are still valid by the models' own rules (the
steps store every value the way the validators normalise it).
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, models, reset_queries, transaction
from django.db.models import Max
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from innendienst.accounts.models import Team, Territory, User
from innendienst.contacts.models import Company
from innendienst.core import registry
from innendienst.core.bulk import RowWriter
from innendienst.core.models import AuditEntry, SiteSetting
from innendienst.core.registry import DemoStep
from innendienst.demo import data
from innendienst.demo.kit import Chunk, Dataset, Ids, Organisation, Run, email_local
from innendienst.demo.writer import defer_indexes, restore_indexes

MARKER_KEY = "demo"

# Companies loaded so far and seconds since the start, after each tenth of a large load.
Progress = Callable[[int, float], None]


class State(enum.Enum):
    EMPTY = "empty"  # no business data: load
    SAME = "same"  # this dataset is loaded: nothing to do
    OTHER = "other"  # another demo dataset is loaded: only with --reset
    FOREIGN = "foreign"  # real data without the demo marker: only with --reset


def _filled_models(steps: list[DemoStep]) -> list[type[models.Model]]:
    return [model for step in steps for model in step.models]


def step_versions(steps: list[DemoStep]) -> dict[str, int]:
    """Which steps made the data, and in which version: part of what "the same dataset" means,
    so that a database loaded before an app added or changed its step counts as another."""
    return {step.name: step.version for step in steps}


def marker() -> dict | None:
    return SiteSetting.objects.filter(key=MARKER_KEY).values_list("value", flat=True).first()


def state_of(dataset: Dataset) -> State:
    steps = registry.demo_steps()
    loaded = marker()
    # A user of the installation named like a demo login (an "admin" superuser, say) would
    # otherwise get the demo password.
    has_data = any(model._base_manager.exists() for model in _filled_models(steps)) or (
        User.objects.filter(username__in=[spec.username for spec in data.USERS]).exists()
    )
    if loaded is None:
        return State.FOREIGN if has_data else State.EMPTY
    same = dataset.same_as(loaded) and loaded.get("steps") == step_versions(steps)
    if same and Company.objects.exists():
        return State.SAME
    return State.OTHER


# --- deleting -----------------------------------------------------------------------------


# Rows deleted through the ORM at a time: its collector lists them in one statement, and a
# statement takes at most 65,535 parameters.
ORM_DELETE_CHUNK = 5_000


def _delete_all(model: type[models.Model], doomed: set[type[models.Model]]) -> int:
    """Empty the table; one DELETE statement unless rows elsewhere depend on it.

    A model that rows outside the business data may point at (a user's territories, a
    future app's offers) goes through the ORM, which cascades or protects as declared, a
    chunk at a time (100,000 companies at once were more parameters than a statement takes).
    """
    if any(rel.related_model not in doomed for rel in model._meta.related_objects):
        deleted = 0
        rows = model._base_manager.order_by("pk")
        while chunk := list(rows.values_list("pk", flat=True)[:ORM_DELETE_CHUNK]):
            deleted += model._base_manager.filter(pk__in=chunk).delete()[0]
        return deleted
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.rowcount


def delete_business_data() -> int:
    """Delete what the demo steps fill and the audit trail, then the demo users (but
    superusers), teams and territories.

    The last step's tables go first, each step's in reverse, so every row is gone before the
    rows it points at.
    """
    filled = _filled_models(registry.demo_steps())
    business = [*reversed(filled), AuditEntry]
    doomed = set(business)
    deleted = sum(_delete_all(model, doomed) for model in business)
    usernames = [spec.username for spec in data.USERS]
    deleted += User.objects.filter(username__in=usernames, is_superuser=False).delete()[0]
    deleted += Team.objects.all().delete()[0]
    Territory.objects.update(parent=None)
    deleted += Territory.objects.all().delete()[0]
    SiteSetting.objects.filter(key=MARKER_KEY).delete()
    return deleted


# --- the organisation: territories, teams, users ------------------------------------------


def ensure_organisation() -> Organisation:
    """Territories, teams and demo users as the demo needs them; password "demo" for all.

    Idempotent: runs on every call of the command, so a changed demo password or a deleted
    demo user is back after the next run.
    """
    territories: dict[str, Territory] = {}
    for spec in data.TERRITORIES:
        territory = Territory.objects.filter(code=spec.code).first()
        if territory is None:
            territory = Territory(
                code=spec.code,
                name=spec.name,
                parent=territories.get(spec.parent),
                country=spec.country,
            )
            territory.path = territory.compute_path()
            territory.save()
        territories[spec.code] = territory
    teams: dict[str, Team] = {}
    for team_spec in data.TEAMS:
        team, _created = Team.objects.get_or_create(name=team_spec.name)
        team.territories.set([territories[code] for code in team_spec.territories])
        teams[team_spec.name] = team
    users: dict[str, User] = {}
    password_hash = ""
    for user_spec in data.USERS:
        user = User.objects.filter(username=user_spec.username).first() or User(
            username=user_spec.username
        )
        user.first_name = user_spec.first_name
        user.last_name = user_spec.last_name
        user.email = f"{email_local(user_spec.first_name, user_spec.last_name)}@example.com"
        user.role = user_spec.role
        user.team = teams.get(user_spec.team)
        user.is_active = True
        user.is_staff = user.is_superuser = user_spec.superuser
        # Hashing is slow on purpose; one hash serves all demo users.
        if not password_hash:
            user.set_password(data.DEMO_PASSWORD)
            password_hash = user.password
        user.password = password_hash
        user.save()
        user.territories.set([territories[code] for code in user_spec.territories])
        users[user_spec.username] = user
    return Organisation(territories=territories, teams=teams, users=users)


# --- loading ------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    seconds: float = 0.0
    rows: dict[type[models.Model], int] = field(default_factory=dict)


@dataclass
class Report:
    stages: list[Stage]
    deleted: int
    organisation: Organisation


@contextlib.contextmanager
def _timed(stage: Stage) -> Iterator[None]:
    started = time.perf_counter()
    yield
    stage.seconds += time.perf_counter() - started


def _next_ids(filled: list[type[models.Model]]) -> Ids:
    return Ids(
        {
            model: (model._base_manager.aggregate(last=Max("pk"))["last"] or 0) + 1
            for model in filled
        }
    )


def load(dataset: Dataset, *, anchor: datetime.date, reset: bool, progress: Progress) -> Report:
    """Load ``dataset`` in one transaction: all of it or nothing, and the marker with it.

    Each registered step is made once (its reference rows count as reference data), then
    every chunk of companies passes through the steps in their order.
    """
    steps = registry.demo_steps()
    filled = _filled_models(steps)
    reference_stage = Stage(_("reference data"))
    step_stages = [Stage(str(step.label)) for step in steps]
    write_stage = Stage(_("writing"))
    index_stage = Stage(_("indexes and foreign keys"))
    finish_stage = Stage(_("sequences and statistics"))
    commit_stage = Stage(_("commit"))
    started = time.perf_counter()
    with transaction.atomic():
        with _timed(reference_stage):
            deleted = delete_business_data() if reset else 0
            deferred = defer_indexes(model._meta.db_table for model in filled)
            organisation = ensure_organisation()
            for model, rows in (
                (Territory, organisation.territories),
                (Team, organisation.teams),
                (User, organisation.users),
            ):
                reference_stage.rows[model] = len(rows)
            run = Run(
                dataset=dataset,
                anchor=anchor,
                organisation=organisation,
                ids=_next_ids(filled),
                writer=RowWriter(),
                counts=reference_stage.rows,
            )
            for step in steps:
                run.steps[step.name] = import_string(step.step)(run)
            run.flush()
        chunks = dataset.chunk_sizes()
        loaded = 0
        for index, companies in enumerate(chunks):
            chunk = Chunk(index=index, companies=companies)
            for step, stage in zip(steps, step_stages, strict=True):
                with _timed(stage):
                    run.counts = stage.rows
                    chunk.results[step.name] = run.steps[step.name].chunk(chunk)
            with _timed(write_stage):
                run.flush()
            # With DEBUG on, Django keeps every query; bulk inserts make that a lot of memory.
            reset_queries()
            loaded += companies
            if len(chunks) > 1 and (index + 1) * 10 // len(chunks) > index * 10 // len(chunks):
                progress(loaded, time.perf_counter() - started)
        with _timed(index_stage):
            restore_indexes(deferred)
        with _timed(finish_stage):
            RowWriter.finish(filled)
            for step in steps:
                run.steps[step.name].finish()
        counts = {
            model._meta.label_lower: count
            for stage in step_stages
            for model, count in stage.rows.items()
        }
        SiteSetting.objects.update_or_create(
            key=MARKER_KEY,
            defaults={
                "value": {
                    "seed": dataset.seed,
                    "size": dataset.size,
                    "companies": dataset.companies,
                    "anchor": anchor.isoformat(),
                    "steps": step_versions(steps),
                    "counts": counts,
                }
            },
        )
        committing = time.perf_counter()
    commit_stage.seconds = time.perf_counter() - committing
    return Report(
        stages=[
            reference_stage,
            *step_stages,
            write_stage,
            index_stage,
            finish_stage,
            commit_stage,
        ],
        deleted=deleted,
        organisation=organisation,
    )
