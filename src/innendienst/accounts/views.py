from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from innendienst.accounts import selectors, services
from innendienst.accounts.forms import ApiTokenForm
from innendienst.core.web import nav_section


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    """Personal settings: language and API tokens. A new key is shown exactly once."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            actor=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": selectors.api_tokens_for(request.user),
        "territories": selectors.territories_for(request.user),
    }
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "accounts/settings.html", context, status=status)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_tokens_for(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("settings")
