"""The SLA sweep and the SLA report.

The sweep warns the responsible rep before a lead's clock runs out and when it has, and
escalates a passed deadline to the sales managers who see the lead. It reads only the running
clocks it has not yet reported late, along their own index, so it costs what is due, not what
is open. The report counts the clocks of the stages that began in a period: met in time, met
late, still running, overdue — per rep, team and source.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from innendienst.accounts.models import Role, Territory, User
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.core import events
from innendienst.leads.calendar import BusinessCalendar, calendars_of
from innendienst.leads.defaults import WARN_BEFORE_HOURS
from innendienst.leads.models import (
    OPEN_STAGES,
    AlertKind,
    Lead,
    LeadAlert,
    LeadSource,
    LeadStageChange,
    SlaRule,
)

SWEEP_CHUNK = 2_000
SWEPT_FIELDS = (
    "id", "stage", "source", "owner_id", "sla_kind", "sla_due_at", "sla_alert",
    "company__id", "company__territory_id",
)  # fmt: skip


@dataclass
class _Sweep:
    now: datetime.datetime
    warn_hours: dict[tuple[str, str], int]
    managers: list[tuple[User, set[int] | None]]
    calendars: dict[int, BusinessCalendar]
    thresholds: dict[tuple[int, int], datetime.datetime] = field(default_factory=dict)

    def warn_before(self, lead: Lead) -> int:
        for key in ((lead.stage, lead.source), (lead.stage, "")):
            if key in self.warn_hours:
                return self.warn_hours[key]
        return WARN_BEFORE_HOURS

    def warns(self, lead: Lead) -> bool:
        """The clock runs out within its warning time, in its territory's business hours: it
        is due before the moment that many business hours from now (one per territory and
        warning time, not a count of business hours per lead)."""
        key = (lead.company.territory_id, self.warn_before(lead))
        if key not in self.thresholds:
            self.thresholds[key] = self.calendars[key[0]].add_hours(self.now, key[1])
        return lead.sla_due_at <= self.thresholds[key]

    def horizon(self) -> datetime.datetime:
        """No clock due later can be within its warning time in any territory."""
        longest = max([WARN_BEFORE_HOURS, *self.warn_hours.values()])
        return max(
            (calendar.add_hours(self.now, longest) for calendar in self.calendars.values()),
            default=self.now,
        )

    def managers_of(self, lead: Lead) -> list[User]:
        territory_id = lead.company.territory_id
        return [
            manager
            for manager, territories in self.managers
            if territories is None or territory_id in territories
        ]


def _clocks(lead_ids: Iterable[int]) -> dict[int, int]:
    """The stage change whose clock each lead runs: its latest."""
    latest: dict[int, int] = {}
    changes = LeadStageChange.objects.filter(lead_id__in=list(lead_ids)).order_by("at", "id")
    for lead_id, change_id in changes.values_list("lead_id", "id"):
        latest[lead_id] = change_id
    return latest


def sla_sweep(now: datetime.datetime | None = None) -> Counter:
    """Warn and escalate what is due; returns how many alerts of each kind it wrote."""
    sweep = _Sweep(
        now=now or timezone.now(),
        warn_hours={(r.stage, r.source): r.warn_before_hours for r in SlaRule.objects.all()},
        managers=[
            (manager, visible_territory_ids(manager))
            for manager in User.objects.filter(is_active=True, role=Role.SALES_MANAGER)
        ],
        calendars=calendars_of(Territory.objects.all()),
    )
    written: Counter = Counter()
    # Passed and not yet reported, or not yet warned and within reach of a warning: what
    # became due since the last sweep, not every running clock.
    horizon = sweep.horizon()
    due = (
        # The range first, so that the index is read from its start to the horizon only.
        Lead.objects.filter(
            sla_due_at__isnull=False, sla_met_at__isnull=True, sla_due_at__lte=horizon
        )
        .filter(Q(sla_due_at__lte=sweep.now) | Q(sla_alert=""))
        .exclude(sla_alert=AlertKind.BREACH)
        .select_related("company")
        .only(*SWEPT_FIELDS)
        .order_by("sla_due_at", "id")
    )
    chunk: list[Lead] = []
    for lead in due.iterator(chunk_size=SWEEP_CHUNK):
        chunk.append(lead)
        if len(chunk) == SWEEP_CHUNK:
            written += _sweep_chunk(sweep, chunk)
            chunk = []
    if chunk:
        written += _sweep_chunk(sweep, chunk)
    return written


@transaction.atomic
def _sweep_chunk(sweep: _Sweep, leads: list[Lead]) -> Counter:
    # Locked and read again: a lead moved on since the chunk was read runs another clock
    # (or none), which this sweep must not report as the one it read.
    still = dict(
        Lead.objects.select_for_update()
        .filter(pk__in=[lead.pk for lead in leads], sla_met_at__isnull=True)
        .values_list("pk", "sla_due_at")
    )
    leads = [lead for lead in leads if still.get(lead.pk) == lead.sla_due_at]
    clocks = _clocks(lead.pk for lead in leads)
    alerts: list[LeadAlert] = []
    breached: list[Lead] = []
    warned: list[int] = []
    for lead in leads:
        change_id = clocks.get(lead.pk)
        if change_id is None:
            continue

        def alert(kind: str, recipient_id: int | None, lead: Lead = lead, change: int = change_id):
            if recipient_id is not None:
                alerts.append(
                    LeadAlert(
                        lead=lead,
                        stage_change_id=change,
                        kind=kind,
                        recipient_id=recipient_id,
                        due_at=lead.sla_due_at,
                        created_at=sweep.now,
                    )
                )

        if lead.sla_due_at <= sweep.now:
            alert(AlertKind.BREACH, lead.owner_id)
            for manager in sweep.managers_of(lead):
                alert(AlertKind.ESCALATION, manager.pk)
            breached.append(lead)
        elif not lead.sla_alert and sweep.warns(lead):
            alert(AlertKind.WARNING, lead.owner_id)
            warned.append(lead.pk)
    LeadAlert.objects.bulk_create(alerts, ignore_conflicts=True)
    Lead.objects.filter(pk__in=warned).update(sla_alert=AlertKind.WARNING)
    Lead.objects.filter(pk__in=[lead.pk for lead in breached]).update(sla_alert=AlertKind.BREACH)
    for lead in breached:
        events.emit(
            "lead.sla_breached",
            actor=None,
            instance=lead,
            kind=str(lead.sla_kind),
            due_at=lead.sla_due_at.isoformat(),
            owner_id=lead.owner_id,
        )
    return Counter(alert.kind for alert in alerts)


def alerts_of(lead: Lead) -> list[LeadAlert]:
    return list(lead.alerts.select_related("recipient").order_by("created_at", "id"))


def my_escalations(user: User, leads: QuerySet[Lead], *, days: int = 7) -> list[LeadAlert]:
    """The passed deadlines reported to me in the last days whose leads still wait for them:
    the same clock, not met, the lead open."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(
        LeadAlert.objects.filter(
            recipient=user,
            kind=AlertKind.ESCALATION,
            created_at__gte=since,
            lead__in=leads.filter(sla_met_at__isnull=True, stage__in=OPEN_STAGES),
            lead__sla_due_at=F("due_at"),
        )
        .select_related("lead__company", "lead__owner")
        .order_by("due_at", "id")[:20]
    )


