"""A follow-up or a visit as a calendar file (iCalendar, RFC 5545): the field rep takes the
appointment the inside service made into Outlook or his phone's calendar with one click."""

from __future__ import annotations

import datetime

from django.utils import timezone

from innendienst.activities.models import Activity

# A visit blocks an hour unless the rep moves its end in his calendar.
DURATION = datetime.timedelta(hours=1)
LINE_OCTETS = 75


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continued with a leading space; never inside a character."""
    folded: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = LINE_OCTETS if not folded else LINE_OCTETS - 1
        if size + width > limit:
            folded.append(current)
            current, size = "", 0
        current += char
        size += width
    folded.append(current)
    return [folded[0], *(" " + part for part in folded[1:])]


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def activity_ics(activity: Activity, *, url: str, host: str) -> str:
    company = activity.company
    location = ", ".join(
        part
        for part in (company.name, company.street, f"{company.postcode} {company.city}")
        if part.strip()
    )
    description = [activity.subject]
    if activity.person is not None:
        person = activity.person
        description.append(" ".join(part for part in (person.full_name, person.phone) if part))
    if activity.notes:
        description.append(activity.notes)
    description.append(url)
    starts = activity.due_at
    if starts is None:
        raise ValueError("Only an activity with a date goes into a calendar.")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Innendienst//Innendienst//DE",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(starts)}",
        f"DTEND:{_utc(starts + DURATION)}",
        f"SUMMARY:{_escape(activity.subject)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(chr(10).join(description))}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
