"""Event intake (issue 9): signed events from a newsletter tool through the real server
(``innendienst serve``, its default workers) on loopback, as fast as a few clients send them.

Each event names a known contact (an e-mail address of the demo's people), carries its own id
and is signed with HMAC-SHA256 over timestamp and body, like a real source sends it. Counted:
the events stored (their rules queued for the worker) per second, one event per request and
in batches of 100 as newsletter tools send them, and the CPU time of the whole machine
(server, database, the clients) per event. The bench's events are deleted afterwards, and the
worker's queue they filled is emptied.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
import uuid
from typing import Any

from bench_load import _cpu_ticks, serving
from timing import summary

PORT = 8766
WARMUP_SECONDS = 3.0
SECONDS = 20.0
CLIENTS = (4, 8, 16)
SOURCE_KEY = "make-bench"
CONTACTS = 5_000
# Newsletter tools report clicks in batches (one request per second or per hundred events).
BATCH = 100


def _event(rng: random.Random, emails: list[str]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": "newsletter.click",
        "email": rng.choice(emails),
        "data": {"link": "https://example.com/produktvideo", "mailing": "make bench"},
    }


def _client(
    secret: str,
    emails: list[str],
    batch: int,
    seed: int,
    stop: threading.Event,
    record: list[tuple[float, int, float]],
    errors: list[str],
) -> None:
    from innendienst.automation import signing

    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    while not stop.is_set():
        events = [_event(rng, emails) for _number in range(batch)]
        body = json.dumps(events[0] if batch == 1 else events).encode()
        headers = {
            "Content-Type": "application/json",
            "Host": "127.0.0.1",
            signing.SOURCE_HEADER: SOURCE_KEY,
            **signing.signed_headers(secret, body),
        }
        started = time.perf_counter()
        try:
            connection.request("POST", "/api/v1/events", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(repr(exc))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            continue
        elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status not in (200, 202):
            errors.append(str(response.status))
            continue
        record.append((time.monotonic(), batch, elapsed_ms))
    connection.close()


def _round(
    secret: str, emails: list[str], clients: int, batch: int, seconds: float
) -> dict[str, Any]:
    stop = threading.Event()
    record: list[tuple[float, int, float]] = []
    errors: list[str] = []
    threads = [
        threading.Thread(
            target=_client, args=(secret, emails, batch, seed, stop, record, errors), daemon=True
        )
        for seed in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(WARMUP_SECONDS)
    busy_before, total_before = _cpu_ticks()
    started = time.monotonic()
    time.sleep(seconds)
    ended = time.monotonic()
    busy_after, total_after = _cpu_ticks()
    stop.set()
    for thread in threads:
        thread.join()
    measured = [row for row in record if started <= row[0] <= ended]
    events = sum(row[1] for row in measured)
    cpu_seconds = (busy_after - busy_before) / os.sysconf("SC_CLK_TCK")
    return {
        "clients": clients,
        "mode": "single" if batch == 1 else f"batch {batch}",
        "requests": len(measured),
        "events": events,
        "events_per_second": round(events / (ended - started), 1),
        **{
            key: value for key, value in summary([row[2] for row in measured]).items() if key != "n"
        },
        "cpu_ms_per_event": round(cpu_seconds * 1000 / max(1, events), 2),
        "cpu_busy": round((busy_after - busy_before) / max(1, total_after - total_before), 3),
        "errors": len(errors),
        "first_errors": errors[:5],
    }


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from django.db import connection
    from huey.contrib.djhuey import HUEY

    from innendienst.automation.models import EventSource
    from innendienst.contacts.models import Person

    rng = random.Random(seed)
    emails = list(
        Person.objects.exclude(email="").order_by("id").values_list("email", flat=True)[:50_000]
    )
    emails = rng.sample(emails, min(CONTACTS, len(emails)))
    source, _created = EventSource.objects.get_or_create(
        key=SOURCE_KEY, defaults={"name": "make bench"}
    )
    connection.close()
    try:
        with serving(PORT):
            seconds = SECONDS if repeat >= 10 else SECONDS / 2
            rounds = [
                _round(source.secret, emails, clients, batch, seconds)
                for batch in (1, BATCH)
                for clients in CLIENTS
            ]
    finally:
        stored = source.events.count()
        with connection.cursor() as cursor:
            # Hundreds of thousands of rows: one statement, not the ORM's collector.
            cursor.execute("DELETE FROM automation_inboundevent WHERE source_id = %s", [source.pk])
        source.delete()
        # Nobody works the bench's queue: the rules of its events are not run.
        HUEY.flush()
    cache = "Redis" if os.environ.get("REDIS_URL") else "files"
    return {
        "server": f"innendienst serve (default workers and threads), queue: {cache}",
        "stored": stored,
        "rounds": rounds,
    }
