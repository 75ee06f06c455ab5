"""/api/v1/call-lists and /call-entries: a phone system drives the call lists."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from innendienst.activities import services
from innendienst.activities.models import Activity, ActivityType, CallEntryStatus, CallListEntry
from innendienst.campaigns import services as campaign_services
from innendienst.contacts.models import Person
from tests import factories
from tests.api.helpers import assert_invalid, ids_of, problem_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_list(owner, team_south, company, territories):
    factories.PersonFactory(company=company, last_name="Adler", phone="+49 89 111")
    factories.PersonFactory(
        company=factories.CompanyFactory(territory=territories["BY"]),
        last_name="Berger",
        phone="+49 89 222",
    )
    return services.call_list_create(
        actor=owner, name="Reaktivierung", team=team_south, people=Person.objects.all()
    )


def test_it_lists_the_team_lists_with_their_progress(api_as, teammate, outsider, call_list):
    response = api_as(teammate).get("/call-lists")
    assert ids_of(response) == [call_list.pk]
    [item] = response.json()["items"]
    assert (item["due_count"], item["open_count"], item["done_count"]) == (2, 2, 0)
    assert ids_of(api_as(outsider).get("/call-lists")) == []


def test_it_hands_two_callers_different_contacts_and_null_when_nobody_is_due(
    api_as, owner, teammate, call_list
):
    first = api_as(owner).post(f"/call-lists/{call_list.pk}/next").json()
    second = api_as(teammate).post(f"/call-lists/{call_list.pk}/next").json()
    assert first["id"] != second["id"]
    assert first["reservation"]
    assert first["person"]["phone"]
    third = api_as(factories.UserFactory(team=owner.team)).post(f"/call-lists/{call_list.pk}/next")
    assert third.status_code == 200
    assert third.json() is None


def test_it_saves_the_outcome_with_its_follow_up_once(api_as, owner, call_list):
    api = api_as(owner)
    entry = api.post(f"/call-lists/{call_list.pk}/next").json()
    callback_at = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    body = {"reservation": entry["reservation"], "outcome": "callback", "callback_at": callback_at}
    response = api.post(f"/call-entries/{entry['id']}/outcome", body)
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["status"] == CallEntryStatus.DONE
    assert Activity.objects.get(pk=saved["call_id"]).kind == ActivityType.CALL
    assert Activity.objects.get(pk=saved["follow_up_id"]).assigned_to == owner
    again = api.post(f"/call-entries/{entry['id']}/outcome", body)
    assert problem_of(again, 409)["detail"]
    assert Activity.objects.filter(kind=ActivityType.CALL).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "callback"}, "callback_at"),
        ({"outcome": "bought_elsewhere"}, "competitor"),
        ({"outcome": "vielleicht"}, "outcome"),
        (
            {"outcome": "appointment", "appointment_at": "2020-01-01T10:00:00+01:00"},
            "appointment_at",
        ),
    ],
)
def test_it_names_the_field_an_outcome_is_missing(api_as, owner, call_list, body, field):
    api = api_as(owner)
    entry = api.post(f"/call-lists/{call_list.pk}/next").json()
    response = api.post(
        f"/call-entries/{entry['id']}/outcome", {"reservation": entry["reservation"], **body}
    )
    assert_invalid(response, field)
    assert not Activity.objects.exists()


def test_it_refuses_an_outcome_without_the_reservation_it_was_handed(api_as, owner, call_list):
    api = api_as(owner)
    entry = api.post(f"/call-lists/{call_list.pk}/next").json()
    wrong = {"reservation": "00000000-0000-4000-8000-000000000000", "outcome": "reached"}
    problem_of(api.post(f"/call-entries/{entry['id']}/outcome", wrong), 409)
    assert_invalid(
        api.post(f"/call-entries/{entry['id']}/outcome", {"outcome": "reached"}), "reservation"
    )


def test_it_puts_a_skipped_contact_back(api_as, owner, call_list):
    api = api_as(owner)
    entry = api.post(f"/call-lists/{call_list.pk}/next").json()
    response = api.post(
        f"/call-entries/{entry['id']}/skip", {"reservation": entry["reservation"], "minutes": 30}
    )
    assert response.status_code == 200
    skipped = response.json()
    assert skipped["reservation"] is None
    assert skipped["due_at"]


@pytest.fixture
def guided_list(owner, call_list):
    campaign = campaign_services.campaign_create(
        actor=owner, data={"name": "Reaktivierung Q1", "team": owner.team}
    )
    call_list.campaign = campaign
    call_list.save()
    services.call_guide_save(
        actor=owner,
        campaign=campaign,
        data={"goal": "Termin für den Außendienst"},
        questions=[
            {"text": "Wann am besten erreichbar?", "kind": "best_time_to_reach"},
            {"text": "Wie viele Pumpen im Einsatz?", "kind": "number"},
        ],
    )
    return call_list


def test_it_hands_out_the_guide_and_writes_the_answers_back(api_as, owner, guided_list):
    api = api_as(owner)
    entry = api.post(f"/call-lists/{guided_list.pk}/next").json()
    guide = entry["guide"]
    assert guide["goal"] == "Termin für den Außendienst"
    best_time, pumps = (question["id"] for question in guide["questions"])
    body = {
        "reservation": entry["reservation"],
        "outcome": "reached",
        "guide_id": guide["id"],
        "answers": {str(best_time): "dienstags ab 10", str(pumps): 12},
    }
    response = api.post(f"/call-entries/{entry['id']}/outcome", body)
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=entry["person"]["id"]).best_time_to_reach == "dienstags ab 10"
    assert "Wie viele Pumpen im Einsatz? 12" in Activity.objects.get().notes


def test_it_names_the_answer_of_the_wrong_type(api_as, owner, guided_list):
    api = api_as(owner)
    entry = api.post(f"/call-lists/{guided_list.pk}/next").json()
    pumps = entry["guide"]["questions"][1]["id"]
    body = {
        "reservation": entry["reservation"],
        "outcome": "reached",
        "guide_id": entry["guide"]["id"],
        "answers": {str(pumps): "zwölf"},
    }
    assert_invalid(api.post(f"/call-entries/{entry['id']}/outcome", body), f"answer_{pumps}")
    assert not Activity.objects.exists()


def test_it_keeps_the_contact_reserved_while_the_call_goes_on(api_as, owner, teammate, call_list):
    api = api_as(owner)
    entry = api.post(f"/call-lists/{call_list.pk}/next").json()
    # Twenty minutes later the reservation would run out; renewed, it lasts another while.
    CallListEntry.objects.filter(pk=entry["id"]).update(reserved_until=timezone.now())
    renewed = api.post(
        f"/call-entries/{entry['id']}/reserve", {"reservation": entry["reservation"]}
    )
    assert renewed.status_code == 200, renewed.content
    assert datetime.datetime.fromisoformat(renewed.json()["reserved_until"]) > timezone.now()
    # Meanwhile the colleague gets the other contact, not this one.
    assert api_as(teammate).post(f"/call-lists/{call_list.pk}/next").json()["id"] != entry["id"]
    stale = api.post(f"/call-entries/{entry['id']}/reserve", {"reservation": str(uuid.uuid4())})
    assert problem_of(stale, 409)["detail"]
