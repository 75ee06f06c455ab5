"""SLA timers in business hours: weekends, public holidays of a German state and a Swiss
canton, working hours, and the calendar a territory gets."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from innendienst.leads.calendar import BusinessCalendar, calendar_of
from innendienst.leads.models import WorkingCalendar
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")
ZURICH = ZoneInfo("Europe/Zurich")


def at(zone: ZoneInfo, *parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=zone)


def test_it_carries_a_friday_afternoon_clock_over_the_weekend():
    calendar = BusinessCalendar("DE", "BY")
    due = calendar.add_hours(at(BERLIN, 2026, 12, 4, 16), 8)  # Friday 16:00
    assert due == at(BERLIN, 2026, 12, 7, 15)  # Monday 15:00


def test_it_skips_a_bavarian_holiday_that_the_rest_of_germany_works():
    tuesday_afternoon = at(BERLIN, 2027, 1, 5, 16)
    # 6 January (Epiphany) is a holiday in Bavaria, not in Germany as a whole.
    assert BusinessCalendar("DE", "BY").add_hours(tuesday_afternoon, 8) == at(
        BERLIN, 2027, 1, 7, 15
    )
    assert BusinessCalendar("DE").add_hours(tuesday_afternoon, 8) == at(BERLIN, 2027, 1, 6, 15)


def test_it_skips_a_holiday_of_the_canton_of_zurich_and_the_weekend_after_it():
    thursday_afternoon = at(ZURICH, 2026, 4, 30, 16)
    # 1 May is a public holiday in Zurich, not in Bern; it is a Friday.
    assert BusinessCalendar("CH", "ZH").add_hours(thursday_afternoon, 8) == at(
        ZURICH, 2026, 5, 4, 15
    )
    assert BusinessCalendar("CH", "BE").add_hours(thursday_afternoon, 8) == at(
        ZURICH, 2026, 5, 1, 15
    )


def test_it_starts_a_clock_of_the_night_at_the_next_working_morning():
    calendar = BusinessCalendar("DE", "BY")
    assert calendar.add_hours(at(BERLIN, 2026, 12, 8, 22, 30), 2) == at(BERLIN, 2026, 12, 9, 10)
    assert calendar.add_hours(at(BERLIN, 2026, 12, 8, 6), 1) == at(BERLIN, 2026, 12, 8, 9)


def test_it_counts_the_business_hours_between_two_moments_either_way():
    calendar = BusinessCalendar("DE", "BY")
    friday, monday = at(BERLIN, 2026, 12, 4, 16), at(BERLIN, 2026, 12, 7, 10)
    assert calendar.hours_between(friday, monday) == 3
    assert calendar.hours_between(monday, friday) == -3


def test_it_counts_working_days_of_age():
    calendar = BusinessCalendar("DE", "BY")
    friday, monday = datetime.date(2026, 12, 4), datetime.date(2026, 12, 7)
    assert calendar.working_days_between(friday, monday) == 1
    assert calendar.working_days_between(datetime.date(2027, 1, 5), datetime.date(2027, 1, 7)) == 1


def test_it_honours_a_saturday_and_other_working_hours():
    calendar = BusinessCalendar("DE", "", datetime.time(7), datetime.time(12), saturday=True)
    assert calendar.add_hours(at(BERLIN, 2026, 12, 4, 11), 3) == at(BERLIN, 2026, 12, 5, 9)


@pytest.mark.django_db
def test_it_takes_the_calendar_of_the_territory_or_of_its_nearest_parent(territories):
    # Coded as a state, Bavaria knows its holidays without a calendar of its own.
    assert calendar_of(territories["BY"]).subdivision == "BY"
    assert calendar_of(territories["NORD"]) == BusinessCalendar("DE")

    switzerland = factories.TerritoryFactory(code="CH", name="Schweiz", country="CH")
    german_part = factories.TerritoryFactory(
        code="CH-DE", name="Deutschschweiz", parent=switzerland, country="CH"
    )
    zurich_city = factories.TerritoryFactory(
        code="CH-ZH-1", name="Zürich Stadt", parent=german_part, country="CH"
    )
    WorkingCalendar.objects.create(
        territory=german_part, subdivision="ZH", day_starts=datetime.time(7, 30)
    )
    calendar = calendar_of(zurich_city)
    assert (calendar.country, calendar.subdivision, calendar.day_starts) == (
        "CH",
        "ZH",
        datetime.time(7, 30),
    )


def test_it_keeps_assumption_day_in_bavaria():
    # 15 August 2025 is a Friday; most of Bavaria has the day off.
    thursday_afternoon = at(BERLIN, 2025, 8, 14, 16)
    assert BusinessCalendar("DE", "BY").add_hours(thursday_afternoon, 8) == at(
        BERLIN, 2025, 8, 18, 15
    )


def test_it_falls_back_to_the_country_for_a_state_it_does_not_know():
    assert BusinessCalendar("DE", "XX").is_working_day(datetime.date(2026, 12, 25)) is False


@pytest.mark.django_db
def test_a_working_calendar_names_a_state_or_canton_of_its_country(territories):
    calendar = WorkingCalendar(territory=territories["BY"], subdivision="ZH")
    with pytest.raises(ValidationError) as caught:
        calendar.full_clean()
    assert "subdivision" in caught.value.message_dict
    WorkingCalendar(territory=territories["BY"], subdivision="BY").full_clean()
