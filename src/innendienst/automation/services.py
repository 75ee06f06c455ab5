"""Writes of automation: receive an inbound event, save rules, sources and webhooks, replay a
delivery. Each write checks the actor's permission; rules are checked for loops."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.automation import engine, webhooks
from innendienst.automation.access import can_edit_rules, can_manage_integrations
from innendienst.automation.models import (
    EVENT_TYPE,
    EventSource,
    InboundEvent,
    InboundStatus,
    Rule,
    Webhook,
    WebhookDelivery,
    new_secret,
)
from innendienst.contacts.models import Person
from innendienst.core import audit, events
from innendienst.core.inputs import apply_changes, has_unstorable_text

logger = logging.getLogger(__name__)

MAX_DATA_BYTES = 8_000
EVENT_FIELDS = frozenset({"id", "type", "email", "occurred_at", "data"})


def _require_rule_editor(actor: User) -> None:
    if not can_edit_rules(actor):
        raise PermissionDenied(_("Your role may not change automation rules."))


def _require_integration_admin(actor: User) -> None:
    if not can_manage_integrations(actor):
        raise PermissionDenied(_("Only administrators manage event sources and webhooks."))


# --- inbound events -------------------------------------------------------------------------


def _contacts(emails: set[str]) -> dict[str, tuple[int, int]]:
    """(person id, company id) of the contacts with these e-mail addresses (lower-case);
    where several share one, the one changed last."""
    found: dict[str, tuple[int, int]] = {}
    rows = (
        Person.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in=emails)
        .order_by("-updated_at", "-id")
        .values_list("email_key", "id", "company_id")
    )
    for email, person_id, company_id in rows:
        found.setdefault(email, (person_id, company_id))
    return found


def _parsed(body: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(body, dict):
        return {}, {"__all__": [_("Please send the event as a JSON object.")]}
    if has_unstorable_text(body):
        return {}, {"__all__": [_("This text contains characters that cannot be stored.")]}
    for name in sorted(set(body) - EVENT_FIELDS):
        errors[name] = [_("There is no such field. Please check the spelling.")]
    event_id = body.get("id")
    if not isinstance(event_id, str) or not 0 < len(event_id.strip()) <= 100:
        errors["id"] = [_("Please send the event's own id, a text of at most 100 characters.")]
    event_type = body.get("type")
    try:
        if not isinstance(event_type, str) or len(event_type) > 60:
            raise ValidationError(_("Please send the type, e.g. newsletter.click."))
        EVENT_TYPE(event_type)
    except ValidationError as exc:
        errors["type"] = list(exc.messages)
    email = body.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        errors["email"] = [_("Please send the contact's e-mail address.")]
    occurred = body.get("occurred_at")
    occurred_at = timezone.now()
    if occurred is not None:
        parsed = parse_datetime(occurred) if isinstance(occurred, str) else None
        if parsed is None or timezone.is_naive(parsed):
            errors["occurred_at"] = [
                _("Please send a date and time with time zone, e.g. 2027-03-01T09:30:00+01:00.")
            ]
        elif parsed > timezone.now() + datetime.timedelta(minutes=5):
            errors["occurred_at"] = [_("This lies in the future.")]
        else:
            occurred_at = parsed
    data = body.get("data", {})
    if not isinstance(data, dict):
        errors["data"] = [_("Please send the details as a JSON object.")]
    elif len(json.dumps(data)) > MAX_DATA_BYTES:
        errors["data"] = [
            _("The details may take at most %(bytes)s bytes.") % {"bytes": MAX_DATA_BYTES}
        ]
    values = {
        "event_id": str(event_id).strip(),
        "type": event_type,
        "email": email,
        "occurred_at": occurred_at,
        "data": data,
    }
    return values, errors


MAX_BATCH = 500
Problems = dict[str, list[ValidationError]]


@dataclass
class Received:
    """What became of one event of a request: stored now, stored before, or refused."""

    event: InboundEvent | None = None
    created: bool = False
    errors: Problems = field(default_factory=dict)


def _unknown_contact() -> Problems:
    message = _("No contact has this e-mail address.")
    return {"email": [ValidationError(message, code="unknown_contact")]}


def _store(events: list[InboundEvent]) -> list[InboundEvent]:
    """Insert the events; those another request stored meanwhile (the same event resent at
    the same moment) are left out of the answer."""
    try:
        with transaction.atomic():
            return InboundEvent.objects.bulk_create(events)
    except IntegrityError:
        stored = []
        for event in events:
            try:
                with transaction.atomic():
                    event.save()
                stored.append(event)
            except IntegrityError:
                continue
        return stored


def inbound_receive_many(*, source: EventSource, bodies: list[Any]) -> list[Received]:
    """Store the events a source sent (its signature already checked) and queue their rules
    for the worker, one answer per event in the order sent.

    An id the source sent before is answered with the first event and changes nothing, so a
    sender retrying after a timeout triggers nothing twice; an event that is not valid or
    names no known contact is refused with its errors, the others are stored. A new event
    costs two statements: the contacts, and the insert."""
    answers = [Received() for _body in bodies]
    parsed: dict[int, dict[str, Any]] = {}
    for index, body in enumerate(bodies):
        values, errors = _parsed(body)
        if errors:
            answers[index].errors = {
                name: [ValidationError(message, code="invalid") for message in messages]
                for name, messages in errors.items()
            }
        else:
            parsed[index] = values
    contacts = _contacts({values["email"].strip().lower() for values in parsed.values()})
    new: dict[str, InboundEvent] = {}
    unknown: set[str] = set()
    for values in parsed.values():
        event_id = values["event_id"]
        contact = contacts.get(values["email"].strip().lower())
        if contact is None:
            unknown.add(event_id)
        elif event_id not in new:
            new[event_id] = InboundEvent(
                source=source,
                event_id=event_id,
                type=values["type"],
                person_id=contact[0],
                company_id=contact[1],
                occurred_at=values["occurred_at"],
                data=values["data"],
            )
    stored = {event.event_id: event for event in _store(list(new.values()))}
    # Sent before: an id that could not be stored again, or one whose contact is gone since.
    again = (set(new) - set(stored)) | unknown
    earlier = (
        {event.event_id: event for event in source.events.filter(event_id__in=again)}
        if again
        else {}
    )
    answered: set[str] = set()
    for index, values in parsed.items():
        event_id = values["event_id"]
        answer = answers[index]
        if event_id in earlier:
            answer.event = earlier[event_id]
        elif event_id in stored:
            answer.event, answer.created = stored[event_id], event_id not in answered
            answered.add(event_id)
        elif event_id in unknown:
            answer.errors = _unknown_contact()
        else:
            # Not stored, and not by another request either: the database refused it.
            message = _("This event could not be stored.")
            answer.errors = {"__all__": [ValidationError(message, code="invalid")]}
    if stored:
        from innendienst.automation.tasks import process_inbound_events

        pks = [event.pk for event in stored.values()]
        transaction.on_commit(lambda: process_inbound_events(pks), robust=True)
    return answers


def inbound_receive(*, source: EventSource, body: Any) -> tuple[InboundEvent, bool]:
    """One event: ``(event, created)``, or a ValidationError with its fields."""
    (answer,) = inbound_receive_many(source=source, bodies=[body])
    if answer.errors or answer.event is None:
        raise ValidationError(answer.errors)
    return answer.event, answer.created


def inbound_process(pk: int) -> list[Any]:
    """Run the rules waiting for an inbound event, once."""
    with transaction.atomic():
        event = (
            InboundEvent.objects.select_for_update()
            .filter(pk=pk, status=InboundStatus.RECEIVED)
            .first()
        )
        if event is None:
            return []
        event.status = InboundStatus.PROCESSED
        event.save(update_fields=["status"])
    person = Person.objects.select_related("company").filter(pk=event.person_id).first()
    company = person.company if person else None
    subject = engine.Subject(
        company=company,
        person=person,
        lead=engine.open_lead(person, company),
        data={**event.data, "type": event.type},
        occurred_at=event.occurred_at,
    )
    return engine.run_rules(engine.inbound_trigger(event.type), subject, inbound=event)


def inbound_process_safely(pk: int) -> None:
    """For the worker: an event whose rules could not run is marked failed and logged, and
    the next event of the batch is processed all the same."""
    try:
        inbound_process(pk)
    except Exception:
        logger.exception("inbound event %s failed", pk)
        InboundEvent.objects.filter(pk=pk).update(status=InboundStatus.FAILED)


STALE_AFTER = datetime.timedelta(minutes=10)


def inbound_process_stale(now: datetime.datetime | None = None, limit: int = 1_000) -> int:
    """Events still waiting for their rules long after they arrived."""
    stale = list(
        InboundEvent.objects.filter(
            status=InboundStatus.RECEIVED, received_at__lt=(now or timezone.now()) - STALE_AFTER
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in stale:
        inbound_process_safely(pk)
    return len(stale)


@transaction.atomic
def event_source_create(*, actor: User, data: Mapping[str, Any]) -> EventSource:
    _require_integration_admin(actor)
    source = EventSource(created_by=actor)
    apply_changes(source, data, ("name", "key", "active"))
    source.full_clean(exclude=["created_by"])
    source.save()
    audit.record_create(actor=actor, instance=source)
    return source


@transaction.atomic
def event_source_rotate(*, actor: User, source: EventSource) -> EventSource:
    """A new secret; events signed with the old one are refused from now on."""
    _require_integration_admin(actor)
    source.secret = new_secret()
    source.save(update_fields=["secret", "updated_at"])
    # The secret itself stays out of the audit trail; that it changed goes in.
    audit.record_note(actor=actor, instance=source, field="secret", new_value="***")
    return source


@transaction.atomic
def event_source_set_active(*, actor: User, source: EventSource, active: bool) -> EventSource:
    """Pause a source (its events are refused) or take it up again."""
    _require_integration_admin(actor)
    before = audit.snapshot(source)
    source.active = active
    source.save(update_fields=["active", "updated_at"])
    audit.record_update(actor=actor, instance=source, before=before)
    return source


@transaction.atomic
def webhook_rotate(*, actor: User, webhook: Webhook) -> Webhook:
    """A new signing secret; deliveries from now on are signed with it."""
    _require_integration_admin(actor)
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret", "updated_at"])
    audit.record_note(actor=actor, instance=webhook, field="secret", new_value="***")
    return webhook


# --- rules ----------------------------------------------------------------------------------


RULE_FIELDS = ("name", "active", "trigger", "conditions", "actions")


@transaction.atomic
def rule_save(*, actor: User, rule: Rule | None, data: Mapping[str, Any]) -> Rule:
    """Create or change a rule. It runs as ``actor`` from now on; a rule that is incomplete
    or would trigger itself (directly or through other rules) is refused."""
    _require_rule_editor(actor)
    creating = rule is None
    if rule is None:
        rule = Rule(created_by=actor)
    else:
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule) if not creating else None
    apply_changes(rule, data, RULE_FIELDS)
    rule.run_as = actor
    errors: dict[str, list[str]] = {}
    try:
        rule.full_clean(exclude=["created_by", "run_as", "conditions", "actions"])
    except ValidationError as exc:
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    for name in ("conditions", "actions"):
        if has_unstorable_text(getattr(rule, name)):
            errors[name] = [_("This text contains characters that cannot be stored.")]
    if not errors:
        errors = engine.rule_errors(rule)
    if errors:
        raise ValidationError(errors)
    rule.save()
    if creating:
        audit.record_create(actor=actor, instance=rule)
    else:
        audit.record_update(actor=actor, instance=rule, before=before)
    return rule


@transaction.atomic
def rule_delete(*, actor: User, rule: Rule) -> None:
    _require_rule_editor(actor)
    audit.record_deletes(actor=actor, instances=[rule])
    rule.delete()


# --- webhooks -------------------------------------------------------------------------------


def _webhook_errors(webhook: Webhook) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        webhook.full_clean(exclude=["created_by", "events"])
    except ValidationError as exc:
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    if "url" not in errors:
        try:
            URLValidator(schemes=["https", "http"])(webhook.url)
        except ValidationError as exc:
            errors["url"] = list(exc.messages)
    declared = events.declared()
    chosen = webhook.events
    if not isinstance(chosen, list) or not chosen:
        errors["events"] = [_("Please choose at least one event.")]
    elif unknown := sorted({str(name) for name in chosen} - set(declared)):
        errors["events"] = [_("There is no such event: %(names)s.") % {"names": ", ".join(unknown)}]
    return errors


@transaction.atomic
def webhook_save(*, actor: User, webhook: Webhook | None, data: Mapping[str, Any]) -> Webhook:
    _require_integration_admin(actor)
    creating = webhook is None
    webhook = webhook or Webhook(created_by=actor)
    before = None if creating else audit.snapshot(webhook)
    apply_changes(webhook, data, ("name", "url", "events", "active"))
    if isinstance(webhook.events, list):
        webhook.events = sorted({str(name) for name in webhook.events})
    if errors := _webhook_errors(webhook):
        raise ValidationError(errors)
    webhook.save()
    if creating:
        audit.record_create(actor=actor, instance=webhook)
    else:
        audit.record_update(actor=actor, instance=webhook, before=before)
    return webhook


@transaction.atomic
def webhook_replay(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    _require_integration_admin(actor)
    again = webhooks.replay(delivery)
    audit.record_note(
        actor=actor, instance=delivery.webhook, field="replay", new_value=str(delivery.delivery_id)
    )
    return again
