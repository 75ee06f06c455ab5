from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from innendienst.contacts.selectors import company_get, person_get
from innendienst.core import registry
from innendienst.core.filters import MAX_QUERY_LENGTH
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial
from innendienst.overview import selectors
from innendienst.overview.forms import SearchForm


@require_GET
@login_required
@nav_section("my_day")
def my_day(request: HttpRequest) -> HttpResponse:
    """The start page: each app contributes the sections a role needs first thing."""
    today = timezone.localdate()
    context = {"today": today, "sections": selectors.my_day(request.user, today)}
    return render(request, "overview/my_day.html", context)


@require_GET
@login_required
def my_day_section(request: HttpRequest, name: str) -> HttpResponse:
    """One section of "My day" alone, for htmx to load it after the page."""
    return _shown(
        request, lambda: selectors.my_day_section(name, request.user, timezone.localdate()), {}
    )


@require_GET
@login_required
@nav_section("companies")
def company_detail(request: HttpRequest, company_id: int) -> HttpResponse:
    company = found_or_404(company_get, request.user, company_id)
    context = {
        "company": company,
        "slots": registry.record_page("company", request.user, company),
    }
    return render(request, "overview/company_detail.html", context)


@require_GET
@login_required
def company_panel(request: HttpRequest, company_id: int, name: str) -> HttpResponse:
    """One panel of the 360° page alone, for htmx to load or reload it."""
    company = found_or_404(company_get, request.user, company_id)
    return _panel(request, "company", name, {"company": company})


@require_GET
@login_required
@nav_section("people")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = found_or_404(person_get, request.user, person_id)
    context = {"person": person, "slots": registry.record_page("person", request.user, person)}
    return render(request, "overview/person_detail.html", context)


@require_GET
@login_required
def person_panel(request: HttpRequest, person_id: int, name: str) -> HttpResponse:
    person = found_or_404(person_get, request.user, person_id)
    return _panel(request, "person", name, {"person": person})


def _panel(request: HttpRequest, page: str, name: str, context: dict) -> HttpResponse:
    return _shown(
        request, lambda: selectors.single_panel(page, name, request.user, context[page]), context
    )


def _shown(
    request: HttpRequest, find: Callable[[], registry.Shown | None], context: dict
) -> HttpResponse:
    """A panel or section alone; one with nothing to show answers empty, so htmx replaces its
    placeholder."""
    try:
        shown = find()
    except selectors.NoSuchPanel as exc:
        raise Http404 from exc
    if shown is None:
        return HttpResponse("")
    return render(request, "overview/panel.html", {**context, "shown": shown})


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The global search in the top bar: a dropdown as you type, a page without JavaScript."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "groups": selectors.global_search(request.user, query) if query else [],
        "max_length": MAX_QUERY_LENGTH,
    }
    return render_page_or_partial(request, "overview/search.html", context, "hits")
