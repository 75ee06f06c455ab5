"""Telefonakquise: call lists, "next call" and the call screen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.activities import selectors, services
from innendienst.activities.access import can_make_call_lists, require_call_list_maker
from innendienst.activities.calling import call_limits
from innendienst.activities.forms import CallListForm, CallOutcomeForm, CallSkipForm
from innendienst.activities.models import (
    CallEntryStatus,
    CallGuide,
    CallList,
    CallListEntry,
    WhomToCall,
)
from innendienst.campaigns.selectors import campaigns_for
from innendienst.contacts.selectors import buying_center_of, company_filter
from innendienst.core import registry
from innendienst.core.forms import add_service_errors
from innendienst.core.paging import LimitedPaginator
from innendienst.core.web import found_or_404, nav_section

ENTRIES_PER_PAGE = 50
# The filters of the company list that a call list is built from.
COMPANY_FILTERS = (
    "q",
    "territory_id",
    "status",
    "customer_group_id",
    "priority",
    "acute",
    "responsible_id",
)


@require_GET
@login_required
@nav_section("calls")
def call_list_index(request: HttpRequest) -> HttpResponse:
    context = {
        "call_lists": selectors.call_list_overview(request.user),
        "can_make": can_make_call_lists(request.user),
    }
    return render(request, "activities/call_list_index.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("calls")
def call_list_create(request: HttpRequest) -> HttpResponse:
    """Put a list together from the company list's filters; the counts follow the filters
    as they change (htmx), and say who the list leaves out and why."""
    require_call_list_maker(request.user)
    data = request.POST if request.method == "POST" else request.GET
    filterset = company_filter(request.user, {name: data.get(name, "") for name in COMPANY_FILTERS})
    teams = selectors.call_list_teams(request.user)
    campaigns = campaigns_for(request.user)
    form = CallListForm(
        request.POST or None,
        teams=teams,
        campaigns=campaigns.order_by("-created_at"),
        initial={
            "team": request.user.team_id,
            "whom": data.get("whom") or None,
            "campaign": data.get("campaign") or None,
        },
    )
    whom = data.get("whom") or WhomToCall.EVERYONE
    candidates = (
        selectors.call_candidates(request.user, filterset.matches(), whom)
        if filterset.is_valid()
        else None
    )
    if request.method == "POST" and form.is_valid() and candidates is not None:
        try:
            call_list = services.call_list_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                team=form.cleaned_data["team"],
                campaign=form.cleaned_data["campaign"],
                people=candidates.people,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Call list created."))
            return redirect("call_list_detail", call_list.pk)
    context = {
        "form": form,
        "filterset": filterset,
        "candidates": candidates,
        "limits": call_limits(),
    }
    if request.htmx and request.method == "GET":
        return render(request, "activities/call_list_form.html#preview", context)
    status = 422 if request.method == "POST" else 200
    return render(request, "activities/call_list_form.html", context, status=status)


@require_GET
@login_required
@nav_section("calls")
def call_list_detail(request: HttpRequest, call_list_id: int) -> HttpResponse:
    call_list = found_or_404(selectors.call_list_get, request.user, call_list_id)
    status = request.GET.get("status", "")
    if status not in CallEntryStatus.values:
        status = ""
    entries = selectors.call_list_entries(request.user, call_list, status)
    page = LimitedPaginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "call_list": call_list,
        "progress": selectors.call_list_progress(request.user, call_list),
        "page": page,
        "status": status,
        "statuses": CallEntryStatus.choices,
        "held": selectors.call_entry_held(request.user, call_list),
    }
    return render(request, "activities/call_list_detail.html", context)


def _next_call(request: HttpRequest, call_list: CallList) -> HttpResponse:
    entry = services.call_list_next(actor=request.user, call_list=call_list)
    if entry is None:
        messages.info(request, _("Nobody on this list is due for a call now."))
        return redirect("call_list_detail", call_list.pk)
    return redirect("call_screen", entry.pk)


@require_POST
@login_required
def call_list_next(request: HttpRequest, call_list_id: int) -> HttpResponse:
    """Nächster Anruf."""
    call_list = found_or_404(selectors.call_list_get, request.user, call_list_id)
    return _next_call(request, call_list)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("calls")
def call_screen(request: HttpRequest, call_entry_id: int) -> HttpResponse:
    """The contact on the phone: who, the buying center, the last conversations, and the
    outcome with what it needs. Only the caller holding the contact may save the call; one
    whose reservation went to a colleague meanwhile is told so, and keeps what he typed."""
    entry = found_or_404(selectors.call_entry_get, request.user, call_entry_id)
    if request.method == "GET" and not selectors.holds(request.user, entry):
        messages.info(request, _("This contact is not reserved for you (any more)."))
        return redirect("call_list_detail", entry.call_list_id)
    form = CallOutcomeForm(
        request.POST or None,
        initial={"reservation": entry.reservation},
        guide=_guide_shown(request, entry),
        actor=request.user,
        person=entry.person,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.call_outcome_record(
                actor=request.user, entry_id=entry.pk, **form.outcome_data()
            )
        except services.CallAlreadySaved as exc:
            # The form stays, with what was typed: the notes may still be wanted.
            form.add_error(None, exc)
            context = {**_screen(request, entry, form), "saved_elsewhere": True}
            return render(request, "activities/call_screen.html", context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Call saved."))
            if "then_next" in request.POST:
                return _next_call(request, entry.call_list)
            return redirect("call_list_detail", entry.call_list_id)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "activities/call_screen.html", _screen(request, entry, form), status=status
    )


def _guide_shown(request: HttpRequest, entry: CallListEntry) -> CallGuide | None:
    """The version the rep's form was built from when she saves (a colleague may have saved
    a newer one meanwhile), else the newest."""
    shown_id = request.POST.get("guide_id", "")
    return selectors.call_guide_for(
        request.user, entry, int(shown_id) if shown_id.isdigit() else None
    )


def _screen(request: HttpRequest, entry: CallListEntry, form: CallOutcomeForm) -> dict[str, Any]:
    return {
        "guide": form.guide,
        "entry": entry,
        "person": entry.person,
        "company": entry.company,
        "form": form,
        "skip_form": CallSkipForm(initial={"reservation": entry.reservation}),
        "buying_center": buying_center_of(request.user, entry.company),
        "reachability": selectors.reachability_of(entry.person),
        "timeline": selectors.timeline_of(request.user, company=entry.company, limit=5),
        "panels": registry.record_page("call", request.user, entry.company)["side"],
    }


@require_POST
@login_required
def call_skip(request: HttpRequest, call_entry_id: int) -> HttpResponse:
    """Skip or snooze the contact on screen: back to the list, due again later."""
    entry = found_or_404(selectors.call_entry_get, request.user, call_entry_id)
    form = CallSkipForm(request.POST)
    if not form.is_valid():
        problems = [error for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(problems))
        return redirect("call_list_detail", entry.call_list_id)
    try:
        services.call_entry_skip(actor=request.user, entry_id=entry.pk, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Contact put back on the list."))
    return redirect("call_list_detail", entry.call_list_id)


@require_POST
@login_required
def call_renew(request: HttpRequest, call_entry_id: int) -> JsonResponse:
    """The call screen keeps its contact reserved while it is open; ``held`` false tells it
    the reservation has gone to a colleague."""
    entry = found_or_404(selectors.call_entry_get, request.user, call_entry_id)
    try:
        renewed = services.call_entry_renew(
            actor=request.user, entry_id=entry.pk, reservation=request.POST.get("reservation")
        )
    except ValidationError as exc:
        return JsonResponse({"held": False, "message": " ".join(exc.messages)})
    return JsonResponse({"held": True, "reserved_until": renewed.reserved_until.isoformat()})
