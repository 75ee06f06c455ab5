"""Automation: events from outside (a newsletter click, a webinar, a form), rules "when E for
a contact with C → do A", and outgoing webhooks on domain events, each with its log."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.contacts.models import Company, Person
from innendienst.core.models import TimeStampedModel

# An inbound event type as the sending tool names it: "newsletter.click", "webinar.attended".
EVENT_TYPE = RegexValidator(
    r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z",
    _("Lower-case words separated by dots, e.g. newsletter.click."),
)
INBOUND_PREFIX = "inbound:"


def trigger_label(trigger: str) -> str:
    """A rule's trigger as the pages show it."""
    if trigger.startswith(INBOUND_PREFIX):
        return str(_("Inbound event “%(type)s”")) % {"type": trigger.removeprefix(INBOUND_PREFIX)}
    return trigger


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class EventSource(TimeStampedModel):
    """A tool that reports what contacts did (newsletter, webinar platform, website), with
    the shared secret its events are signed with."""

    name = models.CharField(_("name"), max_length=100)
    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_("Sent by the tool in the header X-Innendienst-Source."),
    )
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("event source")
        verbose_name_plural = _("event sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    PROCESSED = "processed", _("processed")
    FAILED = "failed", _("failed")


class InboundEvent(models.Model):
    """One event as it arrived; its id is the sender's, so a resend is recognised."""

    source = models.ForeignKey(
        EventSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="events"
    )
    event_id = models.CharField(_("event id"), max_length=100)
    type = models.CharField(_("type"), max_length=60, validators=[EVENT_TYPE])
    person = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("occurred"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    data = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )

    class Meta:
        verbose_name = _("inbound event")
        verbose_name_plural = _("inbound events")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "event_id"], name="inbound_event_once")
        ]
        indexes = [models.Index(fields=["person", "-occurred_at"], name="inbound_person_idx")]

    def __str__(self) -> str:
        return f"{self.source_id}/{self.event_id}: {self.type}"


class Assignee(models.TextChoices):
    """Whom an action addresses: a role at the contact's company, or the lead's owner."""

    LEAD_OWNER = "lead_owner", _("the lead's responsible rep")
    FIELD_REP = "field_rep", _("the responsible field rep")
    INSIDE_REP = "inside_rep", _("the responsible inside rep")
    KEY_ACCOUNT = "key_account", _("the key-account manager")


class Rule(TimeStampedModel):
    """When ``trigger`` happens for a contact or lead meeting ``conditions``, run ``actions``.

    ``trigger`` is a declared domain event ("lead.stage_changed") or an inbound event type
    prefixed with "inbound:" ("inbound:newsletter.click"). ``conditions`` and ``actions`` are
    checked by ``automation.engine`` when the rule is saved, so a stored rule always runs.
    """

    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    trigger = models.CharField(_("when"), max_length=80)
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    actions = models.JSONField(_("actions"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Actions run in the name of the user who last saved the rule: the tasks it creates and
    # the stages it moves are audited as his, within what he may see.
    run_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("runs as"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["trigger", "active"], name="rule_trigger_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def trigger_label(self) -> str:
        return trigger_label(self.trigger)


class RunOutcome(models.TextChoices):
    DONE = "done", _("done")
    SKIPPED = "skipped", _("skipped")
    FAILED = "failed", _("failed")


class RuleRun(models.Model):
    """One time a rule met its trigger: what it did, or why not."""

    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="runs"
    )
    trigger = models.CharField(_("event"), max_length=80)
    person = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    inbound_event = models.ForeignKey(
        InboundEvent,
        verbose_name=_("inbound event"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=RunOutcome.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("rule run")
        verbose_name_plural = _("rule runs")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["rule", "-at"], name="rule_run_idx")]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.outcome}"

    @property
    def trigger_label(self) -> str:
        return trigger_label(self.trigger)


class Webhook(TimeStampedModel):
    """An address outside that is told about domain events, signed with its own secret."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RETRYING = "retrying", _("retrying")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one webhook, with every attempt's outcome."""

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    delivery_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True)
    event = models.CharField(_("event"), max_length=80)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, validators=[MaxValueValidator(100)]
    )
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(
        _("answer"), null=True, blank=True, validators=[MinValueValidator(100)]
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    replay_of = models.ForeignKey(
        "self",
        verbose_name=_("replay of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_idx"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="retrying"),
                name="delivery_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
