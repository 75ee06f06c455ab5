from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.contacts import selectors, services
from innendienst.contacts.forms import (
    AddressForm,
    CompanyFilterForm,
    CompanyForm,
    ConsentForm,
    PersonForm,
    VerificationForm,
)
from innendienst.contacts.models import Company, Person
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial

COMPANIES_PER_PAGE = 50
PEOPLE_PER_PAGE = 50
EXPORT_LIMIT = 100_000


def _filters_from(form: CompanyFilterForm) -> selectors.CompanyFilters:
    """The valid filters; an invalid value (a stale territory id in a bookmark) is dropped
    on its own, the others still apply."""
    if not form.is_bound:
        return selectors.CompanyFilters()
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    return selectors.CompanyFilters(
        query=data.get("q") or "",
        territory_id=data["territory"].pk if data.get("territory") else None,
        status=data.get("status") or "",
        customer_group_id=data["group"].pk if data.get("group") else None,
        responsible_id=data["rep"].pk if data.get("rep") else None,
        sort=data.get("sort") or "",
    )


LIST_COLUMNS = (
    "id",
    "name",
    "customer_number",
    "postcode",
    "city",
    "status",
    "territory__name",
    "inside_rep__first_name",
    "inside_rep__last_name",
    "inside_rep__username",
    "customer_group__name",
)


def _company_page(request: HttpRequest, filters: selectors.CompanyFilters) -> Page:
    companies = (
        selectors.company_list(request.user, filters)
        .select_related("territory", "inside_rep", "customer_group")
        .only(*LIST_COLUMNS)
    )
    paginator = Paginator(companies, COMPANIES_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


@require_GET
@login_required
@nav_section("companies")
def company_list(request: HttpRequest) -> HttpResponse:
    form = CompanyFilterForm(request.GET or None, user=request.user)
    filters = _filters_from(form)
    page = _company_page(request, filters)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "can_edit": services.can_edit_master_data(request.user),
    }
    return render_page_or_partial(request, "contacts/company_list.html", context, "results")


def _export_rows(companies) -> Iterator[list[str]]:
    yield [
        _("Customer number"),
        _("Name"),
        _("Legal form"),
        _("Status"),
        _("Street"),
        _("Postcode"),
        _("City"),
        _("Country"),
        _("Phone"),
        _("E-mail"),
        _("Territory"),
        _("Customer group"),
        _("Inside sales rep"),
    ]
    for company in companies.iterator(chunk_size=2000):
        yield [
            company.customer_number or "",
            company.name,
            company.get_legal_form_display(),
            company.get_status_display(),
            company.street,
            company.postcode,
            company.city,
            company.country,
            company.phone,
            company.email,
            company.territory.name,
            company.customer_group.name if company.customer_group else "",
            str(company.inside_rep) if company.inside_rep else "",
        ]


# A cell that Excel would run as a formula (=HYPERLINK(…), @SUM(…), -2+cmd|…) is written as
# text. Phone numbers ("+49 89 1234567") contain no letters, so they can call nothing and stay.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d\s()/.,-]+$")


def _csv_safe(row: list[str]) -> list[str]:
    return [
        f"'{cell}" if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell) else cell
        for cell in row
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@login_required
def company_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV the way Excel in DACH opens it: UTF-8 with BOM, semicolons."""
    filters = _filters_from(CompanyFilterForm(request.GET or None, user=request.user))
    companies = selectors.company_list(request.user, filters).select_related(
        "territory", "customer_group", "inside_rep"
    )[:EXPORT_LIMIT]
    writer = csv.writer(_Echo(), delimiter=";")

    def stream() -> Iterator[str]:
        yield "\ufeff"
        for row in _export_rows(companies):
            yield writer.writerow(_csv_safe(row))

    filename = f"firmen-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _require_editor(request: HttpRequest) -> None:
    if not services.can_edit_master_data(request.user):
        raise PermissionDenied(_("Your role may not change master data."))


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def company_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = CompanyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Company created."))
            return redirect("company_detail", company.pk)
    return render(request, "contacts/company_form.html", {"form": form, "company": None})


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def company_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    _require_editor(request)
    company = found_or_404(selectors.company_get, request.user, company_id)
    form = CompanyForm(request.POST or None, instance=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.company_update(actor=request.user, company=company, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("company_detail", company.pk)
    return render(request, "contacts/company_form.html", {"form": form, "company": company})


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def address_create(request: HttpRequest, company_id: int) -> HttpResponse:
    _require_editor(request)
    company = found_or_404(selectors.company_get, request.user, company_id)
    form = AddressForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_create(actor=request.user, company=company, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Address added."))
            return redirect("company_detail", company.pk)
    return render(request, "contacts/address_form.html", {"form": form, "company": company})


@require_POST
@login_required
def address_delete(request: HttpRequest, company_id: int, address_id: int) -> HttpResponse:
    _require_editor(request)
    company = found_or_404(selectors.company_get, request.user, company_id)
    address = company.addresses.filter(pk=address_id).first()
    if address is None:
        raise Http404
    services.address_delete(actor=request.user, address=address)
    messages.success(request, _("Address removed."))
    return redirect("company_detail", company.pk)


def _verify(request: HttpRequest, owner: dict[str, Company | Person]) -> None:
    """Record a verification from the small form on the 360° and person pages; the outcome
    comes back as a message on the page the form was on."""
    form = VerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a channel and how it was verified."))
        return
    try:
        services.channel_verify(actor=request.user, **owner, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as verified."))


@require_POST
@login_required
def company_verify(request: HttpRequest, company_id: int) -> HttpResponse:
    _require_editor(request)
    company = found_or_404(selectors.company_get, request.user, company_id)
    _verify(request, {"company": company})
    return redirect("company_detail", company.pk)


@require_GET
@login_required
@nav_section("people")
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    people = selectors.person_list(request.user, query).select_related("company")
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query}
    return render_page_or_partial(request, "contacts/person_list.html", context, "results")


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("people")
def person_create(request: HttpRequest, company_id: int) -> HttpResponse:
    _require_editor(request)
    company = found_or_404(selectors.company_get, request.user, company_id)
    form = PersonForm(request.POST or None, instance=Person(company=company))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "roles"}
        try:
            person = services.person_create(
                actor=request.user, company=company, data=data, roles=form.cleaned_data["roles"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Contact created."))
            return redirect("person_detail", person.pk)
    context = {"form": form, "company": company, "person": None}
    return render(request, "contacts/person_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("people")
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_editor(request)
    person = found_or_404(selectors.person_get, request.user, person_id)
    current_roles = selectors.roles_of(person)
    form = PersonForm(request.POST or None, instance=person, initial={"roles": current_roles})
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data if k != "roles"}
        try:
            services.person_update(
                actor=request.user, person=person, data=data, roles=form.cleaned_data["roles"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("person_detail", person.pk)
    context = {"form": form, "company": person.company, "person": person}
    return render(request, "contacts/person_form.html", context)


@require_POST
@login_required
def person_verify(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_editor(request)
    person = found_or_404(selectors.person_get, request.user, person_id)
    _verify(request, {"person": person})
    return redirect("person_detail", person.pk)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("people")
def person_consent(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_editor(request)
    person = found_or_404(selectors.person_get, request.user, person_id)
    form = ConsentForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("person_detail", person.pk)
    context = {"form": form, "person": person, "consents": selectors.consents_of(person)}
    return render(request, "contacts/consent_form.html", context)
