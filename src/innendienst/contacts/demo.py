"""Demo data of the contacts app: companies, people, buying-center roles, addresses and
verified channels, plus the industries and customer groups they belong to.

The companies are planned here for all later steps: a ``CompanyPlan`` carries what the
orders, activities and consents of a company depend on (its people, its reps, how it buys).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from innendienst.accounts.models import User
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
    Priority,
    Salutation,
    VerificationMethod,
)
from innendienst.core.models import Country, Currency
from innendienst.core.text import fold
from innendienst.demo import data
from innendienst.demo.kit import (
    CENT,
    FIRST_NAMES,
    LAST_NAMES,
    Chunk,
    PhoneBlock,
    Run,
    Step,
    Weighted,
    between,
    company_phone,
    digits,
    direct_phone,
    email_local,
    locale_of,
    mobile_phone,
    money,
    office_minutes,
    person_name,
    vat_id,
    workday,
)

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
OEM_INDUSTRIES = {"MB", "AZ", "ET", "KT", "MT"}
# The statuses of companies that order, or have ordered.
ORDERING = (CompanyStatus.CUSTOMER, CompanyStatus.FORMER, CompanyStatus.LOST)
MALE_SHARE = {"management": 0.78, "owner": 0.8, "technical": 0.82, "purchasing": 0.5,
              "assistant": 0.12, "other": 0.55}  # fmt: skip
MOBILE_SHARE = {"management": 0.6, "owner": 0.8, "technical": 0.4, "purchasing": 0.2,
                "assistant": 0.05, "other": 0.1}  # fmt: skip


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


# --- names ------------------------------------------------------------------------------


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
    region, locale = city.region, locale_of(city.region)
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


def _domain_name(core: str, country: str) -> str:
    words = [w for w in fold(core).split() if w not in {"und", "et", "e"}]
    label = "-".join(words)[:40].strip("-")
    return f"{label}.{data.TOP_LEVEL_DOMAINS[country]}"


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


# --- plans --------------------------------------------------------------------------------


@dataclass
class BuyingHabits:
    """How a company that orders buys: rhythm, period, prices and payment habits.

    Drawn with the company, whose creation date and order cycle follow from them; the orders
    step turns them into orders.
    """

    since: datetime.date  # first possible order
    last_order: datetime.date  # the newest order; older ones follow the rhythm backwards
    cycle: int
    discount: Decimal
    line_value: float  # EUR per order line, before the jitter
    pay_delay: tuple[int, int]  # days from invoice to payment
    size: str  # "large", "medium" or "small" by employees: large buyers order through EDI


@dataclass
class PersonPlan:
    person: Person
    function: data.FunctionSpec
    roles: tuple[str, ...]


@dataclass
class CompanyPlan:
    company: Company
    city: data.City
    industry: data.IndustrySpec
    block: PhoneBlock
    domain: str
    inside_rep: User
    field_rep: User
    created: datetime.date
    has_decider: bool
    habits: BuyingHabits | None
    people: list[PersonPlan] = field(default_factory=list)
    story: bool = False
    # As written: what the qualification's scores of the demo read.
    memberships: list[BuyingCenterMembership] = field(default_factory=list)
    verifications: list[ChannelVerification] = field(default_factory=list)


def company_plans(chunk: Chunk) -> list[CompanyPlan]:
    """The chunk's companies as this step planned them: what the later steps build on."""
    return chunk.results["contacts"]


