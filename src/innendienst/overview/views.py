from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from innendienst.activities.forms import ActivityForm
from innendienst.contacts.forms import VerificationForm
from innendienst.contacts.selectors import company_get, people_of_company, person_get
from innendienst.contacts.services import can_edit_master_data
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial
from innendienst.overview import selectors


@require_GET
@login_required
@nav_section("companies")
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    company = found_or_404(company_get, request.user, company_id)
    context = selectors.company_360(request.user, company)
    context.update(
        activity_form=ActivityForm(
            people=people_of_company(request.user, company), initial={"kind": "call"}
        ),
        verification_form=VerificationForm(),
        can_edit=can_edit_master_data(request.user),
    )
    return render(request, "overview/company_detail.html", context)


@require_GET
@login_required
@nav_section("people")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = found_or_404(person_get, request.user, person_id)
    context = selectors.person_page(request.user, person)
    context.update(
        verification_form=VerificationForm(),
        can_edit=can_edit_master_data(request.user),
    )
    return render(request, "overview/person_detail.html", context)


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The global search in the top bar: a dropdown as you type, a page without JavaScript."""
    query = request.GET.get("q", "")[:200]
    context = selectors.global_search(request.user, query)
    return render_page_or_partial(request, "overview/search.html", context, "hits")
