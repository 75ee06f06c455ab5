"""/api/v1/rules and /api/v1/webhooks for management, marketing and administrators."""

from __future__ import annotations

import pytest

from innendienst.accounts.models import Role
from innendienst.automation.models import Rule, Webhook, WebhookDelivery
from tests import factories
from tests.api.helpers import assert_invalid, problem_of

pytestmark = pytest.mark.django_db

TASK = {"kind": "task", "assignee": "field_rep", "subject": "Besuch", "due_days": 2}
RULE = {"name": "Übergabe", "trigger": "lead.stage_changed", "actions": [TASK]}


@pytest.fixture
def manager(territories):
    return factories.UserFactory(
        username="manager", role=Role.SALES_MANAGER, territories=[territories["DE"]]
    )


def test_it_creates_lists_changes_and_deletes_a_rule(api_as, manager):
    api = api_as(manager)
    response = api.post("/rules", RULE)
    assert response.status_code == 201, response.content
    rule_id = response.json()["id"]
    assert response.json()["run_as_id"] == manager.pk
    assert api.get("/rules").json()["count"] == 1
    response = api.patch(f"/rules/{rule_id}", {"conditions": {"lead_stage": "sql"}})
    assert response.status_code == 200
    assert response.json()["conditions"] == {"lead_stage": "sql"}
    assert response.json()["name"] == "Übergabe"
    assert api.get(f"/rules/{rule_id}/runs").json()["items"] == []
    assert api.delete(f"/rules/{rule_id}").status_code == 204
    assert not Rule.objects.exists()


def test_it_names_a_loop_at_the_actions(api_as, manager):
    score = {"kind": "score", "points": 5, "label": "x"}
    response = api_as(manager).post(
        "/rules", {"name": "Kreis", "trigger": "lead.engaged", "actions": [score]}
    )
    assert_invalid(response, "actions")
    assert not Rule.objects.exists()


def test_it_names_an_unknown_trigger(api_as, manager):
    response = api_as(manager).post("/rules", {**RULE, "trigger": "lead.exploded"})
    assert_invalid(response, "trigger")


def test_it_creates_a_webhook_with_its_secret_once_and_replays_a_delivery(api_as, admin_user):
    api = api_as(admin_user)
    body = {"name": "CRM", "url": "https://example.com/hook", "events": ["lead.captured"]}
    response = api.post("/webhooks", body)
    assert response.status_code == 201
    created = response.json()
    webhook = Webhook.objects.get()
    assert created["secret"] == webhook.secret
    assert "secret" not in api.get(f"/webhooks/{webhook.pk}").json()
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="lead.captured", payload={})
    response = api.post(f"/webhooks/{webhook.pk}/deliveries/{delivery.pk}/replay")
    assert response.status_code == 202
    assert response.json()["replay_of_id"] == delivery.pk
    assert api.get(f"/webhooks/{webhook.pk}/deliveries").json()["count"] == 2
    response = api.patch(f"/webhooks/{webhook.pk}", {"events": ["lead.nothing"]})
    assert_invalid(response, "events")


def test_it_keeps_webhooks_from_management(api_as, manager):
    response = api_as(manager).post(
        "/webhooks", {"name": "X", "url": "https://example.com/x", "events": ["lead.captured"]}
    )
    assert problem_of(response, 403)["type"] == "forbidden"
    assert not Webhook.objects.exists()
