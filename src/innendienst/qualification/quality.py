"""The stored completeness scores: the facts of many companies read in a few queries, scored,
and written in one statement per chunk. The events of every write call ``refresh`` after the
commit; ``refresh_all`` runs at night and after a checklist changed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from innendienst.contacts.models import (
    BuyingCenterMembership,
    ChannelVerification,
    Company,
    Person,
    postal_text,
)
from innendienst.qualification.models import Checklist, CompanyQuality
from innendienst.qualification.scoring import (
    COMPANY_FIELDS,
    CompanyFacts,
    PersonFacts,
    Quality,
    Requirements,
    score,
)

CHUNK = 2_000
PERSON_FIELDS = ("phone", "mobile", "email", "function", "department", "authority")


def requirements_of(checklist: Checklist | None) -> Requirements:
    if checklist is None:
        return Requirements()
    return Requirements(
        functions=tuple(checklist.functions),
        roles=tuple(checklist.required_roles),
        authority=checklist.required_authority,
        attributes=tuple(checklist.required_attributes),
    )


def requirements_by_group() -> dict[int, Requirements]:
    """The customer groups with a checklist; every other company gets ``Requirements()``."""
    return {
        checklist.customer_group_id: requirements_of(checklist)
        for checklist in Checklist.objects.all()
    }


def facts_of(
    company_ids: Iterable[int], read: dict[int, dict[str, Any]] | None = None
) -> dict[int, CompanyFacts]:
    """The facts of these companies; ``read``: their values, where the caller has them."""
    ids = list(company_ids)
    companies = read or {
        row["id"]: row
        for row in Company.objects.filter(pk__among=ids).values("id", *COMPANY_FIELDS)
    }
    known = list(companies)
    people = Person.objects.filter(company_id__among=known).values(
        "id", "company_id", *PERSON_FIELDS
    )
    # The people's by their company: a chunk's people may outnumber SQLite's parameters. Two
    # statements, each along its own index: one condition over both owners (an OR across the
    # join to people) read every verification, 106 ms per 360° page at 100,000 companies.
    columns = ("company_id", "person_id", "channel", "value")
    verifications = ChannelVerification.objects.order_by()
    confirmations = [
        *verifications.filter(company_id__among=known).values_list(*columns),
        *verifications.filter(person__company_id__among=known).values_list(*columns),
    ]
    roles = BuyingCenterMembership.objects.filter(company_id__among=known).values_list(
        "company_id", "role"
    )
    return facts_from(companies, list(people), confirmations, roles)


def facts_from(
    companies: Mapping[int, Mapping[str, Any]],
    people: Iterable[Mapping[str, Any]],
    confirmations: Iterable[tuple[int | None, int | None, str, str]],
    roles: Iterable[tuple[int, str]],
) -> dict[int, CompanyFacts]:
    """The facts from plain values — the companies' (``COMPANY_FIELDS``) by id, their people's
    (``PERSON_FIELDS`` with ``id`` and ``company_id``), the confirmations as (company id,
    person id, channel, value) and the buying-center roles as (company id, role) — whether read
    from the database or planned by the demo."""
    people = list(people)
    current: dict[tuple[str, int], Mapping[str, Any]] = {
        ("c", pk): {
            **row,
            "postal": postal_text(row["street"], row["postcode"], row["city"]),
        }
        for pk, row in companies.items()
    }
    current.update({("p", row["id"]): row for row in people})
    verified: dict[tuple[str, int], set[str]] = defaultdict(set)
    for company_id, person_id, channel, value in confirmations:
        owner = ("c", company_id) if company_id else ("p", person_id)
        # A verification belongs to the value it confirmed.
        if owner in current and current[owner].get(channel) == value:
            verified[owner].add(channel)
    roles_of: dict[int, set[str]] = defaultdict(set)
    for company_id, role in roles:
        roles_of[company_id].add(role)
    people_of: dict[int, list[PersonFacts]] = defaultdict(list)
    for row in people:
        people_of[row["company_id"]].append(
            PersonFacts(
                **{name: row[name] for name in PERSON_FIELDS},
                verified=frozenset(verified.get(("p", row["id"]), ())),
            )
        )
    return {
        pk: CompanyFacts(
            values=row,
            verified=frozenset(verified.get(("c", pk), ())),
            people=tuple(people_of.get(pk, ())),
            roles=frozenset(roles_of.get(pk, ())),
        )
        for pk, row in companies.items()
    }


def scores_of(company_ids: Iterable[int]) -> dict[int, Quality]:
    return scored(facts_of(company_ids), requirements_by_group())


def scored(
    facts: Mapping[int, CompanyFacts], requirements: Mapping[int, Requirements]
) -> dict[int, Quality]:
    """Each company scored by its customer group's checklist (``requirements_by_group``)."""
    return {
        pk: score(one, requirements.get(one.values["customer_group_id"], Requirements()))
        for pk, one in facts.items()
    }


def row_of(company_id: int, quality: Quality, at: datetime.datetime) -> CompanyQuality:
    return CompanyQuality(
        company_id=company_id,
        score=quality.score,
        missing=list(quality.missing),
        phones=quality.phones,
        phones_verified=quality.phones_verified,
        emails=quality.emails,
        emails_verified=quality.emails_verified,
        computed_at=at,
    )


def store(qualities: dict[int, Quality]) -> None:
    try:
        with transaction.atomic():
            _upsert(qualities)
    except IntegrityError:
        # A company was deleted since it was read: store the others.
        there = set(Company.objects.filter(pk__in=list(qualities)).values_list("pk", flat=True))
        _upsert({pk: quality for pk, quality in qualities.items() if pk in there})


def _upsert(qualities: dict[int, Quality]) -> None:
    now = timezone.now()
    CompanyQuality.objects.bulk_create(
        [row_of(pk, quality, now) for pk, quality in qualities.items()],
        update_conflicts=True,
        unique_fields=["company"],
        update_fields=[
            "score", "missing", "phones", "phones_verified", "emails", "emails_verified",
            "computed_at",
        ],
    )  # fmt: skip


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def refresh(company_ids: Iterable[int]) -> int:
    """Score these companies again; returns how many were scored (gone ones are skipped)."""
    scored = 0
    for chunk in _chunks(company_ids):
        qualities = scores_of(chunk)
        store(qualities)
        scored += len(qualities)
    return scored


def refresh_all(customer_group_id: int | None = None) -> int:
    """Every company (of one customer group), in id order, chunk by chunk."""
    companies = Company.objects.order_by("pk")
    if customer_group_id is not None:
        companies = companies.filter(customer_group_id=customer_group_id)
    scored = refresh(companies.values_list("pk", flat=True).iterator(chunk_size=CHUNK))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CompanyQuality._meta.db_table}")
    return scored
