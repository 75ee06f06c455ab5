"""The import job for the Huey worker."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from innendienst.imports import services


@db_task(retries=2, retry_delay=30)
def run_import(import_id: int) -> None:
    """Goes on after the last committed batch when it runs again (a retry, a restarted
    worker): no row is written twice."""
    services.import_run(import_id)
