"""What an edit page embeds for the values its user saw: tests that post an edit form send it
as the browser would."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from innendienst.core.forms import seen_token, seen_values


def seen_of(record: models.Model, fields: Iterable[str], **extra: Any) -> str:
    return seen_token({**seen_values(record, fields), **extra})
