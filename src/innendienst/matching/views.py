"""The duplicate hints under the company and person forms, while the user types."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from innendienst.accounts.access import require_master_data_editor
from innendienst.contacts import selectors as contacts
from innendienst.core.web import found_or_404
from innendienst.matching import selectors
from innendienst.matching.profiles import COMPANY_FIELDS, PERSON_FIELDS


def _edited(request: HttpRequest) -> int | None:
    """The record the form edits: no duplicate of itself."""
    value = request.POST.get("duplicate_check_record", "")
    return int(value) if value.isdigit() else None


def _values(request: HttpRequest, names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.POST.get(name, "") for name in names if not name.endswith("id")}


@require_POST
@login_required
def company_hints(request: HttpRequest) -> HttpResponse:
    require_master_data_editor(request.user)
    matches = selectors.company_matches(
        request.user,
        _values(request, COMPANY_FIELDS),
        exclude=_edited(request),
    )
    return render(request, "matching/_hints.html", {"matches": matches})


@require_POST
@login_required
def person_hints(request: HttpRequest, company_id: int) -> HttpResponse:
    require_master_data_editor(request.user)
    company = found_or_404(contacts.company_get, request.user, company_id)
    matches = selectors.person_matches(
        request.user,
        _values(request, PERSON_FIELDS),
        company,
        exclude=_edited(request),
    )
    return render(request, "matching/_hints.html", {"matches": matches})
