"""Deterministic generation of the demo rows, without touching the database.

Every value comes from ``random.Random`` instances seeded from the dataset's seed, the chunk
and the stage, so one seed and one anchor date always give the same data, whatever the
database and however the rows are written. The anchor date is today: orders, activities and
tasks are placed relative to it so that the demo always looks current.

Rows are unsaved model instances with their primary keys already assigned (see ``Ids``), so
that related rows can point at each other before anything is written; order lines, the
millions of them, are plain tuples (``OrderLineRow``).
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, NamedTuple, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from stdnum.at import uid as at_uid
from stdnum.ch import uid as ch_uid
from stdnum.iso7064 import mod_11_10

from innendienst.accounts.models import Territory, User
from innendienst.activities.models import Activity, ActivityType, CallOutcome
from innendienst.catalog.models import Product, ProductGroup, Unit
from innendienst.contacts.models import (
    AddressKind,
    AddressSource,
    BuyingCenterMembership,
    Channel,
    ChannelVerification,
    Company,
    CompanyAddress,
    CompanyStatus,
    CustomerGroup,
    Industry,
    Person,
    Salutation,
    VerificationMethod,
)
from innendienst.core.models import Country, Currency
from innendienst.core.text import fold
from innendienst.core.validation import normalize_phone, normalize_vat_id
from innendienst.demo import data
from innendienst.orders.models import Order, OrderLine, OrderSource, OrderStatus
from innendienst.privacy.models import Consent, ConsentStatus

T = TypeVar("T")

SIZES: dict[str, int] = {"small": 2_000, "medium": 20_000, "large": 100_000}
MIN_COMPANIES = 20
MAX_COMPANIES = 1_000_000
# Companies per chunk: small enough to keep memory flat at any size, large enough for
# efficient batches. Part of the seed's meaning: changing it changes the data.
CHUNK_SIZE = 2_000

ORDER_HISTORY_DAYS = 3 * 365
ACTIVITY_HISTORY_DAYS = 2 * 365
CHF_PER_EUR = Decimal("0.95")
CENT = Decimal("0.01")
FIVE_RAPPEN = Decimal("0.05")

# Fewer orders in the summer holidays and around Christmas, more in spring and autumn.
SEASON: dict[int, float] = {
    1: 0.9, 2: 1.0, 3: 1.15, 4: 1.15, 5: 1.1, 6: 1.0,
    7: 0.9, 8: 0.6, 9: 1.1, 10: 1.15, 11: 1.1, 12: 0.8,
}  # fmt: skip
LATE_DECEMBER_SEASON = 0.35
CLOSED_DAYS = {(1, 1), (12, 24), (12, 25), (12, 26), (12, 31)}


@dataclass(frozen=True)
class Dataset:
    """What the user asked for: one seed and a number of companies."""

    seed: int
    size: str  # "small", "medium", "large" or the number of companies as text
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
                f"Unknown size {size!r}: use small, medium, large or a number of companies."
            ) from None
        if not MIN_COMPANIES <= companies <= MAX_COMPANIES:
            raise ValueError(
                f"The number of companies must lie between {MIN_COMPANIES} and {MAX_COMPANIES:,}."
            )
        named = {count: name for name, count in SIZES.items()}
        return cls(seed=seed, size=named.get(companies, str(companies)), companies=companies)

    def same_as(self, marker: dict) -> bool:
        return marker.get("seed") == self.seed and marker.get("companies") == self.companies

    def chunk_sizes(self) -> list[int]:
        full, rest = divmod(self.companies, CHUNK_SIZE)
        return [CHUNK_SIZE] * full + ([rest] if rest else [])


def _season(day: datetime.date) -> float:
    if day.month == 12 and day.day >= 20:
        return LATE_DECEMBER_SEASON
    return SEASON[day.month]


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


class Ids:
    """Hands out primary keys, so rows can reference each other before they are written."""

    def __init__(self, start: dict[type[models.Model], int]) -> None:
        self._next = dict(start)

    def next(self, model: type[models.Model]) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value


@dataclass
class Reference:
    """The saved rows that generated rows point at."""

    territories: dict[str, Territory]
    users: dict[str, User]
    industries: dict[str, Industry]
    customer_groups: dict[str, CustomerGroup]
    products: list[Product]
    group_codes: dict[int, str]  # product group id → code
    products_by_group: dict[str, list[Product]] = field(init=False)
    chf_prices: dict[int, tuple[Decimal, Decimal]] = field(init=False)

    def __post_init__(self) -> None:
        self.products_by_group = {}
        for product in self.products:
            code = self.group_codes[product.group_id]
            self.products_by_group.setdefault(code, []).append(product)
        self.chf_prices = {
            p.pk: (chf_price(p.list_price), chf_cost(p.cost_price)) for p in self.products
        }

    def price(self, product: Product, currency: str) -> tuple[Decimal, Decimal]:
        """List price and cost in the order's currency."""
        if currency == Currency.CHF:
            return self.chf_prices[product.pk]
        return product.list_price, product.cost_price


def chf_price(eur: Decimal) -> Decimal:
    """Swiss list price: the euro price at the house rate, rounded to 5 Rappen."""
    steps = (eur * CHF_PER_EUR / FIVE_RAPPEN).quantize(Decimal(1), ROUND_HALF_UP)
    return (steps * FIVE_RAPPEN).quantize(CENT)


def chf_cost(eur: Decimal) -> Decimal:
    return (eur * CHF_PER_EUR).quantize(CENT, ROUND_HALF_UP)


# --- small helpers ----------------------------------------------------------------------


def _money(value: float, step: Decimal = CENT) -> Decimal:
    return (Decimal(str(value)) / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def _digits(rng: random.Random, count: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))


def _office_minutes(rng: random.Random) -> int:
    return rng.randrange(7 * 60 + 30, 17 * 60 + 30, 5)


def _workday(day: datetime.date) -> datetime.date:
    """The day itself, or the last working day before it."""
    while day.weekday() >= 5 or (day.month, day.day) in CLOSED_DAYS:
        day -= datetime.timedelta(days=1)
    return day


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A day in [start, end]; ``end`` if the range is empty."""
    span = (end - start).days
    return end if span <= 0 else start + datetime.timedelta(days=rng.randint(0, span))


def _domain_name(core: str, country: str) -> str:
    words = [w for w in fold(core).split() if w not in {"und", "et", "e"}]
    label = "-".join(words)[:40].strip("-")
    return f"{label}.{data.TOP_LEVEL_DOMAINS[country]}"


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


def _grouped(digits: str) -> str:
    """Space digits the way people write them down: "1234567" → "123 45 67"."""
    parts = [digits[:3]] + [digits[i : i + 2] for i in range(3, len(digits), 2)]
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
    for _ in range(50):
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
            block = PhoneBlock(country, area, _digits(rng, 5, "2345678"))
            central = "00"
        else:
            length = max(4, rng.choice((9, 10)) - len(area) - 1)
            block = PhoneBlock(country, area, _digits(rng, length, "2345678"))
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
            extension = _digits(rng, rng.choice((2, 2, 3)))
        return _typed_landline(rng, block, extension)

    return _normalized(rng, make, block.country)


def mobile_phone(rng: random.Random, country: str) -> str:
    """A mobile number of one of the country's networks, typed in one of the usual ways."""

    def make() -> str:
        prefix, length = rng.choice(MOBILE_PREFIXES[country])
        number = _digits(rng, length)
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
            digits = _digits(rng, 8, "123")
            raw = f"DE{digits}{mod_11_10.calc_check_digit(digits)}"
        elif country == Country.AT:
            digits = _digits(rng, 7)
            raw = f"ATU{digits}{at_uid.calc_check_digit('U' + digits)}"
        else:
            digits = _digits(rng, 8)
            check = ch_uid.calc_check_digit(digits)
            if len(check) != 1:  # 10 is no check digit: that number is never issued
                continue
            raw = f"CHE{digits}{check}"
        try:
            return normalize_vat_id(raw)
        except ValidationError:
            continue


