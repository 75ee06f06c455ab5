"""Importing a file: starting the import, running it batch by batch, undoing it.

``import_create`` checks what can be checked at once (the file is a table, the mapping fits,
the same file is not being imported right now), keeps the file and queues the job.
``import_run`` (the job) reads the file again and commits it in batches: each batch's records,
their audit entries, the rows' outcomes and the import's progress in one transaction — so a
worker killed in between leaves whole batches, and the next run goes on after the last one.
``import_undo`` removes what the import created and gives the fields it updated their old
values back, where nobody has changed them since.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from itertools import islice
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.core import audit, concurrency, events, references, registry
from innendienst.core.bulk import RowWriter
from innendienst.core.concurrency import VersionedModel
from innendienst.core.registry import RowOutcome, Written
from innendienst.imports import pipeline, selectors
from innendienst.imports.access import may_undo, require_uploader
from innendienst.imports.models import Import, ImportRow, ImportStatus, SavedMapping
from innendienst.imports.readers import Table, UnreadableFile, open_table


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def import_upload(
    *, actor: Any, file: IO[bytes], file_name: str, target_name: str, sheet: str = ""
) -> Import:
    """Keeps the file as a draft import with a proposed mapping: a saved mapping whose
    headers are the file's, else one read from the headers and values. Nothing is written
    into the customer base until ``import_start``. Raises ValidationError with the field
    ("file", "target") that is wrong, PermissionDenied for a role that may not import it."""
    target = registry.import_target(target_name)
    if target is None:
        raise ValidationError({"target": _("Unknown kind of import.")})
    if not target.visible_to(actor):
        raise PermissionDenied(_("Your role may not import records."))
    size = file.seek(0, 2)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file has %(size)s MB; at most %(limit)s MB can be imported.")
                % {"size": size // 2**20, "limit": settings.IMPORT_MAX_BYTES // 2**20}
            }
        )
    table, total_rows, mapping, constants = _read_for_mapping(actor, target, file, sheet)
    sha256 = _sha256(file)
    with transaction.atomic():
        run = Import(
            target=target.name,
            file_name=file_name[:255],
            file_sha256=sha256,
            file_size=size,
            sheet=table.sheet,
            headers=table.headers,
            total_rows=total_rows,
            mapping=mapping,
            constants=constants,
            created_by=actor,
        )
        file.seek(0)
        run.file.save(f"{sha256[:16]}-{file_name[-80:]}", File(file), save=False)
        # A file kept for a row that was never written would stay on disk unseen.
        try:
            with transaction.atomic():
                run.save()
                audit.record_create(actor=actor, instance=run)
        except BaseException:
            run.file.delete(save=False)
            raise
    return run


def _read_for_mapping(
    actor: Any, target: registry.ImportTarget, file: IO[bytes], sheet: str
) -> tuple[Table, int, list[str], dict[str, Any]]:
    """The sheet's table, its number of rows, and the mapping to propose for it."""
    try:
        table = open_table(file, sheet=sheet)
        first = list(islice(table.rows, pipeline.STYLE_SAMPLE_ROWS))
        total_rows = len(first) + sum(1 for _row in table.rows)
    except UnreadableFile as exc:
        raise ValidationError({"file": str(exc)}) from exc
    saved = selectors.saved_mapping_for_headers(actor, target.name, table.headers)
    if saved is not None:
        return table, total_rows, mapping_applied(saved, table.headers), dict(saved.constants)
    return table, total_rows, pipeline.proposed_mapping(target, table.headers, first), {}


@transaction.atomic
def import_choose_sheet(*, actor: Any, run: Import, sheet: str) -> Import:
    """Reads another sheet of a draft's workbook: its headers, rows and proposed mapping."""
    run = _locked_draft(actor, run)
    target = registry.import_target(run.target)
    try:
        with run.file.open("rb") as file:
            table, total_rows, mapping, constants = _read_for_mapping(actor, target, file, sheet)
    except OSError as exc:
        raise ValidationError({"file": _("The uploaded file is gone; upload it again.")}) from exc
    run.sheet, run.headers, run.total_rows = table.sheet, table.headers, total_rows
    run.mapping, run.constants = mapping, {**run.constants, **constants}
    run.save(update_fields=["sheet", "headers", "total_rows", "mapping", "constants"])
    return run


def import_configure(
    *, actor: Any, run: Import, mapping: list[str], constants: dict[str, Any]
) -> Import:
    """Changes a draft's mapping and its fields of one value. Raises ValidationError on
    "mapping" or on the field whose value cannot be read."""
    with transaction.atomic():
        return _configure(_locked_draft(actor, run), mapping, constants)


