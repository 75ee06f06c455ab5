"""A follow-up or a visit as an iCalendar file (RFC 5545) for the rep's own calendar."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innendienst.activities.calendar import activity_ics
from innendienst.activities.models import Activity, ActivityType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(company, owner):
    person = factories.PersonFactory(
        company=company, first_name="Anna", last_name="Berger", phone="+49 89 1234 100"
    )
    return Activity.objects.create(
        kind=ActivityType.TASK,
        company=company,
        person=person,
        subject="Besuch Anna Berger (Termin vereinbart von Lena Hoffmann)",
        notes="Bedarf: zwei Umwälzpumpen; bitte Datenblätter mitbringen, Muster A; B",
        due_at=datetime.datetime(2027, 1, 19, 10, 30, tzinfo=datetime.UTC),
        assigned_to=owner,
        created_by=owner,
    )


def _unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_it_writes_the_visit_as_an_event_of_an_hour(visit):
    text = activity_ics(visit, url="https://crm.example.com/companies/1/", host="crm.example.com")
    lines = _unfolded(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert "DTSTART:20270119T103000Z" in lines
    assert "DTEND:20270119T113000Z" in lines
    assert f"UID:activity-{visit.pk}@crm.example.com" in lines
    # Commas, semicolons and line breaks are escaped; the long lines folded at 75 octets.
    assert (
        "DESCRIPTION:Besuch Anna Berger (Termin vereinbart von Lena Hoffmann)\\n"
        "Anna Berger +49 89 1234 100\\nBedarf: zwei Umwälzpumpen\\; bitte Datenblätter "
        "mitbringen\\, Muster A\\; B\\nhttps://crm.example.com/companies/1/"
    ) in lines
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_it_downloads_the_file_for_who_sees_the_company(owner, outsider, visit):
    client = Client()
    client.force_login(owner)
    response = client.get(reverse("activity_calendar", args=[visit.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Besuch Anna Berger" in response.content.decode()
    client.force_login(outsider)
    assert client.get(reverse("activity_calendar", args=[visit.pk])).status_code == 404


def test_it_has_no_file_for_a_call_without_a_date(owner, company):
    call = Activity.objects.create(
        kind=ActivityType.CALL, company=company, subject="Bedarf", occurred_at=timezone.now()
    )
    client = Client()
    client.force_login(owner)
    assert client.get(reverse("activity_calendar", args=[call.pk])).status_code == 404
