from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.core.models import Country

# Accounts that act for the system (the public web form's captures): they appear in the
# audit, never among the people a record can be given to.
SYSTEM_USERNAME_PREFIX = "system-"


class Role(models.TextChoices):
    INSIDE_SALES = "inside_sales", _("Inside sales")
    FIELD_SALES = "field_sales", _("Field sales")
    KEY_ACCOUNT = "key_account", _("Key-account manager")
    MARKETING = "marketing", _("Marketing")
    PRODUCT_MANAGEMENT = "product_management", _("Product management")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    ADMIN = "admin", _("Administrator")


class Territory(models.Model):
    """Verkaufsgebiet: a country or a region inside it, as a tree.

    ``path`` ("/DE/BY/") is kept by the service so a whole subtree is one indexed
    ``startswith`` query.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    path = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    territories = models.ManyToManyField(
        Territory, verbose_name=_("territories"), blank=True, related_name="teams"
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, default=Role.INSIDE_SALES
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territories"),
        blank=True,
        related_name="users",
        help_text=_("Territories this person is responsible for, in addition to the team's."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API key. Only its SHA-256 is stored; the key is shown once, at creation."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
