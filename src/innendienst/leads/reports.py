"""The sales manager's lead reports: how the leads of a period went through the stages, per
source, team or rep (lead conversion), and who got which lead why (assignments, against each
rep's monthly capacity)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from innendienst.leads.distribution import month_start
from innendienst.leads.models import Lead, LeadCapacity, LeadSource, LeadStage

# The funnel's steps, in order: a lead that reached SQL passed MQL too, even when it was
# handed over straight from the booth.
FUNNEL = (LeadStage.MQL, LeadStage.SQL, LeadStage.ACCEPTED, LeadStage.CONVERTED)
REACHED_FROM = {
    LeadStage.MQL: (LeadStage.MQL, LeadStage.SQL, LeadStage.ACCEPTED, LeadStage.CONVERTED),
    LeadStage.SQL: (LeadStage.SQL, LeadStage.ACCEPTED, LeadStage.CONVERTED),
    LeadStage.ACCEPTED: (LeadStage.ACCEPTED, LeadStage.CONVERTED),
    LeadStage.CONVERTED: (LeadStage.CONVERTED,),
}
CONVERSION_GROUPS = {
    "source": ("source",),
    "team": ("owner__team__name",),
    "owner": ("owner__first_name", "owner__last_name", "owner__username"),
}


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def conversion_report(
    leads: QuerySet[Lead], *, since: datetime.datetime, group: str
) -> list[dict[str, Any]]:
    """Per source, team or rep: the leads captured since ``since``, how many of them reached
    MQL, SQL, acceptance and conversion (at any time since), were disqualified or sent back,
    and the rate of each step from the one before."""
    fields = CONVERSION_GROUPS[group]
    captured = leads.filter(created_at__gte=since)
    counts: dict[str, Any] = {
        "leads": Count("id", distinct=True),
        "disqualified": Count("id", distinct=True, filter=Q(stage=LeadStage.DISQUALIFIED)),
        "recycled": Count(
            "id", distinct=True, filter=Q(stage_changes__to_stage=LeadStage.RECYCLED)
        ),
    }
    for stage, stages in REACHED_FROM.items():
        counts[str(stage)] = Count(
            "id", distinct=True, filter=Q(stage_changes__to_stage__in=stages)
        )
    rows = list(captured.values(*fields).annotate(**counts).order_by(*fields))
    for row in rows:
        previous = row["leads"]
        row["steps"] = []
        for stage in FUNNEL:
            row["steps"].append((row[str(stage)], _rate(row[str(stage)], previous)))
            previous = row[str(stage)]
        row["overall"] = _rate(row[str(LeadStage.CONVERTED)], row["leads"])
        if group == "source":
            row["label"] = str(LeadSource(row["source"]).label)
        elif group == "team":
            row["label"] = row["owner__team__name"] or "–"
        else:
            name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
            row["label"] = name or row["owner__username"] or "–"
    return rows


@dataclass(frozen=True)
class RepLoad:
    name: str
    taken: int
    capacity: int | None
    away: bool


def assignments(leads: QuerySet[Lead], *, since: datetime.datetime) -> QuerySet[Lead]:
    """The leads given to someone since ``since``, newest first, with the reason stored."""
    return (
        leads.filter(assigned_at__gte=since)
        .select_related("company", "owner")
        .only(
            "id", "source", "source_name", "stage", "assigned_at", "assignment_reason",
            "company__id", "company__name", "owner__id", "owner__first_name",
            "owner__last_name", "owner__username",
        )
        .order_by("-assigned_at", "-id")
    )  # fmt: skip


def rep_loads(leads: QuerySet[Lead], today: datetime.date) -> list[RepLoad]:
    """Each rep's leads of this month against his monthly capacity, the fullest first."""
    taken = (
        leads.filter(assigned_at__gte=month_start(today), owner__isnull=False)
        .values("owner", "owner__first_name", "owner__last_name", "owner__username")
        .annotate(taken=Count("id"))
    )
    capacities = {
        capacity.user_id: capacity
        for capacity in LeadCapacity.objects.filter(user__in=[row["owner"] for row in taken])
    }
    loads = []
    for row in taken:
        capacity = capacities.get(row["owner"])
        name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
        loads.append(
            RepLoad(
                name=name or row["owner__username"],
                taken=row["taken"],
                capacity=capacity.per_month if capacity else None,
                away=bool(capacity and capacity.away_on(today)),
            )
        )
    return sorted(loads, key=lambda load: -(load.taken / (load.capacity or load.taken or 1)))
