from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.models import Role, User
from innendienst.contacts.selectors import company_get, people_of_company
from innendienst.core.forms import add_service_errors
from innendienst.core.paging import LimitedPaginator
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial
from innendienst.leads import selectors, services, sla
from innendienst.leads.access import (
    LEAD_WORKERS,
    can_answer_handover,
    can_work_leads,
    is_lead_manager,
)
from innendienst.leads.forms import LeadAssignForm, LeadCaptureForm, LeadMoveForm
from innendienst.leads.models import Lead, LeadStage

LEADS_PER_PAGE = 50


@require_GET
@login_required
@nav_section("leads")
def lead_inbox(request: HttpRequest) -> HttpResponse:
    """The lead inbox: open leads, running SLA clocks first, the earliest due first."""
    filterset = selectors.lead_filter(request.user, request.GET)
    page = LimitedPaginator(filterset.results(), LEADS_PER_PAGE).get_page(request.GET.get("page"))
    selectors.annotate_page(page.object_list)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "definitions": selectors.stage_definitions(),
    }
    return render_page_or_partial(request, "leads/lead_inbox.html", context, "results")


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("leads")
def lead_capture(request: HttpRequest, company_id: int) -> HttpResponse:
    if not can_work_leads(request.user):
        raise PermissionDenied(_("Your role may not work leads."))
    company = found_or_404(company_get, request.user, company_id)
    people = people_of_company(request.user, company)
    initial = {"person": request.GET.get("person"), "currency": company.currency}
    form = LeadCaptureForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lead, _created = services.lead_capture(
                actor=request.user,
                company=company,
                data=form.service_data(),
                stage=form.cleaned_data["stage"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Lead captured; it is in the queue of %(owner)s.") % {"owner": lead.owner},
            )
            return redirect("lead_detail", lead.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "company": company, "definitions": selectors.stage_definitions()}
    return render(request, "leads/lead_capture.html", context, status=status)


def _handover_reps() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=[Role.FIELD_SALES, Role.KEY_ACCOUNT])
        .only("id", "first_name", "last_name", "username")
        .order_by("last_name", "first_name")
    )


def _next_steps(user: User, lead: Lead) -> list[LeadStage]:
    if not can_work_leads(user):
        return []
    if lead.stage == LeadStage.SQL and not can_answer_handover(user, lead):
        return []
    return [stage for stage in LeadStage if stage in services.TRANSITIONS[lead.stage]]


def _lead_workers() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=LEAD_WORKERS)
        .only("id", "first_name", "last_name", "username")
        .order_by("last_name", "first_name")
    )


def _detail(
    request: HttpRequest,
    lead: Lead,
    move_form: LeadMoveForm,
    status: int = 200,
    assign_form: LeadAssignForm | None = None,
):
    can_assign = (
        can_work_leads(request.user)
        and lead.is_open
        and (lead.stage != LeadStage.SQL or can_answer_handover(request.user, lead))
    )
    if can_assign and assign_form is None:
        assign_form = LeadAssignForm(reps=_lead_workers(), initial={"owner": lead.owner_id})
    context = {
        "assign_form": assign_form if can_assign else None,
        "lead": lead,
        "history": selectors.stage_history(lead),
        "alerts": sla.alerts_of(lead),
        "definitions": selectors.stage_definitions(),
        "next_steps": _next_steps(request.user, lead),
        "move_form": move_form,
        "needs_reason": services.NEEDS_REASON,
    }
    return render(request, "leads/lead_detail.html", context, status=status)


@require_GET
@login_required
@nav_section("leads")
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = found_or_404(selectors.lead_get, request.user, lead_id)
    reps = _handover_reps() if LeadStage.SQL in services.TRANSITIONS[lead.stage] else []
    return _detail(request, lead, LeadMoveForm(reps=reps))


@require_POST
@login_required
@nav_section("leads")
def lead_move(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = found_or_404(selectors.lead_get, request.user, lead_id)
    form = LeadMoveForm(request.POST, reps=_handover_reps())
    if form.is_valid():
        owner = None
        if form.cleaned_data["owner"]:
            owner = User.objects.filter(pk=form.cleaned_data["owner"]).first()
        try:
            lead = services.lead_move(
                actor=request.user,
                lead=lead,
                to_stage=form.cleaned_data["stage"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                owner=owner,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The lead is now: %(stage)s.") % {"stage": lead.get_stage_display()}
            )
            return redirect("lead_detail", lead.pk)
    return _detail(request, lead, form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("leads")
def stage_definitions(request: HttpRequest) -> HttpResponse:
    """The written definitions of the stages; the sales manager keeps them."""
    editable = is_lead_manager(request.user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Only a sales manager may change the stage definitions."))
        texts = {stage.value: request.POST.get(stage.value, "") for stage in LeadStage}
        try:
            services.stage_definitions_update(actor=request.user, texts=texts)
        except ValidationError as exc:
            errors = {name: " ".join(messages_) for name, messages_ in exc.message_dict.items()}
        else:
            messages.success(request, _("Stage definitions saved."))
            return redirect("lead_stage_definitions")
    rows = [
        {
            "stage": stage,
            "label": label,
            "text": request.POST.get(stage, "") if errors else definition,
            "error": errors.get(stage, ""),
        }
        for stage, label, definition in selectors.stage_definitions()
    ]
    status = 422 if errors else 200
    return render(
        request, "leads/stage_definitions.html", {"rows": rows, "editable": editable}, status=status
    )


REPORT_PERIODS = {"30": 30, "90": 90, "365": 365}


@require_GET
@login_required
@nav_section("leads")
def sla_report(request: HttpRequest) -> HttpResponse:
    """SLA adherence of the leads the user sees, per rep, team or source."""
    period = request.GET.get("days", "90")
    group = request.GET.get("by", "owner")
    if period not in REPORT_PERIODS or group not in sla.REPORT_GROUPS:
        period, group = "90", "owner"
    now = timezone.now()
    rows = sla.sla_report(
        selectors.leads_for(request.user),
        since=now - datetime.timedelta(days=REPORT_PERIODS[period]),
        group=group,
        now=now,
    )
    context = {"rows": rows, "days": period, "by": group, "periods": REPORT_PERIODS}
    return render(request, "leads/sla_report.html", context)


@require_POST
@login_required
@nav_section("leads")
def lead_assign(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = found_or_404(selectors.lead_get, request.user, lead_id)
    form = LeadAssignForm(request.POST, reps=_lead_workers())
    if form.is_valid():
        owner = User.objects.get(pk=form.cleaned_data["owner"])
        try:
            lead = services.lead_assign(
                actor=request.user, lead=lead, owner=owner, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(owner)s is now responsible.") % {"owner": owner})
            return redirect("lead_detail", lead.pk)
    reps = _handover_reps() if LeadStage.SQL in services.TRANSITIONS[lead.stage] else []
    return _detail(request, lead, LeadMoveForm(reps=reps), status=422, assign_form=form)
