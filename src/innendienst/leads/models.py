from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innendienst.accounts.models import Team, Territory
from innendienst.contacts.models import Company, CustomerGroup, Language, Person, Priority
from innendienst.core.concurrency import VersionedModel
from innendienst.core.models import Currency, TimeStampedModel
from innendienst.core.validation import LONG_TEXT


class LeadStage(models.TextChoices):
    """The stages marketing and sales agreed on; their written definitions are
    ``StageDefinition`` rows that the sales manager keeps."""

    QL = "ql", _("Qualified lead (QL)")
    MQL = "mql", _("Marketing-qualified lead (MQL)")
    SQL = "sql", _("Sales-qualified lead (SQL)")
    ACCEPTED = "accepted", _("Accepted by sales")
    RECYCLED = "recycled", _("Rejected, back to marketing")
    CONVERTED = "converted", _("Converted")
    DISQUALIFIED = "disqualified", _("Disqualified")


OPEN_STAGES = frozenset(
    {LeadStage.QL, LeadStage.MQL, LeadStage.SQL, LeadStage.ACCEPTED, LeadStage.RECYCLED}
)


class LeadSource(models.TextChoices):
    TRADE_FAIR = "trade_fair", _("Trade fair")
    CAMPAIGN = "campaign", _("Campaign response")
    WEB_FORM = "web_form", _("Web form")
    API = "api", _("API")
    BOUGHT_LIST = "bought_list", _("Bought list")
    INBOUND_CALL = "inbound_call", _("Inbound call")
    REFERRAL = "referral", _("Referral")


class SlaKind(models.TextChoices):
    """What the lead waits for in its stage."""

    FIRST_CONTACT = "first_contact", _("first contact")
    ACCEPTANCE = "acceptance", _("acceptance by sales")


class AlertKind(models.TextChoices):
    WARNING = "warning", _("due soon")
    BREACH = "breach", _("overdue")
    ESCALATION = "escalation", _("escalated")


class StageReason(models.TextChoices):
    """Why sales rejected a lead or why it was disqualified."""

    TOO_EARLY = "too_early", _("too early, no concrete need yet")
    NO_NEED = "no_need", _("no need")
    NO_BUDGET = "no_budget", _("no budget")
    NOT_REACHABLE = "not_reachable", _("not reachable")
    WRONG_CONTACT = "wrong_contact", _("wrong contact person")
    COMPETITOR = "competitor", _("buys from a competitor")
    EXISTING_DEAL = "existing_deal", _("already in an offer")
    SPAM = "spam", _("spam or fake entry")
    OTHER = "other", _("other")


class StageDefinition(models.Model):
    """The written definition of a stage, shown wherever the stage is chosen: 45 % of
    companies have no shared definition, so it is part of the system, not of a slide."""

    stage = models.CharField(_("stage"), max_length=20, choices=LeadStage.choices, unique=True)
    definition = models.TextField(_("definition"), validators=LONG_TEXT)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("stage definition")
        verbose_name_plural = _("stage definitions")

    def __str__(self) -> str:
        return str(self.get_stage_display())


