"""Qualifizierung: the re-qualification queue, the quality report, the checklists per
customer group, and a customer marked as re-qualified."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.accounts.access import require_master_data_editor
from innendienst.contacts import selectors as contacts
from innendienst.contacts.models import CustomerGroup
from innendienst.core.forms import add_service_errors
from innendienst.core.paging import LimitedPaginator
from innendienst.core.web import found_or_404, nav_section, render_page_or_partial, safe_next_url
from innendienst.qualification import selectors, services
from innendienst.qualification.filters import RequalificationFilterSet
from innendienst.qualification.forms import ChecklistForm, RequalificationForm
from innendienst.qualification.models import DEFAULT_REQUALIFY_AFTER_MONTHS, Checklist


@require_GET
@login_required
@nav_section("qualification")
def queue(request: HttpRequest) -> HttpResponse:
    require_master_data_editor(request.user)
    filterset = RequalificationFilterSet(
        request.GET, queryset=selectors.requalification_queue(request.user), user=request.user
    )
    rows = filterset.results().select_related(
        "territory", "inside_rep", "customer_group", "quality"
    )
    page = LimitedPaginator(rows, contacts.LIST_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "page": page,
        "default_months": DEFAULT_REQUALIFY_AFTER_MONTHS,
        "tab": "queue",
    }
    return render_page_or_partial(request, "qualification/queue.html", context, "results")


@require_GET
@login_required
@nav_section("qualification")
def report(request: HttpRequest) -> HttpResponse:
    require_master_data_editor(request.user)
    context = {"report": selectors.quality_report(request.user), "tab": "report"}
    return render(request, "qualification/report.html", context)


def _editing(request: HttpRequest) -> CustomerGroup | None:
    """The customer group whose checklist the manager edits (``?edit=`` or the posted form)."""
    value = request.POST.get("customer_group") or request.GET.get("edit") or ""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return get_object_or_404(CustomerGroup, pk=int(value))


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("qualification")
def checklists(request: HttpRequest) -> HttpResponse:
    """Every customer group's checklist; a sales manager edits one of them in place."""
    require_master_data_editor(request.user)
    group = _editing(request)
    form = None
    if group is not None or request.method == "POST":
        if not services.may_edit_checklists(request.user):
            raise PermissionDenied(_("Only sales managers maintain the qualification checklists."))
        if group is None:
            raise Http404
        checklist = Checklist.objects.filter(customer_group=group).first()
        form = ChecklistForm(request.POST or None, instance=checklist)
        if request.method == "POST" and form.is_valid():
            try:
                services.checklist_save(
                    actor=request.user, customer_group=group, data=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Checklist saved. The companies of %(group)s are scored again.")
                    % {"group": group.name},
                )
                return redirect("checklist_list")
    by_group = {checklist.customer_group_id: checklist for checklist in Checklist.objects.all()}
    context = {
        "groups": [(each, by_group.get(each.pk)) for each in CustomerGroup.objects.all()],
        "editing": group,
        "default_months": DEFAULT_REQUALIFY_AFTER_MONTHS,
        "form": form,
        "may_edit_checklists": services.may_edit_checklists(request.user),
        "tab": "checklists",
    }
    return render(request, "qualification/checklists.html", context)


@require_POST
@login_required
def requalified(request: HttpRequest, company_id: int) -> HttpResponse:
    company = found_or_404(contacts.company_get, request.user, company_id)
    form = RequalificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
    else:
        try:
            services.requalification_record(
                actor=request.user, company=company, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Noted: re-qualified. The customer leaves the queue."))
    return redirect(safe_next_url(request, default=company.get_absolute_url()))
