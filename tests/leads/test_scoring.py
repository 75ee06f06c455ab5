"""Lead-Bewertung: fit and engagement factors with their points, the administrator's weights,
and the score kept current on capture, contact and each night."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.activities.models import Activity
from innendienst.leads.models import Lead, ScoreWeight
from innendienst.leads.scoring import rescore_open
from innendienst.leads.services import lead_capture, leads_contacted
from tests import factories

pytestmark = pytest.mark.django_db


def capture(actor, company, **data):
    return lead_capture(actor=actor, company=company, data={"source": "referral", **data})[0]


def test_it_scores_fit_and_says_why(owner, company, person):
    factories.BuyingCenterMembershipFactory(person=person, role="decider")
    company.employees = 400
    company.save()
    lead = capture(owner, company, need="40 Pumpen", budget=Decimal("20000"))
    # Customer 10, 250+ employees 6, decider 8, need 5, budget 6, recommended 8.
    assert lead.score == 43
    assert dict(lead.score_reasons) == {
        "customer": 10, "large_company": 6, "decider_known": 8, "need": 5, "budget": 6,
        "referral": 8,
    }  # fmt: skip


def test_it_raises_the_score_with_contacts_and_lowers_it_with_neglect(owner, company):
    lead = capture(owner, company)
    before = lead.score
    leads_contacted(company_id=company.pk, at=timezone.now())
    lead.refresh_from_db()
    assert lead.score == before  # a contact before the lead came in does not count
    Activity.objects.create(
        company=company, kind="call", subject="Nachgefasst", outcome="reached",
        occurred_at=timezone.now() + datetime.timedelta(minutes=1), done=True,
    )  # fmt: skip
    leads_contacted(company_id=company.pk, at=timezone.now())
    lead.refresh_from_db()
    assert lead.score == before + 4
    Lead.objects.filter(pk=lead.pk).update(touched_at=timezone.now() - datetime.timedelta(30))
    rescore_open()
    lead.refresh_from_db()
    assert dict(lead.score_reasons)["untouched_21"] == -10


def test_it_takes_the_administrator_s_weights(owner, company):
    ScoreWeight.objects.create(factor="referral", points=30)
    ScoreWeight.objects.create(factor="customer", points=0)
    lead = capture(owner, company)
    assert dict(lead.score_reasons) == {"referral": 30}


def test_the_page_and_the_inbox_show_the_score_with_its_reasons(client, owner, company):
    lead = capture(owner, company)
    client.force_login(owner)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'id="lead-score"' in page
    assert "+8</span> empfohlen" in page
    inbox = client.get(reverse("lead_inbox"), {"sort": "-score"}).content.decode()
    assert "empfohlen +8" in inbox
