"""Security headers on every answer; problem documents for the API's own 404 and 405."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from innendienst.core.api import PROBLEM_CONTENT_TYPE as PROBLEM
from innendienst.core.api import problem_body

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


def api_problems(get_response: Middleware) -> Middleware:
    """Answers of the API that Django, not an endpoint, gives — an unknown path (404), a
    method an endpoint does not have (405) — as problem documents like every other error,
    in the reader's language."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            not request.path.startswith(settings.API_PREFIX)
            or response.status_code not in (404, 405)
            or response.get("Content-Type", "").startswith(("application/json", PROBLEM))
        ):
            return response
        if response.status_code == 404:
            body = problem_body(404, _("Not found."), kind="not-found")
        else:
            body = problem_body(
                405,
                _("This method is not allowed here."),
                kind="method-not-allowed",
                detail=_("Allowed: %(methods)s.") % {"methods": response.get("Allow", "")},
            )
        problem = JsonResponse(body, status=response.status_code, content_type=PROBLEM)
        if "Allow" in response:
            problem["Allow"] = response["Allow"]
        return problem

    return middleware
