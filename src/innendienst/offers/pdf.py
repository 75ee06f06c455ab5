"""The offer as a PDF: a DIN 5008 business letter (form B) on A4.

Drawn with ReportLab's built-in Helvetica, whose WinAnsi encoding holds umlauts, ß, €, the Swiss
’ and the German „“ and –, so that no system font or library is needed; a letter beyond WinAnsi
(Ş, ł, ř) is printed without its mark. The letter is built from the frozen document of
``documents.document_of``; amounts stay ``Decimal`` from its text to the printed figure.
"""

from __future__ import annotations

import datetime
import functools
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from innendienst.core.models import Country
from innendienst.core.templatetags.innendienst import exact_money, quantity


@dataclass(frozen=True)
class Letterhead:
    company_name: str
    street: str
    postcode: str
    city: str
    country: str = "DE"  # ISO code
    phone: str = ""
    email: str = ""
    website: str = ""
    vat_id: str = ""  # USt-IdNr.
    register: str = ""  # e.g. "Amtsgericht München HRB 123456"
    managing_directors: str = ""  # the names only; the letter writes "Geschäftsführer:"
    bank: str = ""  # parts separated by " · ", printed one a line


PAGE_WIDTH, PAGE_HEIGHT = A4
# DIN 5008 form B, measured from the left and the top edge.
TEXT_LEFT = 25 * mm
TEXT_RIGHT = PAGE_WIDTH - 20 * mm
TEXT_WIDTH = TEXT_RIGHT - TEXT_LEFT
ADDRESS_FIELD_LEFT = 20 * mm
ADDRESS_FIELD_TOP = 45 * mm
ADDRESS_FIELD_WIDTH = 85 * mm
# The field's first 17.7 mm are the zone for the return address and postal notes; the
# recipient follows, indented by 5 mm so that it stays inside the envelope's window.
NOTE_ZONE_HEIGHT = 17.7 * mm
ADDRESS_INDENT = 5 * mm
INFO_LEFT = 125 * mm
INFO_RIGHT = PAGE_WIDTH - 10 * mm
INFO_TOP = 50 * mm
INFO_VALUE_LEFT = 157 * mm
SUBJECT_TOP = 98.4 * mm
FOLD_MARKS = (105 * mm, 210 * mm)
PUNCH_MARK = 148.5 * mm
FOLLOWING_PAGE_TOP = 22 * mm
FOOTER_HEIGHT = 16 * mm
FOOTER_BOTTOM = 10 * mm
PAGE_NUMBER_Y = FOOTER_BOTTOM + FOOTER_HEIGHT + 3 * mm
BODY_BOTTOM = PAGE_NUMBER_Y + 6 * mm

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#BBBBBB")

# The English date is spelt out, so that neither reader has to guess the order of day and month.
DATE_FORMATS = {"de": "d.m.Y", "en": "j M Y"}
NBSP = "\u00a0"

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
SUBJECT = ParagraphStyle("subject", parent=BODY, fontName=BOLD, spaceAfter=13)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD, spaceBefore=8, spaceAfter=2, keepWithNext=1
)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5)
NOTE = ParagraphStyle("note", parent=CELL, fontSize=7.5, leading=9, textColor=GREY)
FOOTER = ParagraphStyle("footer", fontName=FONT, fontSize=6.5, leading=8, textColor=GREY)
TOTAL_LABEL = ParagraphStyle("total_label", parent=CELL, fontSize=9, leading=11)
GRAND_TOTAL_LABEL = ParagraphStyle(
    "grand_total_label", parent=TOTAL_LABEL, fontName=BOLD, fontSize=10, leading=12
)


def render_offer_pdf(document: dict[str, Any], letterhead: Letterhead) -> bytes:
    """The offer letter as PDF bytes, in the document's language."""
    printable_letterhead = Letterhead(
        **{field.name: _printable(getattr(letterhead, field.name)) for field in fields(letterhead)}
    )
    with translation.override(document["language"]):
        return _OfferLetter(_printable_values(document), printable_letterhead).render()


# Letters outside WinAnsi that Unicode does not decompose into a base letter and a mark.
_BASE_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "ı": "i", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "\u2212": "-"}
)


def _printable(text: str) -> str:
    """Text that the built-in fonts can draw: "Şahin Dvořák" becomes "Sahin Dvorák" rather
    than black boxes, which a customer's name would be worse off with."""
    printable = []
    for char in text.translate(_BASE_LETTERS):
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", char)
            char = decomposed.encode("cp1252", "ignore").decode("cp1252") or "?"
        printable.append(char)
    return "".join(printable)


