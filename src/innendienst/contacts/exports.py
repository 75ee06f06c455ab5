"""The company and contact lists as export kinds: the columns a file of them has, and the
list's own filter over what the user sees."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innendienst.contacts import selectors
from innendienst.contacts.models import Company, Person
from innendienst.core import external_keys
from innendienst.core.registry import ExportColumn, ExportKind


def company_rows(user: Any, params: Any) -> QuerySet[Company]:
    rows = selectors.company_export_rows(selectors.company_filter(user, params))
    return rows.annotate(external_keys_text=external_keys.keys_text(Company))


def person_rows(user: Any, params: Any) -> QuerySet[Person]:
    filterset = selectors.person_filter(user, params)
    return (
        filterset.results_or_raise()
        .select_related("company")
        .annotate(external_keys_text=external_keys.keys_text(Person))
    )


def _keys(record: Company | Person) -> str:
    """ "ERP: 10042; Schober: A-77" — the keys other systems gave the record."""
    return "; ".join(str(key) for key in record.external_keys.all())


COMPANIES = ExportKind(
    name="companies",
    label=_("Companies"),
    path="companies",
    file_stem=pgettext_lazy("file name", "companies"),
    rows=company_rows,
    order=10,
    columns=(
        ExportColumn(_("Customer number"), lambda c: c.customer_number or ""),
        ExportColumn(_("Name"), lambda c: c.name),
        ExportColumn(_("Legal form"), lambda c: c.get_legal_form_display()),
        ExportColumn(_("Status"), lambda c: c.get_status_display()),
        ExportColumn(_("Street"), lambda c: c.street),
        ExportColumn(_("Postcode"), lambda c: c.postcode),
        ExportColumn(_("City"), lambda c: c.city),
        ExportColumn(_("Country"), lambda c: c.country),
        ExportColumn(_("Phone"), lambda c: c.phone),
        ExportColumn(_("E-mail"), lambda c: c.email),
        ExportColumn(_("Website"), lambda c: c.website),
        ExportColumn(_("Employees"), lambda c: c.employees),
        ExportColumn(_("Annual revenue"), lambda c: c.annual_revenue),
        ExportColumn(_("Territory"), lambda c: c.territory.name),
        ExportColumn(_("Customer group"), lambda c: c.customer_group),
        ExportColumn(_("Inside sales rep"), lambda c: c.inside_rep),
        ExportColumn(_("Source"), lambda c: c.get_source_display()),
        ExportColumn(_("Fair or campaign"), lambda c: c.source_name),
        ExportColumn(_("External keys"), lambda c: c.external_keys_text or ""),
        ExportColumn(_("Changed"), lambda c: c.updated_at),
    ),
)

PEOPLE = ExportKind(
    name="people",
    label=_("Contacts"),
    path="people",
    file_stem=pgettext_lazy("file name", "contacts"),
    rows=person_rows,
    order=20,
    columns=(
        ExportColumn(_("Salutation"), lambda p: p.get_salutation_display()),
        ExportColumn(_("Title"), lambda p: p.title),
        ExportColumn(_("First name"), lambda p: p.first_name),
        ExportColumn(_("Last name"), lambda p: p.last_name),
        ExportColumn(_("Function"), lambda p: p.function),
        ExportColumn(_("Department"), lambda p: p.department),
        ExportColumn(_("Phone"), lambda p: p.phone),
        ExportColumn(_("Mobile"), lambda p: p.mobile),
        ExportColumn(_("E-mail"), lambda p: p.email),
        ExportColumn(_("Company"), lambda p: p.company.name),
        ExportColumn(_("Customer number"), lambda p: p.company.customer_number or ""),
        ExportColumn(_("Postcode"), lambda p: p.company.postcode),
        ExportColumn(_("City"), lambda p: p.company.city),
        ExportColumn(_("External keys"), lambda p: p.external_keys_text or ""),
        ExportColumn(_("Changed"), lambda p: p.updated_at),
    ),
)
