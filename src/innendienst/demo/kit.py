"""What a demo step is made of: its run, its chunk of companies and the shared helpers.

Each app generates its own demo rows in its ``demo.py``: a ``Step`` registered in the app's
``AppConfig.ready()`` as a ``core.registry.DemoStep``. The loader makes every step once per
load, then hands each chunk of companies through all steps in their order. This module holds
what the steps share: the dataset, the anchor date, primary keys, random streams, the writer,
and helpers that more than one app needs (weighted choices, names, phone numbers, VAT ids,
working days). It imports nothing above ``contacts``.

Every value comes from ``random.Random`` instances seeded from the dataset's seed, the chunk
and a stream that belongs to one step, so one seed and one anchor date always give the same
data, whatever the database and however the rows are written, and a change to one app's step
does not shift the rows of another. The anchor date is today: orders, activities and tasks
are placed relative to it so that the demo always looks current.

Rows are unsaved model instances with their primary keys already assigned (see ``Ids``), so
that related rows can point at each other before anything is written.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from stdnum.at import uid as at_uid
from stdnum.ch import uid as ch_uid
from stdnum.iso7064 import mod_11_10

from innendienst.accounts.models import Team, Territory, User
from innendienst.core.bulk import RowWriter
from innendienst.core.models import Country
from innendienst.core.text import fold
from innendienst.core.validation import normalize_phone, normalize_vat_id
from innendienst.demo import data

T = TypeVar("T")

SIZES: dict[str, int] = {"small": 2_000, "medium": 20_000, "large": 100_000, "1m": 1_000_000}
MIN_COMPANIES = 20
MAX_COMPANIES = 1_000_000
# Companies per chunk: small enough to keep memory flat at any size, large enough for
# efficient batches. Part of the seed's meaning: changing it changes the data.
CHUNK_SIZE = 2_000

# How far the order history reaches back: customers' first orders and the orders themselves.
ORDER_HISTORY_DAYS = 3 * 365
CENT = Decimal("0.01")
CLOSED_DAYS = {(1, 1), (12, 24), (12, 25), (12, 26), (12, 31)}


@dataclass(frozen=True)
class Dataset:
    """What the user asked for: one seed and a number of companies."""

    seed: int
    size: str  # a name of SIZES or the number of companies as text
    companies: int

    @classmethod
    def parse(cls, size: str, seed: int) -> Dataset:
        """``size`` is a named size or a number of companies; raises ValueError otherwise."""
        label = size.strip().lower()
        if label in SIZES:
            return cls(seed=seed, size=label, companies=SIZES[label])
        try:
            companies = int(label.replace("_", "").replace(".", "").replace(",", ""))
        except ValueError:
            raise ValueError(
                _("Unknown size “%(size)s”: use small, medium, large, 1m or a number of companies.")
                % {"size": size}
            ) from None
        if not MIN_COMPANIES <= companies <= MAX_COMPANIES:
            raise ValueError(
                _("The number of companies must lie between %(min)s and %(max)s.")
                % {"min": MIN_COMPANIES, "max": number_format(MAX_COMPANIES, force_grouping=True)}
            )
        named = {count: name for name, count in SIZES.items()}
        return cls(seed=seed, size=named.get(companies, str(companies)), companies=companies)

    def same_as(self, marker: dict) -> bool:
        return marker.get("seed") == self.seed and marker.get("companies") == self.companies

    def chunk_sizes(self) -> list[int]:
        full, rest = divmod(self.companies, CHUNK_SIZE)
        return [CHUNK_SIZE] * full + ([rest] if rest else [])


class Ids:
    """Hands out primary keys, so rows can reference each other before they are written."""

    def __init__(self, start: dict[type[models.Model], int]) -> None:
        self._next = dict(start)

    def next(self, model: type[models.Model]) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value


@dataclass
class Organisation:
    """Our own sales organisation: territories, teams and the demo users, by code and name."""

    territories: dict[str, Territory]
    teams: dict[str, Team]
    users: dict[str, User]


class Step:
    """An app's demo step. It is made once per load, after the steps before it: reference rows
    that every chunk needs (products, industries) are written in ``__init__``. Then
    ``chunk`` is called for each chunk of companies, in the order of the registered steps, and
    ``finish`` once at the end."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def chunk(self, chunk: Chunk) -> Any:
        """Generate and write this step's rows of ``chunk``. What it returns is handed on to
        the later steps as ``chunk.results[<this step's name>]``."""
        return None

    def finish(self) -> None:
        """After every chunk is written and indexed: what needs all the data (a model learnt
        from the whole history)."""


