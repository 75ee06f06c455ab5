"""The automation pages: rules with their runs, inbound events, event sources, webhooks with
the delivery log — for marketing and management (rules) and administrators (integrations)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from innendienst.accounts.models import Role
from innendienst.automation.models import EventSource, Rule, Webhook, WebhookDelivery
from tests import factories
from tests.automation.conftest import de

pytestmark = pytest.mark.django_db

RULE_LIST_QUERIES = 4
WEBHOOK_PAGE_QUERIES = 5

RULE_FORM = {
    "name": "Produktvideo geklickt",
    "active": "on",
    "trigger": "inbound:newsletter.click",
    "detail_contains": "produktvideo",
    "task_assignee": "field_rep",
    "task_subject": "Nachfassen: Produktvideo",
    "task_due_days": "2",
    "score_points": "8",
    "score_label": "Produktvideo angesehen",
}


@pytest.fixture
def manager(territories):
    return factories.UserFactory(
        username="manager", role=Role.SALES_MANAGER, territories=[territories["DE"]]
    )


@pytest.fixture
def hook(admin_user):
    return Webhook.objects.create(
        name="Marketing-Tool", url="https://example.com/hook", events=["lead.captured"]
    )


def test_it_lets_management_create_a_rule_from_the_form(client, manager):
    client.force_login(manager)
    assert client.get(reverse("automation_rule_new")).status_code == 200
    response = client.post(reverse("automation_rule_new"), RULE_FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = Rule.objects.get()
    assert rule.trigger == "inbound:newsletter.click"
    assert rule.conditions == {"detail_contains": "produktvideo"}
    assert rule.actions == [
        {"kind": "task", "assignee": "field_rep", "subject": "Nachfassen: Produktvideo",
         "due_days": 2},
        {"kind": "score", "points": 8, "label": "Produktvideo angesehen"},
    ]  # fmt: skip
    page = client.get(reverse("automation_rules")).content.decode()
    assert "Produktvideo geklickt" in page


def test_it_shows_a_stored_rule_in_its_form(client, manager):
    client.force_login(manager)
    client.post(reverse("automation_rule_new"), RULE_FORM)
    rule = Rule.objects.get()
    page = client.get(reverse("automation_rule", args=[rule.pk])).content.decode()
    assert 'value="Nachfassen: Produktvideo"' in page
    assert 'value="produktvideo"' in page
    changed = {**RULE_FORM, "score_points": "3"}
    assert client.post(reverse("automation_rule", args=[rule.pk]), changed).status_code == 302
    rule.refresh_from_db()
    assert rule.actions[1]["points"] == 3


def test_it_shows_the_errors_of_the_form_at_their_fields(client, manager):
    client.force_login(manager)
    bad = {**RULE_FORM, "trigger": "", "task_subject": "", "score_points": "0"}
    response = client.post(reverse("automation_rule_new"), bad)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"trigger", "task_subject", "score_points"} <= set(errors)
    assert not Rule.objects.exists()


def test_it_refuses_a_rule_without_an_action_above_the_form(client, manager):
    client.force_login(manager)
    bare = {"name": "Nichts", "trigger": "lead.captured", "active": "on"}
    response = client.post(reverse("automation_rule_new"), bare)
    assert response.status_code == 422
    assert escape(de("A rule needs at least one action.")) in response.content.decode()


def test_it_refuses_a_looping_rule_and_names_the_chain(client, manager):
    client.force_login(manager)
    looping = {"name": "Punkte", "trigger": "lead.engaged", "active": "on",
               "score_points": "5", "score_label": "nochmal"}  # fmt: skip
    response = client.post(reverse("automation_rule_new"), looping)
    assert response.status_code == 422
    assert "„Punkte“ → „Punkte“" in response.content.decode()


def test_it_deletes_a_rule(client, manager):
    client.force_login(manager)
    client.post(reverse("automation_rule_new"), RULE_FORM)
    rule = Rule.objects.get()
    response = client.post(reverse("automation_rule_delete", args=[rule.pk]))
    assert response.status_code == 302
    assert not Rule.objects.exists()


@pytest.mark.parametrize("role", [Role.INSIDE_SALES, Role.FIELD_SALES, Role.PRODUCT_MANAGEMENT])
def test_it_keeps_rules_from_the_reps(client, role):
    client.force_login(factories.UserFactory(role=role))
    assert client.get(reverse("automation_rules")).status_code == 403
    assert client.post(reverse("automation_rule_new"), RULE_FORM).status_code == 403
    assert not Rule.objects.exists()


def test_it_shows_marketing_the_rules_but_not_the_integrations(client, marketer):
    client.force_login(marketer)
    page = client.get(reverse("automation_rules")).content.decode()
    assert reverse("automation_inbound") in page
    assert reverse("automation_webhooks") not in page
    assert client.get(reverse("automation_webhooks")).status_code == 403
    assert client.get(reverse("automation_sources")).status_code == 403


def test_it_shows_the_secret_of_a_new_source_once(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("automation_sources"), {"name": "Newsletter", "key": "newsletter"}
    )
    source = EventSource.objects.get()
    assert source.secret in response.content.decode()
    assert source.secret not in client.get(reverse("automation_sources")).content.decode()
    old = source.secret
    response = client.post(reverse("automation_source_rotate", args=[source.pk]))
    source.refresh_from_db()
    assert source.secret != old
    assert source.secret in response.content.decode()


def test_it_refuses_a_source_key_taken_at_the_field(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("automation_sources"), {"name": "Newsletter", "key": "newsletter"})
    response = client.post(reverse("automation_sources"), {"name": "Zweiter", "key": "newsletter"})
    assert response.status_code == 422
    assert "key" in response.context["form"].errors


def test_it_creates_a_webhook_and_shows_its_deliveries_with_replay(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("automation_webhooks"), {
        "name": "Marketing-Tool", "url": "https://example.com/hook",
        "events": ["lead.captured", "lead.stage_changed"], "active": "on",
    })  # fmt: skip
    assert response.status_code == 200
    hook = Webhook.objects.get()
    assert hook.secret in response.content.decode()
    assert hook.events == ["lead.captured", "lead.stage_changed"]
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="lead.captured", payload={}, status="failed", attempts=6,
        response_status=503, error="Service Unavailable",
    )  # fmt: skip
    page = client.get(reverse("automation_webhook", args=[hook.pk])).content.decode()
    assert "Service Unavailable" in page
    replay = reverse("automation_delivery_replay", args=[hook.pk, delivery.pk])
    assert replay in page
    assert client.post(replay).status_code == 302
    assert WebhookDelivery.objects.filter(replay_of=delivery).exists()


def test_it_names_a_bad_webhook_address_at_the_field(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("automation_webhooks"), {
        "name": "X", "url": "ftp://example.com", "events": ["lead.captured"],
    })  # fmt: skip
    assert response.status_code == 422
    assert "url" in response.context["form"].errors


def test_it_keeps_webhooks_from_management(client, manager, hook):
    client.force_login(manager)
    assert client.get(reverse("automation_webhook", args=[hook.pk])).status_code == 403


def _many_runs(manager, company, count: int) -> None:
    from innendienst.automation.models import RuleRun

    for number in range(count):
        rule = Rule.objects.create(
            name=f"Regel {number}", trigger="lead.captured", run_as=manager,
            actions=[{"kind": "task", "assignee": "field_rep", "subject": "x", "due_days": 1}],
        )  # fmt: skip
        RuleRun.objects.create(rule=rule, trigger="lead.captured", company=company,
                               outcome="done", detail="task")  # fmt: skip


@pytest.mark.parametrize("count", [1, 8])
def test_it_reads_the_rule_list_in_the_same_queries_for_more_rules(
    client, manager, company, count, django_assert_num_queries
):
    _many_runs(manager, company, count)
    client.force_login(manager)
    client.get(reverse("automation_rules"))  # the session and caches warm
    with django_assert_num_queries(RULE_LIST_QUERIES):
        assert client.get(reverse("automation_rules")).status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_it_reads_the_delivery_log_in_the_same_queries_for_more_deliveries(
    client, admin_user, hook, count, django_assert_num_queries
):
    for _number in range(count):
        WebhookDelivery.objects.create(webhook=hook, event="lead.captured", payload={})
    client.force_login(admin_user)
    url = reverse("automation_webhook", args=[hook.pk])
    client.get(url)
    with django_assert_num_queries(WEBHOOK_PAGE_QUERIES):
        assert client.get(url).status_code == 200


def test_it_keeps_a_rule_with_two_tasks_from_the_form_that_would_drop_one(client, manager):
    task = {"kind": "task", "assignee": "field_rep", "subject": "A", "due_days": 1}
    rule = Rule.objects.create(
        name="Zwei Aufgaben", trigger="lead.captured", run_as=manager,
        actions=[task, {**task, "assignee": "inside_rep", "subject": "B"}],
    )  # fmt: skip
    client.force_login(manager)
    response = client.post(reverse("automation_rule", args=[rule.pk]), RULE_FORM)
    assert response.status_code == 422
    rule.refresh_from_db()
    assert len(rule.actions) == 2


def test_it_pauses_a_source_and_issues_a_webhook_a_new_secret(client, admin_user, hook):
    source = EventSource.objects.create(name="Newsletter", key="newsletter")
    client.force_login(admin_user)
    assert client.post(reverse("automation_source_toggle", args=[source.pk])).status_code == 302
    source.refresh_from_db()
    assert not source.active
    old = hook.secret
    response = client.post(reverse("automation_webhook_rotate", args=[hook.pk]))
    hook.refresh_from_db()
    assert hook.secret != old
    assert hook.secret in response.content.decode()


def test_it_keeps_sources_and_secrets_from_management(client, manager, hook):
    source = EventSource.objects.create(name="Newsletter", key="newsletter")
    client.force_login(manager)
    assert client.post(reverse("automation_source_toggle", args=[source.pk])).status_code == 403
    assert client.post(reverse("automation_webhook_rotate", args=[hook.pk])).status_code == 403
