"""Reads of companies and people, always scoped by the acting user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from innendienst.accounts.models import Role, User
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts.models import (
    BuyingCenterMembership,
    BuyingCenterRole,
    ChannelVerification,
    Company,
    Consent,
    Person,
)
from innendienst.core.text import PHONETIC_MARK, fold, phonetic_code

MAX_SEARCH_TOKENS = 6


def _company_scope(user: User, prefix: str = "") -> Q | None:
    """The condition on companies (reached through ``prefix``) that ``user`` may see."""
    ids = visible_territory_ids(user)
    if ids is None:
        return None
    return (
        Q(**{f"{prefix}territory_id__in": ids})
        | Q(**{f"{prefix}inside_rep": user})
        | Q(**{f"{prefix}field_rep": user})
        | Q(**{f"{prefix}key_account_manager": user})
    )


def companies_for(user: User) -> QuerySet[Company]:
    scope = _company_scope(user)
    companies = Company.objects.all()
    return companies if scope is None else companies.filter(scope)


def people_for(user: User) -> QuerySet[Person]:
    """People at companies ``user`` sees; marketing only those whose consent allows it."""
    scope = _company_scope(user, prefix="company__")
    people = Person.objects.all() if scope is None else Person.objects.filter(scope)
    if user.role == Role.MARKETING and not user.is_superuser:
        people = people.with_marketing_consent()
    return people


def _search_condition(query: str) -> tuple[Q, str] | None:
    """Every typed word must occur in the folded search text, or sound like a word there."""
    tokens = fold(query).split()[:MAX_SEARCH_TOKENS]
    if not tokens:
        return None
    condition = Q()
    for token in tokens:
        token_condition = Q(search_text__contains=token)
        code = phonetic_code(token)
        if code and len(token) >= 3:
            token_condition |= Q(search_text__contains=f" {PHONETIC_MARK}{code} ")
        condition &= token_condition
    return condition, tokens[0]


def _ranked(queryset: QuerySet, first_token: str) -> QuerySet:
    return queryset.annotate(
        search_rank=Case(
            When(search_text__startswith=first_token, then=Value(0)),
            When(search_text__contains=f" {first_token}", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


COMPANY_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "city": ("city", "name", "id"),
    "-city": ("-city", "-name", "-id"),
    "postcode": ("postcode", "name", "id"),
    "-postcode": ("-postcode", "-name", "-id"),
    "customer_number": ("customer_number", "id"),
    "-customer_number": ("-customer_number", "-id"),
    "status": ("status", "name", "id"),
    "-status": ("-status", "-name", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}


@dataclass(frozen=True)
class CompanyFilters:
    query: str = ""
    territory_id: int | None = None
    status: str = ""
    customer_group_id: int | None = None
    responsible_id: int | None = None
    sort: str = ""


def company_list(user: User, filters: CompanyFilters) -> QuerySet[Company]:
    """The company list with search, filters and sort; search hits come best first."""
    companies = companies_for(user)
    if filters.territory_id:
        companies = companies.filter(territory_id=filters.territory_id)
    if filters.status:
        companies = companies.filter(status=filters.status)
    if filters.customer_group_id:
        companies = companies.filter(customer_group_id=filters.customer_group_id)
    if filters.responsible_id:
        rep = filters.responsible_id
        companies = companies.filter(
            Q(inside_rep_id=rep) | Q(field_rep_id=rep) | Q(key_account_manager_id=rep)
        )
    search = _search_condition(filters.query)
    order = COMPANY_SORTS.get(filters.sort)
    if search is not None:
        condition, first_token = search
        companies = companies.filter(condition)
        if order is None:
            return _ranked(companies, first_token).order_by("search_rank", "name", "id")
    return companies.order_by(*(order or COMPANY_SORTS["name"]))


def company_search(user: User, query: str, limit: int = 10) -> list[Company]:
    """The best hits for a search box: few columns, best first."""
    search = _search_condition(query)
    if search is None:
        return []
    condition, first_token = search
    hits = _ranked(companies_for(user).filter(condition), first_token)
    return list(
        hits.order_by("search_rank", "name", "id").only(
            "id", "name", "customer_number", "postcode", "city", "status", "country"
        )[:limit]
    )


def person_search(user: User, query: str, limit: int = 10) -> list[Person]:
    search = _search_condition(query)
    if search is None:
        return []
    condition, first_token = search
    hits = _ranked(people_for(user).filter(condition), first_token)
    return list(
        hits.select_related("company")
        .order_by("search_rank", "last_name", "first_name", "id")
        .only("id", "first_name", "last_name", "title", "function", "company__name")[:limit]
    )


def person_list(user: User, query: str = "") -> QuerySet[Person]:
    people = people_for(user)
    search = _search_condition(query)
    if search is None:
        return people.order_by("last_name", "first_name", "id")
    condition, first_token = search
    return _ranked(people.filter(condition), first_token).order_by(
        "search_rank", "last_name", "first_name", "id"
    )


def company_get(user: User, company_id: int) -> Company:
    """Raises Company.DoesNotExist for a company the user may not see."""
    return (
        companies_for(user)
        .select_related(
            "territory",
            "customer_group",
            "industry",
            "inside_rep",
            "field_rep",
            "key_account_manager",
        )
        .get(pk=company_id)
    )


def person_get(user: User, person_id: int) -> Person:
    return people_for(user).select_related("company").get(pk=person_id)


def people_of_company(user: User, company: Company) -> QuerySet[Person]:
    return people_for(user).filter(company=company).order_by("last_name", "first_name", "id")


def roles_of(person: Person) -> list[str]:
    """The person's buying-center roles at his own company."""
    return list(
        BuyingCenterMembership.objects.filter(person=person, company_id=person.company_id)
        .order_by("role")
        .values_list("role", flat=True)
    )


