"""Outgoing webhooks: signed deliveries after the commit, retries with growing pauses when
the other side is down, the delivery log with replay."""

from __future__ import annotations

import datetime
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innendienst.automation import signing, webhooks
from innendienst.automation.models import DeliveryStatus, WebhookDelivery
from innendienst.automation.services import rule_save, webhook_replay, webhook_save
from innendienst.core.models import AuditEntry
from innendienst.leads.models import LeadStage
from innendienst.leads.services import lead_move

pytestmark = pytest.mark.django_db


class Receiver(http.server.BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"headers": dict(self.headers), "body": body})
        status = self.answers.pop(0) if self.answers else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Receiver]]]:
    Receiver.answers, Receiver.received = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", Receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook(admin_user, receiver):
    url, _handler = receiver
    return webhook_save(
        actor=admin_user,
        webhook=None,
        data={"name": "Marketing-Tool", "url": url, "events": ["lead.stage_changed"]},
    )


def test_it_sends_a_signed_delivery_after_the_stage_changed(
    owner, lead, hook, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead_move(actor=owner, lead=lead, to_stage=LeadStage.MQL)
    (request,) = receiver[1].received
    headers, body = request["headers"], request["body"]
    signing.verify(
        hook.secret,
        headers[signing.TIMESTAMP_HEADER],
        headers[signing.SIGNATURE_HEADER],
        body,
    )
    payload = json.loads(body)
    assert payload["event"] == "lead.stage_changed"
    assert payload["object"] == {"type": "leads.lead", "id": lead.pk}
    assert payload["data"]["stage"] == "mql"
    delivery = WebhookDelivery.objects.get()
    assert headers[signing.DELIVERY_HEADER] == str(delivery.delivery_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.DELIVERED, 1, 200,
    )  # fmt: skip


def test_it_sends_nothing_for_an_event_the_webhook_did_not_choose(
    owner, lead, hook, receiver, django_capture_on_commit_callbacks
):
    from innendienst.activities.services import activity_log

    with django_capture_on_commit_callbacks(execute=True):
        activity_log(actor=owner, company=lead.company,
                     data={"kind": "call", "subject": "Rückruf", "outcome": "reached"})  # fmt: skip
    assert receiver[1].received == []
    assert not WebhookDelivery.objects.exists()


def test_it_retries_with_growing_pauses_and_gives_up(hook, receiver, owner, lead):
    receiver[1].answers = [503] * webhooks.MAX_ATTEMPTS
    delivery = WebhookDelivery.objects.create(webhook=hook, event="lead.captured", payload={})
    now = timezone.now()
    pauses = []
    for _attempt in range(webhooks.MAX_ATTEMPTS):
        delivery = webhooks.deliver(delivery.pk)
        if delivery.next_attempt_at:
            pauses.append(round((delivery.next_attempt_at - now).total_seconds() / 60))
            now = delivery.next_attempt_at
            # The pause is over: the periodic task picks it up.
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
            )
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == webhooks.MAX_ATTEMPTS
    assert delivery.response_status == 503
    assert pauses == sorted(pauses)
    assert len(pauses) == webhooks.MAX_ATTEMPTS - 1
    assert webhooks.deliver(delivery.pk) is None  # failed for good: nothing more is sent


def test_it_logs_an_endpoint_that_is_down(admin_user):
    down = webhook_save(actor=admin_user, webhook=None, data={
        "name": "Weg", "url": "http://127.0.0.1:9/hook", "events": ["lead.captured"],
    })  # fmt: skip
    delivery = WebhookDelivery.objects.create(webhook=down, event="lead.captured", payload={})
    delivery = webhooks.deliver(delivery.pk)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_status is None
    assert delivery.error
    assert delivery.next_attempt_at > timezone.now()


def test_it_retries_the_due_deliveries(hook, receiver):
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="lead.captured", payload={}, status=DeliveryStatus.RETRYING,
        attempts=1, next_attempt_at=timezone.now() - datetime.timedelta(seconds=5),
    )  # fmt: skip
    later = WebhookDelivery.objects.create(
        webhook=hook, event="lead.captured", payload={}, status=DeliveryStatus.RETRYING,
        attempts=1, next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )  # fmt: skip
    assert webhooks.retry_due() == 1
    delivery.refresh_from_db()
    later.refresh_from_db()
    assert (delivery.status, later.status) == (DeliveryStatus.DELIVERED, DeliveryStatus.RETRYING)


