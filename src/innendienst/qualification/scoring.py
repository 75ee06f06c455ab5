"""The completeness and quality score of a company: which criteria of the base list and of its
customer group's checklist are met, weighted, and what is missing — in words.

Pure functions of ``CompanyFacts``: the refresh reads the facts from the database in bulk
(``quality.py``), the demo from its plans.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.contacts.models import Authority, BuyingCenterRole, Company
from innendienst.core.text import fold

# The facts a score reads of a company.
COMPANY_FIELDS = (
    "street", "postcode", "city", "phone", "email", "website", "industry_id",
    "customer_group_id", "employees", "annual_revenue", "purchasing_volume",
    "order_cycle_days", "vat_id", "commercial_register",
)  # fmt: skip

# What a checklist may ask to collect beyond the base criteria.
ATTRIBUTES: dict[str, Promise] = {
    name: Company._meta.get_field(name).verbose_name
    for name in (
        "employees", "annual_revenue", "purchasing_volume", "order_cycle_days", "vat_id",
        "commercial_register", "website",
    )
}  # fmt: skip

AUTHORITY_RANK = {
    Authority.NONE: 0,
    Authority.RECOMMENDS: 1,
    Authority.UP_TO_LIMIT: 2,
    Authority.FULL: 3,
    Authority.SIGNATORY: 4,
}

# Without a checklist of its own, a customer group needs its decider known.
DEFAULT_ROLES = (BuyingCenterRole.DECIDER.value,)


@dataclass(frozen=True)
class PersonFacts:
    phone: str = ""
    mobile: str = ""
    email: str = ""
    function: str = ""
    department: str = ""
    authority: str = ""
    # Channels whose current value someone confirmed.
    verified: frozenset[str] = frozenset()
    # Read for the contact's own score only.
    salutation: str = ""
    first_name: str = ""
    best_time_to_reach: str = ""
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CompanyFacts:
    values: Mapping[str, Any]
    verified: frozenset[str] = frozenset()
    people: tuple[PersonFacts, ...] = ()
    # Buying-center roles known at the company, held by its people or by outside advisors.
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Requirements:
    """A customer group's checklist as the score reads it."""

    functions: tuple[str, ...] = ()
    roles: tuple[str, ...] = DEFAULT_ROLES
    authority: str = ""
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quality:
    score: int
    missing: tuple[str, ...]
    phones: int = 0
    phones_verified: int = 0
    emails: int = 0
    emails_verified: int = 0


@dataclass
class _Tally:
    met: int = 0
    total: int = 0
    missing: list[str] = field(default_factory=list)

    def add(self, code: str, weight: int, met: bool) -> None:
        self.total += weight
        if met:
            self.met += weight
        else:
            self.missing.append(code)


def _filled(value: Any) -> bool:
    return value not in (None, "")


def score(facts: CompanyFacts, requirements: Requirements) -> Quality:
    values = facts.values
    people = facts.people
    tally = _Tally()
    address = all(_filled(values.get(name)) for name in ("street", "postcode", "city"))
    tally.add("address", 2, address)
    tally.add("address_verified", 1, address and "postal" in facts.verified)
    tally.add("phone", 2, _filled(values.get("phone")))
    tally.add("phone_verified", 1, _filled(values.get("phone")) and "phone" in facts.verified)
    tally.add("email_or_web", 1, _filled(values.get("email")) or _filled(values.get("website")))
    tally.add("industry", 1, _filled(values.get("industry_id")))
    tally.add("customer_group", 1, _filled(values.get("customer_group_id")))
    tally.add("size", 1, _filled(values.get("employees")) or _filled(values.get("annual_revenue")))
    tally.add("contact", 2, bool(people))
    tally.add(
        "contact_reachable",
        2,
        any(person.email and (person.phone or person.mobile) for person in people),
    )
    tally.add("contact_verified", 1, any(person.verified for person in people))
    for function in requirements.functions:
        wanted = fold(function)
        tally.add(
            f"function:{function}",
            2,
            any(wanted in fold(f"{p.function} {p.department}") for p in people),
        )
    for role in requirements.roles:
        tally.add(f"role:{role}", 2, role in facts.roles)
    if requirements.authority:
        needed = AUTHORITY_RANK.get(requirements.authority, 0)
        tally.add(
            f"authority:{requirements.authority}",
            2,
            any(AUTHORITY_RANK.get(p.authority, -1) >= needed for p in people),
        )
    for name in requirements.attributes:
        tally.add(f"attribute:{name}", 1, _filled(values.get(name)))

    phones, phones_verified = _counted(facts, ("phone", "mobile"))
    emails, emails_verified = _counted(facts, ("email",))
    return Quality(
        score=round(100 * tally.met / tally.total),
        missing=tuple(tally.missing),
        phones=phones,
        phones_verified=phones_verified,
        emails=emails,
        emails_verified=emails_verified,
    )


