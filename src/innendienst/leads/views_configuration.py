"""The lead settings the sales manager keeps: reaction times per stage and source, and each
rep's lead capacity and absences. Everyone who works leads reads them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from innendienst.accounts.models import SYSTEM_USERNAME_PREFIX, User
from innendienst.core.web import nav_section
from innendienst.leads import configuration
from innendienst.leads.access import REPS, can_work_leads, is_lead_manager
from innendienst.leads.defaults import SLA_HOURS
from innendienst.leads.models import LeadCapacity, LeadSource, LeadStage, SlaRule
from innendienst.leads.services import WAITS_FOR

SLA_SOURCES: list[tuple[str, Any]] = [("", gettext_lazy("every source")), *LeadSource.choices]


def _require_reader(request: HttpRequest) -> None:
    if not can_work_leads(request.user) and not is_lead_manager(request.user):
        raise PermissionDenied(_("Your role may not work leads."))


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("leads")
def sla_rules(request: HttpRequest) -> HttpResponse:
    """The agreed reaction times: a grid of stages and sources, empty cells inherit."""
    _require_reader(request)
    editable = is_lead_manager(request.user)
    stages = [stage for stage in LeadStage if stage in WAITS_FOR]
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Only a sales manager may change the lead settings."))
        cells = {
            (stage.value, source): request.POST.get(configuration.cell_name(stage, source), "")
            for stage in stages
            for source, _label in SLA_SOURCES
        }
        try:
            configuration.sla_rules_update(actor=request.user, cells=cells)
        except ValidationError as exc:
            errors = {name: " ".join(texts) for name, texts in exc.message_dict.items()}
        else:
            messages.success(request, _("Reaction times saved."))
            return redirect("lead_sla_rules")
    written = {(rule.stage, rule.source): rule.hours for rule in SlaRule.objects.all()}
    rows = []
    for stage in stages:
        cells = []
        for source, source_label in SLA_SOURCES:
            name = configuration.cell_name(stage, source)
            inherited = written.get((stage, "")) if source else None
            default = SLA_HOURS.get((stage, source)) or SLA_HOURS.get((stage, ""))
            value = request.POST.get(name, "") if errors else written.get((stage, source), "")
            cells.append({
                "name": name, "value": value, "error": errors.get(name, ""),
                "placeholder": inherited or default or "", "source_label": source_label,
            })  # fmt: skip
        rows.append({"stage": stage, "label": stage.label, "cells": cells})
    context = {"rows": rows, "sources": SLA_SOURCES, "editable": editable}
    return render(request, "leads/sla_rules.html", context, status=422 if errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("leads")
def capacities(request: HttpRequest) -> HttpResponse:
    """How many leads each rep can take per month, and when he is away."""
    _require_reader(request)
    editable = is_lead_manager(request.user)
    reps = list(
        User.objects.filter(is_active=True, role__in=REPS)
        .exclude(username__startswith=SYSTEM_USERNAME_PREFIX)
        .order_by("last_name", "first_name")
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Only a sales manager may change the lead settings."))
        rows = {
            rep.pk: {
                field: request.POST.get(f"{field}-{rep.pk}", "")
                for field in ("per_month", "away_from", "away_until")
            }
            for rep in reps
        }
        try:
            configuration.capacities_update(actor=request.user, rows=rows)
        except ValidationError as exc:
            errors = {name: " ".join(texts) for name, texts in exc.message_dict.items()}
        else:
            messages.success(request, _("Capacities saved."))
            return redirect("lead_capacities")
    stored = {row.user_id: row for row in LeadCapacity.objects.filter(user__in=reps)}
    lines = []
    for rep in reps:
        row = stored.get(rep.pk)
        values = {
            "per_month": row.per_month if row else "",
            "away_from": row.away_from.isoformat() if row and row.away_from else "",
            "away_until": row.away_until.isoformat() if row and row.away_until else "",
        }
        fields = []
        for field in ("per_month", "away_from", "away_until"):
            name = f"{field}-{rep.pk}"
            value = request.POST.get(name, "") if errors else values[field]
            fields.append({"name": name, "field": field, "value": value,
                           "error": errors.get(name, "")})  # fmt: skip
        lines.append({"rep": rep, "fields": fields})
    context = {"lines": lines, "editable": editable}
    return render(request, "leads/capacities.html", context, status=422 if errors else 200)
