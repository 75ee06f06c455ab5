"""The SLA sweep over a million open leads, and the distribution of 100,000 new ones by 50
rules (issue 9).

A million leads are added once to the ``large`` database, ten per company, each waiting for
its first contact or for sales to accept it; their clocks run out over the twenty days before
and after the moment they were made, one in twenty has passed already. Measured: the first
sweep, which reports every passed clock (to the rep, and to the sales manager who sees all),
and the sweep the worker runs every five minutes from then on. Then 50 assignment rules (on
territory, source and product interest, to the demo's teams) and a monthly capacity for every
rep distribute a new lead for each of the 100,000 companies, as an import's batches do; the
rules and capacities are rolled back afterwards.
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
             owner, owner, began, began, kind, due, "", "", began, "", 0, [])
        )  # fmt: skip
        changes.append((change_id, lead_id, "", stage, "", "", owner, owner, began, kind, due))
    writer = RowWriter()
    writer.write_tuples(
        Lead,
        ("id", "version", "created_at", "updated_at", "company_id", "stage", "source",
         "source_name", "interests", "need", "timing", "currency", "priority", "notes",
         "owner_id", "created_by_id", "stage_changed_at", "touched_at", "sla_kind",
         "sla_due_at", "sla_alert", "reason", "assigned_at", "assignment_reason", "score",
         "score_reasons"),
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


NEW_LEADS = 100_000
RULES = 50
INTERESTS = ("Pumpen", "Ventile", "Zylinder", "Motoren", "Sensoren", "Antriebe")


def _distribution(seed: int) -> dict[str, Any]:
    from django.db import transaction

    from innendienst.accounts.models import Team, Territory, User
    from innendienst.contacts.models import Company
    from innendienst.leads.access import LEAD_WORKERS
    from innendienst.leads.distribution import Distributor
    from innendienst.leads.models import AssignmentRule, Lead, LeadCapacity

    rng = random.Random(seed)
    with transaction.atomic():
        territories = [None, *Territory.objects.all()]
        teams = list(Team.objects.all())
        for order in range(RULES):
            AssignmentRule.objects.create(
                order=order,
                name=f"Regel {order}",
                territory=rng.choice(territories),
                source=rng.choice(["", "", "trade_fair", "web_form", "campaign"]),
                interest=rng.choice(["", "", *INTERESTS]).lower()[:-1],
                team=rng.choice(teams),
            )
        for user in User.objects.filter(role__in=LEAD_WORKERS, is_active=True):
            LeadCapacity.objects.update_or_create(
                user=user, defaults={"per_month": rng.choice([500, 2_000, 20_000])}
            )
        companies = list(
            Company.objects.only(
                "id", "territory_id", "customer_group_id", "inside_rep_id", "field_rep_id",
                "key_account_manager_id",
            ).order_by("id")[:NEW_LEADS]
        )  # fmt: skip
        leads = [
            Lead(
                company=company,
                source=rng.choice(["trade_fair", "web_form", "campaign", "inbound_call"]),
                interests=rng.choice(INTERESTS),
            )
            for company in companies
        ]
        started = time.perf_counter()
        distributor = Distributor()
        owners = [distributor.assign(lead).owner for lead in leads]
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "leads": len(leads),
        "rules": RULES,
        "seconds": round(seconds, 2),
        "leads_per_second": round(len(leads) / seconds),
        "reps": len({owner.pk for owner in owners if owner is not None}),
        "unassigned": sum(owner is None for owner in owners),
    }


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
        "distribution": _distribution(seed),
    }
