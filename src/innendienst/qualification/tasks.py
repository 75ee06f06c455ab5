"""The scores for the Huey worker: a customer group's companies after its checklist changed,
and every company at night (what the events did not reach: erasures, direct database work)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from innendienst.qualification import quality


@db_task()
def rescore_group(customer_group_id: int) -> None:
    quality.refresh_all(customer_group_id)


@db_periodic_task(crontab(hour="3", minute="15"))
def rescore_at_night() -> None:
    quality.refresh_all()
