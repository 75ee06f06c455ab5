"""/leads/<id>/follow-up/ (the follow-up call after a trade fair, on the lead page) and the
inbox's list of fair leads not yet called."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import Activity, ActivityType
from innendienst.contacts.models import BuyingCenterMembership
from innendienst.leads.calendar import calendar_of
from innendienst.leads.models import Lead, LeadStage
from innendienst.leads.services import lead_capture
from tests import factories

pytestmark = pytest.mark.django_db

FAIR = {"source": "trade_fair", "source_name": "LogiMAT 2027"}


@pytest.fixture
def field_rep(territories):
    return factories.UserFactory(
        username="field", role=Role.FIELD_SALES, territories=[territories["BY"]]
    )


@pytest.fixture
def lead(owner, company, person):
    return lead_capture(actor=owner, company=company, data={**FAIR, "person_id": person.pk})[0]


def working_day(company, days_ahead: int = 7) -> datetime.date:
    calendar = calendar_of(company.territory)
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def test_the_lead_page_offers_the_call_first_for_a_fair_lead(client, owner, company, lead):
    client.force_login(owner)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'id="follow-up-form"' in page
    assert page.index('id="h-follow-up"') < page.index('id="h-next"')
    assert '<details class="follow-up" open>' in page
    assert 'name="key_contacts_0_role"' in page
    referral = lead_capture(actor=owner, company=company, data={"source": "referral"})[0]
    page = client.get(reverse("lead_detail", args=[referral.pk])).content.decode()
    # Offered for every open lead, but after the next steps and folded.
    assert page.index('id="h-next"') < page.index('id="h-follow-up"')
    assert '<details class="follow-up">' in page


def test_it_shows_the_errors_at_their_fields_and_keeps_what_was_typed(
    client, owner, company, person, lead
):
    client.force_login(owner)
    url = reverse("lead_follow_up", args=[lead.pk])
    response = client.post(
        url,
        {
            "outcome": "reached",
            "interest": "",
            "need": "40 Pumpen",
            "key_contacts_0_role": "decider",
            "visit_on": "gestern",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="follow-up-visit_on_error"' in body  # the form's own check
    assert "40 Pumpen" in body
    # The form is valid apart from the service's rules: they come back at their fields too.
    response = client.post(
        url,
        {"outcome": "reached", "need": "40 Pumpen", "key_contacts_0_role": "decider"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="follow-up-body",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="follow-up-interest_error"' in body
    assert 'id="follow-up-key_contacts_0_person_error"' in body
    assert 'aria-invalid="true"' in body
    assert "40 Pumpen" in body
    assert not Activity.objects.exists()
    lead.refresh_from_db()
    assert lead.need == ""


def test_it_saves_the_call_hands_over_and_lands_on_the_lead_page(
    client, owner, company, person, lead, field_rep
):
    company.field_rep = field_rep
    company.save()
    visit_on = working_day(company)
    client.force_login(owner)
    response = client.post(
        reverse("lead_follow_up", args=[lead.pk]),
        {
            "outcome": "reached",
            "person": person.pk,
            "interest": "concrete",
            "need": "40 Kreiselpumpen",
            "timing": "Q3 2027",
            "information": "Referenzliste",
            "send_material": "on",
            "key_contacts_0_person": person.pk,
            "key_contacts_0_role": "decider",
            "visit_on": visit_on.isoformat(),
            "note": "Termin vor Ort gewünscht",
        },
    )
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    lead.refresh_from_db()
    assert (lead.stage, lead.owner, lead.need) == (LeadStage.SQL, field_rep, "40 Kreiselpumpen")
    assert BuyingCenterMembership.objects.filter(person=person, role="decider").exists()
    tasks = Activity.objects.filter(kind=ActivityType.TASK)
    assert sorted(task.assigned_to.username for task in tasks) == ["field", "owner"]
    # Handed over: the field rep answers it, the follow-up form is gone from the page.
    page = client.get(response["Location"]).content.decode()
    assert 'id="follow-up-form"' not in page


def test_an_htmx_post_reloads_the_page_after_saving(client, owner, lead):
    client.force_login(owner)
    response = client.post(
        reverse("lead_follow_up", args=[lead.pk]),
        {"outcome": "not_reached"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="follow-up-body",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("lead_detail", args=[lead.pk])
    assert Activity.objects.get().outcome == "not_reached"


def test_marketing_gets_the_call_without_the_buying_center(client, marketer, owner, company):
    lead = lead_capture(actor=owner, company=company, data=FAIR)[0]
    client.force_login(marketer)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'id="follow-up-form"' in page
    assert "key_contacts_0_role" not in page
    response = client.post(
        reverse("lead_follow_up", args=[lead.pk]), {"outcome": "reached", "interest": "none"}
    )
    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).stage == LeadStage.DISQUALIFIED


def test_roles_that_do_not_work_leads_get_no_form_and_403(client, lead, team_south):
    product_manager = factories.UserFactory(role=Role.PRODUCT_MANAGEMENT, team=team_south)
    client.force_login(product_manager)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'id="follow-up-form"' not in page
    response = client.post(reverse("lead_follow_up", args=[lead.pk]), {"outcome": "reached"})
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_a_closed_lead_is_not_followed_up(client, owner, lead):
    Lead.objects.filter(pk=lead.pk).update(stage=LeadStage.DISQUALIFIED)
    client.force_login(owner)
    page = client.get(reverse("lead_detail", args=[lead.pk])).content.decode()
    assert 'id="follow-up-form"' not in page
    response = client.post(reverse("lead_follow_up", args=[lead.pk]), {"outcome": "reached"})
    assert response["Location"] == reverse("lead_detail", args=[lead.pk])
    assert not Activity.objects.exists()


def test_the_inbox_lists_the_fair_leads_nobody_has_reached_yet(client, owner, company, person):
    called = lead_capture(actor=owner, company=company, data=FAIR)[0]
    other = factories.CompanyFactory(territory=company.territory, inside_rep=owner)
    tried = lead_capture(actor=owner, company=other, data=FAIR)[0]
    waiting = factories.CompanyFactory(territory=company.territory, inside_rep=owner)
    not_called = lead_capture(actor=owner, company=waiting, data=FAIR)[0]
    referral = lead_capture(actor=owner, company=waiting, data={"source": "referral"})[0]
    client.force_login(owner)
    client.post(
        reverse("lead_follow_up", args=[called.pk]), {"outcome": "reached", "interest": "general"}
    )
    client.post(reverse("lead_follow_up", args=[tried.pk]), {"outcome": "not_reached"})
    # A call before the fair does not count.
    factories.ActivityFactory(
        company=waiting, occurred_at=not_called.created_at - datetime.timedelta(days=1)
    )
    response = client.get(reverse("lead_inbox"), {"fair": "not_called"})
    shown = {lead.pk for lead in response.context["page"].object_list}
    assert shown == {tried.pk, not_called.pk}
    assert referral.pk not in shown
    assert 'name="fair"' in response.content.decode()
