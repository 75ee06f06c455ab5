"""`make bench`: search, company list and 360° page on the `large` demo set in PostgreSQL.

Timings are compared inside one run: our search (selector, ORM) against the same search as
hand-written SQL on the same connection. The pages go through the whole Django stack
(middleware, session, scoping, templates) with the test client.

    DATABASE_URL=postgres://…/innendienst_bench python bench/run.py [--size large] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innendienst.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

TARGETS = {
    "search_p95_ms": 50.0,
    "search_ratio_p95": 1.5,
    "company_360_p95_ms": 150.0,
    "company_list_p95_ms": 150.0,
}

# What reps type: whole names, names as they sound, word starts while typing, city,
# postcode, customer number, two words.
SEARCH_QUERIES = [
    "mueller",
    "Müller",
    "muel",
    "mueller masch",
    "maier",
    "meyer",
    "schmidt",
    "schmitt",
    "huber",
    "technik",
    "kunststoff",
    "logistik",
    "münchen",
    "zuerich",
    "graz",
    "80331",
    "8010",
    "hydro",
    "wagner",
    "bau gmbh",
]


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not connection.execute(query, [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def _measure(run: Callable[[], Any], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(_percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
    }


def raw_search_sql(user: Any, query: str, limit: int) -> tuple[str, list[Any]]:
    """The company search written by hand in one statement: the same territory scope (resolved
    in a subquery), the same matching and the same ranking."""
    from innendienst.accounts.selectors import sees_everything
    from innendienst.core.text import PHONETIC_MARK, fold, phonetic_code

    tokens = fold(query).split()[:6]
    params: list[Any] = []
    where = []
    if not sees_everything(user):
        where.append(
            "(territory_id IN (SELECT t.id FROM accounts_territory t WHERE EXISTS ("
            " SELECT 1 FROM accounts_territory r"
            " WHERE (r.id IN (SELECT territory_id FROM accounts_user_territories"
            "   WHERE user_id = %s)"
            "  OR r.id IN (SELECT territory_id FROM accounts_team_territories"
            "   WHERE team_id = %s))"
            " AND t.path LIKE r.path || '%%'))"
            " OR inside_rep_id = %s OR field_rep_id = %s OR key_account_manager_id = %s)"
        )
        params += [user.pk, user.team_id, user.pk, user.pk, user.pk]
    for token in tokens:
        condition = "search_text LIKE %s"
        params.append(f"%{token}%")
        code = phonetic_code(token)
        if code and len(token) >= 3:
            condition = f"({condition} OR search_text LIKE %s)"
            params.append(f"% {PHONETIC_MARK}{code} %")
        where.append(condition)
    phrase = " ".join(tokens)
    sql = (
        "SELECT id, name, customer_number, postcode, city, status, country FROM contacts_company"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY CASE WHEN search_text LIKE %s THEN 0 WHEN search_text LIKE %s THEN 1"
        " WHEN search_text LIKE %s THEN 2 WHEN search_text LIKE %s THEN 3 ELSE 4 END,"
        " CASE WHEN inside_rep_id = %s OR field_rep_id = %s OR key_account_manager_id = %s"
        " THEN 0 ELSE 1 END,"
        " last_contact_at DESC NULLS LAST,"
        " CASE status WHEN 'customer' THEN 0 WHEN 'prospect' THEN 1 WHEN 'former' THEN 2"
        " ELSE 3 END,"
        " name, id LIMIT %s"
    )
    params += [f"{phrase} %", f"{phrase}%", f"% {phrase} %", f"% {phrase}%"]
    params += [user.pk, user.pk, user.pk, limit]
    return sql, params


def bench_search(user: Any, repeat: int) -> dict[str, Any]:
    from django.db import connection

    from innendienst.contacts.selectors import company_search

    ours: list[float] = []
    raw: list[float] = []
    per_query = {}
    for query in SEARCH_QUERIES:
        sql, params = raw_search_sql(user, query, 10)

        def run_raw(sql: str = sql, params: list[Any] = params) -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        def run_ours(query: str = query) -> list[Any]:
            # The scope is computed once per request; forget it as a new request would.
            user.__dict__.pop("_visible_territory_ids", None)
            return [(c.id, c.name, c.city) for c in company_search(user, query, limit=10)]

        expected = [row[0] for row in run_raw()]
        got = [row[0] for row in run_ours()]
        if expected != got:
            raise SystemExit(f"search mismatch for {query!r}: {expected} != {got}")
        # Interleave so both see the same cache and machine load.
        for _ in range(repeat):
            raw += _measure(run_raw, 1)
            ours += _measure(run_ours, 1)
        per_query[query] = {"hits": len(expected)}
    ours_summary, raw_summary = _summary(ours), _summary(raw)
    return {
        "ours": ours_summary,
        "raw_sql": raw_summary,
        "ratio_p50": round(ours_summary["p50_ms"] / raw_summary["p50_ms"], 2),
        "ratio_p95": round(ours_summary["p95_ms"] / raw_summary["p95_ms"], 2),
        "queries": per_query,
    }


def bench_pages(client: Any, urls: list[str], repeat: int, headers: dict | None = None) -> dict:
    headers = headers or {}
    for url in urls[:3]:
        client.get(url, headers=headers)
    samples: list[float] = []
    for _ in range(repeat):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    return _summary(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default=os.environ.get("BENCH_SIZE", "large"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("make bench needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    _ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    from innendienst.demo import loader
    from innendienst.demo.kit import Dataset

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    # The bench database is ours: a set from another size, seed or demo version is replaced.
    state = loader.state_of(Dataset.parse(options.size, options.seed))
    reloaded = state is not loader.State.SAME
    call_command("demo", size=options.size, seed=options.seed, reset=reloaded, verbosity=1)
    load_seconds = time.perf_counter() - started
    call_command("collectstatic", interactive=False, verbosity=0)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from innendienst.accounts.models import User
    from innendienst.contacts.models import Company, Person
    from innendienst.contacts.selectors import companies_for
    from innendienst.orders.models import OrderLine

    with connection.cursor() as cursor:
        # A database that has just been loaded is measured as one that autovacuum has seen:
        # statistics, and the visibility map that index scans rely on.
        cursor.execute("VACUUM (ANALYZE)" if reloaded else "ANALYZE")

    repeat = 3 if options.quick else 10
    rep = User.objects.get(username="innendienst")
    manager = User.objects.get(username="leitung")
    counts = {
        "companies": Company.objects.count(),
        "people": Person.objects.count(),
        "order_lines": OrderLine.objects.count(),
        "companies_visible_to_innendienst": companies_for(rep).count(),
    }

    results: dict[str, Any] = {
        "size": options.size,
        "counts": counts,
        "database": connection.vendor,
        "python": platform.python_version(),
        "demo_load_seconds": round(load_seconds, 1),
    }
    results["search_innendienst"] = bench_search(rep, repeat)
    results["search_leitung"] = bench_search(manager, max(2, repeat // 2))

    rng = random.Random(options.seed)
    visible_ids = list(companies_for(rep).values_list("id", flat=True)[:50_000])
    sample_ids = rng.sample(visible_ids, 30 if options.quick else 60)
    story = Company.objects.filter(name="Müller Maschinenbau GmbH & Co. KG").first()
    if story:
        sample_ids[0] = story.pk

    client = Client()
    client.force_login(rep)
    results["company_360"] = bench_pages(
        client, [reverse("company_detail", args=[pk]) for pk in sample_ids], max(1, repeat // 3)
    )
    list_url = reverse("company_list")
    list_urls = [
        list_url,
        f"{list_url}?page=5",
        f"{list_url}?page=200",
        f"{list_url}?sort=city",
        f"{list_url}?sort=-customer_number",
        f"{list_url}?status=prospect",
        f"{list_url}?status=customer&sort=postcode",
        f"{list_url}?q=mueller",
        f"{list_url}?q=m%C3%BCnchen",
        f"{list_url}?q=technik&page=3",
    ]
    results["company_list"] = bench_pages(client, list_urls, repeat)
    results["company_list_htmx"] = bench_pages(
        client,
        list_urls,
        repeat,
        headers={"HX-Request": "true", "HX-Target": "company-results"},
    )
    manager_client = Client()
    manager_client.force_login(manager)
    results["company_list_leitung"] = bench_pages(manager_client, list_urls, repeat)

    search = results["search_innendienst"]
    checks = {
        "search_p95_ms": search["ours"]["p95_ms"] <= TARGETS["search_p95_ms"],
        "search_ratio_p95": search["ratio_p95"] <= TARGETS["search_ratio_p95"],
        "company_360_p95_ms": results["company_360"]["p95_ms"] <= TARGETS["company_360_p95_ms"],
        "company_list_p95_ms": results["company_list"]["p95_ms"] <= TARGETS["company_list_p95_ms"],
    }
    results["targets"] = TARGETS
    results["met"] = checks

    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print_table(results)
    return 0 if all(checks.values()) else 1


def print_table(results: dict[str, Any]) -> None:
    counts = results["counts"]
    print()
    print(
        f"Dataset {results['size']}: {counts['companies']:,} companies,"
        f" {counts['people']:,} people,"
        f" {counts['order_lines']:,} order lines; {counts['companies_visible_to_innendienst']:,}"
        " visible to the inside rep"
    )
    rows = [
        ("company search (innendienst), ours", results["search_innendienst"]["ours"]),
        ("company search (innendienst), raw SQL", results["search_innendienst"]["raw_sql"]),
        ("company search (leitung), ours", results["search_leitung"]["ours"]),
        ("company search (leitung), raw SQL", results["search_leitung"]["raw_sql"]),
        ("360° page", results["company_360"]),
        ("company list page", results["company_list"]),
        ("company list, htmx fragment", results["company_list_htmx"]),
        ("company list page (leitung)", results["company_list_leitung"]),
    ]
    print(f"| {'measure':<40} | {'n':>5} | {'p50 ms':>8} | {'p95 ms':>8} |")
    print(f"|{'-' * 42}|{'-' * 7}|{'-' * 10}|{'-' * 10}|")
    for label, row in rows:
        print(f"| {label:<40} | {row['n']:>5} | {row['p50_ms']:>8.2f} | {row['p95_ms']:>8.2f} |")
    search = results["search_innendienst"]
    print(
        f"\nsearch ratio ours/raw: p50 {search['ratio_p50']}×, p95 {search['ratio_p95']}×"
        f" (leitung: p50 {results['search_leitung']['ratio_p50']}×,"
        f" p95 {results['search_leitung']['ratio_p95']}×)"
    )
    for name, ok in results["met"].items():
        print(f"  {'✓' if ok else '✗'} {name} ≤ {results['targets'][name]}")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
