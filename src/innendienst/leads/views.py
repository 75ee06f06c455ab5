from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_replace
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.access import can_edit_master_data
from innendienst.accounts.models import SYSTEM_USERNAME_PREFIX, Role, User
from innendienst.accounts.selectors import territories_for
from innendienst.activities.access import can_make_call_lists
from innendienst.contacts.models import Salutation
from innendienst.contacts.selectors import companies_for, company_get, people_of_company
from innendienst.core.forms import add_service_errors
from innendienst.core.models import Country
from innendienst.core.paging import LimitedPaginator
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial, safe_next_url
from innendienst.leads import capture, capture_lookups, selectors, services, sla, webform
from innendienst.leads.access import (
    LEAD_WORKERS,
    can_answer_handover,
    can_work_leads,
    is_lead_manager,
)
from innendienst.leads.capture import ConsentGiven
from innendienst.leads.forms import (
    LeadAssignForm,
    LeadCaptureForm,
    LeadFollowUpForm,
    LeadMoveForm,
    QuickEntryForm,
    WebForm,
)
from innendienst.leads.models import Lead, LeadSource, LeadStage, StageReason

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
        "sees_score_model": is_lead_manager(request.user),
        "bulk": _bulk_choices(request.user),
    }
    return render_page_or_partial(request, "leads/lead_inbox.html", context, "results")


BULK_STAGES = (LeadStage.MQL, LeadStage.DISQUALIFIED)


def _bulk_choices(user: User) -> dict[str, Any] | None:
    """What the inbox offers for ticked leads: give them to a rep, qualify them as MQL or
    disqualify them (with a reason); handing over stays one by one, to the field rep chosen."""
    if not can_work_leads(user):
        return None
    return {
        "reps": _lead_workers(),
        "stages": [(stage.value, stage.label) for stage in BULK_STAGES],
        "reasons": [(reason.value, reason.label) for reason in StageReason],
        "call_lists": can_make_call_lists(user),
    }


