"""HMAC-SHA256 signatures over "<timestamp>.<body>", for events coming in and webhooks going
out alike: the receiver checks the signature with the shared secret and refuses an old
timestamp, so a recorded request cannot be replayed later."""

from __future__ import annotations

import hashlib
import hmac
import time

SOURCE_HEADER = "X-Innendienst-Source"
TIMESTAMP_HEADER = "X-Innendienst-Timestamp"
SIGNATURE_HEADER = "X-Innendienst-Signature"
EVENT_HEADER = "X-Innendienst-Event"
DELIVERY_HEADER = "X-Innendienst-Delivery"
SCHEME = "sha256="
# How far a timestamp may lie from our clock: a request older than this is refused.
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return SCHEME + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(now if now is not None else time.time())
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


class BadSignature(Exception):
    """Why a request is refused; the message is safe to show to the sender."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def verify(
    secret: str, timestamp: str | None, sent: str | None, body: bytes, now: float | None = None
) -> None:
    """Raise ``BadSignature`` ("missing", "timestamp", "stale", "signature") unless the body
    was signed with ``secret`` within the tolerance."""
    if not timestamp or not sent:
        raise BadSignature("missing")
    try:
        stamp = int(timestamp)
    except ValueError as exc:
        raise BadSignature("timestamp") from exc
    current = now if now is not None else time.time()
    if abs(current - stamp) > TOLERANCE_SECONDS:
        raise BadSignature("stale")
    sent = sent.strip()
    # compare_digest takes ASCII text only; anything else is no signature of ours.
    if not sent.isascii() or not hmac.compare_digest(signature(secret, stamp, body), sent):
        raise BadSignature("signature")
