"""The stored blocking keys: written for records as they change, read to find candidates and
to count how common a value is.

Keys follow the records through the domain events of the contacts services and the imports
(``handlers``); the scan rewrites all of them first, which also catches records written past
the services (the demo data, a database restore).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef

from innendienst.contacts.models import Company, Person
from innendienst.core.bulk import RowWriter
from innendienst.matching.models import MatchKey, RecordKind, model_of
from innendienst.matching.profiles import (
    COMPANY_FIELDS,
    COUNTING_ONLY,
    PERSON_COMPANY_FIELDS,
    PERSON_FIELDS,
    CompanyProfile,
    PersonProfile,
    company_profile,
    contact_identifiers,
    distinct_keys,
    key_hash,
    person_profile,
)

Profile = CompanyProfile | PersonProfile
CHUNK = 2000
# A key held by more records than this finds no candidates: it says too little ("Thomas
# Müller" at any firm) and would compare a record with thousands.
BLOCK_LIMIT = 200


def company_profiles(ids: Iterable[int], with_contacts: bool = False) -> Iterator[CompanyProfile]:
    """``with_contacts``: with its people's e-mail addresses and direct dials (for a scan)."""
    for chunk in chunks(sorted(set(ids))):
        rows = list(Company.objects.filter(pk__among=chunk).values(*COMPANY_FIELDS))
        contacts: dict[int, set[str]] = {}
        if with_contacts:
            firms = {row["id"]: row for row in rows}
            people = Person.objects.filter(company_id__among=chunk).values_list(
                "company_id", "email", "phone", "mobile"
            )
            for company_id, email, phone, mobile in people:
                firm = firms[company_id]
                contacts.setdefault(company_id, set()).update(
                    contact_identifiers(
                        email, (phone, mobile), firm["country"] or "DE", firm["phone"]
                    )
                )
        for values in rows:
            yield company_profile({**values, "contacts": contacts.get(values["id"], ())})


_PERSON_VALUES = (*PERSON_FIELDS, *(f"company__{name}" for name in PERSON_COMPANY_FIELDS))


def person_from_values(values: dict[str, Any]) -> PersonProfile:
    company = {name: values[f"company__{name}"] for name in PERSON_COMPANY_FIELDS}
    return person_profile(values, company)


def person_profiles(ids: Iterable[int]) -> Iterator[PersonProfile]:
    for chunk in chunks(sorted(set(ids))):
        for values in Person.objects.filter(pk__among=chunk).values(*_PERSON_VALUES):
            yield person_from_values(values)


def chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def profiles(kind: str, ids: Iterable[int], with_contacts: bool = False) -> Iterator[Profile]:
    if kind == RecordKind.COMPANY:
        return company_profiles(ids, with_contacts)
    return person_profiles(ids)


def refresh(
    kind: str,
    ids: Iterable[int],
    keep: dict[int, Profile] | None = None,
    *,
    none_stored: bool = False,
) -> int:
    """Bring the keys of these records up to date (those deleted lose theirs), writing only
    what changed: a rescan of a million unchanged records reads their keys and writes none.
    ``keep`` collects the profiles read, for a scan that compares them next; ``none_stored``:
    the kind has no keys yet, nothing to read (the planner, which saw an empty table, would
    read the whole growing table for each chunk). The count of keys written."""
    written = 0
    for chunk in chunks(sorted(set(ids))):
        # A scan compares the profiles it keeps: with the companies' contacts.
        read = list(profiles(kind, chunk, with_contacts=keep is not None))
        if keep is not None:
            keep.update((profile.id, profile) for profile in read)
        wanted = {
            (record.id, key_hash(key), name in COUNTING_ONLY)
            for record in read
            for name, key in distinct_keys(record)
        }
        with transaction.atomic():
            stored = (
                {}
                if none_stored
                else {
                    (record_id, key, counts_only): pk
                    for pk, record_id, key, counts_only in MatchKey.objects.filter(
                        kind=kind, record_id__among=chunk
                    ).values_list("pk", "record_id", "key", "counts_only")
                }
            )
            stale = [pk for row, pk in stored.items() if row not in wanted]
            for stale_chunk in chunks(stale):
                MatchKey.objects.filter(pk__among=stale_chunk).delete()
            try:
                with transaction.atomic():
                    written += _write(kind, [row for row in wanted if row not in stored])
            except IntegrityError:
                # Another refresh wrote some of these keys meanwhile: write what it did not.
                written += refresh(kind, chunk, keep)
    return written


