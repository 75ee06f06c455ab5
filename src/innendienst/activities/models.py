from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.contacts.models import Company, Person
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
