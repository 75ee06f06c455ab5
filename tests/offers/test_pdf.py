"""The offer letter as PDF: values in the offer's notation, labels in its language, every page
numbered and the table's header on each page the table reaches.

The text is read back from the PDF's content streams: the letter uses ReportLab's built-in
Helvetica, which writes each line as a WinAnsi string, so no PDF library is needed to read it.
"""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

from innendienst.offers.pdf import Letterhead, render_offer_pdf

LETTERHEAD = Letterhead(
    company_name="Muster GmbH",
    street="Industriestr. 1",
    postcode="80331",
    city="München",
    phone="+49 89 123456-0",
    email="vertrieb@muster.de",
    website="www.muster.de",
    vat_id="DE123456789",
    register="Amtsgericht München HRB 123456",
    managing_directors="Erika Muster, Max Muster",
    bank="Stadtsparkasse München · IBAN DE12 7015 0000 0012 3456 78 · BIC SSKMDEMMXXX",
)


def a_line(position: int, **changes: str) -> dict[str, Any]:
    line = {
        "position": position,
        "sku": "PU-4000",
        "description": "Kreiselpumpe KP 40",
        "note": "Förderhöhe 40 m, Gehäuse aus Grauguss „GG-25“",
        "quantity": "1.000",
        "unit": "pc",
        "unit_label": "Stk.",
        "unit_price": "1100.00",
        "discount_percent": "0.00",
        "net": "1100.00",
    }
    return line | changes