@dataclass
class Chunk:
    """A slice of the companies, handed through every step in turn."""

    index: int
    companies: int
    results: dict[str, Any] = field(default_factory=dict)


@dataclass
class Run:
    """One load of the demo: what every step reads, and the steps themselves by name, so that a
    step can read what an earlier one made (``run.steps["catalog"]``)."""

    dataset: Dataset
    anchor: datetime.date
    organisation: Organisation
    ids: Ids
    writer: RowWriter
    # Rows written in the stage that runs, by model: the loader points it at each stage.
    counts: dict[type[models.Model], int]
    steps: dict[str, Step] = field(default_factory=dict)
    # Rows a chunk's steps asked to write, in that order; written when the chunk is complete,
    # so that a later step can still complete an earlier one's rows (a company's last contact
    # is known once its activities are made) without updating rows already written.
    pending: list[tuple[dict, type[models.Model], Sequence[str] | None, list]] = field(
        default_factory=list
    )
    yesterday: datetime.date = field(init=False)
    order_start: datetime.date = field(init=False)
    tz: datetime.tzinfo = field(init=False)
    staff: dict[str, tuple[User, User]] = field(init=False)
    colleagues: dict[int, list[User]] = field(init=False)

    def __post_init__(self) -> None:
        self.yesterday = self.anchor - datetime.timedelta(days=1)
        self.order_start = self.anchor - datetime.timedelta(days=ORDER_HISTORY_DAYS)
        self.tz = timezone.get_current_timezone()
        users = self.organisation.users
        # Who looks after a region's companies: (inside rep, field rep).
        self.staff = {
            region: (users[inside], users[field_rep])
            for region, (inside, field_rep) in data.REGION_STAFF.items()
        }
        # The inside reps of a team stand in for each other.
        inside_by_team: dict[int | None, list[User]] = {}
        for inside, _field in self.staff.values():
            team = inside_by_team.setdefault(inside.team_id, [])
            if inside not in team:
                team.append(inside)
        self.colleagues = {user.pk: team for team in inside_by_team.values() for user in team}

    def rng(self, chunk: Chunk, stream: str) -> random.Random:
        """The chunk's random numbers in one stream; every step draws from streams of its own."""
        return random.Random(f"{self.dataset.seed}:{chunk.index}:{stream}")

    @staticmethod
    def story_rng(stream: str) -> random.Random:
        # The story company is the same in every demo, whatever the seed and the size.
        return random.Random(f"story:{stream}")

    def at(self, day: datetime.date, minutes: int) -> datetime.datetime:
        """An aware datetime on ``day``, ``minutes`` after midnight, in the site's time zone."""
        hour, minute = divmod(minutes, 60)
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def days_ago(self, days: int) -> datetime.date:
        return self.anchor - datetime.timedelta(days=days)

    def write(self, model: type[models.Model], rows: list[models.Model]) -> None:
        self.pending.append((self.counts, model, None, rows))

    def write_tuples(self, model: type[models.Model], columns: Sequence[str], rows: list) -> None:
        self.pending.append((self.counts, model, columns, rows))

    def flush(self) -> None:
        """Write what the steps asked for, in the order they asked."""
        for counts, model, columns, rows in self.pending:
            if columns is None:
                written = self.writer.write(model, rows)
            else:
                written = self.writer.write_tuples(model, columns, rows)
            counts[model] = counts.get(model, 0) + written
        self.pending.clear()

    def count(self, model: type[models.Model], rows: int) -> None:
        """Rows written another way, such as reference rows saved through the ORM."""
        self.counts[model] = self.counts.get(model, 0) + rows


