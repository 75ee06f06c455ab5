"""The campaign pages: the plan as a Gantt chart, phases with their errors at the field, the
Excel export, the call guide editor with its versions, and the guide on the call screen."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from innendienst.accounts.models import Role
from innendienst.activities import services as call_services
from innendienst.activities.models import Activity, CallGuide, CallOutcome
from innendienst.activities.selectors import call_candidates
from innendienst.campaigns.models import Campaign, CampaignPhase
from innendienst.contacts.selectors import company_filter
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def campaign(owner):
    return Campaign.objects.create(name="Reaktivierung Q1", team=owner.team, created_by=owner)


def _phase_data(**data):
    return {
        "phase-name": "Anrufwochen",
        "phase-starts_on": "2027-01-25",
        "phase-ends_on": "2027-02-12",
        "phase-progress": "0",
        **data,
    }


def test_it_creates_a_campaign_and_shows_its_empty_plan(owner_client, owner):
    response = owner_client.post(
        reverse("campaign_create"),
        {"name": "Reaktivierung C-Kunden Q1", "kind": "telephone", "team": owner.team_id},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign_detail", args=[campaign.pk])
    page = owner_client.get(response["Location"]).content.decode()
    assert "Noch keine Phasen" in page
    assert campaign.created_by == owner


def test_it_shows_the_error_next_to_the_name(owner_client):
    response = owner_client.post(reverse("campaign_create"), {"name": "", "kind": "telephone"})
    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_adds_phases_and_draws_them_as_a_gantt_chart(owner_client, campaign):
    owner_client.post(
        reverse("phase_create", args=[campaign.pk]),
        _phase_data(
            **{
                "phase-name": "Listen aufbereiten",
                "phase-starts_on": "2027-01-11",
                "phase-ends_on": "2027-01-15",
                "phase-progress": "100",
            }
        ),
    )
    lists = CampaignPhase.objects.get()
    response = owner_client.post(
        reverse("phase_create", args=[campaign.pk]), _phase_data(**{"phase-depends_on": lists.pk})
    )
    assert response.status_code == 302
    page = owner_client.get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert page.count('class="gantt-bar"') == 2
    assert page.count('class="gantt-arrow"') == 1
    assert "Anrufwochen: 25.01.2027–12.02.2027, 0 %" in page


def test_it_shows_a_phase_starting_too_early_at_its_start(owner_client, campaign, owner):
    first = CampaignPhase.objects.create(
        campaign=campaign, name="Leitfaden", starts_on="2027-01-18", ends_on="2027-01-29"
    )
    response = owner_client.post(
        reverse("phase_create", args=[campaign.pk]), _phase_data(**{"phase-depends_on": first.pk})
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_phase-starts_on_error"' in page
    assert "29.01.2027" in page
    assert CampaignPhase.objects.count() == 1


def test_it_edits_and_removes_a_phase(owner_client, campaign):
    phase = CampaignPhase.objects.create(
        campaign=campaign, name="Anrufwochen", starts_on="2027-01-25", ends_on="2027-02-12"
    )
    response = owner_client.post(
        reverse("phase_edit", args=[phase.pk]), _phase_data(**{"phase-progress": "40"})
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.progress == 40
    owner_client.post(reverse("phase_delete", args=[phase.pk]))
    assert not CampaignPhase.objects.exists()


def test_it_exports_the_plan_as_excel(owner_client, campaign):
    CampaignPhase.objects.create(
        campaign=campaign, name="Anrufwochen", starts_on="2027-01-25", ends_on="2027-02-12"
    )
    response = owner_client.get(reverse("campaign_plan_export", args=[campaign.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="Plan-reaktivierung-q1.xlsx"'
    content = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[3][0] == "Anrufwochen"


def test_it_hides_the_campaign_from_another_team(outsider, campaign):
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("campaign_detail", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaign_plan_export", args=[campaign.pk])).status_code == 404


def test_it_refuses_field_sales_to_plan(team_south, campaign):
    client = Client()
    client.force_login(factories.UserFactory(role=Role.FIELD_SALES, team=team_south))
    assert client.get(reverse("campaign_create")).status_code == 403
    page = client.get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert 'id="phase-form"' not in page


GUIDE = {
    "goal": "Termin für den Außendienst",
    "opener": "Guten Tag, hier ist Lena Hoffmann …",
    "questions-TOTAL_FORMS": "3",
    "questions-INITIAL_FORMS": "0",
    "questions-0-text": "Wann am besten erreichbar?",
    "questions-0-kind": "best_time_to_reach",
    "questions-1-text": "Wie viele Pumpen im Einsatz?",
    "questions-1-kind": "number",
    "questions-2-text": "",
    "questions-2-kind": "",
}


def test_it_writes_the_guide_and_keeps_its_versions(owner_client, campaign):
    url = reverse("call_guide_edit", args=[campaign.pk])
    assert owner_client.post(url, GUIDE).status_code == 302
    owner_client.post(url, {**GUIDE, "goal": "Bedarf klären"})
    assert list(CallGuide.objects.values_list("version", "goal")) == [
        (2, "Bedarf klären"),
        (1, "Termin für den Außendienst"),
    ]
    earlier = owner_client.get(url, {"version": 1}).content.decode()
    assert "Termin für den Außendienst</textarea>" in earlier
    page = owner_client.get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert "Version 2 vom" in page
    assert "Wie viele Pumpen im Einsatz?" in page


def test_it_shows_a_question_without_its_answer_type_in_its_row(owner_client, campaign):
    response = owner_client.post(
        reverse("call_guide_edit", args=[campaign.pk]), {**GUIDE, "questions-1-kind": ""}
    )
    assert response.status_code == 422
    assert 'id="id_questions-1-kind_error"' in response.content.decode()
    assert not CallGuide.objects.exists()


@pytest.fixture
def held_entry(owner, campaign, company):
    factories.PersonFactory(company=company, last_name="Berger", phone="+49 89 222")
    call_services.call_guide_save(
        actor=owner,
        campaign=campaign,
        data={"goal": "Termin für den Außendienst", "opener": "Guten Tag …"},
        questions=[
            {"text": "Wann am besten erreichbar?", "kind": "best_time_to_reach"},
            {"text": "Wie viele Pumpen im Einsatz?", "kind": "number"},
        ],
    )
    call_list = call_services.call_list_create(
        actor=owner,
        name="Reaktivierung",
        people=call_candidates(owner, company_filter(owner, {}).matches()).people,
        campaign=campaign,
    )
    return call_services.call_list_next(actor=owner, call_list=call_list)


def _answers(guide: CallGuide) -> dict[str, str]:
    return {question.kind: f"answer_{question.pk}" for question in guide.questions.all()}


def test_it_shows_the_guide_and_its_questions_on_the_call_screen(owner_client, held_entry):
    page = owner_client.get(reverse("call_screen", args=[held_entry.pk])).content.decode()
    guide = CallGuide.objects.get()
    assert "Termin für den Außendienst" in page
    assert f'name="{_answers(guide)["number"]}"' in page
    assert f'name="guide_id" value="{guide.pk}"' in page


def test_it_saves_the_answers_with_the_call(owner_client, held_entry):
    guide = CallGuide.objects.get()
    fields = _answers(guide)
    response = owner_client.post(
        reverse("call_screen", args=[held_entry.pk]),
        {
            "reservation": held_entry.reservation,
            "outcome": CallOutcome.REACHED,
            "guide_id": guide.pk,
            fields["best_time_to_reach"]: "dienstags vormittags",
            fields["number"]: "7",
        },
    )
    assert response.status_code == 302
    held_entry.person.refresh_from_db()
    assert held_entry.person.best_time_to_reach == "dienstags vormittags"
    assert "Wie viele Pumpen im Einsatz? 7" in Activity.objects.get().notes


def test_it_keeps_what_was_typed_and_marks_the_wrong_answer(owner_client, held_entry):
    guide = CallGuide.objects.get()
    fields = _answers(guide)
    response = owner_client.post(
        reverse("call_screen", args=[held_entry.pk]),
        {
            "reservation": held_entry.reservation,
            "outcome": CallOutcome.REACHED,
            "guide_id": guide.pk,
            fields["best_time_to_reach"]: "dienstags vormittags",
            fields["number"]: "sieben",
            "notes": "Sehr interessiert",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{fields["number"]}_error"' in page
    assert "Sehr interessiert" in page
    assert 'value="dienstags vormittags"' in page
    assert not Activity.objects.exists()


def test_it_fills_the_edit_forms_with_what_is_stored(owner_client, campaign, owner):
    phase = CampaignPhase.objects.create(
        campaign=campaign,
        name="Anrufwochen",
        owner=owner,
        starts_on="2027-01-25",
        ends_on="2027-02-12",
        progress=40,
    )
    page = owner_client.get(reverse("phase_edit", args=[phase.pk])).content.decode()
    assert 'value="Anrufwochen"' in page
    assert 'value="2027-01-25"' in page
    assert 'value="40"' in page
    page = owner_client.get(reverse("campaign_edit", args=[campaign.pk])).content.decode()
    assert 'value="Reaktivierung Q1"' in page
