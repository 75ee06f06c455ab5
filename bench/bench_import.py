"""The import of a trade fair's and a bought list's people with their companies.

A generated file of 100,000 rows — DACH names, addresses and phone numbers as people type them,
a tenth of the rows people already in the database, 2 % of the rows with an error — is
imported end to end (read, map, check, write, audit) by a process of its own, whose peak memory
is measured; then undone. The same rows as XLSX, and the same new records written by a plain
``COPY`` into the same tables (rolled back), for the cost of the checks.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
ROWS = 100_000
EXISTING_SHARE = 0.10
ERROR_SHARE = 0.02
HEADERS = ["Anrede", "Vorname", "Nachname", "Funktion", "Firma", "Straße", "PLZ", "Ort",
           "Gebiet", "Tel.", "E-Mail"]  # fmt: skip


def _rows(seed: int) -> list[list[str]]:
    from innendienst.contacts.models import Person
    from innendienst.core.text import fold
    from innendienst.demo import data

    rng = random.Random(seed)
    existing = list(
        Person.objects.filter(company__country="DE")
        .select_related("company", "company__territory")
        .order_by("?")[: int(ROWS * EXISTING_SHARE)]
    )
    cities = [city for city in data.CITIES if city.region.startswith("DE-")]
    rows: list[list[str]] = []
    company: list[str] = []
    for number in range(ROWS):
        if number % 10 == 0 and existing:
            person = existing.pop()
            firm = person.company
            rows.append(["", person.first_name, person.last_name, person.function, firm.name,
                         firm.street, firm.postcode, firm.city, firm.territory.code, "",
                         person.email])  # fmt: skip
            continue
        if not company or rng.random() < 0.45:
            city = rng.choice(cities)
            name = rng.choice(data.WORD_PREFIXES) + rng.choice(data.WORD_SUFFIXES)
            form = rng.choice(["GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."])
            street = f"{rng.choice(data.STREETS['DE'])} {rng.randint(1, 120)}"
            company = [f"{name} {city.name} {form}", street, rng.choice(city.postcodes),
                       city.name, city.region, city.area_code]  # fmt: skip
        male = rng.random() < 0.6
        first = rng.choice((data.FIRST_NAMES_MALE if male else data.FIRST_NAMES_FEMALE)["de-DE"])
        last = rng.choice(data.LAST_NAMES["de-DE"])
        function = rng.choice(data.FUNCTIONS)
        domain = fold(company[0]).split()[0]
        row = [
            "Herr" if male else "Frau",
            first,
            last,
            function.male if male else function.female,
            company[0],
            company[1],
            company[2],
            company[3],
            company[4],
            f"{company[5]} {rng.randint(200000, 9999999)}",
            f"{fold(first).replace(' ', '')}.{fold(last).replace(' ', '')}@{domain}.de",
        ]
        if rng.random() < ERROR_SHARE:
            spoiled = rng.randrange(3)
            row[[10, 0, 6][spoiled]] = ["keine-adresse", "Dr.", "123"][spoiled]
        rows.append(row)
    return rows


def _files(seed: int, size: str) -> tuple[Path, Path]:
    import xlsxwriter

    CACHE.mkdir(parents=True, exist_ok=True)
    csv_path = CACHE / f"import-{size}-{seed}.csv"
    xlsx_path = csv_path.with_suffix(".xlsx")
    if csv_path.exists() and xlsx_path.exists():
        return csv_path, xlsx_path
    rows = _rows(seed)
    with csv_path.open("w", encoding="cp1252", errors="replace", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("Messe")
    for number, row in enumerate([HEADERS, *rows]):
        sheet.write_row(number, 0, row)
    book.close()
    return csv_path, xlsx_path


_WORKER = """
import json, os, sys, time
from timing import peak_rss_mb
import django
django.setup()
from django.utils import timezone
from innendienst.accounts.models import User
from innendienst.core.models import AuditEntry
from innendienst.imports.services import import_create, import_run, import_undo
path = sys.argv[1]
user = User.objects.get(username="admin")
begun = timezone.now()
started = time.perf_counter()
with open(path, "rb") as file:
    run = import_create(actor=user, file=file, file_name=os.path.basename(path),
                        target_name="people", queue=False)
