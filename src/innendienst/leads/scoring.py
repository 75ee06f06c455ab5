"""Lead-Bewertung: fit (who they are) plus engagement (what happened since), each factor with
the points it adds, so the rep reads why a lead ranks where it does ("Bestandskunde +10,
Messe-Kontakt +8, 21 Tage unbearbeitet −10"). The points are the defaults below unless the
administrator set others (``ScoreWeight``). The score is kept on the lead, computed again when
it is captured, moved or contacted, and each night for the open leads (their age changes).

Once there are enough won and lost leads, a model learnt from them (``leads.learning``, the
active ``ScoreModel``) gives the factors their points instead, if it ranked held-out leads
better than the rule weights. Its log-odds become points as on a credit scorecard: a lead with
even odds of being won scores 50, and every ``POINTS_PER_DOUBLING`` points more double its odds
(fewer halve them), so 0 and 100 stand for odds of 1:32 and 32:1. A factor with coefficient β
that counts n times adds ``n · β · 10 / ln 2`` points (rounded) — "Branche Maschinenbau +12"
still means what it says: these points raise the odds of winning the lead by 2^(12/10). What the
factors do not explain — the win rate of the past, the model's intercept — is a reason of its
own ("starting value"), so that the reasons still add up to the score.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.activities.models import Activity
from innendienst.activities.services import CONTACT_KINDS
from innendienst.contacts.models import BuyingCenterMembership, BuyingCenterRole, CompanyStatus
from innendienst.contacts.models import Priority as CompanyPriority
from innendienst.leads.models import OPEN_STAGES, Lead, LeadEngagement, LeadSource

LARGE_COMPANY = 250
ENGAGEMENT_CAP = 30
ENGAGEMENT_DAYS = 90
SCORE_CHUNK = 2_000
POINTS_PER_DOUBLING = 10
# The points a learnt score starts from; its reasons name it with this key.
BASE = "base"
BASE_LABEL = _("starting value from the won and lost leads")


@dataclass(frozen=True)
class Facts:
    """What the factors read of a lead beyond its own fields, gathered for many at once."""

    decider_known: bool
    contacts: int
    engagement: int
    now: datetime.datetime


@dataclass(frozen=True)
class Factor:
    key: str
    label: Any
    points: int
    applies: Callable[[Lead, Facts], int]  # how many times the points count (0: not at all)


def _once(condition: Callable[[Lead, Facts], bool]) -> Callable[[Lead, Facts], int]:
    return lambda lead, facts: int(bool(condition(lead, facts)))


def _untouched_days(lead: Lead, facts: Facts) -> int:
    return (facts.now - lead.touched_at).days


FACTORS: tuple[Factor, ...] = (
    Factor("customer", _("existing customer"), 10,
           _once(lambda lead, f: lead.company.status == CompanyStatus.CUSTOMER)),
    Factor("company_priority", _("company of priority A"), 8,
           _once(lambda lead, f: lead.company.priority == CompanyPriority.A)),
    Factor("large_company", _("250 employees or more"), 6,
           _once(lambda lead, f: (lead.company.employees or 0) >= LARGE_COMPANY)),
    Factor("decider_known", _("decider known"), 8, _once(lambda lead, f: f.decider_known)),
    Factor("need", _("need described"), 5, _once(lambda lead, f: bool(lead.need))),
    Factor("budget", _("budget named"), 6, _once(lambda lead, f: lead.budget is not None)),
    Factor("trade_fair", _("talk at the trade fair"), 8,
           _once(lambda lead, f: lead.source == LeadSource.TRADE_FAIR)),
    Factor("inbound", _("called or wrote in"), 10,
           _once(lambda lead, f: lead.source in (LeadSource.INBOUND_CALL, LeadSource.WEB_FORM))),
    Factor("referral", _("recommended"), 8,
           _once(lambda lead, f: lead.source == LeadSource.REFERRAL)),
    Factor("contacts", _("contact since it came in"), 4, lambda lead, f: min(f.contacts, 3)),
    # Each point of what the contact did lately (newsletter click, webinar …), at most 30.
    Factor("engagement", _("engagement in the last 90 days"), 1,
           lambda lead, f: max(-ENGAGEMENT_CAP, min(f.engagement, ENGAGEMENT_CAP))),
    Factor("untouched_10", _("untouched for more than 10 days"), -5,
           _once(lambda lead, f: 10 < _untouched_days(lead, f) <= 21)),
    Factor("untouched_21", _("untouched for more than 21 days"), -10,
           _once(lambda lead, f: _untouched_days(lead, f) > 21)),
)  # fmt: skip

# The fields of a lead and its company that the factors read: the training loads a few hundred
# thousand leads with only these (a factor that reads another field must name it here, or each
# lead costs a query: tests/leads/test_learning.py counts them).
FACT_FIELDS = (
    "source", "need", "budget", "touched_at", "created_at",
    "company__status", "company__priority", "company__employees",
)  # fmt: skip


def weights() -> dict[str, int]:
    """The rule weights: the administrator's points where he set some, else the defaults."""
    from innendienst.leads.models import ScoreWeight

    chosen = dict(ScoreWeight.objects.values_list("factor", "points"))
    return {factor.key: chosen.get(factor.key, factor.points) for factor in FACTORS}


