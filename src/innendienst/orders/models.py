from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from innendienst.catalog.models import Product
from innendienst.contacts.models import Company
from innendienst.core.models import Currency, TimeStampedModel


class OrderStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    CONFIRMED = "confirmed", _("confirmed")
    DELIVERED = "delivered", _("delivered")
    CANCELLED = "cancelled", _("cancelled")


class OrderSource(models.TextChoices):
    INSIDE_SALES = "inside_sales", _("taken by inside sales")
    FIELD_SALES = "field_sales", _("taken by field sales")
    WEB_SHOP = "web_shop", _("web shop")
    ERP = "erp", _("imported from the ERP")


class Order(TimeStampedModel):
    """Auftrag. Revenue counts every order that is not cancelled."""

    number = models.CharField(_("order number"), max_length=30, unique=True)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="orders"
    )
    ordered_on = models.DateField(_("order date"))
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.RECEIVED
    )
    source = models.CharField(
        _("source"), max_length=20, choices=OrderSource.choices, default=OrderSource.INSIDE_SALES
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    confirmed_on = models.DateField(_("order confirmation"), null=True, blank=True)
    delivery_on = models.DateField(_("delivery date"), null=True, blank=True)
    invoiced_on = models.DateField(_("invoice date"), null=True, blank=True)
    payment_due_on = models.DateField(_("payment due"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-ordered_on", "-id"]
        indexes = [
            models.Index(fields=["company", "-ordered_on"], name="order_company_date_idx"),
            models.Index(fields=["ordered_on"], name="order_date_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    # An ERP's line may be free text (a special part, freight, a service by the hour).
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # Derived in the database so reports never disagree with the line. Multiplied by 0.01,
    # not divided by 100: SQLite stores 89.00 as the integer 89 and would divide integers
    # (6 × 89 × 98 / 100 = 523, not 523.32).
    net_amount = models.GeneratedField(
        expression=Round(
            F("quantity") * F("unit_price") * (100 - F("discount_percent")) * Decimal("0.01"), 2
        ),
        output_field=models.DecimalField(max_digits=20, decimal_places=2),
        db_persist=True,
        verbose_name=_("net amount"),
    )
    cost_amount = models.GeneratedField(
        expression=Round(F("quantity") * F("unit_cost"), 2),
        output_field=models.DecimalField(max_digits=20, decimal_places=2),
        db_persist=True,
        verbose_name=_("cost"),
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                name="order_line_discount_range",
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=False) | ~Q(description=""),
                name="order_line_product_or_description",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} / {self.product or self.description}"
