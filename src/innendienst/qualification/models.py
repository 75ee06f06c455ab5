"""Adressqualifizierung: the checklist of a customer group, the completeness and quality of
each company with what is missing, and the re-qualification of customers who stopped buying."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.contacts.models import Authority, BuyingCenterRole, Company, CustomerGroup

# People move and change: a customer who has not bought for this long is asked again, unless
# the checklist of his customer group says otherwise.
DEFAULT_REQUALIFY_AFTER_MONTHS = 18


class Checklist(models.Model):
    """Qualifizierungskriterien of a customer group: whom to ask for, which roles and which
    authority must be known, which attributes to collect, and when to ask again."""

    customer_group = models.OneToOneField(
        CustomerGroup,
        verbose_name=_("customer group"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    wanted_functions = models.TextField(
        _("whom to ask for"),
        blank=True,
        help_text=_(
            'One function or department per line ("Einkauf", "Technische Leitung"); met '
            "when a contact's function or department contains it."
        ),
    )
    required_roles = models.JSONField(_("buying-center roles to know"), default=list, blank=True)
    required_authority = models.CharField(
        _("a contact with this authority"),
        max_length=20,
        choices=Authority.choices,
        blank=True,
        help_text=_("Met by a contact with this authority or more."),
    )
    required_attributes = models.JSONField(_("attributes to collect"), default=list, blank=True)
    requalify_after_months = models.PositiveSmallIntegerField(
        _("re-qualify after months without an order"),
        default=DEFAULT_REQUALIFY_AFTER_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("qualification checklist")
        verbose_name_plural = _("qualification checklists")
        ordering = ["customer_group__name"]

    def __str__(self) -> str:
        return str(self.customer_group)

    @property
    def functions(self) -> list[str]:
        return [line.strip() for line in self.wanted_functions.splitlines() if line.strip()]

    @property
    def role_labels(self) -> list[str]:
        return [
            str(BuyingCenterRole(role).label)
            for role in self.required_roles
            if role in BuyingCenterRole.values
        ]

    @property
    def attribute_labels(self) -> list[str]:
        from innendienst.qualification.scoring import ATTRIBUTES

        return [str(ATTRIBUTES[name]) for name in self.required_attributes if name in ATTRIBUTES]


class CompanyQuality(models.Model):
    """The completeness and quality score of a company with its people, kept current by the
    events of every write, and the channels counted for the verification shares."""

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, primary_key=True, related_name="quality"
    )
    score = models.PositiveSmallIntegerField(_("completeness"))
    # Codes of the criteria not met (``scoring.Criterion.code``), in the checklist's order.
    missing = models.JSONField(default=list)
    phones = models.PositiveIntegerField(default=0)
    phones_verified = models.PositiveIntegerField(default=0)
    emails = models.PositiveIntegerField(default=0)
    emails_verified = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("completeness score")
        verbose_name_plural = _("completeness scores")
        indexes = [models.Index(fields=["score"], name="quality_score_idx")]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.score} %"


class Requalification(models.Model):
    """A customer asked again: his people, channels and needs confirmed or corrected. Takes
    him out of the re-qualification queue for the checklist's period."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="requalifications",
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("re-qualified at"), default=timezone.now)
    note = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("re-qualification")
        verbose_name_plural = _("re-qualifications")
        ordering = ["-done_at"]
        indexes = [models.Index(fields=["company", "-done_at"], name="requalification_company_idx")]

    def __str__(self) -> str:
        return f"{self.company} ({self.done_at:%Y-%m-%d})"