def test_it_replays_a_delivery_as_a_new_one(
    admin_user, owner, hook, receiver, django_capture_on_commit_callbacks
):
    first = WebhookDelivery.objects.create(webhook=hook, event="lead.captured", payload={"a": 1})
    with django_capture_on_commit_callbacks(execute=True):
        again = webhook_replay(actor=admin_user, delivery=first)
    again.refresh_from_db()
    assert again.replay_of == first
    assert again.status == DeliveryStatus.DELIVERED
    assert json.loads(receiver[1].received[0]["body"]) == {"a": 1}
    assert AuditEntry.objects.filter(object_id=hook.pk, field="replay").exists()
    with pytest.raises(PermissionDenied):
        webhook_replay(actor=owner, delivery=first)


def test_a_rule_sends_to_a_webhook(
    manager, owner, lead, hook, receiver, django_capture_on_commit_callbacks
):
    rule_save(actor=manager, rule=None, data={
        "name": "An CRM melden", "trigger": "activity.logged",
        "actions": [{"kind": "webhook", "webhook": hook.pk}],
    })  # fmt: skip
    from innendienst.activities.services import activity_log

    with django_capture_on_commit_callbacks(execute=True):
        activity_log(actor=owner, company=lead.company,
                     data={"kind": "call", "subject": "Rückruf", "outcome": "reached"})  # fmt: skip
    payload = json.loads(receiver[1].received[0]["body"])
    assert payload["event"] == "activity.logged"
    assert payload["data"]["lead_id"] == lead.pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "nicht-eine-adresse"}, "url"),
        ({"events": []}, "events"),
        ({"events": ["lead.exploded"]}, "events"),
        ({"name": ""}, "name"),
    ],
)
def test_it_names_what_is_wrong_with_a_webhook(admin_user, data, field):
    values = {"name": "X", "url": "https://example.com/hook", "events": ["lead.captured"], **data}
    with pytest.raises(ValidationError) as caught:
        webhook_save(actor=admin_user, webhook=None, data=values)
    assert field in caught.value.message_dict


def test_only_administrators_manage_webhooks(manager):
    with pytest.raises(PermissionDenied):
        webhook_save(actor=manager, webhook=None, data={
            "name": "X", "url": "https://example.com/hook", "events": ["lead.captured"],
        })  # fmt: skip


def test_it_refuses_an_address_inside_the_network_unless_allowed(admin_user, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    internal = webhook_save(actor=admin_user, webhook=None, data={
        "name": "Metadaten", "url": "http://169.254.169.254/latest", "events": ["lead.captured"],
    })  # fmt: skip
    delivery = WebhookDelivery.objects.create(webhook=internal, event="lead.captured", payload={})
    delivery = webhooks.deliver(delivery.pk)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_status is None
    assert delivery.error


def test_it_does_not_follow_a_redirect(hook, receiver):
    receiver[1].answers = [302]
    delivery = WebhookDelivery.objects.create(webhook=hook, event="lead.captured", payload={})
    delivery = webhooks.deliver(delivery.pk)
    assert (delivery.status, delivery.response_status) == (DeliveryStatus.RETRYING, 302)
    assert len(receiver[1].received) == 1


def test_it_sends_nothing_for_a_paused_webhook(hook, receiver):
    hook.active = False
    hook.save()
    delivery = WebhookDelivery.objects.create(webhook=hook, event="lead.captured", payload={})
    assert webhooks.deliver(delivery.pk) is None
    assert receiver[1].received == []


def test_a_second_worker_does_not_send_a_delivery_taken_by_the_first(hook, receiver):
    delivery = WebhookDelivery.objects.create(webhook=hook, event="lead.captured", payload={})
    assert webhooks._claim(delivery.pk, timezone.now())
    assert webhooks.deliver(delivery.pk) is None
    assert receiver[1].received == []
