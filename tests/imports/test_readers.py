"""imports.readers: CSV in its dialects and encodings, workbooks, and files that are not."""

import codecs
import csv
import datetime
import io
import zipfile

import pytest
import xlsxwriter
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from innendienst.imports.readers import UnreadableFile, open_table


def rows_of(table):
    return [(row.number, row.cells) for row in table.rows]


def test_it_reads_a_german_excel_csv_in_windows_1252_with_semicolons():
    text = (
        "Firma;PLZ;Ort;Umsatz;Tel.\r\n"
        "Müller Maschinenbau GmbH;D-80331;München;1.234,50;0049 (0)89 / 123 45-67\r\n"
        "Bäckerei „Süß“ & Söhne;1010;Wien;€ 12,00;+43 1 234\r\n"
    )
    table = open_table(io.BytesIO(text.encode("cp1252")))
    assert (table.format, table.encoding, table.delimiter) == ("csv", "cp1252", ";")
    assert table.headers == ["Firma", "PLZ", "Ort", "Umsatz", "Tel."]
    assert rows_of(table) == [
        (
            2,
            [
                "Müller Maschinenbau GmbH",
                "D-80331",
                "München",
                "1.234,50",
                "0049 (0)89 / 123 45-67",
            ],
        ),
        (3, ["Bäckerei „Süß“ & Söhne", "1010", "Wien", "€ 12,00", "+43 1 234"]),
    ]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("latin-1", "cp1252")],
)
def test_it_finds_the_encoding(encoding, detected):
    text = "Name,Ort\nJürgen Weiß,Zürich\n"
    table = open_table(io.BytesIO(text.encode(encoding)))
    assert table.encoding == detected
    assert rows_of(table) == [(2, ["Jürgen Weiß", "Zürich"])]


def test_it_reads_bytes_that_windows_1252_does_not_know_as_iso_8859_1():
    table = open_table(io.BytesIO(b"Name;Ort\nA\x81B;Graz\n"))
    assert table.encoding == "latin-1"
    assert rows_of(table) == [(2, ["A\x81B", "Graz"])]


def test_it_reads_a_line_from_another_export_as_windows_1252_and_says_so():
    content = "Name;Ort\nMüller;München\n".encode() + "Weiß;Köln\n".encode("cp1252")
    table = open_table(io.BytesIO(content))
    assert table.encoding == "utf-8"
    assert rows_of(table) == [(2, ["Müller", "München"]), (3, ["Weiß", "Köln"])]
    assert table.warnings == ["Zeile 3 ist nicht UTF-8; sie wurde als Windows-1252 gelesen."]


def test_it_prefers_the_semicolon_when_decimal_commas_split_every_line_alike():
    table = open_table(io.BytesIO(b"Artikel;Preis\nSchraube;1,50\nMutter;0,20\n"))
    assert table.delimiter == ";"
    assert rows_of(table)[0] == (2, ["Schraube", "1,50"])


def test_it_keeps_quoted_delimiters_line_breaks_and_quotes():
    content = 'Firma,Notiz\n"Huber, Maier & Co.","erste Zeile\nzweite ""Zeile"""\nBrandt,x\n'
    table = open_table(io.BytesIO(content.encode()))
    assert table.delimiter == ","
    assert rows_of(table) == [
        (3, ["Huber, Maier & Co.", 'erste Zeile\nzweite "Zeile"']),
        (4, ["Brandt", "x"]),
    ]


def test_it_gives_ragged_rows_as_they_are_and_skips_blank_lines():
    table = open_table(io.BytesIO(b"a;b;c\n1;2\n\n;;\n1;2;3;4\n"))
    assert rows_of(table) == [(2, ["1", "2"]), (5, ["1", "2", "3", "4"])]


def test_it_names_the_line_of_a_quote_that_is_never_closed():
    content = b"Firma;Ort\n" + b'"Offen;Berlin\n' + b"x" * 200_000 + b"\n"
    table = open_table(io.BytesIO(content))
    with pytest.raises(UnreadableFile, match="Anführungszeichen"):
        rows_of(table)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"  \r\n\n", "Die Datei ist leer."),
        (b"%PDF-1.7\x00\x01\x02binary", "keine Tabelle"),
        (b";;;\nA;B;C;D\n", "Spaltennamen"),
        (b"PK\x03\x04broken", "beschädigtes ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "XLS-Arbeitsmappe"),
    ],
)
def test_it_refuses_a_file_that_is_no_table_with_a_message(content, message):
    with pytest.raises(UnreadableFile, match=message):
        open_table(io.BytesIO(content))


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UnreadableFile, match="keine Excel- oder OpenDocument"):
        open_table(buffer)


