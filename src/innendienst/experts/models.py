from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innendienst.core.models import TimeStampedModel
from innendienst.core.validation import LONG_TEXT


class Expert(TimeStampedModel):
    """Eintrag im Expertenverzeichnis: a colleague who answers technical questions from the
    offers (Anwendungstechnik, Produktmanagement), with the product groups, industries and
    topics he knows. One entry per colleague; an inactive entry is kept for the requests it
    answered, but nobody new asks it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        on_delete=models.CASCADE,
        related_name="expert_entries",
    )
    area = models.CharField(
        _("area"),
        max_length=100,
        help_text=_("The department or role, e.g. application engineering or product management."),
    )
    product_groups = models.ManyToManyField(
        "catalog.ProductGroup",
        verbose_name=_("product groups"),
        blank=True,
        related_name="experts",
    )
    industries = models.ManyToManyField(
        "contacts.Industry", verbose_name=_("industries"), blank=True, related_name="experts"
    )
    topics = models.CharField(
        _("topics"),
        max_length=500,
        blank=True,
        help_text=_("Keywords, separated by commas: pumps, seals, explosion protection."),
    )
    note = models.TextField(_("note"), blank=True, validators=LONG_TEXT)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], name="expert_one_entry_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.area})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]


class ExpertRequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("expert request", "open")
    ANSWERED = "answered", pgettext_lazy("expert request", "answered")
    WITHDRAWN = "withdrawn", pgettext_lazy("expert request", "withdrawn")


class ExpertRequest(TimeStampedModel):
    """Expertenanfrage: a question from an offer (or one of its lines) to an expert of the
    directory, due on a day; the expert answers it in the system, the offer shows it."""

    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("offer"),
        on_delete=models.CASCADE,
        related_name="expert_requests",
    )
    line = models.ForeignKey(
        "offers.OfferLine",
        verbose_name=_("offer line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_requests",
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="requests"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("question"), validators=LONG_TEXT)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExpertRequestStatus.choices,
        default=ExpertRequestStatus.OPEN,
    )
    answer = models.TextField(_("answer"), blank=True, validators=LONG_TEXT)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert request")
        verbose_name_plural = _("expert requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The expert's own list and his "Mein Tag": his requests by status and due date.
            models.Index(fields=["expert", "status", "due_on"], name="expert_request_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="expert_request_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer.number}: {self.question[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == ExpertRequestStatus.OPEN
