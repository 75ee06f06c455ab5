"""Reading imports: whose imports a user sees, the mappings a user may apply."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from innendienst.accounts.access import sees_everything
from innendienst.core.registry import RowOutcome
from innendienst.imports.models import Import, ImportRow, ImportStatus, SavedMapping


def imports_for(user: Any) -> QuerySet[Import]:
    """A user's own imports; an administrator sees everyone's."""
    imports = Import.objects.select_related("created_by").defer("mapping", "constants")
    if sees_everything(user):
        return imports
    return imports.filter(created_by=user)


def import_get(user: Any, import_id: int) -> Import:
    """Raises Import.DoesNotExist for an import the user may not see."""
    return imports_for(user).get(pk=import_id)


def earlier_import_of_same_file(user: Any, run: Import) -> Import | None:
    """The last finished import of the same content as the same kind (any file name), of
    those the user sees."""
    return (
        imports_for(user)
        .filter(target=run.target, file_sha256=run.file_sha256, status=ImportStatus.DONE)
        .exclude(pk=run.pk)
        .order_by("-created_at")
        .first()
    )


def error_rows(run: Import) -> QuerySet[ImportRow]:
    return run.import_rows.filter(outcome=RowOutcome.ERROR).order_by("number")


def saved_mappings_for(user: Any, target: str) -> QuerySet[SavedMapping]:
    """The user's own mappings of this kind and those shared with the user's team."""
    shared = Q(team_id=user.team_id) if user.team_id else Q(pk__in=[])
    return SavedMapping.objects.filter(Q(owner=user) | shared, target=target).select_related(
        "owner"
    )


def saved_mapping_named(user: Any, target: str, name: str) -> SavedMapping | None:
    """The user's own mapping of that name, else one of that name shared with the team."""
    named = saved_mappings_for(user, target).filter(name=name)
    return named.filter(owner=user).first() or named.first()


def saved_mapping_get(user: Any, target: str, mapping_id: int) -> SavedMapping:
    """Raises SavedMapping.DoesNotExist for a mapping the user may not apply."""
    return saved_mappings_for(user, target).get(pk=mapping_id)


def saved_mapping_for_headers(user: Any, target: str, headers: list[str]) -> SavedMapping | None:
    """The mapping, of those the user may apply, saved from a file with these very headers:
    the next file of the same scanner or ERP export is mapped as the last one was."""
    wanted = set(headers)
    for saved in saved_mappings_for(user, target).order_by("-updated_at"):
        if set(saved.columns) == wanted:
            return saved
    return None
