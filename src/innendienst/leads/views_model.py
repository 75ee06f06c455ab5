"""The learnt lead score for the administrator and the sales manager: when it was trained, on
how many leads, its AUC on held-out leads against the rule weights', whether it scores, and
each factor's learnt weight next to its rule weight."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innendienst.core.web import nav_section
from innendienst.leads import learning
from innendienst.leads.access import is_lead_manager


@require_GET
@login_required
@nav_section("leads")
def score_model(request: HttpRequest) -> HttpResponse:
    if not is_lead_manager(request.user):
        raise PermissionDenied(_("Only a sales manager or an administrator sees the score model."))
    return render(request, "leads/score_model.html", learning.overview())