REPORT_GROUPS = {
    "owner": ("owner__first_name", "owner__last_name", "owner__username"),
    "team": ("owner__team__name",),
    "source": ("lead__source",),
}


def sla_report(
    leads: QuerySet[Lead], *, since: datetime.datetime, group: str, now: datetime.datetime
) -> list[dict[str, Any]]:
    """Per rep, team or source: the clocks of the stages that began since ``since``, how
    many were met in time, late, are running or overdue, and the share in time of those
    decided (met, or overdue)."""
    fields = REPORT_GROUPS[group]
    clocks = LeadStageChange.objects.filter(lead__in=leads, sla_due_at__isnull=False, at__gte=since)
    in_time = Q(sla_met_at__isnull=False, sla_met_at__lte=F("sla_due_at"))
    rows = (
        clocks.values(*fields)
        .annotate(
            clocks=Count("id"),
            in_time=Count("id", filter=in_time),
            late=Count("id", filter=Q(sla_met_at__gt=F("sla_due_at"))),
            overdue=Count("id", filter=Q(sla_met_at__isnull=True, sla_due_at__lt=now)),
            running=Count("id", filter=Q(sla_met_at__isnull=True, sla_due_at__gte=now)),
        )
        .order_by(*fields)
    )
    report = []
    for row in rows:
        decided = row["in_time"] + row["late"] + row["overdue"]
        row["adherence"] = round(100 * row["in_time"] / decided) if decided else None
        if group == "source":
            row["source_label"] = LeadSource(row["lead__source"]).label
        report.append(row)
    return report
