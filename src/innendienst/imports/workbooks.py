"""The rows of an import that were not imported, as a workbook to correct and import again."""

from __future__ import annotations

import tempfile
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils.translation import gettext as _

from innendienst.core import registry
from innendienst.imports import selectors
from innendienst.imports.models import Import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def field_label(target: registry.ImportTarget | None, name: str) -> str:
    found = target.field(name) if target else None
    return str(found.label) if found else ""


def labelled_errors(
    run: Import, target: registry.ImportTarget | None, errors: dict[str, list[str]]
) -> list[tuple[str, str]]:
    """(field label, message) in the order of the file's columns, the row's own first: the
    stored errors come back in the database's key order (PostgreSQL sorts a jsonb's keys)."""
    position = {name: column for column, name in enumerate(run.mapping) if name}
    order = sorted(errors, key=lambda name: (name != "", position.get(name, len(position)), name))
    return [(field_label(target, name), message) for name in order for message in errors[name]]


def error_rows_response(run: Import) -> FileResponse:
    """The file's columns as it had them, and one more saying what was wrong with the row:
    the mapping leaves that column out when the corrected file is imported."""
    target = registry.import_target(run.target)
    # A file that was all errors has as many rows: written row by row to a temporary file,
    # which FileResponse closes (and so removes) once it is sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Rows with errors")[:31])
    bold = workbook.add_format({"bold": True})
    for column, header in enumerate([*run.headers, _("Errors")]):
        sheet.write_string(0, column, str(header), bold)
    errors_column = len(run.headers)
    for line, row in enumerate(selectors.error_rows(run).iterator(), start=1):
        for column, cell in enumerate(row.cells[:errors_column]):
            _write_cell(sheet, line, column, cell)
        text = "; ".join(
            f"{label}: {message}" if label else message
            for label, message in labelled_errors(run, target, row.errors)
        )
        sheet.write_string(line, errors_column, text)
    sheet.freeze_panes(1, 0)
    workbook.close()
    output.seek(0)
    stem = run.file_name.rsplit(".", 1)[0]
    return FileResponse(
        output, as_attachment=True, filename=f"{_('errors')}-{stem}.xlsx", content_type=XLSX
    )


def _write_cell(sheet: Any, line: int, column: int, cell: Any) -> None:
    # Text stays text: a cell "=HYPERLINK(…)" from the file is no formula in the workbook.
    if isinstance(cell, bool) or cell is None:
        sheet.write_string(line, column, "" if cell is None else str(cell))
    elif isinstance(cell, int | float):
        sheet.write_number(line, column, cell)
    else:
        sheet.write_string(line, column, str(cell))
