"""The daily read mix under load: the real server (``innendienst serve``, its default workers
and threads) on loopback, and a bounded number of clients on the same two cores, each sending
its next request when the last is answered.

The mix is what the inside rep and the sales manager do all day: the company list, a search
while typing, the list's htmx fragment, the 360° page, the person page, and the API list.
The CPU time of the whole machine (server, database and the clients) per answered request is
measured from /proc/stat.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from timing import summary

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
WARMUP_SECONDS = 3.0
SECONDS = 20.0
CLIENTS = (4, 8, 16)
SEARCHES = ["mue", "muel", "mueller", "mueller m", "tech", "münchen", "8033", "huber", "wagn"]


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server did not start on port {port}")


@contextmanager
def serving(port: int) -> Iterator[None]:
    """The real server (``innendienst serve``, its default workers and threads) on loopback,
    for the block."""
    env = {**os.environ, "ACCESS_LOG": "/dev/null", "PORT": str(port)}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "innendienst"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, 60)
        yield
    finally:
        server.terminate()
        server.wait(30)


class Mix:
    """The requests of one user: (label, path, headers)."""

    def __init__(self, cookie: str, token: str, company_ids: list[int], person_ids: list[int]):
        self.cookie, self.token = cookie, token
        self.company_ids, self.person_ids = company_ids, person_ids

    def pick(self, rng: random.Random) -> tuple[str, str, dict[str, str]]:
        page = {"Cookie": self.cookie}
        kind = rng.randrange(6)
        if kind == 0:
            sort = rng.choice(["", "&sort=city", "&status=customer", "&sort=-last_contact"])
            return "list", f"/companies/?page={rng.randint(1, 20)}{sort}", page
        if kind == 1:
            query = quote(rng.choice(SEARCHES))
            return "search", f"/search/?q={query}", {**page, "HX-Request": "true"}
        if kind == 2:
            query = quote(rng.choice(SEARCHES))
            fragment = {**page, "HX-Request": "true", "HX-Target": "company-results"}
            return "fragment", f"/companies/?q={query}", fragment
        if kind == 3:
            return "360", f"/companies/{rng.choice(self.company_ids)}/", page
        if kind == 4:
            return "person", f"/people/{rng.choice(self.person_ids)}/", page
        api = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        return "api", f"/api/v1/companies?page={rng.randint(1, 20)}", api


def _client(mixes: list[Mix], seed: int, stop: threading.Event, record: list, errors: list) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    while not stop.is_set():
        label, path, headers = rng.choice(mixes).pick(rng)
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{path}: {error}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            errors.append(f"{path}: {status}")
        record.append((time.monotonic(), label, elapsed))
    connection.close()


def _round(mixes: list[Mix], clients: int, seconds: float) -> dict[str, Any]:
    stop = threading.Event()
    record: list[tuple[float, str, float]] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=_client, args=(mixes, seed, stop, record, errors), daemon=True)
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
    cpu_seconds = (busy_after - busy_before) / os.sysconf("SC_CLK_TCK")
    by_label: dict[str, list[float]] = {}
    for _at, label, elapsed in measured:
        by_label.setdefault(label, []).append(elapsed)
    return {
        "clients": clients,
        "requests": len(measured),
        "requests_per_second": round(len(measured) / (ended - started), 1),
        **{
            key: value for key, value in summary([row[2] for row in measured]).items() if key != "n"
        },
        "cpu_ms_per_request": round(cpu_seconds * 1000 / max(1, len(measured)), 1),
        "cpu_busy": round((busy_after - busy_before) / max(1, total_after - total_before), 3),
        "errors": len(errors),
        "first_errors": errors[:5],
        "per_request": {label: summary(samples) for label, samples in sorted(by_label.items())},
    }


def _mixes(seed: int) -> tuple[list[Mix], list[Any]]:
    from django.conf import settings
    from django.test import Client

    from innendienst.accounts.models import User
    from innendienst.accounts.services import api_token_create
    from innendienst.contacts.selectors import companies_for, people_for

    rng = random.Random(seed)
    mixes, tokens = [], []
    for username in ("innendienst", "leitung"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        token, key = api_token_create(actor=user, name="make bench")
        tokens.append(token)
        company_ids = list(companies_for(user).order_by("id").values_list("id", flat=True)[:20_000])
        person_ids = list(people_for(user).order_by("id").values_list("id", flat=True)[:20_000])
        mixes.append(Mix(cookie, key, rng.sample(company_ids, 200), rng.sample(person_ids, 200)))
    return mixes, tokens


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from innendienst.accounts.services import api_token_revoke

    mixes, tokens = _mixes(seed)
    try:
        with serving(PORT):
            seconds = SECONDS if repeat >= 10 else SECONDS / 2
            rounds = [_round(mixes, clients, seconds) for clients in CLIENTS]
    finally:
        for token in tokens:
            api_token_revoke(actor=token.user, token=token)
    cache = "Redis" if os.environ.get("REDIS_URL") else "files"
    description = f"innendienst serve (default workers and threads), sessions and cache: {cache}"
    return {"server": description, "rounds": rounds}
