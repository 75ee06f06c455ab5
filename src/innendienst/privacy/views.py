from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innendienst.contacts.selectors import person_get
from innendienst.core.forms import add_service_errors
from innendienst.core.web import found_or_404, nav_section
from innendienst.privacy import selectors, services
from innendienst.privacy.access import require_consent_recorder
from innendienst.privacy.forms import ConsentForm


@require_http_methods(["GET", "POST"])
@login_required
@nav_section("people")
def person_consent(request: HttpRequest, person_id: int) -> HttpResponse:
    require_consent_recorder(request.user)
    person = found_or_404(person_get, request.user, person_id)
    form = ConsentForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("person_detail", person.pk)
    context = {"form": form, "person": person, "consents": selectors.consents_of(person)}
    return render(request, "privacy/consent_form.html", context)
