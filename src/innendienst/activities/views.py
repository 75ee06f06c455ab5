from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.activities import selectors, services
from innendienst.activities.access import can_change_activity
from innendienst.activities.calendar import activity_ics
from innendienst.activities.forms import EDITABLE_FIELDS, ActivityForm
from innendienst.activities.models import Activity
from innendienst.contacts.selectors import company_get, people_of_company
from innendienst.core.forms import add_service_errors, seen_values
from innendienst.core.web import found_or_404, nav_section, safe_next_url


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def activity_create(request: HttpRequest, company_id: int) -> HttpResponse:
    """Log an activity; from the 360° page the form comes and goes as an htmx fragment."""
    company = found_or_404(company_get, request.user, company_id)
    people = people_of_company(request.user, company)
    initial = {"kind": request.GET.get("kind", "call"), "person": request.GET.get("person")}
    form = ActivityForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_log(
                actor=request.user,
                company=company,
                data=form.service_data(),
                follow_up_at=form.cleaned_data.get("follow_up_at"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            if not request.htmx:
                return redirect("company_detail", company.pk)
            # The dialog posted by htmx: reload the whole 360° page, with the new entry.
            return HttpResponse(
                status=204, headers={"HX-Redirect": reverse("company_detail", args=[company.pk])}
            )
    template = "activities/activity_form.html"
    if request.htmx:
        template += "#form"
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "company": company, "in_dialog": bool(request.htmx)}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("companies")
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = found_or_404(selectors.activity_get, request.user, activity_id)
    if not can_change_activity(request.user, activity):
        raise PermissionDenied(_("You may only change your own activities."))
    people = people_of_company(request.user, activity.company)
    seen = seen_values(activity, EDITABLE_FIELDS)
    form = ActivityForm(request.POST or None, people=people, editing=True, seen=seen)
    if request.method == "POST" and form.is_valid():
        data, seen_by_user = form.changed_service_data()
        try:
            services.activity_update(
                actor=request.user, activity=activity, data=data, seen=seen_by_user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            form.note_conflicts(exc, Activity.objects.get(pk=activity.pk))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("company_detail", activity.company_id)
    context = {"form": form, "company": activity.company, "activity": activity}
    return render(request, "activities/activity_form.html", context)


@require_POST
@login_required
def activity_complete(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = found_or_404(selectors.activity_get, request.user, activity_id)
    services.activity_complete(actor=request.user, activity=activity)
    messages.success(request, _("Done: %(subject)s") % {"subject": activity.subject})
    return redirect(safe_next_url(request, default="my_day"))


@require_GET
@login_required
def activity_calendar(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The follow-up or visit as a calendar file."""
    activity = found_or_404(selectors.activity_get, request.user, activity_id)
    if activity.due_at is None:
        raise Http404(_("Only a task with a date goes into a calendar."))
    url = request.build_absolute_uri(reverse("company_detail", args=[activity.company_id]))
    response = HttpResponse(
        activity_ics(activity, url=url, host=request.get_host()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="termin-{activity.pk}.ics"'
    return response