# --- names ------------------------------------------------------------------------------


def _locale(region: str) -> str:
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


def _invented_word(rng: random.Random) -> str:
    while True:
        prefix, suffix = rng.choice(data.WORD_PREFIXES), rng.choice(data.WORD_SUFFIXES)
        if suffix[:3] not in prefix.lower():
            return prefix + suffix


def company_core_name(
    rng: random.Random,
    *,
    city: data.City,
    industry: data.IndustrySpec,
    legal: data.LegalFormSpec,
) -> str:
    """The name without the legal form, from the patterns real company names follow."""
    region, locale = city.region, _locale(city.region)
    surname = LAST_NAMES[locale].pick(rng)
    other = LAST_NAMES[locale].pick(rng)
    if region == "CH-FR":
        trade = rng.choice(industry.trades_fr)
        patterns = (
            f"{surname} {trade}",
            f"{trade} {surname}",
            f"{trade} {rng.choice(data.FRENCH_PLACES)}",
        )
        return rng.choice((*patterns, _invented_word(rng)))
    if region == "CH-TI":
        trade = rng.choice(industry.trades_it)
        patterns = (f"{surname} {trade}", f"{trade} {surname}", f"{trade} Ticino")
        return rng.choice((*patterns, _invented_word(rng)))
    trade, prefix = rng.choice(industry.trades_de), rng.choice(industry.prefixes_de)
    if legal.sole_trader:
        first = FIRST_NAMES[locale, "m"].pick(rng)
        sole = Weighted(
            (
                f"{prefix} {surname}",
                f"{surname} {trade}",
                f"{first} {surname}",
                f"{surname} & {other}",
            ),
            (40, 40, 8, 12 if legal.form in ("ohg", "og") else 0),
        )
        return sole.pick(rng)
    adjectives = data.REGION_ADJECTIVES[region]
    adjective = city.adjective if city.adjective and rng.random() < 0.5 else rng.choice(adjectives)
    if industry.code == "EN" and rng.random() < 0.15:
        return f"Stadtwerke {city.name.split(' (')[0]}"
    word = _invented_word(rng)
    patterns = Weighted(
        (
            f"{surname} {trade}",
            word,
            f"{word} {trade}",
            f"{adjective} {trade}",
            f"{prefix} {surname}",
            f"{surname} & {other}" if other != surname else f"{surname} & Partner",
            f"{surname} & Söhne",
        ),
        (32, 10, 14, 14, 12, 6, 3 if region[:2] in ("DE", "AT") else 0),
    )
    return patterns.pick(rng)


# --- plans --------------------------------------------------------------------------------


@dataclass
class OrderProfile:
    """How one customer orders: rhythm, period, assortment, prices and payment habits."""

    since: datetime.date  # first possible order
    last_order: datetime.date  # the newest order; older ones follow the rhythm backwards
    cycle: int
    favourites: list[Product]
    assortment: list[Product]
    discount: Decimal
    line_value: float  # EUR per order line, before the jitter
    pay_delay: tuple[int, int]  # days from invoice to payment
    channels: Weighted[str]


class OrderLineRow(NamedTuple):
    """An order line as a plain tuple: there are millions, and instances cost more than rows."""

    id: int
    order_id: int
    product_id: int
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    unit_cost: Decimal


@dataclass
class PersonPlan:
    person: Person
    function: data.FunctionSpec
    roles: tuple[str, ...]


@dataclass
class CompanyPlan:
    company: Company
    city: data.City
    block: PhoneBlock
    domain: str
    inside_rep: User
    field_rep: User
    created: datetime.date
    has_decider: bool
    profile: OrderProfile | None
    people: list[PersonPlan] = field(default_factory=list)
    story: bool = False


@dataclass
class CompanyBatch:
    plans: list[CompanyPlan]
    rows: dict[type[models.Model], list[models.Model]]


FUNCTIONS_BY_NAME = {spec.male: spec for spec in data.FUNCTIONS}
CONTACT_FUNCTIONS = Weighted(
    [spec for spec in data.FUNCTIONS if spec.weight],
    [spec.weight for spec in data.FUNCTIONS if spec.weight],
)
LEGAL_FORMS = {
    key: Weighted(forms, [f.weight for f in forms]) for key, forms in data.LEGAL_FORMS.items()
}
INDUSTRIES = Weighted(data.INDUSTRIES, [i.weight for i in data.INDUSTRIES])
INDUSTRY_BY_CODE = {i.code: i for i in data.INDUSTRIES}
CUSTOMER_GROUP_BY_CODE = {g.code: g for g in data.CUSTOMER_GROUPS}
CITY_BY_NAME = {(c.name, c.region): c for c in data.CITIES}
FIXED_NAMES = {c.name for c in (data.STORY_COMPANY, *data.SOUND_ALIKES)}
STATUSES = Weighted(
    (CompanyStatus.CUSTOMER, CompanyStatus.PROSPECT, CompanyStatus.FORMER, CompanyStatus.LOST),
    (50, 33, 11, 6),
)
# Prospects come mostly from bought lists and fairs, customers from everywhere.
SOURCES_OF_PROSPECTS, SOURCES_OF_CUSTOMERS = (
    Weighted(
        (AddressSource.BOUGHT_LIST, AddressSource.TRADE_FAIR, AddressSource.MARKETING_WEB,
         AddressSource.MARKETING_MAIL, AddressSource.MARKETING_ADS,
         AddressSource.SELF_REGISTERED, AddressSource.REFERRAL, AddressSource.OTHER, ""),
        (35, 20, 15, 5, 5, 8, 7, 3, 2),
    ),
    Weighted(
        (AddressSource.FORMER_RELATION, AddressSource.TRADE_FAIR, AddressSource.MARKETING_WEB,
         AddressSource.REFERRAL, AddressSource.BOUGHT_LIST, AddressSource.SELF_REGISTERED,
         AddressSource.MARKETING_ADS, AddressSource.MARKETING_MAIL, AddressSource.OTHER, ""),
        (5, 20, 15, 15, 10, 10, 5, 5, 5, 10),
    ),
)  # fmt: skip
# Large customers order through EDI from their ERP, small ones by phone and in the web shop.
_CHANNELS = (
    OrderSource.INSIDE_SALES,
    OrderSource.FIELD_SALES,
    OrderSource.WEB_SHOP,
    OrderSource.ERP,
)
ORDER_CHANNELS = {
    "large": Weighted(_CHANNELS, (25, 5, 15, 55)),
    "medium": Weighted(_CHANNELS, (40, 8, 25, 27)),
    "small": Weighted(_CHANNELS, (50, 10, 40, 0)),
}
LINES_PER_ORDER = Weighted((1, 2, 3, 4, 5, 6), (25, 22, 18, 15, 11, 9))
OEM_INDUSTRIES = {"MB", "AZ", "ET", "KT", "MT"}
ORDERING = (CompanyStatus.CUSTOMER, CompanyStatus.FORMER, CompanyStatus.LOST)
CALL_OUTCOMES = Weighted(list(data.CALL_OUTCOME_WEIGHTS), list(data.CALL_OUTCOME_WEIGHTS.values()))
DONE_KINDS = Weighted(
    (ActivityType.CALL, ActivityType.EMAIL, ActivityType.VISIT, ActivityType.MEETING,
     ActivityType.NOTE),
    (48, 20, 12, 4, 10),
)  # fmt: skip


