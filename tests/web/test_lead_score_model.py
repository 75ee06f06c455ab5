"""The learnt lead score's page: sales managers and administrators see when it was trained, on
how many leads, its holdout AUC against the rule weights', whether it scores and each factor's
learnt weight next to its rule weight; reps and outsiders do not."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.leads import scoring
from innendienst.leads.models import ScoreModel, ScoreWeight
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/leads/score-model/"


@pytest.fixture
def trained():
    return ScoreModel.objects.create(
        trained_at=timezone.now(),
        n_train=1_600,
        n_holdout=400,
        n_won=700,
        n_lost=1_300,
        auc=0.8123,
        baseline_auc=0.6541,
        intercept=-0.7,
        coefficients={"budget": 1.3863, "referral": -0.2},
        baseline_points=scoring.weights(),
        active=True,
    )


def test_its_address():
    assert reverse("lead_score_model") == URL


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SALES_MANAGER])
def test_managers_see_the_model_next_to_the_rule_weights(client, team_south, trained, role):
    ScoreWeight.objects.create(factor="budget", points=7)
    client.force_login(factories.UserFactory(role=role, team=team_south))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    auc = page[page.index('id="score-model-auc"') :].split("</dd>")[0]
    assert ("0,812" in auc, "0,654" in auc) == (True, True)  # model, rule weights
    counts = page[page.index('id="score-model-leads"') :].split("</dd>")[0].replace(".", "")
    assert ("1600" in counts, "400" in counts) == (True, True)  # trained on, held out
    factors = page[page.index('id="score-model-factors"') :]
    budget = factors[factors.index(str(_label("budget"))) :].split("</tr>")[0]
    # Rule weight +7; learnt: ln 4 in log-odds, two doublings of the odds = +20 points.
    assert [">+7<" in budget, ">+20<" in budget, "1,386" in budget, "4,00" in budget] == [True] * 4
    assert 'class="badge ok"' in page  # the learnt model scores


def test_without_a_model_it_says_the_rule_weights_score(client, team_south):
    client.force_login(factories.UserFactory(role=Role.SALES_MANAGER, team=team_south))
    page = client.get(URL).content.decode()
    assert 'class="badge muted"' in page
    assert f">+{dict(scoring.weights())['budget']}<" in page


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_reps_and_outsiders_do_not_see_it(client, request, trained, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "0,812" not in response.content.decode()


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _label(key: str) -> object:
    return next(factor.label for factor in scoring.FACTORS if factor.key == key)
