"""The SLA sweep over a million open leads (issue 9).

A million leads are added once to the ``large`` database, ten per company, each waiting for
its first contact or for sales to accept it; their clocks run out over the twenty days before
and after the moment they were made, one in twenty has passed already. Measured: the first
sweep, which reports every passed clock (to the rep, and to the sales manager who sees all),
and the sweep the worker runs every five minutes from then on.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from timing import summary

BENCH_LEADS = 1_000_000
PER_COMPANY = 10
MARK = "make bench"
OVERDUE_SHARE = 0.05
SPREAD = datetime.timedelta(days=20)
INTERVAL = datetime.timedelta(minutes=5)
STAGES = (("ql", "first_contact"), ("mql", "first_contact"), ("sql", "acceptance"))


def _ensure_leads(seed: int) -> datetime.datetime:
    """The bench's leads, made once; returns the moment they were made for."""
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from innendienst.contacts.models import Company
    from innendienst.core.bulk import RowWriter
    from innendienst.leads.models import Lead, LeadStageChange

    mine = Lead.objects.filter(source_name=MARK)
    if mine.count() == BENCH_LEADS:
        return mine.aggregate(at=Max("created_at"))["at"]
    mine.delete()
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    companies = list(Company.objects.values_list("id", "inside_rep_id", "field_rep_id"))
    first_id = (Lead.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    first_change = (LeadStageChange.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    leads, changes = [], []
    for number in range(BENCH_LEADS):
        company_id, inside_rep, field_rep = companies[number // PER_COMPANY % len(companies)]
        stage, kind = rng.choice(STAGES)
        owner = field_rep if stage == "sql" else inside_rep
        overdue = rng.random() < OVERDUE_SHARE
        due = now + (-1 if overdue else 1) * SPREAD * rng.random()
        began = min(now, due) - datetime.timedelta(hours=rng.randint(4, 72))
        lead_id, change_id = first_id + number, first_change + number
        leads.append(
            (lead_id, 1, now, now, company_id, stage, "api", MARK, "", "", "", "EUR", "b", "",
             owner, owner, began, began, kind, due, "", "")
        )  # fmt: skip
        changes.append((change_id, lead_id, "", stage, "", "", owner, owner, began, kind, due))
    writer = RowWriter()
    writer.write_tuples(
        Lead,
        ("id", "version", "created_at", "updated_at", "company_id", "stage", "source",
         "source_name", "interests", "need", "timing", "currency", "priority", "notes",
         "owner_id", "created_by_id", "stage_changed_at", "touched_at", "sla_kind",
         "sla_due_at", "sla_alert", "reason"),
        leads,
    )  # fmt: skip
    writer.write_tuples(
        LeadStageChange,
        ("id", "lead_id", "from_stage", "to_stage", "reason", "note", "actor_id", "owner_id",
         "at", "sla_kind", "sla_due_at"),
        changes,
    )  # fmt: skip
    with connection.cursor() as cursor:
        for model in (Lead, LeadStageChange):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
            )
    return now


def _reset() -> None:
    """Every clock unreported again, as after the leads came in."""
    from django.db import connection

    from innendienst.leads.models import Lead, LeadAlert

    LeadAlert.objects.filter(lead__source_name=MARK).delete()
    Lead.objects.filter(source_name=MARK).exclude(sla_alert="").update(sla_alert="")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) leads_lead, leads_leadalert, leads_leadstagechange")


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from innendienst.leads.models import Lead
    from innendienst.leads.sla import sla_sweep

    started = time.perf_counter()
    anchor = _ensure_leads(seed)
    made_seconds = time.perf_counter() - started
    _reset()
    open_leads = Lead.objects.filter(sla_met_at__isnull=True, sla_due_at__isnull=False).count()

    started = time.perf_counter()
    first = sla_sweep(now=anchor)
    first_seconds = time.perf_counter() - started
    routine, routine_alerts = [], 0
    for step in range(1, repeat + 1):
        started = time.perf_counter()
        written = sla_sweep(now=anchor + step * INTERVAL)
        routine.append((time.perf_counter() - started) * 1000)
        routine_alerts += sum(written.values())
    return {
        "open_leads": open_leads,
        "leads_made_seconds": round(made_seconds, 1),
        "first_sweep": {"seconds": round(first_seconds, 2), "alerts": dict(first)},
        "routine_sweep": {**summary(routine), "alerts": routine_alerts},
    }
