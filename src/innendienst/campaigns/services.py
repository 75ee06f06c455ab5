"""Writes of campaigns and their plans: validated, audited, with events."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.accounts.selectors import colleagues_for
from innendienst.campaigns.access import require_campaign_planner
from innendienst.campaigns.models import Campaign, CampaignPhase
from innendienst.campaigns.selectors import campaign_teams, campaigns_for
from innendienst.core import audit, events
from innendienst.core.inputs import apply_changes

CAMPAIGN_FIELDS = ("name", "kind", "description", "team", "owner")
PHASE_FIELDS = ("name", "owner", "starts_on", "ends_on", "depends_on", "progress")


def _require_visible(actor: User, campaign: Campaign) -> None:
    if not campaigns_for(actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("You may not see this campaign."))


def _require_colleague(actor: User, owner: User | None) -> None:
    if owner is not None and not colleagues_for(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Please choose an active colleague.")})


def _validate_campaign(actor: User, campaign: Campaign) -> None:
    if (
        campaign.team_id is not None
        and not campaign_teams(actor).filter(pk=campaign.team_id).exists()
    ):
        raise ValidationError({"team": _("You may give a campaign only to your own team.")})
    _require_colleague(actor, campaign.owner)
    campaign.full_clean()


@transaction.atomic
def campaign_create(*, actor: User, data: Mapping[str, Any]) -> Campaign:
    require_campaign_planner(actor)
    campaign = Campaign(created_by=actor)
    apply_changes(campaign, data, CAMPAIGN_FIELDS)
    _validate_campaign(actor, campaign)
    campaign.save()
    audit.record_create(actor=actor, instance=campaign)
    events.emit("campaign.created", actor=actor, instance=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor: User, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    require_campaign_planner(actor)
    _require_visible(actor, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = audit.snapshot(campaign)
    apply_changes(campaign, data, CAMPAIGN_FIELDS)
    _validate_campaign(actor, campaign)
    campaign.save()
    audit.record_update(actor=actor, instance=campaign, before=before)
    return campaign


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _validate_phase(actor: User, phase: CampaignPhase) -> None:
    """The dates in order, and a phase after the one it depends on: the plan never shows a
    phase starting before what it waits for is finished."""
    if phase.starts_on and phase.ends_on and phase.ends_on < phase.starts_on:
        raise ValidationError({"ends_on": _("The end lies before the start.")})
    _require_colleague(actor, phase.owner)
    phase.full_clean(exclude=["campaign"])
    before = phase.depends_on
    if before is None:
        return
    if before.campaign_id != phase.campaign_id:
        raise ValidationError({"depends_on": _("Choose a phase of this campaign.")})
    seen = {phase.pk}
    while before is not None:
        if before.pk in seen:
            raise ValidationError(
                {"depends_on": _("The phases would wait for each other in a circle.")}
            )
        seen.add(before.pk)
        before = before.depends_on
    if phase.starts_on <= phase.depends_on.ends_on:
        raise ValidationError(
            {
                "starts_on": _("“%(phase)s” ends on %(date)s; this phase starts after it.")
                % {"phase": phase.depends_on.name, "date": _day(phase.depends_on.ends_on)}
            }
        )


def _validate_waiting(phase: CampaignPhase) -> None:
    """A phase moved past the start of one that waits for it would leave that one starting
    too early (and unsavable): the move is refused, naming it."""
    waiting = (
        CampaignPhase.objects.filter(depends_on=phase, starts_on__lte=phase.ends_on)
        .order_by("starts_on")
        .first()
    )
    if waiting is not None:
        raise ValidationError(
            {
                "ends_on": _("“%(phase)s” waits for this phase and starts on %(date)s.")
                % {"phase": waiting.name, "date": _day(waiting.starts_on)}
            }
        )


@transaction.atomic
def phase_create(*, actor: User, campaign: Campaign, data: Mapping[str, Any]) -> CampaignPhase:
    require_campaign_planner(actor)
    _require_visible(actor, campaign)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).exists()
    phase = CampaignPhase(campaign=campaign)
    apply_changes(phase, data, PHASE_FIELDS)
    _validate_phase(actor, phase)
    phase.save()
    audit.record_create(actor=actor, instance=phase)
    return phase


@transaction.atomic
def phase_update(*, actor: User, phase: CampaignPhase, data: Mapping[str, Any]) -> CampaignPhase:
    require_campaign_planner(actor)
    _require_visible(actor, phase.campaign)
    # The whole plan is locked: two planners moving phases that wait for each other would
    # each pass the checks alone.
    Campaign.objects.select_for_update().filter(pk=phase.campaign_id).exists()
    phase = CampaignPhase.objects.select_for_update().get(pk=phase.pk)
    before = audit.snapshot(phase)
    apply_changes(phase, data, PHASE_FIELDS)
    _validate_phase(actor, phase)
    _validate_waiting(phase)
    phase.save()
    audit.record_update(actor=actor, instance=phase, before=before)
    return phase


@transaction.atomic
def phase_delete(*, actor: User, phase: CampaignPhase) -> None:
    """The phases waiting for this one keep their dates and wait for nothing."""
    require_campaign_planner(actor)
    _require_visible(actor, phase.campaign)
    for waiting in CampaignPhase.objects.select_for_update().filter(depends_on=phase):
        before = audit.snapshot(waiting)
        waiting.depends_on = None
        waiting.save(update_fields=["depends_on"])
        audit.record_update(actor=actor, instance=waiting, before=before)
    audit.record_deletes(actor=actor, instances=[phase])
    phase.delete()
