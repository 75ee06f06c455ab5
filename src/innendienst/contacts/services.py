"""Every write to companies, people, addresses, buying centers, verifications and consent.

Each function validates fully (the same rules for the UI and the API), checks that the actor
may make the change, writes the audit entries in the same transaction and returns the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.accounts.models import Role, User
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts.models import (
    BuyingCenterMembership,
    BuyingCenterRole,
    Channel,
    ChannelVerification,
    Company,
    CompanyAddress,
    Consent,
    Person,
)
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import audit
from innendienst.core.inputs import apply_changes, writable_fields

audit.NOTE_LABELS["buying_center_roles"] = gettext_lazy("buying-center roles")
audit.NOTE_LABELS["verification"] = gettext_lazy("verification")
audit.NOTE_LABELS["consent"] = gettext_lazy("consent")
audit.NOTE_LABELS["address"] = gettext_lazy("address")

# Marketing and product management read the customer base; they do not maintain it.
MASTER_DATA_EDITORS = {
    Role.INSIDE_SALES,
    Role.FIELD_SALES,
    Role.KEY_ACCOUNT,
    Role.SALES_MANAGER,
    Role.ADMIN,
}


def can_edit_master_data(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in MASTER_DATA_EDITORS)


def _require_editor(actor: User) -> None:
    if not can_edit_master_data(actor):
        raise PermissionDenied(_("Your role may not change master data."))


def _require_visible_company(actor: User, company: Company) -> None:
    if company.pk is None or not companies_for(actor).filter(pk=company.pk).exists():
        raise PermissionDenied(_("You may not change this company."))


def _require_visible_person(actor: User, person: Person) -> None:
    if not people_for(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You may not change this person."))


def _validate_company(actor: User, company: Company, *, territory_changed: bool) -> None:
    """All field errors at once, including a territory the actor does not work in."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        company.full_clean()
    except ValidationError as exc:
        errors = exc.error_dict
    allowed = visible_territory_ids(actor)
    if (
        territory_changed
        and allowed is not None
        and company.territory_id is not None
        and company.territory_id not in allowed
        and "territory" not in errors
    ):
        errors["territory"] = [
            ValidationError(
                _("You may only choose a territory you work in."), code="territory_not_visible"
            )
        ]
    if errors:
        raise ValidationError(errors)


COMPANY_FIELDS = writable_fields(Company)


def _blank_unique_to_null(company: Company) -> None:
    # An empty customer number means "none yet"; NULL keeps the unique index happy.
    if not company.customer_number:
        company.customer_number = None


def _save_company(company: Company) -> None:
    """Save; a customer number taken by a concurrent request since the check is a field
    error like any other duplicate, not a server error."""
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError as exc:
        if (
            company.customer_number
            and Company.objects.filter(customer_number=company.customer_number)
            .exclude(pk=company.pk)
            .exists()
        ):
            raise ValidationError(
                {"customer_number": _("This customer number is already taken.")}
            ) from exc
        raise


@transaction.atomic
def company_create(*, actor: User, data: Mapping[str, Any]) -> Company:
    _require_editor(actor)
    company = Company()
    apply_changes(company, data, COMPANY_FIELDS)
    _blank_unique_to_null(company)
    _validate_company(actor, company, territory_changed=True)
    _save_company(company)
    audit.record_create(actor=actor, instance=company)
    return company


@transaction.atomic
def company_update(*, actor: User, company: Company, data: Mapping[str, Any]) -> Company:
    _require_editor(actor)
    _require_visible_company(actor, company)
    company = Company.objects.select_for_update().get(pk=company.pk)
    before = audit.snapshot(company)
    apply_changes(company, data, COMPANY_FIELDS)
    _blank_unique_to_null(company)
    _validate_company(actor, company, territory_changed=company.territory_id != before["territory"])
    _save_company(company)
    audit.record_update(actor=actor, instance=company, before=before)
    return company


ADDRESS_FIELDS = ("kind", "addition", "street", "postcode", "city", "country")


@transaction.atomic
def address_create(*, actor: User, company: Company, data: Mapping[str, Any]) -> CompanyAddress:
    _require_editor(actor)
    _require_visible_company(actor, company)
    address = CompanyAddress(company=company)
    apply_changes(address, data, ADDRESS_FIELDS)
    address.full_clean()
    address.save()
    audit.record_note(actor=actor, instance=company, field="address", new_value=str(address))
    return address


@transaction.atomic
def address_delete(*, actor: User, address: CompanyAddress) -> None:
    _require_editor(actor)
    _require_visible_company(actor, address.company)
    audit.record_note(
        actor=actor, instance=address.company, field="address", old_value=str(address)
    )
    address.delete()


