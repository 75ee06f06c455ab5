"""Writing a list as CSV for a German Excel and as a workbook, row by row.

CSV: UTF-8 with BOM and semicolons, numbers with a decimal comma and dates as 31.12.2026, so
that a double click opens it right in Excel as DACH users have it. A text that Excel would
compute (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2-3``, ``+49 89 …``) starts with an apostrophe.
XLSX: numbers and dates as such, text always as text (never a formula), written in XlsxWriter's
constant-memory mode, so any length of list leaves the server in constant memory.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.core.registry import ExportKind

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Rows read from the database at a time.
CHUNK = 2_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def file_name(kind: ExportKind, fmt: str) -> str:
    return f"{kind.file_stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def headers(kind: ExportKind) -> list[str]:
    return [str(column.label) for column in kind.columns]


def values(kind: ExportKind, records: Iterable[Any]) -> Iterator[list[Any]]:
    """The cells of each record; a related record (a rep, a contact) is written by name."""
    for record in records:
        yield [_plain(column.value(record)) for column in kind.columns]


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, models.Model) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(kind: ExportKind, records: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    yield writer.writerow(headers(kind))
    for row in values(kind, records):
        yield writer.writerow([csv_cell(value) for value in row])


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def write_xlsx(kind: ExportKind, records: Iterable[Any], output: IO[bytes]) -> int:
    """Writes the workbook to ``output``; returns the number of rows."""
    workbook = xlsxwriter.Workbook(
        output, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(str(kind.label)[:31])
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "dd.mm.yyyy"})
    moment = workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    for column, header in enumerate(headers(kind)):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, max(10, min(40, len(header) + 4)))
    sheet.freeze_panes(1, 0)
    rows = 0
    for rows, row in enumerate(values(kind, records), start=1):
        for column, value in enumerate(row):
            _write(sheet, rows, column, value, date, moment)
    workbook.close()
    return rows


def _write(sheet: Any, line: int, column: int, value: Any, date: Any, moment: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(line, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(line, column, float(value))
    elif isinstance(value, datetime.datetime):
        local = timezone.localtime(value).replace(tzinfo=None)
        sheet.write_datetime(line, column, local, moment)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(line, column, value, date)
    else:
        sheet.write_string(line, column, str(value))
