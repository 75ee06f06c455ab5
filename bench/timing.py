"""What every benchmark needs: repeated timings and their summary."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
    }


def forget_request_caches(user: Any) -> None:
    """What a new request would not know yet: the user's visible territories."""
    user.__dict__.pop("_visible_territory_ids", None)


def peak_rss_mb() -> float:
    """The peak memory of this process. A benchmark's worker is started by the bench runner:
    ``ru_maxrss`` would keep the runner's peak from before the exec, ``VmHWM`` starts afresh."""
    with open("/proc/self/status") as status:
        kilobytes = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return round(kilobytes / 1024, 1)
