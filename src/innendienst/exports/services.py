"""A long list exported by the worker: asked for, written, its file purged after a while."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.core import audit, registry
from innendienst.exports import writers
from innendienst.exports.models import Export, ExportStatus

# The export's progress is saved after this many rows.
PROGRESS_EVERY = 10_000


def export_kind_for(actor: Any, kind_name: str) -> registry.ExportKind:
    kind = registry.export_kind(kind_name)
    if kind is None:
        raise ValidationError({"kind": _("Unknown list.")})
    if not kind.visible_to(actor):
        raise PermissionDenied(_("Your role may not export this list."))
    return kind


def export_asked(
    *, actor: Any, kind: registry.ExportKind, fmt: str, params: QueryDict, records: QuerySet
) -> Export:
    """An export of the list as ``params`` filter it: a list longer than
    ``EXPORT_DIRECT_ROWS`` goes to the worker (the export is queued), a shorter one is written
    by the caller at once (the export is kept done, without a file). Either way who took which
    list of customers out of the system is kept in the history."""
    total = records.count()
    if total > settings.EXPORT_DIRECT_ROWS:
        export = _kept(actor, kind, fmt, params, total_rows=total)
        transaction.on_commit(lambda: _queue(export.pk))
        return export
    return export_record(actor=actor, kind=kind, fmt=fmt, params=params, rows=total)


def export_record(
    *, actor: Any, kind: registry.ExportKind, fmt: str, params: QueryDict, rows: int
) -> Export:
    """A list written at once (a short one, or by the command line)."""
    return _kept(
        actor, kind, fmt, params, total_rows=rows, rows=rows, status=ExportStatus.DONE,
        finished_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def _kept(
    actor: Any, kind: registry.ExportKind, fmt: str, params: QueryDict, **values: Any
) -> Export:
    export = Export.objects.create(
        kind=kind.name,
        format=fmt,
        params=params.urlencode(),
        file_name=writers.file_name(kind, fmt),
        created_by=actor,
        **values,
    )
    audit.record_create(actor=actor, instance=export)
    return export


def _queue(export_id: int) -> None:
    from innendienst.exports.tasks import run_export

    run_export(export_id)


def export_run(export_id: int) -> Export:
    """The job: writes the list as its user sees it now."""
    export = Export.objects.select_related("created_by").get(pk=export_id)
    if export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return export
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows=0)
    try:
        kind = export_kind_for(export.created_by, export.kind)
        records = kind.rows(export.created_by, QueryDict(export.params))
        counted = _counted(export, records.iterator(chunk_size=writers.CHUNK))
        with tempfile.TemporaryFile() as output:
            if export.format == "csv":
                for line in writers.csv_lines(kind, counted):
                    output.write(line.encode("utf-8"))
            else:
                writers.write_xlsx(kind, counted, output)
            output.seek(0)
            export.file.save(export.file_name, File(output), save=False)
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, failure=message, finished_at=timezone.now()
        )
    else:
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.DONE, file=export.file.name, finished_at=timezone.now()
        )
    export.refresh_from_db()
    return export


def _counted(export: Export, records: Iterator[Any]) -> Iterator[Any]:
    rows = 0
    for rows, record in enumerate(records, start=1):
        if rows % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=export.pk).update(rows=rows)
        yield record
    Export.objects.filter(pk=export.pk).update(rows=rows)


def exports_purge(*, older_than: datetime.timedelta) -> int:
    """Exports and their files after a while: a file of contacts is personal data."""
    stale = Export.objects.filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for export in stale.iterator():
        with transaction.atomic():
            audit.record_deletes(actor=None, instances=[export])
            export.delete()
            transaction.on_commit(lambda file=export.file: file.delete(save=False))
        count += 1
    return count