def _configure(run: Import, mapping: list[str], constants: dict[str, Any]) -> Import:
    target = registry.import_target(run.target)
    try:
        pipeline.fields_of(target, run.headers, mapping, constants)
        pipeline.read_constants(target, constants)
    except pipeline.InvalidMapping as exc:
        raise ValidationError({exc.field or "mapping": str(exc)}) from exc
    run.mapping, run.constants = mapping, constants
    run.save(update_fields=["mapping", "constants"])
    return run


def import_start(
    *, actor: Any, run: Import, all_or_nothing: bool = False, queue: bool = True
) -> Import:
    """Queues a draft's import; ``all_or_nothing`` imports nothing when a row has errors.
    ``queue=False`` leaves running it to the caller (the command line runs it at once).
    Raises ValidationError when the same file is being imported."""
    busy = ValidationError({"file": _("This file is being imported right now.")})
    with transaction.atomic():
        run = _locked_draft(actor, run)
        before = audit.snapshot(run)
        run.status, run.all_or_nothing = ImportStatus.QUEUED, all_or_nothing
        try:
            with transaction.atomic():
                run.save(update_fields=["status", "all_or_nothing"])
        except IntegrityError:
            # The same file started a moment ago (the unique constraint).
            raise busy from None
        audit.record_update(actor=actor, instance=run, before=before)
        if queue:
            transaction.on_commit(lambda: _queue(run.pk))
    return run


def import_discard(*, actor: Any, run: Import) -> None:
    """A draft that is not wanted: its file goes, nothing else was written."""
    with transaction.atomic():
        _delete_draft(actor, _locked_draft(actor, run))


def drafts_purge(*, older_than: datetime.timedelta) -> int:
    """Drafts nobody started or discarded, with their files: an upload holds personal data
    and is kept only as long as someone works on it. Returns how many went."""
    stale = Import.objects.filter(
        status=ImportStatus.DRAFT, created_at__lt=timezone.now() - older_than
    )
    count = 0
    for run in stale.iterator():
        with transaction.atomic():
            _delete_draft(None, run)
        count += 1
    return count


def _delete_draft(actor: Any, run: Import) -> None:
    audit.record_deletes(actor=actor, instances=[run])
    run.delete()
    transaction.on_commit(lambda: run.file.delete(save=False))


def _locked_draft(actor: Any, run: Import) -> Import:
    """The draft as it is now, locked: a start in another tab may have queued it meanwhile."""
    _require_own_draft(actor, run)
    run = Import.objects.select_for_update().get(pk=run.pk)
    _require_own_draft(actor, run)
    return run


def _require_own_draft(actor: Any, run: Import) -> None:
    require_uploader(actor, run)
    if run.status != ImportStatus.DRAFT:
        raise ValidationError({"file": _("This import has been started already.")})


# How a caller names a mapping: "auto" (or None), a saved mapping's name, {header: field}, or
# the field of each column.
MappingChoice = str | dict[str, str] | list[str] | None


def import_create(
    *,
    actor: Any,
    file: IO[bytes],
    file_name: str,
    target_name: str,
    mapping: MappingChoice = None,
    constants: dict[str, Any] | None = None,
    sheet: str = "",
    all_or_nothing: bool = False,
    queue: bool = True,
) -> Import:
    """Upload, mapping and start in one step (the command line and the API). Raises
    ValidationError with the field ("file", "mapping", "target", a constant's field)."""
    run = import_upload(
        actor=actor, file=file, file_name=file_name, target_name=target_name, sheet=sheet
    )
    try:
        chosen, chosen_constants = chosen_mapping(
            actor, run.target, run.headers, mapping, proposed=(run.mapping, run.constants)
        )
        run = import_configure(
            actor=actor,
            run=run,
            mapping=chosen,
            constants={**chosen_constants, **(constants or {})},
        )
        return import_start(actor=actor, run=run, all_or_nothing=all_or_nothing, queue=queue)
    except ValidationError:
        import_discard(actor=actor, run=run)
        raise


