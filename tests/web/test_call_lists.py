"""The call list pages: putting a list together, "next call", the call screen."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from innendienst.accounts.models import Role
from innendienst.activities import services
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallEntryStatus,
    CallList,
    CallListEntry,
)
from innendienst.contacts.models import Person, Priority
from tests import factories

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return _logged_in(owner)


@pytest.fixture
def teammate_client(teammate) -> Client:
    return _logged_in(teammate)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _logged_in(outsider)


@pytest.fixture
def callees(company, territories):
    company.priority = Priority.A
    company.save()
    return [
        factories.PersonFactory(company=company, last_name="Adler", phone="+49 89 111 22"),
        factories.PersonFactory(
            company=factories.CompanyFactory(territory=territories["BY"]),
            last_name="Berger",
            phone="+49 89 333",
        ),
    ]


@pytest.fixture
def call_list(owner, team_south, callees):
    return services.call_list_create(
        actor=owner, name="Reaktivierung C-Kunden Q1", team=team_south, people=Person.objects.all()
    )


def _reservation(response) -> str:
    return re.search(r'name="reservation" value="([^"]+)"', response.content.decode())[1]


def test_it_lists_the_team_lists_with_their_progress(owner_client, call_list):
    response = owner_client.get(reverse("call_list_index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reaktivierung C-Kunden Q1" in page
    assert reverse("call_list_create") in page


def test_it_shows_an_outsider_none_of_the_lists(outsider_client, call_list):
    response = outsider_client.get(reverse("call_list_index"))
    assert "Reaktivierung" not in response.content.decode()
    assert outsider_client.get(reverse("call_list_detail", args=[call_list.pk])).status_code == 404


def test_it_counts_who_a_new_list_would_hold_while_the_filters_change(owner_client, callees):
    response = owner_client.get(
        reverse("call_list_create"), {"priority": "a"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="call-list-count"' in response.content.decode()
    assert re.search(r'id="call-list-count"><strong>1 ', response.content.decode())
    assert "<form" not in response.content.decode()  # only the counts


def test_it_creates_a_list_from_the_company_filters(owner_client, owner, team_south, callees):
    response = owner_client.post(
        reverse("call_list_create"),
        {"name": "A-Kunden", "team": team_south.pk, "whom": "everyone", "priority": "a"},
    )
    call_list = CallList.objects.get(name="A-Kunden")
    assert response.status_code == 302
    assert response["Location"] == reverse("call_list_detail", args=[call_list.pk])
    assert [entry.person.last_name for entry in call_list.entries.all()] == ["Adler"]
    assert call_list.created_by == owner


def test_it_keeps_the_input_and_says_what_is_missing(owner_client, callees):
    response = owner_client.post(
        reverse("call_list_create"), {"name": "", "whom": "everyone", "q": "Müller"}
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert 'value="Müller"' in response.content.decode()
    response = owner_client.post(
        reverse("call_list_create"), {"name": "Leer", "whom": "everyone", "q": "gibt es nicht"}
    )
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()
    assert not CallList.objects.exists()


def test_it_refuses_the_list_page_to_field_sales(client, team_south, callees):
    rep = factories.UserFactory(role=Role.FIELD_SALES, team=team_south)
    client.force_login(rep)
    assert client.get(reverse("call_list_create")).status_code == 403


def test_it_hands_the_next_call_and_saves_the_outcome(owner_client, call_list):
    response = owner_client.post(reverse("call_list_next", args=[call_list.pk]))
    entry = CallListEntry.objects.get(reserved_by__username="owner")
    assert response["Location"] == reverse("call_screen", args=[entry.pk])

    screen = owner_client.get(response["Location"])
    page = screen.content.decode()
    assert screen.status_code == 200
    assert 'href="tel:+498911122"' in page
    assert "Adler" in page

    callback_at = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    saved = owner_client.post(
        response["Location"],
        {
            "reservation": _reservation(screen),
            "outcome": "callback",
            "callback_at": callback_at,
            "then_next": "1",
        },
    )
    follow = CallListEntry.objects.get(reserved_by__username="owner")
    assert follow.person.last_name == "Berger"
    assert saved["Location"] == reverse("call_screen", args=[follow.pk])
    entry.refresh_from_db()
    assert entry.status == CallEntryStatus.DONE
    assert Activity.objects.filter(kind=ActivityType.TASK, person__last_name="Adler").exists()


def test_it_says_at_the_field_what_an_outcome_needs(owner_client, call_list):
    response = owner_client.post(reverse("call_list_next", args=[call_list.pk]))
    screen = owner_client.get(response["Location"])
    response = owner_client.post(
        response["Location"],
        {"reservation": _reservation(screen), "outcome": "callback", "notes": "Bitte morgen"},
    )
    assert response.status_code == 422
    assert "callback_at" in response.context["form"].errors
    assert "Bitte morgen" in response.content.decode()
    response = owner_client.post(
        reverse("call_screen", args=[response.context["entry"].pk]),
        {"reservation": _reservation(screen)},
    )
    assert "outcome" in response.context["form"].errors


def test_it_saves_a_call_once_when_sent_twice(owner_client, call_list):
    response = owner_client.post(reverse("call_list_next", args=[call_list.pk]))
    url = response["Location"]
    data = {"reservation": _reservation(owner_client.get(url)), "outcome": "reached"}
    assert owner_client.post(url, data).status_code == 302
    again = owner_client.post(url, {**data, "notes": "Noch eine Notiz"})
    assert again.status_code == 409
    assert again.context["form"].non_field_errors()
    assert "Noch eine Notiz" in again.content.decode()  # nothing typed is lost
    assert Activity.objects.filter(kind=ActivityType.CALL).count() == 1


def test_it_sends_a_colleague_away_from_a_contact_he_was_not_handed(
    owner_client, teammate_client, call_list
):
    response = owner_client.post(reverse("call_list_next", args=[call_list.pk]))
    other = teammate_client.get(response["Location"])
    assert other.status_code == 302
    assert other["Location"] == reverse("call_list_detail", args=[call_list.pk])


def test_it_puts_a_skipped_contact_back(owner_client, call_list):
    response = owner_client.post(reverse("call_list_next", args=[call_list.pk]))
    screen = owner_client.get(response["Location"])
    entry = screen.context["entry"]
    skipped = owner_client.post(
        reverse("call_skip", args=[entry.pk]),
        {"reservation": _reservation(screen), "minutes": "15"},
    )
    assert skipped.status_code == 302
    entry.refresh_from_db()
    assert entry.reserved_by is None
    assert entry.due_at > timezone.now()


def test_it_says_when_nobody_is_due(owner_client, call_list):
    call_list.entries.update(due_at=timezone.now() + datetime.timedelta(days=1))
    response = owner_client.post(reverse("call_list_next", args=[call_list.pk]), follow=True)
    with translation.override("de"):
        expected = translation.gettext("Nobody on this list is due for a call now.")
    assert expected in response.content.decode()


def test_it_shows_the_list_in_a_fixed_number_of_queries(
    owner_client, call_list, django_assert_max_num_queries, territories
):
    url = reverse("call_list_detail", args=[call_list.pk])
    owner_client.get(url)
    with django_assert_max_num_queries(12):
        response = owner_client.get(url)
    assert response.status_code == 200
    assert "Adler" in response.content.decode()


def test_it_shows_the_best_time_to_reach_with_its_evidence(owner_client, call_list):
    entry = services.call_list_next(actor=call_list.created_by, call_list=call_list)
    # Reached three times of four on Tuesdays between 10 and 12, in the weeks before.
    today = timezone.localdate()
    last_tuesday = today - datetime.timedelta(days=(today.isoweekday() - 2) % 7 or 7)
    tuesday_ten = timezone.make_aware(
        datetime.datetime.combine(last_tuesday, datetime.time(10, 15))
    )
    for weeks, outcome in enumerate(["reached", "reached", "callback", "not_reached"]):
        Activity.objects.create(
            kind=ActivityType.CALL,
            company=entry.company,
            person=entry.person,
            subject="Anruf",
            outcome=outcome,
            occurred_at=tuesday_ten - datetime.timedelta(weeks=weeks),
        )
    page = owner_client.get(reverse("call_screen", args=[entry.pk])).content.decode()
    with translation.override("de"):
        assert "Di 10–12 Uhr" in page
        assert 'title="3 von 4 erreicht"' in page
        assert "Gelernt aus 4 Anrufen bei diesem Ansprechpartner" in page


def test_it_renews_the_reservation_while_the_screen_is_open(
    owner_client, teammate_client, call_list
):
    response = owner_client.post(reverse("call_list_next", args=[call_list.pk]), follow=True)
    reservation = _reservation(response)
    entry = CallListEntry.objects.get(reservation=reservation)
    renew = reverse("call_renew", args=[entry.pk])
    assert owner_client.post(renew, {"reservation": reservation}).json()["held"] is True
    # The colleague who was not handed the contact holds nothing, and is told why.
    answer = teammate_client.post(renew, {"reservation": reservation}).json()
    assert answer["held"] is False
    assert answer["message"]
