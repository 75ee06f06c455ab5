"""Leads from a file: the badge scanner's list of the trade fair, the campaign's reply cards.

One row is a lead with its contact and the contact's company, as the people target reads
them: the company and the contact are matched or created by that target (with its duplicate
classification), then the lead is made at them. A contact who already has a lead from the same
source and fair or campaign is a duplicate: the same file imported twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.access import MASTER_DATA_EDITORS
from innendienst.contacts import import_targets as people_target
from innendienst.contacts.models import Person, Priority
from innendienst.core import audit
from innendienst.core.inputs import choice_names
from innendienst.core.registry import ImportField, ImportTarget, RowCheck, RowOutcome, Written
from innendienst.core.text import fold
from innendienst.leads import scoring
from innendienst.leads.calendar import BusinessCalendar, calendar_of
from innendienst.leads.distribution import Distributor
from innendienst.leads.models import Lead, LeadSource, LeadStage, LeadStageChange
from innendienst.leads.services import WAITS_FOR, sla_hours

LEAD_FIELDS = (
    ImportField(
        "lead_source", _("lead source"), ("Leadquelle", "Lead-Quelle", "Kanal", "Lead source")
    ),
    ImportField(
        "lead_source_name",
        _("fair or campaign"),
        ("Messe", "Veranstaltung", "Kampagne", "Aktion", "Trade fair", "Campaign", "Event"),
    ),
    ImportField(
        "interests",
        _("product interests"),
        ("Interesse", "Interessen", "Produktinteresse", "Produkte", "Interests", "Products"),
    ),
    ImportField("need", _("need"), ("Bedarf", "Anliegen", "Anfrage", "Need", "Request")),
    ImportField(
        "timing", _("timing"), ("Zeitrahmen", "Zeitpunkt", "Kaufzeitpunkt", "Timing", "Timeframe")
    ),
    ImportField("budget", _("budget"), ("Budget", "Investition"), kind="decimal"),
    ImportField("lead_priority", _("priority"), ("Priorität", "Prio", "Priority")),
    ImportField(
        "lead_notes",
        _("notes on the lead"),
        ("Gesprächsnotiz", "Notiz", "Bemerkung", "Kommentar", "Notes", "Comment"),
    ),
)


# The file's columns by the lead's fields they fill.
COLUMNS = {
    "lead_source": "source",
    "lead_source_name": "source_name",
    "interests": "interests",
    "need": "need",
    "timing": "timing",
    "budget": "budget",
    "lead_priority": "priority",
    "lead_notes": "notes",
}


@dataclass
class LeadRow:
    """The row's contact as the people target checked it, the lead to make at him, and who he
    is: ("record", id) of a known contact, or ("row", number) of the row that creates him."""

    person: RowCheck
    lead: Lead
    contact: tuple[str, int] | None = None


def _lead_of(
    row: dict[str, Any], check: RowCheck, sources: dict[str, str], priorities: dict[str, str]
) -> Lead:
    lead = Lead(stage=LeadStage.QL)
    source = fold(str(row.get("lead_source") or ""))
    if not source:
        check.error("lead_source", gettext("Please give the source of the lead."))
    elif source not in sources:
        check.error("lead_source", gettext("unknown source"))
    else:
        lead.source = sources[source]
    priority = fold(str(row.get("lead_priority") or "b"))
    lead.priority = priorities.get(priority) or priorities.get(priority[:1], "")
    if not lead.priority:
        check.error("lead_priority", gettext("unknown priority"))
    for column in ("lead_source_name", "interests", "need", "timing", "lead_notes"):
        setattr(lead, COLUMNS[column], str(row.get(column) or "").strip())
    budget = row.get("budget")
    lead.budget = Decimal(budget) if budget not in (None, "") else None
    if lead.source == LeadSource.TRADE_FAIR and not lead.source_name:
        check.error("lead_source_name", gettext("Please name the trade fair."))
    told = [field for column, field in COLUMNS.items() if column in check.errors]
    before = set(check.errors)
    check.validate(
        lead,
        exclude=["company", "created_by", "owner", "stage_changed_at", "touched_at", *told],
    )
    for name in set(check.errors) - before:
        # At the file's column, not the model's field.
        column = next((column for column, field in COLUMNS.items() if field == name), name)
        check.errors[column] = check.errors.pop(name)
    return lead


def _lead_key(contact: tuple[str, int], lead: Lead) -> tuple:
    return ("lead", contact, lead.source, fold(lead.source_name))


def _contact(check: RowCheck, number: int, seen: dict[Any, int]) -> tuple[str, int]:
    """Who the row's lead is for: a known contact, or the one a row of the file creates (a
    possible duplicate is created too: its ``record`` is only whom it resembles)."""
    if check.outcome in (RowOutcome.NEW, RowOutcome.POSSIBLE_DUPLICATE):
        return ("row", number)
    if check.record is not None:
        return ("record", check.record.pk)
    if check.twin is not None:
        # The contact of the earlier row that names him: known, or made by that row.
        for kind in ("record", "row"):
            if ("lead-contact", kind, check.twin) in seen:
                return (kind, seen[("lead-contact", kind, check.twin)])
        return ("row", check.twin)
    return ("row", number)


def check_leads(user: Any, rows: list[dict[str, Any]], seen: dict[Any, int]) -> list[RowCheck]:
    person_checks = people_target.check_people(user, rows, seen)
    sources, priorities = choice_names(LeadSource), choice_names(Priority)
    checks = []
    for row, person_check in zip(rows, person_checks, strict=True):
        check = RowCheck(errors=dict(person_check.errors), outcome=person_check.outcome)
        lead = _lead_of(row, check, sources, priorities)
        check.prepared = LeadRow(person_check, lead)
        if person_check.outcome is not RowOutcome.ERROR:
            kind, ref = check.prepared.contact = _contact(person_check, row["_row"], seen)
            seen[("lead-contact", kind, row["_row"])] = ref
            if kind == "row" and ref != row["_row"] and ("lead-failed", ref) in seen:
                # The row that would create the contact is not imported.
                check.error(
                    "",
                    gettext("The contact's first row (row %(row)s) has an error: correct it.")
                    % {"row": ref},
                )
        if check.outcome is RowOutcome.ERROR:
            seen[("lead-failed", row["_row"])] = 1
        checks.append(check)
    known = {
        check.prepared.contact[1]
        for check in checks
        if check.prepared.contact and check.prepared.contact[0] == "record"
    }
    existing = {
        _lead_key(("record", lead.person_id), lead): lead
        for lead in Lead.objects.filter(person_id__in=known)
    }
    for row, check in zip(rows, checks, strict=True):
        if check.outcome is RowOutcome.ERROR:
            continue
        person_check, lead = check.prepared.person, check.prepared.lead
        key = _lead_key(check.prepared.contact, lead)
        check.outcome, check.record, check.reasons = RowOutcome.NEW, None, person_check.reasons
        if key in existing:
            check.outcome, check.record = RowOutcome.DUPLICATE, existing[key]
        elif key in seen:
            check.outcome, check.twin = RowOutcome.DUPLICATE, seen[key]
        else:
            seen[key] = row["_row"]
    return checks


_WRITES_PERSON = (RowOutcome.NEW, RowOutcome.POSSIBLE_DUPLICATE, RowOutcome.UPDATE)


def _person_of(written: Written | None) -> Person | None:
    if written is None:
        return None
    return next((r for r in reversed(written.created) if isinstance(r, Person)), None)


def write_leads(
    user: Any, rows: list[tuple[int, RowCheck]], made: dict[int, Written]
) -> list[Written]:
    writing = [
        (n, c.prepared.person) for n, c in rows if c.prepared.person.outcome in _WRITES_PERSON
    ]
    people_written = dict(
        zip(
            [number for number, _check in writing],
            people_target.write_people(user, writing, made),
            strict=True,
        )
    )
    known = Person.objects.select_related("company__territory").in_bulk(
        [c.prepared.contact[1] for _n, c in rows if c.prepared.contact[0] == "record"]
    )
    now = timezone.now()
    distributor = Distributor()
    calendars: dict[int, BusinessCalendar] = {}
    leads: list[Lead] = []
    for number, check in rows:
        kind_of_contact, ref = check.prepared.contact
        lead = check.prepared.lead
        if number in people_written and _person_of(people_written[number]):
            person = _person_of(people_written[number])
        elif kind_of_contact == "record":
            person = known[ref]
        else:  # made by an earlier row, of this batch or of one before
            person = _person_of(people_written.get(ref)) or _person_of(made.get(ref))
        company = person.company
        lead.company, lead.person = company, person
        lead.created_by = user
        assignment = distributor.assign(lead)
        lead.owner = assignment.owner or user
        lead.assignment_reason = assignment.reason[:300]
        lead.assigned_at = lead.stage_changed_at = lead.touched_at = now
        kind, hours = WAITS_FOR.get(lead.stage), sla_hours(lead.stage, lead.source)
        if kind and hours:
            if company.territory_id not in calendars:
                calendars[company.territory_id] = calendar_of(company.territory)
            lead.sla_kind = kind
            lead.sla_due_at = calendars[company.territory_id].add_hours(now, hours)
        leads.append(lead)
    Lead.objects.bulk_create(leads)
    scoring.rescore(leads, now)
    LeadStageChange.objects.bulk_create(
        [
            LeadStageChange(
                lead=lead, to_stage=lead.stage, actor=user, owner=lead.owner, at=now,
                sla_kind=lead.sla_kind, sla_due_at=lead.sla_due_at,
            )
            for lead in leads
        ]
    )  # fmt: skip
    audit.record_creates(actor=user, instances=leads)
    written = []
    for (number, _check), lead in zip(rows, leads, strict=True):
        done = people_written.get(number, Written())
        written.append(Written(created=[*done.created, lead], updated=done.updated))
    return written


LEADS = ImportTarget(
    name="leads",
    label=_("Leads with their contact and company"),
    check=check_leads,
    write=write_leads,
    # It creates companies and contacts, which only those who maintain the customer base may.
    roles=MASTER_DATA_EDITORS,
    order=25,
    fields=(*people_target.PEOPLE.fields, *LEAD_FIELDS),
)
