from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innendienst.activities import selectors, services
from innendienst.activities.forms import ActivityForm
from innendienst.contacts.selectors import company_get, people_of_company
from innendienst.core.web import found_or_404, nav_section


@require_GET
@login_required
@nav_section("my_day")
def my_day(request: HttpRequest) -> HttpResponse:
    buckets = selectors.my_day(request.user)
    context = {
        "buckets": buckets,
        "today": timezone.localdate(),
        "total": sum(len(items) for items in buckets.values()),
    }
    return render(request, "activities/my_day.html", context)


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
            form.add_error(None, exc)
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
    people = people_of_company(request.user, activity.company)
    form = ActivityForm(request.POST or None, instance=activity, people=people)
    form.fields.pop("follow_up_at")
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.activity_update(actor=request.user, activity=activity, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
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
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("my_day")