run = import_run(run.pk)
seconds = time.perf_counter() - started
peak = peak_rss_mb()
started = time.perf_counter()
import_undo(actor=user, run=run)
undo = time.perf_counter() - started
# The bench leaves the database as it found it, so that the next run writes into the same
# tables: the import's rows and file, and the audit entries of its records and of their undo.
AuditEntry.objects.filter(actor=user, at__gte=begun).delete()
run.file.delete(save=False)
run.delete()
print(json.dumps({"status": run.status, "rows": run.rows, "counts": run.counts,
                  "seconds": seconds, "peak_rss_mb": peak, "undo_seconds": undo,
                  "failure": run.failure}))
"""


def _vacuum() -> None:
    """Each measurement starts from a vacuumed database: the last run's import and undo left
    some 100,000 dead rows in the people, companies and their keys, which a PostgreSQL without
    autovacuum (or one behind) keeps — each run of ``make bench`` would be slower than the one
    before it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def _import(path: Path) -> dict[str, Any]:
    _vacuum()
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(path)],
        cwd=Path(__file__).parent,  # for ``timing``
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _copy_seconds(path: Path) -> float:
    """The new companies and people of the file written by COPY, in one transaction that is
    rolled back: what the same rows cost without reading, checking and auditing."""
    from django.db import connection, transaction

    from innendienst.accounts.models import Territory
    from innendienst.contacts.models import Company, Person

    territories = {t.code: t for t in Territory.objects.all()}
    companies: dict[str, Company] = {}
    people: list[Person] = []
    with path.open(encoding="cp1252", newline="") as file:
        reader = csv.reader(file, delimiter=";")
        next(reader)
        for row in reader:
            key = f"{row[4]}|{row[6]}"
            if key not in companies:
                companies[key] = Company(
                    name=row[4], street=row[5], postcode=row[6], city=row[7],
                    territory=territories[row[8]], phone=row[9],
                )  # fmt: skip
            people.append(Person(first_name=row[1], last_name=row[2], function=row[3],
                                 email=row[10]))  # fmt: skip
    # The same rows as the import writes: with their search texts, which cost the search
    # indexes their entries (a person's trigrams most of all).
    for record in [*companies.values(), *people]:
        record.search_text = record.build_search_text()
    started = time.perf_counter()
    with transaction.atomic():
        _copy(connection, Company, list(companies.values()))
        company_ids = [company.pk for company in companies.values()]
        for number, person in enumerate(people):
            person.company_id = company_ids[number % len(company_ids)]
        _copy(connection, Person, people)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def _copy(connection: Any, model: Any, records: list[Any]) -> None:
    """COPY the records with ids after the table's largest (the scope columns of people are
    filled by the table's trigger, as for any insert)."""
    fields = model._meta.concrete_fields
    columns = ", ".join(f'"{field.column}"' for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
        next_id = cursor.fetchone()[0] + 1
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for offset, record in enumerate(records):
                record.pk = next_id + offset
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(record, add=True), connection) for f in fields]
                )


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    csv_path, xlsx_path = _files(seed, size)
    result = {"rows": ROWS, "csv": _import(csv_path)}
    result["csv"]["rows_per_second"] = round(ROWS / result["csv"]["seconds"], 1)
    _vacuum()
    result["copy_seconds"] = round(_copy_seconds(csv_path), 2)
    result["ratio_to_copy"] = round(result["csv"]["seconds"] / result["copy_seconds"], 1)
    result["xlsx"] = _import(xlsx_path)
    result["xlsx"]["rows_per_second"] = round(ROWS / result["xlsx"]["seconds"], 1)
    return result
