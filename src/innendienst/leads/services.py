"""Writes of leads: capture, move through the stages (hand over, accept, reject, convert,
disqualify), and stop the SLA clock when somebody contacted the lead."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import SYSTEM_USERNAME_PREFIX, User
from innendienst.activities.guide import Answered
from innendienst.activities.models import Activity, ActivityType, CallList, CallOutcome
from innendienst.activities.selectors import callable_among
from innendienst.activities.services import activity_log, call_list_create
from innendienst.contacts.models import BuyingCenterRole, Company, Person, Priority
from innendienst.contacts.selectors import companies_for, people_for, roles_of
from innendienst.contacts.services import buying_center_set_roles
from innendienst.core import audit, concurrency, events
from innendienst.core.inputs import apply_changes, clean_value
from innendienst.leads import scoring
from innendienst.leads.access import (
    SALES,
    can_answer_handover,
    can_work_leads,
    is_lead_manager,
)
from innendienst.leads.calendar import calendar_of
from innendienst.leads.defaults import DEFINITIONS, SLA_HOURS
from innendienst.leads.distribution import Distributor, month_start
from innendienst.leads.models import (
    Lead,
    LeadCapacity,
    LeadEngagement,
    LeadSource,
    LeadStage,
    LeadStageChange,
    SlaKind,
    SlaRule,
    StageDefinition,
    StageReason,
)
from innendienst.leads.selectors import leads_for

CAPTURE_FIELDS = (
    "person",
    "person_id",
    "source",
    "source_name",
    "interests",
    "need",
    "timing",
    "budget",
    "currency",
    "priority",
    "notes",
)
# Where a lead may go from each stage. Sales answers a handover by accepting or rejecting
# it (rejected leads go back to marketing: recycled); closed leads stay closed.
TRANSITIONS: dict[str, frozenset[str]] = {
    LeadStage.QL: frozenset({LeadStage.MQL, LeadStage.SQL, LeadStage.DISQUALIFIED}),
    LeadStage.MQL: frozenset({LeadStage.QL, LeadStage.SQL, LeadStage.DISQUALIFIED}),
    LeadStage.SQL: frozenset({LeadStage.ACCEPTED, LeadStage.RECYCLED}),
    LeadStage.ACCEPTED: frozenset(
        {LeadStage.CONVERTED, LeadStage.RECYCLED, LeadStage.DISQUALIFIED}
    ),
    LeadStage.RECYCLED: frozenset({LeadStage.MQL, LeadStage.SQL, LeadStage.DISQUALIFIED}),
    LeadStage.CONVERTED: frozenset(),
    LeadStage.DISQUALIFIED: frozenset(),
}
CAPTURE_STAGES = frozenset({LeadStage.QL, LeadStage.MQL, LeadStage.SQL})
NEEDS_REASON = frozenset({LeadStage.RECYCLED, LeadStage.DISQUALIFIED})
# What each stage waits for: the inside rep or marketing contacts a new lead, sales accepts
# a handed-over one, and then contacts the customer.
WAITS_FOR = {
    LeadStage.QL: SlaKind.FIRST_CONTACT,
    LeadStage.MQL: SlaKind.FIRST_CONTACT,
    LeadStage.RECYCLED: SlaKind.FIRST_CONTACT,
    LeadStage.SQL: SlaKind.ACCEPTANCE,
    LeadStage.ACCEPTED: SlaKind.FIRST_CONTACT,
}


def require_lead_worker(actor: User) -> None:
    if not can_work_leads(actor):
        raise PermissionDenied(_("Your role may not work leads."))


def sla_hours(stage: str, source: str) -> int | None:
    """The agreed business hours of a stage for a source: the rule for the source, else the
    rule for every source; the defaults where no rule was written."""
    written = {
        rule.source: rule.hours
        for rule in SlaRule.objects.filter(stage=stage, source__in=[source, ""])
    }
    for key in (source, ""):
        if key in written:
            return written[key]
    return SLA_HOURS.get((stage, source)) or SLA_HOURS.get((stage, ""))


def _start_clock(lead: Lead, now: datetime.datetime) -> None:
    """The SLA clock of the lead's new stage, in the business hours of its territory."""
    lead.sla_kind, lead.sla_due_at, lead.sla_met_at, lead.sla_alert = "", None, None, ""
    kind = WAITS_FOR.get(lead.stage)
    hours = sla_hours(lead.stage, lead.source) if kind else None
    if not hours:
        return
    lead.sla_kind = kind
    lead.sla_due_at = calendar_of(lead.company.territory).add_hours(now, hours)


