"""The duplicate check that the company and person forms ask before creating a record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from innendienst.core.registry import Twin
from innendienst.matching import selectors, services

User = Any


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if not isinstance(value, models.Model)}


def strong_companies(
    user: User, values: Mapping[str, Any], company: Any, record: Any
) -> list[selectors.Candidate]:
    exclude = record.pk if record is not None else None
    return selectors.company_matches(user, _plain(values), exclude=exclude).strong


def strong_people(
    user: User, values: Mapping[str, Any], company: Any, record: Any
) -> list[selectors.Candidate]:
    exclude = record.pk if record is not None else None
    return selectors.person_matches(user, _plain(values), company, exclude=exclude).strong


def _twin(matches: selectors.Matches) -> Twin | None:
    if not matches.candidates:
        return None
    best = matches.candidates[0]
    return Twin(
        best.record,
        best.score.percent,
        best.score.probability >= selectors.STRONG,
        best.score.explanation(),
    )


def company_twins(user: User, rows: list[Mapping[str, Any]]) -> list[Twin | None]:
    return [_twin(m) for m in selectors.company_matches_many(user, [_plain(r) for r in rows])]


def person_twins(user: User, rows: list[Any]) -> list[Twin | None]:
    pairs = [
        ({**_plain(values), "company_id": company.get("id")}, _plain(company))
        for values, company in rows
    ]
    return [_twin(m) for m in selectors.person_matches_many(user, pairs)]


def creation_confirmed(actor: User, record: models.Model, matches: list[Any]) -> None:
    services.creation_despite_matches_record(actor=actor, record=record, matches=matches)
