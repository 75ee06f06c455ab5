"""Heroicons, rendered once per name, size and attributes: the package copies and serialises
the icon's SVG tree on every use, a twentieth of a record page's time."""

from __future__ import annotations

import functools

from django import template
from django.utils.safestring import mark_safe
from heroicons import _render_icon

register = template.Library()


@functools.lru_cache(maxsize=1024)
def _rendered(style: str, name: str, size: int | None, attrs: tuple[tuple[str, str], ...]) -> str:
    return mark_safe(_render_icon(style, name, size, dict(attrs)))


def _icon(style: str, name: str, size: int | None, attrs: dict[str, object]) -> str:
    # simple_tag hands literal strings over as SafeStrings; the SVG serialiser escapes the
    # attributes, so they are made plain text again (adding "" does), as heroicons does.
    return _rendered(style, name, size, tuple(sorted((k, str(v) + "") for k, v in attrs.items())))


@register.simple_tag
def icon_micro(name: str, *, size: int | None = 16, **attrs: object) -> str:
    return _icon("micro", name, size, attrs)


@register.simple_tag
def icon_mini(name: str, *, size: int | None = 20, **attrs: object) -> str:
    return _icon("mini", name, size, attrs)


@register.simple_tag
def icon_outline(name: str, *, size: int | None = 24, **attrs: object) -> str:
    return _icon("outline", name, size, attrs)
