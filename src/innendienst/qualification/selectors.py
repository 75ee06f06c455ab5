"""Reads of the qualification, scoped by the user: a company's score with its checklist and
re-qualification state, the re-qualification queue, and the quality report."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from innendienst.accounts.models import Team, Territory, User
from innendienst.contacts import selectors as contacts
from innendienst.contacts.models import (
    Authority,
    BuyingCenterRole,
    Company,
    CompanyStatus,
    Person,
)
from innendienst.orders.models import Order
from innendienst.qualification import quality
from innendienst.qualification.models import (
    DEFAULT_REQUALIFY_AFTER_MONTHS,
    Checklist,
    Requalification,
)
from innendienst.qualification.scoring import (
    ATTRIBUTES,
    COMPANY_FIELDS,
    PersonFacts,
    Quality,
    describe,
    person_score,
    score,
)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier; the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def periods() -> dict[int | None, int]:
    """Months without an order after which a customer is due, by customer group; None: every
    group without a checklist."""
    result: dict[int | None, int] = dict(
        Checklist.objects.values_list("customer_group_id", "requalify_after_months")
    )
    result[None] = DEFAULT_REQUALIFY_AFTER_MONTHS
    return result


def _quiet_since(day: datetime.date) -> Q:
    """A customer whose record is older than ``day`` and who has neither ordered nor been
    re-qualified since (when he became a customer is not recorded: a customer without an order
    on record is asked too)."""
    since = _start_of(day)
    ordered = Order.objects.filter(company=OuterRef("pk"), ordered_on__gte=day)
    asked = Requalification.objects.filter(company=OuterRef("pk"), done_at__gte=since)
    return Q(created_at__lt=since) & ~Exists(ordered) & ~Exists(asked)


def due_condition(today: datetime.date) -> Q:
    by_months: dict[int, list[int]] = defaultdict(list)
    configured = periods()
    default = configured.pop(None)
    for group_id, months in configured.items():
        by_months[months].append(group_id)
    condition = (
        Q(customer_group__isnull=True) | ~Q(customer_group_id__in=list(configured))
    ) & _quiet_since(months_before(today, default))
    for months, groups in by_months.items():
        condition |= Q(customer_group_id__in=groups) & _quiet_since(months_before(today, months))
    return Q(status=CompanyStatus.CUSTOMER) & condition


def last_order_on() -> Subquery:
    return Subquery(
        Order.objects.filter(company=OuterRef("pk"))
        .order_by("-ordered_on")
        .values("ordered_on")[:1]
    )


def requalification_queue(user: User, today: datetime.date | None = None) -> QuerySet[Company]:
    """Customers of the user's scope who stopped buying and were not asked since."""
    today = today or timezone.localdate()
    due = contacts.companies_for(user).filter(due_condition(today))
    return due.annotate(last_order_on=last_order_on())


# --- one company ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    met: bool


@dataclass
class CompanyQualification:
    quality: Quality
    missing: list[str]
    checklist: Checklist | None
    items: list[ChecklistItem]
    months: int
    last_order_on: datetime.date | None
    last_requalification: Requalification | None
    due: bool


def company_qualification(
    user: User, company: Company, today: datetime.date | None = None
) -> CompanyQualification:
    """Scored now, not read from the stored score: the page shows what was just entered.
    ``company`` is one the user sees (the 360° page read it through his scope). The score is
    the record's: it counts every contact, also one the user may not see (marketing without
    his consent), as the buying center says that a decider is known without naming him."""
    today = today or timezone.localdate()
    checklist = Checklist.objects.filter(customer_group_id=company.customer_group_id).first()
    requirements = quality.requirements_of(checklist)
    values = {"id": company.pk, **{name: getattr(company, name) for name in COMPANY_FIELDS}}
    facts = quality.facts_of([company.pk], read={company.pk: values})[company.pk]
    scored = score(facts, requirements)
    missing = set(scored.missing)
    items = [
        ChecklistItem(function, f"function:{function}" not in missing)
        for function in requirements.functions
    ]
    items += [
        ChecklistItem(str(BuyingCenterRole(role).label), f"role:{role}" not in missing)
        for role in requirements.roles
        if role in BuyingCenterRole.values
    ]
    if requirements.authority in Authority.values:
        items.append(
            ChecklistItem(
                str(Authority(requirements.authority).label),
                f"authority:{requirements.authority}" not in missing,
            )
        )
    items += [
        ChecklistItem(str(ATTRIBUTES[name]), f"attribute:{name}" not in missing)
        for name in requirements.attributes
        if name in ATTRIBUTES
    ]
    months = checklist.requalify_after_months if checklist else DEFAULT_REQUALIFY_AFTER_MONTHS
    last_order = (
        Order.objects.filter(company=company).order_by("-ordered_on").values("ordered_on").first()
    )
    last_order_on = last_order["ordered_on"] if last_order else None
    last_requalification = company.requalifications.select_related("done_by").first()
    # As ``due_condition``, for the one company at hand.
    cutoff = months_before(today, months)
    due = (
        company.status == CompanyStatus.CUSTOMER
        and company.created_at < _start_of(cutoff)
        and (last_order_on is None or last_order_on < cutoff)
        and (last_requalification is None or last_requalification.done_at < _start_of(cutoff))
    )
    return CompanyQualification(
        quality=scored,
        missing=[describe(code) for code in scored.missing],
        checklist=checklist,
        items=items,
        months=months,
        last_order_on=last_order_on,
        last_requalification=last_requalification,
        due=due,
    )