class Weighted(Generic[T]):
    """A weighted choice that costs one random number and one bisection."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    @classmethod
    def ranked(cls, items: Sequence[T], flatness: float = 4) -> Weighted[T]:
        """Items in frequency order: the first is the most common, with a long tail."""
        return cls(items, [1 / (rank + flatness) for rank in range(len(items))])

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


# --- numbers and days ---------------------------------------------------------------------


def money(value: float, step: Decimal = CENT) -> Decimal:
    return (Decimal(str(value)) / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def digits(rng: random.Random, count: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))


def office_minutes(rng: random.Random) -> int:
    return rng.randrange(7 * 60 + 30, 17 * 60 + 30, 5)


def workday(day: datetime.date) -> datetime.date:
    """The day itself, or the last working day before it."""
    while day.weekday() >= 5 or (day.month, day.day) in CLOSED_DAYS:
        day -= datetime.timedelta(days=1)
    return day


def between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A day in [start, end]; ``end`` if the range is empty."""
    span = (end - start).days
    return end if span <= 0 else start + datetime.timedelta(days=rng.randint(0, span))


def email_local(first: str, last: str) -> str:
    """The local part vorname.nachname in ASCII: "Jürgen Weiß" → "juergen.weiss"."""
    return f"{fold(first).replace(' ', '-')}.{fold(last).replace(' ', '-')}"


# --- phone numbers and VAT ids ----------------------------------------------------------


@dataclass(frozen=True)
class PhoneBlock:
    """A company's number block: central number and direct lines share area and base."""

    country: str
    area: str  # without the trunk zero: "89"
    base: str  # subscriber digits before the extension


COUNTRY_CODES = {Country.DE: "49", Country.AT: "43", Country.CH: "41"}
MOBILE_PREFIXES: dict[str, tuple[tuple[str, int], ...]] = {
    Country.DE: (("151", 8), ("152", 8), ("157", 8), ("160", 7), ("162", 7), ("170", 7),
                 ("171", 8), ("172", 8), ("173", 8), ("174", 8), ("175", 7), ("176", 8),
                 ("177", 8), ("178", 8), ("179", 8)),
    Country.AT: (("650", 7), ("660", 7), ("664", 7), ("676", 7), ("680", 7), ("681", 8),
                 ("699", 8)),
    Country.CH: (("76", 7), ("77", 7), ("78", 7), ("79", 7)),
}  # fmt: skip


def _grouped(number: str) -> str:
    """Space digits the way people write them down: "1234567" → "123 45 67"."""
    parts = [number[:3]] + [number[i : i + 2] for i in range(3, len(number), 2)]
    return " ".join(parts)


def _typed_landline(rng: random.Random, block: PhoneBlock, extension: str) -> str:
    """The number as a clerk would type it into a form, in one of the usual spellings."""
    cc = COUNTRY_CODES[block.country]
    area, number = block.area, block.base + extension
    if block.country == Country.CH:
        spaced = f"{number[:3]} {number[3:5]} {number[5:]}"
        spellings = (
            f"0{area} {spaced}",
            f"+{cc} {area} {spaced}",
            f"00{cc} {area} {number}",
            f"0{area}/{spaced}",
        )
    else:
        spellings = (
            f"0{area} {number}",
            f"0{area}/{block.base}-{extension}",
            f"+{cc} (0){area} {_grouped(number)}",
            f"00{cc} {area} {number}",
            f"(0{area}) {block.base}-{extension}",
            f"+{cc} {area} {block.base}-{extension}",
        )
    return rng.choice(spellings)


