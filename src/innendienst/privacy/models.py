from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.contacts.models import Channel, Person
from innendienst.core.validation import LONG_TEXT


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", _("granted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent (Art. 6(1)(a) GDPR)")
    CONTRACT = "contract", _("Contract (Art. 6(1)(b) GDPR)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (Art. 6(1)(f) GDPR)")
    EXISTING_CUSTOMER = "existing_customer", _("Existing customer (§ 7(3) UWG)")


class Consent(models.Model):
    """Einwilligung: the consent ledger. Entries are appended, never changed; the newest
    entry per person and channel is the current state."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=ConsentStatus.choices)
    recorded_on = models.DateField(_("date"), default=timezone.localdate)
    source = models.CharField(_("source"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, validators=LONG_TEXT)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["person", "channel", "-recorded_on"], name="consent_idx")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_channel_display()} {self.get_status_display()}"
