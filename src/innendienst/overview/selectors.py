"""The pages that bring the apps together, composed from what the apps registered.

The 360° company page and the person page are their registered panels, "My day" is its
registered sections, the global search is its registered providers: ``overview`` names no app.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from innendienst.core import registry
from innendienst.core.registry import Shown

GLOBAL_SEARCH_LIMIT = 8


class NoSuchPanel(Exception):
    """No panel of that name on that page, or none the user may see."""


def single_panel(page: str, name: str, user: Any, record: models.Model) -> Shown | None:
    """One panel alone; None when it has nothing to show for this record."""
    panel = registry.panel(page, name)
    if panel is None or not panel.visible_to(user):
        raise NoSuchPanel(name)
    context = panel.context(user, record)
    return None if context is None else Shown(panel, context)


def my_day(user: Any, today: datetime.date) -> list[Shown]:
    shown = []
    for section in registry.my_day_sections_for(user):
        context = {} if section.lazy else section.context(user, today)
        if context is not None:
            shown.append(Shown(section, context))
    return shown


def my_day_section(name: str, user: Any, today: datetime.date) -> Shown | None:
    """One section alone; None when it has nothing to show today."""
    section = next((s for s in registry.my_day_sections_for(user) if s.name == name), None)
    if section is None:
        raise NoSuchPanel(name)
    context = section.context(user, today)
    return None if context is None else Shown(section, context)


def global_search(user: Any, query: str) -> list[tuple[registry.SearchProvider, list[Any]]]:
    groups = []
    for provider in registry.search_providers():
        hits = provider.search(user, query, GLOBAL_SEARCH_LIMIT)
        if hits:
            groups.append((provider, hits))
    return groups