def chosen_mapping(
    actor: Any,
    target_name: str,
    headers: list[str],
    choice: MappingChoice,
    *,
    proposed: tuple[Any, dict[str, Any]],
) -> tuple[Any, dict[str, Any]]:
    """The mapping and the values for every row that ``choice`` names for a file with these
    headers; ``proposed`` for "auto". Raises ValidationError on "mapping"."""
    if choice is None or choice == "auto":
        return proposed
    if isinstance(choice, list):
        return choice, proposed[1]
    if isinstance(choice, dict):
        unknown = sorted(set(choice) - set(headers))
        if unknown:
            raise ValidationError(
                {
                    "mapping": _("The file has no column “%(header)s”.")
                    % {"header": ", ".join(unknown)}
                }
            )
        return [choice.get(header, "") for header in headers], proposed[1]
    saved = selectors.saved_mapping_named(actor, target_name, choice)
    if saved is None:
        raise ValidationError({"mapping": _("No saved mapping “%(name)s”.") % {"name": choice}})
    return mapping_applied(saved, headers), dict(saved.constants)


def mapping_applied(saved: SavedMapping, headers: list[str]) -> list[str]:
    """A saved mapping on a file's headers: a header it does not know is left out."""
    return [saved.columns.get(header, "") for header in headers]


def mapping_save(*, actor: Any, run: Import, name: str, for_team: bool = False) -> SavedMapping:
    """Keeps the draft's mapping under ``name`` (replacing the user's own of that name)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the mapping a name.")})
    if for_team and actor.team_id is None:
        raise ValidationError({"for_team": _("You belong to no team.")})
    columns = dict(zip(run.headers, run.mapping, strict=True))
    with transaction.atomic():
        saved, created = SavedMapping.objects.select_for_update().get_or_create(
            owner=actor,
            target=run.target,
            name=name[:100],
            defaults={"columns": columns, "constants": run.constants},
        )
        before = None if created else audit.snapshot(saved)
        saved.columns, saved.constants = columns, run.constants
        saved.team_id = actor.team_id if for_team else None
        saved.save()
        if created:
            audit.record_create(actor=actor, instance=saved)
        else:
            audit.record_update(actor=actor, instance=saved, before=before)
    return saved


def _queue(import_id: int) -> None:
    from innendienst.imports.tasks import run_import

    run_import(import_id)


def import_run(import_id: int) -> Import:
    """The job: commits the file's rows after the last committed batch."""
    run = Import.objects.get(pk=import_id)
    if run.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return run
    target = registry.import_target(run.target)
    _job_sets(run, status=ImportStatus.RUNNING)
    if run.all_or_nothing and run.last_row == 1 and _refused_for_errors(run, target):
        run.refresh_from_db()
        return run
    made = _made_so_far(run)
    try:
        with run.file.open("rb") as file:
            for batch in _rows_to_do(run, target, file):
                _commit_batch(run, target, batch, made)
    except Overtaken:
        run.refresh_from_db()
        return run
    except (UnreadableFile, pipeline.InvalidMapping, PermissionDenied) as exc:
        # Nothing half-imported stays behind a failed import.
        with transaction.atomic():
            _remove_written(run)
            _job_sets(run, status=ImportStatus.FAILED, failure=str(exc), finished_at=timezone.now())
        run.refresh_from_db()
        return run
    with transaction.atomic():
        _job_sets(run, status=ImportStatus.DONE, finished_at=timezone.now())
        events.emit(
            "import.finished", actor=run.created_by, instance=run, since=run.created_at.isoformat()
        )
    run.refresh_from_db()
    return run


@transaction.atomic
def _job_sets(run: Import, **values: Any) -> None:
    """A change the job makes to its import (running, done, failed), audited as the system's
    in the same transaction; its progress (the last committed row, the counts) is not."""
    locked = Import.objects.select_for_update().get(pk=run.pk)
    before = audit.snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    audit.record_update(actor=None, instance=locked, before=before)


def _rows_to_do(run: Import, target: registry.ImportTarget, file: IO[bytes]) -> Any:
    """The file's rows after the last committed batch, checked as its user, in batches."""
    return pipeline.checked_rows(
        run.created_by,
        file,
        target,
        mapping=run.mapping,
        constants=run.constants,
        sheet=run.sheet,
        after_row=run.last_row,
    )


def _refused_for_errors(run: Import, target: registry.ImportTarget) -> bool:
    """All or nothing: the whole file is checked first; with a row in error nothing is
    written, and the rows with errors are kept for the file to correct."""
    errors, rows = [], 0
    try:
        with run.file.open("rb") as file:
            for batch in _rows_to_do(run, target, file):
                rows += len(batch)
                errors += [row for row in batch if row.check.outcome is RowOutcome.ERROR]
    except (UnreadableFile, pipeline.InvalidMapping, PermissionDenied):
        return False  # the run that follows fails with the reason
    if not errors:
        return False
    with transaction.atomic():
        RowWriter().write(
            ImportRow,
            [
                ImportRow(
                    run=run,
                    number=row.number,
                    outcome=RowOutcome.ERROR,
                    errors=row.check.errors,
                    cells=[_json(cell) for cell in row.cells],
                )
                for row in errors
            ],
            with_ids=False,
        )
        _job_sets(
            run,
            status=ImportStatus.FAILED,
            rows=rows,
            counts={RowOutcome.ERROR.value: len(errors)},
            failure=_(
                "%(errors)s of %(rows)s rows have errors; as asked, nothing was imported. "
                "Correct them and import the file again."
            )
            % {"errors": len(errors), "rows": rows},
            finished_at=timezone.now(),
        )
    return True


