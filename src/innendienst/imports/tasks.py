"""The import job for the Huey worker."""

from __future__ import annotations

import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from innendienst.imports import services


@db_task(retries=2, retry_delay=30)
def run_import(import_id: int) -> None:
    """Goes on after the last committed batch when it runs again (a retry, a restarted
    worker): no row is written twice."""
    services.import_run(import_id)


# An upload left as a draft this long is taken to be forgotten.
DRAFTS_KEPT = datetime.timedelta(days=7)


@db_periodic_task(crontab(hour="3", minute="40"))
def purge_stale_drafts() -> None:
    services.drafts_purge(older_than=DRAFTS_KEPT)
