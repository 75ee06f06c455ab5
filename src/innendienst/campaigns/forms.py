from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Team, User
from innendienst.campaigns.models import CampaignPhase, CampaignType
from innendienst.core.forms import DateInput, WorkbenchFormMixin


class CampaignForm(WorkbenchFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=CampaignType.choices)
    description = forms.CharField(
        label=_("Goal and description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    owner = forms.ModelChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, teams: QuerySet[Team], owners: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["owner"].queryset = owners


class PhaseForm(WorkbenchFormMixin, forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False
    )
    starts_on = forms.DateField(label=_("Start"), widget=DateInput)
    ends_on = forms.DateField(label=_("End"), widget=DateInput)
    depends_on = forms.ModelChoiceField(
        label=_("After"),
        queryset=CampaignPhase.objects.none(),
        required=False,
        help_text=_("The phase that must be finished before this one starts."),
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[User],
        phases: QuerySet[CampaignPhase],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["depends_on"].queryset = phases
