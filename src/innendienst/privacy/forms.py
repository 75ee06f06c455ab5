from __future__ import annotations

from django import forms

from innendienst.core.forms import DateInput, WorkbenchFormMixin
from innendienst.privacy.models import Consent


class ConsentForm(WorkbenchFormMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["channel", "status", "recorded_on", "source", "legal_basis", "note"]
        widgets = {"recorded_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
