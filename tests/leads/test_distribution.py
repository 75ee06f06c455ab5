"""Verteilung: rules on territory, source, customer group and product interest name a team or a
rep; within a team the rep with the largest share of his monthly capacity left gets the lead;
reps away or without capacity are passed over; the reason is kept; by hand, a rep without
capacity is refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.core.models import AuditEntry
from innendienst.leads.models import AssignmentRule, Lead, LeadCapacity
from innendienst.leads.services import lead_assign, lead_capture
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(team_south, owner, teammate):
    return team_south


def capture(actor, company, **data):
    values = {"source": "web_form", **data}
    return lead_capture(actor=actor, company=company, data=values)[0]


def test_it_shares_a_team_s_leads_by_the_capacity_each_rep_has_left(
    owner, teammate, team, company, territories
):
    AssignmentRule.objects.create(name="Bayern", territory=territories["BY"], team=team)
    LeadCapacity.objects.create(user=owner, per_month=4)
    LeadCapacity.objects.create(user=teammate, per_month=2)
    owners = [capture(owner, company).owner.username for _ in range(6)]
    # 4 and 2 a month: two for the owner for each of the teammate's, until both are full.
    assert owners.count("owner") == 4
    assert owners.count("teammate") == 2
    lead = Lead.objects.filter(owner=teammate).first()
    assert "Bayern" in lead.assignment_reason
    assert "Innendienst Süd" in lead.assignment_reason
    # Both full: the company's inside rep takes the next, and the reason says why.
    extra = capture(owner, company)
    assert extra.owner == owner
    assert extra.assignment_reason.startswith("Niemand aus den Regeln „Bayern“ ist frei")


def test_it_takes_the_first_rule_whose_conditions_all_hold(
    owner, teammate, team, company, territories
):
    AssignmentRule.objects.create(
        order=1, name="Pumpen vom Web", source="web_form", interest="pumpe", rep=teammate
    )
    AssignmentRule.objects.create(order=2, name="Rest", team=team)
    pumps = capture(owner, company, interests="Kreiselpumpen")
    valves = capture(owner, company, interests="Ventile")
    fair = capture(owner, company, source="trade_fair", source_name="AMB", interests="Pumpen")
    assert pumps.owner == teammate
    assert pumps.assignment_reason.startswith("Regel „Pumpen vom Web“")
    assert "Rest" in valves.assignment_reason
    assert "Rest" in fair.assignment_reason


def test_it_passes_over_a_rep_who_is_away_or_may_not_see_the_company(
    owner, teammate, outsider, team, company
):
    today = timezone.localdate()
    LeadCapacity.objects.create(
        user=teammate, per_month=50, away_from=today, away_until=today + datetime.timedelta(7)
    )
    AssignmentRule.objects.create(order=1, name="Nord", rep=outsider)
    AssignmentRule.objects.create(order=2, name="Team", team=team)
    lead = capture(teammate, company)
    assert lead.owner == owner


def test_it_refuses_by_hand_a_rep_without_capacity_and_audits_a_change(
    owner, teammate, team, company
):
    lead = capture(owner, company)
    LeadCapacity.objects.create(user=teammate, per_month=1)
    other = capture(owner, company, need="zweiter")
    lead_assign(actor=owner, lead=other, owner=teammate, note="Vertretung")
    with pytest.raises(ValidationError) as caught:
        lead_assign(actor=owner, lead=lead, owner=teammate)
    assert "owner" in caught.value.message_dict
    other.refresh_from_db()
    assert other.owner == teammate
    assert other.assignment_reason.endswith("Vertretung")
    assert AuditEntry.objects.filter(object_id=other.pk, field="owner").exists()


def test_the_lead_page_says_why_and_reassigns(client, owner, teammate, team, company):
    lead = capture(owner, company)
    client.force_login(owner)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'id="assignment-reason"' in page
    product_manager = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT, team=team)
    response = client.post(reverse("lead_assign", args=[lead.pk]), {"owner": product_manager.pk})
    assert response.status_code == 422  # not one who works leads: not offered
    response = client.post(reverse("lead_assign", args=[lead.pk]), {"owner": teammate.pk})
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    lead.refresh_from_db()
    assert lead.owner == teammate


def test_a_rep_who_left_gets_no_lead(owner, teammate, team, company):
    AssignmentRule.objects.create(order=1, name="Jonas", rep=teammate)
    teammate.is_active = False
    teammate.save()
    lead = capture(owner, company)
    assert lead.owner == owner  # the rule found nobody: the company's inside rep
    owner.is_active = False
    owner.save()
    manager = factories.UserFactory(role=Role.SALES_MANAGER, team=team)
    lead = capture(manager, company)
    assert lead.owner == manager  # nobody else: who captured it keeps it


def test_a_team_s_leads_go_to_its_reps_not_to_its_manager(owner, teammate, team, company):
    factories.UserFactory(role=Role.SALES_MANAGER, team=team)
    AssignmentRule.objects.create(name="Team", team=team)
    owners = {capture(owner, company).owner for _ in range(4)}
    assert owners == {owner, teammate}


def test_an_absence_with_only_its_last_day_lasts_until_then(teammate):
    today = timezone.localdate()
    capacity = LeadCapacity(user=teammate, per_month=5, away_until=today)
    assert capacity.away_on(today)
    assert not capacity.away_on(today + datetime.timedelta(days=1))


def test_it_sends_a_french_speaking_contact_to_the_rule_for_french(
    owner, teammate, team, company, territories
):
    AssignmentRule.objects.create(order=1, name="Romandie", language="fr", rep=teammate)
    AssignmentRule.objects.create(order=2, name="Rest", language="de", rep=owner)
    francophone = factories.PersonFactory(company=company, last_name="Dubois", language="fr")
    unknown = factories.PersonFactory(company=company, last_name="Huber")
    assert capture(owner, company, person_id=francophone.pk).owner == teammate
    # No language of his own: the company's country (Germany) says German.
    lead = capture(owner, company, person_id=unknown.pk)
    assert lead.owner == owner
    assert "Rest" in lead.assignment_reason
    company.country = "CH"
    company.postcode = "8001"
    company.save()
    swiss = capture(owner, company, person_id=unknown.pk)
    # In Switzerland the country says no language: neither rule holds.
    assert "Romandie" not in swiss.assignment_reason
    assert "Rest" not in swiss.assignment_reason
