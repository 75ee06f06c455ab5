from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from innendienst.core.models import TimeStampedModel
from innendienst.core.validation import LONG_TEXT


class CampaignType(models.TextChoices):
    TELEPHONE = "telephone", _("Telephone campaign")
    DIRECT_MAIL = "direct_mail", _("Direct mail")
    EMAIL = "email", _("E-mailing")
    ADVERTISING = "advertising", _("Advertisement")
    REFERRAL = "referral", _("Referral marketing")


class Campaign(TimeStampedModel):
    """Kampagne / Marketingaktion: what the call lists and the call guide of a telephone
    campaign belong to, planned in phases."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=CampaignType.choices, default=CampaignType.TELEPHONE
    )
    description = models.TextField(_("goal and description"), blank=True, validators=LONG_TEXT)
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text=_("Who runs the campaign; without a team only you and the managers see it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CampaignPhase(models.Model):
    """A phase of a campaign's plan (list preparation, guide, call weeks, follow-up): one bar
    of the Gantt chart."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="phases"
    )
    name = models.CharField(_("phase"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    depends_on = models.ForeignKey(
        "self",
        verbose_name=_("after"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The phase that must be finished before this one starts."),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("campaign phase")
        verbose_name_plural = _("campaign phases")
        ordering = ["starts_on", "ends_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="phase_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1