def _printable_values(value: Any) -> Any:
    if isinstance(value, str):
        return _printable(value)
    if isinstance(value, dict):
        return {key: _printable_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable_values(item) for item in value]
    return value


def _money(amount: str | Decimal, currency: str) -> str:
    return exact_money(Decimal(amount), currency)


def _percent(value: str | Decimal) -> str:
    return f"{quantity(Decimal(value))}{NBSP}%"


def _date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return dateformat.format(day, DATE_FORMATS[translation.get_language()])


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Free text as typed: blank lines part paragraphs, single line breaks are kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(escape(block).replace("\n", "<br/>"), style) for block in blocks if block]


def _fitted(canvas: Canvas, text: str, x: float, y: float, width: float, size: float) -> None:
    """A line at a fixed place, made smaller rather than running out of its field."""
    while size > 6 and stringWidth(text, FONT, size) > width:
        size -= 0.5
    canvas.setFont(FONT, size)
    canvas.drawString(x, y, text)


class _NumberedCanvas(Canvas):
    """Holds every page back until the last one is known, so that each can say "page 1 of 3"
    in a single pass over the story."""

    def __init__(
        self, *args: Any, draw_page_number: Callable[[Canvas, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._draw_page_number = draw_page_number

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._draw_page_number(self, number, total)
            super().showPage()
        super().save()


class _OfferLetter:
    def __init__(self, document: dict[str, Any], letterhead: Letterhead) -> None:
        self.document = document
        self.letterhead = letterhead
        self.currency = document["currency"]

    def render(self) -> bytes:
        buffer = io.BytesIO()
        title = _("Offer %(number)s") % {"number": self.document["number"]}
        template = BaseDocTemplate(
            buffer,
            pagesize=A4,
            title=title,
            author=self.letterhead.company_name,
            subject=self.document["subject"],
            creator="Innendienst",
            lang=self.document["language"],
        )
        first_frame = Frame(
            TEXT_LEFT,
            BODY_BOTTOM,
            TEXT_WIDTH,
            # The subject's baseline sits on the form's line, its capitals just above it.
            PAGE_HEIGHT - SUBJECT_TOP + BODY.fontSize - BODY_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="first",
        )
        following_frame = Frame(
            TEXT_LEFT,
            BODY_BOTTOM,
            TEXT_WIDTH,
            PAGE_HEIGHT - FOLLOWING_PAGE_TOP - BODY_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="following",
        )
        template.addPageTemplates(
            [
                PageTemplate(
                    "first", [first_frame], onPage=self._first_page, autoNextPageTemplate=1
                ),
                PageTemplate("following", [following_frame], onPage=self._following_page),
            ]
        )
        template.build(
            self._story(),
            canvasmaker=functools.partial(_NumberedCanvas, draw_page_number=self._draw_page_number),
        )
        return buffer.getvalue()

    # The pages' fixed parts.

    def _first_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        self._draw_letterhead(canvas)
        self._draw_address_field(canvas)
        self._draw_information_block(canvas)
        self._draw_marks(canvas)
        self._draw_footer(canvas)
        canvas.restoreState()

    def _following_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        y = PAGE_HEIGHT - 14 * mm
        canvas.drawString(TEXT_LEFT, y, self.letterhead.company_name)
        canvas.drawRightString(TEXT_RIGHT, y, self._reference())
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(TEXT_LEFT, y - 2 * mm, TEXT_RIGHT, y - 2 * mm)
        self._draw_footer(canvas)
        canvas.restoreState()

    def _reference(self) -> str:
        return " · ".join(
            (
                _("Offer %(number)s") % {"number": self.document["number"]},
                f"{_('Version')} {self.document['revision']}",
                _date(self.document["date"]),
            )
        )

    def _draw_letterhead(self, canvas: Canvas) -> None:
        head = self.letterhead
        canvas.setFont(BOLD, 18)
        canvas.drawString(TEXT_LEFT, PAGE_HEIGHT - 20 * mm, head.company_name)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        lines = (
            " · ".join(part for part in (head.street, self._place()) if part),
            " · ".join(part for part in (head.phone, head.email, head.website) if part),
        )
        y = PAGE_HEIGHT - 26 * mm
        for line in lines:
            canvas.drawString(TEXT_LEFT, y, line)
            y -= 10
        canvas.setFillColor(colors.black)

    def _place(self) -> str:
        """Our postcode and city, with our country when the letter goes abroad."""
        place = f"{self.letterhead.postcode} {self.letterhead.city}".strip()
        recipient_country = self.document.get("recipient_country", self.letterhead.country)
        if self.letterhead.country != recipient_country:
            place = f"{place}, {Country(self.letterhead.country).label}"
        return place

    def _draw_address_field(self, canvas: Canvas) -> None:
        head = self.letterhead
        x = ADDRESS_FIELD_LEFT + ADDRESS_INDENT
        width = ADDRESS_FIELD_WIDTH - ADDRESS_INDENT
        return_address = " · ".join(
            part for part in (head.company_name, head.street, self._place()) if part
        )
        # The return address is the last line of the note zone, underlined, in small type.
        y = PAGE_HEIGHT - ADDRESS_FIELD_TOP - NOTE_ZONE_HEIGHT + 1.5 * mm
        canvas.setFillColor(GREY)
        _fitted(canvas, return_address, x, y, width, 7)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        canvas.line(
            x, y - 1.2 * mm, x + min(width, canvas.stringWidth(return_address)), y - 1.2 * mm
        )
        canvas.setFillColor(colors.black)
        y = PAGE_HEIGHT - ADDRESS_FIELD_TOP - NOTE_ZONE_HEIGHT - 4.5 * mm
        for line in self.document["recipient"]:
            _fitted(canvas, line, x, y, width, 10)
            y -= 12

    def _draw_information_block(self, canvas: Canvas) -> None:
        document = self.document
        sender = document["sender"]
        rows: list[tuple[str, str]] = [
            (_("Offer no."), document["number"]),
            (_("Version"), str(document["revision"])),
            (_("Date"), _date(document["date"])),
        ]
        if document["customer_number"]:
            rows.append((_("Customer number"), document["customer_number"]))
        rows.append((_("Valid until"), _date(document["valid_until"])))
        rows.append(("", ""))
        rows.append((_("Your contact"), sender["name"]))
        if sender["phone"]:
            rows.append((_("Phone"), sender["phone"]))
        if sender["email"]:
            rows.append((_("E-mail"), sender["email"]))
        y = PAGE_HEIGHT - INFO_TOP
        for label, value in rows:
            canvas.setFillColor(GREY)
            _fitted(canvas, label, INFO_LEFT, y, INFO_VALUE_LEFT - INFO_LEFT - 2 * mm, 8)
            canvas.setFillColor(colors.black)
            _fitted(canvas, value, INFO_VALUE_LEFT, y, INFO_RIGHT - INFO_VALUE_LEFT, 9)
            y -= 11.5

    def _draw_marks(self, canvas: Canvas) -> None:
        """Fold marks for the window envelope and the punch mark, at the left edge."""
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        for y in FOLD_MARKS:
            canvas.line(3 * mm, PAGE_HEIGHT - y, 8 * mm, PAGE_HEIGHT - y)
        canvas.line(3 * mm, PAGE_HEIGHT - PUNCH_MARK, 10 * mm, PAGE_HEIGHT - PUNCH_MARK)

    def _draw_footer(self, canvas: Canvas) -> None:
        head = self.letterhead
        legal = [head.register]
        if head.managing_directors:
            legal.append(_("Managing directors: %(names)s") % {"names": head.managing_directors})
        if head.vat_id:
            legal.append(f"{_('VAT ID')} {head.vat_id}")
        columns = [
            [head.company_name, head.street, self._place()],
            [
                f"{_('Phone')} {head.phone}" if head.phone else "",
                head.email,
                head.website,
            ],
            legal,
            head.bank.split(" · "),
        ]
        cells = [
            Paragraph("<br/>".join(escape(line) for line in column if line), FOOTER)
            for column in columns
        ]
        table = Table(
            [cells],
            colWidths=[TEXT_WIDTH * share for share in (0.22, 0.24, 0.28, 0.26)],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        _width, height = table.wrapOn(canvas, TEXT_WIDTH, FOOTER_HEIGHT)
        top = FOOTER_BOTTOM + FOOTER_HEIGHT
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(TEXT_LEFT, top + 1.5 * mm, TEXT_RIGHT, top + 1.5 * mm)
        table.drawOn(canvas, TEXT_LEFT, top - height)

    def _draw_page_number(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(
            TEXT_RIGHT,
            PAGE_NUMBER_Y,
            _("Page %(number)s of %(pages)s") % {"number": number, "pages": total},
        )
        canvas.restoreState()

    # The flowing text.

    def _story(self) -> list[Flowable]:
        document = self.document
        subject = _("Offer %(number)s") % {"number": document["number"]}
        if document["subject"]:
            subject = _("Offer %(number)s: %(subject)s") % {
                "number": document["number"],
                "subject": document["subject"],
            }
        story: list[Flowable] = [
            Paragraph(escape(subject), SUBJECT),
            Paragraph(escape(document["salutation"]), BODY),
            Spacer(0, 6),
            Paragraph(escape(_("Thank you for your enquiry. We are pleased to offer:")), BODY),
            Spacer(0, 8),
        ]
        if document["lines"]:
            story.append(self._lines_table())
        story.append(Spacer(0, 6))
        story.append(self._totals_table())
        story.append(Spacer(0, 10))
        story.append(
            Paragraph(
                escape(
                    _("This offer is valid until %(date)s.")
                    % {"date": _date(document["valid_until"])}
                ),
                BODY,
            )
        )
        for heading, text in (
            (_("Terms"), document["terms"]),
            (_("Deviations from our standard terms"), document["deviations"]),
        ):
            if text.strip():
                story.append(Paragraph(escape(heading), HEADING))
                story.extend(_paragraphs(text, BODY))
        story.append(
            KeepTogether(
                [
                    Spacer(0, 14),
                    Paragraph(escape(_("Kind regards")), BODY),
                    Spacer(0, 18),
                    Paragraph(escape(document["sender"]["name"]), BODY),
                    Paragraph(escape(self.letterhead.company_name), BODY),
                ]
            )
        )
        return story

    def _lines_table(self) -> Table:
        lines = self.document["lines"]
        with_discount = any(Decimal(line["discount_percent"]) for line in lines)
        header = [_("Pos."), _("Article"), _("Description"), _("Quantity"), _("Unit price")]
        widths = [9 * mm, 20 * mm, None, 20 * mm, 26 * mm]
        if with_discount:
            header.append(_("Discount"))
            widths.append(16 * mm)
        header.append(_("Total"))
        widths.append(27 * mm)
        widths[2] = TEXT_WIDTH - sum(width for width in widths if width is not None)
        rows: list[list[Any]] = [header]
        for line in lines:
            description: list[Flowable] = [Paragraph(escape(line["description"]), CELL)]
            description.extend(_paragraphs(line["note"], NOTE))
            row: list[Any] = [
                str(line["position"]),
                line["sku"],
                description,
                f"{quantity(Decimal(line['quantity']))}{NBSP}{line['unit_label']}",
                _money(line["unit_price"], self.currency),
            ]
            if with_discount:
                discount = Decimal(line["discount_percent"])
                row.append(_percent(discount) if discount else "")
            row.append(_money(line["net"], self.currency))
            rows.append(row)
        first_number_column = 3
        return Table(
            rows,
            colWidths=widths,
            repeatRows=1,
            # A note longer than a page continues on the next one instead of failing the build.
            splitInRow=1,
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 8.5, 10.5),
                    ("FONT", (0, 0), (-1, 0), BOLD, 8.5, 10.5),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (first_number_column, 0), (-1, -1), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ]
            ),
        )

    def _totals_table(self) -> Flowable:
        totals = self.document["totals"]
        currency = self.currency
        rows: list[tuple[str, str]] = [(_("Sum of lines"), _money(totals["lines_net"], currency))]
        if Decimal(totals["discount"]):
            label = _("Discount %(percent)s %%") % {
                "percent": quantity(Decimal(totals["discount_percent"]))
            }
            rows.append((label, _money(-Decimal(totals["discount"]), currency)))
        if Decimal(totals["freight"]):
            rows.append((_("Freight"), _money(totals["freight"], currency)))
        if Decimal(totals["extra_costs"]):
            label = self.document["extra_costs_label"] or _("Extra costs")
            rows.append((label, _money(totals["extra_costs"], currency)))
        rows.append((_("Net amount"), _money(totals["net"], currency)))
        if Decimal(totals["vat_rate"]):
            label = _("VAT %(rate)s %%") % {"rate": quantity(Decimal(totals["vat_rate"]))}
        else:
            label = _("No VAT – reverse charge")
        rows.append((label, _money(totals["vat"], currency)))
        if Decimal(totals["rounding"]):
            rows.append((_("Rounding to 5 Rappen"), _money(totals["rounding"], currency)))
        rows.append((_("Total amount"), _money(totals["total"], currency)))
        cells: list[list[Any]] = [
            [Paragraph(escape(label), TOTAL_LABEL), amount] for label, amount in rows
        ]
        cells[-1][0] = Paragraph(escape(rows[-1][0]), GRAND_TOTAL_LABEL)
        last = len(rows) - 1
        table = Table(
            cells,
            colWidths=[70 * mm, 30 * mm],
            hAlign="RIGHT",
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 9, 11),
                    ("FONT", (1, last), (1, last), BOLD, 10, 12),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LINEABOVE", (0, last), (-1, last), 0.8, colors.black),
                    ("TOPPADDING", (0, last), (-1, last), 4),
                ]
            ),
        )
        return KeepTogether([table])
