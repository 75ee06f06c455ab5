"""The nightly rescoring of open offers (their age moves their chances) and the weekly training
of the win probability."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from innendienst.offers import winning


@db_periodic_task(crontab(hour="4", minute="40"))
def rescore_open_offers() -> None:
    winning.rescore_open()


# Sunday night, after the lead score's training at 2:30.
@db_periodic_task(crontab(day_of_week="0", hour="3", minute="10"))
def train_win_probability() -> None:
    winning.train_and_rescore()


@db_task()
def train_win_probability_now() -> None:
    """Management's "train now", off the request: a large history takes a while."""
    winning.train_and_rescore()