@dataclass(frozen=True)
class LearnedPoints:
    """A learnt model's coefficients as points (see the module's docstring)."""

    base: float
    per_factor: Mapping[str, float]


def points_of_log_odds(log_odds: float) -> float:
    return log_odds * POINTS_PER_DOUBLING / math.log(2)


def learned_points(intercept: float, coefficients: Mapping[str, float]) -> LearnedPoints:
    """A factor the model does not know (added after it was trained) counts nothing until the
    next training; one it knows that no longer exists is dropped."""
    return LearnedPoints(
        base=50 + points_of_log_odds(intercept),
        per_factor={
            factor.key: points_of_log_odds(coefficients.get(factor.key, 0.0)) for factor in FACTORS
        },
    )


Points = dict[str, int] | LearnedPoints


def current_points() -> Points:
    """The active learnt model's points, else the rule weights."""
    from innendienst.leads.models import ScoreModel

    model = ScoreModel.objects.filter(active=True).only("intercept", "coefficients").first()
    if model is None:
        return weights()
    return learned_points(model.intercept, model.coefficients)


def scored(lead: Lead, facts: Facts, points: Points) -> tuple[int, list[list[Any]]]:
    """(score, [[factor key, points], …]) of a lead; 0 to 100. ``points`` are the rule weights
    or a learnt model's (``current_points``)."""
    reasons: list[list[Any]] = []
    if isinstance(points, LearnedPoints):
        base = round(points.base)
        if base:
            reasons.append([BASE, base])
        for factor in FACTORS:
            times = factor.applies(lead, facts)
            value = round(times * points.per_factor[factor.key]) if times else 0
            if value:
                reasons.append([factor.key, value])
    else:
        for factor in FACTORS:
            times = factor.applies(lead, facts)
            if times and points[factor.key]:
                reasons.append([factor.key, times * points[factor.key]])
    return max(0, min(100, sum(value for _key, value in reasons))), reasons


def _facts(leads: list[Lead], now: datetime.datetime) -> dict[int, Facts]:
    companies = {lead.company_id for lead in leads}
    deciders = set(
        BuyingCenterMembership.objects.filter(
            company_id__in=companies, role=BuyingCenterRole.DECIDER
        ).values_list("company_id", flat=True)
    )
    since = min(lead.created_at for lead in leads)
    contacts: dict[int, list[datetime.datetime]] = {}
    for company_id, at in Activity.objects.filter(
        company_id__in=companies, kind__in=CONTACT_KINDS, occurred_at__gte=since
    ).values_list("company_id", "occurred_at"):
        contacts.setdefault(company_id, []).append(at)
    engagement = dict(
        LeadEngagement.objects.filter(
            lead__in=[lead.pk for lead in leads],
            occurred_at__gte=now - datetime.timedelta(days=ENGAGEMENT_DAYS),
        )
        .values("lead")
        .annotate(points=Sum("points"))
        .values_list("lead", "points")
    )
    return {
        lead.pk: Facts(
            decider_known=lead.company_id in deciders,
            contacts=sum(at >= lead.created_at for at in contacts.get(lead.company_id, [])),
            engagement=engagement.get(lead.pk, 0),
            now=now,
        )
        for lead in leads
    }


def rescore(leads: Iterable[Lead], now: datetime.datetime | None = None) -> int:
    """Score the leads again (their companies loaded) and store what changed."""
    leads = list(leads)
    if not leads:
        return 0
    now = now or timezone.now()
    points = current_points()
    facts = _facts(leads, now)
    changed = []
    for lead in leads:
        score, reasons = scored(lead, facts[lead.pk], points)
        if (score, reasons) != (lead.score, lead.score_reasons):
            lead.score, lead.score_reasons = score, reasons
            changed.append(lead)
    Lead.objects.bulk_update(changed, ["score", "score_reasons"], batch_size=SCORE_CHUNK)
    return len(changed)


def rescore_ids(ids: Iterable[int]) -> int:
    return rescore(Lead.objects.filter(pk__in=list(ids)).select_related("company"))


def rescore_open(now: datetime.datetime | None = None) -> int:
    """Every open lead, a chunk at a time: the nightly run."""
    open_leads = Lead.objects.filter(stage__in=OPEN_STAGES).select_related("company")
    changed, chunk = 0, []
    for lead in open_leads.order_by("pk").iterator(chunk_size=SCORE_CHUNK):
        chunk.append(lead)
        if len(chunk) == SCORE_CHUNK:
            changed += rescore(chunk, now)
            chunk = []
    return changed + rescore(chunk, now)


def explained(reasons: list[list[Any]]) -> list[tuple[str, int]]:
    """The reasons as the page shows them: (label, points), largest effect first."""
    labels = {factor.key: factor.label for factor in FACTORS} | {BASE: BASE_LABEL}
    shown = [(str(labels[key]), value) for key, value in reasons if key in labels]
    return sorted(shown, key=lambda item: -abs(item[1]))


def contacted_companies(company_ids: Iterable[int]) -> int:
    return rescore(
        Lead.objects.filter(company_id__in=list(company_ids), stage__in=OPEN_STAGES).select_related(
            "company"
        )
    )
