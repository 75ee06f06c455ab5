"""Who may do what with an import: for the services and the pages alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from innendienst.imports.models import Import


def require_uploader(user: Any, run: Import) -> None:
    """A draft is mapped and started by who uploaded it, nobody else (not for him)."""
    if run.created_by_id != user.pk:
        raise PermissionDenied(_("Only who uploaded the file can import it."))


def may_undo(user: Any, run: Import) -> bool:
    return run.created_by_id == user.pk or user.is_superuser
