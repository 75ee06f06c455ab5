"""Der gelernte Lead-Score: a logistic regression over the scoring factors, learnt from won
(converted) and lost (disqualified) leads, active only when it ranks held-out leads better than
the rule weights, its reasons still per factor and in points."""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from innendienst.activities.models import Activity
from innendienst.leads import learning, scoring
from innendienst.leads.models import Lead, LeadSource, LeadStage, LeadStageChange, ScoreModel
from innendienst.leads.services import lead_capture
from tests import factories

pytestmark = pytest.mark.django_db

SOURCES = [LeadSource.TRADE_FAIR, LeadSource.CAMPAIGN, LeadSource.WEB_FORM, LeadSource.REFERRAL]


def history(companies, *, count: int, seed: int = 7, won_share=None) -> list[Lead]:
    """Closed leads whose outcome a named budget drives (80 % won with one, 20 % without),
    everything else noise; ``won_share`` fixes the outcome's share instead."""
    rng = random.Random(seed)
    now = timezone.now()
    leads = []
    for number in range(count):
        budget = rng.random() < 0.5
        if won_share is None:
            won = rng.random() < (0.8 if budget else 0.2)
        else:
            won = number < count * won_share
        closed = now - datetime.timedelta(days=rng.randint(1, 300))
        leads.append(
            Lead(
                company=rng.choice(companies),
                source=rng.choice(SOURCES),
                need="Pumpen" if rng.random() < 0.5 else "",
                budget=Decimal("10000") if budget else None,
                stage=LeadStage.CONVERTED if won else LeadStage.DISQUALIFIED,
                stage_changed_at=closed,
                touched_at=closed,
            )
        )
    Lead.objects.bulk_create(leads)
    return leads


@pytest.fixture
def companies(company, territories):
    prospect = factories.CompanyFactory(
        name="Neu Hydraulik GmbH", status="prospect", territory=territories["BY"]
    )
    return [company, prospect]


def test_it_learns_the_factor_that_wins_leads_and_beats_the_rule_weights(companies):
    history(companies, count=1_500)
    outcome = learning.train()
    model = outcome.model
    assert model is not None
    assert (model.n_won + model.n_lost, model.n_train + model.n_holdout) == (1_500, 1_500)
    assert model.n_holdout == pytest.approx(300, abs=1)
    # The truth: a budget raises the odds from 1:4 to 4:1, a log-odds ratio of ln 16 ≈ 2.8.
    assert model.coefficients["budget"] == pytest.approx(math.log(16), abs=0.5)
    noise = ("need", "trade_fair", "referral", "inbound")
    assert all(abs(model.coefficients[key]) < 0.5 for key in noise)
    assert model.auc > model.baseline_auc
    assert model.active
    assert model.baseline_points == scoring.weights()


def test_it_scores_with_the_model_and_still_says_why_per_factor(companies, owner):
    history(companies, count=1_500)
    learning.train()
    model = ScoreModel.objects.get(active=True)
    lead, _created = lead_capture(
        actor=owner,
        company=companies[1],
        data={"source": "campaign", "budget": Decimal("5000")},
    )
    reasons = dict(lead.score_reasons)
    per_doubling = scoring.POINTS_PER_DOUBLING / math.log(2)
    assert reasons["budget"] == round(model.coefficients["budget"] * per_doubling)
    assert reasons["budget"] > 20
    assert reasons[scoring.BASE] == round(50 + model.intercept * per_doubling)
    assert lead.score == max(0, min(100, sum(reasons.values())))
    shown = dict(scoring.explained(lead.score_reasons))
    budget = next(factor.label for factor in scoring.FACTORS if factor.key == "budget")
    assert shown[str(budget)] == reasons["budget"]
    assert shown[str(scoring.BASE_LABEL)] == reasons[scoring.BASE]


def test_too_little_history_keeps_the_rule_weights(companies, owner):
    history(companies, count=199, won_share=1.0, seed=1)
    history(companies, count=400, won_share=0.0, seed=2)
    assert learning.outcome_counts() == (199, 400)
    outcome = learning.train()
    assert outcome.model is None
    assert not ScoreModel.objects.exists()
    with translation.override("en"):
        assert "199 won and 400 lost" in learning.summary(outcome)
    lead, _created = lead_capture(actor=owner, company=companies[0], data={"source": "referral"})
    assert dict(lead.score_reasons) == {"customer": 10, "referral": 8}


