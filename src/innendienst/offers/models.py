from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innendienst.catalog.models import PriceList, Product, Unit
from innendienst.contacts.models import Company, Person
from innendienst.core.concurrency import VersionedModel
from innendienst.core.models import Currency, TimeStampedModel
from innendienst.core.validation import LONG_TEXT

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
NOT_NEGATIVE = [MinValueValidator(0)]


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent")
    WON = "won", _("won")
    LOST = "lost", _("lost")


class LossReason(models.TextChoices):
    """Absagegrund: why the customer did not order, analysed with field sales."""

    PRICE = "price", _("price")
    DELIVERY_TIME = "delivery_time", _("delivery time")
    COMPETITOR = "competitor", _("bought from a competitor")
    NO_BUDGET = "no_budget", _("no budget")
    TECHNOLOGY = "technology", _("technology did not fit")
    PROJECT_CANCELLED = "project_cancelled", _("project cancelled")
    NO_RESPONSE = "no_response", _("no response")
    OTHER = "other", _("other")


class Offer(VersionedModel, TimeStampedModel):
    """Angebot. Its lines can be changed while it is a draft; sending freezes the revision
    (``OfferRevision``), a change the customer asks for starts the next one."""

    number = models.CharField(_("offer number"), max_length=30, unique=True)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="offers"
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    subject = models.CharField(_("subject"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    revision = models.PositiveIntegerField(_("version"), default=1)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("price list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    language = models.CharField(
        _("language of the document"),
        max_length=2,
        choices=[("de", _("German")), ("en", _("English"))],
        default="de",
    )
    discount_percent = models.DecimalField(
        _("total discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
    )
    freight = models.DecimalField(
        _("freight"), max_digits=12, decimal_places=2, default=Decimal(0), validators=NOT_NEGATIVE
    )
    extra_costs = models.DecimalField(
        _("extra costs"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=NOT_NEGATIVE,
    )
    extra_costs_label = models.CharField(_("extra costs for"), max_length=100, blank=True)
    # Kept by the services with every change of a line or of the discount, so lists, the
    # tracking list and the forecast read the offer's value without pricing its lines.
    net_total = models.DecimalField(
        _("net value"), max_digits=14, decimal_places=2, default=Decimal(0), editable=False
    )
    highest_discount_percent = models.DecimalField(
        _("highest discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
    )
    # Auftragswahrscheinlichkeit, from the learnt model (``offers.winning``) or the stage
    # default, with the factors that moved it: [[factor, log-odds, value], …].
    win_probability = models.FloatField(_("win probability"), null=True, blank=True, editable=False)
    win_reasons = models.JSONField(_("why"), default=list, blank=True, editable=False)
    terms = models.TextField(_("terms"), blank=True, validators=LONG_TEXT)
    deviations = models.TextField(
        _("deviations from our standard terms"), blank=True, validators=LONG_TEXT
    )
    requested_on = models.DateField(_("requested on"))
    valid_until = models.DateField(_("valid until"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    expected_close_on = models.DateField(_("expected decision"), null=True, blank=True)
    closed_on = models.DateField(_("decided on"), null=True, blank=True)
    loss_reason = models.CharField(
        _("loss reason"), max_length=20, choices=LossReason.choices, blank=True
    )
    competitor = models.CharField(_("competitor"), max_length=100, blank=True)
    loss_note = models.TextField(_("why lost"), blank=True, validators=LONG_TEXT)
    # The follow-up call planned when the offer was sent: done once the offer is decided.
    follow_up_task = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("follow-up task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offer",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["company", "-requested_on"], name="offer_company_idx"),
            # The tracking list: open offers by their follow-up date.
            models.Index(
                fields=["follow_up_on"],
                condition=Q(status="sent"),
                name="offer_open_follow_up_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                name="offer_discount_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="lost") | ~Q(loss_reason=""),
                name="offer_lost_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in (OfferStatus.DRAFT, OfferStatus.SENT)

    @property
    def is_editable(self) -> bool:
        return self.status == OfferStatus.DRAFT


@dataclass(frozen=True)
class Availability:
    """How a line's quantity can be delivered: "12 ab Lager, 28 in 6 Wochen"."""

    from_stock: Decimal
    later: Decimal
    weeks: int


class OfferLine(models.Model):
    """Angebotsposition: a product from the catalogue at the price list's price, or free text."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(pgettext_lazy("offer line", "position"))
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offer_lines",
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.PIECE)
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE
    )
    # The price list's price when the line was priced: a lower unit price is a discount too.
    list_price = models.DecimalField(
        _("list price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=Decimal(0), validators=PERCENT
    )
    note = models.TextField(_("technical note"), blank=True, validators=LONG_TEXT)

    class Meta:
        verbose_name = _("offer line")
        verbose_name_plural = _("offer lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="offer_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                name="offer_line_discount_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer.number} / {self.position}"

    @property
    def availability(self) -> Availability | None:
        if self.product is None:
            return None
        from_stock = min(self.quantity, Decimal(max(self.product.stock, 0)))
        return Availability(
            from_stock=from_stock,
            later=self.quantity - from_stock,
            weeks=math.ceil(self.product.lead_time_days / 7),
        )


class OfferRevision(models.Model):
    """A sent version of an offer, frozen: the lines, totals and texts as the customer got
    them. Earlier versions stay readable and comparable line by line."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("version"))
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.JSONField(_("document"))

    class Meta:
        verbose_name = _("offer version")
        verbose_name_plural = _("offer versions")
        ordering = ["offer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="offer_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.offer.number} v{self.number}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    # The offer went on without it: sent within the limit, a new version, won or lost.
    OVERTAKEN = "overtaken", _("overtaken")


class DiscountApproval(models.Model):
    """Freigabe: a discount above the requester's limit, approved or rejected by someone whose
    limit covers it — never by the requester himself."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="approvals"
    )
    revision = models.PositiveIntegerField(_("version"))
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2)
    # The offer's value when it was asked for: a larger offer at the same discount is asked
    # for again.
    net_total = models.DecimalField(
        _("net value"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True, validators=LONG_TEXT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, validators=LONG_TEXT)

    class Meta:
        verbose_name = _("discount approval")
        verbose_name_plural = _("discount approvals")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(status="pending"),
                name="discount_approval_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer.number}: {self.discount_percent} %"


class WinModel(models.Model):
    """A win probability learnt from won and lost offers (``offers.winning``): a logistic
    regression with its Brier score and reliability on offers held out of the training, next
    to the stage default's on the same offers. Only a model that beat the stage default
    scores."""

    trained_at = models.DateTimeField(_("trained at"))
    n_train = models.PositiveIntegerField(_("offers trained on"))
    n_holdout = models.PositiveIntegerField(_("offers held out"))
    n_won = models.PositiveIntegerField(_("won offers"))
    n_lost = models.PositiveIntegerField(_("lost offers"))
    intercept = models.FloatField(_("intercept"))
    # {feature: log-odds per standard deviation}, and each feature's mean and deviation.
    coefficients = models.JSONField(_("coefficients"), default=dict)
    scaling = models.JSONField(_("scaling"), default=dict)
    # Smoothed win rates of reps and product groups on the training offers: {id: rate}.
    encodings = models.JSONField(_("win rates"), default=dict)
    # Brier score, AUC and reliability table of the model and of the stage default.
    metrics = models.JSONField(_("measures"), default=dict)
    seconds = models.FloatField(_("training took (s)"), default=0)
    active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("win probability model")
        verbose_name_plural = _("win probability models")
        ordering = ["-trained_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="win_model_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M}"
