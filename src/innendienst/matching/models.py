from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innendienst.contacts.models import Company, Person


class RecordKind(models.TextChoices):
    COMPANY = "c", _("company")
    PERSON = "p", _("person")


def model_of(kind: str) -> type[Company] | type[Person]:
    return Company if kind == RecordKind.COMPANY else Person


def choosable_fields(kind: str) -> list[models.Field]:
    """The fields whose surviving value is chosen per field when records are merged."""
    return [
        field
        for field in model_of(kind)._meta.concrete_fields
        if field.editable and field.name != "id"
    ]


class MatchKey(models.Model):
    """A blocking key of a company or person: the records that share one are compared.

    The key is a 64-bit hash of its kind and normalised value ("A|80331|hauptstrasse|5"), so
    that the index stays small at millions of records and a lookup by several keys is one
    range scan each. The record is referred to by id without a foreign key: a deleted record's
    keys are dropped when they are next read (``keys.refresh``), and deleting a million imported
    companies does not wait for their keys."""

    kind = models.CharField(max_length=1, choices=RecordKind.choices)
    record_id = models.BigIntegerField()
    key = models.BigIntegerField()
    # A key that only counts how common a value is (a surname): no pair is formed by it.
    counts_only = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "record_id"], name="match_key_idx")]
        # A record's keys, each once: two refreshes of one record at the same time (an edit
        # during a scan) cannot double a key and so its count.
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id", "key", "counts_only"], name="match_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.record_id}: {self.key}"


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Scan(models.Model):
    """Dublettensuche: one run of the engine over the whole database, or over the records
    changed since the last run, that writes the pairs it finds to the review queue."""

    kind = models.CharField(_("records"), max_length=1, choices=RecordKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED
    )
    full = models.BooleanField(_("whole database"), default=False)
    # The records changed since then were compared; None: all of them.
    since = models.DateTimeField(_("changed since"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Moved on with every step: a scan that stops moving has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    compared = models.PositiveIntegerField(_("pairs compared"), default=0)
    found = models.PositiveIntegerField(_("pairs found"), default=0)
    failure = models.TextField(_("why it failed"), blank=True)

    class Meta:
        verbose_name = _("duplicate scan")
        verbose_name_plural = _("duplicate scans")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(status__in=["queued", "running"]),
                name="matching_one_scan_at_a_time",
                violation_error_message=_("A scan of these records is running already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("duplicate_scan", args=[self.pk])


class PairStatus(models.TextChoices):
    OPEN = "open", _("to review")
    NOT_DUPLICATE = "not_duplicate", _("no duplicate")
    MERGED = "merged", _("merged")


class DuplicatePair(models.Model):
    """Two records the engine holds for one, with its evidence field by field, until someone
    decides; a decision is kept, so the pair never comes back."""

    kind = models.CharField(max_length=1, choices=RecordKind.choices)
    left_id = models.BigIntegerField()
    right_id = models.BigIntegerField()
    score = models.FloatField(_("score"))
    # [[field, level, bits], …] as the engine compared them, strongest first.
    reasons = models.JSONField(default=list)
    # The smallest record id of the pairs connected to this one.
    cluster = models.BigIntegerField(db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate pair")
        verbose_name_plural = _("duplicate pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "left_id", "right_id"], name="matching_pair_once"
            ),
            models.CheckConstraint(
                condition=models.Q(left_id__lt=models.F("right_id")),
                name="matching_pair_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "cluster"], name="matching_pair_queue_idx"),
            models.Index(fields=["kind", "right_id"], name="matching_pair_right_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.left_id} ~ {self.kind}{self.right_id} ({self.score:.0%})"


class Merge(models.Model):
    """Zusammenführung: ``merged_id`` went into ``survivor_id``. Keeps what its undo needs to put
    everything back: the merged record whole, the survivor's values it replaced, and exactly the
    rows, history entries and external keys it moved."""

    kind = models.CharField(_("records"), max_length=1, choices=RecordKind.choices)
    survivor_id = models.BigIntegerField(_("kept record"))
    merged_id = models.BigIntegerField(_("merged record"))
    merged_repr = models.CharField(_("merged record"), max_length=200)
    # The merged record's fields, by attribute name, as they were.
    merged_values = models.JSONField(encoder=DjangoJSONEncoder)
    # {field: [the survivor's value before, the value the merge gave it]}
    replaced = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # What core.references carried over (rows by reference, twins removed, history entries).
    moved = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    external_keys = models.JSONField(default=list)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-id"]
        indexes = [models.Index(fields=["kind", "survivor_id"], name="matching_merge_survivor_idx")]

    def __str__(self) -> str:
        return f"{self.merged_repr} → {self.kind}{self.survivor_id}"


class Weights(models.Model):
    """The *m* of each comparison level, estimated from the data by the last whole-database
    scan of the kind (``estimate.py``); without a row the engine's own values hold."""

    kind = models.CharField(max_length=1, choices=RecordKind.choices, unique=True)
    # "comparison|level" → m
    m = models.JSONField()
    pairs = models.PositiveIntegerField(_("candidate pairs"))
    decisions = models.PositiveIntegerField(_("reviewers' decisions"))
    matches = models.FloatField(_("expected twins"))
    estimated_at = models.DateTimeField(_("estimated at"))

    class Meta:
        verbose_name = _("estimated weights")
        verbose_name_plural = _("estimated weights")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.estimated_at:%Y-%m-%d})"
