from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


def _group(amount: Decimal, thousands: str, decimal: str) -> str:
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{thousands.join(groups)}{decimal}{cents}"


@register.filter
def money(amount: Any, currency: str = "EUR") -> str:
    """1.234,56 € (German UI), €1,234.56 (English UI), CHF 1’234.55 (Swiss francs, in
    Swiss notation and rounded to 5 rappen, as on Swiss documents)."""
    if amount is None or amount == "":
        return "–"
    value = Decimal(str(amount))
    if currency == "CHF":
        value = (value * 20).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 20
        return f"CHF {_group(value, '’', '.')}"
    if (get_language() or "de").startswith("de"):
        return f"{_group(value, '.', ',')}\u00a0€"
    return f"€{_group(value, ',', '.')}"


@register.filter
def number(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return "–"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.simple_tag(takes_context=True)
def url_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (empty value removes one)."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    if "page" not in changes and any(k != "page" for k in changes):
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, field: str) -> str:
    current = context["request"].GET.get("sort", "")
    return url_with(context, sort=f"-{field}" if current == field else field)


@register.simple_tag(takes_context=True)
def sort_state(context: template.Context, field: str) -> str:
    """aria-sort value for a column header."""
    current = context["request"].GET.get("sort", "")
    if current == field:
        return "ascending"
    if current == f"-{field}":
        return "descending"
    return "none"


STATUS_TONES = {
    "prospect": "info",
    "customer": "ok",
    "former": "muted",
    "lost": "bad",
    "received": "info",
    "confirmed": "info",
    "delivered": "ok",
    "cancelled": "muted",
    # call outcomes
    "reached": "ok",
    "appointment": "ok",
    "not_reached": "info",
    "gatekeeper": "info",
    "callback": "info",
    "send_information": "info",
    "no_need": "muted",
    "bought_elsewhere": "bad",
    "do_not_call": "bad",
}


@register.filter
def tone(status: str) -> str:
    return STATUS_TONES.get(status, "muted")


@register.filter
def short_label(label: str) -> str:
    """ "Beeinflusser / Berater" → "Beeinflusser": column headers must stay narrow."""
    return str(label).split(" / ")[0].split(" (")[0]
