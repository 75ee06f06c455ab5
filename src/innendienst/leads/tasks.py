"""The SLA sweep for the Huey worker, every five minutes, and the nightly aging."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from innendienst.leads.aging import decay_priorities
from innendienst.leads.scoring import rescore_open
from innendienst.leads.sla import sla_sweep


@db_periodic_task(crontab(minute="*/5"))
def sweep_sla_clocks() -> None:
    sla_sweep()


@db_periodic_task(crontab(hour="4", minute="20"))
def age_untouched_leads() -> None:
    """Priorities sink and scores move with the age of the leads nobody works."""
    decay_priorities()
    rescore_open()