def _counted(facts: CompanyFacts, channels: tuple[str, ...]) -> tuple[int, int]:
    """How many of these channels the company and its people have filled, and how many of
    those someone confirmed."""
    filled = [c in facts.verified for c in channels if _filled(facts.values.get(c))]
    filled += [c in p.verified for p in facts.people for c in channels if getattr(p, c)]
    return len(filled), sum(filled)


def person_score(person: PersonFacts) -> Quality:
    """How complete a contact is: how to address him, what he does and decides, how to reach
    him and whether someone confirmed it, his part in the buying center."""
    tally = _Tally()
    tally.add("person_salutation", 1, person.salutation not in ("", "none"))
    tally.add("person_first_name", 1, bool(person.first_name))
    tally.add("person_function", 2, bool(person.function or person.department))
    tally.add("person_authority", 1, bool(person.authority))
    tally.add("person_phone", 2, bool(person.phone or person.mobile))
    tally.add("person_email", 2, bool(person.email))
    tally.add("person_verified", 1, bool(person.verified))
    tally.add("person_role", 1, bool(person.roles))
    tally.add("person_best_time", 1, bool(person.best_time_to_reach))
    return Quality(score=round(100 * tally.met / tally.total), missing=tuple(tally.missing))


_CRITERIA = {
    "address": gettext_lazy("Postal address incomplete"),
    "address_verified": gettext_lazy("Postal address not confirmed"),
    "phone": gettext_lazy("No phone number"),
    "phone_verified": gettext_lazy("Phone number not confirmed"),
    "email_or_web": gettext_lazy("No e-mail address or website"),
    "industry": gettext_lazy("Industry unknown"),
    "customer_group": gettext_lazy("No customer group"),
    "size": gettext_lazy("Size unknown (employees or revenue)"),
    "contact": gettext_lazy("No contact person"),
    "contact_reachable": gettext_lazy("No contact with phone and e-mail"),
    "contact_verified": gettext_lazy("No contact with a confirmed channel"),
    "person_salutation": gettext_lazy("No salutation"),
    "person_first_name": gettext_lazy("No first name"),
    "person_function": gettext_lazy("Function unknown"),
    "person_authority": gettext_lazy("Authority unknown"),
    "person_phone": gettext_lazy("No phone number"),
    "person_email": gettext_lazy("No e-mail address"),
    "person_verified": gettext_lazy("No channel confirmed"),
    "person_role": gettext_lazy("No role in the buying center"),
    "person_best_time": gettext_lazy("Best time to reach unknown"),
}


def describe(code: str) -> str:
    """What a missing criterion means, for the user."""
    if code in _CRITERIA:
        return str(_CRITERIA[code])
    kind, _sep, value = code.partition(":")
    if kind == "function":
        return _("No contact in: %(function)s") % {"function": value}
    if kind == "role":
        label = BuyingCenterRole(value).label if value in BuyingCenterRole.values else value
        return _("Buying center: %(role)s unknown") % {"role": label}
    if kind == "authority":
        label = Authority(value).label if value in Authority.values else value
        return _("No contact with the authority: %(authority)s") % {"authority": label}
    if kind == "attribute":
        return _("Missing: %(attribute)s") % {"attribute": ATTRIBUTES.get(value, value)}
    return code