def refresh_all(kind: str, progress: Any = None, keep: dict[int, Profile] | None = None) -> int:
    """Every record's keys anew, chunk by chunk so that entry checks keep finding the others
    meanwhile, and the keys of deleted records dropped: the scan's first step.
    ``progress(done, total)`` is told after each chunk."""
    model = model_of(kind)
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    none_stored = not MatchKey.objects.filter(kind=kind).exists()
    written = 0
    for done, chunk in enumerate(chunks(ids), start=1):
        written += refresh(kind, chunk, keep, none_stored=none_stored)
        if progress is not None:
            progress(min(done * CHUNK, len(ids)), len(ids))
    MatchKey.objects.filter(kind=kind).exclude(
        Exists(model.objects.filter(pk=OuterRef("record_id")))
    ).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {MatchKey._meta.db_table}")
    return written


def _write(kind: str, rows: list[tuple[int, int, bool]]) -> int:
    """(record id, key hash, counts only) rows."""
    return RowWriter().write_tuples(
        MatchKey,
        ["kind", "record_id", "key", "counts_only"],
        [(kind, *row) for row in rows],
    )


def counts(kind: str, keys: Iterable[str]) -> dict[str, int]:
    """How many records carry each key; a common one's count from the cache."""
    by_hash = {key_hash(key): key for key in keys}
    if not by_hash:
        return {}
    generation = _generation(kind)
    remembered = cache.get_many([_common_key(kind, generation, hashed) for hashed in by_hash])
    result: dict[str, int] = {}
    missing = []
    for hashed, key in by_hash.items():
        known = remembered.get(_common_key(kind, generation, hashed))
        if known is None:
            missing.append(hashed)
        else:
            result[key] = known
    if missing:
        found = dict(
            MatchKey.objects.filter(kind=kind, key__among=missing)
            .values("key")
            .annotate(n=Count("record_id"))
            .values_list("key", "n")
        )
        result.update((by_hash[hashed], n) for hashed, n in found.items())
        _remember(kind, generation, found)
    return result


# How common a surname or a first name is moves slowly, and counting "Müller" reads tens of
# thousands of index entries at a million people (a third of a second): the counts of keys
# too common to block on are kept in the cache for a day. Each scan counts every key and
# starts a new generation of them, so a key that is no longer common is forgotten.
COMMON_SECONDS = 26 * 3600


def _generation(kind: str) -> int:
    return cache.get(f"matching:count-generation:{kind}", 0)


def _common_key(kind: str, generation: int, hashed: int) -> str:
    return f"matching:count:{kind}:{generation}:{hashed}"


def _remember(kind: str, generation: int, counted: Mapping[int, int]) -> None:
    common = {
        _common_key(kind, generation, hashed): n for hashed, n in counted.items() if n > BLOCK_LIMIT
    }
    if common:
        cache.set_many(common, COMMON_SECONDS)


def remember_common(kind: str, counted: Mapping[int, int]) -> None:
    """The counts of every key (by hash) as a scan has them: the common ones become the new
    generation, the previous one is left to expire."""
    generation = time.time_ns()
    _remember(kind, generation, counted)
    cache.set(f"matching:count-generation:{kind}", generation, COMMON_SECONDS)


def members(kind: str, counted: dict[str, int], wanted: Iterable[str]) -> dict[str, list[int]]:
    """The records under each wanted key that says something (``counted``: the keys' counts);
    one query for a whole batch."""
    by_hash = {key_hash(key): key for key in wanted if 0 < counted.get(key, 0) <= BLOCK_LIMIT}
    found: dict[str, list[int]] = {}
    if by_hash:
        rows = MatchKey.objects.filter(kind=kind, key__among=list(by_hash)).values_list(
            "key", "record_id"
        )
        for key, record_id in rows:
            found.setdefault(by_hash[key], []).append(record_id)
    return found


def telling(record: Profile) -> list[str]:
    """The keys under which candidates are looked up."""
    return [key for name, key in record.keys.items() if name not in COUNTING_ONLY]


def total(kind: str) -> int:
    """How many companies or people there are, for the prior odds and term frequencies: the
    planner's estimate on PostgreSQL (a count of millions of rows costs a second), kept a few
    minutes."""
    cache_key = f"matching:total:{kind}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    model = model_of(kind)
    number = -1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [model._meta.db_table],
            )
            row = cursor.fetchone()
            number = row[0] if row else -1
    if number < 10_000:  # never analysed, or small enough to count
        number = model.objects.count()
    cache.set(cache_key, number, 300)
    return number