def _made_so_far(run: Import) -> dict[int, Written]:
    """What earlier batches created, by row: a later row's person may belong to it."""
    rows = list(ImportRow.objects.filter(run=run).exclude(created=[]))
    wanted: dict[str, set[int]] = {}
    for row in rows:
        for label, pk in row.created:
            wanted.setdefault(label, set()).add(pk)
    records = {
        (label, record.pk): record
        for label, ids in wanted.items()
        for chunk in _chunks(ids)
        for record in apps.get_model(label)._base_manager.filter(pk__in=chunk)
    }
    return {
        row.number: Written(
            created=[records[key] for key in map(tuple, row.created) if key in records]
        )
        for row in rows
    }


class Overtaken(Exception):
    """Another run of the same import (a retry next to a worker that was only slow) has
    committed these rows already."""


@transaction.atomic
def _commit_batch(
    run: Import, target: registry.ImportTarget, batch: list[pipeline.CheckedRow], made: dict
) -> None:
    locked = Import.objects.select_for_update().get(pk=run.pk)
    if locked.last_row >= batch[0].number or locked.status != ImportStatus.RUNNING:
        raise Overtaken
    writing = [
        (row.number, row.check)
        for row in batch
        if row.check.outcome not in (RowOutcome.ERROR, RowOutcome.DUPLICATE)
    ]
    written = dict(
        zip(
            [number for number, _check in writing],
            target.write(run.created_by, writing, made),
            strict=True,
        )
    )
    made.update({number: w for number, w in written.items() if w.created})
    counts: Counter = Counter()
    import_rows = []
    for row in batch:
        outcome = row.check.outcome
        done = written.get(row.number, Written())
        if outcome is RowOutcome.UPDATE and not done.updated:
            outcome = RowOutcome.DUPLICATE  # nothing the record did not already say
        counts[outcome] += 1
        import_rows.append(
            ImportRow(
                run=run,
                number=row.number,
                outcome=outcome,
                created=[[r._meta.label_lower, r.pk] for r in done.created],
                updated=[
                    [r._meta.label_lower, r.pk, _replaced(r, replaced)]
                    for r, replaced in done.updated
                ],
                errors=row.check.errors,
                cells=[_json(cell) for cell in row.cells] if outcome is RowOutcome.ERROR else [],
            )
        )
    RowWriter().write(ImportRow, import_rows, with_ids=False)
    total = Counter(locked.counts) + counts
    Import.objects.filter(pk=run.pk).update(
        last_row=batch[-1].number, rows=locked.rows + len(batch), counts=dict(total)
    )


