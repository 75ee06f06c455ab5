"""Writes of the expert directory and of the expert requests: validated, audited, with
events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.models import User
from innendienst.accounts.selectors import colleagues_for
from innendienst.catalog.models import ProductGroup
from innendienst.contacts.models import Industry
from innendienst.core import audit, events
from innendienst.core.inputs import apply_changes
from innendienst.experts.access import can_answer, can_withdraw, require_directory_maintainer
from innendienst.experts.models import Expert, ExpertRequest, ExpertRequestStatus
from innendienst.offers.access import require_offer_writer
from innendienst.offers.models import Offer
from innendienst.offers.selectors import offers_for

EXPERT_FIELDS = ("user", "area", "topics", "note", "active")
EXPERT_RELATIONS = {"product_groups": ProductGroup, "industries": Industry}
REQUEST_FIELDS = ("expert", "line", "question", "due_on")


def _tidy_topics(topics: str) -> str:
    """One spelling of each keyword: "Pumpen,  Dichtungen, pumpen," → "Pumpen, Dichtungen"."""
    seen: dict[str, str] = {}
    for topic in topics.split(","):
        topic = " ".join(topic.split())
        if topic and topic.casefold() not in seen:
            seen[topic.casefold()] = topic
    return ", ".join(seen.values())


def _related(name: str, values: Iterable[Any]) -> list[models.Model]:
    """The product groups or industries named by instance or id; an unknown one is an error
    at the field."""
    model = EXPERT_RELATIONS[name]
    ids = {getattr(value, "pk", value) for value in values}
    found = list(model.objects.filter(pk__in=ids).order_by("name"))
    if len(found) != len(ids):
        raise ValidationError(
            {name: _("There is no such record, or you may not see it.")}, code="does_not_exist"
        )
    return found


def _validate_expert(actor: User, expert: Expert, knows_something: bool) -> None:
    errors: dict[str, str] = {}
    if expert.user_id is not None:
        if not colleagues_for(actor).filter(pk=expert.user_id).exists():
            errors["user"] = _("Please choose an active colleague.")
        elif Expert.objects.filter(user_id=expert.user_id).exclude(pk=expert.pk).exists():
            errors["user"] = _("This colleague is in the directory already.")
    if not knows_something:
        errors["topics"] = _("Say what the colleague knows: product groups, industries or topics.")
    if errors:
        raise ValidationError(errors)
    expert.full_clean()


def _names(records: Iterable[models.Model]) -> str:
    return ", ".join(sorted(str(record) for record in records))


@transaction.atomic
def expert_save(*, actor: User, data: Mapping[str, Any], expert: Expert | None = None) -> Expert:
    """Create or change an entry of the directory. ``data`` holds its fields and, as lists of
    records or ids, its ``product_groups`` and ``industries``; a change of those is noted in
    the entry's history like a column's."""
    require_directory_maintainer(actor)
    values = dict(data)
    relations = {
        name: _related(name, values.pop(name)) for name in EXPERT_RELATIONS if name in values
    }
    created = expert is None
    if expert is None:
        expert = Expert()
        before: dict[str, Any] = {}
        current: dict[str, list[models.Model]] = {name: [] for name in EXPERT_RELATIONS}
    else:
        expert = Expert.objects.select_for_update().select_related("user").get(pk=expert.pk)
        before = audit.snapshot(expert)
        current = {name: list(getattr(expert, name).all()) for name in EXPERT_RELATIONS}
    apply_changes(expert, values, EXPERT_FIELDS)
    if not created and expert.user_id != before["user"]:
        # The requests asked and answered stay with the colleague who had them.
        raise ValidationError(
            {"user": _("An entry stays with its colleague: add a new entry for another.")}
        )
    expert.topics = _tidy_topics(expert.topics)
    wanted = {**current, **relations}
    _validate_expert(actor, expert, bool(expert.topics or any(wanted.values())))
    expert.save()
    if created:
        audit.record_create(actor=actor, instance=expert)
    else:
        audit.record_update(actor=actor, instance=expert, before=before)
    for name, records in relations.items():
        old, new = _names(current[name]), _names(records)
        if old != new:
            getattr(expert, name).set(records)
            audit.record_note(
                actor=actor, instance=expert, field=name, old_value=old, new_value=new
            )
    return expert


def _validate_request(actor: User, offer: Offer, expert_request: ExpertRequest) -> None:
    if not offer.is_open:
        raise ValidationError(_("The offer is decided: experts are asked while it is open."))
    errors: dict[str, str] = {}
    # As it is now, not as the form read it: the entry may have been set inactive meanwhile.
    expert = (
        Expert.objects.select_related("user").filter(pk=expert_request.expert_id).first()
        if expert_request.expert_id
        else None
    )
    if expert is None:
        errors["expert"] = _("Please choose an expert.")
    else:
        if not (expert.active and expert.user.is_active):
            errors["expert"] = _("This colleague no longer answers requests; choose another.")
        elif expert.user_id == actor.pk:
            errors["expert"] = _("Ask a colleague, not yourself.")
    line = expert_request.line if expert_request.line_id else None
    if line is not None and line.offer_id != offer.pk:
        errors["line"] = _("Choose a line of this offer.")
    if not expert_request.question:
        errors["question"] = _("Please write the question.")
    due_on = expert_request.due_on
    if due_on is None:
        errors["due_on"] = _("Please enter the day the answer is needed.")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("The due date lies in the past.")
    if errors:
        raise ValidationError(errors)
    expert_request.full_clean()


@transaction.atomic
def expert_request_create(*, actor: User, offer: Offer, data: Mapping[str, Any]) -> ExpertRequest:
    """Ask an expert from the offer: ``data`` holds the ``expert``, the ``question``, the day
    it is ``due_on`` and, if it is about one, the offer's ``line``."""
    require_offer_writer(actor)
    if not offers_for(actor).filter(pk=offer.pk).exists():
        raise PermissionDenied(_("You may not see this offer."))
    expert_request = ExpertRequest(offer=offer, asked_by=actor)
    apply_changes(expert_request, data, REQUEST_FIELDS)
    _validate_request(actor, offer, expert_request)
    expert_request.save()
    audit.record_create(actor=actor, instance=expert_request)
    events.emit(
        "expert_request.created",
        actor=actor,
        instance=expert_request,
        offer_id=offer.pk,
        expert_user_id=expert_request.expert.user_id,
        due_on=expert_request.due_on.isoformat(),
    )
    return expert_request


