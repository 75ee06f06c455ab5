"""Business hours for the SLA timers: the working days and hours of a territory, without the
public holidays of its country and its state or canton (the ``holidays`` package)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from innendienst.accounts.models import Territory

ZONES = {"DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich"}
DEFAULT_ZONE = "Europe/Berlin"
# Far enough for any agreed reaction time; a clock that does not end within it is an error.
MAX_DAYS_AHEAD = 3 * 366


# Days off beyond the public holidays where nearly everybody has them: Assumption Day in
# Bavaria is a holiday in its Catholic communities, most of the state.
EXTRA_CATEGORIES = {("DE", "BY"): ("catholic",)}


@functools.lru_cache(maxsize=256)
def _holidays(country: str, subdivision: str, year: int) -> frozenset[datetime.date]:
    categories = ("public", *EXTRA_CATEGORIES.get((country, subdivision), ()))
    try:
        days = holidays.country_holidays(
            country, subdiv=subdivision or None, years=year, categories=categories
        )
    except NotImplementedError:
        # A state the package does not know (a calendar entered before it was checked):
        # the country's holidays rather than no deadline at all.
        days = holidays.country_holidays(country, years=year)
    return frozenset(days.keys())


def subdivisions(country: str) -> tuple[str, ...]:
    """The states or cantons of ``country`` whose holidays are known."""
    return tuple(holidays.list_supported_countries().get(country, ()))


@dataclass(frozen=True)
class BusinessCalendar:
    country: str
    subdivision: str = ""
    day_starts: datetime.time = datetime.time(8)
    day_ends: datetime.time = datetime.time(17)
    saturday: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(ZONES.get(self.country, DEFAULT_ZONE))

    def is_working_day(self, day: datetime.date) -> bool:
        weekday = day.weekday()
        if weekday == 6 or (weekday == 5 and not self.saturday):
            return False
        return day not in _holidays(self.country, self.subdivision, day.year)

    def _working_periods(self, start: datetime.datetime) -> Iterator[tuple[datetime.datetime, ...]]:
        """The working hours from ``start`` on, day by day, in local time."""
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD):
            if self.is_working_day(day):
                opens = datetime.datetime.combine(day, self.day_starts, self.zone)
                closes = datetime.datetime.combine(day, self.day_ends, self.zone)
                if closes > local:
                    yield max(opens, local), closes
            day += datetime.timedelta(days=1)

    def add_hours(self, start: datetime.datetime, hours: float) -> datetime.datetime:
        """The moment ``hours`` business hours after ``start``: a lead captured on Friday at
        16:00 with eight hours to go is due on Monday at 15:00 (with 8–17 working hours)."""
        remaining = datetime.timedelta(hours=hours)
        for opens, closes in self._working_periods(start):
            if remaining <= closes - opens:
                return (opens + remaining).astimezone(datetime.UTC)
            remaining -= closes - opens
        raise ValueError(f"{hours} business hours end more than {MAX_DAYS_AHEAD} days ahead")

    def hours_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """Business hours from ``start`` to ``end``; negative when ``end`` comes first."""
        if end < start:
            return -self.hours_between(end, start)
        end_local = end.astimezone(self.zone)
        total = datetime.timedelta()
        for opens, closes in self._working_periods(start):
            if opens >= end_local:
                break
            total += min(closes, end_local) - opens
        return total.total_seconds() / 3600

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``: a lead of yesterday is
        one business day old, one of Friday is one day old on Monday."""
        days, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            days += self.is_working_day(day)
        return days


def _territory_codes(territory: Territory) -> list[str]:
    """The codes from the territory up to its country, nearest first."""
    return list(reversed([code for code in territory.path.split("/") if code]))


def calendar_of(territory: Territory) -> BusinessCalendar:
    """The territory's working calendar, or its nearest parent's; without one, a territory
    coded as a state or canton ("DE-BY", "CH-ZH") has its holidays, any other its country's."""
    return calendars_of([territory])[territory.pk]


def calendars_of(territories: Iterable[Territory]) -> dict[int, BusinessCalendar]:
    """``calendar_of`` for several territories, in one query."""
    from innendienst.leads.models import WorkingCalendar

    territories = list(territories)
    codes = {code for territory in territories for code in _territory_codes(territory)}
    configured = {
        calendar.territory.code: calendar
        for calendar in WorkingCalendar.objects.filter(territory__code__in=codes).select_related(
            "territory"
        )
    }
    return {territory.pk: _calendar(territory, configured) for territory in territories}


def _calendar(territory: Territory, configured: dict[str, Any]) -> BusinessCalendar:
    codes = _territory_codes(territory)
    for code in codes:
        if code in configured:
            found = configured[code]
            return BusinessCalendar(
                territory.country,
                found.subdivision,
                found.day_starts,
                found.day_ends,
                found.saturday,
            )
    known = subdivisions(territory.country)
    for code in codes:
        prefix, _, rest = code.partition("-")
        if prefix == territory.country and rest in known:
            return BusinessCalendar(territory.country, rest)
    return BusinessCalendar(territory.country)
