"""The export of every contact as CSV and as a workbook, as an administrator sees them.

Each format is written by a process of its own through the same code as the command line
(``innendienst export``) and the list's download, so its peak memory is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

_WORKER = """
import io, json, sys, time
from timing import peak_rss_mb
import django
django.setup()
from django.core.management import call_command
from innendienst.contacts.models import Person
path, fmt = sys.argv[1], sys.argv[2]
rows = Person.objects.count()
started = time.perf_counter()
call_command("export", path, "--kind", "people", "--format", fmt, "--as", "admin",
             stdout=io.StringIO())
seconds = time.perf_counter() - started
peak = peak_rss_mb()
print(json.dumps({"rows": rows, "seconds": seconds, "peak_rss_mb": peak}))
"""


def _export(fmt: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"kontakte.{fmt}"
        done = subprocess.run(
            [sys.executable, "-c", _WORKER, str(path), fmt],
            cwd=Path(__file__).parent,  # for ``timing``
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["megabytes"] = round(path.stat().st_size / 2**20, 1)
    result["seconds"] = round(result["seconds"], 2)
    result["rows_per_second"] = round(result["rows"] / result["seconds"], 1)
    return result


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    return {fmt: _export(fmt) for fmt in ("csv", "xlsx")}