def _validate_owner(
    lead: Lead, owner: User | None, field: str = "owner", *, handover: bool = False
) -> None:
    """``owner`` may take the lead: a person (not a system account such as the web form's),
    works leads, sees the company, is here and has capacity left this month; a handed-over
    lead (``handover``) goes to sales only."""
    if owner is None:
        return
    if owner.username.startswith(SYSTEM_USERNAME_PREFIX):
        raise ValidationError(
            {field: _("A system account cannot take leads: please choose a person.")},
            code="system_account",
        )
    if not owner.is_active or not can_work_leads(owner):
        raise ValidationError({field: _("This user cannot take leads.")}, code="inactive")
    if handover and owner.role not in SALES:
        raise ValidationError(
            {field: _("A lead is handed over to field sales or a key-account manager.")},
            code="not_sales",
        )
    if not companies_for(owner).filter(pk=lead.company_id).exists():
        raise ValidationError(
            {field: _("%(user)s may not see this company.") % {"user": owner}},
            code="out_of_scope",
        )
    capacity = LeadCapacity.objects.filter(user=owner).first()
    if capacity is None:
        return
    today = timezone.localdate()
    if capacity.away_on(today):
        raise ValidationError(
            {field: _("%(user)s is away until %(until)s.")
             % {"user": owner, "until": date_format(capacity.away_until or capacity.away_from)}},
            code="away",
        )  # fmt: skip
    taken = Lead.objects.filter(owner=owner, assigned_at__gte=month_start(today)).count()
    if taken >= capacity.per_month:
        raise ValidationError(
            {field: _("%(user)s has no capacity left this month (%(taken)s of %(capacity)s "
                      "leads).") % {"user": owner, "taken": taken, "capacity": capacity.per_month}},
            code="no_capacity",
        )  # fmt: skip


def _may_take(lead: Lead, user: User) -> bool:
    """May work leads and sees the company; capacity aside."""
    return (
        user.is_active
        and can_work_leads(user)
        and companies_for(user).filter(pk=lead.company_id).exists()
    )


def _assign(lead: Lead, owner: User | None, reason: str, now: datetime.datetime) -> None:
    lead.owner, lead.assignment_reason, lead.assigned_at = owner, reason[:300], now


def _validate(actor: User, lead: Lead) -> None:
    errors: dict[str, list[ValidationError]] = {}
    try:
        # A capture id taken meanwhile is a resend that lost the race, answered with the
        # first lead when saving, not a field error.
        lead.full_clean(
            exclude=[
                "company", "created_by", "owner", "stage_changed_at", "touched_at", "capture_id"
            ]
        )  # fmt: skip
    except ValidationError as exc:
        errors = exc.error_dict
    if lead.person_id:
        # A contact the actor may not see is answered like one that does not exist.
        company_of_person = (
            people_for(actor).filter(pk=lead.person_id).values_list("company_id", flat=True)
        ).first()
        if company_of_person is None:
            errors.setdefault("person", []).append(
                ValidationError(
                    _("There is no such record, or you may not see it."), code="does_not_exist"
                )
            )
        elif company_of_person != lead.company_id:
            errors.setdefault("person", []).append(
                ValidationError(_("Please choose a contact of this company."), code="invalid")
            )
    if lead.source == LeadSource.TRADE_FAIR and not lead.source_name:
        errors.setdefault("source_name", []).append(
            ValidationError(_("Please name the trade fair."), code="required")
        )
    if errors:
        raise ValidationError(errors)


def _record_stage(
    actor: User | None, lead: Lead, from_stage: str, reason: str = "", note: str = ""
) -> LeadStageChange:
    return LeadStageChange.objects.create(
        lead=lead,
        from_stage=from_stage,
        to_stage=lead.stage,
        reason=reason,
        note=note,
        actor=actor,
        owner=lead.owner,
        at=lead.stage_changed_at,
        sla_kind=lead.sla_kind,
        sla_due_at=lead.sla_due_at,
    )


def _event_data(lead: Lead) -> dict[str, Any]:
    return {
        "company_id": lead.company_id,
        "person_id": lead.person_id,
        "stage": str(lead.stage),
        "source": str(lead.source),
        "owner_id": lead.owner_id,
    }


def earlier_capture(actor: User, capture_id: uuid.UUID | None) -> Lead | None:
    """The lead the actor's capture with this id made already (a booth tablet resending, an
    API client retrying), also when he no longer sees it (it went to a rep of another
    territory): a resend is never a second lead. A capture id that somebody else used is
    an error at the field."""
    if capture_id is None:
        return None
    earlier = Lead.objects.filter(capture_id=capture_id).first()
    if earlier is not None and earlier.created_by_id != actor.pk:
        raise ValidationError(
            {"capture_id": _("This capture id is taken.")}, code="capture_id_taken"
        )
    return earlier


@transaction.atomic
def lead_capture(
    *,
    actor: User,
    company: Company,
    data: Mapping[str, Any],
    stage: str = LeadStage.QL,
    owner: User | None = None,
    capture_id: uuid.UUID | None = None,
) -> tuple[Lead, bool]:
    """Record a lead at a company the actor sees; it lands at once in a rep's queue: ``owner``
    if given, the company's field rep for a lead captured as SQL, else whom the distribution
    rules choose. With a ``capture_id`` already used, the lead of the first capture is returned
    and nothing is written: ``(lead, created)``."""
    require_lead_worker(actor)
    if not companies_for(actor).filter(pk=company.pk).exists():
        raise PermissionDenied(_("You may not add leads to this company."))
    earlier = earlier_capture(actor, capture_id)
    if earlier is not None:
        return earlier, False
    return capture_at(
        actor=actor, company=company, data=data, stage=stage, owner=owner, capture_id=capture_id
    )


