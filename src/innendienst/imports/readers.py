"""Reading the files that DACH sales teams import: CSV in its dialects, XLSX, XLS and ODS.

The format is told by the file's content, not its name (a ``.xls`` that an old ERP wrote as
CSV is read as CSV). A CSV is read line by line and never held whole: the encoding is found on
the first 64 KiB — a byte-order mark, else UTF-8 when a line with umlauts decodes as UTF-8,
else Windows-1252 (what a German Excel writes), else ISO-8859-1 — and a line that does not
decode in a UTF-8 file is read as Windows-1252 and reported, because a file pasted together
from two exports happens. The
delimiter is the one of ``;`` ``,`` tab ``|`` that splits the first lines into the same number
of columns, more than one. Spreadsheets are read by calamine after their zip directory has been
checked against a bomb.

Every problem with the file as a whole raises ``UnreadableFile`` with a message for the user;
problems of single rows are the pipeline's.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (";", ",", "\t", "|")
# A cell longer than this is not a cell but a quote that was never closed.
MAX_CELL_CHARACTERS = 100_000
# A zip entry that unpacks to more than this many times its size is a bomb, not a workbook.
MAX_ZIP_RATIO = 200
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")

Cell = str | int | float | bool | Any


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why, for the user."""


@dataclass
class Row:
    """One row of data: its number as the user sees it in the file (the header is row 1) and
    its cells, as many as the file holds (a ragged row has fewer or more than the header)."""

    number: int
    cells: list[Cell]


@dataclass
class Table:
    """A file opened for reading: its header and, once, its data rows."""

    format: str
    headers: list[str]
    rows: Iterator[Row]
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    # Lines read in another encoding than the file's (mixed encodings), by row number.
    warnings: list[str] = field(default_factory=list)


def open_table(file: IO[bytes], *, sheet: str = "") -> Table:
    """The table in ``file`` (binary, seekable); for a workbook ``sheet`` by name, else the
    first sheet that holds anything."""
    file.seek(0)
    head = file.read(SAMPLE_BYTES)
    file.seek(0)
    if not head.strip():
        raise UnreadableFile(_("The file is empty."))
    if head.startswith(_OLE2_MAGIC):
        return _open_workbook(file, "xls", sheet)
    if head.startswith(_ZIP_MAGIC):
        return _open_workbook(file, _zip_format(file), sheet)
    return _open_csv(file, head)


# --- CSV ------------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in sample:
        raise UnreadableFile(
            _("The file is not a table: it holds binary data. Upload CSV, XLSX, XLS or ODS.")
        )
    lines = sample.split(b"\n")
    # The sample's last line may end inside a character: decoded as the start of a stream.
    whole, last = lines[:-1], lines[-1]
    non_ascii = [line for line in whole if not line.isascii()]
    if not non_ascii and last.isascii():
        return "utf-8"
    # One line of UTF-8 makes the file UTF-8: its other lines are from another export, and
    # Windows-1252 text is never valid UTF-8 by chance.
    if any(_decodes(line) for line in non_ascii) or (not non_ascii and _starts_utf8(last)):
        return "utf-8"
    if _CP1252_UNDEFINED.isdisjoint(sample):
        return "cp1252"
    return "latin-1"


# What a UTF-8 line of a DACH file holds beyond ASCII: Latin letters (also Polish and Czech
# names), typographic quotes and dashes, the euro. A Windows-1252 line that happens to decode as
# UTF-8 gives other characters ("Ä–ä––" as "Ė䖖").
_PLAUSIBLE = re.compile(r"[\x00-\x7f\u00a0-\u017f\u2010-\u2030\u20ac]*")


def _decodes(line: bytes) -> bool:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _PLAUSIBLE.fullmatch(text) is not None


