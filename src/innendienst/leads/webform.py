"""The public web form's protection, shared by its HTML page and its JSON endpoint: a honeypot
field, a minimum fill time (a signed timestamp handed out with the form), a rate limit per
client address (the shared cache: Redis in production), a size limit of the request, plain
text only, and the consent with its wording."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innendienst.core.web import client_ip

# The settings below are read per request (``LEAD_WEB_FORM_*``), so that a changed setting
# and ``override_settings`` take effect without a restart of the module.
# Humans need seconds to fill in a form; a script posts at once.
DEFAULT_MIN_FILL_SECONDS = 3
# A form left open longer is sent again with a fresh token.
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
# Submissions per client address and window, failed ones included (they cost as much).
DEFAULT_RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 10 * 60
# Far above any honest enquiry, far below Django's upload limit.
DEFAULT_MAX_BODY_BYTES = 16 * 1024
# Who may frame the form: our own pages only, unless the company's website is named in
# LEAD_WEB_FORM_FRAME_ANCESTORS (e.g. ["'self'", "https://www.example.de"]).
DEFAULT_FRAME_ANCESTORS = ("'self'",)
HONEYPOT = "homepage"
_SALT = "innendienst.leads.web-form"
# Markup is a tag ("<b>", "</b>", "<img src=x", "<svg/onload=…>"), a comment, a doctype or
# CDATA ("<!"), or a processing instruction ("<?php"). Ordinary text with "<" stays plain:
# "3 < 4", "<3", "Lieferzeit <KW 20", "<ca. 500 Stück".
_MARKUP = re.compile(
    r"<[a-zA-Z][\w:-]*(?:\s*/?>|[\s/][^<>]*>|[\s/]+[\w:-]+\s*=)"
    r"|</[a-zA-Z][\w:-]*\s*>"
    r"|<!(?:--|\[CDATA\[|[a-zA-Z])"
    r"|<\?[a-zA-Z]"
)


def min_fill_seconds() -> int:
    return getattr(settings, "LEAD_WEB_FORM_MIN_SECONDS", DEFAULT_MIN_FILL_SECONDS)


def rate_limit() -> int:
    return getattr(settings, "LEAD_WEB_FORM_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def max_body_bytes() -> int:
    return getattr(settings, "LEAD_WEB_FORM_MAX_BYTES", DEFAULT_MAX_BODY_BYTES)


def frame_ancestors() -> list[str]:
    return list(getattr(settings, "LEAD_WEB_FORM_FRAME_ANCESTORS", DEFAULT_FRAME_ANCESTORS))


CONSENT_WORDING = gettext_lazy(
    "I agree that my details are stored to answer my enquiry and that I may be contacted by "
    "e-mail and phone about it and about related products. I can withdraw this consent at any "
    "time."
)


class TooManySubmissions(Exception):
    """The client address sent more than ``rate_limit()`` forms within the window."""


def form_token(now: float | None = None) -> str:
    """Handed out with the form: when it was shown and a nonce (one enquiry per token),
    signed."""
    shown = round(now if now is not None else time.time(), 3)
    return signing.dumps({"t": shown, "n": secrets.token_urlsafe(12)}, salt=_SALT)


def _expired_message() -> str:
    return _("The form was open too long. Please reload the page and send it again.")


def _read_token(token: str) -> tuple[float, str]:
    """When the form was shown and its nonce; raises ``signing.BadSignature`` (or a subclass),
    ``KeyError``, ``TypeError`` or ``ValueError``."""
    data = signing.loads(token or "", salt=_SALT, max_age=MAX_FORM_AGE_SECONDS)
    nonce = data["n"]
    if not isinstance(nonce, str) or not nonce:
        raise ValueError(nonce)
    return float(data["t"]), nonce


def token_error(token: str, now: float | None = None) -> str | None:
    """Why the form's token is refused, in words for the visitor; None when it is fine. A
    token that was used already is answered as an expired one (``claim_token``)."""
    now = now if now is not None else time.time()
    try:
        shown, nonce = _read_token(token)
    except signing.SignatureExpired:
        return _expired_message()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _("The form is incomplete. Please reload the page and send it again.")
    if cache.get(_nonce_key(nonce)) is not None:
        return _expired_message()
    if now - shown < min_fill_seconds():
        return _("That was very fast. Please check your entries and send the form again.")
    return None


def _nonce_key(nonce: str) -> str:
    return f"lead-web-form:used:{nonce}"


def claim_token(token: str) -> str | None:
    """Use the (checked) token up: the first submission with it gets None, every later one
    the message of an expired form. The nonce is kept as long as the token would be valid."""
    try:
        _shown, nonce = _read_token(token)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _("The form is incomplete. Please reload the page and send it again.")
    if not cache.add(_nonce_key(nonce), 1, MAX_FORM_AGE_SECONDS):
        return _expired_message()
    return None


def release_token(token: str) -> None:
    """The enquiry was refused after all (a field the services check): the visitor may correct
    it and send the same form again."""
    try:
        _shown, nonce = _read_token(token)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return
    cache.delete(_nonce_key(nonce))


def count_submission(request: HttpRequest) -> None:
    """Count the submission against the client's address; refused beyond the limit."""
    key = f"lead-web-form:{client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        sent = 1
    if sent > rate_limit():
        raise TooManySubmissions


def too_big(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_body_bytes()


def markup_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Text fields that hold HTML or script: refused at the field (stripping would store
    something the visitor did not write)."""
    message = _("Please write plain text, without HTML tags.")
    return {
        name: message
        for name, value in values.items()
        if isinstance(value, str) and _MARKUP.search(value)
    }


def too_many_message() -> str:
    return _("Too many enquiries from your network. Please try again in ten minutes.")


def too_big_message() -> str:
    return _("Your entries are too long (at most %(limit)s kB). Please shorten them.") % {
        "limit": max_body_bytes() // 1024
    }
