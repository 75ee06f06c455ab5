"""Outgoing webhooks: each domain event a webhook subscribed to becomes a delivery, sent by
the worker after the commit — never while the user waits — signed like inbound events
(``automation.signing``), retried with growing pauses when the other side is down or slow,
and kept in a log that can replay any delivery."""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.automation import signing
from innendienst.automation.models import DeliveryStatus, Webhook, WebhookDelivery
from innendienst.core import events

# Pauses before the second, third … attempt; after the last one the delivery has failed.
BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
TIMEOUT_SECONDS = 5
# How long a worker may take for one attempt before another may try again.
LEASE_SECONDS = 120
MAX_ANSWER_BYTES = 64_000
ERROR_CHARS = 500
USER_AGENT = "Innendienst-Webhook/1"


def _payload(name: str, model: str, object_id: int | None, data: dict[str, Any]) -> dict:
    return {
        "event": name,
        "occurred_at": timezone.now().isoformat(),
        "object": {"type": model, "id": object_id},
        "data": data,
    }


def _queue(deliveries: list[WebhookDelivery]) -> None:
    from innendienst.automation.tasks import deliver_webhook

    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: deliver_webhook(pk), robust=True)


def on_domain_event(event: events.Event) -> None:
    """Handler of every domain event: a delivery for each active webhook that wants it."""
    hooks = [
        hook
        for hook in Webhook.objects.filter(active=True).only("pk", "events")
        if event.name in hook.events
    ]
    if not hooks:
        return
    payload = _payload(event.name, event.model, event.object_id, event.data)
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=hook, event=event.name, payload=payload) for hook in hooks
        )
        _queue(deliveries)


def enqueue_for_rule(webhook: Webhook, trigger: str, subject: Any) -> WebhookDelivery:
    """A rule's "send to webhook" action: the subject of the event that triggered it."""
    data = {
        "company_id": subject.company.pk if subject.company else None,
        "person_id": subject.person.pk if subject.person else None,
        "lead_id": subject.lead.pk if subject.lead else None,
        "details": subject.data,
    }
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event=trigger, payload=_payload(trigger, "", None, data)
    )
    _queue([delivery])
    return delivery


def replay(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's payload again, as a new delivery in the log."""
    again = WebhookDelivery.objects.create(
        webhook=delivery.webhook, event=delivery.event, payload=delivery.payload, replay_of=delivery
    )
    _queue([again])
    return again


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address: the signed body goes only where the
    administrator said."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _private_address(url: str) -> bool:
    """Whether the URL's host resolves to an address inside our network (loopback, private,
    link-local — the cloud's metadata service): a webhook must not reach those unless the
    installation allows it (``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False  # the send fails and says why
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return True
    return False


def _post(webhook: Webhook, delivery: WebhookDelivery) -> int:
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and _private_address(webhook.url):
        raise ValueError(_("The address lies inside the private network."))
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.delivery_id),
        **signing.signed_headers(webhook.secret, body),
    }
    request = urllib.request.Request(webhook.url, data=body, headers=headers, method="POST")
    with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
        response.read(MAX_ANSWER_BYTES)
        return int(response.status)


def _claim(pk: int, now: datetime.datetime) -> bool:
    """Take a due delivery for one attempt. The attempt is counted and the next one set a
    lease ahead at once, so no other worker sends it meanwhile and a worker that dies while
    sending leaves it to be retried."""
    due = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.RETRYING, next_attempt_at__lte=now
    )
    return bool(
        WebhookDelivery.objects.filter(due, pk=pk, webhook__active=True).update(
            status=DeliveryStatus.RETRYING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + datetime.timedelta(seconds=LEASE_SECONDS),
        )
    )


def deliver(pk: int) -> WebhookDelivery | None:
    """One attempt at a delivery, sent outside any transaction: a slow or dead endpoint holds
    up nobody's writes. None when it was not due (sent, given up, or taken by another
    worker)."""
    if not _claim(pk, timezone.now()):
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
    started = time.monotonic()
    status, error = None, ""
    try:
        status = _post(delivery.webhook, delivery)
    except urllib.error.HTTPError as exc:
        status, error = exc.code, str(exc.reason)
    except Exception as exc:  # whatever the other side did, the attempt is recorded
        error = str(getattr(exc, "reason", exc)) or exc.__class__.__name__
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    delivery.response_status = status
    delivery.error = error[:ERROR_CHARS]
    now = timezone.now()
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED, now, None,
        )  # fmt: skip
        delivery.error = ""
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        pause = BACKOFF_SECONDS[delivery.attempts - 1]
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + datetime.timedelta(seconds=pause)
    delivery.save(
        update_fields=[
            "status", "delivered_at", "next_attempt_at", "response_status", "error",
            "duration_ms",
        ]
    )  # fmt: skip
    return delivery


def retry_due(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Queue the deliveries whose pause is over, for the periodic task: each is its own job,
    so one slow endpoint does not hold up the others."""
    from innendienst.automation.tasks import deliver_webhook

    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.RETRYING,
            next_attempt_at__lte=now or timezone.now(),
            webhook__active=True,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        deliver_webhook(pk)
    return len(due)
