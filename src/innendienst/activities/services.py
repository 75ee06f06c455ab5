"""Writes of activities: log a call or visit, plan a task, complete it."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.access import MANAGERS
from innendienst.accounts.models import Team, User
from innendienst.activities.access import can_change_activity, require_call_list_maker
from innendienst.activities.calling import (
    MAX_ATTEMPTS,
    RECONTACT_AFTER,
    RESERVATION,
    RETRY_AFTER,
    call_limits,
    next_start_of,
    ranked_entries,
)
from innendienst.activities.guide import Answered, AnswerKind, answer_kind
from innendienst.activities.models import (
    Activity,
    ActivityType,
    CallEntryReason,
    CallEntryStatus,
    CallGuide,
    CallGuideQuestion,
    CallList,
    CallListEntry,
    CallOutcome,
    ReachabilityRate,
)
from innendienst.activities.selectors import (
    activities_for,
    call_entries_for,
    call_entry_held,
    call_guide_current,
    calls_since,
    due_now,
    reachability_of,
    reachability_rates_computed,
)
from innendienst.campaigns.models import Campaign
from innendienst.campaigns.selectors import campaigns_for
from innendienst.contacts.models import Channel, Company, Person
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import audit, concurrency, events
from innendienst.core.inputs import apply_changes, clean_value
from innendienst.privacy.access import can_record_consent
from innendienst.privacy.models import ConsentStatus, LegalBasis
from innendienst.privacy.selectors import objects_to_calls_now
from innendienst.privacy.services import consent_record

ACTIVITY_FIELDS = (
    "kind",
    "person",
    "person_id",
    "subject",
    "notes",
    "outcome",
    "occurred_at",
    "due_at",
    "assigned_to",
    "assigned_to_id",
)


def _validate(actor: User, activity: Activity) -> None:
    errors: dict[str, list[ValidationError]] = {}
    try:
        # The date rule of the table's check constraint is checked below, at its field.
        activity.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        errors = exc.error_dict
    if activity.kind == ActivityType.CALL and activity.occurred_at and not activity.outcome:
        errors.setdefault("outcome", []).append(
            ValidationError(_("Please choose the outcome of the call."), code="required")
        )
    if activity.outcome and activity.kind != ActivityType.CALL:
        errors.setdefault("outcome", []).append(
            ValidationError(_("Only calls have an outcome."), code="invalid")
        )
    if activity.person_id:
        # A contact the actor may not see is answered like one that does not exist.
        company_of_person = (
            people_for(actor).filter(pk=activity.person_id).values_list("company_id", flat=True)
        ).first()
        if company_of_person is None:
            errors.setdefault("person", []).append(
                ValidationError(
                    _("There is no such record, or you may not see it."), code="does_not_exist"
                )
            )
        elif company_of_person != activity.company_id:
            errors.setdefault("person", []).append(
                ValidationError(_("Please choose a contact of this company."), code="invalid")
            )
    if activity.assigned_to_id and not activity.assigned_to.is_active:
        errors.setdefault("assigned_to", []).append(
            ValidationError(_("This user can no longer be assigned tasks."), code="inactive")
        )
    if activity.kind == ActivityType.TASK and activity.due_at is None:
        errors.setdefault("due_at", []).append(
            ValidationError(_("A task needs a due date."), code="required")
        )
    if activity.kind != ActivityType.TASK and activity.occurred_at is None:
        errors.setdefault("occurred_at", []).append(
            ValidationError(_("Please enter when it happened."), code="required")
        )
    if activity.occurred_at and activity.occurred_at > timezone.now() + datetime.timedelta(
        minutes=5
    ):
        errors.setdefault("occurred_at", []).append(
            ValidationError(_("This lies in the future; plan a task instead."), code="future")
        )
    if errors:
        raise ValidationError(errors)


# What counts as talking to the customer, for "last contact".
CONTACT_KINDS = {ActivityType.CALL, ActivityType.VISIT, ActivityType.EMAIL, ActivityType.MEETING}


def _last_contact_at(company_id: int) -> datetime.datetime | None:
    return Activity.objects.filter(
        company_id=company_id, kind__in=CONTACT_KINDS, occurred_at__isnull=False
    ).aggregate(last=Max("occurred_at"))["last"]


def _event_data(activity: Activity) -> dict[str, Any]:
    """Plain values about the activity; with the company's newest contact as it is now, so
    that an edited date moves it back as well as forward."""
    last_contact = _last_contact_at(activity.company_id)
    return {
        "kind": str(activity.kind),
        "company_id": activity.company_id,
        "outcome": str(activity.outcome),
        "company_last_contact_at": last_contact.isoformat() if last_contact else None,
    }


def _require_company(actor: User, company: Company) -> None:
    if not companies_for(actor).filter(pk=company.pk).exists():
        raise PermissionDenied(_("You may not add activities to this company."))


@transaction.atomic
def activity_log(
    *,
    actor: User,
    company: Company,
    data: Mapping[str, Any],
    follow_up_at: datetime.datetime | None = None,
) -> tuple[Activity, Activity | None]:
    """Record an activity on the company's timeline; with ``follow_up_at`` also plan the
    Wiedervorlage as a task for the actor."""
    _require_company(actor, company)
    activity = Activity(company=company, created_by=actor)
    apply_changes(activity, data, ACTIVITY_FIELDS)
    if activity.kind == ActivityType.TASK:
        activity.occurred_at = None
        activity.assigned_to = activity.assigned_to or actor
    else:
        activity.occurred_at = activity.occurred_at or timezone.now()
        activity.done = True
        activity.done_at = activity.occurred_at
    _validate(actor, activity)
    if follow_up_at is not None:
        try:
            follow_up_at = clean_value(follow_up_at)
        except ValidationError as exc:
            raise ValidationError({"follow_up_at": exc}) from exc
        if follow_up_at < timezone.now() - datetime.timedelta(days=1):
            raise ValidationError({"follow_up_at": _("The follow-up date lies in the past.")})
    activity.save()
    audit.record_create(actor=actor, instance=activity)
    events.emit("activity.logged", actor=actor, instance=activity, **_event_data(activity))

    follow_up = None
    if follow_up_at is not None:
        follow_up = Activity(
            kind=ActivityType.TASK,
            company=company,
            person=activity.person,
            subject=_("Follow-up: %(subject)s") % {"subject": activity.subject},
            due_at=follow_up_at,
            assigned_to=actor,
            created_by=actor,
            follow_up_of=activity,
        )
        follow_up.subject = follow_up.subject[:200]
        follow_up.save()
        audit.record_create(actor=actor, instance=follow_up)
        events.emit("activity.logged", actor=actor, instance=follow_up, **_event_data(follow_up))
    return activity, follow_up


def _require_changeable(actor: User, activity: Activity) -> None:
    if not activities_for(actor).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("You may not change this activity."))
    if not can_change_activity(actor, activity):
        raise PermissionDenied(_("You may only change your own activities."))


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    data: Mapping[str, Any],
    seen: Mapping[str, Any] | None = None,
    expected_version: frozenset[int] | None = None,
) -> Activity:
    _require_changeable(actor, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    concurrency.check_version(activity, expected_version)
    before = audit.snapshot(activity)

    def apply() -> None:
        apply_changes(activity, data, ACTIVITY_FIELDS)
        _validate(actor, activity)

    concurrency.apply_checking_conflicts(activity, before, data, seen, apply)
    changed = sorted(
        name for name, value in audit.snapshot(activity).items() if before[name] != value
    )
    if not changed:
        return activity
    concurrency.bump(activity)
    activity.save()
    audit.record_update(actor=actor, instance=activity, before=before)
    events.emit(
        "activity.updated", actor=actor, instance=activity, fields=changed, **_event_data(activity)
    )
    return activity


@transaction.atomic
def activity_complete(
    *, actor: User, activity: Activity, expected_version: frozenset[int] | None = None
) -> Activity:
    _require_changeable(actor, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    concurrency.check_version(activity, expected_version)
    if activity.done:
        return activity
    before = audit.snapshot(activity)
    activity.done = True
    activity.done_at = timezone.now()
    concurrency.bump(activity)
    activity.save(update_fields=["done", "done_at", "updated_at", "version"])
    audit.record_update(actor=actor, instance=activity, before=before)
    events.emit("activity.completed", actor=actor, instance=activity)
    return activity


# --- call lists ------------------------------------------------------------------------------


# A list this long changes the statistics of the entries' table.
LARGE_LIST = 10_000


@transaction.atomic
def call_list_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    team: Team | None = None,
    people: QuerySet[Person],
    limit: int | None = None,
    campaign: Campaign | None = None,
) -> CallList:
    """A new call list of ``people`` (``selectors.call_candidates``: scoped to the actor,
    callable), in the order of their company's priority; with ``limit``, the most important
    ones. A list of a ``campaign`` shows the campaign's call guide."""
    require_call_list_maker(actor)
    call_list = CallList(
        name=name, description=description, team=team, created_by=actor, campaign=campaign
    )
    manager = actor.is_superuser or actor.role in MANAGERS
    if team is not None and not manager and team.pk != actor.team_id:
        raise ValidationError({"team": _("You may share a list only with your own team.")})
    if campaign is not None and not campaigns_for(actor).filter(pk=campaign.pk).exists():
        raise ValidationError({"campaign": _("You may not see this campaign.")})
    call_list.full_clean()
    call_list.save()
    created = _insert_entries(call_list, ranked_entries(people, limit))
    if not created:
        raise ValidationError(_("The filter finds nobody who may be called: the list stays empty."))
    if created >= LARGE_LIST and connection.vendor == "postgresql":
        # Tens of thousands of rows at once: the planner learns of them now, not when
        # autovacuum comes by — with the old statistics "next call" read the whole list.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(CallListEntry._meta.db_table)}")
    audit.record_create(actor=actor, instance=call_list)
    events.emit("call_list.created", actor=actor, instance=call_list, entries=created)
    return call_list