@require_POST
@login_required
def lead_bulk(request: HttpRequest) -> HttpResponse:
    """Many ticked leads at once from the inbox: each changed under the same rules as alone."""
    back = safe_next_url(request, default=reverse("lead_inbox"))
    if not can_work_leads(request.user):
        raise PermissionDenied(_("Your role may not work leads."))
    ids = [int(value) for value in request.POST.getlist("lead") if value.isdigit()]
    if request.POST.get("action") == "call_list":
        return _call_list_of(request, ids, back)
    owner_id = request.POST.get("owner", "")
    owner = (
        User.objects.filter(pk=int(owner_id), is_active=True).first()
        if owner_id.isdigit() and request.POST.get("action") == "assign"
        else None
    )
    stage = request.POST.get("stage", "") if request.POST.get("action") == "move" else ""
    if stage and stage not in BULK_STAGES:
        messages.error(request, _("There is no such stage."))
        return redirect(back)
    try:
        result = services.leads_bulk(
            actor=request.user,
            lead_ids=ids,
            owner=owner,
            to_stage=stage,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if result.done:
        messages.success(
            request,
            _("%(count)s leads changed.") % {"count": len(result.done)},
        )
    for lead, why in result.refused:
        messages.warning(request, f"{lead.company.name}: {why}")
    if not result.done and not result.refused:
        messages.warning(request, _("None of the ticked leads is one you may change."))
    return redirect(back)


def _call_list_of(request: HttpRequest, ids: list[int], back: str) -> HttpResponse:
    """The ticked leads' contacts as a call list of the user's team."""
    try:
        call_list, left_out = services.leads_call_list(
            actor=request.user, lead_ids=ids, name=request.POST.get("call_list_name", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(back)
    messages.success(request, _("Call list created."))
    if left_out:
        messages.info(
            request,
            ngettext(
                "%(count)s contact was left out: no phone number, an objection or the contact "
                "limit.",
                "%(count)s contacts were left out: no phone number, an objection or the "
                "contact limit.",
                left_out,
            )
            % {"count": left_out},
        )
    return redirect("call_list_detail", call_list.pk)


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
        .exclude(username__startswith=SYSTEM_USERNAME_PREFIX)
        .only("id", "first_name", "last_name", "username")
        .order_by("last_name", "first_name")
    )


def _follow_up_form(
    request: HttpRequest, lead: Lead, *, bound: bool = False
) -> LeadFollowUpForm | None:
    """The follow-up call's form (with what was posted: ``bound``), where the user may record
    one for this lead."""
    if not can_work_leads(request.user) or lead.stage not in services.FOLLOW_UP_STAGES:
        return None
    return LeadFollowUpForm(
        request.POST if bound else None,
        lead=lead,
        people=people_of_company(request.user, lead.company),
        with_key_contacts=can_edit_master_data(request.user),
    )


def _detail(
    request: HttpRequest,
    lead: Lead,
    move_form: LeadMoveForm,
    status: int = 200,
    assign_form: LeadAssignForm | None = None,
    follow_up_form: LeadFollowUpForm | None = None,
):
    if follow_up_form is None:
        follow_up_form = _follow_up_form(request, lead)
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
        "engagements": selectors.engagements_of(lead),
        "definitions": selectors.stage_definitions(),
        "next_steps": _next_steps(request.user, lead),
        "move_form": move_form,
        "needs_reason": services.NEEDS_REASON,
        "follow_up_form": follow_up_form,
        # A trade-fair lead is called after the fair: its form comes first and open.
        "follow_up_first": lead.source == LeadSource.TRADE_FAIR,
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


@require_POST
@login_required
@nav_section("leads")
def lead_follow_up(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Messe-Nachfassgespräch: the follow-up call recorded from the lead's page; htmx swaps
    the form with its errors (422), a saved call reloads the page."""
    lead = found_or_404(selectors.lead_get, request.user, lead_id)
    if not can_work_leads(request.user):
        raise PermissionDenied(_("Your role may not work leads."))
    form = _follow_up_form(request, lead, bound=True)
    if form is None:
        # Handed over or closed meanwhile: the page says what can be done now.
        messages.error(request, _("This lead is no longer followed up by phone."))
        return _htmx_or_redirect(request, lead)
    if form.is_valid():
        try:
            result = services.lead_follow_up(
                actor=request.user, lead=lead, data=form.service_data()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _follow_up_message(result))
            return _htmx_or_redirect(request, result.lead)
    if request.htmx:
        context = {"follow_up_form": form, "lead": lead, "follow_up_first": True}
        return render(request, "leads/_follow_up_form.html", context, status=422)
    reps = _handover_reps() if LeadStage.SQL in services.TRANSITIONS[lead.stage] else []
    return _detail(request, lead, LeadMoveForm(reps=reps), status=422, follow_up_form=form)


def _htmx_or_redirect(request: HttpRequest, lead: Lead) -> HttpResponse:
    if request.htmx:
        # The form was swapped in place: the whole page must show the lead as it is now.
        return HttpResponse(
            status=204, headers={"HX-Redirect": reverse("lead_detail", args=[lead.pk])}
        )
    return redirect("lead_detail", lead.pk)


def _follow_up_message(result: services.FollowUp) -> str:
    lead = result.lead
    if lead.stage == LeadStage.SQL:
        return _("Call saved; the lead is handed over to %(owner)s for the visit.") % {
            "owner": lead.owner
        }
    if lead.stage == LeadStage.DISQUALIFIED:
        return _("Call saved; the lead is disqualified: %(reason)s.") % {
            "reason": lead.get_reason_display()
        }
    return _("Call saved.")


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


# --- capture paths: quick entry of an inbound call, booth mode, the public web form ----------

QUICK_ENTRY_CONSENT = gettext_lazy(
    "The caller agrees to be contacted by e-mail and phone about his enquiry and related "
    "products; he may withdraw this at any time."
)


def _capture_errors(form: forms.Form, exc: ValidationError) -> None:
    """The service names ``company.name``; the form's field is ``company_name``. A picked
    company that is gone shows at the company's name."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    renamed = {"company_id": "company_name"}
    for name, errors in exc.error_dict.items():
        field = renamed.get(name, name.replace(".", "_"))
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("leads")
def lead_quick_entry(request: HttpRequest) -> HttpResponse:
    """Quick entry of an inbound call: company (picked from the hints or typed), caller, need."""
    if not can_work_leads(request.user):
        raise PermissionDenied(_("Your role may not work leads."))
    territories = list(territories_for(request.user).order_by("path"))
    form = QuickEntryForm(request.POST or None, territories=territories)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        consent = None
        if cleaned["consent"]:
            consent = ConsentGiven(
                wording=str(QUICK_ENTRY_CONSENT), source=str(LeadSource.INBOUND_CALL.label)
            )
        territory = next((t for t in territories if t.pk == cleaned["company_territory"]), None)
        try:
            result = capture.lead_capture_matching(
                actor=request.user,
                data=form.lead_data(),
                company=form.company_values(),
                company_id=cleaned["company_id"],
                person=form.person_values(),
                stage=cleaned["stage"],
                consent=consent,
                territory=territory,
            )
        except ValidationError as exc:
            _capture_errors(form, exc)
        else:
            lead = result.lead
            messages.success(
                request,
                _("Lead captured; it is in the queue of %(owner)s.")
                % {"owner": lead.owner or _("nobody yet")},
            )
            return redirect("lead_detail", lead.pk)
    picked = None
    if form.is_bound and form.data.get("company_id", "").isdigit():
        picked = companies_for(request.user).filter(pk=form.data["company_id"]).first()
    context = {"form": form, "picked": picked, "consent_wording": QUICK_ENTRY_CONSENT}
    status = 422 if request.method == "POST" else 200
    return render(request, "leads/quick_entry.html", context, status=status)


@require_GET
@login_required
def lead_company_hints(request: HttpRequest) -> HttpResponse:
    """While the company is typed: the companies of that name the user sees and the record the
    duplicate engine takes it for (quick entry and booth mode)."""
    typed = {name: request.GET.get(f"company_{name}", "")[:200] for name in capture.COMPANY_INPUT}
    hits, twin = capture_lookups.company_hints(request.user, typed)
    context = {"hits": hits, "twin": twin, "typed": typed["name"]}
    return render(request, "leads/_company_hints.html", context)


@require_GET
@login_required
@nav_section("leads")
def lead_booth(request: HttpRequest) -> HttpResponse:
    """Booth mode (Messe-Modus): a tablet at the fair, with an offline queue."""
    if not can_work_leads(request.user):
        raise PermissionDenied(_("Your role may not work leads."))
    context = {
        "interests": capture_lookups.interest_choices(),
        "consent_wording": webform.CONSENT_WORDING,
        "countries": Country.choices,
        "salutations": Salutation.choices,
    }
    return render(request, "leads/booth.html", context)


@require_GET
@login_required
def lead_booth_worker(request: HttpRequest) -> HttpResponse:
    """The booth's service worker, served from below the booth's URL so that its scope covers
    the page; it names the static files it keeps by their current URLs."""
    assets = [static(name) for name in BOOTH_ASSETS]
    response = render(
        request,
        "leads/booth_worker.js",
        {"assets_json": json.dumps([reverse("lead_booth"), *assets])},
        content_type="text/javascript; charset=utf-8",
    )
    # A new version of the worker must reach the tablets the next time they are online.
    response["Cache-Control"] = "no-cache"
    return response


BOOTH_ASSETS = (
    "innendienst/app.css",
    "leads/capture.css",
    "leads/company_picker.js",
    "leads/booth.js",
)


def _framable_by_the_website(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``frame-ancestors`` of ``LEAD_WEB_FORM_FRAME_ANCESTORS`` (by default only our own
    pages), read per request so that a changed setting needs no new import."""

    @wraps(view)
    def framed(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        replace = csp_replace({"frame-ancestors": webform.frame_ancestors()})
        return replace(view)(request, *args, **kwargs)

    return framed


@csrf_exempt  # no session on the stranger's site that frames it: its signed token guards it
@xframe_options_exempt
@_framable_by_the_website
@require_http_methods(["GET", "POST"])
def lead_web_form(request: HttpRequest) -> HttpResponse:
    """The public enquiry form, for an iframe on the company's website: no login, no chrome."""
    status, sent, page_error = 200, False, ""
    form = WebForm(initial={"form_token": webform.form_token()})
    if request.method == "POST" and webform.too_big(request):
        # Not read at all: the size alone is the answer.
        status, page_error = 413, webform.too_big_message()
    elif request.method == "POST":
        try:
            webform.count_submission(request)
        except webform.TooManySubmissions:
            status, page_error = 429, webform.too_many_message()
        else:
            form = WebForm(request.POST)
            status, sent = _web_form_sent(form)
            if not sent:
                # A fresh token: correcting and sending again takes time anyway.
                form.data = form.data.copy()
                form.data["form_token"] = webform.form_token()
    context = {
        "form": form,
        "sent": sent,
        "page_error": page_error,
        "consent_wording": webform.CONSENT_WORDING,
    }
    return render(request, "leads/web_form.html", context, status=status)


def _web_form_sent(form: WebForm) -> tuple[int, bool]:
    if form.data.get(webform.HONEYPOT):
        # A bot filled the honeypot: it sees what a person sees, and nothing is kept.
        return 200, True
    valid = form.is_valid()
    for name, message in webform.markup_errors(form.data.dict()).items():
        if name in form.fields:
            form.add_error(name, message)
    token = form.data.get("form_token", "")
    token_problem = webform.token_error(token)
    if token_problem:
        form.add_error(None, token_problem)
    if not valid or form.errors:
        return 422, False
    token_problem = webform.claim_token(token)
    if token_problem:  # sent twice at the same moment
        form.add_error(None, token_problem)
        return 422, False
    try:
        capture.lead_capture_web_form(
            company=form.company_values(),
            person=form.person_values(),
            data=form.lead_data(),
            # Our own words, as the page showed them in the visitor's language.
            consent_wording=str(webform.CONSENT_WORDING),
            consent_source=_("Web form"),
        )
    except ValidationError as exc:
        webform.release_token(token)
        _capture_errors(form, exc)
        return 422, False
    return 200, True