def _weighted_cities() -> Weighted[data.City]:
    """Cities by size within their country, countries by ``COUNTRY_SHARE``."""
    per_country: dict[str, int] = {}
    for city in data.CITIES:
        per_country[city.region[:2]] = per_country.get(city.region[:2], 0) + city.weight
    return Weighted(
        data.CITIES,
        [
            c.weight / per_country[c.region[:2]] * data.COUNTRY_SHARE[c.region[:2]]
            for c in data.CITIES
        ],
    )


CITIES = _weighted_cities()


def catalog(seed: int) -> list[tuple[ProductGroup, list[Product]]]:
    """Product groups and their products (unsaved; the groups' products get ``group`` later)."""
    rng = random.Random(f"{seed}:catalog")
    result = []
    for code, (name, templates) in data.PRODUCT_GROUPS.items():
        group = ProductGroup(code=code, name=name)
        products = []
        number = 10_000
        for template in templates:
            low, high = template.price
            count = len(template.variants)
            for index, variant in enumerate(template.variants):
                number += rng.randint(1, 9) * 10
                base = low + (high - low) * (index / (count - 1) if count > 1 else 0)
                price = base * rng.uniform(0.96, 1.04)
                step = FIVE_RAPPEN if price < 10 else Decimal("0.10") if price < 100 else Decimal(1)
                list_price = _money(price, step).quantize(CENT)
                cost = (list_price * Decimal(str(1 - rng.uniform(0.20, 0.55)))).quantize(CENT)
                stock = 0
                if code != data.SERVICE_GROUP and rng.random() > 0.06:
                    # Cheap parts lie by the thousand, motors by the handful.
                    stock = round(4000 / (1 + float(list_price)) * rng.uniform(0.5, 2))
                products.append(
                    Product(
                        sku=f"{code}-{number}",
                        name=template.name.format(variant),
                        unit=template.unit,
                        currency=Currency.EUR,
                        list_price=list_price,
                        cost_price=cost,
                        lead_time_days=rng.randint(*template.lead_time),
                        stock=stock,
                    )
                )
        result.append((group, products))
    return result


# --- the generator ------------------------------------------------------------------------


def _street_style(region: str) -> str:
    return region if region.startswith("CH") else region[:2]


def _title(rng: random.Random, kind: str, country: str) -> str:
    chance = rng.random()
    if country == Country.AT:
        if kind == "technical":
            return "Ing." if chance < 0.10 else "DI" if chance < 0.14 else ""
        return "Mag." if chance < 0.08 else "Dr." if chance < 0.10 and kind == "management" else ""
    if country == Country.DE:
        if kind == "technical":
            return "Dipl.-Ing." if chance < 0.08 else "Dipl.-Ing. (FH)" if chance < 0.11 else ""
        return "Dr." if chance < 0.06 and kind in ("management", "owner") else ""
    return "Dr." if chance < 0.03 and kind in ("management", "technical") else ""


MALE_SHARE = {"management": 0.78, "owner": 0.8, "technical": 0.82, "purchasing": 0.5,
              "assistant": 0.12, "other": 0.55}  # fmt: skip
MOBILE_SHARE = {"management": 0.6, "owner": 0.8, "technical": 0.4, "purchasing": 0.2,
                "assistant": 0.05, "other": 0.1}  # fmt: skip


