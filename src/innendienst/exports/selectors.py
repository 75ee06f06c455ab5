from __future__ import annotations

from typing import Any

from innendienst.exports.models import Export


def export_get(user: Any, export_id: int) -> Export:
    """A user's own export; raises Export.DoesNotExist for anybody else's."""
    return Export.objects.get(pk=export_id, created_by=user)
