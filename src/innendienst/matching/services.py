"""Writes of the duplicate engine."""

from __future__ import annotations

from typing import Any

from django.db import models

from innendienst.core import audit
from innendienst.matching.selectors import Candidate


def creation_despite_matches_record(
    *, actor: Any, record: models.Model, matches: list[Candidate]
) -> None:
    """The new record's history says that its creator saw these strong matches and created
    it all the same, in the creation's transaction."""
    audit.record_note(
        actor=actor,
        instance=record,
        field="duplicate_check",
        new_value="; ".join(
            f"{match.record} (#{match.record.pk}, {match.score.percent} %)" for match in matches
        ),
    )
