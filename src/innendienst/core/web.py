from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

Found = TypeVar("Found")


def found_or_404(lookup: Callable[..., Found], *args: Any) -> Found:
    """What a scoped selector finds, or 404: a record the user may not see does not exist
    for him."""
    try:
        return lookup(*args)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def render_page_or_partial(
    request: HttpRequest, template: str, context: dict[str, Any], partial: str
) -> HttpResponse:
    """The whole page, or only ``partial`` of it when htmx asks for a fragment.

    The URL is the same either way, so a bookmarked or reloaded URL shows the same view.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and htmx.target:
        template = f"{template}#{partial}"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def nav_section(section: str):
    """Marks a view as belonging to a sidebar area, so the area is highlighted."""

    def decorate(view):
        view.nav_section = section
        return view

    return decorate


def client_ip(request: HttpRequest) -> str:
    """The caller's address; behind the TLS proxy (HTTPS=1) the one the proxy saw."""
    if settings.HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def safe_next_url(request: HttpRequest, *, default: str) -> str:
    """The page to return to after a small form: a local path only, never another site."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) and next_url.startswith("/"):
        return next_url
    return resolve_url(default)
