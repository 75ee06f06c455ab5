"""Which column of a file fills which field of an import target: the proposal the user then
corrects.

A header is compared folded ("Straße", "STRASSE", "strasse" are one) with the field's
synonyms: first as a whole, then by its first words ("E-Mail geschäftlich" is an e-mail, "PLZ /
Ort" a postcode). A column whose header says nothing is recognised by its values when nearly all
of them are of one kind: e-mail addresses, web addresses, phone numbers, postcodes. Each field
is filled by one column, the first that claims it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from innendienst.core.registry import ImportField, ImportTarget
from innendienst.core.text import fold

# The first rows whose values are looked at.
SAMPLE_ROWS = 50
# Share of a column's filled sample cells that must look alike for the values to decide.
VALUE_AGREEMENT = 0.8

_VALUE_PATTERNS = {
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE),
    "website": re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE),
    # At least six digits: "0-1" is no phone number.
    "phone": re.compile(r"^(?=(\D*\d){6})(\+|00|0|\()[\d\s()/\-.]{5,}$"),
    "postcode": re.compile(r"^((D|A|CH|DE|AT|FL)[- ]?)?\d{4,5}$", re.IGNORECASE),
}


class Reason(StrEnum):
    HEADER = "header"
    VALUES = "values"


@dataclass(frozen=True)
class Proposal:
    """The field a column fills ("" for none) and what gave it away."""

    field: str
    reason: Reason | None = None


def propose(
    target: ImportTarget, headers: Sequence[str], sample: Sequence[Sequence[Any]]
) -> list[Proposal]:
    proposals = [Proposal("") for _ in headers]
    taken: set[str] = set()
    for matches in (_whole_header, _header_start):
        for column, header in enumerate(headers):
            if proposals[column].field:
                continue
            field = next(
                (f for f in target.fields if f.name not in taken and matches(header, f)), None
            )
            if field:
                proposals[column] = Proposal(field.name, Reason.HEADER)
                taken.add(field.name)
    for column in range(len(headers)):
        if proposals[column].field:
            continue
        kind = value_kind([row[column] for row in sample if column < len(row)])
        field = next((f for f in target.fields if f.kind == kind and f.name not in taken), None)
        if kind and field:
            proposals[column] = Proposal(field.name, Reason.VALUES)
            taken.add(field.name)
    return proposals


def _names(field: ImportField) -> set[str]:
    return {
        fold(name) for name in (field.name.replace("_", " "), str(field.label), *field.synonyms)
    }


def _whole_header(header: str, field: ImportField) -> bool:
    return fold(header) in _names(field)


def _header_start(header: str, field: ImportField) -> bool:
    words = fold(header).split()
    for name in _names(field):
        length = len(name.split())
        if name and len(words) > length and " ".join(words[:length]) == name:
            return True
    return False


def value_kind(values: Sequence[Any]) -> str:
    """The kind nearly all filled values are of, or ""."""
    filled = [str(value).strip() for value in values if value is not None and str(value).strip()]
    if not filled:
        return ""
    for kind, pattern in _VALUE_PATTERNS.items():
        alike = sum(1 for value in filled if pattern.match(value))
        if alike >= VALUE_AGREEMENT * len(filled):
            return kind
    return ""