class SlaRule(models.Model):
    """Agreed reaction time for a stage, in business hours; a rule for one source comes
    before the rule for every source."""

    stage = models.CharField(_("stage"), max_length=20, choices=LeadStage.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=LeadSource.choices, blank=True,
        help_text=_("Empty: every source without a rule of its own."),
    )  # fmt: skip
    hours = models.PositiveSmallIntegerField(
        _("within business hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    warn_before_hours = models.PositiveSmallIntegerField(
        _("warn business hours before"), default=2, validators=[MaxValueValidator(2000)]
    )

    class Meta:
        verbose_name = _("SLA rule")
        verbose_name_plural = _("SLA rules")
        ordering = ["stage", "source"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "source"], name="sla_rule_stage_source_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} / {self.get_source_display() or '*'}: {self.hours} h"


class WorkingCalendar(models.Model):
    """The working hours and public holidays of a territory, for the SLA timers. A territory
    without one uses its parent's; a territory coded as a state or canton ("DE-BY") knows its
    holidays without one."""

    territory = models.OneToOneField(
        Territory, verbose_name=_("territory"), on_delete=models.CASCADE, related_name="calendar"
    )
    subdivision = models.CharField(
        _("state or canton"), max_length=10, blank=True,
        help_text=_("Whose public holidays apply, e.g. BY, ZH or 9 (Vienna); empty: only "
                    "the country's."),
    )  # fmt: skip
    day_starts = models.TimeField(_("working day starts"), default=datetime.time(8))
    day_ends = models.TimeField(_("working day ends"), default=datetime.time(17))
    saturday = models.BooleanField(_("Saturday is a working day"), default=False)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        constraints = [
            models.CheckConstraint(
                condition=Q(day_ends__gt=models.F("day_starts")),
                name="working_calendar_day_order",
            )
        ]

    def __str__(self) -> str:
        return str(self.territory)

    def clean(self) -> None:
        from innendienst.leads.calendar import subdivisions

        self.subdivision = self.subdivision.strip()
        if self.subdivision and self.territory_id:
            known = subdivisions(self.territory.country)
            if self.subdivision not in known:
                raise ValidationError(
                    {
                        "subdivision": _("Unknown for %(country)s; one of: %(known)s.")
                        % {"country": self.territory.country, "known": ", ".join(known)}
                    }
                )


class AssignmentRule(models.Model):
    """Verteilung: which leads go to which team or rep. The first active rule, in their order,
    whose conditions all hold decides; an empty condition holds for every lead. Within a
    team the lead goes to the rep with the most of his monthly capacity left."""

    order = models.PositiveSmallIntegerField(_("order"), default=100)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("The company lies in it or in one of its parts."),
    )
    source = models.CharField(_("source"), max_length=20, choices=LeadSource.choices, blank=True)
    customer_group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("customer group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    interest = models.CharField(
        _("product interest contains"), max_length=100, blank=True,
        help_text=_("A word of the lead's product interests, e.g. “Pumpen”."),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True,
        help_text=_("The contact's language, else the one of the company's country."),
    )  # fmt: skip
    team = models.ForeignKey(
        Team, verbose_name=_("to team"), null=True, blank=True, on_delete=models.CASCADE
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to rep"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False) | Q(rep__isnull=False),
                name="assignment_rule_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.name


class LeadCapacity(models.Model):
    """How many leads a rep can take per month, and when he is away (SPEC §2)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="lead_capacity",
    )
    per_month = models.PositiveSmallIntegerField(
        _("leads per month"), validators=[MaxValueValidator(10_000)]
    )
    away_from = models.DateField(_("away from"), null=True, blank=True)
    away_until = models.DateField(_("away until"), null=True, blank=True)

    class Meta:
        verbose_name = _("lead capacity")
        verbose_name_plural = _("lead capacities")
        constraints = [
            models.CheckConstraint(
                condition=Q(away_from__isnull=True)
                | Q(away_until__isnull=True)
                | Q(away_until__gte=models.F("away_from")),
                name="lead_capacity_absence_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.per_month}"

    def away_on(self, day: datetime.date) -> bool:
        """Away from the first day to the last; a first day alone is that day, a last day
        alone is every day until then."""
        if self.away_from is None and self.away_until is None:
            return False
        first = self.away_from or datetime.date.min
        return first <= day <= (self.away_until or self.away_from)


class Lead(VersionedModel, TimeStampedModel):
    """Lead / Interessentenkontakt: somebody at a company with a possible interest, from one
    source, on its way through the agreed stages to sales."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="leads"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=LeadStage.choices, default=LeadStage.QL
    )
    source = models.CharField(_("source"), max_length=20, choices=LeadSource.choices)
    source_name = models.CharField(_("fair or campaign"), max_length=100, blank=True)
    interests = models.CharField(_("product interests"), max_length=300, blank=True)
    need = models.TextField(_("need"), blank=True, validators=LONG_TEXT)
    timing = models.CharField(_("timing"), max_length=100, blank=True)
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    priority = models.CharField(
        _("priority"), max_length=1, choices=Priority.choices, default=Priority.B
    )
    notes = models.TextField(_("notes"), blank=True, validators=LONG_TEXT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    # Why the lead went to its rep, in words: the rule, the team, the capacity left.
    assignment_reason = models.CharField(_("why"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="captured_leads",
    )
    stage_changed_at = models.DateTimeField(_("in this stage since"))
    # The last time anybody worked the lead (a stage change, a contact): its age and
    # temperature count from here.
    touched_at = models.DateTimeField(_("last worked"))
    sla_kind = models.CharField(
        _("waiting for"), max_length=20, choices=SlaKind.choices, blank=True
    )
    sla_due_at = models.DateTimeField(_("due"), null=True, blank=True)
    sla_met_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # How far the SLA sweep has warned about the running clock: "", warning or breach.
    sla_alert = models.CharField(_("warned"), max_length=20, choices=AlertKind.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=StageReason.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    # [[factor, points], …]: why the score is what it is (``leads.scoring``).
    score_reasons = models.JSONField(_("score reasons"), default=list, blank=True)
    # A capture sent twice (a booth tablet resending after the Wi-Fi came back, an API
    # client retrying) carries the same id and is recognised.
    capture_id = models.UUIDField(_("capture id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-created_at"], name="lead_company_idx"),
            # The running SLA clocks, a small share of all leads: the inbox, "My day" and the
            # periodic sweep read these.
            models.Index(
                fields=["owner", "sla_due_at"],
                condition=Q(sla_due_at__isnull=False, sla_met_at__isnull=True),
                name="lead_owner_due_idx",
            ),
            models.Index(
                fields=["sla_due_at", "id"],
                condition=Q(sla_due_at__isnull=False, sla_met_at__isnull=True),
                name="lead_due_idx",
            ),
            models.Index(fields=["stage", "-created_at"], name="lead_stage_idx"),
            # Each rep's leads of the month, against his capacity.
            models.Index(fields=["owner", "assigned_at"], name="lead_owner_assigned_idx"),
            # The clocks the SLA sweep still has to look at: running, not yet reported late.
            models.Index(
                fields=["sla_due_at"],
                condition=Q(sla_due_at__isnull=False, sla_met_at__isnull=True)
                & ~Q(sla_alert="breach"),
                name="lead_sweep_idx",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.company
        return f"{who} ({self.get_source_display()})"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def waiting(self) -> bool:
        """An SLA clock runs: somebody owes the lead a reaction."""
        return self.sla_due_at is not None and self.sla_met_at is None


def score_factor_choices() -> list[tuple[str, Any]]:
    from innendienst.leads.scoring import FACTORS

    return [(factor.key, factor.label) for factor in FACTORS]


class ScoreWeight(models.Model):
    """The points of one scoring factor, where the administrator wants other than the default."""

    factor = models.CharField(_("factor"), max_length=30, choices=score_factor_choices, unique=True)
    points = models.SmallIntegerField(
        _("points"), validators=[MinValueValidator(-100), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("score weight")
        verbose_name_plural = _("score weights")
        ordering = ["factor"]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.points:+d}"


class LeadStageChange(models.Model):
    """A lead's entry into a stage, with the SLA clock that started there and when it was
    met: the lead page's history and the SLA report read these."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=LeadStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=LeadStage.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=StageReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    sla_kind = models.CharField(_("waited for"), max_length=20, choices=SlaKind.choices, blank=True)
    sla_due_at = models.DateTimeField(_("was due"), null=True, blank=True)
    sla_met_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["lead", "at"], name="lead_stage_change_idx")]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.from_stage} → {self.to_stage}"

    @property
    def sla_breached(self) -> bool:
        if self.sla_due_at is None:
            return False
        return self.sla_met_at is None or self.sla_met_at > self.sla_due_at


class LeadAlert(models.Model):
    """Who was warned when about a lead's clock: the rep before and at the deadline, the
    managers over him when it passed. One per clock, kind and person, so the sweep may run
    as often as it likes."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="alerts"
    )
    stage_change = models.ForeignKey(
        LeadStageChange, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="lead_alerts",
    )
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("SLA alert")
        verbose_name_plural = _("SLA alerts")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage_change", "kind", "recipient"], name="lead_alert_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="lead_alert_to_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.lead_id} → {self.recipient_id}"


class LeadEngagement(models.Model):
    """Something the contact did that shows interest (clicked the product video, attended the
    webinar, opened the offer mail), with the points it adds to the lead's score."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="engagements"
    )
    points = models.SmallIntegerField(
        _("points"), validators=[MinValueValidator(-100), MaxValueValidator(100)]
    )
    label = models.CharField(_("what happened"), max_length=200)
    occurred_at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["lead", "occurred_at"], name="lead_engagement_idx")]

    def __str__(self) -> str:
        return f"{self.label} {self.points:+d}"


class ScoreModel(models.Model):
    """A lead score learnt from won and lost leads (``leads.learning``): a logistic regression
    over the same factors as the rule weights, with its AUC on leads held out of the training
    next to the AUC of the rule weights on the same leads. Only an active model scores, and
    only a model that ranked the held-out leads better than the rule weights is activated."""

    trained_at = models.DateTimeField(_("trained at"))
    n_train = models.PositiveIntegerField(_("leads trained on"))
    n_holdout = models.PositiveIntegerField(_("leads held out"))
    n_won = models.PositiveIntegerField(_("won leads"))
    n_lost = models.PositiveIntegerField(_("lost leads"))
    auc = models.FloatField(_("AUC of the model"))
    baseline_auc = models.FloatField(_("AUC of the rule weights"))
    intercept = models.FloatField(_("intercept"))
    # {factor key: log-odds per occurrence}
    coefficients = models.JSONField(_("coefficients"), default=dict)
    # {factor key: points} of the rule weights the model was measured against, as they were.
    baseline_points = models.JSONField(_("rule weights then"), default=dict)
    seconds = models.FloatField(_("training took (s)"), default=0)
    active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("learnt score model")
        verbose_name_plural = _("learnt score models")
        ordering = ["-trained_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="score_model_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} AUC {self.auc:.3f} / {self.baseline_auc:.3f}"

    @property
    def beats_baseline(self) -> bool:
        return self.auc > self.baseline_auc
