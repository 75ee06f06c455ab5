"""The SLA sweep for the Huey worker, every five minutes, the nightly aging, and the weekly
training of the learnt lead score."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

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


# Sunday night, away from the nightly aging at 4:20: the week's closed leads are in, and a new
# model scores the open leads before Monday's calls.
@db_periodic_task(crontab(day_of_week="0", hour="2", minute="30"))
def train_lead_score() -> None:
    from innendienst.leads.learning import train_and_rescore

    train_and_rescore()


@db_task()
def train_lead_score_now() -> None:
    """The administrator's "train now", off the request: a large history takes a minute."""
    from innendienst.leads.learning import train_and_rescore

    train_and_rescore()