def _starts_utf8(data: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines evenly into the most columns."""
    best, best_score = "", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        even = sum(1 for width in widths if width == widths[0])
        score = (even, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(file: IO[bytes], head: bytes) -> Table:
    encoding = detect_encoding(head)
    warnings: list[str] = []
    lines = _decoded_lines(file, encoding, warnings)
    sample = _sample_lines(head, encoding)
    delimiter = detect_delimiter(sample) or ";"
    csv.field_size_limit(MAX_CELL_CHARACTERS)
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    try:
        headers = next(reader)
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    except csv.Error as exc:
        raise UnreadableFile(
            _("The header row cannot be read: %(error)s") % {"error": exc}
        ) from exc
    if not any(cell.strip() for cell in headers):
        raise UnreadableFile(_("The first row must hold the column names; it is empty."))
    return Table(
        format="csv",
        headers=[cell.strip() for cell in headers],
        rows=_csv_rows(reader),
        encoding=encoding,
        delimiter=delimiter,
        warnings=warnings,
    )


def _sample_lines(head: bytes, encoding: str) -> list[str]:
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    lines = text.splitlines(keepends=True)
    # The last line may be cut short by the sample's end.
    return lines[:-1] if len(lines) > 1 else lines


def _decoded_lines(file: IO[bytes], encoding: str, warnings: list[str]) -> Iterator[str]:
    if encoding == "utf-16":
        yield from io.TextIOWrapper(file, encoding="utf-16", newline="")
        return
    for number, raw in enumerate(file, start=1):
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            # A line from another export: Windows-1252 is what the German one will be.
            warnings.append(
                _("Line %(number)s is not %(encoding)s; it was read as Windows-1252.")
                % {"number": number, "encoding": encoding.upper()}
            )
            yield raw.decode("cp1252", errors="replace")


def _csv_rows(reader: Any) -> Iterator[Row]:
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableFile(
                _(
                    "Line %(line)s cannot be read (%(error)s); a quotation mark is probably"
                    " not closed."
                )
                % {"line": reader.line_num, "error": exc}
            ) from exc
        if any(cell.strip() for cell in cells):
            yield Row(reader.line_num, cells)


# --- workbooks ------------------------------------------------------------------------------


def _zip_format(file: IO[bytes]) -> str:
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(_("The file is a damaged ZIP archive, not a workbook.")) from exc
    with archive:
        unpacked = 0
        for entry in archive.infolist():
            unpacked += entry.file_size
            if entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1024) or (
                unpacked > MAX_UNPACKED_BYTES
            ):
                raise UnreadableFile(
                    _("The workbook unpacks to far more than its size; it is not read.")
                )
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and b"spreadsheet" in _read_small(archive, "mimetype"):
            return "ods"
    raise UnreadableFile(_("The ZIP archive is not an Excel or OpenDocument workbook."))


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        with archive.open(name) as entry:
            return entry.read(200)
    except KeyError:
        return b""


def _open_workbook(file: IO[bytes], kind: str, sheet: str) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    file.seek(0)
    try:
        workbook = CalamineWorkbook.from_filelike(file)
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableFile(
            _("The %(kind)s workbook cannot be read: %(error)s")
            % {"kind": kind.upper(), "error": exc}
        ) from exc
    names = list(workbook.sheet_names)
    if sheet and sheet not in names:
        raise UnreadableFile(
            _("The workbook has no sheet “%(sheet)s”; it has %(names)s.")
            % {"sheet": sheet, "names": ", ".join(names)}
        )
    for name in [sheet] if sheet else names:
        rows = workbook.get_sheet_by_name(name).iter_rows()
        for number, cells in enumerate(rows, start=1):
            if any(_filled(cell) for cell in cells):
                headers = [str(cell).strip() if _filled(cell) else "" for cell in cells]
                return Table(
                    format=kind,
                    headers=headers,
                    rows=_sheet_rows(rows, number),
                    sheet=name,
                    sheets=names,
                )
    raise UnreadableFile(_("The workbook holds no data."))


def _sheet_rows(rows: Iterator[list[Any]], header_number: int) -> Iterator[Row]:
    for number, cells in enumerate(rows, start=header_number + 1):
        filled = [column for column, cell in enumerate(cells) if _filled(cell)]
        if filled:
            yield Row(number, list(cells[: filled[-1] + 1]))


def _filled(cell: Any) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))