class ContactStep(Step):
    """Companies with their people, roles, further addresses and verified channels."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.industries: dict[str, Industry] = {}
        for spec in data.INDUSTRIES:
            self.industries[spec.code], _ = Industry.objects.update_or_create(
                code=spec.code, defaults={"name": spec.name}
            )
        self.customer_groups: dict[str, CustomerGroup] = {}
        for group in data.CUSTOMER_GROUPS:
            self.customer_groups[group.code], _ = CustomerGroup.objects.update_or_create(
                code=group.code, defaults={"name": group.name, "description": group.description}
            )
        run.count(Industry, len(self.industries))
        run.count(CustomerGroup, len(self.customer_groups))
        self.cities_by_region: dict[str, list[data.City]] = {}
        for city in data.CITIES:
            self.cities_by_region.setdefault(city.region, []).append(city)
        self._customer_number = 10_000

    def chunk(self, chunk: Chunk) -> list[CompanyPlan]:
        run = self.run
        rng = run.rng(chunk, "companies")
        fixed: list[data.FixedCompany] = [] if chunk.index else list(data.SOUND_ALIKES)
        plans = []
        if chunk.index == 0:
            plans.append(self._company(run.story_rng("company"), data.STORY_COMPANY, story=True))
        while len(plans) < chunk.companies:
            plans.append(self._company(rng, fixed.pop(0) if fixed else None))
        self._assign_key_accounts(plans)
        self._rate_prospects(run.rng(chunk, "priorities"), plans)
        rows: dict[type[models.Model], list[models.Model]] = {
            Company: [plan.company for plan in plans],
            CompanyAddress: [],
            Person: [],
            BuyingCenterMembership: [],
            ChannelVerification: [],
        }
        for plan in plans:
            contact_rng = run.story_rng("contacts") if plan.story else rng
            self._contacts(contact_rng, plan, rows)
        for model, model_rows in rows.items():
            run.write(model, model_rows)
        return plans

    # --- companies ----------------------------------------------------------------------

    def _assign_key_accounts(self, plans: list[CompanyPlan]) -> None:
        """The biggest ~3 % of the customers get the key-account manager."""
        customers = [p for p in plans if p.company.status == CompanyStatus.CUSTOMER and not p.story]
        customers.sort(key=lambda p: (-(p.company.purchasing_volume or 0), p.company.pk))
        manager = self.run.organisation.users[data.KEY_ACCOUNT_MANAGER]
        for plan in customers[: max(1, round(len(customers) * 0.03))]:
            plan.company.key_account_manager = manager

    def _next_customer_number(self, rng: random.Random) -> str:
        # Gaps, as in every ERP: numbers handed out to offers that never became customers.
        self._customer_number += rng.randint(1, 3)
        return f"K-{self._customer_number:06d}"

    def _company(
        self, rng: random.Random, fixed: data.FixedCompany | None, story: bool = False
    ) -> CompanyPlan:
        run = self.run
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
        habits = (
            self._buying_habits(rng, status, purchasing, employees, group_code, story)
            if ordering
            else None
        )
        source = (SOURCES_OF_CUSTOMERS if ordering else SOURCES_OF_PROSPECTS).pick(rng)
        if habits:
            created = (
                habits.since - datetime.timedelta(days=rng.randint(10, 120))
                if habits.since > run.order_start
                else run.order_start - datetime.timedelta(days=rng.randint(30, 3000))
            )
        else:
            created = run.days_ago(rng.randint(10, 1800))
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
        inside_rep, field_rep = run.staff[region]
        currency = Currency.CHF if country == Country.CH else Currency.EUR
        known = ordering or rng.random() < 0.7
        company = Company(
            id=run.ids.next(Company),
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
            industry=self.industries[industry.code],
            employees=employees,
            currency=currency,
            annual_revenue=money(revenue, Decimal(10_000)) if known else None,
            purchasing_volume=money(purchasing, Decimal(500)) if known else None,
            order_cycle_days=habits.cycle if habits else None,
            customer_group=self.customer_groups.get(group_code),
            territory=run.organisation.territories[region],
            inside_rep=inside_rep,
            field_rep=field_rep,
            source=source,
            source_vendor=rng.choice(data.LIST_VENDORS) if bought else "",
            source_date=source_date,
            source_licence=rng.choice(data.LIST_LICENCES) if bought else "",
            notes=rng.choice(data.COMPANY_NOTES) if rng.random() < 0.06 else "",
            created_at=run.at(created, office_minutes(rng)),
        )
        company.search_text = company.build_search_text()
        return CompanyPlan(
            company=company,
            city=city,
            industry=industry,
            block=block,
            domain=domain,
            inside_rep=inside_rep,
            field_rep=field_rep,
            created=created,
            has_decider=not story and rng.random() < 0.7,
            habits=habits,
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
            return f"FN {digits(rng, 6)}{rng.choice('abdfgikmpstvwxyz')}"
        partnership = legal.form in ("kg", "ohg", "ek", "gmbh_co_kg")
        return f"HRA {digits(rng, 5)}" if partnership else f"HRB {digits(rng, rng.choice((5, 6)))}"

    def _buying_habits(
        self,
        rng: random.Random,
        status: str,
        purchasing: float,
        employees: int,
        group_code: str,
        story: bool,
    ) -> BuyingHabits:
        run = self.run
        # Bigger buyers order more often; every customer has its own rhythm.
        cycle = round(50 * (60_000 / purchasing) ** 0.2 * rng.lognormvariate(0, 0.45))
        cycle = min(180, max(7, cycle))
        since = run.order_start
        if status == CompanyStatus.CUSTOMER:
            if rng.random() < 0.2:
                since = run.days_ago(rng.randint(60, 900))
            last_order = run.yesterday - datetime.timedelta(days=rng.randint(0, int(cycle * 0.8)))
        elif status == CompanyStatus.FORMER:
            last_order = run.days_ago(rng.randint(365, 730))
        else:
            last_order = run.days_ago(rng.randint(45, 540))
            if rng.random() < 0.2:
                since = min(run.days_ago(rng.randint(400, 1000)), last_order)
        if story:
            cycle, since, last_order = 24, run.order_start, run.days_ago(12)
        low, high = CUSTOMER_GROUP_BY_CODE[group_code].discount if group_code else (0, 3)
        discount = (Decimal(round(rng.uniform(low, high) * 2)) / 2).quantize(CENT)
        yearly = purchasing * rng.uniform(0.1, 0.6)
        line_value = yearly / (365 / cycle) / 3
        habit = rng.random()
        pay_delay = (8, 30) if habit < 0.7 else (25, 50) if habit < 0.95 else (40, 95)
        return BuyingHabits(
            since=since,
            last_order=last_order,
            cycle=cycle,
            discount=discount,
            line_value=line_value,
            pay_delay=pay_delay,
            size="large" if employees >= 250 else "medium" if employees >= 20 else "small",
        )

    def _rate_prospects(self, rng: random.Random, plans: list[CompanyPlan]) -> None:
        """The inside rep's rating of most prospects for field sales: priority, success
        probability, and now and then a need that will not wait."""
        ranges = {Priority.A: (50, 90), Priority.B: (25, 60), Priority.C: (5, 30)}
        for plan in plans:
            company = plan.company
            if company.status != CompanyStatus.PROSPECT or rng.random() < 0.4:
                continue
            company.priority = rng.choices(list(ranges), weights=(20, 45, 35))[0]
            low, high = ranges[company.priority]
            company.success_probability = 5 * rng.randint(low // 5, high // 5)
            if company.priority == Priority.A and rng.random() < 0.35:
                company.acute_need = rng.choice(data.ACUTE_NEEDS)

    # --- contacts -----------------------------------------------------------------------

    def _contacts(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        rows: dict[type[models.Model], list[models.Model]],
    ) -> None:
        ids = self.run.ids
        company = plan.company
        self._addresses(rng, plan, rows[CompanyAddress])
        for person_plan in self._people(rng, plan):
            person = person_plan.person
            rows[Person].append(person)
            roles = person_plan.roles[:1]
            if len(person_plan.roles) > 1 and not plan.story and rng.random() < 0.3:
                roles = person_plan.roles
            plan.memberships.extend(
                BuyingCenterMembership(
                    id=ids.next(BuyingCenterMembership),
                    company_id=company.pk,
                    person_id=person.pk,
                    role=role,
                    created_at=person.created_at,
                )
                for role in roles
            )
            plan.verifications.extend(self._person_verifications(rng, plan, person))
        plan.verifications.extend(self._company_verifications(rng, plan))
        rows[BuyingCenterMembership].extend(plan.memberships)
        rows[ChannelVerification].extend(plan.verifications)

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
                    id=self.run.ids.next(CompanyAddress),
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
        run = self.run
        company = plan.company
        if name:
            salutation, title, first, last = name
        else:
            male = rng.random() < MALE_SHARE[spec.kind]
            first, last = person_name(rng, locale_of(plan.city.region), "m" if male else "f")
            salutation = Salutation.MR if male else Salutation.MS
            title = _title(rng, spec.kind, company.country)
        if spec.kind == "assistant" and spec.department == "Zentrale":
            phone = company.phone
        else:
            phone = direct_phone(rng, plan.block) if rng.random() < 0.9 else ""
        created = between(
            rng, plan.created, min(run.yesterday, plan.created + datetime.timedelta(days=900))
        )
        person = Person(
            id=run.ids.next(Person),
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
            created_at=max(company.created_at, run.at(created, office_minutes(rng))),
        )
        person.search_text = person.build_search_text()
        plan.people.append(PersonPlan(person=person, function=spec, roles=roles))
        return plan.people[-1]

    # --- verified channels --------------------------------------------------------------

    def _verified_at(self, rng: random.Random, since: datetime.datetime) -> datetime.datetime:
        run = self.run
        day = workday(between(rng, max(since.date(), run.days_ago(400)), run.yesterday))
        return run.at(max(day, since.date()), office_minutes(rng))

    def _person_verifications(
        self, rng: random.Random, plan: CompanyPlan, person: Person
    ) -> list[ChannelVerification]:
        checks = []
        if person.email and rng.random() < 0.2:
            checks.append((Channel.EMAIL, person.email, VerificationMethod.EMAIL))
        if person.phone and rng.random() < 0.12:
            checks.append((Channel.PHONE, person.phone, VerificationMethod.PHONE))
        return self._verifications(rng, plan, checks, person.created_at, person_id=person.pk)

    def _company_verifications(
        self, rng: random.Random, plan: CompanyPlan
    ) -> list[ChannelVerification]:
        company = plan.company
        checks = []
        if company.phone and rng.random() < 0.15:
            checks.append((Channel.PHONE, company.phone, VerificationMethod.PHONE))
        if rng.random() < 0.05:
            method = rng.choice((VerificationMethod.REGISTER, VerificationMethod.WEBSITE))
            checks.append((Channel.POSTAL, company.postal_address_text, method))
        return self._verifications(rng, plan, checks, company.created_at, company_id=company.pk)

    def _verifications(
        self,
        rng: random.Random,
        plan: CompanyPlan,
        checks: list[tuple[str, str, str]],
        since: datetime.datetime,
        **owner: int,
    ) -> list[ChannelVerification]:
        """The inside rep's checks of ``checks`` (channel, value, method) of one owner."""
        return [
            ChannelVerification(
                id=self.run.ids.next(ChannelVerification),
                channel=channel,
                value=value,
                method=method,
                verified_by=plan.inside_rep,
                verified_at=self._verified_at(rng, since),
                **owner,
            )
            for channel, value, method in checks
        ]
