"""The learnt lead score (issue 9): training on 200,000 closed leads, and its AUC on held-out
leads against the rule weights' (and against the truth's, the ceiling).

Runs in a database of its own (``…_leads_training``), filled once per seed and count and kept:
25,000 companies (customers, A-priority, size, a decider known or not) with eight leads each in
turns over three years, every lead closed (converted or disqualified), with the stage changes,
calls and engagement that its factors read. Whether a lead was won follows a known process that
is NOT the model's logistic form: a probit with a company effect the factors cannot see, the
contacts counting by their square root, a budget counting more where the decider is known, and
bought lists worse than any factor says. The process's own propensity of each lead is stored
beside it, so the AUC it reaches on the same held-out leads says how much there was to learn.

Measured: ``learning.train()`` as the weekly job runs it — reading the history through the ORM,
computing the factors as each lead stood when it was closed, the fit, both AUCs and storing the
model — and, separately, how that time splits between reading and fitting.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from typing import Any

LEADS = 200_000
PER_COMPANY = 8
DATA_VERSION = 1
TRUTH_TABLE = "bench_leads_training_truth"
MARK = "bench leads training"
SLOT = datetime.timedelta(days=137)  # one lead's turn at its company: eight in three years
WRITE_CHUNK = 20_000
NOISE = 1.2
SOURCES = (
    ("trade_fair", 30, 0.3),
    ("campaign", 22, 0.0),
    ("web_form", 16, 0.6),
    ("inbound_call", 10, 0.8),
    ("bought_list", 14, -0.9),
    ("referral", 8, 0.9),
)


def _propensity(company: dict[str, Any], lead: dict[str, Any]) -> float:
    """The truth's latent value before the noise: a lead is won when it and a normal noise of
    standard deviation ``NOISE`` add up to more than 0."""
    source_effect = next(effect for name, _w, effect in SOURCES if name == lead["source"])
    untouched = lead["untouched_days"]
    return (
        -1.5
        + 0.9 * company["customer"]
        + 0.5 * company["priority_a"]
        + 0.3 * (company["employees"] >= 250)
        + 0.7 * company["decider"]
        + 0.2 * lead["need"]
        + lead["budget"] * (0.6 + 0.6 * company["decider"])
        + source_effect
        + 0.5 * math.sqrt(lead["contacts"])
        + 0.05 * min(lead["engagement"], 20)
        - 0.3 * (10 < untouched <= 21)
        - 0.7 * (untouched > 21)
        + company["effect"]
    )


def _load(seed: int, count: int) -> None:
    from django.db import connection

    from innendienst.core.models import SiteSetting

    marker = f"{MARK}:{seed}:{count}:{DATA_VERSION}"
    if SiteSetting.objects.filter(key="bench_leads_training", value=marker).exists():
        return
    started = time.perf_counter()
    _write(seed, count)
    SiteSetting.objects.update_or_create(key="bench_leads_training", defaults={"value": marker})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    print(f"  {count:,} closed leads made in {time.perf_counter() - started:.0f} s", flush=True)


def _wipe() -> None:
    from django.db import connection

    from innendienst.activities.models import Activity
    from innendienst.contacts.models import BuyingCenterMembership, Company, Person
    from innendienst.leads.models import Lead, LeadEngagement, LeadStageChange, ScoreModel

    models = (ScoreModel, LeadEngagement, LeadStageChange, Lead, Activity,
              BuyingCenterMembership, Person, Company)  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(model._meta.db_table for model in models)
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            for model in models:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        cursor.execute(f"DROP TABLE IF EXISTS {TRUTH_TABLE}")
        cursor.execute(f"CREATE TABLE {TRUTH_TABLE} (lead_id bigint PRIMARY KEY, latent real)")


def _write(seed: int, count: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from innendienst.accounts.models import Territory
    from innendienst.activities.models import Activity
    from innendienst.contacts.models import BuyingCenterMembership, Company, Person
    from innendienst.core.bulk import RowWriter
    from innendienst.leads.models import Lead, LeadEngagement, LeadStageChange

    _wipe()
    rng = random.Random(seed)
    territory, _created = Territory.objects.get_or_create(
        code="BENCH", defaults={"name": "Bench", "country": "DE"}
    )
    now = timezone.now().replace(microsecond=0)
    start = now - PER_COMPANY * SLOT - datetime.timedelta(days=30)
    writer = RowWriter()
    n_companies = math.ceil(count / PER_COMPANY)
    companies, people, memberships, traits = [], [], [], []
    for number in range(1, n_companies + 1):
        trait = {
            "customer": rng.random() < 0.3,
            "priority_a": rng.random() < 0.2,
            "employees": int(math.exp(rng.gauss(4.0, 1.3))),
            "decider": rng.random() < 0.4,
            "effect": rng.gauss(0, 0.6),  # what no factor sees: the firm's own habits
        }
        traits.append(trait)
        companies.append(
            Company(
                id=number,
                name=f"Trainingsfirma {number} GmbH",
                status="customer" if trait["customer"] else "prospect",
                priority="a" if trait["priority_a"] else rng.choice("bc"),
                employees=trait["employees"],
                territory=territory,
            )
        )
        if trait["decider"]:
            people.append(Person(id=number, company_id=number, last_name=f"Entscheider {number}"))
            memberships.append(
                BuyingCenterMembership(
                    id=number, company_id=number, person_id=number, role="decider"
                )
            )
    with transaction.atomic():
        writer.write(Company, companies)
        writer.write(Person, people)
        writer.write(BuyingCenterMembership, memberships)
    names = [name for name, _w, _e in SOURCES]
    source_weights = [weight for _n, weight, _e in SOURCES]
    leads, changes, activities, engagements, truth = [], [], [], [], []
    change_id = activity_id = engagement_id = 0

    def flush() -> None:
        with transaction.atomic():
            writer.write(Lead, leads)
            writer.write(LeadStageChange, changes)
            writer.write(Activity, activities)
            writer.write(LeadEngagement, engagements)
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {TRUTH_TABLE} VALUES (%s, %s)", truth)
        for rows in (leads, changes, activities, engagements, truth):
            rows.clear()

    for lead_id in range(1, count + 1):
        company_index = (lead_id - 1) // PER_COMPANY
        slot = (lead_id - 1) % PER_COMPANY
        company_id, trait = company_index + 1, traits[company_index]
        lead = {
            "source": rng.choices(names, source_weights)[0],
            "need": rng.random() < 0.6,
            "budget": rng.random() < 0.35,
            "contacts": min(6, int(rng.expovariate(0.7))),
            "engagement": sum(rng.randint(1, 10) for _e in range(int(rng.expovariate(1.2)))),
            "untouched_days": rng.choice((0, 2, 5, 8, 12, 15, 25, 40)),
        }
        latent = _propensity(trait, lead)
        won = latent + rng.gauss(0, NOISE) > 0
        created = start + slot * SLOT + datetime.timedelta(hours=rng.randint(0, 24 * 30))
        days_open = lead["untouched_days"] + rng.randint(3, 60) + (20 if won else 0)
        closed = created + datetime.timedelta(days=days_open, hours=rng.randint(1, 8))
        last_step = closed - datetime.timedelta(days=lead["untouched_days"])
        stage = "converted" if won else "disqualified"
        leads.append(
            Lead(
                id=lead_id, company_id=company_id, source=lead["source"], source_name=MARK,
                need="Bedarf an Pumpen" if lead["need"] else "",
                budget=25_000 if lead["budget"] else None, stage=stage,
                stage_changed_at=closed, touched_at=closed, created_at=created,
                updated_at=closed, reason="" if won else "no_need",
            )
        )  # fmt: skip
        path = ["ql", "mql", "sql", "accepted"] if won else ["ql", "mql"][: rng.randint(1, 2)]
        steps = [created + (last_step - created) * i / len(path) for i in range(len(path))]
        steps[-1] = last_step
        for at, (previous, to_stage) in zip(
            [*steps, closed], zip(["", *path], [*path, stage], strict=True), strict=True
        ):
            change_id += 1
            changes.append(
                LeadStageChange(id=change_id, lead_id=lead_id, from_stage=previous,
                                to_stage=to_stage, at=at)
            )  # fmt: skip
        for _contact in range(lead["contacts"]):
            activity_id += 1
            at = created + (last_step - created) * rng.random()
            activities.append(
                Activity(id=activity_id, kind="call", company_id=company_id, done=True,
                         subject="Telefonat", occurred_at=at)
            )  # fmt: skip
        if lead["engagement"]:
            engagement_id += 1
            window = min(closed - created, datetime.timedelta(days=80))
            engagements.append(
                LeadEngagement(id=engagement_id, lead_id=lead_id, points=lead["engagement"],
                               label="Webinar", occurred_at=closed - window * rng.random())
            )  # fmt: skip
        truth.append((lead_id, latent))
        if len(leads) == WRITE_CHUNK:
            flush()
    flush()
    RowWriter.finish([Company, Person, BuyingCenterMembership, Lead, LeadStageChange, Activity,
                      LeadEngagement])  # fmt: skip


def _truth_auc(data: Any) -> float:
    """The AUC of the process's own propensity (company effect included, noise not) on the
    held-out leads the training used: the most any model could reach."""
    import numpy as np
    from django.db import connection

    from innendienst.leads import learning

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT latent FROM {TRUTH_TABLE} ORDER BY lead_id")
        latent = np.array([row[0] for row in cursor.fetchall()])
    _train, holdout = learning.stratified_split(data.won, learning.HOLDOUT_SHARE, learning.SEED)
    return learning.auc(latent[holdout], data.won[holdout])


def run(*, repeat: int, seed: int, size: str, count: int = LEADS) -> dict[str, Any]:
    from innendienst.leads import learning, scoring
    from innendienst.leads.models import ScoreModel

    _load(seed, count)
    ScoreModel.objects.all().delete()
    started = time.perf_counter()
    outcome = learning.train()
    seconds = time.perf_counter() - started
    model = outcome.model
    assert model is not None, "too little history"
    # The same once more in its two halves: reading the history, and fitting and measuring.
    started = time.perf_counter()
    data = learning.history()
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    learning.evaluate(data, scoring.weights())
    fit_seconds = time.perf_counter() - started
    result = {
        "leads": model.n_won + model.n_lost,
        "won": model.n_won,
        "lost": model.n_lost,
        "held_out": model.n_holdout,
        "seconds": round(seconds, 1),
        "read_seconds": round(read_seconds, 1),
        "fit_and_auc_seconds": round(fit_seconds, 2),
        "auc": round(model.auc, 4),
        "baseline_auc": round(model.baseline_auc, 4),
        "truth_auc": round(_truth_auc(data), 4),
        "active": model.active,
        "coefficients": {key: round(value, 3) for key, value in model.coefficients.items()},
    }
    print(f"  {result}", flush=True)
    return result
