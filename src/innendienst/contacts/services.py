"""Every write to companies, people, addresses, buying centers and verifications.

Each function validates fully (the same rules for the UI and the API), checks that the actor
may make the change, writes the audit entries in the same transaction, emits its domain event
(handlers run after the commit) and returns the record. Updates lock the row, refuse a stale
version (``expected_version``, the API's If-Match) and refuse a field that somebody else
changed since the user saw it (``seen``, the edit forms) — see ``core.concurrency``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.access import require_master_data_editor
from innendienst.accounts.models import User
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts.models import (
    BuyingCenterMembership,
    BuyingCenterRole,
    Channel,
    ChannelVerification,
    Company,
    CompanyAddress,
    Person,
)
from innendienst.contacts.selectors import companies_for, people_for
from innendienst.core import audit, concurrency, events, registry
from innendienst.core.inputs import apply_changes, writable_fields


def require_visible_company(actor: User, company: Company) -> None:
    if company.pk is None or not companies_for(actor).filter(pk=company.pk).exists():
        raise PermissionDenied(_("You may not change this company."))


def require_visible_person(actor: User, person: Person) -> None:
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


def _changed(before: Mapping[str, Any], instance: Any) -> list[str]:
    return sorted(name for name, value in audit.snapshot(instance).items() if before[name] != value)


@transaction.atomic
def company_create(*, actor: User, data: Mapping[str, Any]) -> Company:
    require_master_data_editor(actor)
    company = Company()
    apply_changes(company, data, COMPANY_FIELDS)
    _blank_unique_to_null(company)
    _validate_company(actor, company, territory_changed=True)
    _save_company(company)
    audit.record_create(actor=actor, instance=company)
    events.emit("company.created", actor=actor, instance=company)
    return company


@transaction.atomic
def company_update(
    *,
    actor: User,
    company: Company,
    data: Mapping[str, Any],
    seen: Mapping[str, Any] | None = None,
    expected_version: frozenset[int] | None = None,
) -> Company:
    require_master_data_editor(actor)
    require_visible_company(actor, company)
    company = Company.objects.select_for_update().get(pk=company.pk)
    concurrency.check_version(company, expected_version)
    before = audit.snapshot(company)

    def apply() -> None:
        apply_changes(company, data, COMPANY_FIELDS)
        _blank_unique_to_null(company)
        territory_changed = company.territory_id != before["territory"]
        _validate_company(actor, company, territory_changed=territory_changed)

    concurrency.apply_checking_conflicts(company, before, data, seen, apply)
    changed = _changed(before, company)
    if not changed:
        return company
    concurrency.bump(company)
    _save_company(company)
    audit.record_update(actor=actor, instance=company, before=before)
    events.emit("company.updated", actor=actor, instance=company, fields=changed)
    return company


ADDRESS_FIELDS = ("kind", "addition", "street", "postcode", "city", "country")


@transaction.atomic
def address_create(*, actor: User, company: Company, data: Mapping[str, Any]) -> CompanyAddress:
    require_master_data_editor(actor)
    require_visible_company(actor, company)
    address = CompanyAddress(company=company)
    apply_changes(address, data, ADDRESS_FIELDS)
    address.full_clean()
    address.save()
    audit.record_note(actor=actor, instance=company, field="address", new_value=str(address))
    events.emit("company.address_added", actor=actor, instance=company, address_id=address.pk)
    return address


@transaction.atomic
def address_delete(*, actor: User, address: CompanyAddress) -> None:
    require_master_data_editor(actor)
    require_visible_company(actor, address.company)
    audit.record_note(
        actor=actor, instance=address.company, field="address", old_value=str(address)
    )
    events.emit(
        "company.address_removed", actor=actor, instance=address.company, address_id=address.pk
    )
    address.delete()


class DuplicateSuspected(ValidationError):
    """The new record very likely exists already: ``matches`` are the records it may be."""

    def __init__(self, message: Any, matches: list[Any]) -> None:
        super().__init__(message)
        self.matches = matches


def created_unless_duplicate(
    *,
    actor: User,
    page: str,
    values: Mapping[str, Any],
    company: Company | None,
    confirmed: bool,
    create: Callable[[], Model],
) -> Model:
    """``create()``, unless the duplicate check (another app's, through the registry) finds
    records the new one very likely is and the actor has not confirmed that it is another;
    the confirmation goes into the new record's history in the same transaction. ``page``:
    "company" or "person" (``company``: the person's). Refused with ``DuplicateSuspected``."""
    require_master_data_editor(actor)
    check = registry.duplicate_check(page)
    if check is None:
        return create()
    matches = check.strong_matches(actor, values, company, None)
    if matches and not confirmed:
        found = ", ".join(
            f"{match.record} (#{match.record.pk}, {match.score.percent} %)" for match in matches
        )
        raise DuplicateSuspected(
            {
                "confirm_duplicate": _(
                    "This may exist already (%(records)s): open the record found, or confirm "
                    "that yours is another."
                )
                % {"records": found}
            },
            matches,
        )
    with transaction.atomic():
        record = create()
        if matches:
            check.record_confirmation(actor, record, matches)
    return record


PERSON_FIELDS = writable_fields(Person, exclude={"company"})


@transaction.atomic
def person_create(
    *,
    actor: User,
    company: Company,
    data: Mapping[str, Any],
    roles: Iterable[str] = (),
) -> Person:
    require_master_data_editor(actor)
    require_visible_company(actor, company)
    person = Person(company=company)
    apply_changes(person, data, PERSON_FIELDS)
    wanted = _valid_roles(roles)
    person.full_clean(exclude=["company"])  # the company was just checked
    person.save()
    audit.record_create(actor=actor, instance=person)
    if wanted:
        _set_roles(actor, person, company, wanted, current=set())
    events.emit("person.created", actor=actor, instance=person, company_id=company.pk)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    data: Mapping[str, Any],
    roles: Iterable[str] | None = None,
    seen: Mapping[str, Any] | None = None,
    expected_version: frozenset[int] | None = None,
) -> Person:
    """Change a person. ``roles`` (if given) become his buying-center roles at his company;
    from a form (``seen`` holds the roles it showed) only the roles the user added or removed
    change, so a role somebody else set meanwhile stays."""
    require_master_data_editor(actor)
    require_visible_person(actor, person)
    person = Person.objects.select_for_update().select_related("company").get(pk=person.pk)
    concurrency.check_version(person, expected_version)
    before = audit.snapshot(person)
    current_roles: set[str] = set()
    wanted: set[str] = set()
    if roles is not None:
        current_roles = _current_roles(person, person.company)
        wanted = _valid_roles(roles)
        if seen is not None and "roles" in seen:
            shown = set(seen["roles"] or ())
            wanted = (current_roles | (wanted - shown)) - (shown - wanted)

    def apply() -> None:
        apply_changes(person, data, PERSON_FIELDS)
        person.full_clean()

    concurrency.apply_checking_conflicts(person, before, data, seen, apply)
    changed = _changed(before, person)
    roles_changed = roles is not None and wanted != current_roles
    if not changed and not roles_changed:
        return person
    concurrency.bump(person)
    person.save()
    audit.record_update(actor=actor, instance=person, before=before)
    if roles_changed:
        _set_roles(actor, person, person.company, wanted, current=current_roles)
        changed.append("buying_center_roles")
    events.emit("person.updated", actor=actor, instance=person, fields=changed)
    return person


def _role_keys(roles: Iterable[str]) -> str:
    return ", ".join(sorted(roles))


def role_labels(keys: str) -> str:
    """The stored keys of a roles note, in the reader's language."""
    return ", ".join(str(BuyingCenterRole(key).label) for key in keys.split(", ") if key)


def _valid_roles(roles: Iterable[str]) -> set[str]:
    wanted = set(roles)
    unknown = wanted - set(BuyingCenterRole.values)
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown buying-center role: %s") % ", ".join(sorted(unknown))}
        )
    return wanted