def test_it_refuses_a_workbook_that_unpacks_to_far_more_than_its_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 20_000_000)
    assert buffer.tell() < 100_000
    with pytest.raises(UnreadableFile, match="weit mehr"):
        open_table(buffer)


def workbook(sheets):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "dd.mm.yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    sheet.write_datetime(
                        r, c, datetime.datetime.combine(value, datetime.time()), date_format
                    )
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    buffer.seek(0)
    return buffer


def test_it_reads_an_xlsx_with_typed_cells_from_its_first_filled_sheet():
    book = workbook(
        {
            "Leer": [],
            "Kunden": [
                [None],
                ["Firma", "Kundennr.", "Umsatz", "Seit"],
                ["Huber GmbH", 10042, 1234.5, datetime.date(2025, 12, 31)],
                ['=HYPERLINK("x")', None, None, None],
            ],
        }
    )
    table = open_table(book)
    assert (table.format, table.sheet, table.sheets) == ("xlsx", "Kunden", ["Leer", "Kunden"])
    assert table.headers == ["Firma", "Kundennr.", "Umsatz", "Seit"]
    rows = rows_of(table)
    assert rows[0][0] == 3
    assert rows[0][1][:3] == ["Huber GmbH", 10042, 1234.5]
    assert rows[0][1][3] in (datetime.date(2025, 12, 31), datetime.datetime(2025, 12, 31))
    # A formula is read as the value it shows (none here), never run.
    assert len(rows) == 1 or rows[1][1][0] in ("", 0)


def test_it_reads_the_sheet_asked_for_and_names_the_others_when_it_is_missing():
    book = workbook({"A": [["x"], ["1"]], "B": [["y"], ["2"]]})
    assert rows_of(open_table(book, sheet="B")) == [(2, ["2"])]
    with pytest.raises(UnreadableFile, match="keine Tabelle „C“; sie hat A, B"):
        open_table(book, sheet="C")


def test_it_refuses_a_workbook_without_data():
    with pytest.raises(UnreadableFile, match="enthält keine Daten"):
        open_table(workbook({"Leer": []}))


# --- round trips ----------------------------------------------------------------------------

DELIMITERS = [";", ",", "\t", "|"]
CP1252_TEXT = "abcxyzABCXYZ0189 äöüÄÖÜß€„“–'\"\n.-/@&"


@st.composite
def csv_files(draw):
    delimiter = draw(st.sampled_from(DELIMITERS))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    width = draw(st.integers(2, 6))
    cell = st.text(alphabet=CP1252_TEXT + delimiter, max_size=12)
    header = st.text(alphabet="abcdefghÄÖÜ ", min_size=1, max_size=10).map(str.strip).filter(bool)
    headers = draw(st.lists(header, min_size=width, max_size=width))
    rows = draw(
        st.lists(
            st.lists(cell, min_size=width, max_size=width).filter(
                lambda row: any(value.strip() for value in row)
            ),
            max_size=8,
        )
    )
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode(encoding), encoding, delimiter, headers, rows


def _is_utf8(content):
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(csv_files())
def test_it_reads_back_what_a_csv_writer_wrote_in_any_encoding_and_delimiter(case):
    content, encoding, delimiter, headers, rows = case
    if encoding == "cp1252":
        # "ÄŸ" in Windows-1252 is also UTF-8 ("ğ"): a line of such pairs alone cannot tell.
        assume(not any(_is_utf8(line) for line in content.split(b"\n") if not line.isascii()))
    table = open_table(io.BytesIO(content))
    assert table.delimiter == delimiter
    assert table.headers == headers
    assert [row.cells for row in table.rows] == rows
    if encoding in ("utf-8-sig", "utf-16"):
        assert table.encoding == encoding
    assert codecs.lookup(table.encoding)