class DemoGenerator:
    """Builds the rows chunk by chunk; keeps only counters between chunks."""

    def __init__(self, dataset: Dataset, anchor: datetime.date, ref: Reference, ids: Ids) -> None:
        self.dataset = dataset
        self.anchor = anchor
        self.yesterday = anchor - datetime.timedelta(days=1)
        self.order_start = anchor - datetime.timedelta(days=ORDER_HISTORY_DAYS)
        self.activity_start = anchor - datetime.timedelta(days=ACTIVITY_HISTORY_DAYS)
        self.ref = ref
        self.ids = ids
        self.tz = timezone.get_current_timezone()
        self.staff = {
            region: (ref.users[inside], ref.users[field_rep])
            for region, (inside, field_rep) in data.REGION_STAFF.items()
        }
        inside_by_team: dict[int | None, list[User]] = {}
        for inside, _field in self.staff.values():
            team = inside_by_team.setdefault(inside.team_id, [])
            if inside not in team:
                team.append(inside)
        self.colleagues = {user.pk: team for team in inside_by_team.values() for user in team}
        self.cities_by_region: dict[str, list[data.City]] = {}
        for city in data.CITIES:
            self.cities_by_region.setdefault(city.region, []).append(city)
        self._calendar = [
            self.order_start + datetime.timedelta(days=offset)
            for offset in range(-1, ORDER_HISTORY_DAYS + 1)
        ]
        self._seasonal_time = list(itertools.accumulate(_season(day) for day in self._calendar))
        self._customer_number = 10_000
        self._order_number = 0

    def _at(self, day: datetime.date, minutes: int) -> datetime.datetime:
        """An aware datetime on ``day``, ``minutes`` after midnight, in the site's time zone."""
        hour, minute = divmod(minutes, 60)
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def _rng(self, chunk: int, stage: str) -> random.Random:
        return random.Random(f"{self.dataset.seed}:{chunk}:{stage}")

    @staticmethod
    def _story_rng(stage: str) -> random.Random:
        # The story company is the same in every demo, whatever the seed and the size.
        return random.Random(f"story:{stage}")

    def _days_ago(self, days: int) -> datetime.date:
        return self.anchor - datetime.timedelta(days=days)

    # --- companies and contacts ---------------------------------------------------------

    def companies(self, chunk: int, count: int) -> CompanyBatch:
        rng = self._rng(chunk, "companies")
        fixed: list[data.FixedCompany] = [] if chunk else list(data.SOUND_ALIKES)
        plans = []
        if chunk == 0:
            plans.append(self._company(self._story_rng("company"), data.STORY_COMPANY, story=True))
        while len(plans) < count:
            plans.append(self._company(rng, fixed.pop(0) if fixed else None))
        self._assign_key_accounts(plans)
        rows: dict[type[models.Model], list[models.Model]] = {
            Company: [plan.company for plan in plans],
            CompanyAddress: [],
            Person: [],
            BuyingCenterMembership: [],
            Consent: [],
            ChannelVerification: [],
        }
        for plan in plans:
            contact_rng = self._story_rng("contacts") if plan.story else rng
            self._contacts(contact_rng, plan, rows)
        return CompanyBatch(plans=plans, rows=rows)

    def _assign_key_accounts(self, plans: list[CompanyPlan]) -> None:
        """The biggest ~3 % of the customers get the key-account manager."""
        customers = [p for p in plans if p.company.status == CompanyStatus.CUSTOMER and not p.story]
        customers.sort(key=lambda p: (-(p.company.purchasing_volume or 0), p.company.pk))
        for plan in customers[: max(1, round(len(customers) * 0.03))]:
            plan.company.key_account_manager = self.ref.users[data.KEY_ACCOUNT_MANAGER]

    def _next_customer_number(self, rng: random.Random) -> str:
        # Gaps, as in every ERP: numbers handed out to offers that never became customers.
        self._customer_number += rng.randint(1, 3)
        return f"K-{self._customer_number:06d}"

    def _company(
        self, rng: random.Random, fixed: data.FixedCompany | None, story: bool = False
    ) -> CompanyPlan:
        if fixed:
            city = CITY_BY_NAME[fixed.city, fixed.region]
            industry = INDUSTRY_BY_CODE[fixed.industry]
            status = fixed.status
        else:
            city, industry, status = CITIES.pick(rng), INDUSTRIES.pick(rng), STATUSES.pick(rng)
        region, country = city.region, city.region[:2]
        forms = data.LEGAL_FORMS[country if country != Country.CH else region]
        if fixed:
            legal = next(f for f in forms if f.form == fixed.legal_form)
            core = fixed.name.removesuffix(legal.text).strip()
        else:
            legal = LEGAL_FORMS[country if country != Country.CH else region].pick(rng)
            core = company_core_name(rng, city=city, industry=industry, legal=legal)
            # The story company and the sound-alikes must stay unique to be found.
            while f"{core} {legal.text}" in FIXED_NAMES:
                core = company_core_name(rng, city=city, industry=industry, legal=legal)
        median, spread = legal.employees
        employees = min(50_000, max(1, round(median * spread ** rng.gauss(0, 0.6))))
        revenue = employees * industry.revenue_per_employee * rng.uniform(0.75, 1.3)
        purchasing = max(1_000.0, revenue * rng.uniform(0.004, 0.02))
        if story:
            employees, revenue, purchasing = 180, 34_500_000.0, 420_000.0
        group_code = (
            fixed.customer_group
            if fixed
            else self._customer_group_code(rng, industry, employees, legal, core, status)
        )
        ordering = status in ORDERING
        profile = (
            self._order_profile(rng, status, purchasing, employees, industry, group_code, story)
            if ordering
            else None
        )
        source = (SOURCES_OF_CUSTOMERS if ordering else SOURCES_OF_PROSPECTS).pick(rng)
        if profile:
            created = (
                profile.since - datetime.timedelta(days=rng.randint(10, 120))
                if profile.since > self.order_start
                else self.order_start - datetime.timedelta(days=rng.randint(30, 3000))
            )
        else:
            created = self._days_ago(rng.randint(10, 1800))
        source_date = None
        if source in (AddressSource.BOUGHT_LIST, AddressSource.TRADE_FAIR):
            source_date = created - datetime.timedelta(days=rng.randint(0, 30))
        bought = source == AddressSource.BOUGHT_LIST

        street = f"{rng.choice(data.STREETS[_street_style(region)])} {rng.randint(1, 160)}"
        if rng.random() < 0.08:
            street += rng.choice("abc")
        postcode = rng.choice(city.postcodes)
        if story:
            street, postcode = data.STORY_ADDRESS
        phone, block = company_phone(rng, city, country, data.STORY_PHONE if story else "")
        domain = _domain_name(core, country)
        inside_rep, field_rep = self.staff[region]
        currency = Currency.CHF if country == Country.CH else Currency.EUR
        known = ordering or rng.random() < 0.7
        company = Company(
            id=self.ids.next(Company),
            customer_number=(
                self._next_customer_number(rng) if ordering or rng.random() < 0.08 else None
            ),
            name=f"{core} {legal.text}",
            legal_form=legal.form,
            status=status,
            street=street,
            postcode=postcode,
            city=city.name,
            country=country,
            phone=phone,
            email=(
                f"{'office' if country == Country.AT and rng.random() < 0.5 else 'info'}@{domain}"
                if story or rng.random() < 0.88
                else ""
            ),
            website=f"https://www.{domain}" if story or rng.random() < 0.92 else "",
            vat_id=vat_id(rng, country) if rng.random() < (0.85 if ordering else 0.3) else "",
            commercial_register=self._register_number(rng, country, legal),
            industry=self.ref.industries[industry.code],
            employees=employees,
            currency=currency,
            annual_revenue=_money(revenue, Decimal(10_000)) if known else None,
            purchasing_volume=_money(purchasing, Decimal(500)) if known else None,
            order_cycle_days=profile.cycle if profile else None,
            customer_group=self.ref.customer_groups.get(group_code),
            territory=self.ref.territories[region],
            inside_rep=inside_rep,
            field_rep=field_rep,
            source=source,
            source_vendor=rng.choice(data.LIST_VENDORS) if bought else "",
            source_date=source_date,
            source_licence=rng.choice(data.LIST_LICENCES) if bought else "",
            notes=rng.choice(data.COMPANY_NOTES) if rng.random() < 0.06 else "",
            created_at=self._at(created, _office_minutes(rng)),
        )
        company.search_text = company.build_search_text()
        return CompanyPlan(
            company=company,
            city=city,
            block=block,
            domain=domain,
            inside_rep=inside_rep,
            field_rep=field_rep,
            created=created,
            has_decider=not story and rng.random() < 0.7,
            profile=profile,
            story=story,
        )

    @staticmethod
    def _customer_group_code(
        rng: random.Random,
        industry: data.IndustrySpec,
        employees: int,
        legal: data.LegalFormSpec,
        core: str,
        status: str,
    ) -> str:
        if status == CompanyStatus.PROSPECT and rng.random() < 0.5:
            return ""
        if core.startswith("Stadtwerke"):
            return "OEFF"
        if industry.code == "GH":
            return "HANDEL"
        if employees >= 250 and industry.code in OEM_INDUSTRIES and rng.random() < 0.5:
            return "OEM"
        if (employees < 20 or legal.sole_trader) and rng.random() < 0.7:
            return "HANDWERK"
        return "A-IND"

    @staticmethod
    def _register_number(rng: random.Random, country: str, legal: data.LegalFormSpec) -> str:
        if country == Country.CH or rng.random() < 0.25:
            return ""
        if country == Country.AT:
            return f"FN {_digits(rng, 6)}{rng.choice('abdfgikmpstvwxyz')}"
        partnership = legal.form in ("kg", "ohg", "ek", "gmbh_co_kg")
        return (
            f"HRA {_digits(rng, 5)}" if partnership else f"HRB {_digits(rng, rng.choice((5, 6)))}"
        )

    def _order_profile(
        self,
        rng: random.Random,
        status: str,
        purchasing: float,
        employees: int,
        industry: data.IndustrySpec,
        group_code: str,
        story: bool,
    ) -> OrderProfile:
        # Bigger buyers order more often; every customer has its own rhythm.
        cycle = round(50 * (60_000 / purchasing) ** 0.2 * rng.lognormvariate(0, 0.45))
        cycle = min(180, max(7, cycle))
        since = self.order_start
        if status == CompanyStatus.CUSTOMER:
            if rng.random() < 0.2:
                since = self._days_ago(rng.randint(60, 900))
            last_order = self.yesterday - datetime.timedelta(days=rng.randint(0, int(cycle * 0.8)))
        elif status == CompanyStatus.FORMER:
            last_order = self._days_ago(rng.randint(365, 730))
        else:
            last_order = self._days_ago(rng.randint(45, 540))
            if rng.random() < 0.2:
                since = min(self._days_ago(rng.randint(400, 1000)), last_order)
        if story:
            cycle, since, last_order = 24, self.order_start, self._days_ago(12)
        groups = list(industry.product_groups)
        count = rng.randint(2, min(4, len(groups)))
        chosen = rng.sample(groups[: count + 1], count)
        assortment = [p for code in chosen for p in self.ref.products_by_group[code]]
        favourites = rng.sample(assortment, min(len(assortment), rng.randint(5, 15)))
        low, high = CUSTOMER_GROUP_BY_CODE[group_code].discount if group_code else (0, 3)
        discount = (Decimal(round(rng.uniform(low, high) * 2)) / 2).quantize(CENT)
        yearly = purchasing * rng.uniform(0.1, 0.6)
        line_value = yearly / (365 / cycle) / 3
        habit = rng.random()
        pay_delay = (8, 30) if habit < 0.7 else (25, 50) if habit < 0.95 else (40, 95)
        size = "large" if employees >= 250 else "medium" if employees >= 20 else "small"
        return OrderProfile(
            since=since,
            last_order=last_order,
            cycle=cycle,
            favourites=favourites,
            assortment=assortment,
            discount=discount,
            line_value=line_value,
            pay_delay=pay_delay,
            channels=ORDER_CHANNELS[size],
        )

    def _contacts(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        rows: dict[type[models.Model], list[models.Model]],
    ) -> None:
        company = plan.company
        self._addresses(rng, plan, rows[CompanyAddress])
        for person_plan in self._people(rng, plan):
            person = person_plan.person
            rows[Person].append(person)
            roles = person_plan.roles[:1]
            if len(person_plan.roles) > 1 and not plan.story and rng.random() < 0.3:
                roles = person_plan.roles
            rows[BuyingCenterMembership].extend(
                BuyingCenterMembership(
                    id=self.ids.next(BuyingCenterMembership),
                    company_id=company.pk,
                    person_id=person.pk,
                    role=role,
                    created_at=person.created_at,
                )
                for role in roles
            )
            if rng.random() < 0.5:
                rows[Consent].extend(self._consents(rng, plan, person))
            rows[ChannelVerification].extend(self._person_verifications(rng, plan, person))
        rows[ChannelVerification].extend(self._company_verifications(rng, plan))

    def _addresses(self, rng: random.Random, plan: CompanyPlan, out: list[models.Model]) -> None:
        company = plan.company
        style = data.STREETS[_street_style(plan.city.region)]
        extra: list[tuple[str, str, data.City]] = []
        if rng.random() < 0.12:
            other = plan.city
            if rng.random() < 0.4:
                other = rng.choice(self.cities_by_region[plan.city.region])
            addition = rng.choice(data.DELIVERY_ADDITIONS)
            extra.append((AddressKind.DELIVERY, addition, other))
        if rng.random() < 0.05:
            extra.append((AddressKind.VISITING, "Verwaltung", plan.city))
        if rng.random() < 0.03:
            extra.append((AddressKind.BILLING, "Buchhaltung", plan.city))
        for kind, addition, city in extra:
            out.append(
                CompanyAddress(
                    id=self.ids.next(CompanyAddress),
                    company_id=company.pk,
                    kind=kind,
                    addition=addition,
                    street=f"{rng.choice(style)} {rng.randint(1, 160)}",
                    postcode=rng.choice(city.postcodes),
                    city=city.name,
                    country=company.country,
                    created_at=company.created_at,
                )
            )

    def _people(self, rng: random.Random, plan: CompanyPlan) -> list[PersonPlan]:
        if plan.story:
            return [
                self._person(
                    rng,
                    plan,
                    FUNCTIONS_BY_NAME[p.function],
                    p.roles,
                    name=(p.salutation, p.title, p.first_name, p.last_name),
                )
                for p in data.STORY_PEOPLE
            ]
        employees = plan.company.employees or 1
        if employees < 10:
            count = rng.choice((1, 2, 2, 3))
        elif employees < 50:
            count = rng.choice((2, 3, 3, 4))
        elif employees < 250:
            count = rng.choice((3, 4, 4, 5))
        else:
            count = rng.choice((4, 5, 6, 7))
        functions: list[data.FunctionSpec] = []
        if plan.has_decider:
            if employees < 10 or plan.company.legal_form in ("ek", "eu", "ohg", "og"):
                functions.append(FUNCTIONS_BY_NAME["Inhaber"])
            elif rng.random() < 0.75:
                functions.append(FUNCTIONS_BY_NAME["Geschäftsführer"])
            else:
                functions.append(FUNCTIONS_BY_NAME["Kaufmännischer Leiter"])
        while len(functions) < count:
            spec = CONTACT_FUNCTIONS.pick(rng)
            if spec not in functions or spec.male == "Sachbearbeiter Einkauf":
                functions.append(spec)
        return [self._person(rng, plan, spec, spec.roles) for spec in functions]

    def _person(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        spec: data.FunctionSpec,
        roles: tuple[str, ...],
        name: tuple[str, str, str, str] | None = None,
    ) -> PersonPlan:
        company = plan.company
        if name:
            salutation, title, first, last = name
        else:
            male = rng.random() < MALE_SHARE[spec.kind]
            first, last = person_name(rng, _locale(plan.city.region), "m" if male else "f")
            salutation = Salutation.MR if male else Salutation.MS
            title = _title(rng, spec.kind, company.country)
        if spec.kind == "assistant" and spec.department == "Zentrale":
            phone = company.phone
        else:
            phone = direct_phone(rng, plan.block) if rng.random() < 0.9 else ""
        created = _between(
            rng, plan.created, min(self.yesterday, plan.created + datetime.timedelta(days=900))
        )
        person = Person(
            id=self.ids.next(Person),
            company=company,
            salutation=salutation,
            title=title,
            first_name=first,
            last_name=last,
            function=spec.male if salutation == Salutation.MR else spec.female,
            department=spec.department,
            authority=spec.authority,
            phone=phone,
            mobile=(
                mobile_phone(rng, company.country) if rng.random() < MOBILE_SHARE[spec.kind] else ""
            ),
            email=f"{email_local(first, last)}@{plan.domain}" if rng.random() < 0.92 else "",
            best_time_to_reach=(
                rng.choice(data.BEST_TIMES_TO_REACH) if rng.random() < 0.12 else ""
            ),
            key_criteria=(
                rng.choice(data.KEY_CRITERIA[spec.kind])
                if spec.kind in data.KEY_CRITERIA and rng.random() < 0.2
                else ""
            ),
            created_at=max(company.created_at, self._at(created, _office_minutes(rng))),
        )
        person.search_text = person.build_search_text()
        plan.people.append(PersonPlan(person=person, function=spec, roles=roles))
        return plan.people[-1]

    def _consents(self, rng: random.Random, plan: CompanyPlan, person: Person) -> list[Consent]:
        """Entries of the consent ledger; some grants are withdrawn later by a newer entry."""
        entries = []
        customer = plan.company.status in ORDERING
        channels = [
            channel
            for channel, present, chance in (
                (Channel.EMAIL, person.email, 0.8),
                (Channel.PHONE, person.phone, 0.45),
                (Channel.POSTAL, True, 0.3),
            )
            if present and rng.random() < chance
        ]
        for channel in channels or [Channel.POSTAL]:
            sources = [s for s in data.CONSENT_SOURCES[channel] if customer or not s.customers_only]
            source = rng.choice(sources)
            granted_on = _between(rng, person.created_at.date(), self.yesterday)
            text = source.text.format(
                fair=f"{rng.choice(data.TRADE_FAIRS)} {granted_on.year}",
                vendor=plan.company.source_vendor or rng.choice(data.LIST_VENDORS),
            )
            # Web sign-ups and bought lists are imported by marketing.
            by = plan.inside_rep if source.by_rep else self.ref.users[data.MARKETING]
            entries.append(
                Consent(
                    id=self.ids.next(Consent),
                    person_id=person.pk,
                    channel=channel,
                    status=ConsentStatus.GRANTED,
                    recorded_on=granted_on,
                    source=text,
                    legal_basis=source.legal_basis,
                    recorded_by=by,
                )
            )
            if rng.random() < 0.08 and granted_on < self.yesterday:
                entries.append(
                    Consent(
                        id=self.ids.next(Consent),
                        person_id=person.pk,
                        channel=channel,
                        status=ConsentStatus.WITHDRAWN,
                        recorded_on=_between(
                            rng, granted_on + datetime.timedelta(days=1), self.yesterday
                        ),
                        source=rng.choice(data.CONSENT_WITHDRAWALS[channel]),
                        legal_basis=source.legal_basis,
                        recorded_by=plan.inside_rep,
                        note="Bitte keine Werbung mehr.",
                    )
                )
        return entries

    def _verified_at(self, rng: random.Random, since: datetime.datetime) -> datetime.datetime:
        day = _workday(_between(rng, max(since.date(), self._days_ago(400)), self.yesterday))
        return self._at(max(day, since.date()), _office_minutes(rng))

    def _person_verifications(
        self, rng: random.Random, plan: CompanyPlan, person: Person
    ) -> list[ChannelVerification]:
        checks = []
        if person.email and rng.random() < 0.2:
            checks.append((Channel.EMAIL, person.email, VerificationMethod.EMAIL))
        if person.phone and rng.random() < 0.12:
            checks.append((Channel.PHONE, person.phone, VerificationMethod.PHONE))
        return [
            ChannelVerification(
                id=self.ids.next(ChannelVerification),
                person_id=person.pk,
                channel=channel,
                value=value,
                method=method,
                verified_by=plan.inside_rep,
                verified_at=self._verified_at(rng, person.created_at),
            )
            for channel, value, method in checks
        ]

    def _company_verifications(
        self, rng: random.Random, plan: CompanyPlan
    ) -> list[ChannelVerification]:
        company = plan.company
        checks = []
        if company.phone and rng.random() < 0.15:
            checks.append((Channel.PHONE, company.phone, VerificationMethod.PHONE))
        if rng.random() < 0.05:
            postal = f"{company.street}, {company.postcode} {company.city}"
            method = rng.choice((VerificationMethod.REGISTER, VerificationMethod.WEBSITE))
            checks.append((Channel.POSTAL, postal, method))
        return [
            ChannelVerification(
                id=self.ids.next(ChannelVerification),
                company_id=company.pk,
                channel=channel,
                value=value,
                method=method,
                verified_by=plan.inside_rep,
                verified_at=self._verified_at(rng, company.created_at),
            )
            for channel, value, method in checks
        ]

    # --- orders -------------------------------------------------------------------------

    def orders(self, chunk: int, batch: CompanyBatch) -> tuple[list[Order], list[OrderLineRow]]:
        rng = self._rng(chunk, "orders")
        orders: list[Order] = []
        lines: list[OrderLineRow] = []
        for plan in batch.plans:
            if plan.profile is None:
                continue
            plan_rng = self._story_rng("orders") if plan.story else rng
            for day in self._order_days(plan_rng, plan.profile):
                self._order(plan_rng, plan, day, orders, lines)
        return orders, lines

    def _order_days(self, rng: random.Random, profile: OrderProfile) -> list[datetime.date]:
        """Order dates from the newest backwards.

        The rhythm runs in seasonal time (the running sum of ``SEASON`` over the calendar), so
        orders thin out in August and late December and gather in spring and autumn.
        """
        origin = self._calendar[0].toordinal()
        index = profile.last_order.toordinal() - origin
        first = max(1, profile.since.toordinal() - origin)
        position = self._seasonal_time[index]
        days = []
        while index >= first:
            days.append(self._calendar[index])
            position -= profile.cycle * rng.lognormvariate(0, 0.35)
            index = min(index - 1, bisect.bisect_left(self._seasonal_time, position))
        days.reverse()
        return days

    def _order(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        day: datetime.date,
        orders: list[Order],
        lines: list[OrderLineRow],
    ) -> None:
        profile, company = plan.profile, plan.company
        assert profile is not None
        source = profile.channels.pick(rng)
        minutes = _office_minutes(rng)
        if source == OrderSource.WEB_SHOP:
            minutes = rng.randrange(0, 24 * 60)
        else:
            day = _workday(day)
        products: list[Product] = []
        for _ in range(LINES_PER_ORDER.pick(rng)):
            pool = profile.favourites if rng.random() < 0.7 else profile.assortment
            product = rng.choice(pool)
            if product not in products:
                products.append(product)
        taken_by = None
        if source == OrderSource.INSIDE_SALES:
            taken_by = plan.inside_rep
            if rng.random() < 0.1:
                taken_by = rng.choice(self.colleagues[plan.inside_rep.pk])
        elif source == OrderSource.FIELD_SALES:
            taken_by = plan.field_rep
        self._order_number += 1
        order = Order(
            id=self.ids.next(Order),
            number=f"AU{day:%y}-{self._order_number:07d}",
            company_id=company.pk,
            ordered_on=day,
            source=source,
            currency=company.currency,
            taken_by=taken_by,
            created_at=self._at(day, minutes),
        )
        self._progress(rng, order, plan, products, cancellable=not plan.story)
        orders.append(order)
        for product in products:
            price, cost = self.ref.price(product, company.currency)
            quantity = self._quantity(rng, product, price, profile.line_value)
            service = self.ref.group_codes[product.group_id] == data.SERVICE_GROUP
            lines.append(
                OrderLineRow(
                    self.ids.next(OrderLine),
                    order.pk,
                    product.pk,
                    quantity,
                    price,
                    Decimal(0) if service else profile.discount,
                    cost,
                )
            )

    def _progress(
        self,
        rng: random.Random,
        order: Order,
        plan: CompanyPlan,
        products: list[Product],
        cancellable: bool,
    ) -> None:
        """Status and the dates that go with it, as far as the anchor date allows."""
        day = order.ordered_on
        confirmed = day + datetime.timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        if cancellable and rng.random() < 0.02:
            order.status = OrderStatus.CANCELLED
            order.confirmed_on = (
                confirmed if confirmed <= self.yesterday and rng.random() < 0.5 else None
            )
            return
        if confirmed > self.yesterday:
            order.status = OrderStatus.RECEIVED
            return
        lead = rng.randint(1, 4)
        if any(p.stock == 0 for p in products) or rng.random() < 0.15:
            lead = max([lead] + [p.lead_time_days for p in products])
        delivery = confirmed + datetime.timedelta(days=lead)
        order.confirmed_on, order.delivery_on = confirmed, delivery
        if delivery > self.yesterday:
            order.status = OrderStatus.CONFIRMED
            return
        order.status = OrderStatus.DELIVERED
        invoiced = delivery + datetime.timedelta(days=rng.choice((0, 0, 1)))
        if invoiced > self.yesterday:
            invoiced = delivery
        paid = invoiced + datetime.timedelta(days=rng.randint(*plan.profile.pay_delay))
        order.invoiced_on = invoiced
        order.payment_due_on = invoiced + datetime.timedelta(days=30)
        order.paid_on = paid if paid <= self.yesterday else None

    @staticmethod
    def _quantity(
        rng: random.Random, product: Product, price: Decimal, line_value: float
    ) -> Decimal:
        raw = line_value * rng.lognormvariate(0, 0.5) / max(float(price), 0.5)
        if product.unit == Unit.HOUR:
            return Decimal(str(min(40.0, max(1.0, round(raw * 2) / 2))))
        if product.unit in (Unit.METER, Unit.LITER):
            return Decimal(min(2_000, max(5, round(raw / 5) * 5)))
        count = max(1, round(raw))
        if count > 20:
            count = round(count, -1)
        return Decimal(min(5_000, count))

    # --- activities ---------------------------------------------------------------------

    def activities(self, chunk: int, batch: CompanyBatch) -> list[Activity]:
        rng = self._rng(chunk, "activities")
        rows: list[Activity] = []
        kam_task_given = chunk != 0
        for plan in batch.plans:
            if plan.story:
                rows.extend(self._story_timeline(plan))
                continue
            rows.extend(self._history(rng, plan))
            rows.extend(self._tasks(rng, plan))
            if plan.company.key_account_manager and not kam_task_given:
                # Every demo has at least one task for the key-account login.
                rows.append(self._role_task(rng, plan, data.KEY_ACCOUNT_MANAGER, upcoming=True))
                kam_task_given = True
        if chunk == 0:
            rows.extend(self._showcase_tasks(rng, batch))
        return rows

    def _activity(
        self,
        plan: CompanyPlan,
        kind: str,
        subject: str,
        author: User,
        when: datetime.datetime,
        person: Person | None = None,
        outcome: str = "",
        notes: str = "",
    ) -> Activity:
        return Activity(
            id=self.ids.next(Activity),
            kind=kind,
            company_id=plan.company.pk,
            person_id=person.pk if person else None,
            subject=subject,
            notes=notes,
            outcome=outcome,
            occurred_at=when,
            done=True,
            done_at=when,
            created_by_id=author.pk,
            created_at=when,
        )

    def _task(
        self,
        plan: CompanyPlan,
        subject: str,
        user: User,
        due: datetime.datetime,
        created: datetime.datetime,
        person: Person | None = None,
        follow_up_of: Activity | None = None,
    ) -> Activity:
        return Activity(
            id=self.ids.next(Activity),
            kind=ActivityType.TASK,
            company_id=plan.company.pk,
            person_id=person.pk if person else None,
            subject=subject,
            due_at=due,
            done=False,
            assigned_to_id=user.pk,
            created_by_id=user.pk,
            follow_up_of_id=follow_up_of.pk if follow_up_of else None,
            created_at=created,
        )

    def _history(self, rng: random.Random, plan: CompanyPlan) -> list[Activity]:
        company, status = plan.company, plan.company.status
        low, high = {
            CompanyStatus.CUSTOMER: (3, 11),
            CompanyStatus.PROSPECT: (0, 5),
            CompanyStatus.FORMER: (1, 5),
            CompanyStatus.LOST: (2, 6),
        }[status]
        start = max(self.activity_start, plan.created + datetime.timedelta(days=1))
        people = [p.person for p in plan.people]
        gatekeepers = [p.person for p in plan.people if p.function.kind == "assistant"]
        rows = []
        for _ in range(rng.randint(low, high)):
            kind = DONE_KINDS.pick(rng)
            if (
                kind in (ActivityType.VISIT, ActivityType.MEETING)
                and status != CompanyStatus.CUSTOMER
                and rng.random() < 0.6
            ):
                kind = ActivityType.CALL
            day = max(start, _workday(_between(rng, start, self.yesterday)))
            when = self._at(min(day, self.yesterday), _office_minutes(rng))
            person = rng.choice(people) if people and rng.random() < 0.9 else None
            author = (
                plan.inside_rep
                if rng.random() < 0.9
                else rng.choice(self.colleagues[plan.inside_rep.pk])
            )
            outcome = ""
            if kind == ActivityType.CALL:
                outcome = CALL_OUTCOMES.pick(rng)
                subject = rng.choice(data.CALL_SUBJECTS[outcome])
                if outcome == CallOutcome.GATEKEEPER:
                    person = rng.choice(gatekeepers) if gatekeepers else None
            elif kind == ActivityType.EMAIL:
                subject = rng.choice(data.EMAIL_SUBJECTS)
            elif kind == ActivityType.VISIT:
                subject, author = rng.choice(data.VISIT_SUBJECTS), plan.field_rep
            elif kind == ActivityType.MEETING:
                subject = rng.choice(data.MEETING_SUBJECTS)
                if subject == "Jahresgespräch":
                    subject = f"Jahresgespräch {day.year}"
                author = company.key_account_manager or plan.field_rep
            else:
                subject = rng.choice(data.NOTE_SUBJECTS)
            notes = rng.choice(data.ACTIVITY_NOTES) if rng.random() < 0.35 else ""
            rows.append(self._activity(plan, kind, subject, author, when, person, outcome, notes))
        if status == CompanyStatus.LOST and plan.profile:
            day = _workday(
                min(
                    self.yesterday,
                    plan.profile.last_order + datetime.timedelta(days=rng.randint(10, 60)),
                )
            )
            rows.append(
                self._activity(
                    plan,
                    ActivityType.CALL,
                    rng.choice(data.CALL_SUBJECTS["bought_elsewhere"]),
                    plan.inside_rep,
                    self._at(day, _office_minutes(rng)),
                    rng.choice(people) if people else None,
                    CallOutcome.BOUGHT_ELSEWHERE,
                )
            )
        return rows

    def _due(self, rng: random.Random, days: int) -> datetime.datetime:
        day = self.anchor + datetime.timedelta(days=days)
        while days > 0 and day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return self._at(day, rng.randrange(8 * 60, 16 * 60 + 1, 15))

    def _due_offset(self, rng: random.Random) -> int:
        """Some tasks overdue, some due today, most in the coming days."""
        roll = rng.random()
        if roll < 0.2:
            return -rng.randint(1, 14)
        if roll < 0.35:
            return 0
        return rng.randint(1, 21)

    def _tasks(self, rng: random.Random, plan: CompanyPlan) -> list[Activity]:
        company, status = plan.company, plan.company.status
        chance = {
            CompanyStatus.CUSTOMER: 0.22,
            CompanyStatus.PROSPECT: 0.15,
            CompanyStatus.FORMER: 0.08,
            CompanyStatus.LOST: 0.05,
        }[status]
        rows: list[Activity] = []
        if rng.random() < chance:
            offset = self._due_offset(rng)
            due = self._due(rng, offset)
            people = [p.person for p in plan.people]
            person = rng.choice(people) if people else None
            if status == CompanyStatus.FORMER:
                subject = data.TASK_FORMER_CUSTOMER
            elif not plan.has_decider and rng.random() < 0.35:
                subject = data.TASK_DECIDER_UNKNOWN
            else:
                subject = rng.choice(data.TASK_SUBJECTS)
            call = None
            call_day = self.anchor + datetime.timedelta(days=offset - rng.randint(1, 10))
            call_day = max(plan.created + datetime.timedelta(days=1), min(self.yesterday, call_day))
            created = self._at(_workday(call_day), _office_minutes(rng))
            if person and rng.random() < 0.4:
                call = self._activity(
                    plan,
                    ActivityType.CALL,
                    rng.choice(data.CALL_SUBJECTS["callback"]),
                    plan.inside_rep,
                    created,
                    person,
                    CallOutcome.CALLBACK,
                )
                rows.append(call)
                salutation = "Herr" if person.salutation == Salutation.MR else "Frau"
                subject = f"Rückruf {salutation} {person.last_name}"
            rows.append(self._task(plan, subject, plan.inside_rep, due, created, person, call))
        if status in (CompanyStatus.CUSTOMER, CompanyStatus.PROSPECT) and rng.random() < 0.05:
            rows.append(self._role_task(rng, plan, plan.field_rep.username, upcoming=True))
        if company.key_account_manager and rng.random() < 0.5:
            rows.append(self._role_task(rng, plan, data.KEY_ACCOUNT_MANAGER))
        for username in ("marketing", "produkt", "leitung", "admin"):
            if rng.random() < 0.003:
                rows.append(self._role_task(rng, plan, username))
        return rows

    def _role_task(
        self, rng: random.Random, plan: CompanyPlan, username: str, upcoming: bool = False
    ) -> Activity:
        user = self.ref.users[username]
        subjects = data.ROLE_TASKS.get(username, data.ROLE_TASKS["aussendienst"])
        offset = rng.randint(1, 5) if upcoming else self._due_offset(rng)
        created = self._at(
            _workday(self.anchor - datetime.timedelta(days=rng.randint(1, 20))),
            _office_minutes(rng),
        )
        return self._task(plan, rng.choice(subjects), user, self._due(rng, offset), created)

    def _showcase_tasks(self, rng: random.Random, batch: CompanyBatch) -> list[Activity]:
        """Tasks on the fixed companies, so that every login's "Mein Tag" shows something."""
        by_name = {plan.company.name: plan for plan in batch.plans}
        assignments = (
            ("Mueller Metallbau GmbH", "marketing", 0),
            ("Mueller Metallbau GmbH", "admin", 0),
            ("Mayer Elektrotechnik AG", "produkt", 1),
            ("Meyer & Söhne KG", "leitung", 0),
            ("Maier Kunststofftechnik GmbH", "aussendienst", 2),
        )
        created = self._at(_workday(self._days_ago(3)), 9 * 60)
        return [
            self._task(
                by_name[name],
                data.ROLE_TASKS[username][0],
                self.ref.users[username],
                self._due(rng, days),
                created,
            )
            for name, username, days in assignments
            if name in by_name
        ]

    def _story_timeline(self, plan: CompanyPlan) -> list[Activity]:
        """A year of calls and visits at Müller Maschinenbau, ending in a callback due today."""
        lena, thomas = plan.inside_rep, plan.field_rep
        reiter, huber, seidl, kastner = (p.person for p in plan.people)
        script: tuple[tuple[int, int, str, str, User, Person, str, str], ...] = (
            (350, 600, ActivityType.VISIT, "Jahresgespräch", thomas, reiter, "",
             "Rahmenvertrag Zerspanung angesprochen; Entscheidung trifft die Geschäftsführung."),
            (320, 615, ActivityType.CALL, "Bedarfsabfrage Zerspanung", lena, reiter,
             CallOutcome.REACHED, "Bedarf an VHM-Bohrern steigt mit der neuen Fertigungslinie."),
            (290, 840, ActivityType.EMAIL, "Angebot Wendeschneidplatten versendet", lena, reiter,
             "", ""),
            (260, 570, ActivityType.CALL, "Geschäftsführung sprechen", lena, seidl,
             CallOutcome.GATEKEEPER, "Frau Seidl stellt nicht durch, Geschäftsführung im Termin."),
            (230, 780, ActivityType.VISIT, "Lagerbegehung C-Teile-Management", thomas, huber, "",
             "Kanban für Befestigungstechnik wäre interessant."),
            (200, 660, ActivityType.CALL, "Produktneuheiten vorgestellt", lena, kastner,
             CallOutcome.REACHED, "Hr. Kastner möchte VHM-Fräser testen."),
            (170, 900, ActivityType.NOTE, "Entscheider weiterhin unbekannt", lena, None, "",
             "Geschäftsführer laut Einkauf 'nicht für Lieferanten zu sprechen'."),
            (140, 630, ActivityType.CALL, "Datenblätter angefordert", lena, reiter,
             CallOutcome.SEND_INFORMATION, ""),
            (110, 540, ActivityType.VISIT, "Werkzeugtest an der Maschine", thomas, kastner, "",
             "Standzeit +30 % gegenüber dem bisherigen Lieferanten."),
            (80, 585, ActivityType.CALL, "Termin mit Geschäftsführung", lena, seidl,
             CallOutcome.GATEKEEPER, ""),
            (60, 600, ActivityType.MEETING, "Rahmenvertragsverhandlung", thomas, reiter, "",
             "Konditionen für 24 Monate besprochen, Freigabe fehlt."),
            (35, 690, ActivityType.CALL, "Bestellung telefonisch aufgenommen", lena, reiter,
             CallOutcome.REACHED, ""),
            (20, 810, ActivityType.VISIT, "Bedarfsanalyse Instandhaltung", thomas, huber, "", ""),
            (6, 645, ActivityType.CALL, "Rückruf erbeten: Rahmenvertrag Zerspanung", lena, reiter,
             CallOutcome.CALLBACK, "Fr. Reiter klärt intern, wer den Rahmenvertrag freigibt."),
        )  # fmt: skip
        rows = [
            self._activity(
                plan,
                kind,
                subject,
                author,
                self._at(_workday(self._days_ago(days)), minutes),
                person,
                outcome,
                notes,
            )
            for days, minutes, kind, subject, author, person, outcome, notes in script
        ]
        rows.append(
            self._task(
                plan, "Rückruf Frau Reiter: Rahmenvertrag Zerspanung", lena,
                self._at(self.anchor, 10 * 60), rows[-1].occurred_at, reiter, rows[-1],
            )
        )  # fmt: skip
        return rows
