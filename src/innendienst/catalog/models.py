from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innendienst.accounts.models import Role
from innendienst.core.models import Currency


class Unit(models.TextChoices):
    PIECE = "pc", _("piece")
    SET = "set", _("set")
    KG = "kg", _("kg")
    METER = "m", _("metre")
    LITER = "l", _("litre")
    HOUR = "h", _("hour")


# As a quantity is written on an offer or an order: "40 Stk.", "2,5 Std." — whatever the number.
UNIT_ABBREVIATIONS = {
    Unit.PIECE: pgettext_lazy("unit", "pc"),
    Unit.SET: pgettext_lazy("unit", "set"),
    Unit.KG: pgettext_lazy("unit", "kg"),
    Unit.METER: pgettext_lazy("unit", "m"),
    Unit.LITER: pgettext_lazy("unit", "l"),
    Unit.HOUR: pgettext_lazy("unit", "h"),
}


class ProductGroup(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    sku = models.CharField(_("article number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.ForeignKey(
        ProductGroup,
        verbose_name=_("product group"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.PIECE)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    list_price = models.DecimalField(
        _("list price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cost_price = models.DecimalField(
        _("cost price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    lead_time_days = models.PositiveIntegerField(_("delivery time (days)"), default=0)
    stock = models.IntegerField(_("in stock"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # What the inside rep must know when offering it (feasibility, materials, certificates):
    # an offer line of the product starts with it.
    technical_notes = models.TextField(_("technical notes"), blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class PriceList(models.Model):
    """Preisliste: the prices of one customer group (or the standard list, without a group) in
    one currency, valid for a period. An offer takes its prices from exactly one list."""

    name = models.CharField(_("name"), max_length=100)
    customer_group = models.ForeignKey(
        "contacts.CustomerGroup",
        verbose_name=_("customer group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="price_lists",
        help_text=_("Empty: the standard list for customers without a group list."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["currency", "name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="price_list_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class PriceListItem(models.Model):
    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="prices"
    )
    unit_price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product"], name="price_list_item_unique_product"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price_list} / {self.product}"


class DiscountLimit(models.Model):
    """Rabattgrenze: the highest discount a role may give without approval; above it the
    offer needs the approval of someone whose limit covers the discount."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, unique=True)
    max_percent = models.DecimalField(
        _("highest discount without approval (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("discount limit")
        verbose_name_plural = _("discount limits")
        ordering = ["max_percent"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_percent__gte=0) & Q(max_percent__lte=100),
                name="discount_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.max_percent} %"
