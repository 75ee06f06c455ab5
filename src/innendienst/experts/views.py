"""The expert directory, the requests from an offer and the expert's own list."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.selectors import colleagues_for
from innendienst.core.forms import add_service_errors, seen_values
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial
from innendienst.experts import selectors, services
from innendienst.experts.access import (
    can_answer,
    can_maintain_directory,
    require_directory_maintainer,
)
from innendienst.experts.forms import AnswerForm, ExpertFilterForm, ExpertForm, ExpertRequestForm
from innendienst.experts.models import Expert, ExpertRequest, ExpertRequestStatus
from innendienst.offers.access import require_offer_writer
from innendienst.offers.models import Offer
from innendienst.offers.selectors import offer_get

# How far ahead an expert is asked by default: two working days are the house rule.
DEFAULT_DUE_DAYS = 2


@require_GET
@login_required
@nav_section("experts")
def expert_index(request: HttpRequest) -> HttpResponse:
    """Das Expertenverzeichnis: who knows which product group, industry or topic."""
    form = ExpertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    experts = selectors.expert_search(
        request.user,
        filters.get("q", ""),
        product_group=filters.get("product_group"),
        industry=filters.get("industry"),
    )
    context = {
        "form": form,
        "experts": list(experts),
        "filtered": any(filters.values()),
        "can_maintain": can_maintain_directory(request.user),
    }
    return render_page_or_partial(request, "experts/expert_index.html", context, "results")


def _expert_form(request: HttpRequest, expert: Expert | None) -> ExpertForm:
    if expert is None:
        initial: dict[str, Any] = {"active": True}
    else:
        initial = {
            **seen_values(expert, services.EXPERT_FIELDS),
            "product_groups": [group.pk for group in expert.product_groups.all()],
            "industries": [industry.pk for industry in expert.industries.all()],
        }
    form = ExpertForm(request.POST or None, initial=initial, users=colleagues_for(request.user))
    if expert is not None:
        # An entry stays with its colleague (his requests and answers stay his).
        form.fields["user"].disabled = True
    return form


def _expert_page(request: HttpRequest, expert: Expert | None) -> HttpResponse:
    form = _expert_form(request, expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_save(actor=request.user, expert=expert, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Expert directory saved."))
            return redirect("expert_index")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "expert": expert}
    return render(request, "experts/expert_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("experts")
def expert_create(request: HttpRequest) -> HttpResponse:
    require_directory_maintainer(request.user)
    return _expert_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("experts")
def expert_edit(request: HttpRequest, expert_id: int) -> HttpResponse:
    require_directory_maintainer(request.user)
    expert = found_or_404(selectors.expert_get, request.user, expert_id)
    return _expert_page(request, expert)


def _answer_form(expert_request: ExpertRequest, data: Any = None) -> AnswerForm:
    return AnswerForm(data, auto_id=f"id_answer_{expert_request.pk}_%s")


def _my_requests_page(
    request: HttpRequest, failed: dict[int, AnswerForm] | None = None
) -> HttpResponse:
    failed = failed or {}
    mine = selectors.requests_for_expert(request.user)
    today = timezone.localdate()
    open_requests = [
        (r, selectors.due_state(r, today), failed.get(r.pk) or _answer_form(r))
        for r in mine.filter(status=ExpertRequestStatus.OPEN)
    ]
    closed = list(mine.exclude(status=ExpertRequestStatus.OPEN)[: selectors.CLOSED_ROWS])
    context = {
        "open_requests": open_requests,
        "closed_requests": closed,
        "asked_requests": [
            (r, selectors.due_state(r, today)) for r in selectors.requests_asked_by(request.user)
        ],
        "is_expert": bool(open_requests or closed) or selectors.is_expert(request.user),
    }
    return render(request, "experts/my_requests.html", context, status=422 if failed else 200)


@require_GET
@login_required
@nav_section("experts")
def expert_requests(request: HttpRequest) -> HttpResponse:
    """The expert's own list: what waits for his answer, then what he answered; and the
    open requests the user asked himself."""
    return _my_requests_page(request)


def _request_form(request: HttpRequest, offer: Offer) -> tuple[ExpertRequestForm, list[Expert]]:
    suggested = selectors.suggested_experts(request.user, offer)
    due_on = timezone.localdate() + datetime.timedelta(days=DEFAULT_DUE_DAYS)
    initial = {"due_on": due_on, "expert": suggested[0].pk if suggested else None}
    line_id = request.GET.get("line", "")
    if line_id.isdigit():
        initial["line"] = int(line_id)
    form = ExpertRequestForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        experts=selectors.askable_experts(request.user),
        suggested=suggested,
        lines=offer.lines.order_by("position", "id"),
    )
    return form, suggested


def _create(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = found_or_404(offer_get, request.user, offer_id)
    require_offer_writer(request.user)
    form, suggested = _request_form(request, offer)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_request_create(actor=request.user, offer=offer, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The expert has been asked."))
            return redirect("offer_detail", offer.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "offer": offer, "suggested": suggested}
    return render(request, "experts/request_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("offers")
def expert_request_new(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The form to ask an expert from an offer, with the experts of its product groups
    suggested; its errors at their fields."""
    return _create(request, offer_id)


@require_POST
@login_required
@nav_section("offers")
def expert_request_create(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _create(request, offer_id)


@require_POST
@login_required
def expert_request_answer(request: HttpRequest, expert_request_id: int) -> HttpResponse:
    # Only colleagues of the directory answer requests: for anybody else there is nothing here.
    if not selectors.is_expert(request.user):
        raise PermissionDenied(_("Only the experts of the directory answer requests."))
    expert_request = found_or_404(selectors.expert_request_get, request.user, expert_request_id)
    if not can_answer(request.user, expert_request):
        raise PermissionDenied(_("Only the expert asked answers this request."))
    if not expert_request.is_open:
        messages.error(request, _("This request is no longer open."))
        return redirect("expert_requests")
    form = _answer_form(expert_request, request.POST)
    if form.is_valid():
        try:
            services.expert_request_answer(
                actor=request.user,
                expert_request=expert_request,
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Answer sent."))
            return redirect("expert_requests")
    return _my_requests_page(request, {expert_request.pk: form})


@require_POST
@login_required
def expert_request_withdraw(request: HttpRequest, expert_request_id: int) -> HttpResponse:
    expert_request = found_or_404(selectors.request_to_withdraw, request.user, expert_request_id)
    try:
        services.expert_request_withdraw(actor=request.user, expert_request=expert_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect("offer_detail", expert_request.offer_id)
