"""The lead reports: conversion through the stages, and who got which lead why."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from innendienst.core.paging import LimitedPaginator
from innendienst.core.web import nav_section
from innendienst.leads import reports, selectors
from innendienst.leads.views import REPORT_PERIODS

ASSIGNMENTS_PER_PAGE = 50


def _period(request: HttpRequest) -> tuple[str, datetime.datetime]:
    days = request.GET.get("days", "90")
    if days not in REPORT_PERIODS:
        days = "90"
    return days, timezone.now() - datetime.timedelta(days=REPORT_PERIODS[days])


@require_GET
@login_required
@nav_section("leads")
def lead_conversion(request: HttpRequest) -> HttpResponse:
    """How the leads of a period went through the stages, per source, team or rep."""
    days, since = _period(request)
    group = request.GET.get("by", "source")
    if group not in reports.CONVERSION_GROUPS:
        group = "source"
    rows = reports.conversion_report(selectors.leads_for(request.user), since=since, group=group)
    context = {"rows": rows, "days": days, "by": group, "periods": REPORT_PERIODS}
    return render(request, "leads/conversion.html", context)


@require_GET
@login_required
@nav_section("leads")
def lead_assignments(request: HttpRequest) -> HttpResponse:
    """Who got which lead of the period and why, and each rep's month against his capacity."""
    days, since = _period(request)
    leads = selectors.leads_for(request.user)
    page = LimitedPaginator(reports.assignments(leads, since=since), ASSIGNMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "loads": reports.rep_loads(leads, timezone.localdate()),
        "days": days,
        "periods": REPORT_PERIODS,
    }
    return render(request, "leads/assignments.html", context)
