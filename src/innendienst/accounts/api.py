"""How the API knows who is calling: a personal token, or the browser session.

A request without valid credentials is answered 401 with ``WWW-Authenticate: Bearer`` — a
write included: the CSRF check applies only to a logged-in browser session, never to a
request that has none. Too many wrong tokens from one address within a while are answered
429 before any token is looked at.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from innendienst.accounts.services import api_token_authenticate
from innendienst.core.web import client_ip

FAILED_TOKENS_LIMIT = 20
FAILED_TOKENS_WINDOW_SECONDS = 15 * 60


class TooManyFailedTokens(HttpError):
    def __init__(self) -> None:
        super().__init__(429, "Too many failed tokens")


def _failures_key(request: HttpRequest) -> str:
    return f"api-token-failures:{client_ip(request)}"


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer idt_…`` with a personal token created under Settings."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = _failures_key(request)
        if (cache.get(key) or 0) >= FAILED_TOKENS_LIMIT:
            raise TooManyFailedTokens()
        user = api_token_authenticate(token)
        if user is None:
            cache.add(key, 0, FAILED_TOKENS_WINDOW_SECONDS)
            cache.incr(key)
            return None
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; its writes need the CSRF token like any form."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if key and request.user.is_authenticated else None


AUTH = [ApiTokenAuth(), SessionAuth()]
