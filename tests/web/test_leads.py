"""/leads/ (the inbox), /companies/<id>/leads/new/ (quick entry), /leads/<id>/ (the lead page
with its next steps) and /leads/stages/ (the stage definitions)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.leads.defaults import DEFINITIONS
from innendienst.leads.models import Lead, LeadStage, StageDefinition
from innendienst.leads.services import lead_capture
from tests import factories

pytestmark = pytest.mark.django_db

# Session, user, the page's leads and their count (the visible territories come from the
# cache), the territories of the page's leads and their working calendars (for the age in
# business days), the stage definitions, the reps the ticked leads can be given to.
LEAD_INBOX_QUERIES = 8


def capture(actor, company, **data):
    values = {"source": "trade_fair", "source_name": "LogiMAT 2027", **data}
    return lead_capture(actor=actor, company=company, data=values)[0]


@pytest.fixture
def field_rep(territories):
    return factories.UserFactory(
        username="field", role=Role.FIELD_SALES, territories=[territories["BY"]]
    )


def test_it_captures_a_lead_from_the_company_and_lands_on_its_page(client, owner, company, person):
    client.force_login(owner)
    page = client.get(reverse("lead_capture", args=[company.pk]))
    assert "Anna Berger" in page.content.decode()
    response = client.post(
        reverse("lead_capture", args=[company.pk]),
        {
            "person": person.pk,
            "source": "trade_fair",
            "source_name": "LogiMAT 2027",
            "stage": "ql",
            "priority": "a",
            "interests": "Kreiselpumpen",
            "need": "40 Pumpen mit Montage",
            "budget": "12.500,00",
            "currency": "EUR",
        },
    )
    lead = Lead.objects.get()
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    assert (lead.person, lead.owner, lead.budget) == (person, owner, 12500)
    detail = client.get(response["Location"]).content.decode()
    assert "40 Pumpen mit Montage" in detail
    assert str(DEFINITIONS["ql"]) in detail


def test_it_shows_capture_errors_at_their_fields(client, owner, company):
    client.force_login(owner)
    response = client.post(
        reverse("lead_capture", args=[company.pk]),
        {"source": "trade_fair", "stage": "ql", "priority": "b", "currency": "EUR", "budget": "x"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_budget_error"' in body
    # The form is valid apart from the budget; the service's rule comes after the form's.
    response = client.post(
        reverse("lead_capture", args=[company.pk]),
        {"source": "trade_fair", "stage": "ql", "priority": "b", "currency": "EUR"},
    )
    assert response.status_code == 422
    assert 'id="id_source_name_error"' in response.content.decode()
    assert not Lead.objects.exists()


def test_it_keeps_the_capture_from_roles_that_do_not_work_leads(client, company, team_south):
    product_manager = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT, team=team_south)
    client.force_login(product_manager)
    assert client.get(reverse("lead_capture", args=[company.pk])).status_code == 403


def test_it_lists_the_open_leads_the_user_sees_by_sla_due_time(
    client, owner, outsider, company, north_company, django_assert_num_queries
):
    later = capture(owner, company, source="referral", source_name="")
    sooner = capture(owner, company, source="inbound_call", source_name="", need="Rückruf")
    closed = capture(owner, company)
    Lead.objects.filter(pk=closed.pk).update(stage=LeadStage.DISQUALIFIED)
    north = capture(outsider, north_company)
    client.force_login(owner)
    client.get(reverse("lead_inbox"))
    with django_assert_num_queries(LEAD_INBOX_QUERIES):
        response = client.get(reverse("lead_inbox"))
    shown = [lead.pk for lead in response.context["page"].object_list]
    # The inbound call has four business hours, the referral sixteen.
    assert shown == [sooner.pk, later.pk]
    assert north.pk not in shown
    response = client.get(reverse("lead_inbox"), {"stage": "disqualified"})
    assert [lead.pk for lead in response.context["page"].object_list] == [closed.pk]


def test_it_filters_the_inbox_and_answers_a_fragment_to_htmx(client, owner, teammate, company):
    mine = capture(owner, company)
    overdue = capture(teammate, company, source="referral", source_name="")
    Lead.objects.filter(pk=overdue.pk).update(
        owner=teammate,
        sla_due_at=timezone.now() - datetime.timedelta(hours=1),
        touched_at=timezone.now() - datetime.timedelta(days=20),
    )
    client.force_login(owner)

    def shown(**params):
        response = client.get(
            reverse("lead_inbox"), params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="lead-results"
        )
        assert "<html" not in response.content.decode()
        return [lead.pk for lead in response.context["page"].object_list]

    assert shown(mine="yes") == [mine.pk]
    assert shown(overdue="yes") == [overdue.pk]
    assert shown(temperature="cold") == [overdue.pk]
    assert shown(temperature="hot") == [mine.pk]
    response = client.get(reverse("lead_inbox"), {"stage": "nonsense"})
    assert response.status_code == 200
    assert 'id="id_stage_error"' in response.content.decode()
    assert not response.context["page"].object_list


def test_it_hands_over_accepts_and_shows_the_history(client, owner, company, field_rep):
    company.field_rep = field_rep
    company.save()
    lead = capture(owner, company)
    client.force_login(owner)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'name="stage" value="sql"' in page
    response = client.post(reverse("lead_move", args=[lead.pk]), {"stage": "sql", "note": "Go"})
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    lead.refresh_from_db()
    assert (lead.stage, lead.owner) == (LeadStage.SQL, field_rep)
    # The inside rep now waits for the field rep's answer: no buttons for her.
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'name="stage"' not in page
    client.force_login(field_rep)
    response = client.post(
        reverse("lead_move", args=[lead.pk]), {"stage": "recycled", "reason": ""}
    )
    assert response.status_code == 422
    assert "Bitte den Grund angeben." in response.content.decode()
    client.post(reverse("lead_move", args=[lead.pk]), {"stage": "accepted"})
    lead.refresh_from_db()
    assert lead.stage == LeadStage.ACCEPTED
    history = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert "Go" in history


def test_it_shows_the_open_leads_on_the_360_page_and_waiting_ones_in_my_day(client, owner, company):
    lead = capture(owner, company)
    client.force_login(owner)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert reverse("lead_detail", args=[lead.pk]) in page
    assert reverse("lead_capture", args=[company.pk]) in page
    my_day = client.get(reverse("my_day")).content.decode()
    assert 'id="h-my-leads"' in my_day
    assert reverse("lead_detail", args=[lead.pk]) in my_day


def test_it_lets_the_manager_reword_the_stages_and_shows_them_to_the_rep(client, owner, team_south):
    manager = factories.UserFactory(role=Role.SALES_MANAGER, team=team_south)
    texts = {stage: str(definition) for stage, definition in DEFINITIONS.items()}
    client.force_login(owner)
    page = client.get(reverse("lead_stage_definitions")).content.decode()
    assert "<textarea" not in page
    assert client.post(reverse("lead_stage_definitions"), texts).status_code == 403
    client.force_login(manager)
    response = client.post(reverse("lead_stage_definitions"), {**texts, "sql": ""})
    assert response.status_code == 422
    assert 'id="id_sql_error"' in response.content.decode()
    response = client.post(reverse("lead_stage_definitions"), {**texts, "sql": "Will kaufen."})
    assert response["Location"] == reverse("lead_stage_definitions")
    # Only the reworded stage is written down; the others keep their defaults.
    assert list(StageDefinition.objects.values_list("stage", "definition")) == [
        ("sql", "Will kaufen.")
    ]
    assert "Will kaufen." in client.get(reverse("lead_inbox")).content.decode()


def test_ids_above_a_thousand_are_written_without_a_thousands_separator(client, owner, territories):
    """The German number format ("1.006") must not reach an id in a form or link."""
    company = factories.CompanyFactory(id=5678, territory=territories["BY"], inside_rep=owner)
    factories.OrderLineFactory(order__company=company)
    rep = factories.UserFactory(id=4321, role=Role.FIELD_SALES, territories=[territories["BY"]])
    lead = capture(owner, company)
    client.force_login(owner)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert f'<option value="{rep.pk}">' in page
    assert "company_id=5678" in client.get(reverse("company_detail", args=[5678])).content.decode()
