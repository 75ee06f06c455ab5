from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innendienst.core.registry import RowOutcome


class ImportStatus(models.TextChoices):
    # Uploaded, being mapped and previewed; nothing is written until it is started.
    DRAFT = "draft", pgettext_lazy("import status", "draft")
    QUEUED = "queued", pgettext_lazy("import status", "queued")
    RUNNING = "running", pgettext_lazy("import status", "running")
    DONE = "done", pgettext_lazy("import status", "done")
    FAILED = "failed", pgettext_lazy("import status", "failed")
    UNDONE = "undone", pgettext_lazy("import status", "undone")


class Import(models.Model):
    """One file imported into one target (Import): what was read how, by whom, and what came
    of each row. The rows done so far are committed batch by batch with the records they
    wrote, so an import that was cut off goes on after its last batch."""

    target = models.CharField(_("imported as"), max_length=50)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.BigIntegerField(_("size"))
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    # The file's header row, for the mapping form and the file of rows to correct.
    headers = models.JSONField(default=list)
    # The data rows the file has (counted at upload), for the progress bar.
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    # The target's field for each column of the file, "" for a column left out.
    mapping = models.JSONField(default=list)
    # Fields filled with one value for every row (e.g. the territory of a trade fair's list).
    constants = models.JSONField(default=dict)
    # Import nothing when a row has errors (the file is corrected and imported whole).
    all_or_nothing = models.BooleanField(_("all or nothing"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The last row of the file whose batch is committed.
    last_row = models.PositiveIntegerField(default=1)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # Rows by outcome (RowOutcome values).
    counts = models.JSONField(default=dict)
    failure = models.TextField(_("why it failed"), blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            # Two imports of one file at once would both find its rows new.
            models.UniqueConstraint(
                fields=["target", "file_sha256"],
                condition=models.Q(status__in=["queued", "running"]),
                name="import_one_run_per_file",
            )
        ]

    def __str__(self) -> str:
        return self.file_name


class ImportRow(models.Model):
    """One row of an imported file and what came of it: the records it created and, for the
    records it updated, the values it replaced — both as ``[model label, id]``, so that any
    target's import can be undone — or its errors and cells."""

    run = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="import_rows")
    number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=20, choices=RowOutcome.choices)
    created = models.JSONField(default=list)
    # [model label, id, {field: replaced value, …}] per updated record.
    updated = models.JSONField(default=list)
    errors = models.JSONField(default=dict)
    # The row as the file had it, for the file of rows to correct.
    cells = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="import_row_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.run} #{self.number}"


class SavedMapping(models.Model):
    """A mapping kept under a name ("Messe-Scanner") for the next file of the same kind: which
    field each header fills and which fields get one value. Headers are matched by name, so
    the next file's columns may come in another order."""

    target = models.CharField(_("imported as"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    # {header as the file wrote it: field name}; a header mapped to "" is left out.
    columns = models.JSONField(default=dict)
    constants = models.JSONField(default=dict)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Shared with the owner's team, or (null) the owner's own.
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved mapping")
        verbose_name_plural = _("saved mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "target", "name"], name="saved_mapping_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
