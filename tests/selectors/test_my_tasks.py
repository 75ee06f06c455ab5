"""activities.selectors: the open tasks of "My day", split by due date."""

import datetime

import pytest
from django.utils import timezone

from innendienst.activities.models import ActivityType
from innendienst.activities.selectors import my_tasks
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_splits_my_open_tasks_by_due_date(owner, teammate, company):
    now = timezone.now()

    def task(subject, due, assignee=owner, done=False):
        return factories.ActivityFactory(
            company=company,
            kind=ActivityType.TASK,
            outcome="",
            occurred_at=None,
            subject=subject,
            due_at=due,
            done=done,
            assigned_to=assignee,
        )

    task("late", now - datetime.timedelta(days=2))
    task(
        "now",
        timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12))),
    )
    task("soon", now + datetime.timedelta(days=3))
    task("far", now + datetime.timedelta(days=30))
    task("done", now, done=True)
    task("theirs", now, assignee=teammate)
    buckets = my_tasks(owner)
    assert [a.subject for a in buckets["overdue"]] == ["late"]
    assert [a.subject for a in buckets["today"]] == ["now"]
    assert [a.subject for a in buckets["upcoming"]] == ["soon"]


def test_it_counts_a_follow_up_overdue_from_the_day_after_its_date(company, owner):
    today_early = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(0, 5))
    )
    due_today = factories.ActivityFactory(
        company=company, kind="task", outcome="", occurred_at=None, due_at=today_early, done=False
    )
    due_yesterday = factories.ActivityFactory(
        company=company,
        kind="task",
        outcome="",
        occurred_at=None,
        due_at=today_early - datetime.timedelta(days=1),
        done=False,
    )
    assert not due_today.is_overdue
    assert due_yesterday.is_overdue
