"""The lead reports: conversion through the stages, and who got which lead why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innendienst.leads.models import LeadCapacity, LeadStage
from innendienst.leads.services import lead_capture, lead_move
from tests import factories

pytestmark = pytest.mark.django_db

FAIR = {"source": "trade_fair", "source_name": "LogiMAT 2027"}


@pytest.fixture
def funnel(owner, company, territories):
    """Three fair leads: one converted, one disqualified, one still a QL."""
    field_rep = factories.UserFactory(role="field_sales", territories=[territories["BY"]])
    company.field_rep = field_rep
    company.save()
    won = lead_capture(actor=owner, company=company, data=FAIR)[0]
    for stage in (LeadStage.MQL, LeadStage.SQL):
        won = lead_move(actor=owner, lead=won, to_stage=stage)
    won = lead_move(actor=field_rep, lead=won, to_stage=LeadStage.ACCEPTED)
    lead_move(actor=field_rep, lead=won, to_stage=LeadStage.CONVERTED)
    lost = lead_capture(actor=owner, company=company, data=FAIR)[0]
    lead_move(actor=owner, lead=lost, to_stage=LeadStage.DISQUALIFIED, reason="no_need")
    lead_capture(actor=owner, company=company, data={"source": "web_form"})
    return field_rep


def test_it_counts_each_step_of_the_funnel_per_source(client, owner, funnel):
    client.force_login(owner)
    response = client.get(reverse("lead_conversion"), {"days": "30", "by": "source"})
    assert response.status_code == 200
    rows = {row["source"]: row for row in response.context["rows"]}
    fair = rows["trade_fair"]
    assert fair["leads"] == 2
    assert [count for count, _rate in fair["steps"]] == [1, 1, 1, 1]
    assert [rate for _count, rate in fair["steps"]] == [50, 100, 100, 100]
    assert (fair["overall"], fair["disqualified"]) == (50, 1)
    assert rows["web_form"]["leads"] == 1


def test_it_shows_the_outsider_none_of_the_leads(client, outsider, funnel):
    client.force_login(outsider)
    response = client.get(reverse("lead_conversion"))
    assert response.context["rows"] == []


def test_it_says_why_each_lead_went_to_whom_and_how_full_each_rep_is(client, owner, funnel):
    LeadCapacity.objects.create(user=owner, per_month=2)
    client.force_login(owner)
    response = client.get(reverse("lead_assignments"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Müller Maschinenbau" in page
    loads = {load.name: load for load in response.context["loads"]}
    assert loads["Lena Hoffmann"].capacity == 2
    assert all(lead.assignment_reason for lead in response.context["page"].object_list)
