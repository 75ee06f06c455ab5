"""Aging: a lead nobody works goes cold and sinks. Each night the open leads untouched for two
weeks drop from priority A to B, those untouched for four weeks from B to C; the change is in
the lead's history like any other, by "System". Working the lead (a stage, a contact) makes it
warm again; its priority is the rep's to raise."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from innendienst.contacts.models import Priority
from innendienst.core import audit
from innendienst.leads.models import OPEN_STAGES, Lead

# Untouched for this long, a lead of the first priority drops to the second.
DECAY = {
    Priority.A: (Priority.B, datetime.timedelta(days=14)),
    Priority.B: (Priority.C, datetime.timedelta(days=28)),
}


@transaction.atomic
def decay_priorities(now: datetime.datetime | None = None) -> int:
    """Lower the priority of the open leads untouched too long; returns how many."""
    now = now or timezone.now()
    lowered = 0
    # The lower priority first, so that a lead drops one step a night.
    for priority in (Priority.B, Priority.A):
        lower, after = DECAY[priority]
        # Whole rows: the audit entry reads every field it knows.
        stale = list(
            Lead.objects.select_for_update().filter(
                stage__in=OPEN_STAGES, priority=priority, touched_at__lt=now - after
            )
        )
        for lead in stale:
            before = {"priority": lead.priority}
            lead.priority = lower
            audit.record_update(actor=None, instance=lead, before=before)
        Lead.objects.filter(pk__in=[lead.pk for lead in stale]).update(
            priority=lower, updated_at=now
        )
        lowered += len(stale)
    return lowered
