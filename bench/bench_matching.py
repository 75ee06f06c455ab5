"""Duplicates: the quality of the whole-database scan against Splink 5 on labelled DACH data,
and the speed of the scan, the entry check, and a merge with its undo.

Runs in a database of its own (``…_matching``), filled once per size and seed with the set of
``matching_data`` and kept: ``large`` has 5,000 firms (about 6,000 company and 27,000 people
records, a sixth of them typed twice), ``1m`` about a million people. Precision, recall and F1
are counted over pairs: a pair is predicted when its probability is at least 0.5, and true when
both records stand for one entity. Splink gets the same records, lower-cased, phone numbers as
digits, with the comparisons, term frequencies and blocking rules its documentation suggests,
trained as its tutorials do (u by random sampling, m by EM on two blocking rules).
"""

from __future__ import annotations

import contextlib
import itertools
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from matching_data import DataSet, Generator
from timing import summary

BASE_FIRMS = {"large": 5_000, "1m": 185_000}
DATA_VERSION = 3
THRESHOLD = 0.5
SPLINK_MEMORY = "8GB"
TRUTH_TABLE = "bench_matching_truth"


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    _load(seed, size)
    result: dict[str, Any] = {"threshold": THRESHOLD}
    for kind, label in (("c", "companies"), ("p", "people")):
        truth = _truth(kind)
        ours = _our_scan(kind)
        result[label] = {
            "records": len(truth),
            "true_pairs": len(_true_pairs(truth)),
            "ours": {**_quality(ours["pairs"], truth), "seconds": ours["seconds"]},
        }
        print(f"  {label}, ours: {result[label]}", flush=True)
        splink = _splink(kind, seed)
        if splink is not None:
            result[label]["splink"] = {
                **_quality(splink["pairs"], truth),
                "seconds": splink["seconds"],
            }
        print(f"  {label}: {result[label]}", flush=True)
    result["entry_check"] = _entry_checks(repeat, seed)
    result["merge"] = _merge_and_undo(repeat)
    return result


# --- the data set ---------------------------------------------------------------------------


def _load(seed: int, size: str) -> None:
    from django.db import connection

    from innendienst.core.models import SiteSetting

    marker = f"bench-matching:{size}:{seed}:{DATA_VERSION}"
    if SiteSetting.objects.filter(key="bench_matching", value=marker).exists():
        return
    started = time.perf_counter()
    data = Generator(seed).build(BASE_FIRMS[size])
    _write(data)
    SiteSetting.objects.update_or_create(key="bench_matching", defaults={"value": marker})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(
        f"  matching set: {len(data.companies):,} companies, {len(data.people):,} people "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def _write(data: DataSet) -> None:
    """The records as an import stores them (``clean()`` normalises phone, postcode and VAT),
    written by COPY, and which entity each stands for."""
    from django.core.exceptions import ValidationError
    from django.db import connection, transaction

    from innendienst.accounts.models import Territory
    from innendienst.activities.models import Activity
    from innendienst.contacts.models import Company, Person
    from innendienst.core.bulk import RowWriter
    from innendienst.matching.models import DuplicatePair, MatchKey, Merge, Scan
    from innendienst.orders.models import Order, OrderLine

    for model in (
        DuplicatePair,
        MatchKey,
        Merge,
        Scan,
        OrderLine,
        Order,
        Activity,
        Person,
        Company,
    ):
        model.objects.all().delete()
    territory, _created = Territory.objects.get_or_create(
        code="BENCH", defaults={"name": "Bench", "country": "DE"}
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TRUTH_TABLE}")
        cursor.execute(f"CREATE TABLE {TRUTH_TABLE} (kind char(1), record_id bigint, entity int)")
    writer = RowWriter()
    company_fields = (
        "name", "legal_form", "street", "postcode", "city", "country", "phone", "email",
        "website", "vat_id",
    )  # fmt: skip
    companies = []
    for number, record in enumerate(data.companies, start=1):
        company = Company(
            id=number, territory=territory, **{n: record.values[n] for n in company_fields}
        )
        # A value the form would refuse stays as typed, as after an old import.
        with contextlib.suppress(ValidationError):
            company.clean()
        company.postcode = company.postcode[:10]
        record.id = number
        companies.append(company)
    person_fields = (
        "salutation", "title", "first_name", "last_name", "function", "email", "phone", "mobile",
    )  # fmt: skip
    people = []
    for number, (record, index) in enumerate(
        zip(data.people, data.person_company, strict=True), start=1
    ):
        person = Person(
            id=number, company=companies[index], **{n: record.values[n] for n in person_fields}
        )
        with contextlib.suppress(ValidationError):
            person.clean()
        record.id = number
        people.append(person)
    with transaction.atomic():
        for chunk in range(0, len(companies), 50_000):
            writer.write(Company, companies[chunk : chunk + 50_000])
        for chunk in range(0, len(people), 50_000):
            writer.write(Person, people[chunk : chunk + 50_000])
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {TRUTH_TABLE} (kind, record_id, entity) FROM STDIN") as copy,
        ):
            for record in data.companies:
                copy.write_row(("c", record.id, record.entity))
            for record in data.people:
                copy.write_row(("p", record.id, record.entity))
    RowWriter.finish([Company, Person])


