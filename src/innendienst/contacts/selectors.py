"""Reads of companies and people, always scoped by the acting user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet

from innendienst.accounts.models import Territory, User
from innendienst.accounts.selectors import visible_territory_ids
from innendienst.contacts import search
from innendienst.contacts.filters import (
    COMPANY_SORTS,
    CompanyFilterSet,
    PersonFilterSet,
    responsible_condition,
)
from innendienst.contacts.models import (
    BuyingCenterMembership,
    BuyingCenterRole,
    ChannelVerification,
    Company,
    Person,
)
from innendienst.core import registry
from innendienst.core.filters import MAX_QUERY_LENGTH, ListFilterSet
from innendienst.core.paging import LimitedPaginator, MergedPaginator, RankedPaginator


def company_scope(user: User, prefix: str = "") -> Q | None:
    """The condition on companies (reached through ``prefix``) that ``user`` may see; None
    when he sees all of them."""
    if not user.is_active:
        return Q(pk__in=[])
    ids = visible_territory_ids(user)
    if ids is None:
        return None
    return Q(**{f"{prefix}territory_id__in": ids}) | responsible_condition(user.pk, prefix)


def companies_for(user: User) -> QuerySet[Company]:
    scope = company_scope(user)
    companies = Company.objects.all()
    return companies if scope is None else companies.filter(scope)


def people_for(user: User) -> QuerySet[Person]:
    """People at companies ``user`` sees, narrowed by the registered visibility rules (e.g.
    marketing sees only people whose consent allows it). The company's scope columns are
    copied onto its people, so the company is not read for it."""
    scope = company_scope(user)
    people = Person.objects.all() if scope is None else Person.objects.filter(scope)
    return people.filter(*registry.visibility_conditions(user, Person))


# Searched first: the companies most recently in contact, as many as it takes for a word in
# one name of 200 to fill the box. The window and the tiers are explained in ``search``.
COMPANY_SEARCH_WINDOW = 2_000
PERSON_SEARCH_WINDOW = 2_000
LIST_PER_PAGE = 50
# A search is for finding: its pages end at this many hits (the count says "more than").
# They are ranked at once for every page, so that the pages follow each other, in the search
# box's window: the list starts with the box's hits, and a window without that many hits of
# a word is widened (``search.best_ids``) — a window of 10,000 cost 115–150 ms for "80331".
SEARCH_LIST_LIMIT = 200


# --- lists ----------------------------------------------------------------------------------

LIST_COLUMNS = (
    "id",
    "name",
    "customer_number",
    "postcode",
    "city",
    "phone",
    "status",
    "priority",
    "acute_need",
    "territory__name",
    "inside_rep__first_name",
    "inside_rep__last_name",
    "inside_rep__username",
    "customer_group__name",
)


def company_filter(user: User, params: Mapping[str, Any] | None) -> CompanyFilterSet:
    return CompanyFilterSet(params, queryset=companies_for(user), user=user)


def company_list(user: User, params: Mapping[str, Any]) -> QuerySet[Company]:
    """The company list with search, filters and sort; invalid parameters raise a
    ValidationError per field."""
    return company_filter(user, params).results_or_raise()


def company_rows(filterset: CompanyFilterSet) -> QuerySet[Company]:
    """The rows of the company list page: only the shown columns."""
    return (
        filterset.results()
        .select_related("territory", "inside_rep", "customer_group")
        .only(*LIST_COLUMNS)
    )


def company_page(filterset: CompanyFilterSet, number: Any) -> Page:
    """One page of the company list; search hits ranked as in the search box."""
    rows = company_rows(filterset)
    territories = _merged_territories(filterset)
    if territories is not None:
        # As values, so that the indexes' second column can take them.
        others = list(Territory.objects.exclude(pk__in=territories).values_list("pk", flat=True))
        return MergedPaginator(
            rows,
            LIST_PER_PAGE,
            parts=[rows.filter(territory_id=pk) for pk in sorted(territories)],
            # His own accounts outside his territories: few, found by the indexes that lead
            # with the responsible rep and then the territory.
            rest=rows.filter(responsible_condition(filterset.user.pk), territory_id__in=others),
            order=COMPANY_SORTS[filterset.sort],
            fetch=lambda ids: _in_order(rows.order_by(), ids),
        ).get_page(number)
    relevance = search.COMPANY_RELEVANCE
    return _list_page(filterset, number, rows, relevance, COMPANY_SEARCH_WINDOW)


# Sorts that follow the territories (a territory is a range of postcodes): read along the
# sort's index, a rep's page passed every company of the territories before his — a Bavarian
# rep's first page by postcode read 700,000 companies at a million. Merged from one range of
# ``company_territory_postcode_idx`` per territory, it reads its own rows only.
TERRITORY_SORTS = frozenset({"postcode", "-postcode"})
MAX_MERGED_TERRITORIES = 32


def _merged_territories(filterset: CompanyFilterSet) -> set[int] | None:
    """The territories whose ranges a page of this list is merged from; None: read as one."""
    if filterset.sort not in TERRITORY_SORTS or not filterset.is_valid():
        return None
    territories = visible_territory_ids(filterset.user)
    if territories is None or len(territories) > MAX_MERGED_TERRITORIES:
        return None
    return territories


def company_export_rows(filterset: CompanyFilterSet) -> QuerySet[Company]:
    return filterset.results_or_raise().select_related("territory", "customer_group", "inside_rep")


def person_filter(user: User, params: Mapping[str, Any] | None) -> PersonFilterSet:
    return PersonFilterSet(params, queryset=people_for(user), user=user)


def person_list(user: User, params: Mapping[str, Any]) -> QuerySet[Person]:
    return person_filter(user, params).results_or_raise()


def person_rows(filterset: PersonFilterSet) -> QuerySet[Person]:
    return filterset.results().select_related("company")


def person_page(filterset: PersonFilterSet, number: Any) -> Page:
    """One page of the people list; search hits ranked as in the search box."""
    relevance = search.PERSON_RELEVANCE
    return _list_page(filterset, number, person_rows(filterset), relevance, PERSON_SEARCH_WINDOW)


def _list_page(
    filterset: ListFilterSet,
    number: Any,
    rows: QuerySet,
    relevance: search.Relevance,
    window: int,
) -> Page:
    if not filterset.ranks_by_search:
        return LimitedPaginator(rows, LIST_PER_PAGE).get_page(number)
    return RankedPaginator(
        LIST_PER_PAGE,
        rank=lambda count: search.best_ids(
            filterset.matches(searched=False), filterset.query, relevance, window, count
        ),
        fetch=lambda ids: _in_order(rows.order_by(), ids),
        limit=SEARCH_LIST_LIMIT,
    ).get_page(number)


def _in_order(rows: QuerySet, ids: list[int]) -> list[Any]:
    by_id = rows.in_bulk(ids)
    return [by_id[pk] for pk in ids]


# --- search boxes ---------------------------------------------------------------------------


def company_search(user: User, query: str, limit: int = 10) -> list[Company]:
    """The best hits for a search box: few columns, best first — by how the name matches,
    then the most recent contact."""
    ids = search.best_ids(
        companies_for(user),
        query[:MAX_QUERY_LENGTH],
        search.COMPANY_RELEVANCE,
        COMPANY_SEARCH_WINDOW,
        limit,
    )
    columns = ("id", "name", "customer_number", "postcode", "city", "status", "country")
    # The hits are the user's: read by id, without compiling his scope again.
    return _in_order(Company.objects.only(*columns), ids)


def person_search(user: User, query: str, limit: int = 10) -> list[Person]:
    ids = search.best_ids(
        people_for(user),
        query[:MAX_QUERY_LENGTH],
        search.PERSON_RELEVANCE,
        PERSON_SEARCH_WINDOW,
        limit,
    )
    rows = Person.objects.select_related("company")
    return _in_order(
        rows.only("id", "first_name", "last_name", "title", "function", "company__name"), ids
    )


# --- records --------------------------------------------------------------------------------


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


def people_of_company(user: User, company: Company) -> list[Person]:
    """The company's contacts the user sees; read once per request and company, however many
    panels of the 360° page show them."""
    cache = company.__dict__.setdefault("_people_of", {})
    if user.pk not in cache:
        cache[user.pk] = list(
            people_for(user).filter(company=company).order_by("last_name", "first_name", "id")
        )
    return cache[user.pk]


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
    # Roles held by people the user may not see (marketing without consent): known, hidden.
    hidden_roles: set[str] = field(default_factory=set)

    @property
    def missing_roles(self) -> list[BuyingCenterRole]:
        return [
            role
            for role in BuyingCenterRole
            if not self.people_by_role.get(role.value) and role.value not in self.hidden_roles
        ]

    @property
    def evaluator_missing(self) -> bool:
        """Nobody is known to evaluate offers (Gutachter), not even hidden."""
        return (
            not self.people_by_role.get(BuyingCenterRole.EVALUATOR)
            and BuyingCenterRole.EVALUATOR not in self.hidden_roles
        )

    @property
    def decider_missing(self) -> bool:
        return not self.people_by_role.get(BuyingCenterRole.DECIDER) and not self.decider_hidden

    @property
    def decider_hidden(self) -> bool:
        return (
            not self.people_by_role.get(BuyingCenterRole.DECIDER)
            and BuyingCenterRole.DECIDER in self.hidden_roles
        )

    def rows(self) -> list[tuple[BuyingCenterRole, list[Person]]]:
        return [(role, self.people_by_role.get(role.value, [])) for role in BuyingCenterRole]


def buying_center_of(user: User, company: Company) -> BuyingCenter:
    """One query for all roles at the company; people the user may not see count as known
    roles without names."""
    visible = {person.pk: person for person in people_of_company(user, company)}
    memberships = BuyingCenterMembership.objects.filter(company=company).order_by(
        "person__last_name", "person__first_name", "role"
    )
    center = BuyingCenter()
    outside = []
    for membership in memberships.values_list("person_id", "role", "person__company_id"):
        person_id, role, person_company_id = membership
        person = visible.get(person_id)
        if person is None:
            if person_company_id == company.pk:
                center.hidden_roles.add(role)
            else:
                outside.append((person_id, role))
            continue
        center.roles_by_person.setdefault(person_id, []).append(role)
        center.people_by_role.setdefault(role, []).append(person)
    if outside:
        # An outside advisor (another company's contact) holds a role here.
        advisors = people_for(user).in_bulk([person_id for person_id, _role in outside])
        for person_id, role in outside:
            if person_id in advisors:
                center.roles_by_person.setdefault(person_id, []).append(role)
                center.people_by_role.setdefault(role, []).append(advisors[person_id])
            else:
                center.hidden_roles.add(role)
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
