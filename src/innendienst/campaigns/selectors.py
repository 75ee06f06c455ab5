"""Reads of campaigns and their plans, scoped by the user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from innendienst.accounts.access import MANAGERS
from innendienst.accounts.models import Role, Team, User
from innendienst.campaigns.models import Campaign, CampaignPhase


def campaigns_for(user: User) -> QuerySet[Campaign]:
    """The campaigns of the user's team and his own; managers and marketing see every one
    (marketing coordinates the campaigns of all teams)."""
    campaigns = Campaign.objects.all()
    if not user.is_active:
        return campaigns.none()
    if user.is_superuser or user.role in MANAGERS or user.role == Role.MARKETING:
        return campaigns
    return campaigns.filter(
        Q(created_by=user) | Q(owner=user) | Q(team__isnull=False, team_id=user.team_id)
    )


def campaign_overview(user: User) -> QuerySet[Campaign]:
    return campaigns_for(user).select_related("team", "owner").order_by("-created_at", "-id")


def campaign_get(user: User, campaign_id: int) -> Campaign:
    return campaigns_for(user).select_related("team", "owner", "created_by").get(pk=campaign_id)


def phases_of(campaign: Campaign) -> list[CampaignPhase]:
    return list(campaign.phases.select_related("owner", "depends_on"))


def phase_get(user: User, phase_id: int) -> CampaignPhase:
    return CampaignPhase.objects.select_related("campaign").get(
        pk=phase_id, campaign__in=campaigns_for(user)
    )


def campaign_teams(user: User) -> QuerySet[Team]:
    """The teams a user may give a campaign to: his own; a manager's or marketing's, any."""
    if user.is_superuser or user.role in MANAGERS or user.role == Role.MARKETING:
        return Team.objects.order_by("name")
    return Team.objects.filter(pk=user.team_id)
