"""Reads of the capture paths: the companies a typed name may be, the interests to tick."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from innendienst.accounts.models import User
from innendienst.catalog.models import ProductGroup
from innendienst.contacts.models import Company
from innendienst.contacts.selectors import company_search
from innendienst.core import registry

# Hits shown under the company field while typing.
HINTS = 6
# At most this many product groups (by name) become the booth's tick boxes; the rest is typed.
MAX_INTERESTS = 24


def company_hints(
    user: User, typed: Mapping[str, str]
) -> tuple[list[Company], registry.Twin | None]:
    """The user's companies whose name matches what was typed, and the one the duplicate
    engine takes the typed company for (shown first, with its certainty)."""
    name = (typed.get("name") or "").strip()
    if len(name) < 2:
        return [], None
    hits = company_search(user, name, HINTS)
    twin = None
    check = registry.duplicate_check("company")
    if check is not None:
        row: dict[str, Any] = {key: value or "" for key, value in typed.items()}
        [twin] = check.twins(user, [row])
    if twin is not None:
        hits = [twin.record, *(hit for hit in hits if hit.pk != twin.record.pk)][:HINTS]
    return hits, twin


def interest_choices() -> list[str]:
    """The product groups of the catalogue, as the booth's tick boxes."""
    return list(
        ProductGroup.objects.order_by("name").values_list("name", flat=True)[:MAX_INTERESTS]
    )
