"""Writes of the lead configuration that the sales manager keeps outside the admin site: the
reaction times per stage and source (SLA rules), and each rep's monthly lead capacity and
absences. Each checks the actor, validates every cell at once and audits what changed."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.core import audit
from innendienst.leads.access import is_lead_manager
from innendienst.leads.models import LeadCapacity, SlaRule

MAX_HOURS = 2000
MAX_PER_MONTH = 10_000


def _require_manager(actor: User) -> None:
    if not is_lead_manager(actor):
        raise PermissionDenied(_("Only a sales manager may change the lead settings."))


def cell_name(stage: str, source: str) -> str:
    return f"sla-{stage}-{source or 'all'}"


def _hours(raw: str) -> int | None:
    """A cell's hours: empty is "no rule of its own"."""
    text = (raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_HOURS:
        raise ValidationError(
            _("Please enter whole business hours from 1 to %(max)s, or leave it empty.")
            % {"max": MAX_HOURS}
        )
    return int(text)


@transaction.atomic
def sla_rules_update(*, actor: User, cells: Mapping[tuple[str, str], str]) -> None:
    """The reaction times of ``cells`` ((stage, source or "") → hours as typed): a number
    writes the rule, an empty cell removes it (the stage then follows the rule for every
    source, or the default)."""
    _require_manager(actor)
    errors: dict[str, str] = {}
    wanted: dict[tuple[str, str], int | None] = {}
    for key, raw in cells.items():
        try:
            wanted[key] = _hours(raw)
        except ValidationError as exc:
            errors[cell_name(*key)] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    existing = {(rule.stage, rule.source): rule for rule in SlaRule.objects.select_for_update()}
    for (stage, source), hours in wanted.items():
        rule = existing.get((stage, source))
        if hours is None:
            if rule is not None:
                audit.record_deletes(actor=actor, instances=[rule])
                rule.delete()
        elif rule is None:
            rule = SlaRule.objects.create(stage=stage, source=source, hours=hours)
            audit.record_create(actor=actor, instance=rule)
        elif rule.hours != hours:
            before = audit.snapshot(rule)
            rule.hours = hours
            rule.save(update_fields=["hours"])
            audit.record_update(actor=actor, instance=rule, before=before)


def _date(raw: str) -> datetime.date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(_("Please enter a date as YYYY-MM-DD.")) from exc


@transaction.atomic
def capacities_update(*, actor: User, rows: Mapping[int, Mapping[str, Any]]) -> None:
    """Each rep's monthly lead capacity and absence (user id → per_month, away_from,
    away_until as typed). An empty capacity removes the row: the rep counts as free."""
    _require_manager(actor)
    errors: dict[str, str] = {}
    wanted: dict[int, tuple[int | None, datetime.date | None, datetime.date | None]] = {}
    for user_id, values in rows.items():
        per_month_text = str(values.get("per_month") or "").strip()
        per_month = None
        if per_month_text:
            if not per_month_text.isdigit() or int(per_month_text) > MAX_PER_MONTH:
                errors[f"per_month-{user_id}"] = _(
                    "Please enter a whole number from 0 to %(max)s."
                ) % {"max": MAX_PER_MONTH}
                continue
            per_month = int(per_month_text)
        try:
            away_from = _date(values.get("away_from", ""))
        except ValidationError as exc:
            errors[f"away_from-{user_id}"] = exc.messages[0]
            continue
        try:
            away_until = _date(values.get("away_until", ""))
        except ValidationError as exc:
            errors[f"away_until-{user_id}"] = exc.messages[0]
            continue
        if away_from and away_until and away_until < away_from:
            errors[f"away_until-{user_id}"] = _("The last day lies before the first.")
            continue
        if per_month is None and (away_from or away_until):
            errors[f"per_month-{user_id}"] = _("An absence needs the rep's capacity too.")
            continue
        wanted[user_id] = (per_month, away_from, away_until)
    if errors:
        raise ValidationError(errors)
    existing = {row.user_id: row for row in LeadCapacity.objects.select_for_update()}
    for user_id, (per_month, away_from, away_until) in wanted.items():
        row = existing.get(user_id)
        if per_month is None:
            if row is not None:
                audit.record_deletes(actor=actor, instances=[row])
                row.delete()
            continue
        if row is None:
            row = LeadCapacity.objects.create(
                user_id=user_id, per_month=per_month, away_from=away_from, away_until=away_until
            )
            audit.record_create(actor=actor, instance=row)
            continue
        before = audit.snapshot(row)
        row.per_month, row.away_from, row.away_until = per_month, away_from, away_until
        if audit.snapshot(row) != before:
            row.save()
            audit.record_update(actor=actor, instance=row, before=before)
