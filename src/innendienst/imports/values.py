"""Numbers and dates as DACH files write them.

A number column is read in one style, found from the column's values: German ``1.234,50``
(a Swiss file may write ``1'234.50``) or English ``1,234.50``. "1,234" alone is ambiguous — a
German 1.234 or an English 1234 — and is read in the column's style, German when the column
tells nothing else. Dates come as ``31.12.2025``, ``31.12.25``, ISO ``2025-12-31``,
``31/12/2025``, as Excel serial numbers (45657) or as dates from a workbook.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _


class NumberStyle(StrEnum):
    GERMAN = "de"
    ENGLISH = "en"


class InvalidValue(ValueError):
    """A cell that cannot be read as its column's kind; the message is for the user."""


# What only one style can mean. "1.234" and "1,234" can mean either and count for neither.
_GERMAN_ONLY = re.compile(
    r"^[-+]?\d{1,3}(\.\d{3}){2,}$|^[-+]?\d{1,3}(\.\d{3})+,\d+$|^[-+]?\d+,(\d{1,2}|\d{4,})$"
)
_ENGLISH_ONLY = re.compile(
    r"^[-+]?\d{1,3}(,\d{3}){2,}$|^[-+]?\d{1,3}(,\d{3})+\.\d+$|^[-+]?\d+\.(\d{1,2}|\d{4,})$"
)
_CURRENCY = re.compile(r"\s*(€|EUR|CHF|Fr\.|SFr\.)\s*", re.IGNORECASE)
# The Excel epoch as Excel counts it (its 1900 leap-year bug included).
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_SERIALS = range(1, 2958466)  # 1900-01-01 … 9999-12-31


def number_style(values: Iterable[Any]) -> NumberStyle:
    """The style of a column, by the values that only one style can read."""
    german = english = 0
    for value in values:
        if not isinstance(value, str):
            continue
        text = _plain(value)
        if _GERMAN_ONLY.match(text):
            german += 1
        elif _ENGLISH_ONLY.match(text):
            english += 1
    return NumberStyle.ENGLISH if english > german else NumberStyle.GERMAN


def _plain(text: str) -> str:
    """Without currency, spaces and the Swiss thousands apostrophe (1'234.50)."""
    return _CURRENCY.sub("", text).replace("\u00a0", "").replace(" ", "").replace("'", "").strip()


def parse_decimal(value: Any, style: NumberStyle = NumberStyle.GERMAN) -> Decimal | None:
    """A Decimal, None for an empty cell; raises InvalidValue for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue(_("not a number"))
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _plain(str(value))
    if not text:
        return None
    if style is NumberStyle.GERMAN:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidValue(_("not a number")) from None
    if not number.is_finite():
        raise InvalidValue(_("not a number"))
    return number


_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d")


def parse_date(value: Any) -> datetime.date | None:
    """A date, None for an empty cell; raises InvalidValue for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise InvalidValue(_("not a date"))
    if isinstance(value, int | float):
        return _from_excel(value)
    text = str(value).strip()
    if not text:
        return None
    # "31.12.2025 14:30" and ISO timestamps: the day is what is kept.
    text = re.split(r"[ T]", text, maxsplit=1)[0]
    if text.isdigit() and len(text) != 8:
        return _from_excel(int(text))
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidValue(_("not a date"))


_TRUE = frozenset(("ja", "j", "yes", "y", "x", "1", "wahr", "true", "aktiv", "active"))
_FALSE = frozenset(("nein", "n", "no", "0", "falsch", "false", "inaktiv", "inactive", "-"))


def parse_boolean(value: Any) -> bool | None:
    """Yes or no as files write it ("ja", "x", "1", "nein" …), None for an empty cell."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, int | float):
        text = str(int(value)) if float(value).is_integer() else text
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidValue(_("not yes or no"))


def _from_excel(serial: float) -> datetime.date:
    """The day of an Excel serial number; a fraction is the time of day."""
    days = int(serial)
    if days not in _EXCEL_SERIALS:
        raise InvalidValue(_("not a date"))
    return _EXCEL_EPOCH + datetime.timedelta(days=days)