def _truth(kind: str) -> dict[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT record_id, entity FROM {TRUTH_TABLE} WHERE kind = %s", [kind])
        return dict(cursor.fetchall())


def _true_pairs(truth: dict[int, int]) -> set[tuple[int, int]]:
    by_entity: dict[int, list[int]] = defaultdict(list)
    for record, entity in truth.items():
        by_entity[entity].append(record)
    return {
        (a, b)
        for records in by_entity.values()
        for a, b in itertools.combinations(sorted(records), 2)
    }


def _quality(predicted: set[tuple[int, int]], truth: dict[int, int]) -> dict[str, Any]:
    actual = _true_pairs(truth)
    hits = len(predicted & actual)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(actual) if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "predicted_pairs": len(predicted),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


# --- ours -------------------------------------------------------------------------------------


def _our_scan(kind: str) -> dict[str, Any]:
    from innendienst.matching import scans
    from innendienst.matching.models import DuplicatePair, MatchKey, PairStatus, Scan

    # A cold scan: no keys yet, as after an upgrade or a restore.
    for model in (DuplicatePair, MatchKey, Scan):
        model.objects.filter(kind=kind).delete()
    started = time.perf_counter()
    scan = scans.scan_start(actor=None, kind=kind, full=True, queue=False)
    scans.scan_run(scan.pk)
    seconds = time.perf_counter() - started
    pairs = set(
        DuplicatePair.objects.filter(
            kind=kind, status=PairStatus.OPEN, score__gte=THRESHOLD
        ).values_list("left_id", "right_id")
    )
    return {"pairs": pairs, "seconds": round(seconds, 1)}


# --- Splink -----------------------------------------------------------------------------------


def _digits(text: str) -> str | None:
    digits = "".join(ch for ch in text or "" if ch.isdigit())
    return digits[-9:] or None  # without country code and trunk prefix, as a user would compare


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _clean(text: str) -> str | None:
    """Lower case, umlauts written out, single spaces: what anyone prepares for Splink."""
    return " ".join((text or "").lower().translate(_UMLAUTS).split()) or None


def _splink_rows(kind: str) -> list[dict[str, Any]]:
    from innendienst.contacts.models import Company, Person

    if kind == "c":
        rows = []
        for c in Company.objects.values(
            "id", "name", "street", "postcode", "city", "phone", "email", "website", "vat_id"
        ).iterator(chunk_size=20_000):
            domain = (
                c["email"].rpartition("@")[2] or c["website"].split("//")[-1].removeprefix("www.")
            ).lower()
            rows.append(
                {
                    "unique_id": c["id"],
                    "name": _clean(c["name"]),
                    "street": _clean(c["street"]),
                    "postcode": c["postcode"] or None,
                    "city": _clean(c["city"]),
                    "phone": _digits(c["phone"]),
                    "domain": domain.strip("/") or None,
                    "vat": c["vat_id"] or None,
                }
            )
        return rows
    return [
        {
            "unique_id": p["id"],
            "first_name": _clean(p["first_name"]),
            "surname": _clean(p["last_name"]),
            "email": _clean(p["email"]),
            "phone": _digits(p["phone"]) or _digits(p["mobile"]),
            "company_name": _clean(p["company__name"]),
            "city": _clean(p["company__city"]),
        }
        for p in Person.objects.values(
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "mobile",
            "company__name",
            "company__city",
        ).iterator(chunk_size=20_000)
    ]


def _splink(kind: str, seed: int) -> dict[str, Any] | None:
    try:
        import duckdb
        import pyarrow as pa
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        print("  Splink is not installed (pip install -e '.[bench]'): its figures are left out")
        return None
    rows = _splink_rows(kind)
    started = time.perf_counter()
    if kind == "c":
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=[
                cl.JaroWinklerAtThresholds("name", [0.92, 0.8]).configure(
                    term_frequency_adjustments=True
                ),
                cl.LevenshteinAtThresholds("street", [1, 3]),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
                cl.ExactMatch("city").configure(term_frequency_adjustments=True),
                cl.ExactMatch("phone"),
                cl.ExactMatch("domain"),
                cl.ExactMatch("vat"),
            ],
            blocking_rules_to_generate_predictions=[
                block_on("postcode"),
                block_on("phone"),
                block_on("domain"),
                block_on("vat"),
                block_on("substr(name, 1, 4)", "city"),
            ],
        )
        training = [block_on("postcode"), block_on("substr(name, 1, 4)", "city")]
        deterministic = [block_on("phone"), block_on("vat")]
    else:
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=[
                cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
                cl.NameComparison("surname").configure(term_frequency_adjustments=True),
                cl.EmailComparison("email"),
                cl.ExactMatch("phone"),
                cl.JaroWinklerAtThresholds("company_name", [0.92, 0.8]),
                cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            ],
            blocking_rules_to_generate_predictions=[
                block_on("email"),
                block_on("phone"),
                block_on("surname", "city"),
                block_on("first_name", "company_name"),
                block_on("surname", "company_name"),
            ],
        )
        training = [block_on("surname", "city"), block_on("company_name")]
        deterministic = [block_on("email"), block_on("phone")]
    # DuckDB takes four fifths of the memory by default; PostgreSQL and we need the rest.
    spill = Path(__file__).resolve().parent.parent / "var" / "bench" / "duckdb"
    spill.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(
        config={"memory_limit": SPLINK_MEMORY, "temp_directory": str(spill)}
    )
    api = DuckDBAPI(connection=connection)
    table = api.register(pa.Table.from_pylist(rows))
    linker = Linker(table, settings)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in training:
        # At a million records a training block holds billions of pairs: a sample, as the
        # Splink documentation advises for large data.
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=5e6)
    predicted = linker.inference.predict(threshold_match_probability=THRESHOLD)
    pairs = {
        (min(r["unique_id_l"], r["unique_id_r"]), max(r["unique_id_l"], r["unique_id_r"]))
        for r in predicted.as_record_list()
    }
    return {"pairs": pairs, "seconds": round(time.perf_counter() - started, 1)}


