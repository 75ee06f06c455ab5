from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from innendienst.core import registry


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The sidebar: the areas the apps registered for the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    section = getattr(getattr(match, "func", None), "nav_section", "")
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "active": item.section == section,
        }
        for item in registry.nav_items_for(user)
    ]
    admin_url = reverse("admin:index") if user.is_staff else ""
    return {"nav_items": items, "admin_url": admin_url}
