"""Telephone acquisition (issue 10): a call list of up to 100,000 contacts put together from a
company filter with the contact limits applied, and 20 reps pressing "next call" at once
through the real server (``innendienst serve``) on loopback, each saving the call before the
next — the API a phone system drives.

Counted, not assumed: every contact handed out is recorded by the rep who got it; a contact
handed out twice is a duplicate. The bench's users, list and calls are deleted afterwards, so
that the calls do not count against the demo's contact limits.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from typing import Any

from bench_load import _cpu_ticks, serving
from timing import summary

PORT = 8767
REPS = 20
SECONDS = 20.0
CONTACTS = 100_000
# Most calls end the contact's turn; a miss puts him back three hours later.
OUTCOMES = ("reached", "reached", "no_need", "not_reached")
# A rep is on the phone between "next call" and saving it: minutes in real life, a second or
# three here, so that twenty reps keep the server as busy as a large team would.
TALK_SECONDS = (1.0, 3.0)
BENCH_PREFIX = "bench-caller-"


def _rep(
    key: str,
    list_id: int,
    seed: int,
    start: threading.Barrier,
    stop: threading.Event,
    record: dict[str, list],
    errors: list[str],
) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {
        "Authorization": f"Bearer {key}",
        "Content-Type": "application/json",
        "Host": "127.0.0.1",
    }

    def send(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, Any, float]:
        nonlocal connection
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                data = None if body is None else json.dumps(body)
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                # The server closed the connection while the rep was on the phone (its
                # keep-alive is short): a new one, and the request once more.
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            return response.status, json.loads(payload or b"null"), elapsed
        raise AssertionError("unreachable")

    def post(path: str, body: dict[str, Any]) -> tuple[int, Any, float]:
        return send("POST", path, body)

    send("GET", "/api/v1/call-lists", None)  # a warm connection and server, as in the office
    saved: set[int] = set()
    first = True
    start.wait()  # the first "next call" of all reps at the same moment
    while not stop.is_set():
        try:
            status, entry, elapsed = post(f"/api/v1/call-lists/{list_id}/next", {})
            if status != 200:
                errors.append(f"next: {status} {entry}")
                continue
            record["burst" if first else "next_call"].append(elapsed)
            first = False
            if entry is None:
                break
            if entry["id"] in saved:
                record["again"].append(entry["id"])  # his own call, saved, handed once more
            record["handed"].append((seed, entry["id"]))
            time.sleep(rng.uniform(*TALK_SECONDS))
            body = {"reservation": entry["reservation"], "outcome": rng.choice(OUTCOMES)}
            status, answer, elapsed = post(f"/api/v1/call-entries/{entry['id']}/outcome", body)
            if status != 200:
                errors.append(f"outcome: {status} {answer}")
                continue
            record["outcome"].append(elapsed)
            saved.add(entry["id"])
        except (OSError, http.client.HTTPException) as exc:
            errors.append(repr(exc))
    connection.close()


def _build(admin: Any, team: Any) -> tuple[Any, dict[str, Any]]:
    from innendienst.activities import selectors, services
    from innendienst.contacts.selectors import company_filter

    started = time.perf_counter()
    companies = company_filter(admin, {"status": "customer"}).matches()
    candidates = selectors.call_candidates(admin, companies)
    call_list = services.call_list_create(
        actor=admin,
        name="make bench: Reaktivierung Kunden",
        team=team,
        people=candidates.people,
        limit=CONTACTS,
    )
    seconds = time.perf_counter() - started
    return call_list, {
        "seconds": round(seconds, 2),
        "found": candidates.found,
        "without_phone": candidates.without_phone,
        "objecting": candidates.objecting,
        "over_limit": candidates.over_limit,
        "contacts": call_list.entries.count(),
    }


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from django.db import connection

    from innendienst.accounts.models import Role, Team, Territory, User
    from innendienst.accounts.services import api_token_create
    from innendienst.activities.models import CallList

    admin = User.objects.get(username="admin")
    team, _created = Team.objects.get_or_create(name="make bench: Telefonteam")
    team.territories.set(Territory.objects.all())
    reps = []
    for number in range(REPS):
        rep, _created = User.objects.update_or_create(
            username=f"{BENCH_PREFIX}{number}",
            defaults={"role": Role.INSIDE_SALES, "team": team, "last_name": f"Bench {number}"},
        )
        reps.append(rep)
    keys = [api_token_create(actor=rep, name="make bench")[1] for rep in reps]
    call_list, built = _build(admin, team)
    connection.close()

    record: dict[str, list] = {
        "burst": [],
        "next_call": [],
        "outcome": [],
        "handed": [],
        "again": [],
    }
    errors: list[str] = []
    try:
        with serving(PORT):
            stop, start = threading.Event(), threading.Barrier(REPS)
            threads = [
                threading.Thread(
                    target=_rep,
                    args=(key, call_list.pk, seed + n, start, stop, record, errors),
                    daemon=True,
                )
                for n, key in enumerate(keys)
            ]
            busy_before, _total = _cpu_ticks()
            started = time.monotonic()
            for thread in threads:
                thread.start()
            time.sleep(SECONDS if repeat >= 10 else SECONDS / 2)
            stop.set()
            for thread in threads:
                thread.join(60)
            elapsed = time.monotonic() - started
            busy_after, _total = _cpu_ticks()
    finally:
        # A contact handed to two reps, or handed again after his call was saved.
        reps_of: dict[int, set[int]] = {}
        for rep, entry_id in record["handed"]:
            reps_of.setdefault(entry_id, set()).add(rep)
        twice = sum(len(reps) - 1 for reps in reps_of.values()) + len(record["again"])
        rep_ids = [rep.pk for rep in reps]
        with connection.cursor() as cursor:
            # Tens of thousands of rows: one statement each, not the ORM's collector.
            for table, column in (
                ("activities_activity", "created_by_id"),
                ("core_auditentry", "actor_id"),
                ("privacy_consent", "recorded_by_id"),
            ):
                cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [rep_ids])
        CallList.objects.filter(pk=call_list.pk).delete()
        User.objects.filter(pk__in=rep_ids).delete()
        team.delete()
    calls = len(record["outcome"])
    cpu_seconds = (busy_after - busy_before) / os.sysconf("SC_CLK_TCK")
    return {
        "server": "innendienst serve (default workers and threads), the API of a phone system",
        "build": built,
        "reps": REPS,
        "talk_seconds": list(TALK_SECONDS),
        "handed": len(record["handed"]),
        "handed_twice": twice,
        "calls_per_second": round(calls / elapsed, 1),
        **{
            label: summary(record[label]) if record[label] else {}
            for label in ("burst", "next_call", "outcome")
        },
        "cpu_ms_per_call": round(cpu_seconds * 1000 / max(1, calls), 1),
        "errors": len(errors),
        "first_errors": errors[:5],
    }
