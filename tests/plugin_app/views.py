from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from innendienst.contacts.models import Company
from innendienst.contacts.selectors import companies_for
from innendienst.core.web import nav_section
from tests.plugin_app.models import FieldNote


def notes_panel(user: Any, company: Company) -> dict[str, Any] | None:
    notes = list(FieldNote.objects.filter(company=company))
    return {"notes": notes} if notes else None


@login_required
@nav_section("field_notes")
def field_notes(request: HttpRequest) -> HttpResponse:
    notes = FieldNote.objects.filter(company__in=companies_for(request.user)).select_related(
        "company"
    )
    return render(request, "plugin_app/notes.html", {"notes": notes})
