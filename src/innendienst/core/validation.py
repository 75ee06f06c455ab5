"""Validators and normalisers for DACH master data: phone, postcode, VAT/UID number.

Each ``normalize_*`` function returns the one canonical spelling of a valid value or raises
``ValidationError`` with a message a clerk understands.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.ch import uid as ch_uid
from stdnum.eu import vat as eu_vat

from innendienst.core.models import Country

# Free text (notes, preferences) is long, but not unbounded.
LONG_TEXT = [MaxLengthValidator(10_000)]

POSTCODE_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    Country.DE: (re.compile(r"^(?!00)\d{5}$"), "80331"),
    Country.AT: (re.compile(r"^[1-9]\d{3}$"), "1010"),
    Country.CH: (re.compile(r"^[1-9]\d{3}$"), "8001"),
    Country.LI: (re.compile(r"^94(8[5-9]|9[0-8])$"), "9490"),
    Country.LU: (re.compile(r"^(L-)?\d{4}$"), "1009"),
    Country.BE: (re.compile(r"^[1-9]\d{3}$"), "1000"),
    Country.NL: (re.compile(r"^[1-9]\d{3} ?[A-Z]{2}$"), "1012 AB"),
    Country.FR: (re.compile(r"^\d{5}$"), "75001"),
    Country.IT: (re.compile(r"^\d{5}$"), "00118"),
    Country.DK: (re.compile(r"^\d{4}$"), "1050"),
    Country.PL: (re.compile(r"^\d{2}-\d{3}$"), "00-001"),
    Country.CZ: (re.compile(r"^\d{3} ?\d{2}$"), "110 00"),
}


def normalize_postcode(value: str, country: str) -> str:
    postcode = value.strip().upper()
    if country in (Country.DE, Country.AT, Country.CH, Country.LI):
        postcode = re.sub(r"^(D|A|CH|FL)-", "", postcode)
    rule = POSTCODE_PATTERNS.get(country)
    if rule and not rule[0].match(postcode):
        raise ValidationError(
            _("Please enter a valid postcode for %(country)s, e.g. %(example)s.")
            % {"country": Country(country).label, "example": rule[1]},
            code="invalid_postcode",
        )
    return postcode


def normalize_phone(value: str, country: str = Country.DE) -> str:
    """Any way people type a number ("089/123456-0", "0041 44 123 45 67") → "+49 89 1234560"."""
    raw = value.strip()
    if not raw:
        return ""
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    # "+49 (0)89 …": the trunk zero in brackets is written but never dialled.
    raw = re.sub(r"\(0\)", "", raw)
    try:
        number = phonenumbers.parse(raw, country or Country.DE)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Please enter a valid phone number, e.g. +49 89 1234567."), code="invalid_phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Please enter a valid phone number, e.g. +49 89 1234567."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_vat_id(value: str) -> str:
    """EU VAT number (DE123456789, ATU12345678) or Swiss UID (CHE-123.456.789)."""
    raw = value.strip().upper()
    if not raw:
        return ""
    try:
        if raw.startswith("CHE"):
            # "CHE-123.456.789 MWST" is the UID with the VAT suffix; the UID is what identifies.
            return ch_uid.format(ch_uid.validate(re.sub(r"\s*(MWST|TVA|IVA)$", "", raw)))
        compact = eu_vat.validate(raw)
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _(
                "Please enter a valid VAT/UID number, "
                "e.g. DE123456788, ATU13585627 or CHE-116.281.710."
            ),
            code="invalid_vat_id",
        ) from exc
    return compact
