"""Capture a lead for a company and contact that may not exist yet ("match or create"):
quick entry of an inbound call, the booth at a fair (offline, the company typed), and the
public web form.

The company and the contact are looked up with the duplicate engine (through the registry's
duplicate check, as the import does); a strong match is taken, otherwise they are created by
the contacts services, so that validation, territory check and history are the same as on
their own forms. The lead itself goes through ``services.capture_at``, the core every capture
path shares; a consent given with the lead is appended to the consent ledger with its wording.
Everything happens in one transaction: an error anywhere writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import SYSTEM_USERNAME_PREFIX, Role, Territory, User
from innendienst.accounts.selectors import territories_for
from innendienst.contacts.models import AddressSource, Channel, Company, Person
from innendienst.contacts.selectors import companies_for
from innendienst.contacts.services import company_create, person_create
from innendienst.core import registry
from innendienst.core.validation import normalize_phone
from innendienst.leads import services
from innendienst.leads.models import Lead, LeadSource, LeadStage
from innendienst.privacy.models import ConsentStatus, LegalBasis
from innendienst.privacy.selectors import consents_of, current_consents
from innendienst.privacy.services import consent_record

# What a capture path asks of a company (all of it is what the duplicate engine compares, as
# contacts' import compares it of a row) and of its contact.
COMPANY_INPUT = ("name", "street", "postcode", "city", "country", "phone", "email", "website")
PERSON_INPUT = ("salutation", "first_name", "last_name", "email", "phone", "function")
# What the duplicate engine compares of a contact.
_MATCHED_PERSON = ("first_name", "last_name", "email", "phone")

# The account the public web form captures as: the audit names it, the distribution treats
# it as nobody. It cannot log in (no usable password) and is made on first use.
WEB_FORM_USERNAME = f"{SYSTEM_USERNAME_PREFIX}web-form"

# Where a new company's address came from, by the lead's source.
ADDRESS_SOURCES = {
    LeadSource.WEB_FORM: AddressSource.MARKETING_WEB,
    LeadSource.TRADE_FAIR: AddressSource.TRADE_FAIR,
    LeadSource.REFERRAL: AddressSource.REFERRAL,
}


@dataclass(frozen=True)
class ConsentGiven:
    """A consent the contact gave with the lead: the words he agreed to, where, for which
    channels. ``public``: given in the public web form, where nobody vouches for who typed it
    (see ``_public_consent_channels``)."""

    wording: str
    source: str
    channels: Sequence[str] = (Channel.EMAIL, Channel.PHONE)
    public: bool = False


@dataclass(frozen=True)
class CaptureResult:
    lead: Lead
    created: bool
    company_created: bool = False
    person_created: bool = False
    matched: list[str] = field(default_factory=list)


class _Resent(Exception):
    """The capture id was used meanwhile: undo what this attempt wrote, return the first."""

    def __init__(self, lead: Lead) -> None:
        super().__init__()
        self.lead = lead


def is_system_actor(user: Any) -> bool:
    return bool(getattr(user, "username", "").startswith(SYSTEM_USERNAME_PREFIX))


def web_form_actor() -> User:
    """The web form's account: an administrator's scope (it must find every company), no
    password, so nobody logs in with it."""
    user, created = User.objects.get_or_create(
        username=WEB_FORM_USERNAME,
        defaults={"first_name": "Webformular", "role": Role.ADMIN, "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def territory_for_new_company(actor: User, country: str) -> Territory | None:
    """Where a company that a capture creates belongs: for a rep the first of his own (or his
    team's) territories in the company's country, else the first he sees there; for the web
    form the country's top territory. Inside sales moves it if the postcode says otherwise;
    the distribution rules read the territory, so a wrong one only routes the lead wider."""
    if is_system_actor(actor):
        roots = Territory.objects.filter(parent__isnull=True)
        return roots.filter(country=country).order_by("path").first() or roots.first()
    own = Territory.objects.filter(Q(users=actor) | Q(teams__members=actor)).distinct()
    found = own.filter(country=country).order_by("path").first()
    if found is not None:
        return found
    visible = territories_for(actor)
    return (
        visible.filter(country=country).order_by("path").first()
        or own.order_by("path").first()
        or visible.order_by("path").first()
    )


def _prefixed(prefix: str, exc: ValidationError) -> dict[str, list[ValidationError]]:
    if not hasattr(exc, "error_dict"):
        return {prefix.rstrip("."): exc.error_list}
    return {
        f"{prefix}{name}" if name != "__all__" else prefix.rstrip("."): errors
        for name, errors in exc.error_dict.items()
    }


def _values(data: Mapping[str, Any] | None, names: Sequence[str]) -> dict[str, Any]:
    return {name: data[name] for name in names if data and data.get(name) not in (None, "")}


def match_company(actor: User, values: Mapping[str, Any]) -> Company | None:
    """The company the typed values very likely are (a strong match of the duplicate
    engine), among those the actor sees."""
    check = registry.duplicate_check("company")
    if check is None or not values.get("name"):
        return None
    row = {name: values.get(name, "") or "" for name in COMPANY_INPUT}
    [twin] = check.twins(actor, [row])
    return twin.record if twin is not None and twin.strong else None  # type: ignore[return-value]


def match_person(actor: User, company: Company, values: Mapping[str, Any]) -> Person | None:
    """The contact of ``company`` the typed values very likely are."""
    check = registry.duplicate_check("person")
    if check is None or not values.get("last_name"):
        return None
    person_values = {name: values.get(name, "") or "" for name in _MATCHED_PERSON}
    firm = {name: getattr(company, name) for name in COMPANY_INPUT}
    firm["id"] = company.pk
    [twin] = check.twins(actor, [(person_values, firm)])
    if twin is None or not twin.strong or twin.record.company_id != company.pk:
        return None
    return twin.record  # type: ignore[return-value]


def _wants_person(values: Mapping[str, Any]) -> bool:
    return any(values.get(name) for name in ("first_name", "last_name", "email", "phone"))


def _may_not_create(actor: User, what: str) -> list[ValidationError] | None:
    """Marketing captures leads but keeps no master data (decisions, 2026-11-22): a company
    or contact it would have to create is an error at the field, not a 403 of the page."""
    if can_edit_master_data(actor):
        return None
    return [
        ValidationError(
            _("Your role may not create %(what)s: pick an existing one or ask inside sales.")
            % {"what": what},
            code="permission",
        )
    ]


@transaction.atomic
def lead_capture_matching(
    *,
    actor: User,
    data: Mapping[str, Any],
    company: Mapping[str, Any] | None = None,
    company_id: int | None = None,
    person: Mapping[str, Any] | None = None,
    stage: str = LeadStage.QL,
    capture_id: uuid.UUID | None = None,
    consent: ConsentGiven | None = None,
    territory: Territory | None = None,
) -> CaptureResult:
    """Capture a lead for the company picked (``company_id``) or typed (``company``: name,
    street, postcode, city, country, phone, email, website) and the contact typed
    (``person``: salutation, first_name, last_name, email, phone, function). A typed company
    or contact that the duplicate engine finds with certainty is taken; otherwise it is
    created (``territory``: where a new company goes; by default ``territory_for_new_company``).
    Field errors are named ``company.<field>``, ``person.<field>`` or the lead's field.
    With a ``capture_id`` already used, nothing is written and the first lead is returned."""
    services.require_lead_worker(actor)
    earlier = services.earlier_capture(actor, capture_id)
    if earlier is not None:
        return CaptureResult(earlier, created=False)
    try:
        with transaction.atomic():
            return _capture(
                actor=actor,
                data=data,
                company=company,
                company_id=company_id,
                person=person,
                stage=stage,
                capture_id=capture_id,
                consent=consent,
                territory=territory,
            )
    except _Resent as resent:
        # A concurrent resend won: the company or contact this attempt made is rolled back.
        return CaptureResult(resent.lead, created=False)


def _capture(
    *,
    actor: User,
    data: Mapping[str, Any],
    company: Mapping[str, Any] | None,
    company_id: int | None,
    person: Mapping[str, Any] | None,
    stage: str,
    capture_id: uuid.UUID | None,
    consent: ConsentGiven | None,
    territory: Territory | None,
) -> CaptureResult:
    errors: dict[str, list[ValidationError]] = {}
    matched: list[str] = []
    firm, firm_created = _company_of(actor, company, company_id, data, territory, errors, matched)
    contact: Person | None = None
    contact_created = False
    person_values = _values(person, PERSON_INPUT)
    if _wants_person(person_values):
        if firm is None:
            _check_person(person_values, errors)
        else:
            contact = match_person(actor, firm, person_values) if not firm_created else None
            refused = _may_not_create(actor, _("contacts"))
            if contact is not None:
                matched.append("person")
            elif refused:
                errors["person.last_name"] = refused
            else:
                try:
                    with transaction.atomic():
                        contact = person_create(actor=actor, company=firm, data=person_values)
                    contact_created = True
                except ValidationError as exc:
                    errors.update(_prefixed("person.", exc))
    if consent is not None and contact is None:
        errors.setdefault("person.last_name", []).append(
            ValidationError(
                _("A consent needs the contact who gives it: please enter his name."),
                code="required",
            )
        )
    elif consent is not None and not consent.public and contact and not _reachable_by(contact):
        errors.setdefault("person.email", []).append(
            ValidationError(
                _("A consent needs an e-mail address or a phone number to contact him by."),
                code="required",
            )
        )
    if errors or firm is None:
        raise ValidationError(errors)
    lead_data = {**data, "person_id": contact.pk if contact else None}
    channels: list[str] = []
    if consent is not None and contact is not None:
        if consent.public:
            channels, remarks = _public_consent_channels(
                contact, person_values, consent.channels, created=contact_created
            )
            lead_data["notes"] = "\n".join(filter(None, [data.get("notes", ""), *remarks]))
        else:
            channels = [name for name in consent.channels if name in _reachable_by(contact)]
    lead, created = services.capture_at(
        actor=actor,
        company=firm,
        data=lead_data,
        stage=stage,
        capture_id=capture_id,
        captor_keeps=not is_system_actor(actor),
    )
    if not created:
        raise _Resent(lead)
    if consent is not None and contact is not None:
        _record_consent(actor, contact, consent, channels)
    return CaptureResult(lead, True, firm_created, contact_created, matched)


def _company_of(
    actor: User,
    typed: Mapping[str, Any] | None,
    company_id: int | None,
    data: Mapping[str, Any],
    territory: Territory | None,
    errors: dict[str, list[ValidationError]],
    matched: list[str],
) -> tuple[Company | None, bool]:
    if company_id is not None:
        firm = companies_for(actor).filter(pk=company_id).first()
        if firm is None:
            errors["company_id"] = [
                ValidationError(
                    _("There is no such record, or you may not see it."), code="does_not_exist"
                )
            ]
        return firm, False
    values = _values(typed, COMPANY_INPUT)
    if not values.get("name"):
        errors["company.name"] = [
            ValidationError(_("Please name the company or pick one."), code="required")
        ]
        return None, False
    firm = match_company(actor, values)
    if firm is not None:
        matched.append("company")
        return firm, False
    values.setdefault("country", "DE")
    values["territory"] = territory or territory_for_new_company(actor, values["country"])
    source = ADDRESS_SOURCES.get(data.get("source", ""))
    if source:
        values["source"] = source
        if data.get("source_name"):
            values["source_name"] = data["source_name"]
    refused = _may_not_create(actor, _("companies"))
    if refused:
        errors["company.name"] = refused
        return None, False
    try:
        with transaction.atomic():
            return company_create(actor=actor, data=values), True
    except ValidationError as exc:
        errors.update(_prefixed("company.", exc))
        return None, False


def _check_person(values: Mapping[str, Any], errors: dict[str, list[ValidationError]]) -> None:
    """The contact's own field errors while the company has some: all at once, not by turns."""
    try:
        Person(**values).full_clean(exclude=["company"])
    except ValidationError as exc:
        errors.update(_prefixed("person.", exc))


def _reachable_by(person: Person) -> list[str]:
    """The consent channels the contact can be reached by: e-mail, phone (his phone or his
    mobile). The check before a capture and the recording after it read the same."""
    channels = []
    if person.email:
        channels.append(Channel.EMAIL)
    if person.phone or person.mobile:
        channels.append(Channel.PHONE)
    return channels


def _typed_is_stored(person: Person, typed: Mapping[str, Any], channel: str) -> bool:
    """The value typed for the channel is the contact's own (a new contact's are the typed
    ones, normalised by the contacts services)."""
    if channel == Channel.EMAIL:
        email = str(typed.get("email") or "").strip().casefold()
        return bool(email) and email == person.email.strip().casefold()
    if channel == Channel.PHONE:
        country = person.company.country if person.company_id else "DE"
        try:
            phone = normalize_phone(str(typed.get("phone") or ""), country)
        except ValidationError:
            return False
        return bool(phone) and phone in (person.phone, person.mobile)
    return False


def _public_consent_channels(
    person: Person, typed: Mapping[str, Any], asked: Sequence[str], *, created: bool
) -> tuple[list[str], list[str]]:
    """The channels a consent of the public web form may be recorded for, and remarks for the
    lead. Anybody can type a known person's name: a consent counts only for a channel whose
    value the visitor typed and that is the contact's own, and never replaces a withdrawal
    (the newest entry of the ledger decides, so a stranger could undo it). The enquiry still
    arrives; what was typed stays on the lead, so that it keeps its reply address."""
    current = {} if created else current_consents(consents_of(person))
    channels: list[str] = []
    remarks: list[str] = []
    for channel in asked:
        if not _typed_is_stored(person, typed, channel):
            continue
        entry = current.get(channel)
        if entry is not None and entry.status != ConsentStatus.GRANTED:
            remarks.append(
                _("Consent by %(channel)s not recorded: the contact had withdrawn it.")
                % {"channel": Channel(channel).label}
            )
            continue
        channels.append(channel)
    differs = [
        name
        for name, channel in (("email", Channel.EMAIL), ("phone", Channel.PHONE))
        if typed.get(name) and not _typed_is_stored(person, typed, channel)
    ]
    if differs and not created:
        given = [
            label % {"value": typed[name]}
            for name, label in (("email", _("e-mail %(value)s")), ("phone", _("phone %(value)s")))
            if typed.get(name)
        ]
        remarks.insert(
            0,
            _("Given in the web form: %(values)s (the contact's stored data differs).")
            % {"values": ", ".join(given)},
        )
    return channels, remarks


def _record_consent(
    actor: User, person: Person, consent: ConsentGiven, channels: Sequence[str]
) -> None:
    for channel in channels:
        try:
            consent_record(
                actor=actor,
                person=person,
                data={
                    "channel": channel,
                    "status": ConsentStatus.GRANTED,
                    "source": consent.source[:200],
                    "legal_basis": LegalBasis.CONSENT,
                    "note": consent.wording,
                },
            )
        except ValidationError as exc:
            raise ValidationError({"consent": exc.messages}) from exc


# The lead's own text fields a capture path passes on.
LEAD_TEXT_FIELDS = ("source_name", "interests", "need", "timing", "notes")


def lead_capture_web_form(
    *,
    company: Mapping[str, Any],
    person: Mapping[str, Any],
    data: Mapping[str, Any],
    consent_wording: str,
    consent_source: str,
) -> CaptureResult:
    """An enquiry from the public web form. Nobody is logged in: the web form's system
    account captures it (it sees every company, so a known customer is matched, and keeps no
    lead, so the distribution rules or a manager decide who answers). ``consent_wording`` is
    our own text as the page showed it, never the client's; the consent is recorded only for
    a channel whose value the visitor typed and that is the contact's own
    (``_public_consent_channels``)."""
    return lead_capture_matching(
        actor=web_form_actor(),
        data={**data, "source": LeadSource.WEB_FORM},
        company=company,
        person=person,
        consent=ConsentGiven(wording=consent_wording, source=consent_source, public=True),
    )