@dataclass
class PersonQualification:
    quality: Quality
    missing: list[str]


def person_qualification(person: Person) -> PersonQualification:
    """The contact's completeness, scored now; ``person`` is one the user sees."""
    values = {name: getattr(person, name) for name in PERSON_FACTS}
    verified = frozenset(contacts.verified_values(person=person)) - {"postal"}
    roles = frozenset(contacts.roles_of(person))
    scored = person_score(PersonFacts(**values, verified=verified, roles=roles))
    return PersonQualification(scored, [describe(code) for code in scored.missing])


PERSON_FACTS = (*quality.PERSON_FIELDS, "salutation", "first_name", "best_time_to_reach")


# --- the report ------------------------------------------------------------------------------

BUCKETS = 10
# Summed from the stored scores, per row of the report's query.
SUMMED = ("score_sum", "phones", "phones_verified", "emails", "emails_verified")


@dataclass
class Shares:
    """Companies and their verified channels, summed over a territory, a team or all."""

    name: str = ""
    companies: int = 0
    scored: int = 0
    score_sum: int = 0
    phones: int = 0
    phones_verified: int = 0
    emails: int = 0
    emails_verified: int = 0
    histogram: list[int] = field(default_factory=lambda: [0] * BUCKETS)

    def add(self, row: dict[str, Any]) -> None:
        """One row of the report's query: companies of a territory in one tenth of the score."""
        self.companies += row["companies"]
        if row["bucket"] is not None:
            self.scored += row["companies"]
            self.histogram[min(row["bucket"], BUCKETS - 1)] += row["companies"]
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + (row[name] or 0))

    def merge(self, other: Shares) -> None:
        for name in ("companies", "scored", *SUMMED):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.histogram = [a + b for a, b in zip(self.histogram, other.histogram, strict=True)]

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return 100 * part / whole if whole else None

    @property
    def phone_share(self) -> float | None:
        return self._share(self.phones_verified, self.phones)

    @property
    def email_share(self) -> float | None:
        return self._share(self.emails_verified, self.emails)

    @property
    def unscored(self) -> int:
        return self.companies - self.scored

    @property
    def average_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    @property
    def bars(self) -> list[tuple[str, int, float]]:
        """Per tenth of the score: its label, its companies, and its bar in % of the longest."""
        top = max(self.histogram) or 1
        return [
            (f"{10 * i}–{100 if i == BUCKETS - 1 else 10 * i + 9}", count, 100 * count / top)
            for i, count in enumerate(self.histogram)
        ]


@dataclass
class QualityReport:
    total: Shares
    territories: list[Shares]
    teams: list[Shares]

    @property
    def sections(self) -> list[tuple[str, list[Shares], str]]:
        return [
            (_("Per territory"), self.territories, "territories"),
            (_("Per team"), self.teams, "teams"),
        ]


def quality_report(user: User) -> QualityReport:
    """One grouped query over the user's companies; territories and teams summed from it."""
    rows = (
        contacts.companies_for(user)
        .order_by()
        .annotate(bucket=F("quality__score") / BUCKETS)
        .values("territory_id", "bucket")
        .annotate(
            companies=Count("pk"),
            score_sum=Sum("quality__score"),
            phones=Sum("quality__phones"),
            phones_verified=Sum("quality__phones_verified"),
            emails=Sum("quality__emails"),
            emails_verified=Sum("quality__emails_verified"),
        )
    )
    total = Shares()
    by_territory: dict[int, Shares] = defaultdict(Shares)
    for row in rows:
        total.add(row)
        by_territory[row["territory_id"]].add(row)
    territories = {t.pk: t for t in Territory.objects.filter(pk__in=list(by_territory))}
    for pk, shares in by_territory.items():
        shares.name = territories[pk].name
    teams: list[Shares] = []
    all_territories = list(Territory.objects.values_list("pk", "path"))
    for team in Team.objects.prefetch_related("territories"):
        prefixes = tuple(territory.path for territory in team.territories.all())
        covered = {pk for pk, path in all_territories if prefixes and path.startswith(prefixes)}
        shares = Shares(name=team.name)
        for pk in covered & set(by_territory):
            shares.merge(by_territory[pk])
        if shares.companies:
            teams.append(shares)
    return QualityReport(
        total=total,
        territories=sorted(by_territory.values(), key=lambda shares: shares.name),
        teams=teams,
    )