PERSON_FIELDS = writable_fields(Person, exclude={"company"})


@transaction.atomic
def person_create(
    *,
    actor: User,
    company: Company,
    data: Mapping[str, Any],
    roles: Iterable[str] = (),
) -> Person:
    _require_editor(actor)
    _require_visible_company(actor, company)
    person = Person(company=company)
    apply_changes(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    audit.record_create(actor=actor, instance=person)
    buying_center_set_roles(actor=actor, person=person, company=company, roles=roles)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    data: Mapping[str, Any],
    roles: Iterable[str] | None = None,
) -> Person:
    _require_editor(actor)
    _require_visible_person(actor, person)
    person = Person.objects.select_for_update().select_related("company").get(pk=person.pk)
    before = audit.snapshot(person)
    apply_changes(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    audit.record_update(actor=actor, instance=person, before=before)
    if roles is not None:
        buying_center_set_roles(actor=actor, person=person, company=person.company, roles=roles)
    return person


def _role_keys(roles: Iterable[str]) -> str:
    return ", ".join(sorted(roles))


def _role_labels(keys: str) -> str:
    return ", ".join(str(BuyingCenterRole(key).label) for key in keys.split(", ") if key)


audit.NOTE_RENDERERS["buying_center_roles"] = _role_labels


@transaction.atomic
def buying_center_set_roles(
    *, actor: User, person: Person, company: Company, roles: Iterable[str]
) -> set[str]:
    """Make ``roles`` the person's buying-center roles at ``company``."""
    _require_editor(actor)
    _require_visible_company(actor, company)
    _require_visible_person(actor, person)
    wanted = set(roles)
    unknown = wanted - set(BuyingCenterRole.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown buying-center role: %s") % ", ".join(unknown)})
    current = set(
        BuyingCenterMembership.objects.filter(person=person, company=company).values_list(
            "role", flat=True
        )
    )
    if wanted == current:
        return current
    BuyingCenterMembership.objects.filter(
        person=person, company=company, role__in=current - wanted
    ).delete()
    BuyingCenterMembership.objects.bulk_create(
        BuyingCenterMembership(person=person, company=company, role=role)
        for role in sorted(wanted - current)
    )
    audit.record_note(
        actor=actor,
        instance=person,
        field="buying_center_roles",
        old_value=_role_keys(current),
        new_value=_role_keys(wanted),
    )
    return wanted


@transaction.atomic
def channel_verify(
    *,
    actor: User,
    channel: str,
    method: str,
    company: Company | None = None,
    person: Person | None = None,
) -> ChannelVerification:
    """Record that the current value of a channel was confirmed (Adressqualifizierung)."""
    _require_editor(actor)
    owner: Company | Person | None = company or person
    if owner is None or (company is not None and person is not None):
        raise ValidationError(_("A verification belongs to a company or to a person."))
    if company is not None:
        _require_visible_company(actor, company)
    else:
        _require_visible_person(actor, person)
    if channel == Channel.POSTAL:
        value = (company or person.company).postal_address_text
    else:
        value = getattr(owner, channel, "")
    if not value or not value.strip(", "):
        raise ValidationError({"channel": _("There is nothing to verify: the channel is empty.")})
    verification = ChannelVerification(
        company=company,
        person=person,
        channel=channel,
        value=value,
        method=method,
        verified_by=actor,
        verified_at=timezone.now(),
    )
    verification.full_clean()
    verification.save()
    audit.record_note(
        actor=actor,
        instance=owner,
        field="verification",
        new_value=(
            f"{verification.get_channel_display()}: {value} ({verification.get_method_display()})"
        ),
    )
    return verification


@transaction.atomic
def consent_record(*, actor: User, person: Person, data: Mapping[str, Any]) -> Consent:
    """Append an entry to the consent ledger; the newest entry per channel counts."""
    _require_editor(actor)
    _require_visible_person(actor, person)
    consent = Consent(person=person, recorded_by=actor)
    apply_changes(
        consent, data, ("channel", "status", "recorded_on", "source", "legal_basis", "note")
    )
    # The newest entry decides; a date in the future would outrank every real withdrawal.
    if consent.recorded_on and consent.recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("The date lies in the future.")})
    consent.full_clean()
    consent.save()
    audit.record_note(
        actor=actor,
        instance=person,
        field="consent",
        new_value=(
            f"{consent.get_channel_display()}: {consent.get_status_display()} ({consent.source})"
        ),
    )
    return consent
