"""The duplicate scan for the Huey worker, and its nightly run."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from innendienst.matching import scans
from innendienst.matching.models import RecordKind


@db_task()
def run_scan(scan_id: int) -> None:
    scans.scan_run(scan_id)


@db_periodic_task(crontab(hour="2", minute="30"))
def scan_at_night() -> None:
    """The records changed during the day against their candidates, as the system."""
    for kind in RecordKind.values:
        try:
            scans.scan_start(actor=None, kind=kind)
        except ValidationError:
            continue  # one is running already
