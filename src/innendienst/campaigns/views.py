"""Campaigns and their plans: the list, the plan as a Gantt chart, phases, Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.selectors import colleagues_for
from innendienst.campaigns import gantt, selectors, services
from innendienst.campaigns.access import can_plan_campaigns, require_campaign_planner
from innendienst.campaigns.forms import CampaignForm, PhaseForm
from innendienst.campaigns.models import Campaign, CampaignPhase
from innendienst.campaigns.workbooks import plan_response
from innendienst.core import registry
from innendienst.core.forms import add_service_errors, seen_values
from innendienst.core.web import found_or_404, nav_section


@require_GET
@login_required
@nav_section("campaigns")
def campaign_index(request: HttpRequest) -> HttpResponse:
    context = {
        "campaigns": selectors.campaign_overview(request.user),
        "can_plan": can_plan_campaigns(request.user),
    }
    return render(request, "campaigns/campaign_index.html", context)


def _campaign_form(request: HttpRequest, campaign: Campaign | None) -> CampaignForm:
    initial = (
        seen_values(campaign, services.CAMPAIGN_FIELDS)
        if campaign
        else {"team": request.user.team_id, "owner": request.user.pk}
    )
    return CampaignForm(
        request.POST or None,
        initial=initial,
        teams=selectors.campaign_teams(request.user),
        owners=colleagues_for(request.user),
    )


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("campaigns")
def campaign_create(request: HttpRequest) -> HttpResponse:
    require_campaign_planner(request.user)
    form = _campaign_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Campaign created. Now plan its phases."))
            return redirect("campaign_detail", campaign.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "campaigns/campaign_form.html", {"form": form, "campaign": None}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("campaigns")
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = found_or_404(selectors.campaign_get, request.user, campaign_id)
    require_campaign_planner(request.user)
    form = _campaign_form(request, campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaign_detail", campaign.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "campaign": campaign}
    return render(request, "campaigns/campaign_form.html", context, status=status)


def _phase_form(
    request: HttpRequest, campaign: Campaign, phase: CampaignPhase | None = None
) -> PhaseForm:
    others = campaign.phases.all()
    if phase is not None:
        others = others.exclude(pk=phase.pk)
    initial = (
        seen_values(phase, services.PHASE_FIELDS)
        if phase is not None
        else {"owner": request.user.pk, "progress": 0}
    )
    return PhaseForm(
        request.POST or None,
        initial=initial,
        owners=colleagues_for(request.user),
        phases=others,
        prefix="phase",
    )


def _detail(
    request: HttpRequest, campaign: Campaign, phase_form: PhaseForm | None = None
) -> dict[str, Any]:
    phases = selectors.phases_of(campaign)
    today = timezone.localdate()
    return {
        "campaign": campaign,
        "phases": [(phase, gantt.expected_progress(phase, today)) for phase in phases],
        "chart": gantt.chart(phases, today),
        "can_plan": can_plan_campaigns(request.user),
        "phase_form": phase_form or _phase_form(request, campaign),
        # What other apps show of the campaign (activities: its call guide and call lists).
        "panels": registry.record_page("campaign", request.user, campaign)["main"],
    }


@require_GET
@login_required
@nav_section("campaigns")
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = found_or_404(selectors.campaign_get, request.user, campaign_id)
    return render(request, "campaigns/campaign_detail.html", _detail(request, campaign))


@require_POST
@login_required
@nav_section("campaigns")
def phase_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = found_or_404(selectors.campaign_get, request.user, campaign_id)
    require_campaign_planner(request.user)
    form = _phase_form(request, campaign)
    if form.is_valid():
        try:
            services.phase_create(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Phase added to the plan."))
            return redirect("campaign_detail", campaign.pk)
    context = _detail(request, campaign, form)
    return render(request, "campaigns/campaign_detail.html", context, status=422)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("campaigns")
def phase_edit(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = found_or_404(selectors.phase_get, request.user, phase_id)
    require_campaign_planner(request.user)
    form = _phase_form(request, phase.campaign, phase)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_update(actor=request.user, phase=phase, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Phase saved."))
            return redirect("campaign_detail", phase.campaign_id)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "phase": phase, "campaign": phase.campaign}
    return render(request, "campaigns/phase_form.html", context, status=status)


@require_POST
@login_required
def phase_delete(request: HttpRequest, phase_id: int) -> HttpResponse:
    phase = found_or_404(selectors.phase_get, request.user, phase_id)
    services.phase_delete(actor=request.user, phase=phase)
    messages.success(request, _("Phase removed from the plan."))
    return redirect("campaign_detail", phase.campaign_id)


@require_GET
@login_required
def campaign_plan_export(request: HttpRequest, campaign_id: int) -> FileResponse:
    campaign = found_or_404(selectors.campaign_get, request.user, campaign_id)
    return plan_response(campaign, selectors.phases_of(campaign))
