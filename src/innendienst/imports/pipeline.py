"""From a file to what importing it would do: read, map, convert, check.

The file is read as a stream and checked in batches: each row's cells are mapped to the
target's fields (a column may also be left out, and a field filled with one value for the whole
file), converted by the field's kind — numbers in the column's own style, dates as DACH files
write them — and handed to the target's ``check``, which validates them with the app's model
rules and classifies them against the database and the file's earlier rows. Nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import IO, Any

from django.utils.translation import gettext as _

from innendienst.core.registry import ImportField, ImportTarget, RowCheck, RowOutcome, User
from innendienst.imports import mapping as mappings
from innendienst.imports.readers import Row, Table, open_table
from innendienst.imports.values import (
    InvalidValue,
    NumberStyle,
    number_style,
    parse_boolean,
    parse_date,
    parse_decimal,
)

BATCH_ROWS = 1_000
# The rows whose style decides a number column's.
STYLE_SAMPLE_ROWS = 1_000
# Rows with their outcome kept for the preview, and errors kept for the report.
PREVIEW_ROWS = 50
REPORTED_ERRORS = 1_000


class InvalidMapping(ValueError):
    """The mapping does not fit the file or the target; the message says how, ``field`` names
    the field whose value for every row cannot be read."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RowError:
    row: int
    field: str  # the field's label; "" for the row as a whole
    message: str

    def __str__(self) -> str:
        if not self.field:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class PreviewRow:
    number: int
    cells: list[Any]
    values: dict[str, Any]
    check: RowCheck


@dataclass
class Report:
    """What importing the file would do."""

    target: ImportTarget
    table: Table
    mapping: list[str]
    rows: int = 0
    outcomes: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)

    def add(self, row: CheckedRow) -> None:
        self.rows += 1
        self.outcomes[row.check.outcome] += 1
        for name, messages in row.check.errors.items():
            found = self.target.field(name)
            label = str(found.label) if found else ""
            for message in messages:
                if len(self.errors) < REPORTED_ERRORS:
                    self.errors.append(RowError(row.number, label, message))
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(PreviewRow(row.number, row.cells, row.values, row.check))

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.name,
            "format": self.table.format,
            "encoding": self.table.encoding,
            "delimiter": self.table.delimiter,
            "sheet": self.table.sheet,
            "columns": [
                {"header": header, "field": name}
                for header, name in zip(self.table.headers, self.mapping, strict=True)
            ],
            "rows": self.rows,
            **{outcome.value: self.outcomes[outcome] for outcome in RowOutcome},
            "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in self.errors],
            "warnings": list(self.table.warnings),
        }


@dataclass(frozen=True)
class CheckedRow:
    number: int
    cells: list[Any]
    values: dict[str, Any]
    check: RowCheck


def check_file(
    user: User,
    file: IO[bytes],
    target: ImportTarget,
    *,
    mapping: list[str] | None = None,
    constants: dict[str, Any] | None = None,
    sheet: str = "",
    limit: int | None = None,
) -> Report:
    """What importing the file (its first ``limit`` rows) would do. Raises
    ``readers.UnreadableFile`` for a file that is no table and ``InvalidMapping``."""
    report: Report | None = None
    for table, used_mapping, batch in _batches(
        user, file, target, mapping, constants, sheet, 1, limit
    ):
        if report is None:
            report = Report(target, table, used_mapping)
        for row in batch:
            report.add(row)
    assert report is not None
    return report


def checked_rows(
    user: User,
    file: IO[bytes],
    target: ImportTarget,
    *,
    mapping: list[str],
    constants: dict[str, Any],
    sheet: str,
    after_row: int,
) -> Any:
    """The file's rows after ``after_row``, checked, in batches."""
    for _table, _mapping, batch in _batches(
        user, file, target, mapping, constants, sheet, after_row
    ):
        if batch:
            yield batch


def _batches(
    user: User,
    file: IO[bytes],
    target: ImportTarget,
    mapping: list[str] | None,
    constants: dict[str, Any] | None,
    sheet: str,
    after_row: int,
    limit: int | None = None,
) -> Any:
    constants = constants or {}
    table = open_table(file, sheet=sheet)
    first = list(islice(table.rows, STYLE_SAMPLE_ROWS))
    if mapping is None:
        mapping = proposed_mapping(target, table.headers, first)
    fields = fields_of(target, table.headers, mapping, constants)
    constants = read_constants(target, constants)
    styles = {
        column: number_style(row.cells[column] for row in first if column < len(row.cells))
        for column, f in enumerate(fields)
        if f is not None and f.kind == "decimal"
    }
    seen: dict[Any, int] = {}
    batch: list[tuple[Row, dict[str, Any], dict[str, list[str]]]] = []
    yielded = False
    rows = chain(first, table.rows)
    for row in rows if limit is None else islice(rows, limit):
        if row.number <= after_row:
            continue
        values, errors = _converted(row, table.headers, fields, styles, constants)
        batch.append((row, values, errors))
        if len(batch) == BATCH_ROWS:
            yield table, mapping, _check_batch(user, target, batch, seen)
            yielded, batch = True, []
    if batch or not yielded:
        yield table, mapping, _check_batch(user, target, batch, seen)


