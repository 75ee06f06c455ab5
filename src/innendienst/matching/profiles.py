"""What the duplicate engine knows of a company or a person: its normalised values and the
blocking keys under which its candidates are found.

A profile is built from plain values (a model's fields, a form's input, an import row), so
that entry, import and scan compare the same way whatever the record came from.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from innendienst.core.text import fold
from innendienst.matching import normalise

# The fields a profile reads, so that selectors load nothing else.
COMPANY_FIELDS = (
    "id", "name", "legal_form", "street", "postcode", "city", "country", "phone", "email",
    "website", "vat_id",
)  # fmt: skip
PERSON_FIELDS = ("id", "company_id", "title", "first_name", "last_name", "email", "phone", "mobile")
PERSON_COMPANY_FIELDS = ("name", "postcode", "city", "country", "phone")


@dataclass(frozen=True, slots=True)
class CompanyProfile:
    id: int | None
    name: str
    core: str
    legal_form: str
    sound: str
    street: str
    number: str
    postcode: str
    city: str
    phone: str
    domain: str
    vat: str
    keys: dict[str, str] = field(default_factory=dict, compare=False)
    # The e-mail addresses ("E|…") and direct dials ("T|…") of its people, where the scan
    # read them: a contact two company records share is evidence that they are one firm.
    contacts: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True, slots=True)
class PersonProfile:
    id: int | None
    name: str
    company_id: int | None
    first: str
    first_folded: str
    first_sound: str
    last: str
    last_sound: str
    email: str
    phones: frozenset[str]
    company_core: str
    company_sound: str
    company_postcode: str
    company_city: str
    keys: dict[str, str] = field(default_factory=dict, compare=False)


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value)


def website_domain(url: str) -> str:
    """ "https://www.mueller-werkzeugbau.de/kontakt" → "mueller-werkzeugbau.de"."""
    text = url.strip().lower()
    if not text:
        return ""
    try:
        host = urlsplit(text if "://" in text else f"http://{text}").hostname or ""
    except ValueError:  # "http://[" and the like: no address, no domain
        return ""
    host = host.removeprefix("www.")
    return host if "." in host else ""


def company_profile(values: Mapping[str, Any]) -> CompanyProfile:
    name = normalise.company_name(_text(values, "name"))
    country = _text(values, "country") or "DE"
    street = normalise.street(_text(values, "street"))
    postcode = normalise.postcode(_text(values, "postcode"), country)
    city = normalise.city(_text(values, "city"))
    phone = normalise.phone(_text(values, "phone"), country)
    domain = normalise.email(_text(values, "email")).domain or website_domain(
        _text(values, "website")
    )
    vat = normalise.vat_id(_text(values, "vat_id"))
    sound = normalise.phonetic_key(name.core)
    keys: dict[str, str] = {}
    if name.core:
        keys["name"] = f"N|{name.core}"
        if sound:
            keys["sound"] = f"S|{sound}|{postcode[:2] or city}"
    if street.name and postcode:
        keys["address"] = f"A|{postcode}|{street.name}|{street.number}"
    if street.name and city:
        keys["street_city"] = f"B|{city}|{street.name}|{street.number}"
    if phone:
        keys["phone"] = f"T|{phone}"
    if domain:
        keys["domain"] = f"D|{domain}"
    if vat:
        keys["vat"] = f"V|{vat}"
    raw_id = values.get("id")
    return CompanyProfile(
        id=int(raw_id) if raw_id else None,
        name=_text(values, "name"),
        core=name.core,
        legal_form=_text(values, "legal_form") or name.legal_form,
        sound=sound,
        street=street.name,
        number=street.number,
        postcode=postcode,
        city=city,
        phone=phone,
        domain=domain,
        vat=vat,
        keys=keys,
        contacts=frozenset(values.get("contacts") or ()),
    )


@functools.lru_cache(maxsize=2**16)
def _firm(name: str, postcode: str, city: str, country: str, phone: str) -> CompanyProfile:
    """A person's company as his profile needs it, once for all its people."""
    values = {"name": name, "postcode": postcode, "city": city, "country": country}
    return company_profile({**values, "phone": phone})


