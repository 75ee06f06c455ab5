"""Pages of automation: rules with their runs, the inbound events, event sources and
webhooks with their delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.automation import engine, selectors, services
from innendienst.automation.access import can_edit_rules, can_manage_integrations
from innendienst.automation.forms import (
    EventSourceForm,
    RuleForm,
    WebhookForm,
    fits_the_form,
    rule_initial,
)
from innendienst.automation.models import Rule, Webhook
from innendienst.core.forms import add_service_errors
from innendienst.core.paging import LimitedPaginator
from innendienst.core.web import found_or_404, nav_section

RUNS_PER_PAGE = 50


def _require_rule_editor(request: HttpRequest) -> None:
    if not can_edit_rules(request.user):
        raise PermissionDenied(_("Your role may not change automation rules."))


def _require_integration_admin(request: HttpRequest) -> None:
    if not can_manage_integrations(request.user):
        raise PermissionDenied(_("Only administrators manage event sources and webhooks."))


def _tabs(request: HttpRequest, current: str) -> dict[str, object]:
    return {"tab": current, "integrations": can_manage_integrations(request.user)}


@require_GET
@login_required
@nav_section("automation")
def rule_list(request: HttpRequest) -> HttpResponse:
    _require_rule_editor(request)
    rules = [
        {"rule": rule, "actions": engine.describe_actions(rule.actions)}
        for rule in selectors.rules_for(request.user)
    ]
    runs = selectors.runs_of(request.user)[:20]
    return render(
        request,
        "automation/rule_list.html",
        {"rules": rules, "runs": runs, **_tabs(request, "rules")},
    )


def _save_rule(request: HttpRequest, rule: Rule | None) -> HttpResponse:
    initial = rule_initial(rule) if rule else {"active": True, "task_due_days": 1}
    form = RuleForm(request.POST or None, initial=initial)
    if rule is not None and not fits_the_form(rule):
        form.add_error(
            None,
            _("This rule has several actions of one kind, written through the API; change it "
              "there, so that none is lost."),
        )  # fmt: skip
    elif request.method == "POST" and form.is_valid():
        try:
            saved = services.rule_save(actor=request.user, rule=rule, data=form.rule_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rule “%(name)s” saved.") % {"name": saved.name})
            return redirect("automation_rules")
    runs = selectors.runs_of(request.user, rule)[:RUNS_PER_PAGE] if rule else []
    status = 422 if form.errors else 200
    context = {"form": form, "rule": rule, "runs": runs, **_tabs(request, "rules")}
    return render(request, "automation/rule_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("automation")
def rule_new(request: HttpRequest) -> HttpResponse:
    _require_rule_editor(request)
    return _save_rule(request, None)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("automation")
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    _require_rule_editor(request)
    return _save_rule(request, found_or_404(selectors.rule_get, request.user, rule_id))


@require_POST
@login_required
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    _require_rule_editor(request)
    rule = found_or_404(selectors.rule_get, request.user, rule_id)
    services.rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Rule “%(name)s” deleted.") % {"name": rule.name})
    return redirect("automation_rules")


@require_GET
@login_required
@nav_section("automation")
def inbound_list(request: HttpRequest) -> HttpResponse:
    _require_rule_editor(request)
    page = LimitedPaginator(selectors.inbound_events_for(request.user), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "automation/inbound_list.html", {"page": page, **_tabs(request, "inbound")}
    )


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("automation")
def source_list(request: HttpRequest) -> HttpResponse:
    _require_integration_admin(request)
    form = EventSourceForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.event_source_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = EventSourceForm()
    context = {
        "form": form,
        "sources": selectors.sources_for(request.user),
        # The secret is shown once, right after it was made; the list never shows it.
        "created": created,
        **_tabs(request, "sources"),
    }
    status = 422 if form.errors else 200
    return render(request, "automation/source_list.html", context, status=status)


@require_POST
@login_required
@nav_section("automation")
def source_rotate(request: HttpRequest, source_id: int) -> HttpResponse:
    _require_integration_admin(request)
    source = found_or_404(selectors.source_get, request.user, source_id)
    source = services.event_source_rotate(actor=request.user, source=source)
    context = {
        "form": EventSourceForm(),
        "sources": selectors.sources_for(request.user),
        "created": source,
        **_tabs(request, "sources"),
    }
    return render(request, "automation/source_list.html", context)


@require_POST
@login_required
def source_toggle(request: HttpRequest, source_id: int) -> HttpResponse:
    _require_integration_admin(request)
    source = found_or_404(selectors.source_get, request.user, source_id)
    services.event_source_set_active(actor=request.user, source=source, active=not source.active)
    return redirect("automation_sources")


@require_POST
@login_required
@nav_section("automation")
def webhook_rotate(request: HttpRequest, webhook_id: int) -> HttpResponse:
    _require_integration_admin(request)
    webhook = found_or_404(selectors.webhook_get, request.user, webhook_id)
    webhook = services.webhook_rotate(actor=request.user, webhook=webhook)
    return _webhook_page(request, webhook, created=webhook)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("automation")
def webhook_list(request: HttpRequest) -> HttpResponse:
    _require_integration_admin(request)
    form = WebhookForm(request.POST or None, initial={"active": True})
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.webhook_save(
                actor=request.user, webhook=None, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = WebhookForm(initial={"active": True})
    context = {
        "form": form,
        "webhooks": selectors.webhooks_for(request.user),
        "created": created,
        **_tabs(request, "webhooks"),
    }
    status = 422 if form.errors else 200
    return render(request, "automation/webhook_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("automation")
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    _require_integration_admin(request)
    webhook = found_or_404(selectors.webhook_get, request.user, webhook_id)
    initial = {"name": webhook.name, "url": webhook.url, "events": webhook.events,
               "active": webhook.active}  # fmt: skip
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_save(actor=request.user, webhook=webhook, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("automation_webhook", webhook.pk)
    return _webhook_page(request, webhook, form=form)


def _webhook_page(
    request: HttpRequest,
    webhook: Webhook,
    form: WebhookForm | None = None,
    created: Webhook | None = None,
) -> HttpResponse:
    if form is None:
        initial = {"name": webhook.name, "url": webhook.url, "events": webhook.events,
                   "active": webhook.active}  # fmt: skip
        form = WebhookForm(initial=initial)
    page = LimitedPaginator(selectors.deliveries_of(request.user, webhook), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "webhook": webhook,
        "page": page,
        "created": created,
        **_tabs(request, "webhooks"),
    }
    status = 422 if form.errors else 200
    return render(request, "automation/webhook_detail.html", context, status=status)


@require_POST
@login_required
def delivery_replay(request: HttpRequest, webhook_id: int, delivery_id: int) -> HttpResponse:
    _require_integration_admin(request)
    webhook = found_or_404(selectors.webhook_get, request.user, webhook_id)
    delivery = found_or_404(
        lambda user, pk: selectors.delivery_get(user, webhook, pk), request.user, delivery_id
    )
    services.webhook_replay(actor=request.user, delivery=delivery)
    messages.success(request, _("The delivery is sent again."))
    return redirect("automation_webhook", webhook.pk)
