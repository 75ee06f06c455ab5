"""The export job and the nightly purge of old export files, for the Huey worker."""

from __future__ import annotations

import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from innendienst.exports import services

# An export's file is kept this long for its user to download.
EXPORTS_KEPT = datetime.timedelta(days=7)


@db_task(retries=1, retry_delay=30)
def run_export(export_id: int) -> None:
    services.export_run(export_id)


@db_periodic_task(crontab(hour="3", minute="50"))
def purge_old_exports() -> None:
    services.exports_purge(older_than=EXPORTS_KEPT)
