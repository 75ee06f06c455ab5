"""The external keys of a company or contact on its page."""

from __future__ import annotations

from typing import Any

from django.db import models


def external_keys(user: Any, record: models.Model) -> dict[str, Any] | None:
    """The keys other systems gave the record; nothing to show for a record without."""
    keys = list(record.external_keys.all())
    return {"external_keys": keys} if keys else None
