"""activities.selectors: the open tasks of "My day", split by due date."""

import datetime

import pytest
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.models import ActivityType
from innendienst.activities.selectors import MY_DAY_TASKS, my_tasks, team_follow_ups
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


def _open_task(company, assignee, due, subject):
    return factories.ActivityFactory(
        company=company, kind=ActivityType.TASK, outcome="", occurred_at=None, due_at=due,
        done=False, assigned_to=assignee, subject=subject,
    )  # fmt: skip


def test_it_shows_the_first_tasks_of_a_bucket_by_due_time(owner, company):
    start = timezone.now() - datetime.timedelta(days=40)
    for number in reversed(range(MY_DAY_TASKS + 5)):
        _open_task(company, owner, start + datetime.timedelta(hours=number), f"late {number}")
    overdue = my_tasks(owner)["overdue"]
    assert [task.subject for task in overdue] == [f"late {n}" for n in range(MY_DAY_TASKS)]
    assert overdue[0].company == company


def test_it_shows_the_manager_the_longest_overdue_follow_ups_he_may_see(
    owner, company, north_company, territories
):
    manager = factories.UserFactory(role=Role.SALES_MANAGER, territories=[territories["BY"]])
    start = timezone.now() - datetime.timedelta(days=30)
    # The oldest overdue task lies in a territory the manager does not see.
    _open_task(north_company, owner, start - datetime.timedelta(days=1), "north")
    for number in reversed(range(12)):
        _open_task(company, owner, start + datetime.timedelta(days=number), f"late {number}")
    oldest = team_follow_ups(manager)["oldest_overdue"]
    assert [task.subject for task in oldest] == [f"late {n}" for n in range(10)]
