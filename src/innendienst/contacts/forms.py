from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Territory, User
from innendienst.accounts.selectors import colleagues_for, territories_for
from innendienst.contacts.models import (
    BuyingCenterRole,
    Channel,
    Company,
    CompanyAddress,
    Person,
    VerificationMethod,
)
from innendienst.core.forms import DateInput, SeenValuesMixin, WorkbenchFormMixin


class CompanyForm(SeenValuesMixin, WorkbenchFormMixin, forms.ModelForm):
    seen_model = Company
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "legal_form",
            "status",
            "customer_number",
            "street",
            "postcode",
            "city",
            "country",
            "phone",
            "email",
            "website",
            "vat_id",
            "commercial_register",
            "industry",
            "employees",
            "currency",
            "annual_revenue",
            "purchasing_volume",
            "order_cycle_days",
            "priority",
            "success_probability",
            "acute_need",
            "customer_group",
            "territory",
            "inside_rep",
            "field_rep",
            "key_account_manager",
            "source",
            "source_vendor",
            "source_date",
            "source_licence",
            "source_name",
            "notes",
        ]
        # German number format in the form as on the pages: 34.500.000,00.
        localized_fields = ["employees", "annual_revenue", "purchasing_volume"]
        widgets = {
            "source_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The company's current territory and reps stay choosable even when the user could
        # not pick them himself (a key-account manager outside his territories, a rep who
        # has left), so saving an unrelated change never alters or rejects them.
        # Also the values the user's form showed: after somebody else changed them meanwhile,
        # the untouched old value must still be a valid choice (it is not written).
        company = self.instance
        shown_territories = [pk for pk in (company.territory_id, self.seen.get("territory")) if pk]
        self.fields["territory"].queryset = Territory.objects.filter(
            Q(pk__in=territories_for(user).values("pk")) | Q(pk__in=shown_territories)
        )
        reps = ("inside_rep", "field_rep", "key_account_manager")
        current_reps = [
            pk
            for name in reps
            for pk in (getattr(company, f"{name}_id"), self.seen.get(name))
            if pk
        ]
        for name in reps:
            self.fields[name].queryset = User.objects.filter(
                Q(pk__in=colleagues_for(user).values("pk")) | Q(pk__in=current_reps)
            ).order_by("last_name", "first_name")


class PersonForm(SeenValuesMixin, WorkbenchFormMixin, forms.ModelForm):
    seen_model = Person
    roles = forms.MultipleChoiceField(
        label=_("Buying-center roles"),
        choices=BuyingCenterRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "salutation",
            "title",
            "first_name",
            "last_name",
            "function",
            "department",
            "authority",
            "language",
            "phone",
            "mobile",
            "email",
            "best_time_to_reach",
            "preferences",
            "key_criteria",
            "notes",
        ]
        widgets = {
            "preferences": forms.Textarea(attrs={"rows": 2}),
            "key_criteria": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "mobile": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


class AddressForm(WorkbenchFormMixin, forms.ModelForm):
    class Meta:
        model = CompanyAddress
        fields = ["kind", "addition", "street", "postcode", "city", "country"]


class VerificationForm(WorkbenchFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    method = forms.ChoiceField(label=_("How"), choices=VerificationMethod.choices)
