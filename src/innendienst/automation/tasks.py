"""Work for the Huey worker: the rules of an inbound event, webhook deliveries and their
retries. Queued after the commit, so the sender of an event or the user who changed a lead
never waits for a rule or a slow webhook."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from innendienst.automation import engine, services, webhooks
from innendienst.core.events import Event


@db_task()
def process_inbound_events(pks: list[int]) -> None:
    for pk in pks:
        services.inbound_process_safely(pk)


@db_periodic_task(crontab(minute="*/10"))
def process_stale_inbound_events() -> None:
    """Events whose job was lost (a worker restarted while the queue was cleared)."""
    services.inbound_process_stale()


@db_task()
def run_domain_rules(event: Event, depth: int) -> None:
    engine.run_for_domain_event(event, depth)


@db_task()
def deliver_webhook(pk: int) -> None:
    webhooks.deliver(pk)


@db_periodic_task(crontab(minute="*"))
def retry_webhook_deliveries() -> None:
    webhooks.retry_due()