def a_document(**changes: Any) -> dict[str, Any]:
    document = {
        "number": "AN-2026-00042",
        "revision": 2,
        "date": "2026-03-02",
        "language": "de",
        "currency": "EUR",
        "subject": "Kreiselpumpen für Halle 3",
        "recipient": [
            "Berger Maschinenbau GmbH",
            "Frau Dr. Anna Berger",
            "Hauptstr. 5",
            "86150 Augsburg",
        ],
        "salutation": "Sehr geehrte Frau Berger,",
        "customer_number": "K-10042",
        "contact": "Dr. Anna Berger",
        "sender": {"name": "Jonas Weber", "phone": "+49 89 123456-12", "email": "jw@muster.de"},
        "price_list": "Preisliste 2026",
        "valid_until": "2026-12-31",
        "terms": "Lieferung ab Werk.\nZahlung 30 Tage netto.",
        "deviations": "",
        "extra_costs_label": "",
        "lines": [
            a_line(1),
            a_line(
                2,
                sku="SRV-MONT",
                description="Montage vor Ort",
                note="",
                quantity="2.500",
                unit="h",
                unit_label="Std.",
                unit_price="88.00",
                net="220.00",
            ),
        ],
        "totals": {
            "lines_net": "1320.00",
            "discount_percent": "0.00",
            "discount": "0.00",
            "freight": "0.00",
            "extra_costs": "0.00",
            "net": "1320.00",
            "vat_rate": "19",
            "vat": "250.80",
            "rounding": "0.00",
            "total": "1570.80",
        },
    }
    return document | changes


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page: the literal strings of its content stream, one per line."""
    pages = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        # ReportLab writes its streams deflated and then in ASCII85, which ends with "~>".
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        content = zlib.decompress(data)
        if b" Tj" not in content:
            continue
        strings = re.findall(rb"\(((?:[^\\()]|\\.)*)\)\s*Tj", content, re.DOTALL)
        pages.append("\n".join(_unescaped(string) for string in strings))
    return pages


def _unescaped(string: bytes) -> str:
    def byte(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(escaped, escaped)

    raw = re.sub(rb"\\([0-7]{1,3}|.)", byte, string)
    return raw.decode("cp1252").replace("\u00a0", " ")


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page(?!s)", pdf))


def test_it_renders_a_pdf_with_the_letter_in_german_notation() -> None:
    pdf = render_offer_pdf(a_document(), LETTERHEAD)

    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1
    (text,) = page_texts(pdf)
    lines = text.splitlines()
    assert "AN-2026-00042" in lines
    assert "1.100,00 €" in lines
    assert "2,5 Std." in lines
    assert "1 Stk." in lines
    assert "1.570,80 €" in lines
    assert "02.03.2026" in lines
    assert "31.12.2026" in lines
    assert "Berger Maschinenbau GmbH" in lines
    assert "Muster GmbH · Industriestr. 1 · 80331 München" in lines
    assert "Förderhöhe 40 m, Gehäuse aus Grauguss „GG-25“" in lines
    assert "Sehr geehrte Frau Berger," in lines


def test_it_writes_the_labels_and_notation_of_an_english_offer() -> None:
    pdf = render_offer_pdf(a_document(language="en"), LETTERHEAD)

    (text,) = page_texts(pdf)
    lines = text.splitlines()
    assert "Offer AN-2026-00042: Kreiselpumpen für Halle 3" in lines
    assert "€1,100.00" in lines
    assert "2.5 Std." in lines
    assert "31 Dec 2026" in lines
    assert "This offer is valid until 31 Dec 2026." in lines
    assert "VAT 19 %" in lines
    assert "Total amount" in lines
    assert "Page 1 of 1" in lines
    assert "Kind regards" in lines
    # No line has a discount, so the table has no discount column.
    assert "Discount" not in lines


def test_it_sets_title_and_author() -> None:
    pdf = render_offer_pdf(a_document(language="en"), LETTERHEAD)

    assert b"/Title (Offer AN-2026-00042)" in pdf
    assert b"/Author (Muster GmbH)" in pdf


def test_it_writes_swiss_francs_to_the_cent_with_the_rounding_of_the_total() -> None:
    document = a_document(
        language="en",
        currency="CHF",
        lines=[a_line(1, unit_price="1234.55", net="1234.55", discount_percent="8.10")],
        totals={
            "lines_net": "1234.55",
            "discount_percent": "2.50",
            "discount": "30.86",
            "freight": "45.00",
            "extra_costs": "12.00",
            "net": "1260.69",
            "vat_rate": "8.1",
            "vat": "102.12",
            "rounding": "-0.01",
            "total": "1362.80",
        },
        extra_costs_label="Verpackung",
    )

    (text,) = page_texts(render_offer_pdf(document, LETTERHEAD))
    lines = text.splitlines()
    assert "CHF 1’234.55" in lines
    assert "Discount" in lines
    assert "8.1 %" in lines
    assert "Discount 2.5 %" in lines
    assert "CHF -30.86" in lines
    assert "Freight" in lines
    assert "Verpackung" in lines
    assert "VAT 8.1 %" in lines
    assert "Rounding to 5 Rappen" in lines
    assert "CHF -0.01" in lines
    assert "CHF 1’362.80" in lines


def test_it_leaves_out_the_rounding_line_when_nothing_was_rounded() -> None:
    document = a_document(language="en", currency="CHF")

    (text,) = page_texts(render_offer_pdf(document, LETTERHEAD))
    assert "Rounding to 5 Rappen" not in text.splitlines()


def test_it_names_the_reverse_charge_when_there_is_no_vat() -> None:
    totals = a_document()["totals"] | {"vat_rate": "0", "vat": "0.00", "total": "1320.00"}
    document = a_document(language="en", totals=totals)

    (text,) = page_texts(render_offer_pdf(document, LETTERHEAD))
    lines = text.splitlines()
    assert "No VAT – reverse charge" in lines
    assert not any(re.match(r"VAT \d", line) for line in lines)


def test_it_continues_a_long_offer_on_numbered_pages_with_the_table_header_on_each() -> None:
    document = a_document(
        language="en",
        lines=[a_line(position) for position in range(1, 61)],
        deviations="\n\n".join(f"Abweichung {number}: Zahlung 60 Tage." for number in range(30)),
    )

    pdf = render_offer_pdf(document, LETTERHEAD)

    pages = page_texts(pdf)
    total = page_count(pdf)
    assert total >= 3
    assert len(pages) == total
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text.splitlines()
    table_pages = [text for text in pages if "PU-4000" in text.splitlines()]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "Unit price" in text.splitlines()
    assert "Abweichung 29: Zahlung 60 Tage." in pages[-1].splitlines()


def test_it_splits_a_note_longer_than_a_page() -> None:
    note = "\n".join(f"Technische Angabe {number}" for number in range(120))
    document = a_document(lines=[a_line(1, note=note)])

    pdf = render_offer_pdf(document, LETTERHEAD)

    assert page_count(pdf) >= 2
    assert "Technische Angabe 119" in "\n".join(page_texts(pdf))


def test_it_prints_letters_beyond_the_builtin_font_without_their_marks() -> None:
    document = a_document(
        recipient=["Şahin Yılmaz GmbH", "Herrn Łukasz Dvořák", "Hauptstr. 5", "86150 Augsburg"]
    )

    (text,) = page_texts(render_offer_pdf(document, LETTERHEAD))
    lines = text.splitlines()
    assert "Sahin Yilmaz GmbH" in lines
    assert "Herrn Lukasz Dvorák" in lines


def test_it_names_the_country_of_a_sender_abroad() -> None:
    swiss = Letterhead(
        company_name="Muster AG",
        street="Bahnhofstr. 1",
        postcode="8001",
        city="Zürich",
        country="CH",
    )

    to_germany = {**a_document(language="en"), "recipient_country": "DE"}
    (text,) = page_texts(render_offer_pdf(to_germany, swiss))
    assert "Muster AG · Bahnhofstr. 1 · 8001 Zürich, Switzerland" in text.splitlines()
    at_home = {**a_document(language="en"), "recipient_country": "CH"}
    (text,) = page_texts(render_offer_pdf(at_home, swiss))
    assert "Muster AG · Bahnhofstr. 1 · 8001 Zürich" in text.splitlines()
