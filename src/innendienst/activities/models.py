from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.campaigns.models import Campaign
from innendienst.contacts.models import Company, Industry, Person
from innendienst.core.concurrency import VersionedModel
from innendienst.core.models import TimeStampedModel
from innendienst.core.validation import LONG_TEXT


class ActivityType(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    NOTE = "note", _("Note")
    TASK = "task", _("Task")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("reached")
    NOT_REACHED = "not_reached", _("not reached")
    GATEKEEPER = "gatekeeper", _("stopped at the gatekeeper")
    NO_NEED = "no_need", _("no need")
    BOUGHT_ELSEWHERE = "bought_elsewhere", _("bought elsewhere")
    APPOINTMENT = "appointment", _("appointment for field sales")
    CALLBACK = "callback", _("callback")
    SEND_INFORMATION = "send_information", _("send information")
    DO_NOT_CALL = "do_not_call", _("do not call")


class Activity(VersionedModel, TimeStampedModel):
    """Aktivität on a customer's timeline.

    Something that happened has ``occurred_at`` and is done; something to do (a task, a
    Wiedervorlage) has ``due_at`` and stays open until it is done. Logging a call with a
    follow-up date writes both: the call, and a task that points back to it.
    """

    kind = models.CharField(_("type"), max_length=10, choices=ActivityType.choices)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="activities"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, validators=LONG_TEXT)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices, blank=True)
    occurred_at = models.DateTimeField(_("date"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_activities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_activities",
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-occurred_at"], name="activity_company_idx"),
            models.Index(fields=["assigned_to", "done", "due_at"], name="activity_todo_idx"),
            # The open follow-ups, a few percent of all activities: the manager's count per
            # rep and the longest overdue read these instead of millions of past activities.
            models.Index(
                fields=["assigned_to", "due_at"],
                condition=Q(done=False, due_at__isnull=False),
                name="activity_open_rep_idx",
            ),
            models.Index(
                fields=["due_at", "id"],
                condition=Q(done=False, due_at__isnull=False),
                name="activity_open_due_idx",
            ),
            # The calls of the last days across a whole scope: the manager's call figures.
            models.Index(
                fields=["occurred_at"], condition=Q(kind="call"), name="activity_call_time_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_at__isnull=False) | Q(due_at__isnull=False),
                name="activity_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_overdue(self) -> bool:
        """A follow-up is a date: it is overdue from the next day on, not from its hour."""
        return (
            not self.done
            and self.due_at is not None
            and timezone.localdate(self.due_at) < timezone.localdate()
        )


class CallList(TimeStampedModel):
    """Anrufliste: a queue of contacts that a team calls together. "Next call" hands each
    rep a different contact; a contact being called is reserved for a few minutes."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=LONG_TEXT)
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call_lists",
        help_text=_("Who works the list; without a team only you and the managers see it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call_lists",
        help_text=_("Its call guide is shown on the call screen."),
    )

    class Meta:
        verbose_name = _("call list")
        verbose_name_plural = _("call lists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CallEntryStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    REMOVED = "removed", _("taken off the list")


class CallEntryReason(models.TextChoices):
    """Why a contact is not called now: kept as a code, shown in each reader's language."""

    CONTACT_LIMIT = "contact_limit", _("contact limit reached")
    NOT_REACHED = "not_reached", _("not reached too often")
    OBJECTION = "objection", _("does not want to be called")
    NO_PHONE = "no_phone", _("no phone number any more")
    BEST_TIME = "best_time", _("better reached at another time")


class WhomToCall(models.TextChoices):
    EVERYONE = "everyone", _("Every contact with a phone number")
    DECIDERS = "deciders", _("Deciders and buyers only")


class CallListEntry(models.Model):
    """One contact on a call list, with how often she was tried and when she is due again."""

    call_list = models.ForeignKey(
        CallList, verbose_name=_("call list"), on_delete=models.CASCADE, related_name="entries"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=CallEntryStatus.choices, default=CallEntryStatus.OPEN
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("being called by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reserved_until = models.DateTimeField(_("reserved until"), null=True, blank=True)
    # A new token with every reservation: a call is saved once, by whoever holds it.
    reservation = models.UUIDField(null=True, blank=True, editable=False)
    last_outcome = models.CharField(
        _("last outcome"), max_length=20, choices=CallOutcome.choices, blank=True
    )
    last_called_at = models.DateTimeField(_("last call"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=20, choices=CallEntryReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("call list entry")
        verbose_name_plural = _("call list entries")
        ordering = ["-priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call_list", "person"], name="call_entry_unique"),
        ]
        indexes = [
            # "Next call" reads the open entries of one list in the order it hands them out.
            models.Index(
                "call_list",
                models.F("priority").desc(),
                "attempts",
                "id",
                condition=Q(status="open"),
                name="call_entry_next_idx",
            ),
            # The contact a rep holds: found without reading the list.
            models.Index(
                fields=["reserved_by", "call_list"],
                condition=Q(reservation__isnull=False),
                name="call_entry_held_idx",
            ),
            models.Index(fields=["person", "status"], name="call_entry_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.call_list}: {self.person}"


class CallGuide(models.Model):
    """Gesprächsleitfaden of a campaign. Never changed in place: saving a changed guide
    writes the next version, so what a rep was shown stays readable."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="call_guides"
    )
    version = models.PositiveIntegerField(_("version"))
    goal = models.TextField(_("call goal"), blank=True, validators=LONG_TEXT)
    opener = models.TextField(_("opener"), blank=True, validators=LONG_TEXT)
    hook = models.TextField(_("hook / benefit"), blank=True, validators=LONG_TEXT)
    close = models.TextField(_("how to close"), blank=True, validators=LONG_TEXT)
    gatekeeper = models.TextField(_("at the gatekeeper"), blank=True, validators=LONG_TEXT)
    not_reached = models.TextField(_("when not reached"), blank=True, validators=LONG_TEXT)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    TEXTS = ("goal", "opener", "hook", "close", "gatekeeper", "not_reached")

    class Meta:
        verbose_name = _("call guide")
        verbose_name_plural = _("call guides")
        ordering = ["campaign", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="call_guide_version"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} v{self.version}"


class CallGuideQuestion(models.Model):
    """A question of the guide: a field on the call screen whose answer ``kind`` says where
    it is written (``activities.guide``)."""

    guide = models.ForeignKey(
        CallGuide, verbose_name=_("call guide"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer"), max_length=30)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["guide", "position"]

    def __str__(self) -> str:
        return self.text


class ReachabilityRate(models.Model):
    """How often the calls of an industry (all industries: ``industry`` empty) reached the
    contact, per weekday and two-hour slot of the office day, over the last year: the prior
    of each contact's best time to reach. Refreshed every night."""

    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 1 Monday … 5 Friday (ISO)
    slot = models.PositiveSmallIntegerField(_("from hour"))  # 8, 10, 12, 14, 16
    calls = models.PositiveIntegerField(_("calls"))
    reached = models.PositiveIntegerField(_("reached"))

    class Meta:
        verbose_name = _("reachability rate")
        verbose_name_plural = _("reachability rates")

    def __str__(self) -> str:
        return f"{self.industry or '*'} {self.weekday} {self.slot}: {self.reached}/{self.calls}"
