"""Writes of activities: log a call or visit, plan a task, complete it."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.activities.access import can_change_activity
from innendienst.activities.models import Activity, ActivityType
from innendienst.activities.selectors import activities_for
from innendienst.contacts.models import Company
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import audit, concurrency, events
from innendienst.core.inputs import apply_changes, clean_value

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
