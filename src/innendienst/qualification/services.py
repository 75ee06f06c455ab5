"""Writes of the qualification: a customer group's checklist and a customer re-qualified."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.access import MANAGERS, require_master_data_editor
from innendienst.accounts.models import User
from innendienst.contacts.models import BuyingCenterRole, Company, CustomerGroup
from innendienst.contacts.services import require_visible_company
from innendienst.core import audit
from innendienst.qualification.models import Checklist, Requalification
from innendienst.qualification.scoring import ATTRIBUTES

CHECKLIST_FIELDS = (
    "wanted_functions",
    "required_roles",
    "required_authority",
    "required_attributes",
    "requalify_after_months",
)


def _chosen(values: Any, allowed: Any, field: str) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError({field: _("Choose from the list.")})
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError(
            {field: _("Not a choice: %(values)s") % {"values": ", ".join(map(str, unknown))}}
        )
    # In the list's order, once each.
    return [value for value in allowed if value in values]


def may_edit_checklists(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in MANAGERS)


@transaction.atomic
def checklist_save(
    *, actor: User, customer_group: CustomerGroup, data: Mapping[str, Any]
) -> Checklist:
    """Create or change the checklist of a customer group; its companies are scored again
    after the commit."""
    if not may_edit_checklists(actor):
        raise PermissionDenied(_("Only sales managers maintain the qualification checklists."))
    checklist = Checklist.objects.select_for_update().filter(customer_group=customer_group).first()
    created = checklist is None
    if created:
        checklist = Checklist(customer_group=customer_group)
    before = audit.snapshot(checklist)
    for name in CHECKLIST_FIELDS:
        if name in data:
            setattr(checklist, name, data[name])
    checklist.required_roles = _chosen(
        checklist.required_roles, BuyingCenterRole.values, "required_roles"
    )
    checklist.required_attributes = _chosen(
        checklist.required_attributes, list(ATTRIBUTES), "required_attributes"
    )
    checklist.wanted_functions = "\n".join(checklist.functions)
    checklist.full_clean()
    checklist.save()
    if created:
        audit.record_create(actor=actor, instance=checklist)
    else:
        audit.record_update(actor=actor, instance=checklist, before=before)
    group_id = customer_group.pk
    transaction.on_commit(lambda: _rescore(group_id))
    return checklist


def _rescore(customer_group_id: int) -> None:
    from innendienst.qualification.tasks import rescore_group

    rescore_group(customer_group_id)


@transaction.atomic
def requalification_record(*, actor: User, company: Company, note: str = "") -> Requalification:
    """The customer was asked again; out of the queue until his group's period has passed."""
    require_master_data_editor(actor)
    require_visible_company(actor, company)
    note = " ".join(note.split())
    requalification = Requalification(
        company=company, done_by=actor, done_at=timezone.now(), note=note
    )
    requalification.full_clean()
    requalification.save()
    audit.record_note(
        actor=actor,
        instance=company,
        field="requalification",
        new_value=note or _("re-qualified"),
    )
    return requalification
