from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