def capture_at(
    *,
    actor: User,
    company: Company,
    data: Mapping[str, Any],
    stage: str = LeadStage.QL,
    owner: User | None = None,
    capture_id: uuid.UUID | None = None,
    captor_keeps: bool = True,
) -> tuple[Lead, bool]:
    """The capture itself, shared by every path (the company's page, the API, quick entry,
    booth and web form): the caller has checked that the actor works leads and sees the
    company. ``captor_keeps``: whom no rule and no inside rep takes stays with the actor; a
    system actor (the web form) keeps nothing, the lead then waits unassigned for a manager.
    Runs inside the caller's transaction."""
    if stage not in CAPTURE_STAGES:
        raise ValidationError({"stage": _("A new lead starts as QL, MQL or SQL.")}, code="invalid")
    now = timezone.now()
    lead = Lead(
        company=company,
        created_by=actor,
        stage=stage,
        stage_changed_at=now,
        touched_at=now,
        capture_id=capture_id,
    )
    apply_changes(lead, data, CAPTURE_FIELDS)
    _validate(actor, lead)
    if owner is not None:
        _validate_owner(lead, owner, handover=stage == LeadStage.SQL)
        _assign(lead, owner, _("Chosen by %(actor)s when capturing.") % {"actor": actor}, now)
    elif stage == LeadStage.SQL:
        # Handed over at once: to the company's field rep, who must be able to take it.
        if company.field_rep is None:
            raise ValidationError(
                {"stage": _("The company has no field rep: capture the lead as MQL and hand it "
                            "over to the rep you choose.")},
                code="no_field_rep",
            )  # fmt: skip
        try:
            _validate_owner(lead, company.field_rep, handover=True)
        except ValidationError as exc:
            reason = " ".join(exc.messages)
            raise ValidationError(
                {"stage": _("%(reason)s Capture the lead as MQL and hand it over to another "
                            "rep.") % {"reason": reason}},
                code="field_rep_unavailable",
            ) from exc  # fmt: skip
        _assign(lead, company.field_rep, _("Handed to the company's field rep."), now)
    else:
        assignment = Distributor().assign(lead)
        if assignment.owner is not None:
            _assign(lead, assignment.owner, assignment.reason, now)
        elif captor_keeps:
            reason = _("%(why)s %(actor)s, who captured it, keeps it.")
            _assign(lead, actor, reason % {"why": assignment.reason, "actor": actor}, now)
        else:
            reason = _("%(why)s It waits for a sales manager to assign it.")
            lead.assignment_reason = (reason % {"why": assignment.reason})[:300]
    _start_clock(lead, now)
    try:
        with transaction.atomic():
            lead.save()
    except IntegrityError as exc:
        # The same capture arriving twice at the same moment: the other one won.
        if capture_id is None:
            raise
        earlier = earlier_capture(actor, capture_id)
        if earlier is None:
            raise ValidationError(
                {"capture_id": _("This capture id is taken.")}, code="capture_id_taken"
            ) from exc
        return earlier, False
    scoring.rescore([lead], now)
    _record_stage(actor, lead, "")
    audit.record_create(actor=actor, instance=lead)
    events.emit("lead.captured", actor=actor, instance=lead, **_event_data(lead))
    return lead, True


def _clean_note(note: str) -> str:
    try:
        note = clean_value(note or "")
    except ValidationError as exc:
        raise ValidationError({"note": exc}) from exc
    if len(note) > 500:
        raise ValidationError({"note": _("Please write at most 500 characters.")})
    return note


def _check_move(actor: User, lead: Lead, to_stage: str, reason: str) -> None:
    if to_stage not in TRANSITIONS:
        raise ValidationError({"stage": _("There is no such stage.")}, code="invalid_choice")
    if to_stage not in TRANSITIONS[lead.stage]:
        raise ValidationError(
            {
                "stage": _("A lead in stage “%(from)s” cannot move to “%(to)s”.")
                % {"from": lead.get_stage_display(), "to": LeadStage(to_stage).label}
            },
            code="not_allowed",
        )
    answering = lead.stage == LeadStage.SQL
    if answering and not can_answer_handover(actor, lead):
        raise PermissionDenied(
            _("Only %(owner)s or a sales manager may accept or reject this lead.")
            % {"owner": lead.owner or _("the responsible rep")}
        )
    if to_stage in NEEDS_REASON and reason not in StageReason.values:
        raise ValidationError({"reason": _("Please give the reason.")}, code="required")


