from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import User
from innendienst.catalog.models import ProductGroup
from innendienst.contacts.models import Industry
from innendienst.core.forms import DateInput, WorkbenchFormMixin
from innendienst.experts.models import Expert
from innendienst.offers.models import OfferLine


class ExpertFilterForm(forms.Form):
    """The directory's search box and filters; every field may stay empty."""

    q = forms.CharField(label=_("Who knows …"), required=False, max_length=200)
    product_group = forms.ModelChoiceField(
        label=_("Product group"),
        queryset=ProductGroup.objects.order_by("name"),
        required=False,
        empty_label=_("all"),
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"),
        queryset=Industry.objects.order_by("name"),
        required=False,
        empty_label=_("all"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ExpertForm(WorkbenchFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Colleague"), queryset=User.objects.none())
    area = forms.CharField(
        label=_("Area"),
        max_length=100,
        help_text=_("The department or role, e.g. application engineering or product management."),
    )
    product_groups = forms.ModelMultipleChoiceField(
        label=_("Product groups"),
        queryset=ProductGroup.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("Industries"),
        queryset=Industry.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=500,
        required=False,
        help_text=_("Keywords, separated by commas: pumps, seals, explosion protection."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How and when the colleague is best asked."),
    )
    active = forms.BooleanField(
        label=_("Answers requests"),
        required=False,
        initial=True,
        help_text=_("Without the tick the entry stays, but nobody new can ask the colleague."),
    )

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class ExpertRequestForm(WorkbenchFormMixin, forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())
    line = forms.ModelChoiceField(
        label=_("About the line"), queryset=OfferLine.objects.none(), required=False
    )
    question = forms.CharField(
        label=_("Question"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the expert needs to know: medium, temperature, pressure, quantities."),
    )
    due_on = forms.DateField(label=_("Answer needed by"), widget=DateInput)

    def __init__(
        self,
        *args: Any,
        experts: QuerySet[Expert],
        suggested: list[Expert],
        lines: QuerySet[OfferLine],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        field.queryset = experts
        others = [expert for expert in experts if expert not in suggested]
        choices: list[Any] = [("", WorkbenchFormMixin.empty_choice_label)]
        if suggested:
            choices.append((_("Suggested for this offer"), [_choice(e) for e in suggested]))
            if others:
                choices.append((_("Further experts"), [_choice(e) for e in others]))
        else:
            choices.extend(_choice(expert) for expert in others)
        # The suggestions first, then everybody else; the queryset still decides what is valid.
        field.choices = choices
        self.fields["line"].queryset = lines
        self.fields["line"].label_from_instance = _line_label
        self.fields["line"].empty_label = _("(the whole offer)")


def _choice(expert: Expert) -> tuple[int, str]:
    return (expert.pk, f"{expert.name} – {expert.area}")


def _line_label(line: OfferLine) -> str:
    return f"{line.position}. {line.description}"


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