def _locked(expert_request: ExpertRequest) -> ExpertRequest:
    return (
        ExpertRequest.objects.select_for_update(of=("self",))
        .select_related("offer", "expert")
        .get(pk=expert_request.pk)
    )


@transaction.atomic
def expert_request_answer(
    *, actor: User, expert_request: ExpertRequest, answer: str
) -> ExpertRequest:
    """The expert's answer, once: only he answers, and an answered or withdrawn request takes
    none."""
    expert_request = _locked(expert_request)
    if not can_answer(actor, expert_request):
        raise PermissionDenied(_("Only the expert asked answers this request."))
    if expert_request.status == ExpertRequestStatus.ANSWERED:
        raise ValidationError({"answer": _("This request has been answered already.")})
    if expert_request.status == ExpertRequestStatus.WITHDRAWN:
        raise ValidationError({"answer": _("This request has been withdrawn.")})
    before = audit.snapshot(expert_request)
    apply_changes(expert_request, {"answer": answer}, ("answer",))
    if not expert_request.answer:
        raise ValidationError({"answer": _("Please write the answer.")})
    expert_request.status = ExpertRequestStatus.ANSWERED
    expert_request.answered_at = timezone.now()
    expert_request.full_clean()
    expert_request.save()
    audit.record_update(actor=actor, instance=expert_request, before=before)
    events.emit(
        "expert_request.answered",
        actor=actor,
        instance=expert_request,
        offer_id=expert_request.offer_id,
        asked_by_id=expert_request.asked_by_id,
    )
    return expert_request


@transaction.atomic
def expert_request_withdraw(*, actor: User, expert_request: ExpertRequest) -> ExpertRequest:
    """The question is no longer needed: withdrawn by who asked it, or by a manager."""
    expert_request = _locked(expert_request)
    visible = offers_for(actor).filter(pk=expert_request.offer_id).exists()
    if not (visible and can_withdraw(actor, expert_request)):
        raise PermissionDenied(_("Only who asked, or a manager, withdraws this request."))
    if not expert_request.is_open:
        raise ValidationError(_("Only an open request can be withdrawn."))
    before = audit.snapshot(expert_request)
    expert_request.status = ExpertRequestStatus.WITHDRAWN
    expert_request.save(update_fields=["status", "updated_at"])
    audit.record_update(actor=actor, instance=expert_request, before=before)
    return expert_request