def _insert_entries(call_list: CallList, rows: QuerySet) -> int:
    """INSERT … SELECT: a list of 100,000 contacts is written by the database in one
    statement instead of travelling through Python row by row. ``rows`` are those of
    ``ranked_entries``."""
    meta = CallListEntry._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column)
        for name in ("call_list", "status", "attempts", "last_outcome", "reason")
    )
    select, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}, {quote('person_id')},"
            f" {quote('company_id')}, {quote('priority')})"
            f" SELECT %s, %s, 0, '', '', chosen.entry_person, chosen.entry_company,"
            f" chosen.entry_priority"
            f" FROM ({select}) chosen",
            [call_list.pk, CallEntryStatus.OPEN, *params],
        )
        return cursor.rowcount


def _limit_free_at(
    entry: CallListEntry, now: datetime.datetime
) -> tuple[datetime.datetime, bool] | None:
    """When the contact limits allow calling the entry's contact again, and whether it is his
    company's limit; None when they allow it now."""
    limits = call_limits()
    since = now - limits.window
    for match, limit, company_wide in (
        ({"person_id": entry.person_id}, limits.per_person, False),
        ({"company_id": entry.company_id}, limits.per_company, True),
    ):
        recent = list(
            calls_since(since)
            .filter(**match)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            return recent[-1] + limits.window, company_wide
    return None


def call_list_next(*, actor: User, call_list: CallList) -> CallListEntry | None:
    """Nächster Anruf: reserve the most important due contact that nobody is calling, for
    ``actor``; None when nobody is due. Two reps pressing at once get different contacts
    (``SKIP LOCKED`` on PostgreSQL; SQLite runs one writing transaction at a time).

    A contact who objected to calls or lost his phone number since the list was put together
    leaves it; one over the contact limits (his company's: all its contacts on the list) is
    due again when the limit allows."""
    now = timezone.now()
    with transaction.atomic():
        held = call_entry_held(actor, call_list)
        if held is not None:
            return held
        visible = call_entries_for(actor).filter(call_list=call_list)
        due = (
            visible.filter(due_now(now))
            .select_related("person", "person__company")
            .order_by("-priority", "attempts", "id")
            .select_for_update(skip_locked=True, of=("self",))
        )
        # One row at a time: a lock taken is a contact the colleagues skip. Whether he may
        # still be called is asked of that one contact, not of the list.
        while (entry := due.first()) is not None:
            person = entry.person
            reachable = person.phone or person.mobile or person.company.phone
            objection = objects_to_calls_now(person.pk)
            if objection or not reachable:
                entry.status = CallEntryStatus.REMOVED
                entry.reason = CallEntryReason.OBJECTION if objection else CallEntryReason.NO_PHONE
                entry.save(update_fields=["status", "reason"])
                continue
            reach = reachability_of(person, now)
            if reach.better_later and reach.best is not None:
                # His own calls say now is a bad hour: he waits for his best one, and the
                # next contact of the list comes instead.
                entry.due_at = next_start_of((reach.best.weekday, reach.best.slot), now)
                entry.reason = CallEntryReason.BEST_TIME
                entry.save(update_fields=["due_at", "reason"])
                continue
            limited = _limit_free_at(entry, now)
            if limited is None:
                entry.reserved_by = actor
                entry.reserved_until = now + RESERVATION
                entry.reservation = uuid.uuid4()
                entry.reason = ""
                entry.save(update_fields=["reserved_by", "reserved_until", "reservation", "reason"])
                return entry
            free_at, company_wide = limited
            postponed = visible.filter(pk=entry.pk)
            if company_wide:
                postponed = visible.filter(company_id=entry.company_id).filter(due_now(now))
            postponed.update(due_at=free_at, reason=CallEntryReason.CONTACT_LIMIT)
        return None


def _held_entry(actor: User, entry_id: int, reservation: uuid.UUID | str | None) -> CallListEntry:
    """The entry, locked, if ``actor`` still holds the reservation he was given."""
    entry = (
        call_entries_for(actor)
        .select_for_update(of=("self",))
        .select_related("call_list", "person", "person__company", "company")
        .get(pk=entry_id)
    )
    if entry.status == CallEntryStatus.DONE or (
        entry.status == CallEntryStatus.OPEN and entry.reservation is None
    ):
        raise CallAlreadySaved(_("This call has already been saved, or the contact skipped."))
    if entry.status == CallEntryStatus.REMOVED:
        raise CallAlreadySaved(
            _("The contact has been taken off the list: %(reason)s")
            % {"reason": entry.get_reason_display()}
        )
    if str(entry.reservation) != str(reservation) or entry.reserved_by_id != actor.pk:
        raise CallAlreadySaved(
            _("%(name)s took over this contact after your reservation ran out.")
            % {"name": entry.reserved_by or _("A colleague")}
        )
    return entry


class CallAlreadySaved(ValidationError):
    """The call was saved already (a second click), or the contact went to a colleague."""


@transaction.atomic
def call_entry_skip(
    *, actor: User, entry_id: int, reservation: uuid.UUID | str | None, minutes: int = 60
) -> CallListEntry:
    """Skip or snooze: the contact goes back to the list, due again in ``minutes``."""
    entry = _held_entry(actor, entry_id, reservation)
    entry.due_at = timezone.now() + datetime.timedelta(minutes=max(minutes, 0))
    entry.reserved_by, entry.reserved_until, entry.reservation = None, None, None
    entry.save(update_fields=["due_at", "reserved_by", "reserved_until", "reservation"])
    return entry


@transaction.atomic
def call_entry_renew(
    *, actor: User, entry_id: int, reservation: uuid.UUID | str | None
) -> CallListEntry:
    """Keep the contact on screen reserved for another while: a long call does not hand him
    to a colleague. Refused (``CallAlreadySaved``) when the reservation has gone."""
    entry = _held_entry(actor, entry_id, reservation)
    entry.reserved_until = timezone.now() + RESERVATION
    entry.save(update_fields=["reserved_until"])
    return entry


# Outcomes that put the contact back on the list, to be tried again; the others end his turn.
_RETRIED = {CallOutcome.NOT_REACHED, CallOutcome.GATEKEEPER}


@dataclass(frozen=True)
class CallSaved:
    entry: CallListEntry
    call: Activity
    follow_up: Activity | None


def _future(field: str, value: Any, *, required: bool) -> datetime.datetime | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Please give the date and time.")})
        return None
    try:
        moment = clean_value(value)
    except ValidationError as exc:
        raise ValidationError({field: exc}) from exc
    if moment <= timezone.now():
        raise ValidationError({field: _("The date lies in the past.")})
    return moment


@transaction.atomic
def call_outcome_record(
    *,
    actor: User,
    entry_id: int,
    reservation: uuid.UUID | str | None,
    outcome: str,
    notes: str = "",
    callback_at: Any = None,
    appointment_at: Any = None,
    recontact_at: Any = None,
    competitor: str = "",
    guide_id: int | None = None,
    answers: Mapping[str, Any] | None = None,
) -> CallSaved:
    """Save a call from a list: the call on the timeline, the outcome's follow-up, the
    answers to the call guide's questions written where they belong, and the entry done,
    removed or due again. Saved once: a second save is refused; nothing is saved when one
    answer is wrong."""
    entry = _held_entry(actor, entry_id, reservation)
    answered = _guide_answers(actor, entry, guide_id, answers or {})
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("Please choose the outcome of the call.")})
    callback_at = _future("callback_at", callback_at, required=outcome == CallOutcome.CALLBACK)
    appointment_at = _future(
        "appointment_at", appointment_at, required=outcome == CallOutcome.APPOINTMENT
    )
    recontact_at = _future("recontact_at", recontact_at, required=False)
    competitor = competitor.strip()
    if outcome == CallOutcome.BOUGHT_ELSEWHERE and not competitor:
        raise ValidationError({"competitor": _("Which competitor did the customer buy from?")})
    if outcome == CallOutcome.DO_NOT_CALL and not can_record_consent(actor):
        raise ValidationError(
            {"outcome": _("Your role may not record an objection; please ask the inside service.")}
        )

    now = timezone.now()
    # The contact may have moved to another company since the list was put together.
    person = entry.person
    entry.company = person.company
    lines = [notes.strip()]
    if competitor:
        lines.insert(0, _("Bought from: %(competitor)s") % {"competitor": competitor})
    lines += [f"{question.text} {kind.show(value)}" for question, kind, value in answered]
    follow_up_at = {
        CallOutcome.CALLBACK: callback_at,
        CallOutcome.NO_NEED: recontact_at or now + RECONTACT_AFTER,
        CallOutcome.BOUGHT_ELSEWHERE: recontact_at or now + RECONTACT_AFTER,
        CallOutcome.SEND_INFORMATION: now + datetime.timedelta(days=1),
    }.get(outcome)
    call, follow_up = activity_log(
        actor=actor,
        company=person.company,
        data={
            "kind": ActivityType.CALL,
            "person": person,
            "subject": (_("Call: %(list)s") % {"list": entry.call_list.name})[:200],
            "notes": "\n".join(line for line in lines if line),
            "outcome": outcome,
            "occurred_at": now,
        },
        follow_up_at=follow_up_at,
    )
    if follow_up is not None and outcome == CallOutcome.SEND_INFORMATION:
        follow_up.subject = (_("Send information to %(person)s") % {"person": person})[:200]
        follow_up.save(update_fields=["subject"])
    if outcome == CallOutcome.APPOINTMENT:
        follow_up = _plan_visit(actor, person, call, appointment_at)
    if outcome == CallOutcome.DO_NOT_CALL:
        _record_objection(actor, entry)
    _write_answers(actor, entry, answered)

    entry.last_outcome, entry.last_called_at = outcome, now
    entry.reserved_by, entry.reserved_until, entry.reservation = None, None, None
    entry.reason = ""
    if outcome in _RETRIED:
        entry.attempts += 1
        if entry.attempts >= MAX_ATTEMPTS:
            entry.status = CallEntryStatus.REMOVED
            entry.reason = CallEntryReason.NOT_REACHED
        else:
            entry.due_at = now + RETRY_AFTER
    elif outcome == CallOutcome.DO_NOT_CALL:
        entry.status = CallEntryStatus.REMOVED
        entry.reason = CallEntryReason.OBJECTION
    else:
        entry.status = CallEntryStatus.DONE
    entry.save()
    events.emit(
        "call.recorded",
        actor=actor,
        instance=call,
        call_list_id=entry.call_list_id,
        entry_id=entry.pk,
        outcome=outcome,
    )
    return CallSaved(entry=entry, call=call, follow_up=follow_up)


