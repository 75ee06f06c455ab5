from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

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
