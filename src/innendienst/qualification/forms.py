from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innendienst.contacts.models import BuyingCenterRole
from innendienst.qualification.models import Checklist
from innendienst.qualification.scoring import ATTRIBUTES, DEFAULT_ROLES


class ChecklistForm(forms.ModelForm):
    required_roles = forms.MultipleChoiceField(
        label=_("Buying-center roles to know"),
        choices=BuyingCenterRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    required_attributes = forms.MultipleChoiceField(
        label=_("Attributes to collect"),
        choices=list(ATTRIBUTES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Checklist
        fields = [
            "wanted_functions",
            "required_roles",
            "required_authority",
            "required_attributes",
            "requalify_after_months",
        ]
        widgets = {"wanted_functions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # What a group without a checklist needs, as the page says.
            self.initial.setdefault("required_roles", list(DEFAULT_ROLES))
        self.fields["required_authority"].choices = [
            ("", _("no requirement")),
            *[choice for choice in self.fields["required_authority"].choices if choice[0]],
        ]


class RequalificationForm(forms.Form):
    note = forms.CharField(
        label=_("Result"),
        max_length=500,
        required=False,
        help_text=_('What was confirmed or changed ("Einkauf jetzt Frau Berg").'),
    )