def test_a_model_worse_than_the_rule_weights_is_kept_but_does_not_score(companies, monkeypatch):
    history(companies, count=1_500)
    earlier = learning.train().model
    assert earlier.active
    honest = learning.fit
    # A model that learnt everything the wrong way round.
    monkeypatch.setattr(
        learning,
        "fit",
        lambda features, won: learning.Fit(
            intercept=honest(features, won).intercept,
            coefficients=-honest(features, won).coefficients,
        ),
    )
    worse = learning.train().model
    assert worse.auc < worse.baseline_auc
    assert not worse.active
    earlier.refresh_from_db()
    assert not earlier.active  # the newest training decides
    assert isinstance(scoring.current_points(), dict)


def test_the_weekly_run_scores_the_open_leads_again_when_the_model_changes(companies, owner):
    lead, _created = lead_capture(
        actor=owner, company=companies[0], data={"source": "referral", "budget": Decimal("1")}
    )
    assert scoring.BASE not in dict(lead.score_reasons)
    history(companies, count=1_500)
    outcome = learning.train_and_rescore()
    assert outcome.rescored >= 1
    lead.refresh_from_db()
    assert scoring.BASE in dict(lead.score_reasons)
    again = learning.train_and_rescore()
    assert again.model.active
    with translation.override("en"):
        assert "learnt model scores now" in learning.summary(again)


def test_the_features_are_taken_as_the_lead_stood_when_it_was_closed(companies):
    company = companies[0]
    created = timezone.now() - datetime.timedelta(days=100)
    moved, closed = created + datetime.timedelta(days=10), created + datetime.timedelta(days=40)
    lead = Lead.objects.create(
        company=company, source=LeadSource.CAMPAIGN, stage=LeadStage.DISQUALIFIED,
        stage_changed_at=closed, touched_at=closed,
    )  # fmt: skip
    Lead.objects.filter(pk=lead.pk).update(created_at=created)
    LeadStageChange.objects.create(lead=lead, to_stage=LeadStage.QL, at=created)
    LeadStageChange.objects.create(lead=lead, to_stage=LeadStage.MQL, at=moved)
    LeadStageChange.objects.create(lead=lead, to_stage=LeadStage.DISQUALIFIED, at=closed)
    for days in (-5, 5, 12, 45):  # before it came in, twice while open, after it was closed
        Activity.objects.create(
            company=company, kind="call", subject="Telefonat", done=True,
            occurred_at=created + datetime.timedelta(days=days),
        )  # fmt: skip
    data = learning.history()
    row = dict(zip([factor.key for factor in scoring.FACTORS], data.features[0], strict=True))
    assert row["contacts"] == 2
    # Last worked 28 days before it was closed (the call on day 12), not at the closing.
    assert (row["untouched_10"], row["untouched_21"]) == (0, 1)
    assert data.won.tolist() == [0.0]


def test_the_auc_counts_ties_half():
    won = np.array([0, 0, 1, 1], dtype=float)
    assert learning.auc(np.array([1, 2, 3, 4]), won) == 1.0
    assert learning.auc(np.array([4, 3, 2, 1]), won) == 0.0
    assert learning.auc(np.array([1, 1, 1, 1]), won) == 0.5
    assert learning.auc(np.array([1, 2, 2, 3]), won) == 0.875


def test_the_holdout_keeps_the_share_of_won_leads():
    won = np.array([1.0] * 300 + [0.0] * 700)
    train, holdout = learning.stratified_split(won, 0.2, seed=3)
    assert (len(train), len(holdout)) == (800, 200)
    assert won[holdout].sum() == 60
    assert not set(train) & set(holdout)


def test_the_command_says_when_the_history_is_too_short(capsys):
    with translation.override("en"):
        call_command("lead_score", "train")
    assert "Not enough history yet" in capsys.readouterr().out


def test_the_administrator_trains_and_switches_the_model_in_the_admin(
    client, admin_user, companies
):
    history(companies, count=1_500)
    client.force_login(admin_user)
    changelist = reverse("admin:leads_scoremodel_changelist")
    page = client.get(changelist).content.decode()
    assert reverse("admin:leads_scoremodel_train") in page
    response = client.post(reverse("admin:leads_scoremodel_train"))
    assert response.status_code == 302
    model = ScoreModel.objects.get()  # Huey runs the task at once in tests
    assert model.active
    client.post(changelist, {"action": "use_rule_weights", "_selected_action": [model.pk]})
    assert not ScoreModel.objects.filter(active=True).exists()
    client.post(changelist, {"action": "use_model", "_selected_action": [model.pk]})
    assert ScoreModel.objects.get().active


def test_reading_the_history_costs_a_few_queries_per_chunk_not_one_per_lead(
    companies, django_assert_max_num_queries
):
    history(companies, count=300)
    # Leads with their companies, deciders, contacts, engagement, the steps before closing.
    with django_assert_max_num_queries(6):
        data = learning.history()
    assert data.features.shape == (300, len(scoring.FACTORS))
