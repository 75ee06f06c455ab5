"""The filters of the company and people lists: one definition for the HTML list, the API and
the export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Territory, User
from innendienst.accounts.selectors import colleagues_for, territories_for
from innendienst.contacts import search
from innendienst.contacts.models import Company, CompanyStatus, CustomerGroup, Person, Priority
from innendienst.core.filters import ListFilterSet, search_filter, sort_filter

COMPANY_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "city": ("city", "name", "id"),
    "-city": ("-city", "-name", "-id"),
    "postcode": ("postcode", "name", "id"),
    "-postcode": ("-postcode", "-name", "-id"),
    # Companies without a number last, either way.
    "customer_number": (F("customer_number").asc(nulls_last=True), "id"),
    "-customer_number": (F("customer_number").desc(nulls_last=True), "-id"),
    "status": ("status", "name", "id"),
    "-status": ("-status", "-name", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "last_contact": (F("last_contact_at").asc(nulls_first=True), "id"),
    "-last_contact": (F("last_contact_at").desc(nulls_last=True), "-id"),
    # A before B before C, unrated last, either way round.
    "priority": (F("priority").asc(nulls_last=True), "name", "id"),
    "-priority": (F("priority").desc(nulls_last=True), "-name", "-id"),
}


def responsible_condition(user_id: Any, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}inside_rep_id": user_id})
        | Q(**{f"{prefix}field_rep_id": user_id})
        | Q(**{f"{prefix}key_account_manager_id": user_id})
    )


class FoldedSearch:
    """The search box of a list over ``search_text``: what folds to no word ("@", "--")
    is no search, and lists as an empty box does."""

    query: str

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = search.search_condition(value)
        return queryset if condition is None else queryset.filter(condition)

    def searches(self) -> bool:
        return bool(search.tokens_of(self.query))


class CompanyFilterSet(FoldedSearch, ListFilterSet):
    q = search_filter(help_text=_("Name (umlaut- and sound-tolerant), city, postcode or number"))
    territory_id = django_filters.ModelChoiceFilter(
        field_name="territory",
        queryset=Territory.objects.none(),
        label=_("Territory"),
        empty_label=_("All territories"),
    )
    status = django_filters.ChoiceFilter(
        choices=CompanyStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer_group_id = django_filters.ModelChoiceFilter(
        field_name="customer_group",
        queryset=CustomerGroup.objects.all(),
        label=_("Customer group"),
        empty_label=_("All customer groups"),
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices, label=_("Priority"), empty_label=_("All priorities")
    )
    acute = django_filters.ChoiceFilter(
        choices=[("yes", _("with acute need"))],
        method="with_acute_need",
        label=_("Acute need"),
        empty_label=_("Any need"),
    )
    responsible_id = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(),
        method="responsible",
        label=_("Responsible"),
        empty_label=_("Anyone"),
        help_text=_("Inside rep, field rep or key-account manager"),
    )
    sort = sort_filter(COMPANY_SORTS)

    sorts = COMPANY_SORTS
    default_sort = "name"

    class Meta(ListFilterSet.Meta):
        model = Company
        fields: list[str] = []

    def restrict(self, user: User) -> None:
        self.filters["territory_id"].queryset = territories_for(user)
        self.filters["responsible_id"].queryset = colleagues_for(user)

    def responsible(self, queryset: QuerySet, name: str, value: User) -> QuerySet:
        return queryset.filter(responsible_condition(value.pk))

    def with_acute_need(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.exclude(acute_need="")

    def rank(self, queryset: QuerySet, query: str) -> QuerySet:
        """As the search box ranks: by how the name matches, then the most recent contact."""
        return search.ranked(queryset, query, *search.COMPANY_RELEVANCE.order)


PERSON_SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}


class PersonFilterSet(FoldedSearch, ListFilterSet):
    q = search_filter(help_text=_("Name or e-mail"))
    company_id = django_filters.ModelChoiceFilter(
        field_name="company", queryset=Company.objects.none(), label=_("Company")
    )
    sort = sort_filter(PERSON_SORTS)

    sorts = PERSON_SORTS
    default_sort = "name"

    class Meta(ListFilterSet.Meta):
        model = Person
        fields: list[str] = []

    def restrict(self, user: User) -> None:
        from innendienst.contacts.selectors import companies_for

        self.filters["company_id"].queryset = companies_for(user)

    def rank(self, queryset: QuerySet, query: str) -> QuerySet:
        """As the search box ranks: by how the name matches, then in phone-book order."""
        return search.ranked(queryset, query, *search.PERSON_RELEVANCE.order)
