from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.access import can_edit_master_data, require_master_data_editor
from innendienst.contacts import selectors, services
from innendienst.contacts.forms import AddressForm, CompanyForm, PersonForm, VerificationForm
from innendienst.contacts.models import Company, Person
from innendienst.core import registry
from innendienst.core.forms import add_service_errors, seen_values
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial


@require_GET
@login_required
@nav_section("companies")
def company_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.company_filter(request.user, request.GET)
    page = selectors.company_page(filterset, request.GET.get("page"))
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "can_edit": can_edit_master_data(request.user),
    }
    return render_page_or_partial(request, "contacts/company_list.html", context, "results")


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def company_create(request: HttpRequest) -> HttpResponse:
    require_master_data_editor(request.user)
    form = CompanyForm(request.POST or None, user=request.user)
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            company = services.created_unless_duplicate(
                actor=request.user,
                page="company",
                values=form.cleaned_data,
                company=None,
                confirmed=request.POST.get("confirm_duplicate") == "1",
                create=lambda: services.company_create(actor=request.user, data=form.cleaned_data),
            )
        except services.DuplicateSuspected as exc:
            duplicates = exc.matches
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Company created."))
            return redirect("company_detail", company.pk)
    context = {"form": form, "company": None, **_duplicate_check("company", duplicates)}
    return render(request, "contacts/company_form.html", context)


def _duplicate_check(page: str, duplicates: list[Any]) -> dict[str, Any]:
    return {"duplicate_check": registry.duplicate_check(page), "duplicate_matches": duplicates}


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def company_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
    company = found_or_404(selectors.company_get, request.user, company_id)
    seen = seen_values(company, CompanyForm._meta.fields)
    form = CompanyForm(request.POST or None, instance=company, user=request.user, seen=seen)
    if request.method == "POST" and form.is_valid():
        data, seen_by_user = form.changes()
        try:
            services.company_update(
                actor=request.user, company=company, data=data, seen=seen_by_user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            form.note_conflicts(exc, Company.objects.get(pk=company.pk))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("company_detail", company.pk)
    context = {"form": form, "company": company, **_duplicate_check("company", [])}
    return render(request, "contacts/company_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def address_create(request: HttpRequest, company_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
    company = found_or_404(selectors.company_get, request.user, company_id)
    form = AddressForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_create(actor=request.user, company=company, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Address added."))
            return redirect("company_detail", company.pk)
    return render(request, "contacts/address_form.html", {"form": form, "company": company})


@require_POST
@login_required
def address_delete(request: HttpRequest, company_id: int, address_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
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
    require_master_data_editor(request.user)
    company = found_or_404(selectors.company_get, request.user, company_id)
    _verify(request, {"company": company})
    return redirect("company_detail", company.pk)


@require_GET
@login_required
@nav_section("people")
def person_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.person_filter(request.user, request.GET)
    page = selectors.person_page(filterset, request.GET.get("page"))
    context = {"filterset": filterset, "form": filterset.form, "page": page}
    return render_page_or_partial(request, "contacts/person_list.html", context, "results")


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("people")
def person_create(request: HttpRequest, company_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
    company = found_or_404(selectors.company_get, request.user, company_id)
    form = PersonForm(request.POST or None, instance=Person(company=company))
    duplicates: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "roles"}
        try:
            person = services.created_unless_duplicate(
                actor=request.user,
                page="person",
                values=form.cleaned_data,
                company=company,
                confirmed=request.POST.get("confirm_duplicate") == "1",
                create=lambda: services.person_create(
                    actor=request.user,
                    company=company,
                    data=data,
                    roles=form.cleaned_data["roles"],
                ),
            )
        except services.DuplicateSuspected as exc:
            duplicates = exc.matches
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact created."))
            return redirect("person_detail", person.pk)
    context = {
        "form": form,
        "company": company,
        "person": None,
        **_duplicate_check("person", duplicates),
    }
    return render(request, "contacts/person_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("people")
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
    person = found_or_404(selectors.person_get, request.user, person_id)
    seen = {**seen_values(person, PersonForm._meta.fields), "roles": selectors.roles_of(person)}
    form = PersonForm(request.POST or None, instance=person, seen=seen)
    if request.method == "POST" and form.is_valid():
        changes, seen_by_user = form.changes()
        data = {name: value for name, value in changes.items() if name != "roles"}
        roles = changes.get("roles")
        try:
            services.person_update(
                actor=request.user, person=person, data=data, roles=roles, seen=seen_by_user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            form.note_conflicts(exc, Person.objects.get(pk=person.pk))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("person_detail", person.pk)
    context = {
        "form": form,
        "company": person.company,
        "person": person,
        **_duplicate_check("person", []),
    }
    return render(request, "contacts/person_form.html", context)


@require_POST
@login_required
def person_verify(request: HttpRequest, person_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
    person = found_or_404(selectors.person_get, request.user, person_id)
    _verify(request, {"person": person})
    return redirect("person_detail", person.pk)
