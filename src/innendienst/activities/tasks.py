"""Telephone acquisition's nightly work for the Huey worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from innendienst.activities.services import reachability_rates_refresh


@db_periodic_task(crontab(hour="2", minute="10"))
def reachability_at_night() -> None:
    """The industries' best times to reach, learned afresh from the last year's calls."""
    reachability_rates_refresh()