def _current_roles(person: Person, company: Company) -> set[str]:
    return set(
        BuyingCenterMembership.objects.filter(person=person, company=company).values_list(
            "role", flat=True
        )
    )


def _set_roles(
    actor: User, person: Person, company: Company, wanted: set[str], *, current: set[str]
) -> None:
    """Write the difference; the caller has checked the actor, the person and the company."""
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


@transaction.atomic
def buying_center_set_roles(
    *, actor: User, person: Person, company: Company, roles: Iterable[str]
) -> set[str]:
    """Make ``roles`` the person's buying-center roles at ``company`` (his own, or a customer
    he advises)."""
    require_master_data_editor(actor)
    require_visible_company(actor, company)
    require_visible_person(actor, person)
    wanted = _valid_roles(roles)
    current = _current_roles(person, company)
    if wanted != current:
        _set_roles(actor, person, company, wanted, current=current)
        Person.objects.filter(pk=person.pk).update(version=F("version") + 1)
        events.emit(
            "person.updated",
            actor=actor,
            instance=person,
            fields=["buying_center_roles"],
            company_id=company.pk,
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
    require_master_data_editor(actor)
    owner: Company | Person | None = company or person
    if owner is None or (company is not None and person is not None):
        raise ValidationError(_("A verification belongs to a company or to a person."))
    if company is not None:
        require_visible_company(actor, company)
    else:
        require_visible_person(actor, person)
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
    events.emit(
        "channel.verified", actor=actor, instance=verification, channel=verification.channel
    )
    return verification
