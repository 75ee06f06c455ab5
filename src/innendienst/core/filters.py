"""One filter definition per list (django-filter, as NetBox does).

A list's ``ListFilterSet`` is the single place where its filters, search and sort orders are
defined. The HTML list renders its form as the filter bar, the export and the API read the
same parameters, and the API's documented query parameters are derived from it
(``query_schema``). Later lists (call lists, campaign target selection) filter through the
same classes.

Invalid parameters are never dropped silently: the list answers with the error at the field
(HTML), a 422 problem (API) or a 400 (export), and shows no rows rather than wrong ones.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Mapping
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import create_model

MAX_QUERY_LENGTH = 200
MAX_ID = 2**63 - 1


class FilterForm(forms.Form):
    """The filter bar: labels without a colon; each filter names its own empty choice
    ("All territories"), unlike an edit form's "please choose"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def search_filter(help_text: Any = "") -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=MAX_QUERY_LENGTH,
        help_text=help_text,
        error_messages={"max_length": _("Please search with at most %(limit_value)d characters.")},
    )


class ListFilterSet(django_filters.FilterSet):
    """Filters, search (``q``) and sort (``sort``) of one list, for one user.

    Subclasses declare their filters, ``sorts`` (sort key → ``order_by`` fields; a leading
    "-" is the descending key), ``default_sort``, and implement ``search`` and ``rank`` when
    the list has a search box. ``restrict(user)`` narrows the choices of the filters to what
    the user may see.
    """

    sorts: ClassVar[dict[str, tuple[str, ...]]] = {}
    default_sort: ClassVar[str] = ""

    class Meta:
        form = FilterForm

    def __init__(self, data: Mapping[str, Any] | None, *, queryset: QuerySet, user: Any) -> None:
        # As django-filter's own __init__, but without deep-copying every filter with its
        # querysets on every page: a copy of each filter and of its options is all that an
        # instance changes (``restrict``), at a fraction of the cost.
        self.is_bound = True
        self.data = data if data is not None else {}
        self.queryset = queryset
        self.request = None
        self.form_prefix = None
        self.filters = {}
        for name, filter_ in self.base_filters.items():
            copied = copy.copy(filter_)
            copied.extra = dict(filter_.extra)
            copied.method = filter_.method  # binds the method to this copy
            copied.__dict__.pop("_field", None)  # the form field is built per instance
            copied.model = queryset.model
            copied.parent = self
            self.filters[name] = copied
        self.user = user
        self.restrict(user)

    def restrict(self, user: Any) -> None:
        """Limit the choices of relation filters to the user's scope."""

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        raise NotImplementedError

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """For parameters applied after filtering (the sort order)."""
        return queryset

    def rank(self, queryset: QuerySet, query: str) -> QuerySet:
        """The order of search hits when the user has not chosen a sort."""
        return queryset.order_by(*self.sorts[self.default_sort])

    @property
    def query(self) -> str:
        return (self.form.cleaned_data.get("q") or "") if self.is_valid() else ""

    @property
    def sort(self) -> str:
        return (self.form.cleaned_data.get("sort") or "") if self.is_valid() else ""

    def searches(self) -> bool:
        """``q`` asks for a search; a list whose search ignores some input (punctuation, say)
        says so here, so that such a query lists as no query does."""
        return bool(self.query.strip())

    @property
    def ranks_by_search(self) -> bool:
        """The rows are search hits in the order of the search, not of a chosen sort."""
        return self.is_valid() and self.searches() and not self.sort

    def matches(self, *, searched: bool = True) -> QuerySet:
        """The filtered rows, unordered; no rows while a parameter is invalid. Without
        ``searched`` the search box is left out: for a search that ranks on its own."""
        if not self.is_valid():
            return self.queryset.none()
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != "q" or searched:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def results(self) -> QuerySet:
        """The filtered, ordered rows; no rows while a parameter is invalid."""
        if not self.is_valid():
            return self.queryset.none()
        queryset = self.filter_queryset(self.queryset.all())
        if self.sort:
            return queryset.order_by(*self.sorts[self.sort])
        if self.searches():
            return self.rank(queryset, self.query)
        return queryset.order_by(*self.sorts[self.default_sort])

    def results_or_raise(self) -> QuerySet:
        """For the API and the export: invalid parameters are a ValidationError per field."""
        if not self.is_valid():
            raise ValidationError(
                {name: list(errors) for name, errors in self.errors.items()}, code="invalid"
            )
        return self.results()


def sort_filter(sorts: Mapping[str, tuple[str, ...]]) -> django_filters.ChoiceFilter:
    """The ``sort`` parameter: one of the list's sort keys; ordering is applied last."""
    return django_filters.ChoiceFilter(
        choices=[(key, key) for key in sorts],
        method="keep",
        label=_("Sort"),
        empty_label=None,
        widget=forms.HiddenInput,
    )


def _annotation(filter_: django_filters.Filter) -> tuple[Any, dict[str, Any]]:
    if isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.NumberFilter):
        return int, {"ge": 1, "le": MAX_ID}
    if isinstance(filter_, django_filters.BooleanFilter):
        return bool, {}
    if isinstance(filter_, django_filters.ChoiceFilter):
        choices = filter_.extra.get("choices")
        if choices and not callable(choices):
            values = tuple(str(value) for value, _label in choices if value != "")
            return typing.Literal[values], {}  # type: ignore[valid-type]
        return str, {}
    extra = {}
    if filter_.extra.get("max_length"):
        extra["max_length"] = filter_.extra["max_length"]
    return str, extra


def query_schema(filterset: type[ListFilterSet], name: str) -> type[Schema]:
    """The API's query parameters of a list, derived from its FilterSet."""
    fields: dict[str, Any] = {}
    for field_name, filter_ in filterset.base_filters.items():
        annotation, constraints = _annotation(filter_)
        description = str(filter_.extra.get("help_text") or filter_.label or field_name)
        if field_name == "sort":
            description = _("Sort by %(keys)s") % {"keys": ", ".join(filterset.sorts)}
        fields[field_name] = (
            annotation | None,
            Field(None, description=str(description), **constraints),
        )
    return create_model(name, __base__=Schema, **fields)
