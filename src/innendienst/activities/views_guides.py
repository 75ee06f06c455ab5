"""The call guide of a campaign: written and versioned here, shown on the call screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innendienst.activities import selectors, services
from innendienst.activities.access import require_call_list_maker
from innendienst.activities.forms import CallGuideForm, GuideQuestionFormSet
from innendienst.activities.models import CallGuide
from innendienst.campaigns.selectors import campaign_get
from innendienst.core.forms import add_service_errors
from innendienst.core.web import found_or_404, nav_section


def _initial(guide: CallGuide | None) -> tuple[dict[str, str], list[dict[str, str]]]:
    if guide is None:
        return {}, []
    texts = {name: getattr(guide, name) for name in CallGuide.TEXTS}
    questions = [{"text": q.text, "kind": q.kind} for q in guide.questions.all()]
    return texts, questions


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("campaigns")
def call_guide_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Write the guide; saving a change makes the next version. ``?version=`` fills the form
    from an earlier version, to read it or to bring it back."""
    campaign = found_or_404(campaign_get, request.user, campaign_id)
    require_call_list_maker(request.user)
    current = selectors.call_guide_current(campaign.pk)
    shown = current
    version = request.GET.get("version", "")
    if version.isdigit():
        shown = selectors.call_guide_version(campaign.pk, int(version)) or current
    texts, questions = _initial(shown)
    form = CallGuideForm(request.POST or None, initial=texts)
    # Posted rows stand on their own: against the shown version as initial values, an
    # unchanged extra row would count as empty and its question would be lost.
    formset = GuideQuestionFormSet(
        request.POST or None,
        initial=None if request.method == "POST" else questions,
        prefix="questions",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            guide, created = services.call_guide_save(
                actor=request.user,
                campaign=campaign,
                data=form.cleaned_data,
                questions=formset.cleaned_data,
            )
        except ValidationError as exc:
            _add_question_errors(formset, exc)
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("Call guide saved as version %(version)s.") % {"version": guide.version},
                )
            else:
                messages.info(request, _("Nothing changed: the guide stays as it was."))
            return redirect("campaign_detail", campaign.pk)
    context = {
        "campaign": campaign,
        "form": form,
        "formset": formset,
        "current": current,
        "shown": shown,
        "versions": selectors.call_guide_versions(campaign.pk),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "activities/call_guide_form.html", context, status=status)


def _add_question_errors(formset: GuideQuestionFormSet, exc: ValidationError) -> None:
    """Errors keyed ``questions-<index>-<field>`` go to their row; the rest (too many
    questions, an empty guide) stay for the form above (``add_service_errors``)."""
    if not hasattr(exc, "error_dict"):
        return
    for key in [key for key in exc.error_dict if key.startswith("questions-")]:
        _prefix, index, field = key.split("-", 2)
        for error in exc.error_dict.pop(key):
            formset.forms[int(index)].add_error(field, error)
