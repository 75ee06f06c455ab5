"""Small middleware of our own: security headers, and the API's guard for request bodies."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from innendienst.core.api import problem_response

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


_JSON_TYPES = ("application/json",)
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _is_json(content_type: str) -> bool:
    return content_type in _JSON_TYPES or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def api_request_guard(get_response: Middleware) -> Middleware:
    """The API takes JSON bodies only: another media type answers 415, a body beyond the
    upload limit 413 — as problem documents, before anything reads the body."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path.startswith(settings.API_PREFIX) and request.method in _BODY_METHODS:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and length > limit:
                return problem_response(
                    413,
                    _("The request body is too large."),
                    kind="too-large",
                    detail=_("Send at most %(limit)s bytes.") % {"limit": limit},
                )
            if length and not _is_json(request.content_type or ""):
                return problem_response(
                    415,
                    _("Please send the body as JSON."),
                    kind="unsupported-media-type",
                    detail=_("Set Content-Type: application/json."),
                )
        return get_response(request)

    return middleware