def _replaced(record: models.Model, replaced: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [the value replaced, the value the import wrote]}."""
    return {
        name: [_json(old), _json(getattr(record, record._meta.get_field(name).attname))]
        for name, old in replaced.items()
    }


def _json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class CannotUndo(Exception):
    """The import cannot be undone safely; the message says what stands in the way."""


@transaction.atomic
def import_undo(*, actor: Any, run: Import) -> Import:
    run = Import.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportStatus.DONE:
        raise CannotUndo(_("Only a finished import can be undone."))
    if not may_undo(actor, run):
        raise PermissionDenied(_("Only who imported the file or an administrator may undo it."))
    target = registry.import_target(run.target)
    refusal = target.undo_refusal(_created_by(run)) if target and target.undo_refusal else ""
    if refusal:
        raise CannotUndo(refusal)
    started = timezone.now()
    created = _created_by(run)
    kept = _pointed_at(created)
    _remove_written(run, actor=actor, created=created)
    events.emit(
        "import.undone",
        actor=actor,
        instance=run,
        since=started.isoformat(),
        pointed_at=kept,
        removed={label: [min(ids), max(ids)] for label, ids in created.items()},
    )
    before = audit.snapshot(run)
    run.status, run.undone_at, run.undone_by = ImportStatus.UNDONE, timezone.now(), actor
    run.save(update_fields=["status", "undone_at", "undone_by"])
    audit.record_update(actor=actor, instance=run, before=before)
    return run


def _pointed_at(created: dict[str, set[int]]) -> dict[str, list[int]]:
    """The records that the created ones point at and that stay (a known company of a new
    contact), by model label: their derived data changes with the removal."""
    found: dict[str, set[int]] = {}
    for label, ids in created.items():
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if not field.many_to_one:
                continue
            target = field.related_model._meta.label_lower
            for chunk in _chunks(ids):
                values = (
                    model._base_manager.filter(pk__among=chunk)
                    .order_by()
                    .values_list(field.attname, flat=True)
                )
                found.setdefault(target, set()).update(v for v in values if v is not None)
    return {label: sorted(ids - created.get(label, set())) for label, ids in found.items() if ids}


def _created_by(run: Import) -> dict[str, set[int]]:
    """The ids of the records the import created, by model label, in the order of creation."""
    created: dict[str, set[int]] = {}
    for row in ImportRow.objects.filter(run=run).exclude(created=[]).order_by("number"):
        for label, pk in row.created:
            created.setdefault(label, set()).add(pk)
    return created


def _remove_written(
    run: Import, actor: Any = None, created: dict[str, set[int]] | None = None
) -> None:
    """``created``: ``_created_by(run)``, where the caller has read it already."""
    rows = list(ImportRow.objects.filter(run=run).order_by("-number"))
    created = _created_by(run) if created is None else created
    _refuse_if_used(created)
    for row in rows:
        for label, pk, replaced in row.updated:
            _restore(actor, label, pk, replaced)
    for label in _removal_order(created):
        model = apps.get_model(label)
        for ids in _chunks(created[label]):
            removed = model._base_manager.filter(pk__among=ids).order_by()
            audit.record_deletes(actor=actor, instances=list(removed))
            removed.delete()


def _removal_order(created: dict[str, set[int]]) -> list[str]:
    """Records that point at others before those (people before their companies, lines before
    their orders): a company removed first would take its people with it, unaudited."""
    models_by_label = {label: apps.get_model(label) for label in created}

    def refers(label: str, other: str) -> bool:
        return any(
            field.many_to_one and field.related_model is models_by_label[other]
            for field in models_by_label[label]._meta.concrete_fields
        )

    remaining, ordered = list(created), []
    while remaining:
        free = [
            label
            for label in remaining
            if not any(refers(other, label) for other in remaining if other != label)
        ]
        ordered.append((free or remaining)[0])
        remaining.remove(ordered[-1])
    return ordered


# Ids per statement: a database takes at most 65,535 parameters (PostgreSQL) in one.
ID_CHUNK = 5_000


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[start : start + ID_CHUNK] for start in range(0, len(ordered), ID_CHUNK)]


def _refuse_if_used(created: dict[str, set[int]]) -> None:
    """Removing a record that others point at would take their rows with it."""
    for label, ids in created.items():
        model = apps.get_model(label)
        for referring, field in references.uses(model):
            own = created.get(referring._meta.label_lower, set())
            # Unordered: in the order of its default ordering, a cursor over four million
            # orders read them all to find none of 5,000 new companies (12 s a chunk).
            used = any(
                pk not in own
                for chunk in _chunks(ids)
                for pk in referring._base_manager.filter(**{f"{field}__among": chunk})
                .order_by()
                .values_list("pk", flat=True)
                .iterator()
            )
            if used:
                raise CannotUndo(
                    _("Records of this import are in use since (%(what)s); it cannot be undone.")
                    % {"what": referring._meta.verbose_name_plural}
                )


def _restore(actor: Any, label: str, pk: int, replaced: dict[str, list[Any]]) -> None:
    """Old values back where the field still holds what the import wrote: an edit made since
    the import stays."""
    model = apps.get_model(label)
    record = model._base_manager.filter(pk=pk).first()
    if record is None:
        return
    before = audit.snapshot(record)
    changed = []
    for name, (old, wrote) in replaced.items():
        field = model._meta.get_field(name)
        if _json(getattr(record, field.attname)) == wrote:
            setattr(record, field.attname, field.to_python(old))
            changed.append(name)
    if changed:
        if isinstance(record, VersionedModel):
            concurrency.bump(record)
            changed.append("version")
        # What ``save`` derives (the search text of a restored e-mail address, the time).
        derived = [
            f.name
            for f in model._meta.concrete_fields
            if not f.editable and not f.primary_key and f.name not in changed
        ]
        record.save(update_fields=[*changed, *derived])
        audit.record_update(actor=actor, instance=record, before=before)
