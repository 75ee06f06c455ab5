"""`make bench`: search, search quality, list and record pages, a load test, the import and
export, and duplicate matching, on the demo sets ``large`` (100,000 companies), ``1m_people``
(1,000,000 people at 310,000 companies: the import's) and ``1m`` (1,000,000 companies) in
PostgreSQL.

    make bench                      every benchmark at every size it runs at
    make bench ONLY=search          one benchmark (search, quality, pages, load, import, export,
                                    matching, leads, leads_training,
                                    events, calls, offers)
    make bench BENCH_SIZE=large     one size

Each size lives in its own database (``…/innendienst_bench``, ``…/innendienst_bench_1m_people``,
``…/innendienst_bench_1m``), loaded once and kept: a later run finds it and only measures.
Timings are compared inside one run: our search against the same statements written by hand,
on the same connection, interleaved. The pages go through the whole Django stack with the
test client; the load test through the real server (``innendienst serve``) on loopback."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
sys.path.insert(0, str(ROOT / "bench"))

BENCHMARKS = (
    "search", "quality", "pages", "load", "import", "export", "matching", "leads",
    "leads_training", "events", "calls", "offers",
)  # fmt: skip
# Benchmarks that bring labelled data of their own, each in a database of its own
# (``…_matching``, ``…_leads_training``).
OWN_DATA = ("matching", "leads_training", "offers")
DEFAULT_SIZES = ("large", "1m_people", "1m")
# The demo data of a bench size not named like it: ``1m_people`` is the database of 1,000,000
# people the import issue asks for (310,000 companies); ``1m`` has a million companies and 3.2
# million people.
DEMO_SIZES = {"1m_people": "310000"}
# The load test needs a server per run and runs where the issue asks for it; the database of
# a million people is the import's alone.
LOAD_SIZES = ("large",)
# The SLA sweep's million leads are added to the database of 100,000 companies.
LEADS_SIZES = ("large",)
# Event intake runs against the demo's contacts once, like the load test.
EVENTS_SIZES = ("large",)
# Twenty reps calling from a list of 100,000 contacts of the demo's customers.
CALLS_SIZES = ("large",)
# The learnt lead score's 200,000 closed leads are the same at every size: measured once.
LEADS_TRAINING_SIZES = ("large",)
# The offers' own database (the demo at 20,000 companies and 50,000 open offers): once.
OFFERS_SIZES = ("large",)
IMPORT_ONLY_SIZES = ("1m_people",)

TARGETS = {
    "search_p95_ms": 50.0,
    "search_ratio_p95": 1.5,
    "page_p95_ms": 150.0,
    "load_requests_per_second": 150.0,
    "load_p95_ms": 200.0,
    "import_rows_per_second": 2000.0,
    "import_peak_rss_mb": 1024.0,
    "matching_f1": 0.97,
    "matching_scan_seconds_1m": 900.0,
    "matching_entry_p95_ms": 100.0,
    "matching_merge_p95_ms": 100.0,
    "leads_sweep_seconds": 10.0,
    "leads_distribution_seconds": 30.0,
    "leads_training_seconds": 60.0,
    "events_per_second": 500.0,
    "calls_next_p95_ms": 50.0,
    "calls_build_seconds": 5.0,
    "offers_forecast_seconds": 2.0,
    "offers_pdf_seconds": 1.0,
    "offers_page_p95_ms": 150.0,
}


# A database of its own, so that the benchmark's sessions never mix with a demo's.
BENCH_REDIS_URL = "redis://127.0.0.1:6379/9"


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def database_url(base: str, size: str) -> str:
    return base if size == "large" else f"{base}_{size}"


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not connection.execute(query, [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def measure_size(
    size: str, names: list[str], quick: bool, seed: int, own_data: bool = False
) -> dict[str, Any]:
    """In a process of its own, whose DATABASE_URL is this size's database."""
    import time

    import django
    from django.core.management import call_command

    _ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    if own_data:
        call_command("migrate", interactive=False, verbosity=0)
        measured: dict[str, Any] = {}
        for name in names:
            print(f"[{size}] {name} …", flush=True)
            measured[name] = __import__(f"bench_{name}").run(
                repeat=3 if quick else 10, seed=seed, size=size
            )
        return measured
    from django.db import connection

    from innendienst.demo import loader
    from innendienst.demo.kit import Dataset

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo_size = DEMO_SIZES.get(size, size)
    state = loader.state_of(Dataset.parse(demo_size, seed))
    reloaded = state is not loader.State.SAME
    call_command("demo", size=demo_size, seed=seed, reset=reloaded, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        # A database that has just been loaded is measured as one that autovacuum has seen:
        # statistics, and the visibility map that index scans rely on.
        cursor.execute("VACUUM (ANALYZE)" if reloaded else "ANALYZE")

    from innendienst.contacts.models import Company, Person
    from innendienst.orders.models import OrderLine

    results: dict[str, Any] = {
        "counts": {
            "companies": Company.objects.count(),
            "people": Person.objects.count(),
            "order_lines": OrderLine.objects.count(),
        }
    }
    if reloaded:
        results["demo_load_seconds"] = round(time.perf_counter() - started, 1)
    repeat = 3 if quick else 10
    for name in names:
        module = __import__(f"bench_{name}")
        print(f"[{size}] {name} …", flush=True)
        results[name] = module.run(repeat=repeat, seed=seed, size=size)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default=os.environ.get("BENCH_SIZE") or ",".join(DEFAULT_SIZES))
    parser.add_argument("--only", default=os.environ.get("ONLY") or ",".join(BENCHMARKS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--worker-output", help=argparse.SUPPRESS)
    parser.add_argument("--own-data", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    names = [name.strip() for name in options.only.split(",") if name.strip()]
    sizes = [size.strip().lower() for size in options.size.split(",") if size.strip()]
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"Unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}")
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innendienst.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    if options.worker_output:
        results = measure_size(sizes[0], names, options.quick, options.seed, options.own_data)
        Path(options.worker_output).write_text(json.dumps(results))
        return 0

    if not os.environ.get("REDIS_URL") and _redis_reachable(BENCH_REDIS_URL):
        # As in production (README): sessions and the shared cache on Redis.
        os.environ["REDIS_URL"] = BENCH_REDIS_URL
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("make bench needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    measured_sizes: dict[str, dict[str, Any]] = {}
    for size in sizes:
        wanted = [
            name
            for name in names
            if (name != "load" or size in LOAD_SIZES)
            and (name != "leads" or size in LEADS_SIZES)
            and (name != "leads_training" or size in LEADS_TRAINING_SIZES)
            and (name != "events" or size in EVENTS_SIZES)
            and (name != "calls" or size in CALLS_SIZES)
            and (name != "offers" or size in OFFERS_SIZES)
            and (name == "import" or size not in IMPORT_ONLY_SIZES)
        ]
        if not wanted:
            print(f"[{size}] none of {', '.join(names)} runs at this size")
            continue
        demo = [name for name in wanted if name not in OWN_DATA]
        own = [name for name in wanted if name in OWN_DATA]
        groups = [(demo, database_url(base, size))]
        groups += [([name], f"{database_url(base, size)}_{name}") for name in own]
        for group, url in groups:
            if not group:
                continue
            with tempfile.NamedTemporaryFile(suffix=".json") as output:
                command = [sys.executable, __file__, "--size", size, "--only", ",".join(group)]
                command += ["--seed", str(options.seed), "--worker-output", output.name]
                if options.quick:
                    command.append("--quick")
                if group is not demo:
                    command.append("--own-data")
                env = {**os.environ, "DATABASE_URL": url}
                if subprocess.run(command, env=env).returncode != 0:
                    return 1
                measured = json.loads(Path(output.name).read_text())
            measured_sizes.setdefault(size, {}).update(measured)

    import report

    # Read only now: a run at another size may have written its results meanwhile (loading
    # `1m` takes most of an hour), and they stay.
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if "sizes" not in stored:  # the layout before sizes were measured side by side
        stored = {}
    stored.update(
        {
            "database": "postgresql",
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "targets": TARGETS,
        }
    )
    for size, measured in measured_sizes.items():
        stored.setdefault("sizes", {}).setdefault(size, {}).update(measured)

    stored["met"] = report.checks(stored, TARGETS)
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    report.print_tables(stored, sizes, names)
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0 if all(report.checks_for(stored, TARGETS, sizes, names).values()) else 1


if __name__ == "__main__":
    sys.exit(main())
