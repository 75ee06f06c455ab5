"""Two sent versions of an offer side by side, line by line: what the customer's change
request changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COMPARED = ("description", "quantity", "unit", "unit_price", "discount_percent", "net")


@dataclass(frozen=True)
class LineChange:
    kind: str  # "added", "removed", "changed", "same"
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    changed: frozenset[str] = field(default_factory=frozenset)


def _key(line: dict[str, Any]) -> str:
    return line["sku"] or line["description"]


def lines(old_document: dict[str, Any], new_document: dict[str, Any]) -> list[LineChange]:
    """The new version's lines in their order, each matched with the old version's line of the
    same article (or text); the old lines that are gone follow."""
    old_lines: dict[str, list[dict[str, Any]]] = {}
    for line in old_document["lines"]:
        old_lines.setdefault(_key(line), []).append(line)
    changes = []
    for line in new_document["lines"]:
        matches = old_lines.get(_key(line))
        if not matches:
            changes.append(LineChange("added", None, line))
            continue
        old = matches.pop(0)
        changed = frozenset(name for name in COMPARED if old.get(name) != line.get(name))
        changes.append(LineChange("changed" if changed else "same", old, line, changed))
    for remaining in old_lines.values():
        changes.extend(LineChange("removed", old, None) for old in remaining)
    return changes
