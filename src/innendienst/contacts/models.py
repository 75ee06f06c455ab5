from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Territory
from innendienst.core.concurrency import VersionedModel
from innendienst.core.models import Country, Currency, ExternalKey, TimeStampedModel
from innendienst.core.text import search_document
from innendienst.core.validation import (
    LONG_TEXT,
    normalize_phone,
    normalize_postcode,
    normalize_vat_id,
)


def _normalize_into(
    instance: models.Model,
    field: str,
    errors: dict[str, ValidationError],
    normalize: Callable[[str], str],
) -> None:
    value = getattr(instance, field)
    if not value:
        return
    try:
        setattr(instance, field, normalize(value))
    except ValidationError as exc:
        errors[field] = exc


class LegalForm(models.TextChoices):
    GMBH = "gmbh", "GmbH"
    GMBH_CO_KG = "gmbh_co_kg", "GmbH & Co. KG"
    AG = "ag", "AG"
    AG_CO_KG = "ag_co_kg", "AG & Co. KG"
    KG = "kg", "KG"
    OHG = "ohg", "OHG"
    EK = "ek", "e.K."
    UG = "ug", "UG (haftungsbeschränkt)"
    SE = "se", "SE"
    KGAA = "kgaa", "KGaA"
    GBR = "gbr", "GbR"
    EG = "eg", "eG"
    EV = "ev", "e.V."
    PARTG = "partg", "PartG"
    GESMBH = "gesmbh", "GesmbH (AT)"
    OG = "og", "OG (AT)"
    EU = "eu", "e.U. (AT)"
    SARL = "sarl", "Sàrl (CH)"
    SA = "sa", "SA (CH)"
    GENOSSENSCHAFT = "genossenschaft", "Genossenschaft (CH)"
    EINZELFIRMA = "einzelfirma", _("Sole proprietorship")
    OTHER = "other", _("Other")


class CompanyStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    FORMER = "former", _("Former customer")
    LOST = "lost", _("Lost")


class AddressSource(models.TextChoices):
    FORMER_RELATION = "former_relation", _("Former business relation")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    MARKETING_WEB = "marketing_web", _("Marketing: web")
    MARKETING_MAIL = "marketing_mail", _("Marketing: direct mail")
    MARKETING_ADS = "marketing_ads", _("Marketing: ads or articles")
    BOUGHT_LIST = "bought_list", _("Bought list")
    SELF_REGISTERED = "self_registered", _("Self-registered")
    REFERRAL = "referral", _("Referral")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    MOBILE = "mobile", _("Mobile")
    EMAIL = "email", _("E-mail")
    POSTAL = "postal", _("Postal")


class Priority(models.TextChoices):
    """Priorität für den Außendienst: how soon the field rep should go there."""

    A = "a", _("A – high")
    B = "b", _("B – medium")
    C = "c", _("C – low")


