from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Role, User
from innendienst.catalog.models import PriceList, Product, Unit
from innendienst.contacts.models import Person
from innendienst.core.forms import DateInput, SeenValuesMixin, WorkbenchFormMixin
from innendienst.core.models import Country, Currency
from innendienst.offers.models import LossReason, Offer


def _money(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal(0), localize=True, **kwargs
    )


def _percent(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        localize=True,
        required=False,
        initial=Decimal(0),
    )


class OfferForm(SeenValuesMixin, WorkbenchFormMixin, forms.Form):
    seen_model = Offer

    subject = forms.CharField(label=_("Subject"), max_length=200)
    contact = forms.ModelChoiceField(
        label=_("Contact"), queryset=Person.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=User.objects.none())
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    price_list = forms.ModelChoiceField(
        label=_("Price list"), queryset=PriceList.objects.none(), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the document"), choices=[("de", _("German")), ("en", _("English"))]
    )
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    expected_close_on = forms.DateField(
        label=_("Expected decision"), widget=DateInput, required=False
    )
    discount_percent = _percent(_("Total discount (%)"))
    freight = _money(_("Freight"), required=False, initial=Decimal(0))
    extra_costs = _money(_("Extra costs"), required=False, initial=Decimal(0))
    extra_costs_label = forms.CharField(label=_("Extra costs for"), max_length=100, required=False)
    terms = forms.CharField(
        label=_("Terms"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deviations = forms.CharField(
        label=_("Deviations from our standard terms"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[Person],
        owners: QuerySet[User],
        price_lists: QuerySet[PriceList],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["owner"].queryset = owners
        self.fields["price_list"].queryset = price_lists

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Empty amounts are no discount and no costs, not a missing value.
        for name in ("discount_percent", "freight", "extra_costs"):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = Decimal(0)
        return cleaned


class LineForm(WorkbenchFormMixin, forms.Form):
    # The article number, typed or picked from the list the page offers (a datalist): a
    # catalogue of thousands is no select box.
    product = forms.CharField(
        label=_("Article number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "product-numbers", "autocomplete": "off"}),
        help_text=_("Empty for a line of free text."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("Empty: the product's name."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=3,
        localize=True,
        min_value=Decimal("0.001"),
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", _("the product's")), *Unit.choices], required=False
    )
    unit_price = _money(_("Unit price"), required=False, help_text=_("Empty: from the price list."))
    discount_percent = _percent(_("Discount (%)"))
    note = forms.CharField(
        label=_("Technical note"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, products: QuerySet[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.products = products

    def clean_product(self) -> Product | None:
        sku = self.cleaned_data["product"].strip()
        if not sku:
            return None
        # "PU-4000 Kreiselpumpe KP 40" as the list shows it, or the number alone.
        product = self.products.filter(sku__iexact=sku.split(" ", 1)[0]).first()
        if product is None:
            raise forms.ValidationError(_("There is no article with this number."))
        return product

    def service_data(self) -> dict[str, Any]:
        """What the user filled in: an empty unit, price or note is taken from the product."""
        data = dict(self.cleaned_data)
        if not data.get("unit"):
            data.pop("unit", None)
        if data.get("unit_price") is None:
            data.pop("unit_price", None)
        if data.get("discount_percent") is None:
            data["discount_percent"] = Decimal(0)
        if not data.get("note"):
            data.pop("note", None)  # the product's technical notes
        return data


class SendForm(WorkbenchFormMixin, forms.Form):
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: in a week. The follow-up call is planned for the responsible rep."),
    )


class WinForm(WorkbenchFormMixin, forms.Form):
    ordered_on = forms.DateField(label=_("Order date"), widget=DateInput, required=False)


class LoseForm(WorkbenchFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Why lost"), choices=[("", ""), *LossReason.choices])
    competitor = forms.CharField(
        label=_("Competitor"),
        max_length=100,
        required=False,
        help_text=_("Who got the order, when a competitor did."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApprovalRequestForm(WorkbenchFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why this discount"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApprovalDecisionForm(WorkbenchFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=10_000)


class LetterheadForm(WorkbenchFormMixin, forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    vat_id = forms.CharField(label=_("VAT ID"), max_length=30, required=False)
    register = forms.CharField(
        label=_("Commercial register"),
        max_length=200,
        required=False,
        help_text=_("E.g. “Amtsgericht München HRB 123456”."),
    )
    managing_directors = forms.CharField(
        label=_("Managing directors"),
        max_length=200,
        required=False,
        help_text=_("The names only; the letter writes “Managing directors:”."),
    )
    bank = forms.CharField(
        label=_("Bank details"),
        max_length=300,
        required=False,
        help_text=_("Parts separated by “ · ”, e.g. bank · IBAN · BIC."),
    )


class DiscountLimitsForm(WorkbenchFormMixin, forms.Form):
    """One field per role: the highest discount it gives without approval."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role, label in Role.choices:
            self.fields[role] = forms.DecimalField(
                label=label,
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=Decimal(100),
                required=False,
                localize=True,
                help_text=_("Empty: every discount needs an approval."),
            )


class TrackingForm(WorkbenchFormMixin, forms.Form):
    """What still changes once the offer is with the customer: when to follow up, when the
    customer decides, who looks after it."""

    follow_up_on = forms.DateField(label=_("Follow up on"), widget=DateInput)
    expected_close_on = forms.DateField(
        label=_("Expected decision"), widget=DateInput, required=False
    )
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=User.objects.none())

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
