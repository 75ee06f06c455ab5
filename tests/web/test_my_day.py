"""/my-day/: the start page, composed of the sections the apps register."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from innendienst.accounts.models import Role
from innendienst.activities.selectors import MY_DAY_TASKS
from tests import factories, volume

pytestmark = pytest.mark.django_db

# Session, user (his visible territories come from the cache), then my open tasks: overdue,
# today, upcoming, and how many there are in each; the leads waiting for me (their count only
# when there are more than the section shows); the discount approvals within his limit (one
# query with the limit as a subquery), his offers to follow up and the expert requests waiting
# for his answer.
MY_DAY_QUERIES = 10
# The manager's page adds his teams' follow-ups (per rep, longest overdue) and the lead
# deadlines passed; the revenue of the month comes after the page (a lazy section).
MY_DAY_MANAGER_QUERIES = 13


def test_it_lists_my_follow_ups_and_lets_me_finish_one(client, owner, company):
    task = volume.open_task(company, owner, due=timezone.now(), subject="Angebot nachfassen")
    client.force_login(owner)
    page = client.get(reverse("my_day")).content.decode()
    assert "Angebot nachfassen" in page
    assert reverse("activity_complete", args=[task.pk]) in page
    response = client.post(reverse("activity_complete", args=[task.pk]), follow=True)
    assert response.redirect_chain == [(reverse("my_day"), 302)]
    assert all(not tasks for tasks in response.context["buckets"].values())
    assert reverse("activity_complete", args=[task.pk]) not in response.content.decode()


def test_it_shows_a_rep_no_team_sections(client, owner, company):
    client.force_login(owner)
    sections = [shown.item.name for shown in client.get(reverse("my_day")).context["sections"]]
    assert sections == ["my_tasks"]


def test_it_shows_a_manager_the_follow_ups_of_his_teams(client, owner, company, territories):
    volume.open_task(
        company, owner, due=timezone.now() - datetime.timedelta(days=3), subject="Überfällig"
    )
    manager = factories.UserFactory(role=Role.SALES_MANAGER, territories=[territories["DE"]])
    client.force_login(manager)
    response = client.get(reverse("my_day"))
    sections = [shown.item.name for shown in response.context["sections"]]
    assert sections == ["my_tasks", "team_follow_ups", "team_calls", "revenue"]
    assert "Überfällig" in response.content.decode()


def test_it_shows_a_manager_the_calls_of_his_teams_with_reach_and_appointment_rate(
    client, owner, company, person, territories
):
    now = timezone.now()
    for outcome in ("reached", "appointment", "not_reached", "gatekeeper"):
        factories.ActivityFactory(
            company=company, person=person, created_by=owner, outcome=outcome, occurred_at=now
        )
    factories.ActivityFactory(  # last month's call does not count
        company=company, created_by=owner, occurred_at=now - datetime.timedelta(days=30)
    )
    manager = factories.UserFactory(role=Role.SALES_MANAGER, territories=[territories["DE"]])
    client.force_login(manager)
    response = client.get(reverse("my_day_section", args=["team_calls"]))
    assert response.status_code == 200
    [row] = response.context["per_rep"]
    assert (row["today"], row["week"], row["reach_rate"], row["appointment_rate"]) == (4, 4, 50, 50)
    assert "Lena" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_the_same_number_of_queries_for_any_number_of_tasks(
    client, owner, territories, rows, django_assert_num_queries
):
    volume.customer_base(territories["BY"], owner, rows)
    for company in volume.customer_base(territories["BY"], owner, rows, name="Später"):
        volume.open_task(company, owner, due=timezone.now() + datetime.timedelta(days=2))
    client.force_login(owner)
    client.get(reverse("my_day"))
    with django_assert_num_queries(MY_DAY_QUERIES):
        response = client.get(reverse("my_day"))
    buckets, more = response.context["buckets"], response.context["more"]
    assert all(len(tasks) <= MY_DAY_TASKS for tasks in buckets.values())
    assert sum(len(tasks) + more[name] for name, tasks in buckets.items()) == 3 * rows


def test_it_shows_the_first_tasks_of_a_long_list_and_says_how_many_more(
    client, owner, company, monkeypatch
):
    monkeypatch.setattr("innendienst.activities.selectors.MY_DAY_TASKS", 2)
    for hours in (1, 2, 3, 4):
        volume.open_task(
            company, owner, due=timezone.now() - datetime.timedelta(days=1, hours=hours)
        )
    client.force_login(owner)
    response = client.get(reverse("my_day"))
    assert len(response.context["buckets"]["overdue"]) == 2
    page = response.content.decode()
    assert '<span class="badge bad">4</span>' in page
    assert "… und 2 weitere" in page


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_the_same_number_of_queries_for_a_manager_for_any_number_of_rows(
    client, owner, territories, rows, django_assert_num_queries
):
    manager = factories.UserFactory(role=Role.SALES_MANAGER, territories=[territories["DE"]])
    reps = [factories.UserFactory(team=owner.team) for _ in range(3)]
    for rep in reps:
        volume.customer_base(territories["BY"], rep, rows // 3 or 1, name=rep.username)
    client.force_login(manager)
    client.get(reverse("my_day"))
    with django_assert_num_queries(MY_DAY_MANAGER_QUERIES):
        response = client.get(reverse("my_day"))
    assert len(response.context["per_rep"]) == 3