class CustomerGroup(models.Model):
    """Kundengruppe / Segment: drives prices, targeting and reports."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True, validators=LONG_TEXT)

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def postal_text(street: str, postcode: str, city: str) -> str:
    """A postal address in one line (``Company.postal_address_text``), also from plain values."""
    return f"{street}, {postcode} {city}"


class Company(VersionedModel, TimeStampedModel):
    """Firma: a prospect, customer or former customer (account)."""

    customer_number = models.CharField(
        _("customer number"), max_length=20, unique=True, null=True, blank=True
    )
    name = models.CharField(_("legal name"), max_length=200)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CompanyStatus.choices, default=CompanyStatus.PROSPECT
    )

    # Anschrift (postal address); delivery and visiting addresses are CompanyAddress rows.
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.DE
    )

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    vat_id = models.CharField(_("VAT/UID number"), max_length=20, blank=True)
    commercial_register = models.CharField(
        _("commercial register number"), max_length=60, blank=True
    )

    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, blank=True, on_delete=models.PROTECT
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    annual_revenue = models.DecimalField(
        _("annual revenue"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    purchasing_volume = models.DecimalField(
        _("purchasing volume per year"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    order_cycle_days = models.PositiveIntegerField(
        _("order cycle (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    customer_group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("customer group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="companies"
    )
    inside_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inside sales rep"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inside_companies",
        # Indexed with the territory: see Meta.
        db_index=False,
    )
    field_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("field sales rep"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_companies",
        # Indexed with the territory: see Meta.
        db_index=False,
    )
    key_account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key-account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_accounts",
        # Indexed with the territory: see Meta.
        db_index=False,
    )

    source = models.CharField(
        _("address source"), max_length=20, choices=AddressSource.choices, blank=True
    )
    source_vendor = models.CharField(_("list vendor"), max_length=100, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_licence = models.CharField(_("licence"), max_length=200, blank=True)
    # Which fair, campaign or action brought the address ("LogiMAT 2027").
    source_name = models.CharField(_("fair or campaign"), max_length=100, blank=True)
    external_keys = GenericRelation(ExternalKey)

    # Hints of the inside rep for field sales (Vorqualifizierung): how promising the prospect
    # is, how soon to go, and a need that will not wait ("schnell handeln").
    priority = models.CharField(
        _("priority"), max_length=1, choices=Priority.choices, null=True, blank=True
    )
    success_probability = models.PositiveSmallIntegerField(
        _("success probability (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    acute_need = models.CharField(
        _("acute need"),
        max_length=200,
        blank=True,
        help_text=_("What is needed now, and by when: the field rep acts on it first."),
    )

    notes = models.TextField(_("notes"), blank=True, validators=LONG_TEXT)
    # The newest call, visit, e-mail or meeting on the timeline, kept up to date from the
    # activities' events: search ranks the companies someone is working with first.
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, editable=False)

    # Folded name, customer number, postcode and city plus phonetic codes of the name; kept
    # by save() so every write path (services, imports, demo) indexes the same way.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="company_name_idx"),
            models.Index(fields=["territory", "name"], name="company_territory_name_idx"),
            # One per sort of the list, in the sort's full order, so that a page is read
            # along the index instead of sorting every visible company.
            models.Index(fields=["city", "name", "id"], name="company_city_sort_idx"),
            models.Index(fields=["postcode", "name", "id"], name="company_postcode_sort_idx"),
            # The postcode order per territory, merged for a rep (``selectors.company_page``).
            models.Index(
                fields=["territory", "postcode", "name", "id"],
                name="company_territory_postcode_idx",
            ),
            # A rep's accounts, and those outside given territories, without reading them.
            models.Index(fields=["inside_rep", "territory"], name="company_inside_rep_idx"),
            models.Index(fields=["field_rep", "territory"], name="company_field_rep_idx"),
            models.Index(fields=["key_account_manager", "territory"], name="company_kam_idx"),
            models.Index(fields=["status", "name", "id"], name="company_status_sort_idx"),
            models.Index(fields=["customer_number", "id"], name="company_number_sort_idx"),
            models.Index(fields=["updated_at", "id"], name="company_updated_sort_idx"),
            # The field rep's companies by priority (Priorisierung für den Außendienst).
            models.Index(fields=["priority", "name", "id"], name="company_priority_sort_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=AddressSource.BOUGHT_LIST) | ~Q(source_vendor=""),
                name="company_bought_list_has_vendor",
                violation_error_message=_("A bought list needs its vendor."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("company_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        self.name = " ".join(self.name.split())
        # Not rated is NULL, so that the unrated sort last by priority.
        self.priority = self.priority or None
        _normalize_into(self, "phone", errors, lambda v: normalize_phone(v, self.country))
        _normalize_into(self, "postcode", errors, lambda v: normalize_postcode(v, self.country))
        _normalize_into(self, "vat_id", errors, normalize_vat_id)
        if self.source != AddressSource.BOUGHT_LIST and (self.source_vendor or self.source_licence):
            errors["source_vendor"] = ValidationError(
                _("Vendor and licence belong to a bought list only.")
            )
        if self.source == AddressSource.BOUGHT_LIST and not self.source_vendor.strip():
            errors["source_vendor"] = ValidationError(_("A bought list needs its vendor."))
        if errors:
            raise ValidationError(errors)

    @property
    def postal_address_text(self) -> str:
        """The postal address in one line, as a verification of it records it."""
        return postal_text(self.street, self.postcode, self.city)

    def build_search_text(self) -> str:
        return search_document(
            self.name,
            self.customer_number or "",
            self.postcode,
            self.city,
            phonetic=self.name,
        )

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class AddressKind(models.TextChoices):
    DELIVERY = "delivery", _("Delivery address")
    VISITING = "visiting", _("Visiting address")
    POSTAL = "postal", _("Additional postal address")
    BILLING = "billing", _("Billing address")


class CompanyAddress(TimeStampedModel):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AddressKind.choices)
    addition = models.CharField(_("addition"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.DE
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["company", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.street}, {self.postcode} {self.city}"

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        _normalize_into(self, "postcode", errors, lambda v: normalize_postcode(v, self.country))
        if errors:
            raise ValidationError(errors)


class Salutation(models.TextChoices):
    MR = "mr", _("Mr")
    MS = "ms", _("Ms")
    NONE = "none", _("(no salutation)")


class Language(models.TextChoices):
    """The language a contact is written to and called in: German, and in Switzerland French
    and Italian too."""

    DE = "de", _("German")
    FR = "fr", _("French")
    IT = "it", _("Italian")
    EN = "en", _("English")


# A company's country says the language where the contact's own is not known; Switzerland
# does not: four languages.
COUNTRY_LANGUAGES = {"DE": Language.DE, "AT": Language.DE, "LI": Language.DE}


class Authority(models.TextChoices):
    """Entscheidungsbefugnis: how far a person may decide a purchase."""

    NONE = "none", _("no purchasing authority")
    RECOMMENDS = "recommends", _("recommends")
    UP_TO_LIMIT = "up_to_limit", _("decides up to a limit")
    FULL = "full", _("decides alone")
    SIGNATORY = "signatory", _("authorised signatory (Prokura)")


def _scope_copy(to: Any) -> models.ForeignKey:
    """A column of the company copied onto its people; the database keeps it, never a form."""
    return models.ForeignKey(
        to,
        null=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class Person(VersionedModel, TimeStampedModel):
    """Ansprechpartner: a person at a company."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="people"
    )
    salutation = models.CharField(
        _("salutation"), max_length=10, choices=Salutation.choices, default=Salutation.NONE
    )
    title = models.CharField(_("title"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    function = models.CharField(_("function"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    authority = models.CharField(
        _("authority"), max_length=20, choices=Authority.choices, blank=True
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True,
        help_text=_("The language to write and call in, where the country does not say it."),
    )  # fmt: skip

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)

    preferences = models.TextField(_("preferences"), blank=True, validators=LONG_TEXT)
    key_criteria = models.TextField(_("key criteria"), blank=True, validators=LONG_TEXT)
    best_time_to_reach = models.CharField(_("best time to reach"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=LONG_TEXT)
    external_keys = GenericRelation(ExternalKey)

    search_text = models.TextField(editable=False, default="")

    # Who may see the person: the company's territory and people, copied here by the database
    # (triggers of migration 0008) on every write of either, so that a list of people is scoped
    # without reading each person's company (``selectors.people_for``).
    territory = _scope_copy(Territory)
    inside_rep = _scope_copy(settings.AUTH_USER_MODEL)
    field_rep = _scope_copy(settings.AUTH_USER_MODEL)
    key_account_manager = _scope_copy(settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["company", "last_name"], name="person_company_idx"),
            models.Index(fields=["last_name", "first_name", "id"], name="person_name_idx"),
            models.Index(fields=["updated_at", "id"], name="person_updated_sort_idx"),
            # An import finds the people it already has by e-mail address, in any case.
            models.Index(Lower("email"), name="person_email_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        country = self.company.country if self.company_id else Country.DE
        _normalize_into(self, "phone", errors, lambda v: normalize_phone(v, country))
        _normalize_into(self, "mobile", errors, lambda v: normalize_phone(v, country))
        if errors:
            raise ValidationError(errors)

    def build_search_text(self) -> str:
        return search_document(
            f"{self.last_name} {self.first_name}",
            self.email,
            phonetic=f"{self.first_name} {self.last_name}",
        )

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class BuyingCenterRole(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    USER = "user", _("User")
    INFLUENCER = "influencer", _("Influencer / advisor")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    EVALUATOR = "evaluator", _("Evaluator")
    DECIDER = "decider", _("Decider")
    BUYER = "buyer", _("Buyer")


class BuyingCenterMembership(models.Model):
    """A person's role in a company's buying center.

    Usually the person's own company, but an outside advisor (an engineering office, say)
    can hold a role in a customer's buying center too.
    """

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="buying_center",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="buying_center_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=BuyingCenterRole.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("buying-center role")
        verbose_name_plural = _("buying-center roles")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "person", "role"], name="buying_center_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class VerificationMethod(models.TextChoices):
    PHONE = "phone", _("confirmed by phone")
    EMAIL = "email", _("confirmed by e-mail reply")
    LETTER = "letter", _("confirmed by letter")
    WEBSITE = "website", _("checked on the website")
    REGISTER = "register", _("checked in the commercial register")
    IN_PERSON = "in_person", _("confirmed in person")


class ChannelVerification(models.Model):
    """Adressqualifizierung: who confirmed which channel value, when and how.

    A verification belongs to the value it confirmed: once the value changes, the channel is
    no longer verified.
    """

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    value = models.CharField(_("verified value"), max_length=400)
    method = models.CharField(_("method"), max_length=20, choices=VerificationMethod.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("channel verification")
        verbose_name_plural = _("channel verifications")
        ordering = ["-verified_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=False, person__isnull=True)
                | Q(company__isnull=True, person__isnull=False),
                name="verification_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.value}"