def _plan_visit(
    actor: User, person: Person, call: Activity, appointment_at: datetime.datetime | None
) -> Activity:
    """Termin für den Außendienst: the visit as a task of the company's field rep (of the
    caller when the company has none), pointing back to the call."""
    field_rep = person.company.field_rep
    visit, _follow_up = activity_log(
        actor=actor,
        company=person.company,
        data={
            "kind": ActivityType.TASK,
            "person": person,
            "subject": (
                _("Visit %(person)s (appointment made by %(caller)s)")
                % {"person": person, "caller": actor}
            )[:200],
            "due_at": appointment_at,
            "assigned_to": field_rep if field_rep is not None and field_rep.is_active else actor,
        },
    )
    visit.follow_up_of = call
    visit.save(update_fields=["follow_up_of"])
    return visit


def _record_objection(actor: User, entry: CallListEntry) -> None:
    """Nicht mehr anrufen: the objection goes into the consent ledger, and the contact off
    every call list."""
    consent_record(
        actor=actor,
        person=entry.person,
        data={
            "channel": Channel.PHONE,
            "status": ConsentStatus.WITHDRAWN,
            "source": (_("Call list: %(list)s") % {"list": entry.call_list.name})[:200],
            "legal_basis": LegalBasis.LEGITIMATE_INTEREST,
        },
    )
    CallListEntry.objects.filter(person=entry.person, status=CallEntryStatus.OPEN).exclude(
        pk=entry.pk
    ).update(status=CallEntryStatus.REMOVED, reason=CallEntryReason.OBJECTION,
             reserved_by=None, reserved_until=None, reservation=None)  # fmt: skip