@dataclass
class BuyingCenter:
    """Which roles are known at a company, by whom, and which are missing."""

    roles_by_person: dict[int, list[str]] = field(default_factory=dict)
    people_by_role: dict[str, list[Person]] = field(default_factory=dict)

    @property
    def missing_roles(self) -> list[BuyingCenterRole]:
        return [role for role in BuyingCenterRole if not self.people_by_role.get(role.value)]

    @property
    def decider_missing(self) -> bool:
        return not self.people_by_role.get(BuyingCenterRole.DECIDER)

    def rows(self) -> list[tuple[BuyingCenterRole, list[Person]]]:
        return [(role, self.people_by_role.get(role.value, [])) for role in BuyingCenterRole]


def buying_center_of(user: User, company: Company) -> BuyingCenter:
    memberships = (
        BuyingCenterMembership.objects.filter(company=company, person__in=people_for(user))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "role")
    )
    center = BuyingCenter()
    for membership in memberships:
        center.roles_by_person.setdefault(membership.person_id, []).append(membership.role)
        center.people_by_role.setdefault(membership.role, []).append(membership.person)
    return center


def verified_values(*, company: Company | None = None, person: Person | None = None) -> dict:
    """Channel → the newest verification that still matches the channel's current value."""
    verifications = ChannelVerification.objects.select_related("verified_by").filter(
        company=company, person=person
    )
    owner = company or person
    current = {
        "phone": getattr(owner, "phone", ""),
        "mobile": getattr(owner, "mobile", ""),
        "email": getattr(owner, "email", ""),
        "postal": _postal_text(owner),
    }
    result: dict[str, ChannelVerification] = {}
    for verification in verifications.order_by("-verified_at"):
        if verification.channel in result:
            continue
        if current.get(verification.channel) == verification.value:
            result[verification.channel] = verification
    return result


def _postal_text(owner: Company | Person) -> str:
    company = owner if isinstance(owner, Company) else owner.company
    return company.postal_address_text


def consents_of(person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("recorded_by").order_by("-recorded_on", "-id")


def current_consents(ledger: Iterable[Consent]) -> dict[str, Consent]:
    """The state per channel: the newest entry of a person's ledger (given newest first)."""
    current: dict[str, Consent] = {}
    for consent in ledger:
        current.setdefault(consent.channel, consent)
    return current
