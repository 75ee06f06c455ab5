from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    CHF = "CHF", "CHF"


class Country(models.TextChoices):
    DE = "DE", _("Germany")
    AT = "AT", _("Austria")
    CH = "CH", _("Switzerland")
    LI = "LI", _("Liechtenstein")
    LU = "LU", _("Luxembourg")
    BE = "BE", _("Belgium")
    NL = "NL", _("Netherlands")
    FR = "FR", _("France")
    IT = "IT", _("Italy")
    DK = "DK", _("Denmark")
    PL = "PL", _("Poland")
    CZ = "CZ", _("Czechia")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")


class AuditEntry(models.Model):
    """One changed field of one record (Änderungshistorie).

    Written by the services in the same transaction as the change itself, so the history
    can never disagree with the data.
    """

    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept so the history still names the person after the user account is deleted.
    actor_name = models.CharField(_("changed by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("record"), max_length=200)
    field = models.CharField(_("field"), max_length=100, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")
        ]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.field} {self.old_value!r} → {self.new_value!r}"


class ExternalKey(models.Model):
    """Fremdschlüssel: the key a record has in another system (the ERP's debtor number, a list
    vendor's record id), with that system's name, so the next file from it finds the record
    again. A key names one record per system; a record has one key per system, or several
    after a merge (the next file with either key finds the record that stayed)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    source = models.CharField(_("system"), max_length=100)
    key = models.CharField(_("external key"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("external key")
        verbose_name_plural = _("external keys")
        ordering = ["source", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "source", "key"], name="external_key_unique_per_system"
            ),
        ]
        # A record's keys, for its page and the exports' key column.
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "source"], name="external_key_record_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.key}"


class SiteSetting(models.Model):
    """A small key/value store for facts about this installation (e.g. the loaded demo set)."""

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site setting")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return self.key