def _normalized(rng: random.Random, make: Callable[[], str], country: str) -> str:
    """Draw typed numbers until one is valid; store it the way ``normalize_phone`` does."""
    for _attempt in range(50):
        try:
            return normalize_phone(make(), country)
        except ValidationError:
            continue
    raise RuntimeError("No valid phone number after 50 attempts; check the area code tables.")


def company_phone(
    rng: random.Random, city: data.City, country: str, typed: str = ""
) -> tuple[str, PhoneBlock]:
    """The central number (extension 0 or 00) of a company in ``city`` and its block."""
    area = city.area_code[1:]
    while True:
        if country == Country.CH:
            block = PhoneBlock(country, area, digits(rng, 5, "2345678"))
            central = "00"
        else:
            length = max(4, rng.choice((9, 10)) - len(area) - 1)
            block = PhoneBlock(country, area, digits(rng, length, "2345678"))
            central = "0"
        try:
            return normalize_phone(typed or _typed_landline(rng, block, central), country), block
        except ValidationError:
            if typed:
                raise
            continue


def direct_phone(rng: random.Random, block: PhoneBlock) -> str:
    """A direct line (Durchwahl) in the company's block."""

    def make() -> str:
        if block.country == Country.CH:
            extension = str(rng.randint(10, 89))
        else:
            extension = digits(rng, rng.choice((2, 2, 3)))
        return _typed_landline(rng, block, extension)

    return _normalized(rng, make, block.country)


def mobile_phone(rng: random.Random, country: str) -> str:
    """A mobile number of one of the country's networks, typed in one of the usual ways."""

    def make() -> str:
        prefix, length = rng.choice(MOBILE_PREFIXES[country])
        number = digits(rng, length)
        cc = COUNTRY_CODES[country]
        if country == Country.CH:
            spaced = f"{number[:3]} {number[3:5]} {number[5:]}"
            return rng.choice((f"0{prefix} {spaced}", f"+{cc} {prefix} {spaced}"))
        return rng.choice(
            (
                f"0{prefix} {number}",
                f"0{prefix}{number[0]} {number[1:]}",
                f"+{cc} {prefix} {number}",
                f"+{cc} (0){prefix} {number}",
                f"0{prefix}/{number}",
            )
        )

    return _normalized(rng, make, country)


def vat_id(rng: random.Random, country: str) -> str:
    """A VAT/UID number with a correct check digit, as ``normalize_vat_id`` stores it."""
    while True:
        if country == Country.DE:
            number = digits(rng, 8, "123")
            raw = f"DE{number}{mod_11_10.calc_check_digit(number)}"
        elif country == Country.AT:
            number = digits(rng, 7)
            raw = f"ATU{number}{at_uid.calc_check_digit('U' + number)}"
        else:
            number = digits(rng, 8)
            check = ch_uid.calc_check_digit(number)
            if len(check) != 1:  # 10 is no check digit: that number is never issued
                continue
            raw = f"CHE{number}{check}"
        try:
            return normalize_vat_id(raw)
        except ValidationError:
            continue


# --- names ------------------------------------------------------------------------------


def locale_of(region: str) -> str:
    country = region[:2]
    if country == "DE":
        return "de-DE"
    if country == "AT":
        return "de-AT"
    return {"CH-FR": "fr-CH", "CH-TI": "it-CH"}.get(region, "de-CH")


LAST_NAMES = {locale: Weighted.ranked(names) for locale, names in data.LAST_NAMES.items()}
FIRST_NAMES = {
    (locale, gender): Weighted.ranked(names, flatness=6)
    for gender, table in (("m", data.FIRST_NAMES_MALE), ("f", data.FIRST_NAMES_FEMALE))
    for locale, names in table.items()
}


def person_name(rng: random.Random, locale: str, gender: str) -> tuple[str, str]:
    # Romandie and Ticino have many German-speaking colleagues; so does every border region.
    if locale in ("fr-CH", "it-CH") and rng.random() < 0.2:
        locale = "de-CH"
    return FIRST_NAMES[locale, gender].pick(rng), LAST_NAMES[locale].pick(rng)