@transaction.atomic
def lead_move(
    *,
    actor: User,
    lead: Lead,
    to_stage: str,
    reason: str = "",
    note: str = "",
    owner: User | None = None,
    expected_version: frozenset[int] | None = None,
) -> Lead:
    """Move the lead to another stage. Handing it over (to SQL) gives it to ``owner``, by
    default the company's field rep, who must accept or reject it within the SLA; a
    rejection sends it back to marketing (recycled) with its reason."""
    require_lead_worker(actor)
    if not leads_for(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied(_("You may not change this lead."))
    lead = Lead.objects.select_for_update().select_related("company__territory").get(pk=lead.pk)
    concurrency.check_version(lead, expected_version)
    note = _clean_note(note)
    _check_move(actor, lead, to_stage, reason)
    before = audit.snapshot(lead)
    now = timezone.now()
    from_stage = lead.stage
    # Between QL and MQL the lead still waits for the same first contact: its deadline goes
    # along, so that moving it back and forth restarts nothing.
    carried = {from_stage, to_stage} <= {LeadStage.QL, LeadStage.MQL} and lead.waiting
    carried_clock = (lead.sla_kind, lead.sla_due_at, lead.sla_alert)
    if carried:
        # The clock moves to the new stage's entry: counted once, where it ends.
        LeadStageChange.objects.filter(
            lead=lead, to_stage=lead.stage, at=lead.stage_changed_at
        ).update(sla_kind="", sla_due_at=None)
    elif lead.waiting:
        # Answering a handover, or moving a lead on, is the reaction its clock waited for.
        _meet_clock(lead, now)
    if to_stage == LeadStage.SQL:
        owner = owner or lead.company.field_rep
        if owner is None:
            raise ValidationError(
                {"owner": _("The company has no field rep: please choose who takes the lead.")},
                code="required",
            )
    elif to_stage == LeadStage.RECYCLED and owner is None:
        # Back to marketing's nurturing: the inside rep of the company (or who captured it)
        # follows it up. A rejection is never held up by their capacity: they had the lead.
        owner = next(
            (
                candidate
                for candidate in (lead.company.inside_rep, lead.created_by)
                if candidate is not None and _may_take(lead, candidate)
            ),
            None,
        )
    if to_stage == LeadStage.SQL:
        # Also when it is the rep who has it: a lead is not handed over to oneself.
        _validate_owner(lead, owner, handover=True)
    if owner is not None and owner.pk != lead.owner_id:
        if to_stage not in (LeadStage.RECYCLED, LeadStage.SQL):
            _validate_owner(lead, owner)
        elif not _may_take(lead, owner):
            _validate_owner(lead, owner)  # says why, at the field
        why = {
            LeadStage.SQL: _("Handed over to sales by %(actor)s."),
            LeadStage.RECYCLED: _("Back to marketing: %(actor)s rejected it."),
        }.get(to_stage, _("Passed on by %(actor)s."))
        _assign(lead, owner, why % {"actor": actor}, now)
    lead.stage = to_stage
    lead.reason = reason if to_stage in NEEDS_REASON else ""
    lead.stage_changed_at = lead.touched_at = now
    _start_clock(lead, now)
    if carried:
        lead.sla_kind, lead.sla_due_at, lead.sla_alert = carried_clock
    concurrency.bump(lead)
    lead.save()
    scoring.rescore([lead], now)
    _record_stage(actor, lead, from_stage, lead.reason, note)
    audit.record_update(actor=actor, instance=lead, before=before)
    events.emit(
        "lead.stage_changed",
        actor=actor,
        instance=lead,
        from_stage=str(from_stage),
        reason=str(lead.reason),
        **_event_data(lead),
    )
    return lead


def _meet_clock(lead: Lead, at: datetime.datetime) -> None:
    lead.sla_met_at = at
    LeadStageChange.objects.filter(
        lead=lead, to_stage=lead.stage, at=lead.stage_changed_at, sla_met_at__isnull=True
    ).update(sla_met_at=at)


@transaction.atomic
def leads_contacted(*, company_id: int, at: datetime.datetime) -> int:
    """A call, visit, e-mail or meeting at the company: the open leads there that waited for
    their first contact have it (the team works the customer together, so it counts whoever
    made it). Returns how many clocks stopped."""
    waiting = Lead.objects.select_for_update().filter(
        company_id=company_id,
        sla_kind=SlaKind.FIRST_CONTACT,
        sla_met_at__isnull=True,
        stage_changed_at__lte=at,
    )
    stopped = 0
    for lead in waiting:
        _meet_clock(lead, at)
        lead.touched_at = max(lead.touched_at, at)
        lead.save(update_fields=["sla_met_at", "touched_at", "updated_at"])
        stopped += 1
    # A contact raises the engagement of every open lead there, waiting or not.
    scoring.contacted_companies([company_id])
    return stopped


@transaction.atomic
def stage_definitions_update(*, actor: User, texts: Mapping[str, str]) -> None:
    """The written definitions of the stages, as the sales manager words them."""
    if not is_lead_manager(actor):
        raise PermissionDenied(_("Only a sales manager may change the stage definitions."))
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for stage in LeadStage:
        try:
            text = clean_value(texts.get(stage.value, "") or "")
        except ValidationError as exc:
            errors[stage.value] = exc.messages[0]
            continue
        if not text:
            errors[stage.value] = _("Please write down what this stage means.")
        elif len(text) > 2000:
            errors[stage.value] = _("Please write at most 2,000 characters.")
        cleaned[stage.value] = text
    if errors:
        raise ValidationError(errors)
    existing = {row.stage: row for row in StageDefinition.objects.select_for_update()}
    for stage, text in cleaned.items():
        row = existing.get(stage)
        if row is None and text == str(DEFINITIONS[stage]):
            continue  # the default, as shown: nothing was written down
        if row is None:
            row = StageDefinition.objects.create(stage=stage, definition=text)
            audit.record_create(actor=actor, instance=row)
        elif row.definition != text:
            before = audit.snapshot(row)
            row.definition = text
            row.save()
            audit.record_update(actor=actor, instance=row, before=before)


@transaction.atomic
def lead_assign(
    *,
    actor: User,
    lead: Lead,
    owner: User,
    note: str = "",
    expected_version: frozenset[int] | None = None,
) -> Lead:
    """Give the lead to another rep by hand; refused for a rep who is away, has no capacity
    left this month or may not see the company."""
    require_lead_worker(actor)
    if not leads_for(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied(_("You may not change this lead."))
    lead = Lead.objects.select_for_update().select_related("company").get(pk=lead.pk)
    concurrency.check_version(lead, expected_version)
    if not lead.is_open:
        raise ValidationError({"owner": _("This lead is closed.")}, code="closed")
    if lead.stage == LeadStage.SQL and not can_answer_handover(actor, lead):
        raise PermissionDenied(
            _("Only %(owner)s or a sales manager may pass on a lead handed to him.")
            % {"owner": lead.owner or _("the responsible rep")}
        )
    note = _clean_note(note)
    if owner.pk == lead.owner_id:
        return lead
    _validate_owner(lead, owner, handover=lead.stage == LeadStage.SQL)
    before = audit.snapshot(lead)
    why = _("Assigned by %(actor)s.") % {"actor": actor}
    _assign(lead, owner, f"{why} {note}".strip(), timezone.now())
    concurrency.bump(lead)
    lead.save()
    audit.record_update(actor=actor, instance=lead, before=before)
    events.emit("lead.assigned", actor=actor, instance=lead, **_event_data(lead))
    return lead


@transaction.atomic
def lead_engage(
    *,
    actor: User,
    lead: Lead,
    points: int,
    label: str,
    occurred_at: datetime.datetime | None = None,
) -> LeadEngagement:
    """Count something the contact did (a newsletter click, a webinar) into the lead's score;
    an automation rule writes it in the name of the user it runs as."""
    require_lead_worker(actor)
    if not leads_for(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied(_("You may not change this lead."))
    engagement = LeadEngagement(
        lead=lead,
        points=points,
        label=(label or "").strip()[:200],
        occurred_at=occurred_at or timezone.now(),
        actor=actor,
    )
    engagement.full_clean(exclude=["lead", "actor"])
    engagement.save()
    scoring.rescore(Lead.objects.filter(pk=lead.pk).select_related("company"))
    audit.record_note(
        actor=actor,
        instance=lead,
        field="engagement",
        new_value=f"{engagement.label} {engagement.points:+d}",
    )
    events.emit(
        "lead.engaged",
        actor=actor,
        instance=lead,
        points=engagement.points,
        label=engagement.label,
        **_event_data(lead),
    )
    return engagement


# --- Messe-Nachfassgespräch: the follow-up call after a trade fair ----------------------------


class FollowUpInterest(models.TextChoices):
    """How concrete the interest is that the follow-up call found. Not stored on the lead (it
    is written into the call and steers stage and priority), so it lives with the service."""

    CONCRETE = "concrete", gettext_lazy("concrete need")
    GENERAL = "general", gettext_lazy("general interest")
    INFORMATION = "information", gettext_lazy("only wants information")
    NONE = "none", gettext_lazy("no interest")


# The stages in which inside sales follows a lead up: a lead handed over (SQL) waits for the
# answer of sales first; accepted leads are sales' and may still be called.
FOLLOW_UP_STAGES = frozenset({LeadStage.QL, LeadStage.MQL, LeadStage.RECYCLED, LeadStage.ACCEPTED})
# Outcomes after which the rep has talked with somebody who can say how concrete the interest
# is: then he must say it.
TALKED_OUTCOMES = frozenset(
    {
        CallOutcome.REACHED,
        CallOutcome.NO_NEED,
        CallOutcome.BOUGHT_ELSEWHERE,
        CallOutcome.APPOINTMENT,
        CallOutcome.SEND_INFORMATION,
    }
)
FOLLOW_UP_PRIORITY = {
    FollowUpInterest.CONCRETE: Priority.A,
    FollowUpInterest.GENERAL: Priority.B,
    FollowUpInterest.INFORMATION: Priority.C,
}
# At most this many key contacts in one call; more is data entry, not a call.
MAX_KEY_CONTACTS = 10
FOLLOW_UP_TEXT_LIMIT = 2000


@dataclass
class FollowUp:
    """What one follow-up call wrote."""

    lead: Lead
    call: Activity
    tasks: list[Activity] = field(default_factory=list)
    # person id → the roles he holds now at the lead's company
    roles: dict[int, set[str]] = field(default_factory=dict)


def _follow_up_text(
    data: Mapping[str, Any], name: str, errors: dict[str, list[ValidationError]]
) -> str:
    try:
        text = clean_value(data.get(name) or "")
    except ValidationError as exc:
        errors.setdefault(name, []).extend(exc.error_list)
        return ""
    if not isinstance(text, str):
        errors.setdefault(name, []).append(ValidationError(_("Please enter text."), code="invalid"))
        return ""
    if len(text) > FOLLOW_UP_TEXT_LIMIT:
        errors.setdefault(name, []).append(
            ValidationError(_("Please write at most 2,000 characters."), code="max_length")
        )
    return text


def _lead_field(
    lead: Lead, data: Mapping[str, Any], name: str, errors: dict[str, list[ValidationError]]
) -> Any:
    """The lead's own rule for one of its fields (length, characters)."""
    if name not in data:
        return getattr(lead, name)
    try:
        return Lead._meta.get_field(name).clean(clean_value(data[name] or ""), lead)
    except ValidationError as exc:
        errors.setdefault(name, []).extend(exc.error_list)
        return getattr(lead, name)


def _key_contacts(
    actor: User, lead: Lead, rows: Any, errors: dict[str, list[ValidationError]]
) -> dict[Person, set[str]]:
    """The key contacts named in the call: people of the lead's company the actor sees, each
    with a buying-center role. Errors name the row: ``key_contacts.<n>.person``/``.role``."""
    if not rows:
        return {}
    if not isinstance(rows, Sequence) or isinstance(rows, str) or len(rows) > MAX_KEY_CONTACTS:
        errors.setdefault("key_contacts", []).append(
            ValidationError(
                _("Please name at most %(count)s key contacts.") % {"count": MAX_KEY_CONTACTS},
                code="invalid",
            )
        )
        return {}
    wanted: list[tuple[int, Any, str]] = []
    for index, row in enumerate(rows):
        row = row if isinstance(row, Mapping) else {}
        person_id, role = row.get("person_id"), row.get("role") or ""
        if person_id in (None, "") and not role:
            continue  # an empty row of the form
        prefix = f"key_contacts.{index}"
        if person_id in (None, ""):
            errors.setdefault(f"{prefix}.person", []).append(
                ValidationError(_("Please choose the contact for this role."), code="required")
            )
        if not role:
            errors.setdefault(f"{prefix}.role", []).append(
                ValidationError(_("Please choose the role of this contact."), code="required")
            )
        elif role not in BuyingCenterRole.values:
            errors.setdefault(f"{prefix}.role", []).append(
                ValidationError(_("There is no such buying-center role."), code="invalid_choice")
            )
        if person_id not in (None, ""):
            wanted.append((index, person_id, role))
    ids = {person_id for _index, person_id, _role in wanted if str(person_id).isdigit()}
    people = {
        person.pk: person
        for person in people_for(actor).filter(company_id=lead.company_id, pk__in=ids)
    }
    chosen: dict[Person, set[str]] = {}
    for index, person_id, role in wanted:
        person = people.get(int(person_id)) if str(person_id).isdigit() else None
        if person is None:
            # Another company's contact, or one the actor may not see: the same answer.
            errors.setdefault(f"key_contacts.{index}.person", []).append(
                ValidationError(_("Please choose a contact of this company."), code="invalid")
            )
        elif role in BuyingCenterRole.values:
            chosen.setdefault(person, set()).add(role)
    if chosen and not can_edit_master_data(actor):
        # Buying-center roles are master data (contacts.services says who keeps them).
        raise PermissionDenied(_("Your role may not change master data."))
    return chosen


def _visit_rep(lead: Lead, handover: bool) -> User | None:
    """Who visits: the company's field rep; for a lead sales has already accepted, the rep who
    has it."""
    if lead.company.field_rep is not None:
        return lead.company.field_rep
    if not handover and lead.stage == LeadStage.ACCEPTED and lead.owner is not None:
        return lead.owner
    return None


def _check_visit(
    lead: Lead,
    visit_on: Any,
    *,
    interest: str,
    outcome: str,
    handover: bool,
    errors: dict[str, list[ValidationError]],
) -> User | None:
    """The visit date and the rep who goes there; errors at ``visit_on``."""

    def error(message: str, code: str) -> None:
        errors.setdefault("visit_on", []).append(ValidationError(message, code=code))

    if visit_on in (None, ""):
        if outcome == CallOutcome.APPOINTMENT:
            error(_("Please enter the day the field rep may visit."), "required")
        return None
    if isinstance(visit_on, datetime.datetime) or not isinstance(visit_on, datetime.date):
        error(_("Please enter a valid date."), "invalid")
        return None
    try:
        clean_value(visit_on)
    except ValidationError as exc:
        errors.setdefault("visit_on", []).extend(exc.error_list)
        return None
    if outcome in CallOutcome.values and outcome not in TALKED_OUTCOMES:
        error(_("Nobody was reached: a visit cannot have been agreed."), "not_reached")
        return None
    if interest == FollowUpInterest.NONE:
        error(_("Without interest field sales does not visit."), "no_interest")
        return None
    if visit_on < timezone.localdate():
        error(_("This day lies in the past."), "past")
        return None
    if not calendar_of(lead.company.territory).is_working_day(visit_on):
        error(_("This is not a working day in the company's region."), "holiday")
        return None
    rep = _visit_rep(lead, handover)
    if rep is None:
        error(
            _("The company has no field rep: please enter one at the company first."),
            "no_field_rep",
        )
        return None
    try:
        if handover:
            # The visit hands the lead over: the rep must be able to take it now.
            _validate_owner(lead, rep, "visit_on", handover=True)
        elif not _may_take(lead, rep):
            _validate_owner(lead, rep, "visit_on")  # says why, at the field
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            errors.setdefault(name, []).extend(field_errors)
        return None
    return rep


def _follow_up_notes(
    *,
    interest: str,
    information: str,
    roles: Mapping[Person, set[str]],
    visit_on: datetime.date | None,
    note: str,
) -> str:
    """The call's notes: what was found out, in the words of the form, for the timeline."""
    lines = []
    if interest:
        lines.append(_("Interest: %(interest)s") % {"interest": FollowUpInterest(interest).label})
    if information:
        lines.append(_("Information needed: %(text)s") % {"text": information})
    if roles:
        named = "; ".join(
            f"{person.full_name} ({', '.join(str(BuyingCenterRole(r).label) for r in sorted(rs))})"
            for person, rs in roles.items()
        )
        lines.append(_("Key contacts: %(people)s") % {"people": named})
    if visit_on:
        lines.append(_("Field sales may visit on %(day)s.") % {"day": date_format(visit_on)})
    if note:
        lines.append(note)
    return "\n".join(lines)


@transaction.atomic
def lead_follow_up(*, actor: User, lead: Lead, data: Mapping[str, Any]) -> FollowUp:
    """Messe-Nachfassgespräch: record the follow-up call of a lead (every fair lead is called
    after the fair) — how concrete the interest is, what information the customer needs, who
    the key contacts are and when field sales may visit.

    ``data``: ``outcome`` (CallOutcome), ``person_id`` (who was spoken to; default the lead's
    contact), ``interest`` (FollowUpInterest; required when somebody was reached), ``need``,
    ``timing``, ``information``, ``send_material`` (plan a task for the actor to send it),
    ``key_contacts`` (``[{"person_id", "role"}]``, roles added to the buying center),
    ``visit_on`` (date; a task for the field rep), ``note``.

    Everything or nothing: the call is logged (its ``activity.logged`` gives the lead its first
    contact), the lead's need, timing and priority follow the interest, a concrete interest
    with a visit day hands the lead over to the field rep (SQL), no interest disqualifies it,
    a concrete interest without a visit day makes it marketing-qualified."""
    require_lead_worker(actor)
    if not leads_for(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied(_("You may not change this lead."))
    lead = (
        # Only the lead's row: PostgreSQL locks no row of an outer join (a company without a
        # field rep, a lead without an owner).
        Lead.objects.select_for_update(of=("self",))
        .select_related("company__territory", "company__field_rep", "owner")
        .get(pk=lead.pk)
    )
    if lead.stage not in FOLLOW_UP_STAGES:
        raise ValidationError(
            _("A lead in stage “%(stage)s” is not followed up by phone.")
            % {"stage": lead.get_stage_display()},
            code="not_followable",
        )
    errors: dict[str, list[ValidationError]] = {}

    def error(name: str, message: str, code: str) -> None:
        errors.setdefault(name, []).append(ValidationError(message, code=code))

    outcome = data.get("outcome") or ""
    if not outcome:
        error("outcome", _("Please choose the outcome of the call."), "required")
    elif outcome not in CallOutcome.values:
        error("outcome", _("There is no such outcome."), "invalid_choice")
    interest = data.get("interest") or ""
    if interest and interest not in FollowUpInterest.values:
        error("interest", _("There is no such choice."), "invalid_choice")
        interest = ""
    elif outcome in TALKED_OUTCOMES and not interest:
        error("interest", _("Please say how concrete the interest is."), "required")
    elif interest and outcome in (CallOutcome.NOT_REACHED, CallOutcome.GATEKEEPER):
        error("interest", _("Nobody was reached: the interest cannot be known."), "not_reached")
        interest = ""
    elif interest == FollowUpInterest.CONCRETE and outcome == CallOutcome.NO_NEED:
        error("interest", _("The outcome says there is no need."), "contradiction")
    person_id = data.get("person_id", lead.person_id)
    person = None
    if person_id not in (None, ""):
        person = (
            people_for(actor).filter(company_id=lead.company_id, pk=person_id).first()
            if str(person_id).isdigit()
            else None
        )
        if person is None:
            error("person", _("Please choose a contact of this company."), "invalid")
    need = _lead_field(lead, data, "need", errors)
    timing = _lead_field(lead, data, "timing", errors)
    information = _follow_up_text(data, "information", errors)
    note = _follow_up_text(data, "note", errors)
    send_material = bool(data.get("send_material"))
    if send_material and not information:
        error("information", _("Please say which material to send."), "required")
    roles = _key_contacts(actor, lead, data.get("key_contacts"), errors)
    # A visit day for a concrete need is the handover to field sales (MQL → SQL).
    handover = interest == FollowUpInterest.CONCRETE and LeadStage.SQL in TRANSITIONS[lead.stage]
    visit_on = data.get("visit_on")
    rep = _check_visit(
        lead, visit_on, interest=interest, outcome=outcome, handover=handover, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    visit_on = visit_on or None
    now = timezone.now()

    # 1. What the call found out about the lead.
    before = audit.snapshot(lead)
    lead.need, lead.timing = need, timing
    lead.priority = FOLLOW_UP_PRIORITY.get(interest, lead.priority)
    lead.touched_at = now
    if audit.snapshot(lead) != before:
        concurrency.bump(lead)
        lead.save()
        audit.record_update(actor=actor, instance=lead, before=before)
    else:
        lead.save(update_fields=["touched_at", "updated_at"])

    # 2. Its stage. Moved before the call is logged, so that the call (later) is the first
    # contact of the new stage's clock where one still runs (QL → MQL carries it).
    subject = (
        _("Trade-fair follow-up call: %(fair)s") % {"fair": lead.source_name}
        if lead.source == LeadSource.TRADE_FAIR and lead.source_name
        else _("Follow-up call")
    )[:200]
    if interest == FollowUpInterest.NONE:
        reason = (
            StageReason.COMPETITOR
            if outcome == CallOutcome.BOUGHT_ELSEWHERE
            else StageReason.NO_NEED
        )
        lead = lead_move(
            actor=actor, lead=lead, to_stage=LeadStage.DISQUALIFIED, reason=reason, note=subject
        )
    elif handover and rep is not None:
        day = date_format(visit_on)
        lead = lead_move(
            actor=actor, lead=lead, to_stage=LeadStage.SQL, owner=rep,
            note=_("Visit agreed for %(day)s.") % {"day": day},
        )  # fmt: skip
    elif interest == FollowUpInterest.CONCRETE and LeadStage.MQL in TRANSITIONS[lead.stage]:
        lead = lead_move(actor=actor, lead=lead, to_stage=LeadStage.MQL, note=subject)

    # 3. The call, on the company's timeline.
    notes = _follow_up_notes(
        interest=interest, information=information, roles=roles, visit_on=visit_on, note=note
    )
    call, _none = activity_log(
        actor=actor,
        company=lead.company,
        data={
            "kind": ActivityType.CALL,
            "person": person,
            "subject": subject,
            "outcome": outcome,
            "notes": notes,
        },
    )
    result = FollowUp(lead=lead, call=call)

    # 4. The key contacts' buying-center roles, added to those they hold.
    for contact, new_roles in roles.items():
        result.roles[contact.pk] = buying_center_set_roles(
            actor=actor,
            person=contact,
            company=lead.company,
            roles=set(roles_of(contact)) | new_roles,
        )

    # 5. What comes next: the material to send, the field rep's visit.
    calendar = calendar_of(lead.company.territory)
    if send_material:
        task, _none = activity_log(
            actor=actor,
            company=lead.company,
            data={
                "kind": ActivityType.TASK,
                "person": person,
                "subject": (_("Send material: %(what)s") % {"what": information})[:200],
                "notes": information,
                "assigned_to": actor,
                "due_at": calendar.add_hours(now, 8),  # within a working day
            },
        )
        result.tasks.append(task)
    if rep is not None:
        task, _none = activity_log(
            actor=actor,
            company=lead.company,
            data={
                "kind": ActivityType.TASK,
                "person": person,
                "subject": (_("Visit: %(company)s") % {"company": lead.company.name})[:200],
                "notes": notes,
                "assigned_to": rep,
                "due_at": datetime.datetime.combine(visit_on, calendar.day_starts, calendar.zone),
            },
        )
        result.tasks.append(task)

    audit.record_note(
        actor=actor,
        instance=lead,
        field="follow_up",
        new_value=f"{CallOutcome(outcome).label}"
        + (f" · {FollowUpInterest(interest).label}" if interest else ""),
    )
    events.emit(
        "lead.followed_up",
        actor=actor,
        instance=lead,
        outcome=str(outcome),
        interest=str(interest),
        activity_id=call.pk,
        visit_on=visit_on.isoformat() if visit_on else None,
        visit_rep_id=rep.pk if rep is not None else None,
        **_event_data(lead),
    )
    return result


@dataclass(frozen=True)
class BulkResult:
    done: list[Lead]
    refused: list[tuple[Lead, str]]


MAX_BULK = 200


def _require_ticked(lead_ids: Sequence[int]) -> None:
    if not lead_ids:
        raise ValidationError({"lead": _("Please tick the leads first.")}, code="required")
    if len(lead_ids) > MAX_BULK:
        raise ValidationError(
            {"lead": _("Please tick at most %(max)s leads at once.") % {"max": MAX_BULK}},
            code="too_many",
        )


def leads_bulk(
    *,
    actor: User,
    lead_ids: Sequence[int],
    owner: User | None = None,
    to_stage: str = "",
    reason: str = "",
) -> BulkResult:
    """Give many leads to one rep, or move them to one stage, from the inbox. Each lead is
    changed on its own, with the same rules as one by one; those the rules refuse are named
    with the reason, the others are done."""
    require_lead_worker(actor)
    if (owner is None) == (not to_stage):
        raise ValidationError(
            {"__all__": _("Please choose either a rep or a stage.")}, code="invalid"
        )
    _require_ticked(lead_ids)
    done: list[Lead] = []
    refused: list[tuple[Lead, str]] = []
    for lead in leads_for(actor).filter(pk__in=lead_ids).select_related("company"):
        try:
            with transaction.atomic():
                if owner is not None:
                    done.append(lead_assign(actor=actor, lead=lead, owner=owner))
                else:
                    done.append(lead_move(actor=actor, lead=lead, to_stage=to_stage, reason=reason))
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            refused.append((lead, " ".join(messages)))
    return BulkResult(done=done, refused=refused)


@transaction.atomic
def leads_call_list(*, actor: User, lead_ids: Sequence[int], name: str) -> tuple[CallList, int]:
    """A call list of the ticked leads' contacts, for the team of ``actor``; returns it and
    how many contacts it left out (no phone, an objection, the contact limit)."""
    _require_ticked(lead_ids)
    leads = leads_for(actor).filter(pk__in=lead_ids, person__isnull=False)
    candidates = callable_among(people_for(actor).filter(pk__in=leads.values("person")))
    call_list = call_list_create(
        actor=actor,
        name=name.strip() or _("Leads of %(date)s") % {"date": date_format(timezone.localdate())},
        team=actor.team,
        people=candidates.people,
    )
    return call_list, candidates.found - candidates.count


def lead_from_call(answered: Answered, need: str) -> None:
    """A call guide's "current need?" answered: a lead of the campaign, with the contact on
    the phone and the need in his words, lands in the queue like any other lead."""
    lead_capture(
        actor=answered.actor,
        company=answered.person.company,
        data={
            "person_id": answered.person.pk,
            "source": LeadSource.CAMPAIGN,
            "source_name": answered.campaign_name[:100],
            "need": need,
        },
    )