Answer = tuple[CallGuideQuestion, AnswerKind, Any]


def _guide_answers(
    actor: User, entry: CallListEntry, guide_id: int | None, answers: Mapping[str, Any]
) -> list[Answer]:
    """The answers checked, each by the field of its question's kind, before anything is
    written; the errors come back keyed ``answer_<question id>``, as the call screen names
    its fields."""
    given = {
        str(key): value.strip() if isinstance(value, str) else value
        for key, value in answers.items()
    }
    given = {key: value for key, value in given.items() if value not in (None, "")}
    if not given:
        return []
    campaign_id = entry.call_list.campaign_id
    guide = (
        CallGuide.objects.filter(pk=guide_id, campaign_id=campaign_id).first()
        if guide_id and campaign_id
        else None
    )
    if guide is None:
        raise ValidationError(
            {"answers": _("Answers need the call guide of the list’s campaign they answer.")}
        )
    questions = {str(question.pk): question for question in guide.questions.all()}
    errors: dict[str, list[str]] = {}
    checked: list[Answer] = []
    for key, raw in given.items():
        question = questions.get(key)
        if question is None:
            errors.setdefault("answers", []).append(
                _("Question %(key)s is not in this call guide.") % {"key": key}
            )
            continue
        kind = answer_kind(question.kind)
        if kind is None:
            errors.setdefault("answers", []).append(
                _("“%(question)s” asks for an answer this installation no longer knows.")
                % {"question": question.text}
            )
            continue
        field = kind.field(actor, entry.person)
        field.required = False
        try:
            value = field.clean(raw)
        except ValidationError as exc:
            errors[f"answer_{key}"] = exc.messages
            continue
        if value not in (None, ""):
            checked.append((question, kind, value))
    if errors:
        raise ValidationError(errors)
    return sorted(checked, key=lambda answer: answer[0].position)