def direct_dials(numbers: tuple[str, ...], country: str, switchboard: str) -> set[str]:
    """A person's phone numbers in E.164; the firm's switchboard (normalised) names no one."""
    return {normalise.phone(number, country) for number in numbers} - {"", switchboard}


def contact_identifiers(
    email: str, phones: tuple[str, ...], country: str, switchboard: str
) -> set[str]:
    """A person's e-mail address and direct dials as a company's ``contacts`` holds them, under
    the keys his own profile has for them ("E|…", "T|…")."""
    found = {
        f"T|{number}"
        for number in direct_dials(phones, country, normalise.phone(switchboard, country))
    }
    address = normalise.email(email).address
    if address:
        found.add(f"E|{address}")
    return found


def person_profile(values: Mapping[str, Any], company: Mapping[str, Any]) -> PersonProfile:
    """``company``: the person's company's name, postcode, city, country and phone (its
    switchboard is no evidence that two people are one)."""
    country = _text(company, "country") or "DE"
    firm = _firm(
        _text(company, "name"),
        _text(company, "postcode"),
        _text(company, "city"),
        country,
        _text(company, "phone"),
    )
    switchboard = firm.phone
    phones = direct_dials((_text(values, "phone"), _text(values, "mobile")), country, switchboard)
    first = normalise.first_name(_text(values, "first_name"))
    last = normalise.last_name(_text(values, "last_name"))
    first_sound = normalise.phonetic_key(first)
    last_sound = normalise.phonetic_key(last)
    address = normalise.email(_text(values, "email")).address
    raw_company = values.get("company_id")
    company_id = int(raw_company) if raw_company else None
    keys: dict[str, str] = {}
    if address:
        keys["email"] = f"E|{address}"
    for number in sorted(phones):
        keys[f"phone {number}"] = f"T|{number}"
    if last:
        keys["last"] = f"L|{last}"
        if company_id:
            keys["colleague"] = f"C|{company_id}|{last_sound or last}"
        if first:
            # The name at a firm of that name, wherever it is: a person typed again at the
            # company's twin record after a move. Alone, a name pairs every Thomas Müller of
            # the country with every other (millions of pairs at a million people).
            firm_name = firm.sound or firm.core
            if firm_name:
                keys["name"] = f"P|{first}|{last}|{firm_name}"
            keys["sound"] = f"K|{first}|{last_sound or last}|{firm.postcode or firm.city}"
    place = firm.postcode or firm.city
    if last and first and place:
        # The surname with the first name's initial, and the first name with the surname's,
        # at the firm's place: a person typed again at the company's twin record with the
        # other name mistyped or as an initial. The initials keep the blocks small: a
        # surname alone at a postcode pairs every Müller there with every other.
        keys["last_at_place"] = f"Q|{last}|{first[0]}|{place}"
        keys["first_at_place"] = f"R|{first}|{last[0]}|{place}"
    if first:
        keys["first"] = f"F|{first}"
        if company_id:
            keys["first_at"] = f"I|{company_id}|{first}"
    raw_id = values.get("id")
    name = " ".join(
        part for part in (_text(values, "first_name"), _text(values, "last_name")) if part
    )
    return PersonProfile(
        id=int(raw_id) if raw_id else None,
        name=name,
        company_id=company_id,
        first=first,
        first_folded=fold(_text(values, "first_name")),
        first_sound=first_sound,
        last=last,
        last_sound=last_sound,
        email=address,
        phones=frozenset(phones),
        company_core=firm.core,
        company_sound=firm.sound,
        company_postcode=firm.postcode,
        company_city=firm.city,
        keys=keys,
    )


# Keys that only count how common a value is ("Müller" as a surname, "Thomas");
# candidates are never looked up by them.
COUNTING_ONLY = frozenset(("last", "first"))


def key_hash(key: str) -> int:
    """The stored form of a key: 64 bits, signed, as PostgreSQL's bigint takes them."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def distinct_keys(record: CompanyProfile | PersonProfile) -> list[tuple[str, str]]:
    """(name, key) once per key: a person's phone and mobile may be one number."""
    return list({key: (name, key) for name, key in record.keys.items()}.values())
