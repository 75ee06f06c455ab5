"""Security headers on every answer."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

Middleware = Callable[[HttpRequest], HttpResponse]


def security_headers(get_response: Middleware) -> Middleware:
    """Permissions-Policy on every answer; ``Cache-Control: no-store`` on everything a
    logged-in user gets (pages, exports, the token page, the API), so no shared or browser
    cache keeps customer data."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