# --- entry check, merge and undo --------------------------------------------------------------


def _entry_checks(repeat: int, seed: int) -> dict[str, Any]:
    from innendienst.accounts.models import User
    from innendienst.contacts.models import Company, Person
    from innendienst.matching import selectors

    admin, _created = User.objects.get_or_create(
        username="bench-matching", defaults={"is_superuser": True, "is_staff": True}
    )
    rng = random.Random(seed)
    samples = 40 * repeat
    top = Company.objects.order_by("-pk").values_list("pk", flat=True).first()
    companies = list(Company.objects.filter(pk__in=[rng.randrange(1, top) for _ in range(samples)]))
    company_ms = []
    for company in companies:
        values = {
            n: getattr(company, n)
            for n in ("name", "street", "postcode", "city", "country", "phone")
        }
        started = time.perf_counter()
        selectors.company_matches(admin, values)
        company_ms.append((time.perf_counter() - started) * 1000)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    people = list(
        Person.objects.select_related("company").filter(
            pk__in=[rng.randrange(1, top) for _ in range(samples)]
        )
    )
    person_ms = []
    for person in people:
        values = {n: getattr(person, n) for n in ("first_name", "last_name", "email", "phone")}
        started = time.perf_counter()
        selectors.person_matches(admin, values, person.company)
        person_ms.append((time.perf_counter() - started) * 1000)
    return {"companies": summary(company_ms), "people": summary(person_ms)}


def _merge_and_undo(repeat: int) -> dict[str, Any]:
    """Two companies, the one merged away with 100 related rows (people, calls, orders)."""
    from django.db import transaction
    from django.utils import timezone

    from innendienst.accounts.models import Territory, User
    from innendienst.activities.models import Activity
    from innendienst.contacts.models import Company, Person
    from innendienst.matching import merges
    from innendienst.orders.models import Order

    admin = User.objects.get(username="bench-matching")
    territory = Territory.objects.get(code="BENCH")
    merge_ms, undo_ms = [], []
    # Twenty rounds at least: the p95 of three is their slowest.
    for round_ in range(max(20, repeat)):
        with transaction.atomic():
            kept = Company.objects.create(name=f"Bench Kept {round_}", territory=territory)
            gone = Company.objects.create(name=f"Bench Gone {round_}", territory=territory)
            people = Person.objects.bulk_create(
                [Person(company=gone, last_name=f"Bench {i}") for i in range(20)]
            )
            Activity.objects.bulk_create(
                [
                    Activity(
                        company=gone,
                        person=people[i % 20],
                        kind="call",
                        subject="Bench",
                        occurred_at=timezone.now(),
                    )
                    for i in range(60)
                ]
            )
            Order.objects.bulk_create(
                [
                    Order(company=gone, number=f"B-{round_}-{i}", ordered_on="2026-11-01")
                    for i in range(20)
                ]
            )
        started = time.perf_counter()
        [merge] = merges.records_merge(
            actor=admin, kind="c", survivor_id=kept.pk, merged_ids=[gone.pk]
        )
        merge_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        merges.merge_undo(actor=admin, merge=merge)
        undo_ms.append((time.perf_counter() - started) * 1000)
        for model in (Order, Activity, Person):
            model.objects.filter(company__in=[kept, gone]).delete()
        Company.objects.filter(pk__in=[kept.pk, gone.pk]).delete()
    return {"related_rows": 100, "merge": summary(merge_ms), "undo": summary(undo_ms)}
