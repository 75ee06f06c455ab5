"""Many leads at once from the inbox: given to one rep, qualified or disqualified — each under
the same rules as alone; those refused are named with the reason."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from innendienst.activities.models import CallList
from innendienst.leads.models import Lead, LeadCapacity, LeadStage
from innendienst.leads.services import lead_capture
from tests import factories

pytestmark = pytest.mark.django_db

FAIR = {"source": "trade_fair", "source_name": "LogiMAT 2027"}


@pytest.fixture
def leads(owner, company):
    return [lead_capture(actor=owner, company=company, data=FAIR)[0] for _ in range(3)]


def _texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_offers_a_tick_box_per_lead(client, owner, leads):
    client.force_login(owner)
    page = client.get(reverse("lead_inbox")).content.decode()
    assert page.count('name="lead"') == 3
    assert 'id="lead-bulk"' in page


def test_it_gives_the_ticked_leads_to_a_rep(client, owner, teammate, leads):
    client.force_login(owner)
    response = client.post(reverse("lead_bulk"), {
        "lead": [leads[0].pk, leads[1].pk], "owner": teammate.pk, "action": "assign",
        "next": "/leads/?stage=ql",
    })  # fmt: skip
    assert response["Location"] == "/leads/?stage=ql"
    assert Lead.objects.filter(owner=teammate).count() == 2
    assert Lead.objects.get(pk=leads[2].pk).owner == owner


def test_it_names_each_lead_the_rules_refuse(client, owner, teammate, leads):
    LeadCapacity.objects.create(user=teammate, per_month=1)
    client.force_login(owner)
    response = client.post(reverse("lead_bulk"), {
        "lead": [lead.pk for lead in leads], "owner": teammate.pk, "action": "assign",
    })  # fmt: skip
    texts = _texts(response)
    assert Lead.objects.filter(owner=teammate).count() == 1
    assert sum("Müller Maschinenbau" in text for text in texts) == 2


def test_it_disqualifies_with_a_reason_or_says_it_is_missing(client, owner, leads):
    client.force_login(owner)
    response = client.post(reverse("lead_bulk"), {
        "lead": [leads[0].pk], "stage": "disqualified", "action": "move",
    })  # fmt: skip
    assert Lead.objects.get(pk=leads[0].pk).stage == LeadStage.QL
    assert len(_texts(response)) == 1
    client.post(reverse("lead_bulk"), {
        "lead": [leads[0].pk], "stage": "disqualified", "reason": "no_need", "action": "move",
    })  # fmt: skip
    assert Lead.objects.get(pk=leads[0].pk).stage == LeadStage.DISQUALIFIED


@pytest.mark.parametrize(
    "data",
    [
        {"action": "assign"},  # nobody chosen
        {"action": "move", "stage": "converted"},  # not offered in bulk
        {"action": "move", "stage": "mql", "lead": []},  # nothing ticked
    ],
)
def test_it_says_what_is_missing_and_changes_nothing(client, owner, leads, data):
    client.force_login(owner)
    response = client.post(reverse("lead_bulk"), {"lead": [leads[0].pk], **data})
    assert response.status_code == 302
    assert _texts(response)
    assert Lead.objects.get(pk=leads[0].pk).stage == LeadStage.QL


def test_the_outsider_changes_nothing(client, outsider, leads):
    client.force_login(outsider)
    response = client.post(
        reverse("lead_bulk"), {"lead": [leads[0].pk], "stage": "mql", "action": "move"}
    )
    assert Lead.objects.get(pk=leads[0].pk).stage == LeadStage.QL
    assert len(_texts(response)) == 1
    assert "Müller" not in _texts(response)[0]


def test_marketing_qualifies_in_bulk(client, marketer, leads):
    client.force_login(marketer)
    client.post(reverse("lead_bulk"), {
        "lead": [lead.pk for lead in leads], "stage": "mql", "action": "move",
    })  # fmt: skip
    assert set(Lead.objects.values_list("stage", flat=True)) == {LeadStage.MQL}


def test_it_makes_a_call_list_of_the_ticked_leads_contacts(client, owner, company, territories):
    reachable = [
        factories.PersonFactory(company=company, last_name=name, phone="+49 89 1")
        for name in ("Adler", "Berger")
    ]
    objecting = factories.PersonFactory(company=company, last_name="Ruhe", phone="+49 89 2")
    factories.ConsentFactory(
        person=objecting, channel="phone", status="withdrawn", legal_basis="consent"
    )
    ticked = [
        lead_capture(actor=owner, company=company, data={**FAIR, "person_id": person.pk})[0]
        for person in [*reachable, objecting]
    ]
    client.force_login(owner)
    response = client.post(reverse("lead_bulk"), {
        "lead": [lead.pk for lead in ticked], "action": "call_list",
        "call_list_name": "Messe-Leads LogiMAT", "next": "/leads/",
    })  # fmt: skip
    call_list = CallList.objects.get(name="Messe-Leads LogiMAT")
    assert response["Location"] == reverse("call_list_detail", args=[call_list.pk])
    assert {entry.person for entry in call_list.entries.all()} == set(reachable)
    assert call_list.team == owner.team
    with translation.override("de"):
        left_out = translation.ngettext(
            "%(count)s contact was left out: no phone number, an objection or the contact limit.",
            "%(count)s contacts were left out: no phone number, an objection or the contact limit.",
            1,
        ) % {"count": 1}
    assert left_out in _texts(response)


def test_it_says_why_no_call_list_was_made(client, owner, leads):
    client.force_login(owner)
    response = client.post(
        reverse("lead_bulk"), {"action": "call_list", "call_list_name": "Leer", "next": "/leads/"}
    )
    assert response["Location"] == "/leads/"
    assert _texts(response)
    assert not CallList.objects.exists()