def _write_answers(actor: User, entry: CallListEntry, answers: list[Answer]) -> None:
    """Each answer through its owner's service, so validated and audited; one refused answer
    undoes the whole call (the caller's transaction), and says which field it was. Answers
    the caller's role may not write back stay in the call's notes."""
    if not answers:
        return
    answered = Answered(
        actor=actor, person=entry.person, campaign_name=entry.call_list.campaign.name
    )
    for question, kind, value in answers:
        if kind.write is None or not kind.writes_for(actor):
            continue
        try:
            kind.write(answered, value)
        except ValidationError as exc:
            raise ValidationError({f"answer_{question.pk}": exc.messages}) from exc
        except PermissionDenied as exc:
            raise ValidationError({f"answer_{question.pk}": [str(exc)]}) from exc


MAX_QUESTIONS = 20


@transaction.atomic
def call_guide_save(
    *,
    actor: User,
    campaign: Campaign,
    data: Mapping[str, Any],
    questions: Sequence[Mapping[str, Any]],
) -> tuple[CallGuide, bool]:
    """Save the campaign's guide as its next version, unless nothing changed:
    ``(guide, created)``. ``questions`` in their order, each ``{"text", "kind"}``; blank rows
    are left out. Errors of a question are keyed ``questions-<index>-<field>``."""
    require_call_list_maker(actor)
    if not campaigns_for(actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("You may not see this campaign."))
    # Two planners saving at once would both write the next version number.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).exists()
    errors: dict[str, list[str]] = {}
    for name in set(data) - set(CallGuide.TEXTS):
        errors[name] = [_("This field cannot be set.")]
    texts = {name: str(data.get(name) or "").strip() for name in CallGuide.TEXTS}
    rows: list[tuple[str, str]] = []
    for index, question in enumerate(questions):
        text = str(question.get("text") or "").strip()
        kind = str(question.get("kind") or "")
        if not text and not kind:
            continue
        if not text:
            errors[f"questions-{index}-text"] = [_("Please write the question.")]
        elif len(text) > 300:
            errors[f"questions-{index}-text"] = [_("At most 300 characters.")]
        if answer_kind(kind) is None:
            errors[f"questions-{index}-kind"] = [_("Please choose what the answer is.")]
        rows.append((text, kind))
    if len(rows) > MAX_QUESTIONS:
        errors.setdefault("questions", []).append(
            _("At most %(count)s questions: a call is no questionnaire.") % {"count": MAX_QUESTIONS}
        )
    if errors:
        raise ValidationError(errors)
    if not any(texts.values()) and not rows:
        raise ValidationError(_("Write at least the goal of the call or one question."))
    current = call_guide_current(campaign.pk)
    if current is not None and _same_guide(current, texts, rows):
        return current, False
    guide = CallGuide(
        campaign=campaign,
        version=current.version + 1 if current else 1,
        created_by=actor,
        **texts,
    )
    guide.full_clean()
    guide.save()
    CallGuideQuestion.objects.bulk_create(
        CallGuideQuestion(guide=guide, position=position, text=text, kind=kind)
        for position, (text, kind) in enumerate(rows, start=1)
    )
    audit.record_create(actor=actor, instance=guide)
    events.emit("call_guide.saved", actor=actor, instance=guide, campaign_id=campaign.pk)
    return guide, True


def _same_guide(guide: CallGuide, texts: Mapping[str, str], rows: list[tuple[str, str]]) -> bool:
    return (
        all(getattr(guide, name) == value for name, value in texts.items())
        and [(question.text, question.kind) for question in guide.questions.all()] == rows
    )


@transaction.atomic
def reachability_rates_refresh() -> int:
    """The industries' reachability rates from the last year's calls, replaced as a whole
    (every night); returns how many slots have calls."""
    rates = reachability_rates_computed()
    ReachabilityRate.objects.all().delete()
    ReachabilityRate.objects.bulk_create(rates)
    return len(rates)
