from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    section: str


# Areas by role; an area appears in the sidebar only once it exists.
_WORKBENCH_ROLES = set(Role.values)
NAV_ITEMS = [
    (NavItem(_("My day"), "my_day", "sun", "my_day"), _WORKBENCH_ROLES),
    (NavItem(_("Companies"), "company_list", "building-office-2", "companies"), _WORKBENCH_ROLES),
    (NavItem(_("Contacts"), "person_list", "users", "people"), _WORKBENCH_ROLES),
    (NavItem(_("Settings"), "settings", "cog-6-tooth", "settings"), _WORKBENCH_ROLES),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    section = getattr(match, "func", None) and getattr(match.func, "nav_section", "")
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "active": item.section == section,
        }
        for item, roles in NAV_ITEMS
        if user.role in roles or user.is_superuser
    ]
    admin_url = reverse("admin:index") if user.is_staff else ""
    return {"nav_items": items, "admin_url": admin_url}