def proposed_mapping(target: ImportTarget, headers: list[str], first: list[Row]) -> list[str]:
    sample = [row.cells for row in first[: mappings.SAMPLE_ROWS]]
    return [proposal.field for proposal in mappings.propose(target, headers, sample)]


def fields_of(
    target: ImportTarget, headers: list[str], mapping: list[str], constants: dict[str, Any]
) -> list[ImportField | None]:
    """The field each column fills; raises InvalidMapping for one that does not fit."""
    if len(mapping) != len(headers):
        raise InvalidMapping(
            _("The mapping names %(mapped)s columns; the file has %(columns)s.")
            % {"mapped": len(mapping), "columns": len(headers)}
        )
    fields: list[ImportField | None] = []
    for name in mapping:
        found = target.field(name) if name else None
        if name and found is None:
            raise InvalidMapping(_("“%(name)s” is no field of this import.") % {"name": name})
        fields.append(found)
    for name in constants:
        if target.field(name) is None:
            raise InvalidMapping(_("“%(name)s” is no field of this import.") % {"name": name})
    taken = [name for name in [*mapping, *constants] if name]
    twice = sorted({name for name in taken if taken.count(name) > 1})
    if twice:
        raise InvalidMapping(
            _("Each field can be filled once; filled twice: %(names)s.")
            % {"names": ", ".join(str(target.field(name).label) for name in twice)}
        )
    return fields


def read_constants(target: ImportTarget, constants: dict[str, Any]) -> dict[str, Any]:
    """The values that fill a field for every row, read like the file's cells."""
    read = {}
    for name, value in constants.items():
        found = target.field(name)
        try:
            read[name] = _value(value, found, NumberStyle.GERMAN)
        except InvalidValue as exc:
            raise InvalidMapping(
                _("The value for %(field)s: %(message)s") % {"field": found.label, "message": exc},
                field=name,
            ) from exc
    return read


def _converted(
    row: Row,
    headers: list[str],
    fields: list[ImportField | None],
    styles: dict[int, NumberStyle],
    constants: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    values: dict[str, Any] = {"_row": row.number, **constants}
    errors: dict[str, list[str]] = {}
    extra = [cell for cell in row.cells[len(headers) :] if _text(cell)]
    if extra:
        errors[""] = [
            _("the row has %(cells)s cells, the header %(columns)s")
            % {"cells": len(row.cells), "columns": len(headers)}
        ]
    for column, target_field in enumerate(fields):
        if target_field is None:
            continue
        cell = row.cells[column] if column < len(row.cells) else None
        try:
            values[target_field.name] = _value(cell, target_field, styles.get(column))
        except InvalidValue as exc:
            errors.setdefault(target_field.name, []).append(str(exc))
    return values, errors


def _value(cell: Any, target_field: ImportField, style: NumberStyle | None) -> Any:
    if target_field.kind == "decimal":
        return parse_decimal(cell, style or NumberStyle.GERMAN)
    if target_field.kind == "integer":
        number = parse_decimal(cell, NumberStyle.GERMAN)
        if number is not None and number != number.to_integral_value():
            raise InvalidValue(_("not a whole number"))
        return None if number is None else int(number)
    if target_field.kind == "date":
        return parse_date(cell)
    if target_field.kind == "boolean":
        return parse_boolean(cell)
    return _text(cell)


def _text(cell: Any) -> str:
    """A cell as text: a workbook's 10042.0 is the customer number "10042"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _check_batch(
    user: User,
    target: ImportTarget,
    batch: list[tuple[Row, dict[str, Any], dict[str, list[str]]]],
    seen: dict[Any, int],
) -> list[CheckedRow]:
    # A row whose cells cannot be read is not checked further: no later row may be called a
    # duplicate of it.
    readable = [values for _row, values, errors in batch if not errors]
    checks = iter(target.check(user, readable, seen))
    return [
        CheckedRow(
            row.number,
            row.cells,
            values,
            next(checks) if not errors else RowCheck(RowOutcome.ERROR, errors),
        )
        for row, values, errors in batch
    ]
